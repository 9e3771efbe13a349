"""A rate limiter shared by every worker through Redis: global and per-chat sliding windows, paced sends.

Telegram: "avoid sending more than one message per second" in a chat, "no more than 20 messages per
minute" in a group, and about 30 messages per second overall for broadcasts
(https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).

Why a send keeps its slot until it *completes*: the limit is about when requests reach the platform, which
we never observe. A slot is recorded with a score in the future (start + request timeout) while the call is
in flight and lowered to the completion time when the answer arrives (`release`). A new send is granted
only when fewer than ``limit`` slots have a score inside the window. Because a request arrives after it
starts and before its answer, any ``window`` of arrival times then holds at most ``limit`` requests, however
much the network jitters. The cost is one round-trip time per window (≈99 % of the limit on a LAN).

On top, sends are paced (GCRA, one every ``window/limit`` with a small burst tolerance) so that a window's
allowance is spread over it instead of being spent in one burst. All times come from Redis (``TIME``), so
workers on different hosts share one clock.
"""
from __future__ import annotations

import asyncio
import itertools
import math

import redis.asyncio as aioredis

from bot.keys import Announcements

# KEYS: global log, chat log, pacing (theoretical arrival time), global pause, chat pause
# ARGV: member, g_limit, g_window_ms, c_limit, c_window_ms, inflight_ms, interval_ms, tolerance_ms
# Returns 0 when granted (slot recorded in both logs), else whole milliseconds (≥ 1) to wait before asking
# again — integers, because Redis truncates a Lua number reply (a 0.5 ms wait would read as "granted").
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, k in ipairs({KEYS[4], KEYS[5]}) do
  local p = tonumber(redis.call('GET', k) or '0')
  if p > now then return math.ceil(p - now) end
end
local interval, tolerance = tonumber(ARGV[7]), tonumber(ARGV[8])
local tat = tonumber(redis.call('GET', KEYS[3]) or '0')
if tat - now > tolerance then return math.max(1, math.ceil(tat - now - tolerance)) end
local function wait(key, limit, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - window))
  if redis.call('ZCARD', key) < limit then return 0 end
  local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
  if oldest > now then return 2 end  -- every slot is still in flight: ask again shortly
  return math.max(1, math.ceil(oldest + window - now))
end
local w = wait(KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]))
if w > 0 then return w end
w = wait(KEYS[2], tonumber(ARGV[4]), tonumber(ARGV[5]))
if w > 0 then return w end
local until_ = now + tonumber(ARGV[6])
redis.call('ZADD', KEYS[1], until_, ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[6]) + 1000)
redis.call('ZADD', KEYS[2], until_, ARGV[1])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[5]) + tonumber(ARGV[6]) + 1000)
redis.call('SET', KEYS[3], math.max(tat, now) + interval, 'PX', tonumber(ARGV[3]) + 1000)
return 0
"""

# KEYS: global log, chat log   ARGV: member   The call answered: its slot now ends at the completion time.
# (Redis time is truncated to the millisecond: a start reads early, a completion is rounded up, and an entry
# leaves the window only when strictly older than it — every rounding errs on the safe side.)
_RELEASE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', 'LT', now + 1, ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', 'LT', now + 1, ARGV[1])
return now + 1
"""

# KEYS: pause key   ARGV: seconds   Extends (never shortens) a pause; answers the pause end (ms).
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untl = now + math.ceil(tonumber(ARGV[1]) * 1000)
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if untl > cur then redis.call('SET', KEYS[1], untl, 'PX', untl - now + 1000) end
return math.max(untl, cur)
"""


class RateLimiter:
    """Never more than the configured rates, across workers: ``slot = await limiter.acquire(chat)``, send,
    then ``await limiter.release(chat, slot)`` when the platform answered (or failed); `pause` when it asks
    to wait."""

    def __init__(
        self,
        redis: aioredis.Redis,
        prefix: str,
        *,
        per_second: float,
        chat_limit: int,
        chat_window: float,
        inflight: float,
        name: str = "",
    ) -> None:
        self.redis = redis
        self.keys = Announcements(prefix)  # one cluster slot: the acquire script uses these keys together
        # Express the global rate as `limit` sends per `window` (30/s → 30 per 1 s; 0.5/s → 1 per 2 s).
        self.limit = max(1, math.floor(per_second))
        self.window_ms = round(self.limit / per_second * 1000)
        self.interval_ms = self.window_ms / self.limit
        self.tolerance_ms = min(self.window_ms / 4, 10 * self.interval_ms)
        self.chat_limit = chat_limit
        self.chat_window_ms = round(chat_window * 1000)
        self.inflight_ms = round(inflight * 1000)
        self._ids = itertools.count()
        self._name = name
        self._lock = asyncio.Lock()  # one poller per process; the others queue behind it, not on Redis
        self._acquire = redis.register_script(_ACQUIRE)
        self._release = redis.register_script(_RELEASE)
        self._pause = redis.register_script(_PAUSE)

    def _keys(self, chat: str) -> list[str]:
        k = self.keys
        return [k.rl_global, k.rl_chat(chat), k.rl_tat, k.rl_pause, k.rl_chat_pause(chat)]

    async def acquire(self, chat: str, stop: asyncio.Event | None = None) -> str | None:
        """Wait for a slot; returns its id (give it to `release`), or None when ``stop`` was set meanwhile."""
        member = f"{self._name}:{next(self._ids)}"
        keys = self._keys(chat)
        args = [member, self.limit, self.window_ms, self.chat_limit, self.chat_window_ms, self.inflight_ms,
                self.interval_ms, self.tolerance_ms]
        while True:
            async with self._lock:
                while True:
                    if stop is not None and stop.is_set():
                        return None
                    wait = int(await self._acquire(keys=keys, args=args))
                    if wait <= 0:
                        return member
                    if wait > 50:
                        break  # a long wait (per-chat window, a pause): let other chats go first
                    await asyncio.sleep(wait / 1000)
            await self._sleep(wait / 1000, stop)

    async def release(self, chat: str, member: str, *, client: aioredis.Redis | None = None) -> None:
        keys = self._keys(chat)
        await self._release(keys=keys[:2], args=[member], client=client)

    async def pause(self, seconds: float, chat: str | None = None) -> None:
        """Stop all sends (or one chat's) for ``seconds`` — a 429's retry_after, for every worker."""
        key = self.keys.rl_pause if chat is None else self.keys.rl_chat_pause(chat)
        await self._pause(keys=[key], args=[seconds])

    @staticmethod
    async def _sleep(seconds: float, stop: asyncio.Event | None) -> None:
        if stop is None:
            await asyncio.sleep(seconds)
            return
        try:
            await asyncio.wait_for(stop.wait(), seconds)
        except asyncio.TimeoutError:
            pass

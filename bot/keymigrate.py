"""``python -m bot keys migrate``: move what an older bot stored to the key layout of bot/keys.py, once, while
the bot runs (each step is idempotent; SCAN, not KEYS, so Redis keeps serving).

What moved: a web chat's log (``bot:web:log:<id>`` → the browser's slot), a console user's operator outbox
(``bot:{handoff}:outbox:<channel>:<user>`` → the user's slot) and Telegram's blocked chats (one set → one
expiring key per chat). What went: the desk's message-id pairs (``bot:{handoff}:msgs:<id>``, never read).
What now expires: tickets, transcripts, held replies, relay queues and topic maps written without expiry get
the retention from now. Keys that only lived minutes or an hour (WeChat delivery claims, sign-in counters,
taken outboxes) are left to expire.
"""
from __future__ import annotations

from typing import Any

from bot import keys
from bot.keys import Legacy


async def migrate(redis: Any, retention: int) -> dict[str, int]:
    """Counts per step; 0 everywhere when there was nothing (left) to do."""
    done = {"web_logs": 0, "outboxes": 0, "blocked_chats": 0, "message_pairs_dropped": 0, "expiry_set": 0}
    async for old in redis.scan_iter(match=Legacy.WEB_LOG, count=1000):
        new = keys.web_log(Legacy.tail(Legacy.WEB_LOG, old))
        ttl = await redis.ttl(old)
        if not await redis.exists(new):  # the browser wrote since the upgrade: its new log stays as it is
            for entry_id, fields in await redis.xrange(old):
                await redis.xadd(new, fields, id=entry_id)
            if ttl > 0:
                await redis.expire(new, ttl)
        await redis.delete(old)
        done["web_logs"] += 1
    async for old in redis.scan_iter(match=Legacy.OUTBOX, count=1000):
        rest = Legacy.tail(Legacy.OUTBOX, old)
        channel, _, user = rest.partition(":")
        if ":taken:" in user or not user:
            continue  # a re-run's copy, gone within the hour
        replies = await redis.lrange(old, 0, -1)
        if replies:
            new = keys.outbox(channel, user)
            await redis.lpush(new, *reversed(replies))  # before anything queued since the upgrade
            await redis.expire(new, keys.OUTBOX_TTL)
        await redis.delete(old)
        done["outboxes"] += 1
    if await redis.exists(Legacy.TELEGRAM_BLOCKED):
        for chat in await redis.smembers(Legacy.TELEGRAM_BLOCKED):
            await redis.set(keys.telegram_blocked(chat), "1", ex=keys.TELEGRAM_BLOCKED_TTL)
            done["blocked_chats"] += 1
        await redis.delete(Legacy.TELEGRAM_BLOCKED)
    async for old in redis.scan_iter(match=Legacy.MSGS, count=1000):
        await redis.delete(old)
        done["message_pairs_dropped"] += 1
    for pattern in Legacy.TICKET_FAMILY:
        async for key in redis.scan_iter(match=pattern, count=1000):
            if await redis.ttl(key) == -1:
                await redis.expire(key, retention)
                done["expiry_set"] += 1
    if await redis.ttl(keys.WECHAT_UNKNOWN_MSGTYPES) == -1:
        await redis.expire(keys.WECHAT_UNKNOWN_MSGTYPES, keys.WECHAT_COUNTER_TTL)
        done["expiry_set"] += 1
    return done

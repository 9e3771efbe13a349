"""The delivery worker (`python -m bot worker`): expands due announcements, sends their batches, resumes.

Work sharing: batches of targets go through a Redis Stream read by the consumer group ``workers``; each
worker reads with XREADGROUP, keeps its entries alive with XCLAIM while it works on them, and takes over
entries a dead worker left (XAUTOCLAIM, idle ≥ ANNOUNCE_CLAIM_IDLE_SECONDS). A batch is XACKed only when
every target in it reached a final state.

Exactly once: the stream only distributes work; whether a target is sent is decided per target by one
Lua compare-and-set (store.py): pending → ``s|worker|t`` before the call, → ``ok|msg_id`` / ``f`` after it.
A batch handed to two workers (slow heartbeat, re-expansion, requeue) therefore sends each target once.
A target left in ``s|…`` by a worker that died mid-call is ambiguous for Telegram (sendMessage has no
idempotency key): it becomes ``unknown`` and is reported, never resent automatically. WeChat targets are
safe to resend (clientmsgid), so they are taken over and resent. A worker stopped with SIGTERM/SIGINT
finishes the calls in flight and puts its unstarted targets back, so a graceful restart leaves no unknowns.
"""
from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import secrets
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Callable, Sequence
from typing import Any

import redis.asyncio as aioredis

from bot.announcements.ratelimit import RateLimiter
from bot.announcements.senders import Outcome, broadcast, send_to_chat
from bot.announcements.store import GROUP, Store, TargetSpec, chat_of
from bot.channels import OutputChannel, Outputs
from bot.config import Settings
from bot.i18n import Translator
from bot.messages import Text
from bot.metrics import WorkerMetrics
from bot.retry import RetryLater, retrying

log = logging.getLogger(__name__)


@dataclass
class _Entry:
    ann: str
    text: str  # the stream entry's target list, kept to re-queue it on a graceful stop
    remaining: int
    done: set[str] = field(default_factory=set)


class Worker:
    def __init__(
        self,
        settings: Settings,
        redis: aioredis.Redis,
        *,
        outputs: Outputs | None = None,
        translator: Translator | None = None,
        name: str | None = None,
        poll_interval: float = 0.25,
    ) -> None:
        self.settings = settings
        self.redis = redis
        self.store = Store(redis, settings.announce_key_prefix)
        self.name = name or f"{socket.gethostname()}.{os.getpid()}.{secrets.token_hex(3)}"
        if "|" in self.name:
            raise ValueError("a worker name may not contain '|'")
        self.limiter = RateLimiter(
            redis, settings.announce_key_prefix,
            per_second=settings.announce_rate_per_second,
            chat_limit=settings.announce_chat_limit,
            chat_window=settings.announce_chat_window_seconds,
            inflight=settings.announce_request_timeout + 1,
            name=self.name,
        )
        self.outputs = outputs if outputs is not None else Outputs()  # injected by the entry point (cli.py)
        self.translator = translator or Translator(default=settings.default_locale)
        self.idle = settings.announce_claim_idle_seconds
        self.poll = poll_interval
        self.stop = asyncio.Event()
        self.queue: asyncio.Queue[tuple[str, str, str, str]] = asyncio.Queue()
        self.entries: dict[str, _Entry] = {}
        self._meta: dict[str, dict[str, str]] = {}
        self.stats: Counter[str] = Counter()  # sent / failed / unknown / returned, by this worker
        self.metrics = WorkerMetrics()  # the same counts for Prometheus (ANNOUNCE_METRICS_PORT)
        self.started = time.time()

    # -- lifecycle --------------------------------------------------------------------------------------
    async def run(self) -> None:
        """Work until `stop` is set, then finish the calls in flight and hand back unstarted targets."""
        await self.store.ensure_group()
        await self._beat()
        log.info("announcement worker %s started (%.0f msg/s, %d per chat per %.0f s)", self.name,
                 self.settings.announce_rate_per_second, self.settings.announce_chat_limit,
                 self.settings.announce_chat_window_seconds)
        background = [asyncio.create_task(c) for c in (self._heartbeat(), self._scheduler(), self._reader())]
        senders = [asyncio.create_task(self._sender()) for _ in range(self.settings.announce_concurrency)]
        try:
            await self.stop.wait()
        finally:
            self.stop.set()
            await asyncio.gather(*senders, return_exceptions=True)
            for t in background:
                t.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            await self._hand_back()
            await self.redis.delete(self.store.worker_key(self.name))
            log.info("announcement worker %s stopped", self.name)

    async def _hand_back(self) -> None:
        """Re-queue unfinished batches as new entries so any worker can pick them up without waiting."""
        for entry_id, e in list(self.entries.items()):
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.xadd(self.store.stream, {"a": e.ann, "t": e.text})
                pipe.xack(self.store.stream, GROUP, entry_id)
                pipe.xdel(self.store.stream, entry_id)
                await pipe.execute()
        self.entries.clear()

    async def _beat(self) -> None:
        # Shorter than the claim idle time, so a worker whose entries are taken over is already seen dead.
        # The value is the heartbeat `announce status` shows: when it beat, since when, what it sent.
        beat = json.dumps({"at": round(time.time(), 3), "started": round(self.started, 3), **self.stats})
        await self.redis.set(self.store.worker_key(self.name), beat, px=max(100, int(self.idle * 600)))

    async def _heartbeat(self) -> None:
        while not self.stop.is_set():
            await self._beat()
            if self.entries:
                await self.redis.xclaim(self.store.stream, GROUP, self.name, min_idle_time=0,
                                        message_ids=list(self.entries), justid=True)
            await self._sleep(self.idle / 3)

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self.stop.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    # -- expansion --------------------------------------------------------------------------------------
    async def _scheduler(self) -> None:
        while not self.stop.is_set():
            try:
                ann = await self.store.claim_due(self.name, lease=60.0)
                if ann is None:
                    await self._sleep(self.poll)
                    continue
                await self.expand(ann)
            except asyncio.CancelledError:
                raise
            except Exception as e:
                self.metrics.count_error(e, "expand")
                log.exception("expanding announcements failed; retrying")
                await self._sleep(1.0)

    async def expand(self, ann: str) -> None:
        a = await self.store.get(ann)
        if a is None:
            return
        targets = await self.store.resolve(TargetSpec.parse(a.target), self.settings.default_locale)
        queued = await self.store.enqueue(ann, targets, self.settings.announce_batch_size)
        status = await self.store.expanded(ann)
        log.info("announcement %s: %d targets, %d queued, %s", ann, len(targets), queued, status)

    # -- reading the stream -----------------------------------------------------------------------------
    async def _reader(self) -> None:
        loop = asyncio.get_running_loop()
        next_autoclaim = 0.0
        low_water = self.settings.announce_concurrency * 2
        while not self.stop.is_set():
            try:
                if self.queue.qsize() >= low_water:
                    await self._sleep(0.01)
                    continue
                got: list = []
                if loop.time() >= next_autoclaim:
                    res = await self.redis.xautoclaim(self.store.stream, GROUP, self.name,
                                                      min_idle_time=int(self.idle * 1000), start_id="0-0", count=4)
                    got = res[1]
                    if not got:
                        next_autoclaim = loop.time() + min(self.idle / 2, 5.0)
                if not got:
                    res = await self.redis.xreadgroup(GROUP, self.name, {self.store.stream: ">"}, count=1,
                                                      block=int(self.poll * 1000))
                    got = _entries(res)
                for entry_id, fields in got:
                    self._take(entry_id, fields)
            except asyncio.CancelledError:
                raise
            except Exception as e:
                self.metrics.count_error(e, "read")
                log.exception("reading the announcement stream failed; retrying")
                await self._sleep(1.0)

    def _take(self, entry_id: str, fields: dict | None) -> None:
        if entry_id in self.entries:
            return
        if not fields:  # deleted meanwhile
            asyncio.create_task(self._ack(entry_id))
            return
        items = fields["t"].split()
        self.entries[entry_id] = _Entry(fields["a"], fields["t"], len(items))
        for item in items:
            target, _, locale = item.partition("@")
            self.queue.put_nowait((entry_id, fields["a"], target, locale))

    async def _ack(self, entry_id: str) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xack(self.store.stream, GROUP, entry_id)
            pipe.xdel(self.store.stream, entry_id)
            await pipe.execute()

    # -- sending ----------------------------------------------------------------------------------------
    async def _sender(self) -> None:
        while not self.stop.is_set():
            try:
                entry_id, ann, target, locale = await asyncio.wait_for(self.queue.get(), self.poll)
            except asyncio.TimeoutError:
                continue
            try:
                finished = await self.deliver(ann, target, locale)
            except Exception as e:
                self.metrics.count_error(e, "deliver")
                # e.g. Redis unreachable: try the target again later (its state decides what is left to do)
                log.exception("announcement %s target %s: delivery failed; retrying", ann, target)
                await self._sleep(1.0)
                if not self.stop.is_set():
                    self.queue.put_nowait((entry_id, ann, target, locale))
                continue
            e = self.entries.get(entry_id)
            if e is None or not finished:
                continue
            e.done.add(target)
            if len(e.done) >= e.remaining:
                del self.entries[entry_id]
                await self._ack(entry_id)

    async def deliver(self, ann: str, target: str, locale: str) -> bool:
        """Send one target of one announcement at most once. False when this worker is stopping and left the
        target pending for another worker.

        Each attempt takes a rate-limit slot first and claims the target only then, right before the call,
        so a worker killed while waiting for a slot leaves its targets pending, not ambiguous. Attempts are
        counted (and bounded by ANNOUNCE_MAX_ATTEMPTS) in `_outcome`; tenacity only paces them: at once after
        a 429 (the shared limiter holds every worker back for retry_after) or a claim another worker took,
        jittered backoff after a refused connection, and a stop ends any wait.
        """
        text, created = await self._text(ann, locale)
        tries = [0]
        async for attempt in retrying(attempts=sys.maxsize, budget=math.inf, initial=0.2, cap=5.0,
                                      sleep=self._sleep):
            with attempt:
                return await self._attempt(ann, target, text, f"yibao_{ann}_{created.split('.')[0]}", tries)
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def _attempt(self, ann: str, target: str, text: str, client_msg_id: str, tries: list[int]) -> bool:
        """One pass of `deliver`; raises `RetryLater` for another (``after=0``: at once)."""
        chat = chat_of(target)
        if not await self._worth_trying(ann, target):
            return True  # final, cancelled or handed to an owner that is still alive and finished it
        if self.stop.is_set():
            return False
        slot = await self.limiter.acquire(chat, self.stop)
        if slot is None:
            return False
        if not await self._claim(ann, target):
            await self.limiter.release(chat, slot)
            raise RetryLater("claimed elsewhere", after=0.0)
        tries[0] += 1
        try:
            out = await self._call(target, chat, text, client_msg_id)
        except BaseException as e:
            # Crashed or cancelled around the call: we cannot tell whether it went out.
            await asyncio.shield(self._finish(ann, target, f"u|{self.name}",
                                              f"worker error: {type(e).__name__}: {e}"))
            raise
        finally:
            await self.limiter.release(chat, slot)
        value, reason = await self._outcome(out, target, chat, tries[0])
        if value == "p":  # not delivered, worth another try: pending again while we wait
            await self._finish(ann, target, "p", "")
            if self.stop.is_set():
                return False
            raise RetryLater(out.kind, after=None if out.kind == "transient" else 0.0)
        await self._finish(ann, target, value, reason)
        return True

    async def _worth_trying(self, ann: str, target: str) -> bool:
        """Read-only look before taking a rate slot; resolves targets a dead worker left mid-call."""
        while True:
            cur = await self.redis.hget(f"{self.store.meta(ann)}:st", target)
            if cur == "p":
                return True
            if cur is None or not cur.startswith("s|"):
                return False
            owner = cur.split("|")[1]
            if owner != self.name and not await self.redis.exists(self.store.worker_key(owner)):
                if target.startswith("wx:"):
                    return True  # clientmsgid makes a resend safe: `_claim` takes it over
                await self.store.transition(
                    "orphan", ann, target, self.name, cur,
                    f"worker {owner} stopped during the call; Telegram may or may not have delivered it")
                return False
            await self._sleep(min(1.0, self.idle / 3))  # its owner is alive and still on it
            if self.stop.is_set():
                return False

    async def _claim(self, ann: str, target: str) -> bool:
        r = await self.store.transition("claim", ann, target, self.name)
        if r == "ok":
            return True
        if target.startswith("wx:") and r.startswith("s|"):
            owner = r.split("|")[1]
            if owner != self.name and not await self.redis.exists(self.store.worker_key(owner)):
                return await self.store.transition("steal", ann, target, self.name, r) == "ok"
        return False

    async def _finish(self, ann: str, target: str, value: str, reason: str) -> None:
        await self.store.transition("finish", ann, target, self.name, value, reason)
        result = {"ok": "sent", "f": "failed", "u": "unknown", "p": "retried"}[value.split("|")[0]]
        self.stats[result] += 1
        self.metrics.sends.labels(result).inc()

    async def _text(self, ann: str, locale: str) -> tuple[str, str]:
        meta = self._meta.get(ann)
        if meta is None:
            meta = await self.redis.hgetall(self.store.meta(ann))
            self._meta[ann] = meta
        if meta.get("text"):
            return meta["text"], meta.get("created_at", "0")
        loc = locale or self.settings.default_locale
        text = self.translator.text(Text(meta["locale_id"], {"hotline": self.settings.hotline}), loc)
        return text, meta.get("created_at", "0")

    async def _outcome(self, out: Outcome, target: str, chat: str, attempts: int) -> tuple[str, str]:
        """(new state, reason) after one call; "p" means try again (after any pause this sets)."""
        if out.kind == "sent":
            if out.new_chat_id:  # the group became a supergroup: the output re-sent it there; follow it
                await self.store.migrate_chat(chat, out.new_chat_id)
            return f"ok|{out.message_id}", out.detail
        if out.kind == "forbidden":
            # Blocked by the user or removed from the chat: record it and stop addressing them.
            await self.store.unsubscribe(chat)
            await self.store.unregister_chat(chat)
            return "f", out.detail
        if out.kind == "failed":
            return "f", out.detail
        if out.kind == "unknown" and not target.startswith("wx:"):
            return f"u|{self.name}", out.detail
        if attempts >= self.settings.announce_max_attempts:
            return "f", f"gave up after {attempts} tries: {out.detail}"
        if out.kind == "retry":
            # Telegram does not say whether a 429 is per chat or for the whole bot: honour it for every send
            # of every worker (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
            log.warning("429 for %s: pausing all sends for %.1f s", target, out.retry_after)
            await self.limiter.pause(out.retry_after)
        # transient: never reached the platform (or WeChat, where clientmsgid makes resending safe)
        return "p", ""

    async def _call(self, target: str, chat: str, text: str, client_msg_id: str) -> Outcome:
        if target.startswith("tg:"):
            output = self.outputs.get("telegram")
            if output is None:
                return Outcome("failed", "TELEGRAM_BOT_TOKEN is not configured")
            return await send_to_chat(output, chat, text)
        wechat = self.outputs.broadcaster("wechat")
        if wechat is None:
            return Outcome("failed", "WECHAT_APPID / WECHAT_APPSECRET are not configured")
        return await broadcast(wechat, target, text, client_msg_id)


def _entries(res: Any) -> list:
    """XREADGROUP's answer as [(id, fields)] for RESP2 (list) and RESP3 (dict) clients."""
    if not res:
        return []
    if isinstance(res, dict):
        return [m for msgs in res.values() for m in (msgs[0] if msgs and isinstance(msgs[0], list) else msgs)]
    return [m for _, msgs in res for m in msgs]


OutputFactory = Callable[[Settings, aioredis.Redis], "OutputChannel | None"]


async def run_worker(settings: Settings, factories: Sequence[OutputFactory], *, name: str | None = None,
                     install_signals: bool = True) -> None:
    """The `worker` process: needs a shared Redis (REDIS_URL); stops cleanly on SIGTERM/SIGINT.

    ``factories``: the channels' announcement outputs (each None when its channel is not configured), handed
    in by the entry point (bot/announcements/cli.py) so nothing under ``bot/`` imports an adapter."""
    import signal

    if not settings.redis_url:
        raise SystemExit("the announcement worker needs REDIS_URL: workers share their queue, rate limits and "
                         "delivery records through one Redis (the embedded store is per process)")
    from bot.sessions import open_redis, warm_up

    # the cluster client when Redis runs as a cluster
    redis = open_redis(settings.redis_url.get_secret_value(), timeout=settings.redis_timeout_seconds)
    await warm_up(redis)
    outputs = Outputs()
    for factory in factories:
        output = factory(settings, redis)
        if output is not None:
            outputs.add(output)
    if not outputs:
        log.warning("neither TELEGRAM_BOT_TOKEN nor WECHAT_APPID/WECHAT_APPSECRET is set: targets will fail")
    worker = Worker(settings, redis, outputs=outputs, name=name)
    metrics_server = None
    if settings.announce_metrics_port is not None:
        metrics_server = worker.metrics.serve(settings.announce_metrics_port)
    if install_signals:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, worker.stop.set)
    try:
        await worker.run()
    finally:
        for output in outputs.values():
            close = getattr(output, "close", None)
            if close is not None:
                await close()
        await redis.aclose()
        if metrics_server is not None:
            metrics_server.shutdown()

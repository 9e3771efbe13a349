"""Operator handoff: a ticket per request, a queue, and a two-way relay between the user's channel and the
operator desk (a Telegram forum supergroup and/or the operator HTTP API).

Ticket lifecycle: queued → assigned → closed (claim and close are Lua scripts, so two operators racing for
one ticket get one winner). Explicit mappings in Redis, never parsed from message text: the ticket, its
transcript, held replies and relay queue, the desk's topic map (all ``bot:{handoff}:…``, one cluster slot, so
the claim/close/log scripts and the open transaction work on a cluster), and in the user's own slot
(``bot:{<channel>:<user>}:…``, next to the session) the pointer to the open ticket and the outbox — written by
separate single-slot calls. The key layout and expiry: bot/keys.py. Nothing else writes these keys: the desk,
the operator API and the console go through this service.

Expiry: every ticket key is refreshed to ``retention`` (HANDOFF_RETENTION_DAYS) by each event logged on it —
opened, user message, claim, reply, note, close — so an open ticket lives while it is active and a closed
one is kept that long after closing; the queue forgets ids whose ticket expired.

User messages reach the desk in the user's order: each is queued by its platform order (Telegram
update_id, WeChat MsgId) and posted once no new one has arrived for ``settle`` seconds, so a burst that
the engine's lock let through in any order (0,6,1,7,…) is posted 0,1,2,…. Closing a ticket takes the
same per-user lock as the engine (and posts what is still queued first), so a message sent as the
ticket closes is either relayed before 「closed」 or answered by the bot — never lost in between.

While a ticket is open the bot stays silent and relays (the engine middleware below runs before the
dialogue, under the user's lock); on close the user gets a closing line and is back with the bot, with
the flow where it was.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Mapping, Protocol
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis
from redis.exceptions import LockError

from bot import channels, keys
from bot.channels import Outputs
from bot.i18n import Translator
from bot.messages import Incoming, Option, Reply, Text, Turn
from bot.privacy import carry_of, mask
from bot.sessions import DamagedValue, Session, SessionKey, load_pointer

log = logging.getLogger(__name__)

RECENT_LIMIT = 6  # user messages attached to a new ticket
RECENT_CHARS = 200  # … each cut to this, saying so
EVENTS = keys.HANDOFF_EVENTS  # pub/sub: the id of a ticket whose status or transcript just changed
CANCEL_WORDS = {"取消", "取消人工", "结束人工", "不用人工了", "退出人工", "cancel", "/cancel", "stop"}


# WeChat refuses these until the user writes again (45015: 48 hours passed; 45047: too many messages since
# the user's last one): the ticket stays with its operator, marked waiting for the user, and the reply is held.
WAIT_FOR_USER = ("window_expired", "quota_exceeded")


class UserBusy(RuntimeError):
    """The user's lock stayed taken (a message of theirs is being handled); try again."""


class Desk(Protocol):
    """Where operators see tickets (the Telegram forum desk); optional."""

    async def ticket_opened(self, ticket: "Ticket", summary: str) -> None: ...

    async def user_message(self, ticket: "Ticket", text: str, user_msg_id: str) -> None: ...

    async def note(self, ticket: "Ticket", text: str) -> None: ...

    async def ticket_closed(self, ticket: "Ticket", text: str) -> None: ...


@dataclass
class Ticket:
    id: str
    channel: str
    user_id: str
    chat_id: str
    status: str = "queued"
    locale: str = "zh-CN"
    created_at: float = 0.0
    operator: str = ""
    topic_id: str = ""
    closed_reason: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    waiting: str = ""  # why the ticket waits for the user to write again (window_expired, quota_exceeded)

    @property
    def key(self) -> SessionKey:
        return SessionKey(self.channel, self.user_id)

    def to_hash(self) -> dict[str, str]:
        return {
            "id": self.id, "channel": self.channel, "user_id": self.user_id, "chat_id": self.chat_id,
            "status": self.status, "locale": self.locale, "created_at": repr(self.created_at),
            "operator": self.operator, "topic_id": self.topic_id, "closed_reason": self.closed_reason,
            "context": json.dumps(self.context, ensure_ascii=False), "waiting": self.waiting,
        }

    @classmethod
    def from_hash(cls, h: Mapping[str, str]) -> "Ticket":
        return cls(
            id=h["id"], channel=h["channel"], user_id=h["user_id"], chat_id=h["chat_id"], status=h["status"],
            locale=h.get("locale", "zh-CN"), created_at=float(h.get("created_at", 0)),
            operator=h.get("operator", ""), topic_id=h.get("topic_id", ""),
            closed_reason=h.get("closed_reason", ""), context=json.loads(h.get("context") or "{}"),
            waiting=h.get("waiting", ""),
        )

    def public(self) -> dict[str, Any]:
        """The ticket as the operator API shows it."""
        return {**self.to_hash(), "created_at": self.created_at, "context": self.context}


# KEYS: ticket, queue  ARGV: id, operator → 'ok' | 'mine' (already this operator's) | 'taken:<op>' | 'closed' | 'missing'
_CLAIM = """
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return 'missing' end
if st == 'closed' then return 'closed' end
local op = redis.call('HGET', KEYS[1], 'operator')
if st == 'assigned' and op == ARGV[2] then return 'mine' end
if st == 'assigned' and op ~= ARGV[2] then return 'taken:' .. op end
redis.call('HSET', KEYS[1], 'status', 'assigned', 'operator', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
return 'ok'
"""

# KEYS: ticket, queue, open  ARGV: id, reason → 1 closed now | 0 already closed/missing
_CLOSE = """
local st = redis.call('HGET', KEYS[1], 'status')
if not st or st == 'closed' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'closed', 'closed_reason', ARGV[2], 'closed_at', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
"""

# KEYS: user pointer  ARGV: id — drop the pointer if it still names this ticket (a damaged one too).
_DROP_POINTER = """
local p = redis.call('GET', KEYS[1])
if not p then return 0 end
local ok, d = pcall(cjson.decode, p)
if ok and type(d) == 'table' and tostring(d['ticket']) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
"""


# KEYS: outbox, taken-by-this-message  ARGV: ttl — what this message took before, plus what is new.
_TAKE_OUTBOX = """
local new = redis.call('LRANGE', KEYS[1], 0, -1)
if #new > 0 then
  redis.call('RPUSH', KEYS[2], unpack(new))
  redis.call('DEL', KEYS[1])
end
local all = redis.call('LRANGE', KEYS[2], 0, -1)
if #all > 0 then redis.call('EXPIRE', KEYS[2], ARGV[1]) end
return all
"""

# KEYS: transcript, then the other keys of the ticket (ticket, held, relay[, topic])   ARGV: entry, events
# channel, ticket id, retention — every event on a ticket keeps it (and its maps) for the retention from now.
_LOG = """
redis.call('RPUSH', KEYS[1], ARGV[1])
for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[4]) end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
"""


@dataclass(frozen=True)
class WorkingHours:
    """e.g. "Mon-Fri 09:00-17:30, Sat 09:00-12:00" in ``tz``."""

    spec: str
    tz: str = "Asia/Shanghai"

    _DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    _PART = re.compile(r"^\s*(\w{3})(?:-(\w{3}))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s*$")

    def windows(self) -> list[tuple[set[int], int, int]]:
        out = []
        for part in filter(None, (p.strip() for p in self.spec.split(","))):
            m = self._PART.match(part.lower())
            if not m or m.group(1) not in self._DAYS or (m.group(2) and m.group(2) not in self._DAYS):
                raise ValueError(f"cannot read working hours {part!r}; use e.g. 'Mon-Fri 09:00-17:30'")
            a = self._DAYS.index(m.group(1))
            b = self._DAYS.index(m.group(2)) if m.group(2) else a
            days = set(range(a, b + 1)) if a <= b else set(range(a, 7)) | set(range(0, b + 1))
            out.append((days, int(m.group(3)) * 60 + int(m.group(4)), int(m.group(5)) * 60 + int(m.group(6))))
        return out

    def open_at(self, ts: float) -> bool:
        now = datetime.fromtimestamp(ts, ZoneInfo(self.tz))
        minute = now.hour * 60 + now.minute
        return any(now.weekday() in days and start <= minute < end for days, start, end in self.windows())


class HandoffService:
    def __init__(
        self,
        redis: aioredis.Redis,
        translator: Translator,
        *,
        hours: WorkingHours,
        hotline: str = "12333",
        clock: Callable[[], float] = time.time,
        lock_ttl_ms: int = 10_000,
        lock_wait: float = 8.0,
        settle: float = 0.3,
        max_hold: float = 2.0,
        retention: float = keys.HANDOFF_RETENTION,
        outputs: Outputs | None = None,
    ) -> None:
        self.redis = redis
        self.tr = translator
        self.hours = hours
        self.hotline = hotline
        self.clock = clock
        self.lock_ttl_ms = lock_ttl_ms
        self.lock_wait = lock_wait
        self.settle = settle  # quiet time before queued user messages go to the desk, in order
        self.max_hold = max_hold  # … but never held longer than this while more keep coming
        self.retention = int(retention)  # seconds a ticket and its keys live after their last activity
        self.outputs = outputs if outputs is not None else Outputs()  # relays leave through these (bot/channels.py)
        self.desk: Desk | None = None
        self._claim = redis.register_script(_CLAIM)
        self._close = redis.register_script(_CLOSE)
        self._drop_pointer = redis.register_script(_DROP_POINTER)
        self._take_outbox = redis.register_script(_TAKE_OUTBOX)
        self._log_script = redis.register_script(_LOG)
        self._arrivals: dict[str, int] = {}
        self._flushers: dict[str, asyncio.Task[None]] = {}

    # -- wiring --------------------------------------------------------------------------------------
    def pushes(self, channel: str) -> bool:
        """True when replies reach this channel's users at once; False: they wait in the outbox for the
        user's next message (the console, or a channel without a registered output)."""
        out = self.outputs.get(channel)
        return out is not None and out.pushes

    async def queue_outbox(self, channel: str, user_id: str, text: str) -> None:
        """For outputs without push (the console): keep ``text`` for the user's next message."""
        outbox = keys.outbox(channel, user_id)
        pipe = self.redis.pipeline(transaction=True)  # the user's slot
        pipe.rpush(outbox, text)
        pipe.expire(outbox, keys.OUTBOX_TTL)
        await pipe.execute()

    # -- reading ---------------------------------------------------------------------------------------
    async def get(self, ticket_id: str) -> Ticket | None:
        h = await self.redis.hgetall(keys.ticket(ticket_id))
        return Ticket.from_hash(h) if h else None

    async def position(self, ticket_id: str) -> int | None:
        rank = await self.redis.zrank(keys.HANDOFF_QUEUE, ticket_id)
        return None if rank is None else rank + 1

    async def open_tickets(self) -> list[Ticket]:
        ids = await self.redis.zrange(keys.HANDOFF_OPEN, 0, -1)
        tickets = [await self.get(i) for i in ids]
        gone = [i for i, t in zip(ids, tickets, strict=True) if t is None]
        if gone:  # expired after `retention` without activity: they leave the queue too
            pipe = self.redis.pipeline(transaction=True)
            pipe.zrem(keys.HANDOFF_QUEUE, *gone)
            pipe.zrem(keys.HANDOFF_OPEN, *gone)
            await pipe.execute()
        return [t for t in tickets if t is not None]

    async def transcript(self, ticket_id: str) -> list[dict[str, Any]]:
        return [json.loads(x) for x in await self.redis.lrange(keys.ticket_log(ticket_id), 0, -1)]

    async def ticket_for_topic(self, topic_id: int | str) -> Ticket | None:
        tid = await self.redis.get(keys.desk_topic(topic_id))
        return await self.get(tid) if tid else None

    async def set_topic(self, ticket: Ticket, topic_id: int | str) -> None:
        """The desk made forum topic ``topic_id`` for this ticket: map it both ways, for as long as the ticket."""
        ticket.topic_id = str(topic_id)
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(keys.ticket(ticket.id), "topic_id", ticket.topic_id)
        pipe.set(keys.desk_topic(ticket.topic_id), ticket.id, ex=self.retention)
        await pipe.execute()

    async def forget_topic(self, ticket: Ticket) -> None:
        """The ticket's forum topic was deleted: unmap it (the desk makes a new one on its next post)."""
        if ticket.topic_id:
            pipe = self.redis.pipeline(transaction=True)
            pipe.delete(keys.desk_topic(ticket.topic_id))
            pipe.hset(keys.ticket(ticket.id), "topic_id", "")
            await pipe.execute()
        ticket.topic_id = ""

    # -- user side ---------------------------------------------------------------------------------------
    async def open(self, session: Session, msg: Incoming, reason: str) -> tuple[Ticket, int]:
        """Queue a ticket for this user (or return the open one) with the masked context attached."""
        key = SessionKey(msg.channel, msg.user_id)
        try:
            existing = load_pointer(await self.redis.get(key.key("handoff")) or "")
        except DamagedValue:
            existing = None
        if existing:
            ticket = await self.get(existing["ticket"])
            if ticket and ticket.status != "closed":
                return ticket, await self.position(ticket.id) or 0
        now = self.clock()
        ticket = Ticket(
            id=str(await self.redis.incr(keys.HANDOFF_SEQ)), channel=msg.channel, user_id=msg.user_id,
            chat_id=msg.chat_id, locale=session.locale, created_at=now,
            context={
                "reason": reason, "flow": session.flow, "state": session.state,
                "slots": {k: mask(str(v)) for k, v in session.slots.items()},
                "recent": list(session.data.get("recent", [])),
            },
        )
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(keys.ticket(ticket.id), mapping=ticket.to_hash())
        pipe.expire(keys.ticket(ticket.id), self.retention)
        pipe.zadd(keys.HANDOFF_QUEUE, {ticket.id: now})
        pipe.zadd(keys.HANDOFF_OPEN, {ticket.id: now})
        await pipe.execute()
        # The pointer is in the user's slot, so not in that transaction. Written after the ticket: a crash
        # in between leaves a queued ticket an operator can close, never a pointer to nothing.
        # "msg": the message that opened it, so a re-run of that message (lost lock) is not relayed as new.
        await self.redis.set(key.key("handoff"), json.dumps({"ticket": ticket.id, "msg": msg.message_id}),
                             ex=keys.HANDOFF_POINTER_TTL)
        await self._log(ticket.id, "system", f"opened: {reason}")
        if self.desk is not None:
            try:
                await self.desk.ticket_opened(ticket, self.summary(ticket))
            except Exception:
                log.exception("desk could not show ticket %s; it stays queued for the HTTP API", ticket.id)
        return ticket, await self.position(ticket.id) or 0

    async def from_user(self, ticket: Ticket, msg: Incoming, masked: str | None = None) -> None:
        """Queue the user's (masked) message for the desk; it is posted in the user's order (see `flush`)."""
        text = masked if masked is not None else mask(msg.text or msg.payload or "")
        order = int(msg.message_id) if msg.message_id.isdigit() and len(msg.message_id) <= 20 \
            else int(self.clock() * 1_000_000)
        # Equal scores sort by member, so a zero-padded order key keeps 64-bit ids exact.
        member = f"{order:020d} " + json.dumps({"id": msg.message_id, "text": text}, ensure_ascii=False)
        # The user is active: the relay queue lives with the ticket, and the user's pointer is kept (two slots: a
        # plain pipeline, one round trip on a single Redis).
        pipe = self.redis.pipeline(transaction=False)
        pipe.zadd(keys.ticket_relay(ticket.id), {member: 0})
        pipe.expire(keys.ticket_relay(ticket.id), self.retention)
        pipe.expire(ticket.key.key("handoff"), keys.HANDOFF_POINTER_TTL)
        await pipe.execute()
        self._arrivals[ticket.id] = self._arrivals.get(ticket.id, 0) + 1
        task = self._flushers.get(ticket.id)
        if task is None or task.done():
            self._flushers[ticket.id] = asyncio.create_task(self._flush_later(ticket.id))

    async def _flush_later(self, ticket_id: str) -> None:
        loop = asyncio.get_running_loop()
        began = loop.time()
        try:
            while True:
                seen = self._arrivals.get(ticket_id, 0)
                await asyncio.sleep(self.settle)
                if self._arrivals.get(ticket_id, 0) != seen and loop.time() - began < self.max_hold:
                    continue  # more of the burst is arriving: let it settle
                seen = self._arrivals.get(ticket_id, 0)
                await self.flush(ticket_id)
                if self._arrivals.get(ticket_id, 0) == seen:
                    return
                began = loop.time()
        except Exception:
            log.exception("handoff: user messages of ticket %s not posted to the desk yet; "
                          "they go with the next message or the close", ticket_id)
        finally:
            if self._flushers.get(ticket_id) is asyncio.current_task():
                del self._flushers[ticket_id]
                self._arrivals.pop(ticket_id, None)

    async def flush(self, ticket_id: str) -> None:
        """Post the ticket's queued user messages to the transcript and the desk, oldest first. One flusher
        per ticket at a time (across workers); an entry leaves the queue only once it was posted."""
        key = keys.ticket_relay(ticket_id)
        async with self.redis.lock(keys.ticket_relay_lock(ticket_id), timeout=keys.RELAY_LOCK_TTL,
                                   blocking_timeout=10, sleep=0.01):
            ticket = None
            while True:
                first = await self.redis.zrange(key, 0, 0)
                if not first:
                    return
                ticket = ticket or await self.get(ticket_id)
                entry = json.loads(first[0].split(" ", 1)[1])
                await self._log(ticket_id, "user", entry["text"], ticket=ticket)
                if self.desk is not None and ticket is not None:
                    await self.desk.user_message(ticket, entry["text"], entry["id"])
                await self.redis.zrem(key, first[0])

    async def drain(self, *_: object) -> None:
        """At shutdown: post what is still queued now instead of after the quiet time."""
        pending = list(self._flushers.items())
        for _, task in pending:
            task.cancel()
        for ticket_id, task in pending:
            await asyncio.gather(task, return_exceptions=True)
            try:
                await self.flush(ticket_id)
            except Exception:
                log.exception("handoff: queued user messages of ticket %s stay queued", ticket_id)

    def summary(self, ticket: Ticket) -> str:
        c = ticket.context
        lines = [f"#{ticket.id} · {ticket.channel} · {c.get('reason', '')}",
                 f"flow: {c.get('flow') or '-'} / {c.get('state') or '-'}",
                 "slots: " + (", ".join(f"{k}={v}" for k, v in (c.get("slots") or {}).items()) or "-")]
        if c.get("recent"):
            lines.append("recent: " + " | ".join(c["recent"]))
        return "\n".join(lines)

    # -- operator side -------------------------------------------------------------------------------------
    async def claim(self, ticket_id: str, operator: str) -> str:
        result = await self._claim(keys=[keys.ticket(ticket_id), keys.HANDOFF_QUEUE], args=[ticket_id, operator])
        if result == "ok":
            await self._log(ticket_id, "system", f"claimed by {operator}")
        return "ok" if result == "mine" else result  # each reply claims: log the first claim only

    async def reply(self, ticket_id: str, operator: str, text: str) -> str:
        """Relay an operator's text to the user: 'delivered' | 'queued_outbox' | 'closed' | 'missing' |
        'taken:<op>' | 'window_expired' | 'blocked' | 'failed'."""
        claimed = await self.claim(ticket_id, operator)
        if claimed != "ok":
            return claimed
        ticket = await self.get(ticket_id)
        assert ticket is not None
        await self._log(ticket_id, "operator", mask(text), ticket=ticket, operator=operator)
        return await self._deliver(ticket, self._operator_says(text, ticket.locale))

    def _operator_says(self, text: str, locale: str) -> str:
        return self.tr.text(Text("handoff-operator-says", {"text": text}), locale)

    def _user_lock(self, key: SessionKey):  # noqa: ANN202 — redis.asyncio.lock.Lock
        """The engine's own per-user lock. The engine takes ``bot:{<channel>:<user>}:lock`` with SET NX PX
        <random token> and frees it by compare-and-delete — the protocol of redis-py's Lock, so holding
        this keeps the user's messages out, and a message being handled keeps this waiting."""
        return self.redis.lock(key.key("lock"), timeout=self.lock_ttl_ms / 1000, sleep=0.01,
                               blocking_timeout=self.lock_wait)

    async def close(self, ticket_id: str, by: str, reason: str = "operator", *, text: str | None = None,
                    locked: bool = False) -> str:
        """Close the ticket under the user's lock (``locked``: the caller runs under it already, i.e. the
        engine's middleware). ``text``: the operator's last words, sent before the closing line.

        Returns "" when there was nothing to close (missing or closed already), else "closed" — or, with a
        ``text``, how that text fared ("delivered", "queued_outbox", "window_expired", …). Raises
        `UserBusy` when the user's lock stayed taken for ``lock_wait``."""
        ticket = await self.get(ticket_id)
        if ticket is None:
            return ""
        if locked:
            return await self._close_locked(ticket, by, reason, text)
        lock = self._user_lock(ticket.key)
        if not await lock.acquire():
            raise UserBusy(f"user of ticket {ticket_id} busy")
        try:
            return await self._close_locked(ticket, by, reason, text)
        finally:
            try:
                await lock.release()
            except LockError:
                log.warning("handoff: the user lock expired while closing ticket %s", ticket_id)

    async def _close_locked(self, ticket: Ticket, by: str, reason: str, text: str | None) -> str:
        ticket_id = ticket.id
        await self.flush(ticket_id)  # what the user said before the close reaches the desk before 「closed」
        closed = await self._close(
            keys=[keys.ticket(ticket_id), keys.HANDOFF_QUEUE, keys.HANDOFF_OPEN],
            args=[ticket_id, reason, repr(self.clock())],
        )
        await self._drop_pointer(keys=[ticket.key.key("handoff")], args=[ticket_id])  # user's slot: a 2nd call
        if not closed:
            return ""
        await self._log(ticket_id, "system", f"closed by {by} ({reason})", ticket=ticket)
        ticket.status, ticket.closed_reason = "closed", reason
        result = "closed"
        if text and text.strip():
            await self._log(ticket_id, "operator", mask(text), ticket=ticket, operator=by)
            result = await self._deliver(ticket, self._operator_says(text, ticket.locale))
        if reason != "user_cancelled":
            await self._deliver(ticket, self.tr.text(Text("handoff-closed-user"), ticket.locale))
        await self.redis.delete(keys.ticket_held(ticket_id))
        if self.desk is not None:
            try:
                await self.desk.ticket_closed(ticket, f"#{ticket_id} closed by {by} ({reason})")
            except Exception:
                log.exception("desk could not mark ticket %s closed", ticket_id)
        return result

    async def _deliver(self, ticket: Ticket, text: str) -> str:
        output = self.outputs.get(ticket.channel)
        if output is None or not output.pushes:  # console: picked up with the user's next message
            if output is None:
                await self.queue_outbox(ticket.channel, ticket.user_id, text)
            else:
                await output.send(ticket.user_id, text, chat=ticket.chat_id)
            return "queued_outbox"
        try:
            await output.send(ticket.user_id, text, chat=ticket.chat_id)
            return "delivered"
        except channels.DeliveryFailed as e:
            await self._log(ticket.id, "system", f"delivery failed: {e.reason}", ticket=ticket)
            if e.reason in WAIT_FOR_USER and ticket.status != "closed":
                # WeChat takes it once the user writes again: hold it, and mark the ticket as waiting.
                # (Two keys of different slots in Redis Cluster: a plain pipeline, not a transaction.)
                pipe = self.redis.pipeline(transaction=False)
                pipe.rpush(keys.ticket_held(ticket.id), e.remaining or text)
                pipe.expire(keys.ticket_held(ticket.id), self.retention)
                pipe.hset(keys.ticket(ticket.id), "waiting", e.reason)
                await pipe.execute()
            if self.desk is not None:
                await self.desk.note(ticket, self._failure_note(e.reason))
            return e.reason

    async def take_held(self, ticket: Ticket) -> list[str]:
        """The user wrote again: the replies WeChat refused until now, and the ticket no longer waits."""
        held = await self.redis.lrange(keys.ticket_held(ticket.id), 0, -1)
        if held:  # LTRIM past what was read: a reply held meanwhile stays for the next message
            await self.redis.ltrim(keys.ticket_held(ticket.id), len(held), -1)
        await self.redis.hset(keys.ticket(ticket.id), "waiting", "")
        if held and self.desk is not None:
            await self.desk.note(ticket, f"ℹ the user wrote again: {len(held)} held repl"
                                         f"{'y' if len(held) == 1 else 'ies'} delivered with this message.")
        return held

    def _failure_note(self, reason: str) -> str:
        return {
            "window_expired": "⚠ not delivered yet: WeChat's 48-hour customer-service window has passed "
                              "(errcode 45015). The reply is held and goes out when the user writes again; "
                              "the ticket waits for the user.",
            "quota_exceeded": "⚠ not delivered yet: WeChat allows only a limited number of customer-service "
                              "messages per message of the user (errcode 45047). The reply is held and goes "
                              "out when the user writes again; the ticket waits for the user.",
            "blocked": "⚠ not delivered: the user has blocked the bot.",
        }.get(reason, f"⚠ not delivered ({reason}).")

    async def take_outbox(self, channel: str, user_id: str, message_id: str = "") -> list[str]:
        """The operator replies waiting for this user. Taken for ``message_id``: if that message's run is
        repeated (its lock was lost before it could save), the repeat gets the same replies, not nothing."""
        names = [keys.outbox(channel, user_id), keys.outbox_taken(channel, user_id, message_id)]
        return await self._take_outbox(keys=names, args=[keys.OUTBOX_TAKEN_TTL])

    async def _log(self, ticket_id: str, who: str, text: str, *, ticket: Ticket | None = None, **extra: Any) -> None:
        """Append to the transcript and keep the ticket's keys for `retention` from now (``ticket``, when the
        caller has it: its desk topic map too)."""
        entry = json.dumps({"at": self.clock(), "who": who, "text": text, **extra}, ensure_ascii=False)
        names = [keys.ticket_log(ticket_id), keys.ticket(ticket_id), keys.ticket_held(ticket_id),
                 keys.ticket_relay(ticket_id)]
        if ticket is not None and ticket.topic_id:
            names.append(keys.desk_topic(ticket.topic_id))
        # One round trip: the entry, the expiry, and a note on EVENTS so web consoles refresh this ticket at
        # once (a script, not a pipeline: redis-py's cluster pipeline refuses PUBLISH).
        await self._log_script(keys=names, args=[entry, EVENTS, ticket_id, self.retention])


class HandoffMiddleware:
    """The engine side: open tickets on request (or after two misunderstandings), relay while open."""

    def __init__(self, service: HandoffService) -> None:
        self.service = service

    async def before(self, session: Session, msg: Incoming) -> Turn | None:
        # Masked with what the previous message left open, so an ID split over two messages is caught.
        text = mask(msg.text or "", session.data.get("pii_carry", 0))
        session.data["pii_carry"] = carry_of(msg.text)
        if not session.data["pii_carry"]:
            del session.data["pii_carry"]
        if text:
            recent = session.data.setdefault("recent", [])
            recent.append(text if len(text) <= RECENT_CHARS else text[:RECENT_CHARS] + "…(cut)")
            del recent[:-RECENT_LIMIT]
        # Only channels that cannot push keep an outbox; the others cost no extra round trip here.
        outbox = [] if self.service.pushes(msg.channel) else await self.service.take_outbox(
            msg.channel, msg.user_id, msg.message_id)
        if not session.handoff or session.handoff.get("msg") == msg.message_id:
            # (the second case: this very message opened the ticket in a run whose save failed; it runs
            # again and `open` answers with the same ticket — one ticket, and the user hears about it)
            if outbox:  # replies that arrived after the ticket closed, for channels that cannot push
                session.data["outbox"] = outbox
            return None
        ticket = await self.service.get(session.handoff["ticket"])
        if ticket is None or ticket.status == "closed":
            session.handoff = None
            return None
        session.step += 1
        replies = [Reply((Text("handoff-relayed", {"text": t}),)) for t in outbox]
        if ticket.waiting:  # WeChat let no reply through until now: this message's answer carries them
            replies += [Reply((Text("handoff-relayed", {"text": t}),)) for t in await self.service.take_held(ticket)]
        if msg.payload == "cmd:handoff_cancel" or (msg.text or "").strip().lower() in CANCEL_WORDS:
            await self.service.close(ticket.id, by="user", reason="user_cancelled", locked=True)
            session.handoff = None
            replies.append(Reply((Text("handoff-cancelled"),), (Option("cmd:menu", Text("opt-menu")),)))
            return Turn(tuple(replies), session.locale, session.step, session.flow, session.state,
                        dict(session.slots), intent="handoff_cancelled")
        await self.service.from_user(ticket, msg, text or mask(msg.payload or ""))
        return Turn(tuple(replies), session.locale, session.step, session.flow, session.state,
                    dict(session.slots), intent="handoff_relay", handoff=True)

    async def after(self, session: Session, msg: Incoming, turn: Turn) -> Turn:
        outbox = session.data.pop("outbox", None)
        requested = any(e.get("type") == "handoff_requested" for e in turn.effects)
        stuck = session.misunderstood >= 2 and turn.intent == "unknown"
        if not (requested or stuck):
            if outbox:
                extra = tuple(Reply((Text("handoff-relayed", {"text": t}),)) for t in outbox)
                return _with_replies(turn, extra + turn.replies)
            return turn
        ticket, position = await self.service.open(session, msg, "requested" if requested else "not_understood")
        session.handoff = {"ticket": ticket.id}
        session.misunderstood = 0
        texts = [Text("handoff-queued", {"ahead": max(position - 1, 0), "ticket": ticket.id})]
        if not self.service.hours.open_at(self.service.clock()):
            texts.append(Text("handoff-after-hours", {"hours": self.service.hours.spec,
                                                      "hotline": self.service.hotline}))
        texts.append(Text("handoff-how-to-cancel"))
        reply = Reply(tuple(texts), (Option("cmd:handoff_cancel", Text("opt-handoff-cancel")),))
        return Turn((reply,), turn.locale, turn.step, turn.flow, turn.state, turn.slots,
                    intent="handoff", handoff=True, effects=turn.effects)


def _with_replies(turn: Turn, replies: tuple[Reply, ...]) -> Turn:
    return Turn(replies, turn.locale, turn.step, turn.flow, turn.state, turn.slots, turn.intent, turn.handoff,
                turn.effects)

"""Operator handoff: a ticket per request, a queue, and a two-way relay between the user's channel and the
operator desk (a Telegram forum supergroup and/or the operator HTTP API).

Ticket lifecycle: queued → assigned → closed (claim and close are Lua scripts, so two operators racing for
one ticket get one winner). Explicit mappings in Redis, never parsed from message text:

    bot:{handoff}:ticket:<id>          HASH   the ticket (channel, user, chat, status, operator, topic, context)
    bot:{handoff}:queue                ZSET   queued ticket ids by creation time (the queue position)
    bot:{handoff}:open                 ZSET   queued + assigned ticket ids
    bot:{<channel>:<user>}:handoff     STRING the user's active ticket (read by the engine's begin script)
    bot:{handoff}:topic:<thread id>    STRING desk forum topic → ticket id
    bot:{handoff}:msgs:<id>            HASH   relayed message pairs: "u:<user msg id>" ↔ "d:<desk msg id>"
    bot:{handoff}:log:<id>             LIST   the transcript, PII masked
    bot:{handoff}:outbox:<channel>:<user>  LIST   operator replies for channels that cannot push (console, web)
    bot:{handoff}:outbox:<channel>:<user>:taken:<msg id>  LIST  the replies a message took (for its re-runs)
    bot:{handoff}:relayed:<id>         HASH   user message ids already relayed to the desk (once each)

``{handoff}`` is a Redis Cluster hash tag: the desk's keys share one slot, so the claim/close scripts and
the open transaction work on a cluster; the user's pointer lives in the user's slot (next to the session)
and is written and removed by separate single-slot calls.

While a ticket is open the bot stays silent and relays (the engine middleware below runs before the
dialogue, under the user's lock); on close the user gets a closing line and is back with the bot, with
the flow where it was.
"""
from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Awaitable, Callable, Mapping, Protocol
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.i18n import Translator
from bot.messages import Incoming, Option, Reply, Text, Turn
from bot.privacy import mask
from bot.sessions import DamagedValue, Session, SessionKey, load_pointer

log = logging.getLogger(__name__)

P = "bot:{handoff}:"
RECENT_LIMIT = 6  # user messages attached to a new ticket
POINTER_TTL = 7 * 24 * 3600
CANCEL_WORDS = {"取消", "取消人工", "结束人工", "不用人工了", "退出人工", "cancel", "/cancel", "stop"}


class DeliveryFailed(Exception):
    """A message could not reach the user. ``reason``: window_expired | blocked | unsupported | error."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


# A sender delivers one text to a user of its channel; raises DeliveryFailed.
Sender = Callable[[str, str], Awaitable[None]]


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

    @property
    def key(self) -> SessionKey:
        return SessionKey(self.channel, self.user_id)

    def to_hash(self) -> dict[str, str]:
        return {
            "id": self.id, "channel": self.channel, "user_id": self.user_id, "chat_id": self.chat_id,
            "status": self.status, "locale": self.locale, "created_at": repr(self.created_at),
            "operator": self.operator, "topic_id": self.topic_id, "closed_reason": self.closed_reason,
            "context": json.dumps(self.context, ensure_ascii=False),
        }

    @classmethod
    def from_hash(cls, h: Mapping[str, str]) -> "Ticket":
        return cls(
            id=h["id"], channel=h["channel"], user_id=h["user_id"], chat_id=h["chat_id"], status=h["status"],
            locale=h.get("locale", "zh-CN"), created_at=float(h.get("created_at", 0)),
            operator=h.get("operator", ""), topic_id=h.get("topic_id", ""),
            closed_reason=h.get("closed_reason", ""), context=json.loads(h.get("context") or "{}"),
        )

    def public(self) -> dict[str, Any]:
        """The ticket as the operator API shows it."""
        return {**self.to_hash(), "created_at": self.created_at, "context": self.context}


# KEYS: ticket, queue  ARGV: id, operator → 'ok' | 'taken:<op>' | 'closed' | 'missing'
_CLAIM = """
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return 'missing' end
if st == 'closed' then return 'closed' end
local op = redis.call('HGET', KEYS[1], 'operator')
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
OUTBOX_TAKEN_TTL = 3600


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
    ) -> None:
        self.redis = redis
        self.tr = translator
        self.hours = hours
        self.hotline = hotline
        self.clock = clock
        self.senders: dict[str, Sender] = {}
        self.desk: Desk | None = None
        self._claim = redis.register_script(_CLAIM)
        self._close = redis.register_script(_CLOSE)
        self._drop_pointer = redis.register_script(_DROP_POINTER)
        self._take_outbox = redis.register_script(_TAKE_OUTBOX)

    # -- wiring --------------------------------------------------------------------------------------
    def register_sender(self, channel: str, sender: Sender) -> None:
        self.senders[channel] = sender

    # -- reading ---------------------------------------------------------------------------------------
    async def get(self, ticket_id: str) -> Ticket | None:
        h = await self.redis.hgetall(f"{P}ticket:{ticket_id}")
        return Ticket.from_hash(h) if h else None

    async def position(self, ticket_id: str) -> int | None:
        rank = await self.redis.zrank(f"{P}queue", ticket_id)
        return None if rank is None else rank + 1

    async def open_tickets(self) -> list[Ticket]:
        ids = await self.redis.zrange(f"{P}open", 0, -1)
        tickets = [await self.get(i) for i in ids]
        return [t for t in tickets if t is not None]

    async def transcript(self, ticket_id: str) -> list[dict[str, Any]]:
        return [json.loads(x) for x in await self.redis.lrange(f"{P}log:{ticket_id}", 0, -1)]

    async def ticket_for_topic(self, topic_id: int | str) -> Ticket | None:
        tid = await self.redis.get(f"{P}topic:{topic_id}")
        return await self.get(tid) if tid else None

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
            id=str(await self.redis.incr(f"{P}seq")), channel=msg.channel, user_id=msg.user_id,
            chat_id=msg.chat_id, locale=session.locale, created_at=now,
            context={
                "reason": reason, "flow": session.flow, "state": session.state,
                "slots": {k: mask(str(v)) for k, v in session.slots.items()},
                "recent": list(session.data.get("recent", [])),
            },
        )
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(f"{P}ticket:{ticket.id}", mapping=ticket.to_hash())
        pipe.zadd(f"{P}queue", {ticket.id: now})
        pipe.zadd(f"{P}open", {ticket.id: now})
        await pipe.execute()
        # The pointer is in the user's slot, so not in that transaction. Written after the ticket: a crash
        # in between leaves a queued ticket an operator can close, never a pointer to nothing.
        # "msg": the message that opened it, so a re-run of that message (lost lock) is not relayed as new.
        await self.redis.set(key.key("handoff"), json.dumps({"ticket": ticket.id, "msg": msg.message_id}),
                             ex=POINTER_TTL)
        await self._log(ticket.id, "system", f"opened: {reason}")
        if self.desk is not None:
            try:
                await self.desk.ticket_opened(ticket, self.summary(ticket))
            except Exception:
                log.exception("desk could not show ticket %s; it stays queued for the HTTP API", ticket.id)
        return ticket, await self.position(ticket.id) or 0

    async def from_user(self, ticket: Ticket, msg: Incoming) -> None:
        # Once per message: a run repeated after a lost lock must not relay it to the desk again.
        pipe = self.redis.pipeline(transaction=False)
        pipe.hsetnx(f"{P}relayed:{ticket.id}", msg.message_id, "1")
        pipe.expire(f"{P}relayed:{ticket.id}", POINTER_TTL)
        first, _ = await pipe.execute()
        if not first:
            return
        text = mask(msg.text or msg.payload or "")
        await self._log(ticket.id, "user", text)
        if self.desk is not None:
            await self.desk.user_message(ticket, text, msg.message_id)

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
        result = await self._claim(keys=[f"{P}ticket:{ticket_id}", f"{P}queue"], args=[ticket_id, operator])
        if result == "ok":
            await self._log(ticket_id, "system", f"claimed by {operator}")
        return result

    async def reply(self, ticket_id: str, operator: str, text: str) -> str:
        """Relay an operator's text to the user: 'delivered' | 'queued_outbox' | 'closed' | 'missing' |
        'taken:<op>' | 'window_expired' | 'blocked' | 'failed'."""
        claimed = await self.claim(ticket_id, operator)
        if claimed != "ok":
            return claimed
        ticket = await self.get(ticket_id)
        assert ticket is not None
        await self._log(ticket_id, "operator", mask(text), operator=operator)
        return await self._deliver(ticket, self.tr.text(Text("handoff-operator-says", {"text": text}), ticket.locale))

    async def close(self, ticket_id: str, by: str, reason: str = "operator") -> bool:
        ticket = await self.get(ticket_id)
        if ticket is None:
            return False
        closed = await self._close(
            keys=[f"{P}ticket:{ticket_id}", f"{P}queue", f"{P}open"], args=[ticket_id, reason, repr(self.clock())],
        )
        await self._drop_pointer(keys=[ticket.key.key("handoff")], args=[ticket_id])  # user's slot: a 2nd call
        if not closed:
            return False
        await self._log(ticket_id, "system", f"closed by {by} ({reason})")
        ticket.status, ticket.closed_reason = "closed", reason
        if reason != "user_cancelled":
            await self._deliver(ticket, self.tr.text(Text("handoff-closed-user"), ticket.locale))
        if self.desk is not None:
            try:
                await self.desk.ticket_closed(ticket, f"#{ticket_id} closed by {by} ({reason})")
            except Exception:
                log.exception("desk could not mark ticket %s closed", ticket_id)
        return True

    async def _deliver(self, ticket: Ticket, text: str) -> str:
        sender = self.senders.get(ticket.channel)
        if sender is None:  # console / web: picked up with the user's next message
            await self.redis.rpush(f"{P}outbox:{ticket.channel}:{ticket.user_id}", text)
            return "queued_outbox"
        try:
            await sender(ticket.chat_id, text)
            return "delivered"
        except DeliveryFailed as e:
            await self._log(ticket.id, "system", f"delivery failed: {e.reason}")
            if self.desk is not None:
                await self.desk.note(ticket, self._failure_note(e.reason))
            return e.reason

    def _failure_note(self, reason: str) -> str:
        return {
            "window_expired": "⚠ not delivered: WeChat's 48-hour customer-service window has passed; "
                              "the user must write again before they can be answered.",
            "blocked": "⚠ not delivered: the user has blocked the bot.",
        }.get(reason, f"⚠ not delivered ({reason}).")

    async def take_outbox(self, channel: str, user_id: str, message_id: str = "") -> list[str]:
        """The operator replies waiting for this user. Taken for ``message_id``: if that message's run is
        repeated (its lock was lost before it could save), the repeat gets the same replies, not nothing."""
        key = f"{P}outbox:{channel}:{user_id}"
        return await self._take_outbox(keys=[key, f"{key}:taken:{message_id}"], args=[OUTBOX_TAKEN_TTL])

    async def _log(self, ticket_id: str, who: str, text: str, **extra: Any) -> None:
        entry = json.dumps({"at": self.clock(), "who": who, "text": text, **extra}, ensure_ascii=False)
        await self.redis.rpush(f"{P}log:{ticket_id}", entry)


class HandoffMiddleware:
    """The engine side: open tickets on request (or after two misunderstandings), relay while open."""

    def __init__(self, service: HandoffService) -> None:
        self.service = service

    async def before(self, session: Session, msg: Incoming) -> Turn | None:
        text = mask(msg.text or "")
        if text:
            recent = session.data.setdefault("recent", [])
            recent.append(text[:200])
            del recent[:-RECENT_LIMIT]
        # Only channels that cannot push keep an outbox; the others cost no extra round trip here.
        outbox = [] if msg.channel in self.service.senders else await self.service.take_outbox(
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
        if msg.payload == "cmd:handoff_cancel" or (msg.text or "").strip().lower() in CANCEL_WORDS:
            await self.service.close(ticket.id, by="user", reason="user_cancelled")
            session.handoff = None
            replies.append(Reply((Text("handoff-cancelled"),), (Option("cmd:menu", Text("opt-menu")),)))
            return Turn(tuple(replies), session.locale, session.step, session.flow, session.state,
                        dict(session.slots), intent="handoff_cancelled")
        await self.service.from_user(ticket, msg)
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

"""Announcements in Redis: records, per-target delivery state, the work stream, subscriptions.

Key layout under ``prefix`` (``ANNOUNCE_KEY_PREFIX``, default ``bot:{ann}``): `bot.keys.Announcements`, which
builds every name (the jobs stream carries batches {a: id, t: "tg:1@en tg:2@zh-CN …"}, consumer group
"workers"; subs/chats rows are {"user_id" | "kind", "title", "locale", "since"}).

The prefix always carries a Redis Cluster hash tag (``bot:{ann}``; a prefix without one gets its last part
wrapped, see `bot.keys.hash_tagged`): the scripts touch several of these keys at once, and the expansion lease
builds key names from the prefix, so on a cluster they must all live in one slot.

Target state, changed only by the `_TARGET` script (so counters and states never disagree):

    p              pending
    s|{worker}|{t} a worker claimed it and may be calling the API right now
    ok|{msg_id}    sent
    f              failed for good (reason in :why) — 403, bad request, retries exhausted
    u|{worker}     unknown: the worker stopped mid-call, the platform may or may not have it; never resent
                   automatically (`requeue_unknown` is the operator's explicit decision)
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable

import redis.asyncio as aioredis
from redis.exceptions import ResponseError

from bot import keys

GROUP = "workers"

BUCKETS = ("pending", "sending", "sent", "failed", "unknown")
STATUSES = ("scheduled", "expanding", "sending", "done", "cancelled")
TELEGRAM_TEXT_LIMIT = 4096  # https://core.telegram.org/bots/api#sendmessage

# KEYS: meta, st, n, why   ARGV: op, target, worker, value, reason
# ops: claim (p → s|worker|now) · finish (s|worker|… or u|worker → value) · orphan (exactly ARGV[4] → u|owner)
#      steal (exactly ARGV[4] → s|worker|now; only for idempotent targets) · requeue (u|… → p)
_TARGET = """
local function bucket(v)
  local k = string.match(v, '^[^|]*')
  if k == 'p' then return 'pending' elseif k == 's' then return 'sending' elseif k == 'ok' then return 'sent'
  elseif k == 'f' then return 'failed' else return 'unknown' end
end
local function now()
  local t = redis.call('TIME')
  return t[1] .. '.' .. string.format('%06d', t[2])
end
local function move(target, old, new, reason)
  redis.call('HSET', KEYS[2], target, new)
  local a, b = bucket(old), bucket(new)
  if a ~= b then
    redis.call('HINCRBY', KEYS[3], a, -1)
    redis.call('HINCRBY', KEYS[3], b, 1)
  end
  if reason ~= '' then redis.call('HSET', KEYS[4], target, reason) end
  if tonumber(redis.call('HGET', KEYS[3], 'pending') or '0') <= 0
     and tonumber(redis.call('HGET', KEYS[3], 'sending') or '0') <= 0
     and redis.call('HGET', KEYS[1], 'status') == 'sending' then
    redis.call('HSET', KEYS[1], 'status', 'done', 'finished_at', now())
  end
end
local op, target, worker = ARGV[1], ARGV[2], ARGV[3]
local cur = redis.call('HGET', KEYS[2], target)
if not cur then return 'missing' end
if op == 'claim' then
  if redis.call('HGET', KEYS[1], 'status') == 'cancelled' then return 'cancelled' end
  if cur ~= 'p' then return cur end
  move(target, cur, 's|' .. worker .. '|' .. now(), '')
  return 'ok'
elseif op == 'finish' then
  if cur ~= 'u|' .. worker and string.sub(cur, 1, #worker + 3) ~= 's|' .. worker .. '|' then return cur end
  move(target, cur, ARGV[4], ARGV[5])
  return 'ok'
elseif op == 'orphan' then
  if cur ~= ARGV[4] then return cur end
  move(target, cur, 'u|' .. string.match(cur, '^s|([^|]*)'), ARGV[5])
  return 'ok'
elseif op == 'steal' then
  if redis.call('HGET', KEYS[1], 'status') == 'cancelled' then return 'cancelled' end
  if cur ~= ARGV[4] then return cur end
  move(target, cur, 's|' .. worker .. '|' .. now(), '')
  return 'ok'
elseif op == 'requeue' then
  if string.sub(cur, 1, 2) ~= 'u|' then return cur end
  redis.call('HDEL', KEYS[4], target)
  move(target, cur, 'p', '')
  return 'ok'
end
return redis.error_reply('unknown op ' .. op)
"""

# KEYS: meta, st, n, stream   ARGV: id, batch text ("tg:1@en tg:2@en …"), targets…
# Adds targets not seen before as pending; queues the ones still pending (a re-expansion after a crash may
# queue a target twice — harmless, the claim decides who sends).
_EXPAND = """
local queued = {}
for i = 3, #ARGV do
  local t = ARGV[i]
  if redis.call('HSETNX', KEYS[2], t, 'p') == 1 then
    redis.call('HINCRBY', KEYS[3], 'pending', 1)
    redis.call('HINCRBY', KEYS[1], 'total', 1)
  end
  if redis.call('HGET', KEYS[2], t) == 'p' then queued[#queued + 1] = t end
end
if #queued > 0 then redis.call('XADD', KEYS[4], '*', 'a', ARGV[1], 't', ARGV[2]) end
return #queued
"""

# KEYS: meta, n, due   ARGV: id
_EXPANDED = """
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('HGET', KEYS[1], 'status') ~= 'expanding' then return redis.call('HGET', KEYS[1], 'status') end
local t = redis.call('TIME')
local now = t[1] .. '.' .. string.format('%06d', t[2])
redis.call('HSET', KEYS[1], 'status', 'sending', 'started_at', now)
if tonumber(redis.call('HGET', KEYS[2], 'pending') or '0') <= 0
   and tonumber(redis.call('HGET', KEYS[2], 'sending') or '0') <= 0 then
  redis.call('HSET', KEYS[1], 'status', 'done', 'finished_at', now)
end
return redis.call('HGET', KEYS[1], 'status')
"""

# KEYS: due   ARGV: now, lease_until, worker, prefix
# Takes the oldest due announcement and pushes its due time to the lease end: if this worker dies while
# expanding, the announcement becomes due again and another worker expands it (idempotently).
_CLAIM_DUE = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #ids == 0 then return false end
local id = ids[1]
local meta = ARGV[4] .. ':a:' .. id
local status = redis.call('HGET', meta, 'status')
if status ~= 'scheduled' and status ~= 'expanding' then
  redis.call('ZREM', KEYS[1], id)
  return false
end
redis.call('ZADD', KEYS[1], ARGV[2], id)
redis.call('HSET', meta, 'status', 'expanding', 'expander', ARGV[3])
return id
"""

# KEYS: meta, due   ARGV: -   Cancels unless already finished.
_CANCEL = """
local s = redis.call('HGET', KEYS[1], 'status')
if not s then return false end
if s == 'done' or s == 'cancelled' then return s end
redis.call('HSET', KEYS[1], 'status', 'cancelled')
redis.call('ZREM', KEYS[2], string.match(KEYS[1], ':a:(%d+)$'))
return 'cancelled'
"""


class TargetError(ValueError):
    """A target spec that is not one of the documented forms."""


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """What an announcement is addressed to.

    ``telegram:subscribers`` (private users who sent /subscribe) · ``telegram:chats`` (every group and
    channel the bot administers) · ``telegram:chat:<id>`` · ``wechat:all`` · ``wechat:tag:<id>``.
    """

    kind: str  # subscribers | chats | chat | wechat_all | wechat_tag
    value: str = ""

    @classmethod
    def parse(cls, spec: str) -> "TargetSpec":
        s = spec.strip()
        if s == "telegram:subscribers":
            return cls("subscribers")
        if s == "telegram:chats":
            return cls("chats")
        if s.startswith("telegram:chat:"):
            chat = s.removeprefix("telegram:chat:")
            if not chat.lstrip("-").isdigit():
                raise TargetError(f"telegram:chat:<id> needs a numeric chat id, got {chat!r}")
            return cls("chat", str(int(chat)))
        if s == "wechat:all":
            return cls("wechat_all")
        if s.startswith("wechat:tag:"):
            tag = s.removeprefix("wechat:tag:")
            if not tag.isdigit():
                raise TargetError(f"wechat:tag:<id> needs a numeric tag id, got {tag!r}")
            return cls("wechat_tag", tag)
        raise TargetError(
            f"unknown target {spec!r}; use telegram:subscribers | telegram:chats | telegram:chat:<id> | "
            "wechat:all | wechat:tag:<id>"
        )

    def __str__(self) -> str:
        return {
            "subscribers": "telegram:subscribers",
            "chats": "telegram:chats",
            "chat": f"telegram:chat:{self.value}",
            "wechat_all": "wechat:all",
            "wechat_tag": f"wechat:tag:{self.value}",
        }[self.kind]


@dataclass
class Announcement:
    id: str
    target: str
    text: str = ""
    locale_id: str = ""
    status: str = "scheduled"
    created_at: float = 0.0
    at: float = 0.0
    created_by: str = ""
    total: int = 0
    started_at: float | None = None
    finished_at: float | None = None
    counts: dict[str, int] = field(default_factory=dict)
    duplicate: bool = False  # returned by `create` for a repeated idempotency key: nothing new was made

    @classmethod
    def from_hash(cls, h: dict[str, str], counts: dict[str, str] | None = None) -> "Announcement":
        def num(k: str) -> float | None:
            return float(h[k]) if h.get(k) else None

        return cls(
            id=h["id"], target=h["target"], text=h.get("text", ""), locale_id=h.get("locale_id", ""),
            status=h.get("status", ""), created_at=num("created_at") or 0.0, at=num("at") or 0.0,
            created_by=h.get("created_by", ""), total=int(h.get("total") or 0),
            started_at=num("started_at"), finished_at=num("finished_at"),
            counts={b: max(0, int((counts or {}).get(b) or 0)) for b in BUCKETS},
        )

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id, "target": self.target, "status": self.status,
            "text": self.text, "locale_id": self.locale_id, "created_by": self.created_by,
            "created_at": iso(self.created_at), "at": iso(self.at),
            "started_at": iso(self.started_at), "finished_at": iso(self.finished_at),
            "total": self.total, **self.counts,
        } | ({"duplicate": True} if self.duplicate else {})


def iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds") if ts else None


def chat_of(target: str) -> str:
    """The per-chat rate-limit key of a target: ``tg:-100123`` → ``-100123``, ``wx:all`` → ``wx``."""
    return target[3:] if target.startswith("tg:") else "wx"


class Store:
    """Every Redis operation on announcements, with the scripts above; one instance per process."""

    def __init__(self, redis: aioredis.Redis, prefix: str = keys.ANNOUNCE_PREFIX) -> None:
        self.keys = k = keys.Announcements(prefix)
        self.redis = redis
        self.p = k.prefix
        self.stream = k.jobs
        self.due = k.due
        self.index = k.index
        self.subs = k.subs
        self.chats = k.chats
        self._target = redis.register_script(_TARGET)
        self._expand = redis.register_script(_EXPAND)
        self._expanded = redis.register_script(_EXPANDED)
        self._claim_due = redis.register_script(_CLAIM_DUE)
        self._cancel = redis.register_script(_CANCEL)

    def meta(self, ann: str) -> str:
        return self.keys.meta(ann)

    def _keys(self, ann: str) -> list[str]:
        return self.keys.record(ann)

    def worker_key(self, worker: str) -> str:
        return self.keys.worker(worker)

    async def workers(self) -> list[dict[str, Any]]:
        """Running workers, from their heartbeat keys (a key expires when its worker stops beating)."""
        keys = [k async for k in self.redis.scan_iter(match=self.worker_key("*"), count=500)]
        values = await self.redis.mget(keys) if keys else []
        out = []
        for key, value in zip(keys, values, strict=True):
            if value is None:
                continue
            try:
                beat = json.loads(value)
            except ValueError:
                beat = {}
            if not isinstance(beat, dict):
                beat = {}
            out.append({"name": key[len(self.worker_key("")):], **beat})
        return sorted(out, key=lambda w: w["name"])

    # -- announcements ------------------------------------------------------------------------------
    async def create(self, target: TargetSpec, *, text: str = "", locale_id: str = "", at: float | None = None,
                     created_by: str = "cli", idempotency_key: str | None = None,
                     idempotency_window: int = 24 * 3600) -> Announcement:
        """Store a new announcement. With an ``idempotency_key``, a second create under the same key within
        ``idempotency_window`` seconds stores nothing and returns the first one (``duplicate=True``)."""
        if bool(text) == bool(locale_id):
            raise ValueError("give exactly one of text or locale_id")
        if len(text) > TELEGRAM_TEXT_LIMIT:
            raise ValueError(f"text is {len(text)} characters; Telegram allows {TELEGRAM_TEXT_LIMIT}")
        now = time.time()
        ann = str(await self.redis.incr(self.keys.seq))
        if idempotency_key:
            first = await self._first_under(idempotency_key, ann, idempotency_window)
            if first is not None:
                return first
        h = {"id": ann, "target": str(target), "text": text, "locale_id": locale_id, "status": "scheduled",
             "created_at": repr(now), "at": repr(at or now), "created_by": created_by, "total": "0"}
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.meta(ann), mapping=h)
            pipe.hset(self._keys(ann)[2], mapping={b: 0 for b in BUCKETS})
            pipe.zadd(self.index, {ann: now})
            pipe.zadd(self.due, {ann: at or now})
            await pipe.execute()
        return Announcement.from_hash(h)

    async def _first_under(self, key: str, ann: str, window: int) -> Announcement | None:
        """Claim ``key`` for ``ann`` (None: claimed, go on creating), or the announcement that holds it."""
        ikey = self.keys.idem(key)
        for _ in range(100):
            if await self.redis.set(ikey, ann, nx=True, ex=window):
                return None
            holder = await self.redis.get(ikey)
            if holder is None:
                continue  # expired just now: claim it
            first = await self.get(holder)
            if first is not None:
                first.duplicate = True
                return first
            await asyncio.sleep(0.02)  # its creator claimed the key and is writing the record right now
        # The creator died between claiming the key and writing the record: this one takes the key over.
        await self.redis.set(ikey, ann, ex=window)
        return None

    async def get(self, ann: str) -> Announcement | None:
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(self.meta(ann))
            pipe.hgetall(self._keys(ann)[2])
            h, n = await pipe.execute()
        return Announcement.from_hash(h, n) if h else None

    async def list(self, limit: int = 20) -> list[Announcement]:
        ids = await self.redis.zrevrange(self.index, 0, limit - 1)
        out = [await self.get(i) for i in ids]
        return [a for a in out if a is not None]

    async def cancel(self, ann: str) -> str | None:
        """'cancelled', or the final status it already had ('done'), or None when there is no such id."""
        return await self._cancel(keys=[self.meta(ann), self.due])

    async def report(self, ann: str, *, details: bool = True) -> dict[str, Any] | None:
        """Counts, plus per-target reasons for failures and unknowns; 'sending' targets whose worker is gone
        are reported as unknown (a worker that died between claim and result)."""
        a = await self.get(ann)
        if a is None:
            return None
        out = a.summary()
        if not details and not a.counts["sending"]:
            return out
        _, st_key, _, why_key = self._keys(ann)
        st = await self.redis.hgetall(st_key)
        why = await self.redis.hgetall(why_key)
        owners = sorted({v.split("|")[1] for v in st.values() if v.startswith("s|")})
        alive = {}
        if owners:
            flags = await self.redis.mget([self.worker_key(w) for w in owners])
            alive = {w: f is not None for w, f in zip(owners, flags, strict=True)}
        failed, unknown, in_flight = {}, {}, []
        for t, v in sorted(st.items()):
            if v == "f":
                failed[t] = why.get(t, "")
            elif v.startswith("u|"):
                unknown[t] = why.get(t, "worker stopped mid-send")
            elif v.startswith("s|"):
                if alive.get(v.split("|")[1]):
                    in_flight.append(t)
                else:
                    unknown[t] = "worker stopped mid-send (not yet swept)"
        stale = a.counts["sending"] - len(in_flight)
        out["sending"] = len(in_flight)
        out["unknown"] = a.counts["unknown"] + max(0, stale)
        if details:
            out["failed_targets"] = failed
            out["unknown_targets"] = unknown
            out["notes"] = {t: r for t, r in why.items() if st.get(t, "").startswith("ok|")}
        return out

    async def states(self, ann: str) -> dict[str, str]:
        return await self.redis.hgetall(self._keys(ann)[1])

    async def requeue_unknown(self, ann: str) -> int:
        """Operator's decision to resend targets whose delivery is unknown (they may get it twice)."""
        st = await self.states(ann)
        todo = [t for t, v in st.items() if v.startswith("u|")]
        n = 0
        for t in todo:
            if await self._target(keys=self._keys(ann), args=["requeue", t, "", "", ""]) == "ok":
                n += 1
        if n:
            await self.redis.hset(self.meta(ann), "status", "sending")
            await self.enqueue(ann, [(t, "") for t in todo])
        return n

    # -- expansion --------------------------------------------------------------------------------------
    async def claim_due(self, worker: str, lease: float) -> str | None:
        now = time.time()
        return await self._claim_due(keys=[self.due], args=[repr(now), repr(now + lease), worker, self.p])

    async def resolve(self, spec: TargetSpec, default_locale: str) -> list[tuple[str, str]]:
        """Concrete targets with their locale: ``[("tg:123", "en"), ("wx:all", "zh-CN"), …]``."""
        if spec.kind == "subscribers":
            rows = await self.redis.hgetall(self.subs)
        elif spec.kind == "chats":
            rows = await self.redis.hgetall(self.chats)
        elif spec.kind == "chat":
            raw = await self.redis.hget(self.chats, spec.value) or await self.redis.hget(self.subs, spec.value)
            rows = {spec.value: raw or "{}"}
        elif spec.kind == "wechat_all":
            return [("wx:all", default_locale)]
        else:
            return [(f"wx:tag:{spec.value}", default_locale)]
        out = []
        for chat, raw in sorted(rows.items(), key=lambda kv: int(kv[0])):
            try:
                locale = json.loads(raw).get("locale") or default_locale
            except ValueError:
                locale = default_locale
            out.append((f"tg:{chat}", locale))
        return out

    async def enqueue(self, ann: str, targets: Iterable[tuple[str, str]], batch: int = 50) -> int:
        """Record targets (as pending, unless already known) and queue the pending ones in batches."""
        items = list(targets)
        queued = 0
        k = self._keys(ann)
        for i in range(0, len(items), batch):
            chunk = items[i:i + batch]
            text = " ".join(f"{t}@{loc}" if loc else t for t, loc in chunk)
            queued += await self._expand(keys=[k[0], k[1], k[2], self.stream],
                                         args=[ann, text, *[t for t, _ in chunk]])
        return queued

    async def expanded(self, ann: str) -> str:
        return await self._expanded(keys=[self.meta(ann), self._keys(ann)[2], self.due], args=[ann])

    # -- per-target transitions -----------------------------------------------------------------------
    async def transition(self, op: str, ann: str, target: str, worker: str = "", value: str = "",
                         reason: str = "", *, client: Any = None) -> str:
        return await self._target(keys=self._keys(ann), args=[op, target, worker, value, reason],
                                  client=client)

    # -- stream ---------------------------------------------------------------------------------------
    async def ensure_group(self) -> None:
        try:
            await self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except ResponseError as e:
            if "BUSYGROUP" not in str(e):
                raise

    # -- subscriptions and chats ----------------------------------------------------------------------
    async def subscribe(self, chat_id: int | str, user_id: int | str, locale: str | None) -> bool:
        """True when newly subscribed; an existing subscription is kept (its locale refreshed)."""
        row = {"user_id": str(user_id), "locale": locale, "since": int(time.time())}
        if await self.redis.hsetnx(self.subs, str(chat_id), json.dumps(row)):
            return True
        old = json.loads(await self.redis.hget(self.subs, str(chat_id)) or "{}")
        if locale and old.get("locale") != locale:
            await self.redis.hset(self.subs, str(chat_id), json.dumps({**old, **row, "since": old.get("since")}))
        return False

    async def unsubscribe(self, chat_id: int | str) -> bool:
        return bool(await self.redis.hdel(self.subs, str(chat_id)))

    async def is_subscribed(self, chat_id: int | str) -> bool:
        return bool(await self.redis.hexists(self.subs, str(chat_id)))

    async def register_chat(self, chat_id: int | str, kind: str, title: str, locale: str | None) -> None:
        row = json.dumps({"kind": kind, "title": title, "locale": locale, "since": int(time.time())},
                         ensure_ascii=False)
        await self.redis.hset(self.chats, str(chat_id), row)

    async def unregister_chat(self, chat_id: int | str) -> bool:
        return bool(await self.redis.hdel(self.chats, str(chat_id)))

    async def migrate_chat(self, old: str, new: str) -> None:
        """A group became a supergroup (new id): carry its registration and subscription over."""
        for key in (self.chats, self.subs):
            row = await self.redis.hget(key, old)
            if row is not None:
                await self.redis.hset(key, new, row)
                await self.redis.hdel(key, old)

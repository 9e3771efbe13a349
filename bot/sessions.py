"""Conversation sessions in Redis, keyed by channel + user (the `Session` itself: bot/conversation.py).

Key format (documented, stable, built by `bot.keys.user`): ``bot:{<channel>:<user_id>}:<part>`` with parts
``session``, ``lock``, ``dedup:<message_id>``, ``seen`` and ``handoff`` (the active operator ticket, owned by
`bot.handoff`). The braces are a Redis hash tag, so one user's keys share a cluster slot and the engine's
scripts may touch them together. The whole layout: bot/keys.py.

De-duplication keeps two things per message: ``dedup:<message_id>`` holds the whole stored turn only as
long as the platform retries (the channel's reply window, seconds to an hour), and ``seen`` — one sorted
set per user, message id → expiry — a small marker for the rest of the de-duplication period (24 h), so
that an 8-message conversation leaves about 1 KB instead of 5.

When no ``REDIS_URL`` is configured the same store runs on fakeredis in-process (Lua included), so
there is one code path: the embedded store has exactly the Redis semantics, just not shared or durable.
`open_redis` gives redis-py's cluster client when the server runs in cluster mode, and bounded timeouts
either way (a hung Redis must fail a command in time for WeChat's 5 s deadline).
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import hiredis
import redis
import redis.asyncio as aioredis
from redis.asyncio.connection import AbstractConnection, ConnectionPool
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import NoScriptError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot import keys
from bot.conversation import DamagedValue, Session

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SessionKey:
    channel: str
    user_id: str

    def __post_init__(self) -> None:
        if not self.channel or not self.user_id:
            raise ValueError("a session key needs both a channel and a user id")

    def key(self, part: str) -> str:
        return keys.user(self.channel, self.user_id, part)


def load_pointer(raw: str) -> dict[str, Any] | None:
    """The user's handoff pointer ``{"ticket": "<id>", …}``; `DamagedValue` when unreadable."""
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        raise DamagedValue("handoff pointer is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("ticket"), (str, int)) or isinstance(
        data.get("ticket"), bool
    ):
        raise DamagedValue("handoff pointer has no ticket id")
    return {**data, "ticket": str(data["ticket"])}


# KEYS: session, lock, dedup, handoff[, seen[, undelivered]]   ARGV: token, lock_ttl_ms[, message_id]
# Returns {status, payload, handoff}: done+stored turn | seen (done, reply no longer kept) | pending (same
# message in flight) | locked | acquired+session+the active handoff pointer (kept in its own key so
# operators never need the lock)+the turn a channel could not deliver (bot/channels.py `Undelivered`).
_BEGIN = """
local d = redis.call('GET', KEYS[3])
if d then
  if d == '' then return {'pending', '', ''} end
  return {'done', d, ''}
end
if KEYS[5] and redis.call('ZSCORE', KEYS[5], ARGV[3]) then return {'seen', '', ''} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('SET', KEYS[3], '', 'PX', ARGV[2])
  return {'acquired', redis.call('GET', KEYS[1]) or '', redis.call('GET', KEYS[4]) or '',
          (KEYS[6] and redis.call('GET', KEYS[6])) or ''}
end
return {'locked', '', ''}
"""

# KEYS: session, lock, dedup[, seen[, undelivered]]   ARGV: token, session_json, session_ttl_s, turn_json,
#                                                          reply_ttl_s[, message_id, now_s, marker_ttl_s]
# Compare-and-set: writes only while this caller still holds the lock. The turn is kept whole for the
# reply window; the marker in ``seen`` (score = when it expires) for the rest, expired ones pruned here.
_COMMIT = """
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[5])
if KEYS[4] then
  redis.call('ZADD', KEYS[4], ARGV[7] + ARGV[8], ARGV[6])
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[7])
  redis.call('EXPIRE', KEYS[4], ARGV[8])
end
if KEYS[5] then redis.call('DEL', KEYS[5]) end  -- this turn replaces an undelivered one
redis.call('DEL', KEYS[2])
return 1
"""

# KEYS: lock, dedup   ARGV: token, lock_ttl_ms — a slow run keeps its lock (and its in-flight marker).
_EXTEND = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('GET', KEYS[2]) == '' then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1
"""

# KEYS: key   ARGV: value — delete a damaged value unless it was replaced meanwhile.
_DISCARD = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# KEYS: lock, dedup   ARGV: token — give up without saving; a platform retry may process the message anew.
_ABORT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 1
end
return 0
"""


@dataclass(frozen=True, slots=True)
class Claim:
    """A channel's bookkeeping key written with SET NX alongside `RedisSessionStore.begin`: the first
    writer's value stays for ``ttl`` seconds; a later begin with the same value passes, another is refused."""

    key: str
    value: str
    ttl: int


class Begun(tuple):
    """`RedisSessionStore.begin`'s answer: ``(status, payload, handoff)``, plus ``undelivered`` — the turn
    a channel could not deliver to this user (JSON; "" when none)."""

    undelivered: str

    def __new__(cls, status: str, payload: str, handoff: str, undelivered: str = "") -> "Begun":
        self = super().__new__(cls, (status, payload, handoff))
        self.undelivered = undelivered
        return self


class ClaimRefused(Exception):
    """The claim's key already holds another value (e.g. a WeChat nonce replayed with a different body)."""


class RedisSessionStore:
    """Sessions plus the engine's dedup/lock scripts, on an injected Redis client (real or fakeredis)."""

    def __init__(self, redis: aioredis.Redis, ttl_seconds: int = keys.SESSION_TTL) -> None:
        self.redis = redis
        self.ttl = ttl_seconds
        self._cluster = _is_cluster(redis)
        self._begin = redis.register_script(_BEGIN)
        self._commit = redis.register_script(_COMMIT)
        self._abort = redis.register_script(_ABORT)
        self._extend = redis.register_script(_EXTEND)
        self._discard = redis.register_script(_DISCARD)
        self._lane = _Lane.for_client(redis)

    # -- the plain four-method store -------------------------------------------------------------
    async def get(self, key: SessionKey) -> Session | None:
        """The saved session, or None when there is none or it is damaged (the engine replaces it)."""
        raw = await self.redis.get(key.key("session"))
        if not raw:
            return None
        try:
            return Session.loads(raw)
        except DamagedValue:
            return None

    async def set(self, key: SessionKey, session: Session) -> None:
        await self.redis.set(key.key("session"), session.dumps(), ex=self.ttl)

    async def delete(self, key: SessionKey) -> None:
        await self.redis.delete(key.key("session"))

    async def close(self) -> None:
        await self.redis.aclose()

    # -- engine protocol: one round trip in, one round trip out ----------------------------------
    async def begin(self, key: SessionKey, message_id: str, token: str, lock_ttl_ms: int, *,
                    claim: Claim | None = None) -> Begun:
        """Dedup check + lock + load in one round trip: (status, session or stored turn, handoff pointer).

        ``claim``: a channel's own bookkeeping key (e.g. a WeChat nonce), set in the same round trip
        (pipelined: it may live in another cluster slot); `ClaimRefused` when it holds another value."""
        keys = [key.key("session"), key.key("lock"), key.key(f"dedup:{message_id}"), key.key("handoff"),
                key.key("seen"), key.key("undelivered")]
        args = [token, lock_ttl_ms, message_id]
        if claim is None:
            if self._lane is not None:
                return _begun((await self._lane.script(_BEGIN, _evalsha(self._begin, keys, args)))[0])
            return _begun(await self._begin(keys=keys, args=args))
        previous, result = await self._claim_and_begin(claim, keys, args)
        begun = _begun(result)
        if previous is not None and _s(previous) != claim.value:
            if begun[0] == "acquired":
                await self.abort(key, message_id, token)
            raise ClaimRefused(claim.key)
        return begun

    async def _claim_and_begin(self, claim: Claim, keys: list[str], args: list[Any]) -> list[Any]:
        if self._lane is not None:  # the claim's SET and the script's EVALSHA in one packet
            return await self._lane.script(_BEGIN, _evalsha(self._begin, keys, args),
                                           before=("SET", claim.key, claim.value, "NX", "EX", claim.ttl, "GET"))
        if self._cluster:
            # redis-py's cluster pipeline refuses EVALSHA, and the claim lives in another slot anyway: two
            # round trips on a cluster (the claim first, so a refused one starts no run).
            previous = await self.redis.set(claim.key, claim.value, nx=True, ex=claim.ttl, get=True)
            return [previous, await self._begin(keys=keys, args=args)]
        # EVALSHA in a plain pipeline: redis-py's Script objects would add a SCRIPT EXISTS round trip to
        # every pipelined call, so the script is loaded (once) only when Redis answers NOSCRIPT.
        for attempt in (1, 2):
            pipe = self.redis.pipeline(transaction=False)
            pipe.set(claim.key, claim.value, nx=True, ex=claim.ttl, get=True)
            pipe.evalsha(self._begin.sha, len(keys), *keys, *args)
            results = await pipe.execute(raise_on_error=False)
            if not isinstance(results[1], NoScriptError) or attempt == 2:
                for r in results:
                    if isinstance(r, Exception):
                        raise r
                return results
            await self.redis.script_load(_BEGIN)
        raise AssertionError("unreachable")

    async def commit(
        self, key: SessionKey, message_id: str, token: str, session: Session, turn_json: str, dedup_ttl: int,
        *, reply_ttl: int | None = None,
    ) -> bool:
        """Save, keep the turn whole for ``reply_ttl`` seconds (default: all of ``dedup_ttl``) and the
        message id as a marker for ``dedup_ttl``, unlock — if this caller still holds the lock."""
        reply_ttl = dedup_ttl if reply_ttl is None else min(reply_ttl, dedup_ttl)
        keys = [key.key("session"), key.key("lock"), key.key(f"dedup:{message_id}"), key.key("seen"),
                key.key("undelivered")]
        args = [token, session.dumps(), self.ttl, turn_json, reply_ttl, message_id, int(time.time()), dedup_ttl]
        if self._lane is not None:
            ok = (await self._lane.script(_COMMIT, _evalsha(self._commit, keys, args)))[-1]
        else:
            ok = await self._commit(keys=keys, args=args)
        return bool(ok)

    async def abort(self, key: SessionKey, message_id: str, token: str) -> None:
        await self._abort(keys=[key.key("lock"), key.key(f"dedup:{message_id}")], args=[token])

    async def extend(self, key: SessionKey, message_id: str, token: str, lock_ttl_ms: int) -> bool:
        """Renew a lock still held by ``token`` (False once it is lost)."""
        ok = await self._extend(keys=[key.key("lock"), key.key(f"dedup:{message_id}")], args=[token, lock_ttl_ms])
        return bool(ok)

    async def discard(self, key: SessionKey, part: str, value: str) -> None:
        """Delete the damaged value of ``part`` (e.g. ``handoff``) unless someone replaced it meanwhile."""
        await self._discard(keys=[key.key(part)], args=[value])


class _Lane:
    """The engine's two round trips per message (`begin`, `commit`) on connections of their own.

    Hand-written because redis-py's async client spends more CPU around a command than the command costs
    here: per command it takes its pool's lock twice and probes the socket, runs the write under
    `asyncio.wait_for` (a task per write), packs arguments in Python, and wraps it all in observability
    hooks. The lane keeps what matters of it — redis-py's own `Connection` (connect, AUTH, TLS, RESP
    parsing in hiredis), the client's retry policy and its time limit — and drops the rest:

    - connections come from the client's pool and stay with the lane while idle, up to a quarter of the
      pool (`ConnectionPool.disconnect`, run by the client's ``aclose()``, still closes them); an idle one is
      taken without a lock or a probe;
    - one `asyncio.timeout` bounds the whole exchange (the client's ``socket_timeout``), so the connection's
      own per-read and per-write timeouts are switched off;
    - commands are packed by hiredis in C;
    - a connection goes back to the idle list only after a complete exchange: anything else (timeout,
      cancellation, error) disconnects it, so no late reply is ever read as the answer to another command.
    """

    def __init__(self, pool: ConnectionPool, timeout: float | None) -> None:
        self.pool = pool
        self.timeout = timeout
        self.idle: list[AbstractConnection] = []
        # Idle connections kept count against the pool's max_connections: at most a quarter of it, so the
        # client's other commands (handoff, funnel, health) always find some once a burst is over.
        self.max_idle = max(1, getattr(pool, "max_connections", 100) // 4)

    @classmethod
    def for_client(cls, client: Any) -> "_Lane | None":
        """A lane for a plain redis-py client over sockets; None for a cluster client or fakeredis (which
        keep redis-py's ordinary path)."""
        pool = getattr(client, "connection_pool", None)
        if type(pool) is not ConnectionPool or pool.connection_class.__module__.startswith("fakeredis"):
            return None
        return cls(pool, pool.connection_kwargs.get("socket_timeout"))

    async def script(self, source: str, evalsha: tuple, *, before: tuple | None = None) -> list[Any]:
        """The replies to ``before`` (if any) and ``evalsha``, sent in one packet; the script is loaded once
        when Redis answers NOSCRIPT (after a restart or SCRIPT FLUSH)."""
        replies = await self._call(evalsha, before)
        if isinstance(replies[-1], NoScriptError):
            _raise_errors(await self._call(("SCRIPT", "LOAD", source), None))
            replies[-1:] = await self._call(evalsha, None)  # ``before`` (the claim) went through the first time
        return _raise_errors(replies)

    async def _call(self, command: tuple, before: tuple | None) -> list[Any]:
        packed = hiredis.pack_command(command)
        if before is not None:
            packed = hiredis.pack_command(before) + packed
        count = 1 if before is None else 2
        conn = await self._take()
        try:  # the connection's retry policy: the client's (bot.sessions.RETRIES), as redis-py would apply it
            return await conn.retry.call_with_retry(lambda: self._exchange(conn, packed, count),
                                                    lambda error: conn.disconnect())
        finally:
            await self._give_back(conn)

    async def _take(self) -> AbstractConnection:
        if self.idle:
            return self.idle.pop()
        conn = await self.pool.get_connection()
        conn.socket_timeout = None  # the lane's own timeout covers the whole exchange
        return conn

    async def _give_back(self, conn: AbstractConnection) -> None:
        """Keep ``conn`` for the next exchange (disconnected on any failure: it connects again when next
        used), up to `max_idle`; beyond that it goes back to the pool, the client's other commands need it."""
        if len(self.idle) < self.max_idle:
            self.idle.append(conn)
            return
        conn.socket_timeout = self.timeout
        await self.pool.release(conn)

    async def _exchange(self, conn: AbstractConnection, packed: bytes, count: int) -> list[Any]:
        replies: list[Any] = []
        try:
            async with asyncio.timeout(self.timeout):
                await conn.send_packed_command(packed, check_health=False)
                for _ in range(count):
                    try:
                        replies.append(await conn.read_response())
                    except ResponseError as e:  # a command's error (NOSCRIPT, …): the other replies follow
                        replies.append(e)
        except TimeoutError:
            await conn.disconnect(nowait=True)
            raise RedisTimeoutError(f"Timeout talking to Redis after {self.timeout}s") from None
        except BaseException:
            await conn.disconnect(nowait=True)
            raise
        return replies


def _evalsha(script: Any, keys: list[str], args: list[Any]) -> tuple:
    """The EVALSHA command of a registered script, for `_Lane.script`."""
    return ("EVALSHA", script.sha, len(keys), *keys, *args)


def _raise_errors(replies: list[Any]) -> list[Any]:
    for r in replies:
        if isinstance(r, Exception):
            raise r
    return replies


def _begun(result: list[Any]) -> Begun:
    return Begun(*(_s(v) for v in result))


def _s(v: str | bytes) -> str:
    return v.decode() if isinstance(v, bytes) else v


# Client timeouts. redis-py's defaults (no socket timeout, 10 retries with backoff up to 10 s) would hold a
# WeChat request far past its 5 s deadline when Redis hangs; these fail a command within ~3 s at worst
# (two tries of 1.5 s), and the one retry reconnects a pooled connection that a Redis restart broke.
SOCKET_TIMEOUT = 1.5
CONNECT_TIMEOUT = 1.0
RETRIES = 1


def _retry() -> Retry:
    return Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.2), RETRIES)


@dataclass(frozen=True)
class ServerInfo:
    """What start-up learns about the Redis behind ``REDIS_URL`` (None fields: it was not reachable)."""

    cluster: bool | None = None
    maxmemory_policy: str | None = None
    maxmemory: int | None = None


def probe(url: str, timeout: float = 3.0, attempts: int = 2) -> ServerInfo:
    """Cluster mode and eviction policy of the server at ``url``, asked once at start-up (``INFO``,
    which managed services allow where ``CONFIG GET`` is often disabled). Start-up can wait longer than a
    user's message: a slow answer is retried; a refused connection is not (the health check reports it)."""
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout,
                                  retry=None, decode_responses=True)
    try:
        for attempt in range(attempts):
            try:
                info = client.info("cluster")
                info.update(client.info("memory"))
                break
            except redis.TimeoutError:
                if attempt + 1 < attempts:
                    continue
                error = "timed out"
            except redis.RedisError as e:
                error = e.__class__.__name__
            log.warning("Redis at start-up: not reachable (%s); assuming a single server — if it is a cluster, "
                        "restart the bot once it is up", error)
            return ServerInfo()
    finally:
        client.close()
    return ServerInfo(bool(info.get("cluster_enabled")), info.get("maxmemory_policy"), info.get("maxmemory"))


def check_eviction(info: ServerInfo) -> str | None:
    """A warning when Redis may evict keys: sessions, locks and tickets must never vanish silently."""
    policy = info.maxmemory_policy
    if policy is None or policy == "noeviction":
        return None
    what = ("keys with a TTL — sessions, locks and de-duplication records — first" if policy.startswith("volatile")
            else "any key, tickets and announcements included")
    return (f"Redis maxmemory-policy is {policy!r}: when memory runs out Redis evicts {what}, and users lose their "
            "place silently. Set `maxmemory-policy noeviction` (writes then fail loudly and the bot apologises).")


async def warm_up(client: aioredis.Redis) -> None:
    """Load a cluster client's slot map before concurrent use: redis-py's async `RedisCluster` can fail
    ("Connection closed by server", then an AttributeError) when many commands race to initialise it.
    A plain client needs nothing. Failure is logged, not raised: the health check reports Redis down."""
    if _is_cluster(client):
        try:
            await client.initialize()  # type: ignore[attr-defined]
        except redis.RedisError as e:
            log.warning("Redis Cluster not reachable at start-up (%s); the client initialises on first use",
                        e.__class__.__name__)


def open_redis(url: str | None, *, info: ServerInfo | None = None, timeout: float = SOCKET_TIMEOUT) -> aioredis.Redis:
    """A client for ``url`` — redis-py's cluster client when the server runs in cluster mode — or an
    in-process fakeredis server when ``url`` is empty."""
    if not url:
        import fakeredis

        return fakeredis.FakeAsyncRedis(server=fakeredis.FakeServer(), decode_responses=True)
    info = info if info is not None else probe(url)
    kwargs: dict[str, Any] = dict(decode_responses=True, socket_timeout=timeout,
                                  socket_connect_timeout=min(CONNECT_TIMEOUT, timeout), retry=_retry())
    if info.cluster:
        from redis.asyncio.cluster import RedisCluster

        return RedisCluster.from_url(url, **kwargs)
    client = aioredis.from_url(url, **kwargs)
    pool = client.connection_pool
    pool.connection_class = _hiredis_packing(pool.connection_class)  # plain, TLS or Unix socket alike
    return client


class _HiredisPacking:
    """Commands packed by hiredis in C: redis-py's async connections pack every argument in Python (its sync
    client already uses hiredis for this), which showed in profiles of the webhook path — the funnel's
    batched XADDs above all. Arguments hiredis does not take (None, bool, …) go to redis-py's own packer,
    which refuses them with its usual DataError."""

    def pack_command(self, *args: Any) -> list[bytes]:
        first = args[0]
        if isinstance(first, (str, bytes)) and (" " if isinstance(first, str) else b" ") in first:
            args = (*first.split(), *args[1:])  # "CONFIG GET" is two arguments, as redis-py splits it
        try:
            return [hiredis.pack_command(args)]
        except TypeError:
            return super().pack_command(*args)  # type: ignore[misc]


_PACKING: dict[type, type] = {}


def _hiredis_packing(cls: type) -> type:
    if cls not in _PACKING:
        _PACKING[cls] = type(f"HiredisPacking{cls.__name__}", (_HiredisPacking, cls), {})
    return _PACKING[cls]


def _is_cluster(client: Any) -> bool:
    from redis.asyncio.cluster import RedisCluster

    return isinstance(client, RedisCluster)

"""Per-message pipeline: de-duplicate, lock, load → run the dialogue → save, unlock.

Two Redis round trips on the normal path (`RedisSessionStore.begin` and `.commit`, each one Lua
script). The session is read only after the lock is held — the ordering aiogram's FSM middleware
documents for its issue 1317 — so two messages of one user never interleave, and a message id seen
before returns the stored turn instead of advancing the flow again (WeChat retries 3×, Telegram
re-delivers unacknowledged updates).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import replace
from typing import Protocol

import orjson
from redis.exceptions import RedisError

from bot.conversation import dumps
from bot.messages import Incoming, Turn
from bot.privacy import mask
from bot.retry import RetryLater, retrying
from bot.sessions import Claim, DamagedValue, RedisSessionStore, Session, SessionKey, load_pointer

log = logging.getLogger(__name__)

class Middleware(Protocol):
    """Runs under the user's lock, around the dialogue (like aiogram's outer middlewares).

    ``before`` may answer the message itself (return a Turn) — e.g. relay it to a human operator —
    in which case the dialogue is skipped; ``after`` may act on the turn's effects and amend it.
    Both may change the session; whatever they return is what gets saved and de-duplicated.
    """

    async def before(self, session: Session, msg: Incoming) -> Turn | None: ...

    async def after(self, session: Session, msg: Incoming, turn: Turn) -> Turn: ...


class Dialogue(Protocol):
    def handle(self, session: Session, msg: Incoming) -> Turn: ...

    def new_session(self, msg: Incoming) -> Session: ...


class SessionBusy(RuntimeError):
    """The user's session stayed locked longer than ``lock_wait`` (another message is still running),
    or this message's lock was lost ``max_attempts`` times: the user is asked to send it again."""


# Set on a fresh session that replaced a damaged one; the dialogue tells the user and drops it.
RESET_MARK = "reset"

# Waiting for a user's lock held by their previous message: 2 ms, doubling to 50 ms (a turn takes a few
# ms), jittered by up to 2 ms; as many tries as Engine.lock_wait allows.
_FIRST_WAIT = 0.002
_MAX_WAIT = 0.05
_UNBOUNDED = 1_000_000


class _Locked(RetryLater):
    """Another message of this user holds the lock: try again after a backoff."""


class _LockLost(RetryLater):
    """This run's lock expired before its commit: try again at once (``after=0``)."""


class Engine:
    def __init__(
        self,
        store: RedisSessionStore,
        dialogue: Dialogue,
        *,
        lock_ttl_ms: int = 10_000,
        lock_wait: float = 8.0,
        dedup_ttl: int = 24 * 3600,
        max_attempts: int = 3,
    ) -> None:
        self.store = store
        self.dialogue = dialogue
        self.lock_ttl_ms = lock_ttl_ms
        self.lock_wait = lock_wait
        self.dedup_ttl = dedup_ttl
        # How long each channel's platform may re-deliver a message it did not see answered: the turn is
        # kept whole that long (to answer the retry), then only as a marker until dedup_ttl. Adapters set
        # theirs from the platform's documentation (adapters/wechat.py, adapters/telegram.py).
        self.reply_ttl: dict[str, int] = {}
        self.default_reply_ttl = 60
        self.max_attempts = max_attempts
        self.middlewares: list[Middleware] = []
        self._releasing: set[asyncio.Task[None]] = set()  # locks of timed-out begins, released when Redis is back

    def use(self, middleware: Middleware) -> None:
        self.middlewares.append(middleware)

    async def _run(self, session: Session, msg: Incoming) -> Turn:
        for mw in self.middlewares:
            turn = await mw.before(session, msg)
            if turn is not None:
                return turn
        turn = self.dialogue.handle(session, msg)
        for mw in self.middlewares:
            turn = await mw.after(session, msg, turn)
        return turn

    async def handle(self, msg: Incoming, *, claim: Claim | None = None) -> Turn:
        """The turn for ``msg``. ``claim``: the channel's bookkeeping key, written in the first round trip
        (`RedisSessionStore.begin`); `bot.sessions.ClaimRefused` when it holds another value."""
        key = SessionKey(msg.channel, msg.user_id)
        lost = 0
        try:
            return await self._attempt(key, msg, claim)  # the usual case: no retry machinery at all
        except _Locked:
            await asyncio.sleep(_FIRST_WAIT)
        except _LockLost:
            lost = 1
        # Contended: another message of this user holds the lock (wait for it, backing off, within
        # lock_wait), or the lock expired under this run (try again at once from a fresh load, at most
        # max_attempts runs in all). The claim was written by the first attempt: a retry must not send it
        # again (it would find its own value and refuse).
        try:
            async for attempt in retrying(attempts=_UNBOUNDED, budget=self.lock_wait, initial=_FIRST_WAIT,
                                          cap=_MAX_WAIT, jitter=_FIRST_WAIT, retry_on=(_Locked, _LockLost)):
                with attempt:
                    try:
                        return await self._attempt(key, msg, None)
                    except _LockLost:
                        lost += 1
                        if lost >= self.max_attempts:
                            log.error("session lock lost %d times for %s message %s; giving up", lost,
                                      msg.channel, msg.message_id)
                            raise SessionBusy(f"session {key} lost its lock {lost} times") from None
                        raise
        except _Locked:
            raise SessionBusy(f"session {key} busy") from None
        raise AssertionError("unreachable: retrying() ends in a return or an exception")

    async def _attempt(self, key: SessionKey, msg: Incoming, claim: Claim | None) -> Turn:
        """One begin → run → commit; `_Locked` / `_LockLost` when it must be tried again."""
        token = secrets.token_hex(8)
        try:
            begun = await self.store.begin(key, msg.message_id, token, self.lock_ttl_ms, claim=claim)
        except RedisError:
            # A timeout says nothing of the server side: a hung Redis still runs the script once it wakes,
            # and would hold the lock and a "pending" mark for a run that never happens, keeping the
            # platform's redelivery waiting. Take them back (by token) as soon as Redis answers again.
            self._release_later(key, msg.message_id, token)
            raise
        status, payload, handoff = begun
        if status == "done":
            return Turn.from_json(orjson.loads(payload), duplicate=True)
        if status == "seen":  # handled long ago; past the platform's retry window, the reply is not kept
            return Turn((), msg.locale or "zh-CN", 0, duplicate=True)
        if status != "acquired":  # locked by another message of this user, or this very one in flight elsewhere
            raise _Locked()
        try:
            session = await self._load(key, msg, payload, handoff)
            async with _LockKeeper(self, key, msg.message_id, token):
                turn = _undelivered(session, begun.undelivered) or await self._run(session, msg)
            turn_json = dumps(turn.to_json())
        except BaseException as e:
            await self._abort(key, msg.message_id, token)
            if isinstance(e, RedisError):  # Redis trouble: the adapter says so, in one line
                log.error("Redis failed on %s message %s: %s", msg.channel, msg.message_id, _one_line(e))
            elif isinstance(e, Exception):
                log.exception("dialogue failed on %s message %s: %s", msg.channel, msg.message_id,
                              mask(msg.text))
            raise
        reply_ttl = self.reply_ttl.get(msg.channel, self.default_reply_ttl)
        if await self.store.commit(key, msg.message_id, token, session, turn_json, self.dedup_ttl,
                                   reply_ttl=reply_ttl):
            return turn
        # The lock expired under us (the run outlived it although it was renewed: Redis or this process
        # stalled) and someone else may have written: start again from a fresh load.
        log.warning("session lock lost for %s; retrying message %s", key, msg.message_id)
        raise _LockLost(after=0.0)

    async def _load(self, key: SessionKey, msg: Incoming, payload: str, handoff: str) -> Session:
        """The session and its handoff pointer; a damaged value is logged once (masked), replaced by a
        fresh session (the dialogue tells the user), and never blocks the user or the lock."""
        try:
            session = Session.loads(payload) if payload else self.dialogue.new_session(msg)
        except DamagedValue as e:
            log.error("damaged session %s replaced by a fresh one (%s): %s", key, e, mask(payload)[:80])
            session = self.dialogue.new_session(msg)
            session.data[RESET_MARK] = "damaged"
        try:
            session.handoff = load_pointer(handoff)
        except DamagedValue as e:
            log.error("damaged handoff pointer of %s dropped (%s): %s", key, e, mask(handoff)[:80])
            await self.store.discard(key, "handoff", handoff)
            session.handoff = None
            session.data[RESET_MARK] = "handoff"
        return session

    def _release_later(self, key: SessionKey, message_id: str, token: str) -> None:
        task = asyncio.create_task(self._release_when_back(key, message_id, token))
        self._releasing.add(task)
        task.add_done_callback(self._releasing.discard)

    async def _release_when_back(self, key: SessionKey, message_id: str, token: str) -> None:
        """Abort ``token``'s begin once Redis answers, within the lock's lifetime (after it, the lock and the
        mark expire by themselves). Twice, a moment apart: the timed-out script came on another connection
        and may be run just after the first abort."""
        loop = asyncio.get_running_loop()
        until = loop.time() + self.lock_ttl_ms / 1000
        delay = 0.05
        while loop.time() < until:
            try:
                await self.store.abort(key, message_id, token)
                await asyncio.sleep(0.2)
                await self.store.abort(key, message_id, token)
                return
            except RedisError:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)

    async def _abort(self, key: SessionKey, message_id: str, token: str) -> None:
        try:
            await self.store.abort(key, message_id, token)
        except RedisError as e:  # the lock expires by itself within lock_ttl
            log.warning("could not release the lock of %s: %s", key, _one_line(e))


def _undelivered(session: Session, raw: str) -> Turn | None:
    """The user's last turn never reached them (bot/channels.py `Undelivered`): show it again — the pending
    question with its buttons — rather than read this message as an answer to a question they never saw.
    Only while nothing moved since (same step) and no operator owns the chat."""
    if not raw or session.handoff:
        return None
    try:
        turn = Turn.from_json(orjson.loads(raw))
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    if turn.step != session.step:
        return None
    return replace(turn, intent="undelivered", effects=())


class _LockKeeper:
    """Renew the lock while a run lasts (a slow desk or API call must not let another message in).

    Almost every run ends long before its first renewal is due, so the renewing task is only started by a
    timer when it is: a timer costs a fraction of a task created and cancelled on every message."""

    __slots__ = ("engine", "key", "message_id", "token", "timer", "task")

    def __init__(self, engine: Engine, key: SessionKey, message_id: str, token: str) -> None:
        self.engine, self.key, self.message_id, self.token = engine, key, message_id, token
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> None:
        self.timer = asyncio.get_running_loop().call_later(self.engine.lock_ttl_ms / 3000, self._start)

    def _start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._renew())

    async def _renew(self) -> None:
        store, interval = self.engine.store, self.engine.lock_ttl_ms / 3000
        with contextlib.suppress(RedisError):
            while await store.extend(self.key, self.message_id, self.token, self.engine.lock_ttl_ms):
                await asyncio.sleep(interval)

    async def __aexit__(self, *exc: object) -> None:
        self.timer.cancel()
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return f"{e.__class__.__name__}: {text}" if text else e.__class__.__name__

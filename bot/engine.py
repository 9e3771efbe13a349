"""Per-message pipeline: de-duplicate, lock, load → run the dialogue → save, unlock.

Two Redis round trips on the normal path (`RedisSessionStore.begin` and `.commit`, each one Lua
script). The session is read only after the lock is held — the ordering aiogram's FSM middleware
documents for its issue 1317 — so two messages of one user never interleave, and a message id seen
before returns the stored turn instead of advancing the flow again (WeChat retries 3×, Telegram
re-delivers unacknowledged updates).
"""
from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import Protocol

from bot.messages import Incoming, Turn
from bot.privacy import mask
from bot.sessions import Claim, RedisSessionStore, Session, SessionKey

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
    """The user's session stayed locked longer than ``lock_wait`` (another message is still running)."""


class Engine:
    def __init__(
        self,
        store: RedisSessionStore,
        dialogue: Dialogue,
        *,
        lock_ttl_ms: int = 10_000,
        lock_wait: float = 8.0,
        dedup_ttl: int = 24 * 3600,
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
        self.middlewares: list[Middleware] = []

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
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.lock_wait
        delay = 0.002
        while True:
            token = secrets.token_hex(8)
            status, payload, handoff = await self.store.begin(key, msg.message_id, token, self.lock_ttl_ms,
                                                              claim=claim)
            claim = None  # written: a retry of the loop must not find its own value and refuse
            if status == "done":
                return Turn.from_json(json.loads(payload), duplicate=True)
            if status == "seen":  # handled long ago; past the platform's retry window, the reply is not kept
                return Turn((), msg.locale or "zh-CN", 0, duplicate=True)
            if status == "acquired":
                session = Session.loads(payload) if payload else self.dialogue.new_session(msg)
                session.handoff = json.loads(handoff) if handoff else None
                try:
                    turn = await self._run(session, msg)
                except BaseException:
                    await self.store.abort(key, msg.message_id, token)
                    log.exception("dialogue failed on %s message %s: %s", msg.channel, msg.message_id, mask(msg.text))
                    raise
                turn_json = json.dumps(turn.to_json(), ensure_ascii=False, separators=(",", ":"))
                reply_ttl = self.reply_ttl.get(msg.channel, self.default_reply_ttl)
                if await self.store.commit(key, msg.message_id, token, session, turn_json, self.dedup_ttl,
                                           reply_ttl=reply_ttl):
                    break
                # The lock expired under us and someone else may have written: start again from a fresh load.
                log.warning("session lock lost for %s; retrying message %s", key, msg.message_id)
                continue
            # locked by another message of this user, or this very message is in flight elsewhere
            if loop.time() >= deadline:
                raise SessionBusy(f"session {key} busy")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)
        return turn

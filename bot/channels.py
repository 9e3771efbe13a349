"""How a message leaves the bot: one output object per channel, in the manner of Rasa's ``OutputChannel``.

Replies to a message, WeChat's late replies, handoff relays and announcements all go through the same
object, so the channel's rendering, splitting, limits, retries and platform errors live in one place:

    out = services.outputs["telegram"]
    sent = await out.send(user_id, reply, locale="zh-CN", step=turn.step)   # a `bot.messages.Reply`
    sent = await out.send(user_id, "operator's words")                       # plain final text
    await send_turn(out, user_id, turn)                                       # every reply of a turn

``send`` renders a `Reply` with the channel's own rendering (Telegram: inline keyboard whose buttons carry
``step``; WeChat and the console: numbered options), splits text over the platform's length limit, and
retries what is worth retrying within a bound (`bot.retry`). A plain ``str`` is final text: sent as it is
(split if need be), never translated. It returns `Sent` — the platform's message id and the chat actually
used (a Telegram group that became a supergroup answers under a new id: the output re-sends once there and
says so, so callers that stored the old id can update it). What could not be delivered raises
`DeliveryFailed` with a ``kind`` callers can act on without knowing the platform:

- ``forbidden`` — the platform refuses this recipient for now or for good (blocked the bot, left the chat,
  WeChat's 48-hour window or per-message quota); resending now will not help;
- ``failed`` — refused, certainly not delivered (bad request, channel not configured, rate limit past the
  bound); a later resend is safe;
- ``unknown`` — may have arrived (timeout or 5xx after the request went out); resending may duplicate.

``reason`` gives the channel's finer word (``blocked``, ``window_expired``, ``quota_exceeded``, ``unsupported``,
``rate_limited``, ``error``…), ``remaining`` the text not delivered when the first pieces of a split text were.

Channels without push (the console) write where the user's next turn picks it up; `OutputChannel.pushes`
tells. A channel with a bot-initiated mass send (WeChat) also implements `Broadcaster`; ``key`` makes a resend
of the same broadcast idempotent (WeChat's ``clientmsgid``).

A reply that still fails after its turn was saved is remembered per user (`Undelivered`): the engine then
shows that turn again instead of reading the user's next message as an answer to a question never seen.

Adapters fill `Outputs` (``services.outputs``) in their ``setup``; processes without the web app (``poll``,
the announcement ``worker``) build them through the adapters' factories at their entry point and pass them in.
Nothing under ``bot/`` imports an adapter.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from bot.messages import Reply, Turn
from bot.sessions import SessionKey

FailureKind = Literal["forbidden", "failed", "unknown"]


@dataclass(frozen=True, slots=True)
class Sent:
    """What a send did. ``message_id``: the platform's id of the last message sent ("" when the platform
    gives none); ``chat_id``: the chat it went to — differs from the one asked for after a migration."""

    chat_id: str
    message_id: str = ""
    migrated_from: str | None = None  # the chat id asked for, when the platform moved the chat


class DeliveryFailed(Exception):
    """A message could not be delivered; see the module docstring for ``kind`` and ``reason``.

    ``retry_after``: seconds the platform asked to wait, when that is why it gave up.
    """

    def __init__(self, kind: FailureKind, reason: str = "error", detail: str = "", *,
                 remaining: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(f"{kind}/{reason}: {detail}" if detail else f"{kind}/{reason}")
        self.kind = kind
        self.reason = reason
        self.detail = detail
        self.remaining = remaining
        self.retry_after = retry_after


@runtime_checkable
class OutputChannel(Protocol):
    """The one way to send to a user of a channel."""

    name: str  # the channel name, as in `Incoming.channel` and the session key
    pushes: bool  # False: the message waits for the user's next turn (console), not delivered at once

    async def send(self, user: str, reply: Reply | str, *, locale: str | None = None, step: int | None = None,
                   chat: str | None = None) -> Sent:
        """Render and deliver ``reply`` to ``user`` (at ``chat`` when it differs: a group, a migrated chat).

        locale: the language to render a `Reply` in (the channel's default when None);
        step: the session step the reply's buttons carry (stale keyboards are detected by it).
        Raises `DeliveryFailed`.
        """
        ...


@runtime_checkable
class Broadcaster(Protocol):
    """A channel with a bot-initiated mass send (WeChat ``message/mass/sendall``)."""

    async def broadcast(self, target: str, text: str, *, key: str) -> Sent:
        """Send ``text`` to ``target`` (channel-specific: ``wx:all``, ``wx:tag:<id>``); ``key`` is the
        idempotency key, a resend with the same key is not delivered twice. Raises `DeliveryFailed`."""
        ...


async def send_turn(output: OutputChannel, user: str, turn: Turn, *, chat: str | None = None) -> Sent | None:
    """Every reply of ``turn`` in order; the last `Sent` (None for a turn without replies). A migration seen
    on one reply sends the rest to the new chat."""
    last: Sent | None = None
    for reply in turn.replies:
        last = await output.send(user, reply, locale=turn.locale, step=turn.step, chat=chat)
        if last.migrated_from is not None:
            chat = last.chat_id
    return last


class Undelivered:
    """The turn a channel could not deliver, per user: ``bot:{<channel>:<user>}:undelivered`` (STRING, the
    turn's JSON, expiring with the channel's reply window). It lives in the user's slot so the engine's begin
    script reads it in the same round trip as the session: while it is there, the user's next message is not
    read as an answer — the undelivered turn (the pending question and its buttons) is shown again instead,
    and that turn's commit drops the mark. A channel writes it only when a send failed, and drops it after a
    re-delivered message's stored turn went out, so a delivered message costs nothing here."""

    def __init__(self, redis: Any, ttl: int) -> None:
        self.redis = redis
        self.ttl = ttl

    async def remember(self, channel: str, user: str, turn: Turn) -> None:
        data = json.dumps(turn.to_json(), ensure_ascii=False, separators=(",", ":"))
        await self.redis.set(SessionKey(channel, user).key("undelivered"), data, ex=self.ttl)

    async def forget(self, channel: str, user: str) -> None:
        await self.redis.delete(SessionKey(channel, user).key("undelivered"))


class Outputs(Mapping[str, OutputChannel]):
    """The registry held by `bot.runtime.Services` (``services.outputs``), filled by the adapters."""

    def __init__(self) -> None:
        self._by_name: dict[str, OutputChannel] = {}

    def add(self, output: OutputChannel) -> OutputChannel:
        self._by_name[output.name] = output
        return output

    def broadcaster(self, name: str) -> Broadcaster | None:
        out = self._by_name.get(name)
        return out if isinstance(out, Broadcaster) else None

    def __getitem__(self, name: str) -> OutputChannel:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

"""Channel-neutral message types. Adapters translate platform payloads to `Incoming` and render `Turn`s.

Nothing under `flows/` sees a platform object: a flow reads `Incoming.text`/`payload` and answers with
`Reply` data (locale ids + params + options). Rendering to text happens at the edge (`bot.i18n.render`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True, slots=True)
class Incoming:
    """One inbound user message.

    channel: "console" | "wechat" | "telegram" | "web" — always part of the session key.
    user_id: the platform's stable user id (WeChat openid, Telegram user id, console --user).
    chat_id: where replies go (the same as user_id in private chats).
    message_id: platform id used for de-duplication (WeChat MsgId, Telegram update_id, ...).
    text: what the user typed ("" for a pure button press).
    payload: the value of a pressed button (an option value such as ``"cmd:back"`` or ``"居民"``).
    button_step: the session step the pressed button belonged to; an older step means a stale keyboard.
    locale: a language hint from the platform (Telegram ``language_code``); the session's choice wins.
    """

    channel: str
    user_id: str
    chat_id: str
    message_id: str
    text: str = ""
    payload: str | None = None
    button_step: int | None = None
    locale: str | None = None
    raw: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Text:
    """A user-facing sentence: a locale message id and its parameters."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> list:
        return [self.key, {k: _enc(v) for k, v in self.params.items()}] if self.params else [self.key]

    @classmethod
    def from_json(cls, data: list) -> "Text":
        return cls(data[0], {k: _dec(v) for k, v in data[1].items()} if len(data) > 1 else {})


# Params may nest Texts (a translated phrase inside a sentence) or lists of them; tag them in JSON.
def _enc(v: Any) -> Any:
    if isinstance(v, Text):
        return {"$t": v.to_json()}
    if isinstance(v, (list, tuple)):
        return [_enc(x) for x in v]
    return v


def _dec(v: Any) -> Any:
    if isinstance(v, dict) and "$t" in v:
        return Text.from_json(v["$t"])
    if isinstance(v, list):
        return [_dec(x) for x in v]
    return v


@dataclass(frozen=True, slots=True)
class Option:
    """A choice offered to the user. ``value`` comes back as `Incoming.payload` when pressed;
    values starting with ``cmd:`` are global commands, ``flow:`` start a flow, ``faq:`` an answer."""

    value: str
    label: Text

    def to_json(self) -> list:
        return [self.value, self.label.to_json()]

    @classmethod
    def from_json(cls, data: list) -> "Option":
        return cls(data[0], Text.from_json(data[1]))


@dataclass(frozen=True, slots=True)
class Reply:
    """One bot message: sentences shown together, then the options (buttons / numbered list)."""

    texts: tuple[Text, ...]
    options: tuple[Option, ...] = ()

    def to_json(self) -> dict:
        return {"t": [t.to_json() for t in self.texts], "o": [o.to_json() for o in self.options]}

    @classmethod
    def from_json(cls, data: dict) -> "Reply":
        return cls(tuple(Text.from_json(t) for t in data["t"]), tuple(Option.from_json(o) for o in data["o"]))


@dataclass(frozen=True, slots=True)
class Turn:
    """The outcome of one inbound message, as stored for de-duplication and returned to adapters.

    step: the session step after this turn; buttons drawn for these replies carry it.
    intent: what the message was understood as (refund/transfer/family/reactivation/faq/out_of_scope/…).
    effects: side effects for the engine to run after the session is saved (e.g. a handoff request).
    duplicate: True when this is the stored answer to a message id seen before.
    """

    replies: tuple[Reply, ...]
    locale: str
    step: int
    flow: str | None = None
    state: str | None = None
    slots: Mapping[str, Any] = field(default_factory=dict)
    intent: str | None = None
    handoff: bool = False
    effects: tuple[Mapping[str, Any], ...] = ()
    duplicate: bool = False

    def to_json(self) -> dict:
        return {
            "replies": [r.to_json() for r in self.replies],
            "locale": self.locale,
            "step": self.step,
            "flow": self.flow,
            "state": self.state,
            "slots": dict(self.slots),
            "intent": self.intent,
            "handoff": self.handoff,
            "effects": [dict(e) for e in self.effects],
        }

    @classmethod
    def from_json(cls, data: dict, *, duplicate: bool = False) -> "Turn":
        return cls(
            replies=tuple(Reply.from_json(r) for r in data["replies"]),
            locale=data["locale"],
            step=data["step"],
            flow=data.get("flow"),
            state=data.get("state"),
            slots=data.get("slots") or {},
            intent=data.get("intent"),
            handoff=bool(data.get("handoff")),
            effects=tuple(data.get("effects") or ()),
            duplicate=duplicate,
        )

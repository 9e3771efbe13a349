"""The two updates a conversation is made of — a private text message and a press of one of the bot's inline
buttons — read from the webhook's JSON without building aiogram's pydantic `Update`.

Validating the whole `Update` model was the largest single cost of a webhook request in the adapter
(bench/webhook.py: ~80-140 µs of a few hundred per message, more than the JSON parse and the reply together), and
the conversation path reads only a handful of its fields. `parse` accepts an update only when every key in it is
one it knows and every value has exactly the JSON type Telegram documents (https://core.telegram.org/bots/api#update),
so anything it accepts is an update aiogram would validate into the same values; everything else — groups,
commands with unusual entities, photos, channel posts, a field Telegram adds tomorrow, an ``"id": "12"`` that
pydantic's lax mode would coerce — gets None and goes the way it always went (`Update.model_validate`).

The light objects carry the attribute names of aiogram's types that `adapters.telegram.TelegramChannel` reads
(``update.message.from_user.language_code``, ``cq.message.chat.type``…), so one code path serves both.
Hand-written rather than a library: the point is to do less than the library (aiogram's own models) does.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class LightUser:
    id: int
    is_bot: bool
    first_name: str
    language_code: str | None = None


@dataclass(frozen=True, slots=True)
class LightChat:
    id: int
    type: str


@dataclass(frozen=True, slots=True)
class LightMessage:
    message_id: int
    chat: LightChat
    from_user: LightUser
    text: str
    migrate_to_chat_id: None = None  # a service message, never a text: such updates are not parsed here


@dataclass(frozen=True, slots=True)
class LightCallbackQuery:
    id: str
    from_user: LightUser
    message: LightMessage  # accessible (its date is not 0), so its keyboard can be edited
    data: str


@dataclass(frozen=True, slots=True)
class LightUpdate:
    update_id: int
    message: LightMessage | None = None
    callback_query: LightCallbackQuery | None = None
    my_chat_member: None = None


# Every key the parser knows, with its exact JSON type (bool is not an int here, as it is not in JSON).
_USER = {"id": int, "is_bot": bool, "first_name": str, "last_name": str, "username": str, "language_code": str,
         "is_premium": bool, "added_to_attachment_menu": bool}
_CHAT = {"id": int, "type": str, "first_name": str, "last_name": str, "username": str}
_ENTITY = {"type": str, "offset": int, "length": int}
_BUTTON = {"text": str, "callback_data": str, "url": str}


def _flat(d: Any, schema: dict[str, type], required: tuple[str, ...]) -> bool:
    """``d`` is an object whose keys are all in ``schema`` with exactly those types, ``required`` present."""
    if type(d) is not dict:
        return False
    for k, v in d.items():
        t = schema.get(k)
        if t is None or type(v) is not t:
            return False
    return all(k in d for k in required)


def _user(d: Any) -> LightUser | None:
    if not _flat(d, _USER, ("id", "is_bot", "first_name")):
        return None
    return LightUser(d["id"], d["is_bot"], d["first_name"], d.get("language_code"))


def _private_chat(d: Any) -> LightChat | None:
    if not _flat(d, _CHAT, ("id", "type")) or d["type"] != "private":
        return None
    return LightChat(d["id"], "private")


def _entities(v: Any) -> bool:
    return type(v) is list and all(_flat(e, _ENTITY, ("type", "offset", "length")) for e in v)


def _markup(v: Any) -> bool:
    if type(v) is not dict or v.keys() != {"inline_keyboard"} or type(rows := v["inline_keyboard"]) is not list:
        return False
    return all(type(row) is list and all(_flat(b, _BUTTON, ("text",)) for b in row) for row in rows)


# message keys → a check of the value; "chat", "from" and "text" are read, the others only checked
_MESSAGE_KEYS = {
    "message_id": lambda v: type(v) is int,
    "date": lambda v: type(v) is int,
    "chat": lambda v: True,
    "from": lambda v: True,
    "text": lambda v: type(v) is str,
    "entities": _entities,
}
_PRESSED_KEYS = _MESSAGE_KEYS | {"reply_markup": _markup, "edit_date": lambda v: type(v) is int}


def _message(d: Any, keys: dict[str, Any]) -> LightMessage | None:
    if type(d) is not dict or not all(k in d for k in ("message_id", "date", "chat", "from", "text")):
        return None
    for k, v in d.items():
        check = keys.get(k)
        if check is None or not check(v):
            return None
    chat, user = _private_chat(d["chat"]), _user(d["from"])
    if chat is None or user is None:
        return None
    return LightMessage(d["message_id"], chat, user, d["text"])


def parse(data: Any) -> LightUpdate | None:
    """A private text message or a button press on an accessible private message, else None."""
    if type(data) is not dict or len(data) != 2 or type(update_id := data.get("update_id")) is not int:
        return None
    if "message" in data:
        m = _message(data["message"], _MESSAGE_KEYS)
        return None if m is None else LightUpdate(update_id, message=m)
    cq = data.get("callback_query")
    if type(cq) is not dict or cq.keys() != {"id", "from", "message", "chat_instance", "data"}:
        return None
    if type(cq["id"]) is not str or type(cq["chat_instance"]) is not str or type(cq["data"]) is not str:
        return None
    user = _user(cq["from"])
    m = _message(cq["message"], _PRESSED_KEYS)
    if user is None or m is None or cq["message"]["date"] == 0:  # date 0: an InaccessibleMessage
        return None
    return LightUpdate(update_id, callback_query=LightCallbackQuery(cq["id"], user, m, cq["data"]))

"""What the bot remembers of one conversation: `Session`, and how it is stored as JSON.

Kept apart from the Redis store (bot/sessions.py) so that the flows, which read and change sessions, never
import redis.
"""
from __future__ import annotations

import json
import time

import orjson
from dataclasses import dataclass, field
from typing import Any

SESSION_VERSION = 1
# The JSON type each stored field must have (bool is refused where an int is expected).
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "locale": (str,), "flow": (str, type(None)), "state": (str, type(None)), "slots": (dict,),
    "history": (list,), "options": (list,), "step": (int,), "misunderstood": (int,),
    "pending": (dict, type(None)), "data": (dict,), "updated_at": (int, float), "v": (int,),
}

_NAME_TYPES = (str, type(None))  # a history step's flow and state (JSON gives exact types: no subclasses)


class DamagedValue(ValueError):
    """A stored session or handoff pointer that cannot be read (not JSON, or fields of the wrong type)."""


@dataclass
class Session:
    """What the bot remembers of one conversation. Never holds raw user text (PII stays out)."""

    locale: str = "zh-CN"
    flow: str | None = None
    state: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    options: list[str] = field(default_factory=list)  # values of the options last shown (for "1", "2", …)
    step: int = 0
    misunderstood: int = 0
    pending: dict[str, Any] | None = None  # e.g. a proposed switch to another errand awaiting 是/否
    handoff: dict[str, Any] | None = None  # loaded from the ``handoff`` key: a human operator owns the chat
    data: dict[str, Any] = field(default_factory=dict)  # feature-owned extras (subscriptions, …)
    updated_at: float = 0.0
    v: int = SESSION_VERSION

    def dumps(self) -> str:
        self.updated_at = time.time()
        # The fields themselves, not `dataclasses.asdict` (which deep-copies history and slots first):
        # they hold plain JSON values only, and json.dumps walks them without copying.
        data = {name: getattr(self, name) for name in _SAVED_FIELDS}
        return dumps(data)

    @classmethod
    def loads(cls, raw: str | bytes) -> "Session":
        """The stored session; `DamagedValue` when it is not JSON or a field has the wrong type."""
        try:
            data = orjson.loads(raw)
        except ValueError as e:  # orjson.JSONDecodeError is a ValueError
            raise DamagedValue(f"session is not JSON ({e.__class__.__name__})") from None
        if not isinstance(data, dict):
            raise DamagedValue(f"session is a JSON {type(data).__name__}, not an object")
        for name, types in _FIELD_TYPES.items():
            if name in data and (not isinstance(data[name], types) or isinstance(data[name], bool)):
                raise DamagedValue(f"session field {name!r} is a {type(data[name]).__name__}")
        # Plain loops without generators: this runs on every message, over up to `history_limit` steps.
        for o in data.get("options", ()):
            if type(o) is not str:
                raise DamagedValue("session options are not all strings")
        for snap in data.get("history", ()):
            if not (type(snap) is dict and type(snap.get("slots")) is dict
                    and type(snap.get("flow")) in _NAME_TYPES and type(snap.get("state")) in _NAME_TYPES):
                raise DamagedValue("session history holds a step of the wrong shape")
        pending = data.get("pending")
        if pending is not None and not (isinstance(pending.get("flow"), str)
                                        and isinstance(pending.get("slots", {}), dict)):
            raise DamagedValue("session pending switch has the wrong shape")
        return cls(**{k: v for k, v in data.items() if k in _LOADED_FIELDS})


def dumps(data: Any) -> str:
    """Compact JSON, as ``json.dumps(data, ensure_ascii=False, separators=(",", ":"))`` writes it, by orjson
    (several times faster; sessions and turns are written on every message). What orjson refuses — integer
    keys, integers past 64 bits — goes through the standard library as before."""
    try:
        return orjson.dumps(data).decode()
    except TypeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# "handoff" lives in its own key, written only by bot.handoff.
_SAVED_FIELDS = tuple(name for name in Session.__dataclass_fields__ if name != "handoff")
_LOADED_FIELDS = frozenset(_SAVED_FIELDS)

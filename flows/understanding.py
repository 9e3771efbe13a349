"""Understanding free text: global commands, the errand a message starts, slots it already answers,
and which offered choice an answer means. Vocabulary lives in `flows/data/*.toml`, not in code."""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

DATA_DIR = Path(__file__).resolve().parent / "data"

_PUNCT = re.compile(r"[\s,，。.!！~～、;；:：'\"“”‘’()（）【】\[\]<>《》…]+")


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, punctuation and spaces removed."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _PUNCT.sub("", text)


@dataclass(frozen=True)
class Understanding:
    """intent: a flow name, "faq", "out_of_scope", "handoff", or None when nothing was recognised."""

    intent: str | None
    slots: dict[str, Any] = field(default_factory=dict)
    faq: str | None = None
    score: float = 0.0


class Understander:
    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        with open(data_dir / "commands.toml", "rb") as f:
            commands = tomllib.load(f)
        with open(data_dir / "intents.toml", "rb") as f:
            intents = tomllib.load(f)
        fillers = commands.pop("fillers", {})
        self._prefixes = sorted((normalize(p) for p in fillers.get("prefix", [])), key=len, reverse=True)
        self._suffixes = sorted((normalize(s) for s in fillers.get("suffix", [])), key=len, reverse=True)
        self._commands: dict[str, str] = {}
        for name, by_locale in commands.items():
            for phrases in by_locale.values():
                for p in phrases:
                    self._commands.setdefault(normalize(p) or p, name)
        self._typos = {normalize(k): normalize(v) for k, v in intents.get("typos", {}).items()}
        self._intents = {
            name: [normalize(p) for p in spec.get("phrases", [])] for name, spec in intents.get("intents", {}).items()
        }
        self._slots = {
            slot: {value: [normalize(p) for p in phrases] for value, phrases in values.items()}
            for slot, values in intents.get("slots", {}).items()
        }

    def clean(self, text: str) -> str:
        t = normalize(text)
        for wrong, right in self._typos.items():
            t = t.replace(wrong, right)
        return t

    def command(self, text: str) -> str | None:
        """The global command a whole message asks for, or None."""
        raw = unicodedata.normalize("NFKC", text or "").strip().lower()
        if raw in self._commands:  # "?" and "/start" survive only before punctuation folding
            return self._commands[raw]
        t = self.clean(text)
        for _ in range(3):
            if t in self._commands:
                return self._commands[t]
            stripped = t
            for p in self._prefixes:
                if stripped.startswith(p) and len(stripped) > len(p):
                    stripped = stripped[len(p):]
                    break
            for s in self._suffixes:
                if stripped.endswith(s) and len(stripped) > len(s):
                    stripped = stripped[: -len(s)]
                    break
            if stripped == t:
                return None
            t = stripped
        return self._commands.get(t)

    def slots_in(self, text: str) -> dict[str, Any]:
        t = self.clean(text)
        found: dict[str, Any] = {}
        for slot, values in self._slots.items():
            for value, phrases in values.items():
                if any(p and p in t for p in phrases):
                    found[slot] = value
                    break
        return found

    def understand(self, text: str) -> Understanding:
        t = self.clean(text)
        if not t:
            return Understanding(None)
        best, score = None, 0
        for name, phrases in self._intents.items():
            hits = sum(len(p) for p in phrases if p and p in t)
            if hits > score:
                best, score = name, hits
        if best is None:
            return Understanding(None)
        return Understanding(best, self.slots_in(text), score=float(score))

    def match_choice(self, text: str, slot: str, choices: Sequence[tuple[str, Sequence[str]]]) -> str | None:
        """Which choice a free-text answer means: its label or value, or a slot phrase for that value.

        ``choices`` pairs each value with its labels in the session's locale. Returns a value or None.
        """
        t = self.clean(text)
        if not t:
            return None
        for value, labels in choices:
            if t == normalize(value) or any(t == normalize(label) for label in labels):
                return value
        hits = [v for v, labels in choices if any(len(t) >= 2 and t in normalize(label) for label in labels)]
        if len(hits) == 1:
            return hits[0]
        by_phrase = self.slots_in(text).get(slot)
        if by_phrase is not None and any(by_phrase == v for v, _ in choices):
            return by_phrase
        return None

"""Fluent translations: every user-facing sentence lives in `locales/<locale>/*.ftl` under a stable id.

The locale is passed explicitly: flows return `Text` ids and the adapter renders them in the session's
locale (`Turn.locale`), so no context variable is needed; without a locale the translator's default is used.
`Translator` is created once at start-up.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource

from bot.messages import Reply, Text

log = logging.getLogger(__name__)

LOCALES_DIR = Path(os.environ.get("YIBAO_LOCALES_DIR", Path(__file__).resolve().parent.parent / "locales"))
SUPPORTED = ("zh-CN", "en")
LONG_PARAM = 1000  # string parameters longer than this bypass Fluent's 2,500-character placeable cap
# Rendered sentences are kept per (id, locale, parameters) when the parameters are a few short plain values:
# a turn renders the same handful of sentences and option labels over and over, and Fluent's resolver costs
# far more than a dict lookup. Emptied when full (the set in use is a few hundred entries).
CACHE_SIZE = 4096
CACHE_PARAMS = 4  # at most this many parameters …
CACHE_PARAM_CHARS = 64  # … each a number or a string at most this long (user text is not kept)


def normalize_locale(value: str | None) -> str | None:
    """Map platform language codes (zh, zh_CN, zh-hans, en-US, …) to a supported locale, or None."""
    if not value:
        return None
    v = value.strip().replace("_", "-").lower()
    if v.startswith("zh"):
        return "zh-CN"
    if v.startswith("en"):
        return "en"
    return None


@dataclass(frozen=True, slots=True)
class Rendered:
    """A reply as plain text: what channels without rich UI show. ``options`` are (value, label)."""

    text: str
    options: tuple[tuple[str, str], ...] = ()

    def numbered(self) -> str:
        """Text followed by the options as a numbered list (answerable by number)."""
        if not self.options:
            return self.text
        lines = [f"{i}. {label}" for i, (_, label) in enumerate(self.options, 1)]
        return self.text + "\n\n" + "\n".join(lines)


def _cache_key(item: Text, locale: str) -> tuple | None:
    """The cache key of ``item`` in ``locale``, or None when its parameters are not worth keeping."""
    params = item.params
    if not params:
        return (item.key, locale)
    if len(params) > CACHE_PARAMS:
        return None
    key: list = [item.key, locale]
    for name, value in params.items():
        kind = type(value)
        if not (kind is int or kind is float or (kind is str and len(value) <= CACHE_PARAM_CHARS)):
            return None
        key += (name, kind, value)  # the type too: 1 and 1.0 are equal keys but Fluent formats them apart
    return tuple(key)


class Translator:
    """Loads every `.ftl` file of each locale into one FluentBundle per locale."""

    def __init__(self, directory: Path = LOCALES_DIR, default: str = "zh-CN") -> None:
        self.default = default
        self.bundles: dict[str, FluentBundle] = {}
        self._cache: dict[tuple, str] = {}
        for loc in SUPPORTED:
            bundle = FluentBundle([loc], use_isolating=False)
            for path in sorted((directory / loc).glob("*.ftl")):
                errors = bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
                if errors:
                    raise ValueError(f"{path}: {errors}")
            self.bundles[loc] = bundle

    def ids(self, locale: str) -> set[str]:
        return set(self.bundles[locale]._messages)  # fluent.runtime keeps parsed messages here

    def has(self, key: str, locale: str | None = None) -> bool:
        return self.bundles[locale or self.default].has_message(key)

    def text(self, item: Text | str, locale: str | None = None, **params: object) -> str:
        if isinstance(item, str):
            item = Text(item, params)
        loc = locale or self.default
        key = _cache_key(item, loc)
        if key is not None:
            out = self._cache.get(key)
            if out is None:
                if len(self._cache) >= CACHE_SIZE:
                    self._cache.clear()
                out = self._cache[key] = self._format(item, loc)
            return out
        return self._format(item, loc)

    def _format(self, item: Text, loc: str) -> str:
        for candidate in (loc, self.default):
            bundle = self.bundles.get(candidate)
            if bundle is not None and bundle.has_message(item.key):
                msg = bundle.get_message(item.key)
                if msg.value is None:
                    break
                args = {k: self._param(v, candidate) for k, v in item.params.items()}
                # fluent.runtime replaces a placeable longer than MAX_PART_LENGTH (2,500 characters) with
                # "{???}" (a guard against expansion attacks on translations). Our long values are user or
                # operator text, never Fluent markup: pass a short stand-in and put the text back after.
                long = {f"\ue000{i}\ue001": v for i, (k, v) in enumerate(args.items())
                        if isinstance(v, str) and len(v) > LONG_PARAM}
                if long:
                    stand_in = {v: m for m, v in long.items()}
                    args = {k: stand_in.get(v, v) if isinstance(v, str) else v for k, v in args.items()}
                out, errors = bundle.format_pattern(msg.value, args)
                if errors:
                    log.warning("locale %s id %s: %s", candidate, item.key, errors)
                for marker, value in long.items():
                    out = out.replace(marker, value)
                return out
        log.error("missing locale id %s (%s)", item.key, loc)
        return item.key

    def _param(self, value: object, locale: str) -> object:
        # A nested Text renders in the same locale, so a sentence can embed another translated phrase.
        if isinstance(value, Text):
            return self.text(value, locale)
        if isinstance(value, (list, tuple)):
            return self.text(Text("list-separator"), locale).join(str(self._param(v, locale)) for v in value)
        return value

    def render(self, reply: Reply, locale: str | None = None) -> Rendered:
        loc = locale or self.default
        text = "\n\n".join(self.text(t, loc) for t in reply.texts)
        return Rendered(text, tuple((o.value, self.text(o.label, loc)) for o in reply.options))

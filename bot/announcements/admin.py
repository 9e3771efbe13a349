"""Admin operations shared by the CLI and the HTTP routes: create (or dry-run), list, report, cancel, requeue."""
from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from datetime import datetime
from typing import Any

from bot.announcements.store import TELEGRAM_TEXT_LIMIT, Store, TargetSpec
from bot.i18n import SUPPORTED, Translator
from bot.messages import Text


class AdminError(ValueError):
    """A request that cannot be carried out as asked (bad target, unknown locale id, …)."""


# Without an explicit idempotency key, the same text (or locale id) for the same target and schedule is
# taken as a double submission within this many seconds, and not created again.
DUPLICATE_WINDOW = 600
EXPLICIT_KEY_WINDOW = 24 * 3600


def derived_key(target: str, text: str, locale_id: str, at: float | None) -> str:
    """The idempotency key of a create without an explicit one: text + target + schedule."""
    what = json.dumps([target, text, locale_id, round(at, 3) if at else None], ensure_ascii=False)
    return "d:" + hashlib.sha256(what.encode()).hexdigest()


def parse_at(value: str | None) -> float | None:
    """ISO 8601 time → epoch seconds. Without an offset it is read as this machine's local time."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError as e:
        raise AdminError(f"--at must be an ISO 8601 time such as 2025-07-01T09:00+08:00, got {value!r}") from e
    return dt.timestamp()


async def create(store: Store, translator: Translator, *, target: str, text: str | None = None,
                 locale_id: str | None = None, at: str | float | None = None, dry_run: bool = False,
                 created_by: str = "cli", default_locale: str = "zh-CN", hotline: str = "12333",
                 idempotency_key: str | None = None) -> dict[str, Any]:
    """Create (or preview) an announcement. A repeat of the same create — the same ``idempotency_key``
    within 24 h, or without one the same text, target and time within 10 minutes — creates nothing and
    returns the first announcement with ``"duplicate": true``."""
    try:
        spec = TargetSpec.parse(target)
    except ValueError as e:
        raise AdminError(str(e)) from e
    text = (text or "").strip()
    locale_id = (locale_id or "").strip()
    if bool(text) == bool(locale_id):
        raise AdminError("give exactly one of text or locale_id")
    if locale_id:
        missing = [loc for loc in SUPPORTED if not translator.has(locale_id, loc)]
        if missing:
            raise AdminError(f"locale id {locale_id!r} is missing in {', '.join(missing)}")
    if len(text) > TELEGRAM_TEXT_LIMIT:
        raise AdminError(f"text is {len(text)} characters; Telegram allows {TELEGRAM_TEXT_LIMIT}")
    when = parse_at(at) if isinstance(at, str) else at
    if dry_run:
        targets = await store.resolve(spec, default_locale)
        locales = Counter(loc for _, loc in targets)
        preview = {loc: text or translator.text(Text(locale_id, {"hotline": hotline}), loc)
                   for loc in (locales or {default_locale: 0})}
        return {"dry_run": True, "target": str(spec), "targets": len(targets),
                "sample": [t for t, _ in targets[:10]], "locales": dict(locales), "preview": preview,
                "at": when, "due_in_seconds": max(0.0, (when or time.time()) - time.time())}
    if idempotency_key is not None and (not isinstance(idempotency_key, str) or not idempotency_key.strip()
                                        or len(idempotency_key) > 200):
        raise AdminError("idempotency key must be a non-empty string of at most 200 characters")
    if idempotency_key:
        key, window = "k:" + idempotency_key.strip(), EXPLICIT_KEY_WINDOW
    else:
        key, window = derived_key(str(spec), text, locale_id, when), DUPLICATE_WINDOW
    a = await store.create(spec, text=text, locale_id=locale_id, at=when, created_by=created_by,
                           idempotency_key=key, idempotency_window=window)
    return a.summary()


def format_report(r: dict[str, Any]) -> str:
    """A report as plain text for the terminal."""
    lines = [
        f"announcement {r['id']}  {r['status']}  target={r['target']}",
        f"  created {r['created_at']} by {r['created_by']}; due {r['at']}"
        + (f"; started {r['started_at']}" if r.get("started_at") else "")
        + (f"; finished {r['finished_at']}" if r.get("finished_at") else ""),
        f"  total {r['total']}: sent {r['sent']}, failed {r['failed']}, unknown {r['unknown']}, "
        f"pending {r['pending']}, sending {r['sending']}",
    ]
    for title, key in (("failed", "failed_targets"), ("unknown (not resent; see `announce requeue`)", "unknown_targets")):
        items = r.get(key) or {}
        if items:
            lines.append(f"  {title}:")
            lines += [f"    {t}: {why}" for t, why in list(items.items())[:50]]
            if len(items) > 50:
                lines.append(f"    … and {len(items) - 50} more")
    return "\n".join(lines)

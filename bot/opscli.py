"""`python -m bot report funnel`, `python -m bot review export|check` and `python -m bot keys migrate` (see README,
"Operations")."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import IO

from bot.config import Settings, load_settings

NEEDS_REDIS = ("{what} reads what the running bot recorded in Redis: set REDIS_URL to the server's Redis "
               "(without it the bot keeps everything inside its own process)")


def _redis(settings: Settings, what: str):  # noqa: ANN202 — redis.asyncio.Redis
    from bot.sessions import open_redis

    if not settings.redis_url:
        sys.exit(NEEDS_REDIS.format(what=what))
    return open_redis(settings.redis_url.get_secret_value())


async def report_funnel(settings: Settings, since: str, out: str | None, as_json: bool = False,
                        stdout: IO[str] | None = None) -> Path | None:
    """Print the funnel table (or JSON) for the period and write the chart; returns the chart's path."""
    from bot.funnel import chart, parse_period, report
    from bot.runtime import funnel_store
    from flows import build_flows

    period = parse_period(since)
    redis = _redis(settings, "report funnel")
    try:
        rep = await report(funnel_store(settings, redis), build_flows(), period)
    finally:
        await redis.aclose()
    print(json.dumps(rep.to_json(), ensure_ascii=False, indent=2) if as_json else rep.table(), file=stdout)
    if not out:
        return None
    path = Path(out)
    if path.suffix.lower() != ".svg":
        sys.exit(f"the chart is an SVG: name the file …/something.svg, not {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(await asyncio.to_thread(chart, rep))
    print(f"chart written to {path}", file=stdout)
    return path


async def review_export(settings: Settings, out: IO[str], stdout: IO[str] | None = None) -> int:
    stdout = stdout or sys.stderr
    from bot.i18n import Translator
    from bot.review import export
    from bot.runtime import review_queue
    from flows import build_flows

    redis = _redis(settings, "review export")
    try:
        items = await review_queue(settings, redis).items()
    finally:
        await redis.aclose()
    n = export(items, out, Translator(default=settings.default_locale), build_flows())
    print(f"{n} message(s) the bot did not understand; fill in the 'label' column, then run "
          "`python -m bot review check FILE`", file=stdout)
    return n


def review_check(settings: Settings, path: str, stdout: IO[str] | None = None) -> int:
    """Exit status: 0 when every labelled line is handled as labelled, 1 otherwise."""
    stdout = stdout or sys.stdout
    from bot.i18n import Translator
    from bot.review import check_file
    from bot.runtime import build_dialogue

    dialogue = build_dialogue(settings, Translator(default=settings.default_locale))
    _, _, differs = check_file(path, dialogue, stdout)
    return 1 if differs else 0


def cmd_report_funnel(args: argparse.Namespace) -> None:
    try:
        asyncio.run(report_funnel(load_settings(), args.since, args.out, args.json))
    except ValueError as e:
        sys.exit(f"error: {e}")


def cmd_review(args: argparse.Namespace) -> None:
    settings = load_settings()
    if args.action == "export":
        if args.out in (None, "-"):
            asyncio.run(review_export(settings, sys.stdout))
        else:
            with open(args.out, "w", encoding="utf-8", newline="") as f:
                asyncio.run(review_export(settings, f))
        return
    sys.exit(review_check(settings, args.file))


async def keys_migrate(settings: Settings, stdout: IO[str] | None = None) -> dict[str, int]:
    from bot import keys
    from bot.keymigrate import migrate

    redis = _redis(settings, "keys migrate")
    try:
        done = await migrate(redis, int(settings.handoff_retention_days * keys.DAY))
    finally:
        await redis.aclose()
    print(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in done.items()), file=stdout or sys.stdout)
    return done


def cmd_keys(args: argparse.Namespace) -> None:
    asyncio.run(keys_migrate(load_settings()))


def add_parsers(sub: argparse._SubParsersAction) -> None:
    rep = sub.add_parser("report", help="reports from what the running bot recorded (needs REDIS_URL)")
    kinds = rep.add_subparsers(dest="report", required=True)
    f = kinds.add_parser("funnel", help="per flow: residents who entered, reached each question, stopped, got guidance")
    f.add_argument("--since", default="7d", help="period to look back: 7d, 24h, 30m, 2w (default %(default)s)")
    f.add_argument("--out", default="funnel.svg", help="SVG chart file ('' for none; default %(default)s)")
    f.add_argument("--json", action="store_true", help="print JSON instead of the table")
    f.set_defaults(func=cmd_report_funnel)

    rev = sub.add_parser("review", help="messages the bot did not understand: export to label, check the labels")
    acts = rev.add_subparsers(dest="action", required=True)
    e = acts.add_parser("export", help="write the review queue as TSV (needs REDIS_URL)")
    e.add_argument("--out", default=None, help="file to write (default: stdout)")
    c = acts.add_parser("check", help="replay a labelled TSV through the current rules, print what the bot does now")
    c.add_argument("file")
    rev.set_defaults(func=cmd_review)

    ks = sub.add_parser("keys", help="Redis keys (layout: bot/keys.py)")
    ks_acts = ks.add_subparsers(dest="action", required=True)
    ks_acts.add_parser("migrate", help="move what an older bot stored to the current key layout (needs REDIS_URL)")
    ks.set_defaults(func=cmd_keys)

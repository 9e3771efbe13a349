"""`python -m bot announce create|status|list|cancel|requeue` and `python -m bot worker`.

The CLI is an admin tool: whoever can run it in the deployment already holds its secrets (REDIS_URL), so
it asks for no token; the HTTP routes do.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

from bot.config import Settings, load_settings


def _print(obj: Any, as_json: bool, text: str) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2) if as_json else text)


async def _announce(args: argparse.Namespace, settings: Settings) -> int:
    from bot.announcements.admin import AdminError, create, format_report
    from bot.announcements.store import Store
    from bot.i18n import Translator
    from bot.sessions import open_redis

    url = settings.redis_url.get_secret_value() if settings.redis_url else None
    if not url and not (args.action == "create" and args.dry_run):
        sys.exit("announce needs REDIS_URL: the workers read announcements from the same Redis "
                 "(only `announce create --dry-run` works without it)")
    redis = open_redis(url)
    store = Store(redis, settings.announce_key_prefix)
    try:
        if args.action == "create":
            try:
                r = await create(store, Translator(default=settings.default_locale), target=args.target,
                                 text=args.text, locale_id=args.locale_id, at=args.at, dry_run=args.dry_run,
                                 created_by=args.by, default_locale=settings.default_locale,
                                 hotline=settings.hotline, idempotency_key=args.idempotency_key)
            except AdminError as e:
                sys.exit(f"error: {e}")
            if r.get("dry_run"):
                lines = [f"dry run: {r['targets']} target(s) for {r['target']}, nothing stored or sent"]
                lines += [f"  e.g. {', '.join(r['sample'])}"] if r["sample"] else []
                lines += [f"  [{loc}] {txt}" for loc, txt in r["preview"].items()]
                _print(r, args.json, "\n".join(lines))
            elif r.get("duplicate"):
                _print(r, args.json, f"announcement {r['id']} was already created by an identical request "
                                     f"(same idempotency key, or same text, target and time within 10 minutes); "
                                     f"nothing new was created. To send it again on purpose, pass a new "
                                     f"--idempotency-key.")
            else:
                _print(r, args.json, f"announcement {r['id']} {r['status']} for {r['target']}, due {r['at']}; "
                                     f"a `worker` process delivers it (status: announce status {r['id']})")
            return 0
        if args.action == "list":
            items = [a.summary() for a in await store.list(args.limit)]
            rows = [f"{a['id']:>5}  {a['status']:<10} {a['target']:<24} sent {a['sent']}/{a['total']}, "
                    f"failed {a['failed']}, unknown {a['unknown']}, pending {a['pending']}  {a['created_at']}"
                    for a in items]
            _print(items, args.json, "\n".join(rows) or "no announcements")
            return 0
        if args.action == "status" and args.id is None:
            ws, now = await store.workers(), time.time()
            rows = [f"{w['name']:<32} alive, last beat {now - w.get('at', now):.1f} s ago, up "
                    f"{now - w.get('started', now):.0f} s, sent {w.get('sent', 0)}, failed {w.get('failed', 0)}, "
                    f"unknown {w.get('unknown', 0)}" for w in ws]
            _print(ws, args.json, "\n".join([f"{len(ws)} worker(s) alive", *rows]) if ws else
                   "no worker is alive: start one with `python -m bot worker`")
            return 0
        if args.action == "status":
            r = await store.report(args.id)
            if r is None:
                sys.exit(f"no announcement {args.id}")
            _print(r, args.json, format_report(r))
            return 0
        if args.action == "cancel":
            status = await store.cancel(args.id)
            if status is None:
                sys.exit(f"no announcement {args.id}")
            print(f"announcement {args.id}: {status}")
            return 0
        if args.action == "requeue":
            n = await store.requeue_unknown(args.id)
            print(f"announcement {args.id}: {n} unknown target(s) queued again — they may receive it twice")
            return 0
    finally:
        await redis.aclose()
    return 2


def cmd_announce(args: argparse.Namespace) -> None:
    sys.exit(asyncio.run(_announce(args, load_settings())))


def output_factories() -> list:
    """The channels' announcement outputs, built by their adapters (``factory(settings, redis)``, None when the
    channel is not configured): this process entry point is the one place the worker meets them. Each adapter
    is imported when its factory is called, after `run_worker` checked the settings, so a worker refused for
    want of REDIS_URL says so at once instead of after importing aiogram (seconds of CPU)."""

    def telegram_output(settings: Settings, redis: Any) -> Any:
        from adapters import telegram

        return telegram.announcement_output(settings, redis)

    def wechat_output(settings: Settings, redis: Any) -> Any:
        from adapters import wechat

        return wechat.announcement_output(settings, redis)

    return [telegram_output, wechat_output]


def cmd_worker(args: argparse.Namespace) -> None:
    from bot.announcements.worker import run_worker

    asyncio.run(run_worker(load_settings(), output_factories(), name=args.name))


def add_parsers(sub: argparse._SubParsersAction) -> None:
    ann = sub.add_parser("announce", help="create, inspect and cancel announcements (broadcasts)")
    acts = ann.add_subparsers(dest="action", required=True)

    c = acts.add_parser("create", help="create an announcement (sent by a `worker` process)")
    src = c.add_mutually_exclusive_group(required=True)
    src.add_argument("--text", help="the message, as is (plain text, ≤ 4096 characters)")
    src.add_argument("--text-file", type=argparse.FileType("r", encoding="utf-8"), help="read the message from a file")
    src.add_argument("--locale-id", help="a Fluent id from locales/*/…ftl, rendered in each recipient's language")
    c.add_argument("--target", required=True,
                   help="telegram:subscribers | telegram:chats | telegram:chat:<id> | wechat:all | wechat:tag:<id>")
    c.add_argument("--at", help="send at this ISO 8601 time, e.g. 2025-07-01T09:00+08:00 (default: now)")
    c.add_argument("--dry-run", action="store_true", help="resolve the targets and preview; store and send nothing")
    c.add_argument("--by", default="cli", help="who is creating it (recorded in the report)")
    c.add_argument("--idempotency-key", help="a repeat with the same key (within 24 h) creates nothing new; "
                                             "without it, the same text, target and --at within 10 minutes count "
                                             "as a repeat")

    s = acts.add_parser("status", help="delivery report: sent, failed with reasons, unknown, pending; "
                                       "without an id: which workers are alive")
    s.add_argument("id", nargs="?")
    lst = acts.add_parser("list", help="recent announcements")
    lst.add_argument("--limit", type=int, default=20)
    x = acts.add_parser("cancel", help="stop an announcement (targets not yet sent stay pending)")
    x.add_argument("id")
    r = acts.add_parser("requeue", help="send again to targets whose delivery is unknown (may duplicate)")
    r.add_argument("id")
    for p in (c, s, lst, x, r):
        p.add_argument("--json", action="store_true", help="machine-readable output")
    ann.set_defaults(func=_with_text_file(cmd_announce))

    w = sub.add_parser("worker", help="deliver announcements (needs REDIS_URL; run several to share the work)")
    w.add_argument("--name", default=None, help="consumer name (default: host.pid.random)")
    w.set_defaults(func=cmd_worker)


def _with_text_file(func):  # noqa: ANN001, ANN202
    def wrapped(args: argparse.Namespace) -> None:
        if getattr(args, "text_file", None):
            args.text = args.text_file.read()
        func(args)

    return wrapped

"""Command line: `python -m bot serve | chat | …` (also installed as `yibao-bot`).

The process entry point, and the one module of `bot/` that imports `adapters/` (the app, the console chat,
the Telegram poller): it starts what the channels assemble (tests/test_layering.py allows exactly this).
"""
from __future__ import annotations

import argparse
import asyncio
import sys

from pydantic import ValidationError

from bot.config import Settings, load_settings
from bot.logs import configure_logging


def cmd_serve(args: argparse.Namespace) -> None:
    settings = load_settings(port=args.port, host=args.host)
    if args.workers < 1:
        sys.exit("--workers must be at least 1")
    if args.workers == 1:
        _serve(settings, reuse_port=False)
        return
    if settings.redis_url is None:
        sys.exit("--workers above 1 needs REDIS_URL: the embedded store lives inside one process")
    _prefork(settings, args.workers)


def _serve(settings: Settings, *, reuse_port: bool, announce: bool = True) -> None:
    import logging

    from adapters.app import create_app  # the entry point may import adapters/ (tests/test_layering.py)
    from bot.serving import serve
    from bot.status import banner

    app = create_app(settings)
    app.on_startup.append(_freeze_heap)
    # The access log costs a record per request; it is kept at LOG_LEVEL=DEBUG only.
    access = logging.getLogger("aiohttp.access")
    serve(app, settings.host, settings.port, reuse_port=reuse_port,
          access_log=access if access.isEnabledFor(logging.DEBUG) else None,
          started=(lambda: print(banner(app, settings), flush=True)) if announce else None, loop_factory=_new_loop)


def _new_loop() -> asyncio.AbstractEventLoop:
    """uvloop's event loop (libuv: about a fifth less CPU per webhook request here, see bench/results/),
    asyncio's own where uvloop does not build (it has no Windows wheels)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


GC_YOUNG_THRESHOLD = 20_000


async def _freeze_heap(app: object) -> None:
    """Move everything start-up built into the garbage collector's permanent generation (gc.freeze).

    The vocabulary, gazetteer, pinyin table and locales are ~250,000 long-lived objects; a full collection
    walked them all — 100-300 ms during which no request is served, the webhook p99 — and serving a few
    thousand messages triggers one. Frozen objects are never scanned; they are never freed either, which
    is what start-up data is for."""
    import gc

    gc.collect()
    gc.freeze()
    # A message allocates a few thousand short-lived objects: at CPython's default of a young collection
    # every 700 allocations that is several collections per message, each walking the young objects still
    # alive mid-request. Every 20,000 (a few messages) measured about a tenth less CPU per /wechat message
    # at 64 concurrent users; the older generations keep their default pace.
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def _prefork(settings: Settings, workers: int) -> None:
    """``workers`` server processes on one port (SO_REUSEPORT: the kernel spreads connections over them).

    Each worker builds its own services after the fork (its own Redis connections); the parent only
    watches: SIGTERM/SIGINT are passed on, and when one worker dies the others are stopped too, so a
    process manager sees the failure and restarts the whole set."""
    import multiprocessing
    import os
    import signal

    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_serve, args=(settings,), kwargs={"reuse_port": True, "announce": i == 0},
                         name=f"worker-{i + 1}") for i in range(workers)]
    for p in procs:
        p.start()

    told_to_stop = False

    def stop(signum: int | None, frame: object) -> None:
        nonlocal told_to_stop
        told_to_stop = told_to_stop or signum is not None
        for p in procs:
            if p.is_alive() and p.pid is not None:
                os.kill(p.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    from multiprocessing.connection import wait

    ready = wait([p.sentinel for p in procs])  # the first worker to exit ends the set
    first = next(p for p in procs if p.sentinel in ready)
    stop(None, None)
    for p in procs:
        p.join()
    # Stopped by a signal: a clean exit, whatever code the workers left with. A worker
    # that died on its own: its code, so the process manager sees the failure.
    sys.exit(0 if told_to_stop else (first.exitcode or 1))


def cmd_chat(args: argparse.Namespace) -> None:
    from adapters.console import ConsoleChat
    from bot.runtime import build_services

    async def run() -> None:
        services = build_services(load_settings())
        chat = ConsoleChat(services.engine, services.translator, args.user, args.lang)
        try:
            if args.jsonl:
                await chat.run_jsonl(sys.stdin, sys.stdout)
            else:
                await chat.run_interactive(sys.stdin, sys.stdout)
        finally:
            await services.close()

    asyncio.run(run())


def cmd_poll(args: argparse.Namespace) -> None:
    from adapters.telegram import run_polling
    from bot.runtime import build_services

    async def run() -> None:
        services = build_services(load_settings())
        try:
            await run_polling(services, timeout=args.timeout)
        finally:
            await services.close()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass


def cmd_flows_diagram(args: argparse.Namespace) -> None:
    from pathlib import Path

    from bot.i18n import Translator
    from flows import build_flows
    from flows.diagram import markdown, mermaid, readme_section, splice_readme

    flows, tr = build_flows(), Translator()
    if args.name:
        if args.name not in flows:
            sys.exit(f"unknown flow {args.name!r}; flows: {', '.join(flows)}")
        sys.stdout.write(mermaid(flows[args.name], tr))
        return
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown(flows.values(), tr), encoding="utf-8")
    print(f"wrote {out} ({len(flows)} flows)")
    if args.readme:
        readme = Path(args.readme)
        readme.write_text(splice_readme(readme.read_text(encoding="utf-8"), readme_section(flows.values(), tr)),
                          encoding="utf-8")
        print(f"updated the diagrams in {readme}")


def cmd_operator_hash(args: argparse.Namespace) -> None:
    """Print an OPERATOR_ACCOUNTS entry: the name and an argon2 hash of a password typed twice (or piped)."""
    import getpass
    import json

    from argon2 import PasswordHasher

    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.name}: ")
        if password != getpass.getpass("again: "):
            sys.exit("the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        sys.exit("use a password of at least 8 characters")
    print(json.dumps({args.name: PasswordHasher().hash(password)}))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yibao-bot", description="医保办事助手 / medical-insurance errand bot")
    parser.add_argument("--log-level", default=None, help="DEBUG, INFO, WARNING (default: LOG_LEVEL or INFO)")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP server (webhooks for the configured channels)")
    serve.add_argument("--port", type=int, default=None, help="default: PORT or 8080")
    serve.add_argument("--host", default=None, help="default: HOST or 0.0.0.0")
    serve.add_argument("--workers", type=int, default=1,
                       help="server processes sharing the port (SO_REUSEPORT; needs REDIS_URL above 1; default 1)")
    serve.set_defaults(func=cmd_serve)

    chat = sub.add_parser("chat", help="chat with the bot in this terminal")
    chat.add_argument("--jsonl", action="store_true", help="read one message per stdin line, print one JSON per turn")
    chat.add_argument("--lang", choices=["zh-CN", "en"], default=None, help="language for a new conversation")
    chat.add_argument("--user", default="console-user", help="user id (same id = same conversation)")
    chat.set_defaults(func=cmd_chat)

    flows_cmd = sub.add_parser("flows", help="inspect the conversation flows")
    flows_sub = flows_cmd.add_subparsers(dest="flows_command", required=True)
    diagram = flows_sub.add_parser("diagram", help="Mermaid diagrams generated from the flows' state machines")
    diagram.add_argument("name", nargs="?", help="one flow: print its Mermaid graph to stdout")
    diagram.add_argument("--out", default="docs/flows.md", help="without NAME: write all flows here (default: %(default)s)")
    diagram.add_argument("--readme", default="README.md",
                         help="without NAME: also refresh the diagrams in this README ('' to skip; default: %(default)s)")
    diagram.set_defaults(func=cmd_flows_diagram)

    poll = sub.add_parser("poll", help="run the Telegram bot by long polling (no webhook, no public URL)")
    poll.add_argument("--timeout", type=int, default=30, help="getUpdates long-poll seconds (default 30)")
    poll.set_defaults(func=cmd_poll)

    from bot.opscli import add_parsers as add_ops_parsers

    add_ops_parsers(sub)  # `report funnel` and `review export|check`

    op_hash = sub.add_parser("operator-hash", help="print an OPERATOR_ACCOUNTS entry for the web console")
    op_hash.add_argument("name", help="the operator's sign-in name")
    op_hash.set_defaults(func=cmd_operator_hash)

    from bot.announcements.cli import add_parsers as add_announcement_parsers

    add_announcement_parsers(sub)  # `announce …` and `worker`
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    level = args.log_level or Settings.model_fields["log_level"].default
    fmt = Settings.model_fields["log_format"].default
    try:
        env = Settings()
        level, fmt = args.log_level or env.log_level, env.log_format
    except ValidationError:
        pass
    configure_logging(level, fmt)
    quiet_per_message_loggers()
    args.func(args)


def quiet_per_message_loggers() -> None:
    """Libraries that log a line per message at INFO (transitions: each state's enter/exit callbacks)
    speak only at DEBUG, like the bot's own per-message lines."""
    import logging

    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        logging.getLogger("transitions").setLevel(logging.WARNING)


if __name__ == "__main__":
    main()

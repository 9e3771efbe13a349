"""The processes `bench/webhook.py` starts, each in its own process so its CPU time can be read:

    python bench/webhook_servers.py botapi   --port P
    python bench/webhook_servers.py ceiling  --port P --redis URL
    python bench/webhook_servers.py aiogram  --port P --redis URL --reply webhook|http --api-base URL
    python bench/webhook_servers.py project  --port P -- serve …   (the project's own CLI, `python -m bot …`)

Every server process counts the Redis round trips it makes (each packet redis-py sends, the same count as
the tests' ``round_trips`` fixture) into a small file per process under ``$BENCH_COUNTERS`` — pre-forked
workers included — so the benchmark reads round trips per message without a proxy in the way.
"""
from __future__ import annotations

import argparse
import itertools
import json
import mmap
import os
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp import web  # noqa: E402

SECRET = "bench-secret"
TOKEN = "7000000001:AAHtestTOKENforYIBAObot_0123456789ab"
BOT_ID = 7000000001


# -- round-trip counter ------------------------------------------------------------------------------
class _Counter:
    """One 8-byte file per process (``rt.<pid>``), mapped shared; the benchmark sums them."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.pid = -1
        self.n = 0
        self.mm: mmap.mmap | None = None

    def bump(self) -> None:
        pid = os.getpid()
        if pid != self.pid:  # first use in this process (a forked worker starts from zero)
            path = os.path.join(self.directory, f"rt.{pid}")
            with open(path, "wb") as f:
                f.write(b"\0" * 8)
            with open(path, "r+b") as f:
                self.mm = mmap.mmap(f.fileno(), 8)
            self.pid, self.n = pid, 0
        self.n += 1
        struct.pack_into("q", self.mm, 0, self.n)  # type: ignore[arg-type]


def install_round_trip_counter() -> None:
    directory = os.environ.get("BENCH_COUNTERS")
    if not directory:
        return
    from redis.asyncio.connection import Connection

    counter = _Counter(directory)
    real = Connection.send_packed_command

    async def counting(self, command, check_health=True):  # type: ignore[no-untyped-def]
        counter.bump()
        return await real(self, command, check_health)

    Connection.send_packed_command = counting  # type: ignore[method-assign]


def read_round_trips(directory: str) -> int:
    total = 0
    for p in Path(directory).glob("rt.*"):
        data = p.read_bytes()
        if len(data) == 8:
            total += struct.unpack("q", data)[0]
    return total


# -- a minimal Bot API stand-in ------------------------------------------------------------------------
def botapi_app() -> web.Application:
    """Answers like the Bot API for the methods the contenders call, and counts the calls per method.

    Deliberately small (tests/fixtures/telegram/bot_api.py validates everything and keeps every call, which
    would grow without bound under load), and cheap: it stands for Telegram's servers, which do not share
    the benchmark's two cores, so only sendMessage's form is parsed (its answer names the chat) and every
    other method gets a ready-made ``true`` (the benchmark prints its CPU per call beside the table)."""
    counts: dict[str, int] = {}
    ids = itertools.count(1_000_001)
    ok_true = b'{"ok":true,"result":true}'
    me = json.dumps({"ok": True, "result": {"id": BOT_ID, "is_bot": True, "first_name": "bench",
                                            "username": "bench_bot"}}).encode()

    async def handle(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        counts[method] = counts.get(method, 0) + 1
        if method != "sendMessage":
            await request.read()
            return web.Response(body=me if method == "getMe" else ok_true, content_type="application/json")
        form = await request.post()
        chat_id = int(str(form["chat_id"]))
        result = {
            "message_id": next(ids), "date": 1718000100, "text": str(form.get("text", "")),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "bench"},
        }
        return web.json_response({"ok": True, "result": result})

    async def stats(request: web.Request) -> web.Response:
        return web.json_response(counts)

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", handle)
    app.router.add_get("/stats", stats)
    return app


# -- the ceiling: bare aiohttp, one GET and one SET per message -----------------------------------------
def ceiling_app(redis_url: str) -> web.Application:
    import redis.asyncio as aioredis

    redis = aioredis.from_url(redis_url, decode_responses=True)

    async def handle(request: web.Request) -> web.Response:
        update = await request.json()
        chat_id = update["message"]["chat"]["id"]
        key = f"ceiling:{chat_id}"
        n = int(await redis.get(key) or 0) + 1
        await redis.set(key, n)
        return web.json_response({"method": "sendMessage", "chat_id": chat_id, "text": f"第{n}步"})

    app = web.Application()
    app.router.add_post("/hook", handle)
    return app


# -- the baseline: aiogram 3 SimpleRequestHandler + RedisStorage, a 4-step FSM ----------------------------
def aiogram_app(redis_url: str, reply: str, api_base: str) -> web.Application:
    """A registration-style FSM: ask name → store it → store age → summarise and start over.

    Storage work per step (get_state is the state filter's): A 2, B 4, C 4, D 4 → 3.5 round trips per
    message on average. ``reply="webhook"`` returns the SendMessage as the webhook response (aiogram's
    best case); ``reply="http"`` awaits it against the Bot API stand-in."""
    from aiogram import Bot, Dispatcher, F
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.fsm.context import FSMContext
    from aiogram.fsm.state import State, StatesGroup
    from aiogram.fsm.storage.redis import RedisStorage
    from aiogram.types import Message
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler

    class Form(StatesGroup):
        b = State()
        c = State()
        d = State()

    storage = RedisStorage.from_url(redis_url)
    dp = Dispatcher(storage=storage)
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base)))

    async def say(message: Message, text: str):  # type: ignore[no-untyped-def]
        method = message.answer(text)
        if reply == "webhook":
            return method
        await method
        return None

    @dp.message(F.text, ~F.text.startswith("/"), Form.b)
    async def step_b(message: Message, state: FSMContext):  # type: ignore[no-untyped-def]
        await state.update_data(name=message.text[:20])
        await state.set_state(Form.c)
        return await say(message, "请问您的年龄？")

    @dp.message(F.text, Form.c)
    async def step_c(message: Message, state: FSMContext):  # type: ignore[no-untyped-def]
        await state.update_data(age=message.text[:20])
        await state.set_state(Form.d)
        return await say(message, "请确认：回复任意内容")

    @dp.message(F.text, Form.d)
    async def step_d(message: Message, state: FSMContext):  # type: ignore[no-untyped-def]
        data = await state.get_data()
        await state.set_state(None)
        await state.set_data({"walks": int(data.get("walks", 0)) + 1})
        return await say(message, f"已登记：{data.get('name')}，{data.get('age')}")

    @dp.message(F.text)
    async def step_a(message: Message, state: FSMContext):  # type: ignore[no-untyped-def]
        await state.set_state(Form.b)
        return await say(message, "请问您的姓名？")

    app = web.Application()
    SimpleRequestHandler(dp, bot, secret_token=SECRET, handle_in_background=False).register(app, path="/hook")

    async def close(app: web.Application) -> None:
        await bot.session.close()
        await storage.close()

    app.on_cleanup.append(close)
    return app


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["botapi", "ceiling", "aiogram", "project"])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--redis")
    ap.add_argument("--reply", choices=["webhook", "http"], default="webhook")
    ap.add_argument("--api-base")
    ap.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    ap.add_argument("rest", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    install_round_trip_counter()
    profile = os.environ.get("BENCH_PROFILE")  # cProfile between SIGUSR1 and SIGUSR2 (dumped to this path)
    if profile:
        import cProfile
        import signal
        import time

        # CPU time, not wall time: on a shared machine a preempted call would otherwise look slow
        profiler = cProfile.Profile(time.process_time)
        signal.signal(signal.SIGUSR1, lambda *_: profiler.enable())
        signal.signal(signal.SIGUSR2, lambda *_: (profiler.disable(), profiler.dump_stats(profile)))
    if args.kind == "project":
        from bot.__main__ import main as bot_main

        rest = [a for a in args.rest if a != "--"]
        bot_main(rest + ["--port", str(args.port), "--host", "127.0.0.1"])
        return
    if args.kind == "botapi":
        app = botapi_app()
    elif args.kind == "ceiling":
        app = ceiling_app(args.redis)
    else:
        app = aiogram_app(args.redis, args.reply, args.api_base)
    loop = None
    if args.loop == "uvloop":
        import uvloop

        loop = uvloop.new_event_loop()
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None, loop=loop)


if __name__ == "__main__":
    main()

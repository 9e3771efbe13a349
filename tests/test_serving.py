"""`python -m bot serve`'s listening side (bot/serving.py): every waiting connection is accepted at once.

A busy server used to take one new connection per turn of its event loop (uvloop/libuv), so the last of a
burst of new connections waited for as many turns as there were connections before its first request
was read. These tests hold a uvloop server's loop, queue a burst of connections with a request each, let
the loop go and ask every request how many connections the server had taken when it was handled.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket
import threading
import time

import aiohttp
import pytest
from aiohttp import web

from bot.serving import AcceptAllSite

uvloop = pytest.importorskip("uvloop")

BURST = 16


def _burst(make_site) -> list[int]:  # type: ignore[no-untyped-def]
    """Connections made by the server when each of BURST requests, queued while its loop was held, was
    handled (each request keeps the loop busy for 5 ms, as a real one does for about a millisecond)."""
    loop = uvloop.new_event_loop()
    ready, held, release = threading.Event(), threading.Event(), threading.Event()
    state: dict = {}

    async def handler(request: web.Request) -> web.Response:
        time.sleep(0.005)  # a busy loop: nothing else runs meanwhile
        return web.Response(text=str(len(state["runner"].server.connections)))

    async def setup() -> None:
        app = web.Application()
        app.router.add_get("/", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = make_site(runner)
        await site.start()
        state["runner"], state["port"] = runner, runner.addresses[0][1]

    def hold() -> None:
        held.set()
        release.wait(10)

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(setup())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(state["runner"].cleanup())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)
    loop.call_soon_threadsafe(hold)
    assert held.wait(10)
    clients = []
    try:
        for _ in range(BURST):  # the kernel completes each handshake; the server has accepted none yet
            c = socket.create_connection(("127.0.0.1", state["port"]), timeout=10)
            c.sendall(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
            clients.append(c)
        release.set()
        seen = []
        for c in clients:
            reply = b""
            while b"\r\n\r\n" not in reply or len(reply.split(b"\r\n\r\n", 1)[1]) < _length(reply):
                chunk = c.recv(4096)
                assert chunk, "the server closed the connection without answering"
                reply += chunk
            assert reply.startswith(b"HTTP/1.1 200"), reply
            seen.append(int(reply.split(b"\r\n\r\n", 1)[1]))
        return seen
    finally:
        release.set()
        for c in clients:
            c.close()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def _length(reply: bytes) -> int:
    head = reply.split(b"\r\n\r\n", 1)[0].decode().lower()
    return next(int(line.split(":", 1)[1]) for line in head.split("\r\n") if line.startswith("content-length:"))


def test_a_burst_of_new_connections_is_taken_before_the_first_request_is_handled():
    seen = _burst(lambda runner: AcceptAllSite(runner, "127.0.0.1", 0))
    assert min(seen) == BURST, seen


def test_aiohttps_own_site_on_uvloop_takes_one_connection_per_turn():
    """Why bot/serving.py exists, and proof that the check above can fail: aiohttp's TCPSite on uvloop had
    taken only a few of the burst when the first requests were handled. (If this starts failing, libuv
    accepts in batches again and AcceptAllSite may be retired.)"""
    seen = _burst(lambda runner: web.TCPSite(runner, "127.0.0.1", 0))
    assert min(seen) < BURST // 2, seen


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_in_child(port: int, ready, entered) -> None:  # type: ignore[no-untyped-def]
    """A forked child: `bot.serving.serve` (what `python -m bot serve` runs) with a small app."""
    from bot.serving import serve

    async def pid(request: web.Request) -> web.Response:
        return web.Response(text=str(os.getpid()))

    async def slow(request: web.Request) -> web.Response:
        entered.set()
        await asyncio.sleep(0.5)
        return web.Response(text="done")

    app = web.Application()
    app.router.add_get("/pid", pid)
    app.router.add_get("/slow", slow)
    serve(app, "127.0.0.1", port, started=ready.set, loop_factory=uvloop.new_event_loop)


async def test_serve_answers_a_burst_and_finishes_what_it_started_on_sigterm():
    port, ctx = _free_port(), multiprocessing.get_context("fork")
    ready, entered = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_serve_in_child, args=(port, ready, entered), daemon=True)
    child.start()
    try:
        assert await asyncio.to_thread(ready.wait, 30), "serve did not open its port"
        base = f"http://127.0.0.1:{port}"

        async def one(path: str) -> str:  # a new connection each
            async with aiohttp.ClientSession() as http, http.get(base + path) as r:
                assert r.status == 200
                return await r.text()

        assert set(await asyncio.gather(*(one("/pid") for _ in range(32)))) == {str(child.pid)}
        in_flight = asyncio.create_task(one("/slow"))
        assert await asyncio.to_thread(entered.wait, 10), "the slow request did not reach its handler"
        os.kill(child.pid, signal.SIGTERM)  # aiohttp's graceful shutdown: the request in flight is answered
        assert await in_flight == "done"
        await asyncio.to_thread(child.join, 30)
        assert child.exitcode == 0
        with socket.socket() as s:  # the port was given back
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
    finally:
        if child.is_alive():
            child.kill()


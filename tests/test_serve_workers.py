"""`python -m bot serve --workers N`: N processes answering on one port, stopped together."""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket

import aiohttp
import pytest

import bot.__main__ as cli
from tests.conftest import make_settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pid_server(settings, *, reuse_port: bool, **kw) -> None:  # type: ignore[no-untyped-def]
    """Stands in for the bot's app in the workers: answers with the pid of the process that served."""
    from aiohttp import web

    async def pid(request: web.Request) -> web.Response:
        return web.Response(text=str(os.getpid()))

    app = web.Application()
    app.router.add_get("/pid", pid)
    web.run_app(app, host=settings.host, port=settings.port, print=None, reuse_port=reuse_port)


def test_workers_above_one_need_a_shared_store(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.delenv("REDIS_URL", raising=False)
    with pytest.raises(SystemExit) as exc:
        cli.main(["serve", "--workers", "2", "--port", str(_free_port())])
    assert "REDIS_URL" in str(exc.value)


async def test_workers_share_the_port_and_stop_together(monkeypatch, redis_url):
    monkeypatch.setattr(cli, "_serve", _pid_server)
    port = _free_port()
    settings = make_settings(redis_url=redis_url, host="127.0.0.1", port=port)
    parent = multiprocessing.get_context("fork").Process(target=cli._prefork, args=(settings, 2))
    parent.start()
    try:
        pids: set[str] = set()
        async with aiohttp.ClientSession() as http:
            for _ in range(400):  # until both workers have answered (new connection each time)
                try:
                    async with http.get(f"http://127.0.0.1:{port}/pid", headers={"Connection": "close"}) as r:
                        pids.add(await r.text())
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)  # workers still starting
                    continue
                if len(pids) == 2:
                    break
        assert len(pids) == 2, pids
        assert str(parent.pid) not in pids  # the parent only watches
        os.kill(parent.pid, signal.SIGTERM)
        await asyncio.to_thread(parent.join, 20)
        assert parent.exitcode == 0
        for pid in pids:
            with pytest.raises(ProcessLookupError):
                os.kill(int(pid), 0)
    finally:
        if parent.is_alive():
            parent.kill()

"""Bad input on the WeChat channel: odd MsgIds, unknown message types, slow and oversized bodies.

Requests are signed by wechatpy (tests/test_wechat.py `Peer`); the slow-body tests open raw sockets to
the app on loopback, a bounded number at a time.
"""
from __future__ import annotations

import asyncio
import logging
import time

import pytest

from aiohttp import web

from adapters.app import create_app
from adapters.wechat import MAX_BODY, WECHAT
from tests.conftest import make_settings
from tests.test_wechat import TOKEN, Peer, make_app, session_of, sign, wechat_api  # noqa: F401 (fixtures)


@pytest.mark.parametrize("msgid", ["abc", "9" * 5000, "12 34", "-5"], ids=["letters", "5000-digits", "space", "negative"])
async def test_wechat_msgid_not_a_number_gets_400(make_app, msgid):
    client, channel = await make_app()
    peer = Peer(client, TOKEN)
    status, body = await peer.post(peer.text_xml("我想退医保", msgid=msgid))
    assert status == 400 and "Traceback" not in body
    assert await session_of(channel, peer.openid) is None
    assert await peer.say("我想退医保", msgid="18446744073709551615")  # the largest 64-bit MsgId is fine


async def test_wechat_unknown_msgtype_answers_success_and_is_counted(make_app):
    client, channel = await make_app()
    redis = channel.services.redis
    before = int(await redis.hget("bot:wechat:unknown_msgtypes", "hologram") or 0)
    peer = Peer(client, TOKEN)
    xml = peer.text_xml("x", msgid="424242").replace("<![CDATA[text]]>", "<![CDATA[hologram]]>")
    assert await peer.post(xml) == (200, "success")
    assert int(await redis.hget("bot:wechat:unknown_msgtypes", "hologram")) == before + 1
    assert await session_of(channel, peer.openid) is None


def _request_head(path: str, port: int, extra: str) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/xml\r\n{extra}\r\n").encode()


async def _slow_client(port: int, path: str) -> tuple[bytes, float]:
    """Announces 2,000 bytes, sends 20, then stalls: returns what the server answered and when it hung up."""
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(_request_head(path, port, "Content-Length: 2000\r\n") + b"<xml><ToUserName>a</")
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)  # until the server closes the connection
    writer.close()
    return answer, time.monotonic() - started


async def test_wechat_slow_body_clients_are_dropped(make_app, caplog):
    client, channel = await make_app()
    channel.body_timeout = 0.5
    port = client.server.port
    peer = Peer(client, TOKEN)
    signed = "/wechat?" + "&".join(f"{k}={v}" for k, v in peer.query().items())
    unsigned = "/wechat?timestamp=1&nonce=2&signature=forged"
    caplog.set_level(logging.INFO)
    results = await asyncio.gather(*(_slow_client(port, signed if i % 2 else unsigned) for i in range(40)))
    for i, (answer, took) in enumerate(results):
        assert took < 5, f"connection {i} held {took:.1f}s"  # not the minute slow clients used to get
        assert answer.startswith(b"HTTP/1.1 408" if i % 2 else b"HTTP/1.1 403"), answer[:40]
    dropped = [r for r in caplog.records if "dropped client" in r.getMessage()]
    assert len(dropped) == 20 and all(r.exc_info is None and "\n" not in r.getMessage() for r in dropped)
    assert "Traceback" not in caplog.text and "Error handling request" not in caplog.text
    assert await peer.say("我想退医保")  # the channel still answers


async def test_wechat_chunked_body_over_64kb_is_refused(make_app):
    client, channel = await make_app()
    port = client.server.port
    peer = Peer(client, TOKEN)
    path = "/wechat?" + "&".join(f"{k}={v}" for k, v in peer.query().items())
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(_request_head(path, port, "Transfer-Encoding: chunked\r\n"))
    chunk = b"x" * 16384
    for _ in range(MAX_BODY // len(chunk) + 2):
        writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
    writer.write(b"0\r\n\r\n")
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    assert status_line.startswith(b"HTTP/1.1 413")
    assert await session_of(channel, peer.openid) is None


@pytest.fixture
async def production_server(redis_url, wechat_api):
    """The app served as `bot serve` serves it (aiohttp's TestServer cancels handlers of clients that hang
    up; `web.run_app` does not, which is where a dropped client used to log a traceback)."""
    api, base = wechat_api
    app = create_app(make_settings(redis_url=redis_url, wechat_token=TOKEN, wechat_api_base=base))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield app, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    await runner.cleanup()


async def test_wechat_client_gone_mid_body_logs_one_line(production_server, caplog):
    app, port = production_server
    channel = app[WECHAT]
    peer = Peer(None, TOKEN)  # type: ignore[arg-type] — only its signed query is used
    path = "/wechat?" + "&".join(f"{k}={v}" for k, v in peer.query().items())
    caplog.set_level(logging.INFO)
    read_body, reading = channel._read_body, asyncio.Event()

    async def observed(request):
        reading.set()
        return await read_body(request)

    channel._read_body = observed
    for _ in range(5):
        reading.clear()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(_request_head(path, port, "Content-Length: 2000\r\n") + b"<xml>")
        await writer.drain()
        await asyncio.wait_for(reading.wait(), 3)  # the server is waiting for the rest of the body
        writer.close()
        await writer.wait_closed()
    await_lines = lambda: len([r for r in caplog.records if "went away mid-body" in r.getMessage()])  # noqa: E731
    deadline = time.monotonic() + 3
    while await_lines() < 5:
        assert time.monotonic() < deadline, caplog.text
        await asyncio.sleep(0.02)
    assert "Traceback" not in caplog.text and "Error handling request" not in caplog.text

"""The announcement sends against the stand-ins: how each platform answer, as the channel's output reports it,
becomes an `Outcome` (the Telegram Bot API stand-in is tests/fixtures/telegram/bot_api.py).

`WeChatStandIn` answers token and mass-send calls and remembers clientmsgids, answering 45065 for one it has
seen, as WeChat does.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from aiohttp import web

from adapters.wechat_broadcast import WeChatBroadcast
from bot.announcements.senders import broadcast, send_to_chat
from tests.conftest import make_settings
from tests.fixtures.telegram.bot_api import FakeBotAPI, announcement_outputs, close_outputs


@dataclass
class WeChatStandIn:
    """Token endpoint and message/mass/sendall, with clientmsgid dedup (errcode 45065)."""

    calls: list[dict] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)
    url: str = ""

    async def start(self) -> "WeChatStandIn":
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_post("/cgi-bin/message/mass/sendall", self._sendall)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/cgi-bin/"  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        await self._runner.cleanup()

    async def _token(self, request: web.Request) -> web.Response:
        return web.json_response({"access_token": "tok-1", "expires_in": 7200})

    async def _sendall(self, request: web.Request) -> web.Response:
        body = json.loads(await request.read())
        self.calls.append({"token": request.query.get("access_token"), **body})
        cid = body.get("clientmsgid")
        if cid in self.seen:
            return web.json_response({"errcode": 45065, "errmsg": "clientmsgid exist", "msg_id": self.seen[cid]})
        self.seen[cid] = 1000 + len(self.seen)
        return web.json_response({"errcode": 0, "errmsg": "send job submission success", "msg_id": self.seen[cid]})


# -- the senders against the stand-ins ---------------------------------------------------------------------
async def test_telegram_output_answers_become_outcomes(redis):
    settings = make_settings()
    async with FakeBotAPI(token=None, retry_once={"2": 7}, forbidden={"3"}, migrate={"-4": "-1004"}, bad={"5"}) as api:
        outputs = announcement_outputs(settings, redis, api.url)
        api.fail("sendMessage", 500)
        try:
            unknown = await send_to_chat(outputs["telegram"], "6", "hello")  # a 5xx may have arrived: not retried
            ok = await send_to_chat(outputs["telegram"], "1", "hello")
            retry = await send_to_chat(outputs["telegram"], "2", "hello")
            forbidden = await send_to_chat(outputs["telegram"], "3", "hello")
            migrated = await send_to_chat(outputs["telegram"], "-4", "hello")
            bad = await send_to_chat(outputs["telegram"], "5", "hello")
        finally:
            await close_outputs(outputs)
    assert unknown.kind == "unknown"
    assert ok.kind == "sent" and ok.message_id
    assert retry.kind == "retry" and retry.retry_after == 7  # the worker pauses every worker; the output does not wait
    assert forbidden.kind == "forbidden" and "blocked" in forbidden.detail
    assert migrated.kind == "sent" and migrated.new_chat_id == "-1004"  # re-sent once to the supergroup
    assert bad.kind == "failed" and "chat not found" in bad.detail
    assert [s.chat for s in api.sent] == ["1", "-1004"]


async def test_telegram_output_refused_connection_is_transient_not_unknown(redis):
    outputs = announcement_outputs(make_settings(), redis, "http://127.0.0.1:1")
    try:
        out = await send_to_chat(outputs["telegram"], "1", "hello")
    finally:
        await close_outputs(outputs)
    assert out.kind == "transient"


async def test_wechat_sender_uses_tag_filter_and_treats_a_known_clientmsgid_as_sent(redis):
    wx = await WeChatStandIn().start()
    try:
        sender = WeChatBroadcast(redis, "wxtest" + str(time.time_ns()), "secret", wx.url)
        first = await broadcast(sender, "wx:tag:7", "通知", "yibao_1_1700000000")
        again = await broadcast(sender, "wx:tag:7", "通知", "yibao_1_1700000000")
        everyone = await broadcast(sender, "wx:all", "通知", "yibao_2_1700000000")
    finally:
        await wx.stop()
    assert first.kind == "sent" and first.message_id == "1000"
    assert again.kind == "sent" and again.message_id == "1000"  # 45065: WeChat already has it
    assert wx.calls[0]["filter"] == {"is_to_all": False, "tag_id": 7}
    assert wx.calls[0]["clientmsgid"] == "yibao_1_1700000000" and wx.calls[0]["token"] == "tok-1"
    assert wx.calls[0]["text"] == {"content": "通知"} and wx.calls[0]["msgtype"] == "text"
    assert wx.calls[2]["filter"] == {"is_to_all": True}
    assert everyone.kind == "sent"

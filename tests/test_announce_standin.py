"""The announcement sends against the stand-ins: how each platform answer, as the channel's output reports it,
becomes an `Outcome` (the stand-ins: tests/fixtures/telegram/bot_api.py, tests/fixtures/wechat/api.py).
"""
from __future__ import annotations

import uuid

from adapters.wechat import announcement_output
from bot.announcements.senders import broadcast, send_to_chat
from tests.conftest import make_settings
from tests.fixtures.telegram.bot_api import FakeBotAPI, announcement_outputs, close_outputs
from tests.fixtures.wechat.api import WeChatAPIStandIn


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


async def test_wechat_output_answers_become_outcomes(redis):
    async with WeChatAPIStandIn() as wx:
        settings = make_settings(wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s", wechat_api_base=wx.url)
        output = announcement_output(settings, redis)
        try:
            first = await broadcast(output, "wx:tag:7", "通知", "yibao_1_1700000000")
            again = await broadcast(output, "wx:tag:7", "通知", "yibao_1_1700000000")
            wx.errcode_next = [45066]
            later = await broadcast(output, "wx:all", "通知", "yibao_2_1700000000")
            wx.errcode_next = [40003]  # invalid openid/tag: refused for good
            refused = await broadcast(output, "wx:tag:8", "通知", "yibao_3_1700000000")
        finally:
            await output.close()
    assert first.kind == "sent" and first.message_id == "1000"
    assert again.kind == "sent" and again.message_id == "1000"  # 45065: WeChat already has it
    assert later.kind == "retry" and later.retry_after == 60
    assert refused.kind == "failed" and "40003" in refused.detail
    assert [c["clientmsgid"] for c in wx.calls] == ["yibao_1_1700000000"] * 2

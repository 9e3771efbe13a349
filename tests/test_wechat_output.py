"""WeChat's output (adapters/wechat.py `WeChatOutput`): late replies, operator relays and mass sends leave
through one object that retries transient failures, refetches a rejected token once and maps WeChat's
refusals once. Driven through the real app (requests signed by wechatpy) against the API stand-in."""
from __future__ import annotations

import asyncio
import uuid

import pytest

from adapters.wechat import WeChatOutput
from adapters.wechat_api import WeChatAPI
from bot.channels import DeliveryFailed
from bot.messages import Option, Reply, Text
from tests.test_wechat import TOKEN, Peer, make_app, session_of, until, wechat_api  # noqa: F401 (fixtures)

API_TOKEN = "operator-api-token-for-tests"


async def _slow_app(make_app, **settings):
    """An app whose turns take longer than the passive-reply deadline: every answer goes out late."""
    client, channel = await make_app(wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret",
                                     **settings)
    handle = channel.services.engine.handle

    async def slow(msg, **kw):
        await asyncio.sleep(0.3)
        return await handle(msg, **kw)

    channel.services.engine.handle = slow
    channel.deadline = 0.05
    return client, channel


async def test_late_reply_failing_with_5xx_is_retried_then_delivered(make_app, wechat_api):
    api, _ = wechat_api
    client, channel = await _slow_app(make_app)
    api.fail_next = [502, 503]  # the customer-service API is in trouble for two calls
    peer = Peer(client, TOKEN)
    assert await peer.say("我想退医保") is None  # "success": the answer comes late
    await until(lambda: api.texts_to(peer.openid), timeout=10)
    await channel.drain()
    [late] = api.texts_to(peer.openid)
    assert "1. " in late and "2. " in late  # the question and its options, once
    assert [f["status"] for f in api.failed] == [502, 503]
    assert (await session_of(channel, peer.openid)).state == "ask_ins_type"


async def test_late_reply_failing_past_the_bound_is_given_up_and_logged(make_app, wechat_api, caplog):
    api, _ = wechat_api
    client, channel = await _slow_app(make_app)
    channel.output.attempts = 3
    api.fail_next = [503] * 5
    peer = Peer(client, TOKEN)
    await peer.say("我想退医保")
    await until(lambda: len(api.failed) >= 3, timeout=10)
    await channel.drain()
    assert len(api.failed) == 3 and api.sent == []  # bounded: three tries, not five
    assert "customer-service send failed" in caplog.text and "HTTP 503" in caplog.text
    # the question never reached the user: their next message gets it again, not read as its answer
    channel.deadline = 2.0
    question = await peer.say("1")
    assert "1. " in question and "2. " in question
    session = await session_of(channel, peer.openid)
    assert (session.state, session.step) == ("ask_ins_type", 1)
    assert "2. " in await peer.say("1")  # now it answers the question it has seen
    assert (await session_of(channel, peer.openid)).step == 2


async def test_token_rejected_mid_send_is_refetched_once(make_app, wechat_api):
    api, _ = wechat_api
    client, channel = await _slow_app(make_app)
    peer = Peer(client, TOKEN)
    await peer.say("我想退医保")
    await until(lambda: len(api.texts_to(peer.openid)) == 1, timeout=10)
    api.rejected_tokens.add("TOKEN-1")  # someone fetched a token with the same secret elsewhere
    await peer.say("1")
    await until(lambda: len(api.texts_to(peer.openid)) == 2, timeout=10)
    await channel.drain()
    assert [m["token"] for m in api.sent] == ["TOKEN-1", "TOKEN-2"]
    assert api.failed == [{"token": "TOKEN-1", "errcode": 40001}]  # one refusal, one refetch, one resend
    assert api.token_fetches == 2


async def test_token_rejected_again_after_refetch_is_not_retried_forever(make_app, wechat_api):
    api, _ = wechat_api
    _, channel = await make_app(wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret")
    api.rejected_tokens.update({"TOKEN-1", "TOKEN-2", "TOKEN-3"})
    with pytest.raises(DeliveryFailed) as e:
        await channel.output.send("o-user", "您好")
    assert e.value.kind == "failed" and "40001" in str(e.value)
    assert api.token_fetches == 2 and api.sent == []


async def test_reply_is_rendered_numbered_and_split_under_the_limit(make_app, wechat_api):
    api, _ = wechat_api
    _, channel = await make_app(wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret")
    reply = Reply((Text("menu-intro"),), (Option("flow:refund", Text("menu-refund")),))
    await channel.output.send("o-user", reply, locale="zh-CN")
    [text] = api.texts_to("o-user")
    assert text.endswith("1. " + channel.services.translator.text("menu-refund", "zh-CN"))
    await channel.output.send("o-user", "退" * 1500)  # 4500 bytes: three messages of at most 2048
    pieces = api.texts_to("o-user")[1:]
    assert len(pieces) == 3 and all(len(p.encode()) <= 2048 for p in pieces) and "".join(pieces) == "退" * 1500


@pytest.mark.parametrize(("errcode_set", "reason"), [("expired", "window_expired"), ("over_quota", "quota_exceeded")])
async def test_user_must_write_first_is_forbidden_with_the_reason(make_app, wechat_api, errcode_set, reason):
    api, _ = wechat_api
    _, channel = await make_app(wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret")
    getattr(api, errcode_set).add("o-user")
    with pytest.raises(DeliveryFailed) as e:
        await channel.output.send("o-user", "您好")
    assert (e.value.kind, e.value.reason) == ("forbidden", reason)
    assert len(api.failed) == 0 and api.sent == []  # refused, not retried


async def test_handoff_relay_to_a_wechat_user_goes_through_the_output(make_app, wechat_api):
    api, _ = wechat_api
    client, channel = await make_app(wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret",
                                     operator_api_token=API_TOKEN, operator_hours="Mon-Sun 00:00-24:00")
    assert channel.services.outputs["wechat"] is channel.output  # the one registered for relays
    peer = Peer(client, TOKEN)
    assert "转接人工客服" in await peer.say("转人工")
    tid = next(t.id for t in await channel.services.handoff.open_tickets() if t.user_id == peer.openid)
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    api.fail_next = [502]  # transient: the output retries it, the operator sees a delivered reply
    resp = await client.post(f"/operator/tickets/{tid}/reply", json={"operator": "alice", "text": "您好"},
                             headers=headers)
    assert resp.status == 200 and (await resp.json())["result"] == "delivered"
    assert api.texts_to(peer.openid) == ["客服:您好"] and [f["status"] for f in api.failed] == [502]
    # 45047: held until the user writes, then delivered with their message (bot/handoff.py)
    api.over_quota.add(peer.openid)
    resp = await client.post(f"/operator/tickets/{tid}/reply", json={"operator": "alice", "text": "还在吗"},
                             headers=headers)
    assert resp.status == 502 and (await resp.json())["result"] == "quota_exceeded"
    api.over_quota.clear()
    assert "还在吗" in (await peer.say("在的") or "")


# -- announcements: mass send -------------------------------------------------------------------------------
async def test_mass_send_is_idempotent_by_clientmsgid(redis, wechat_api):
    api, base = wechat_api
    output = WeChatOutput(WeChatAPI(redis, "wx" + uuid.uuid4().hex[:16], "s3cret", base))
    try:
        first = await output.broadcast("wx:tag:7", "通知", key="yibao_1_1700000000")
        api.fail_next = [502]  # the next try fails in transit: retried with the same clientmsgid
        again = await output.broadcast("wx:tag:7", "通知", key="yibao_1_1700000000")
        everyone = await output.broadcast("wx:all", "通知", key="yibao_2_1700000000")
    finally:
        await output.close()
    assert first.message_id == "1000" and again.message_id == "1000"  # 45065: already accepted, counts as sent
    assert everyone.message_id == "1001"
    assert [c["clientmsgid"] for c in api.calls] == ["yibao_1_1700000000"] * 2 + ["yibao_2_1700000000"]
    assert len(api.seen) == 2  # two broadcasts reached the followers, not three
    assert api.calls[0]["filter"] == {"is_to_all": False, "tag_id": 7} and api.calls[2]["filter"] == {"is_to_all": True}
    assert api.calls[0]["text"] == {"content": "通知"} and api.calls[0]["token"] == "TOKEN-1"


@pytest.mark.parametrize("errcode", [45066, 45009, 45047])
async def test_mass_send_frequency_limits_ask_to_retry_later(redis, wechat_api, errcode):
    api, base = wechat_api
    output = WeChatOutput(WeChatAPI(redis, "wx" + uuid.uuid4().hex[:16], "s3cret", base))
    api.errcode_next = [errcode]
    try:
        with pytest.raises(DeliveryFailed) as e:
            await output.broadcast("wx:all", "通知", key="yibao_3_1700000000")
    finally:
        await output.close()
    assert (e.value.kind, e.value.reason, e.value.retry_after) == ("failed", "rate_limited", 60.0)
    assert api.calls == [] and len(api.failed) == 1  # asked once: the wait is the worker's, not a loop here


async def test_mass_send_that_never_reached_wechat_is_safe_to_resend(redis, wechat_api):
    api, base = wechat_api
    output = WeChatOutput(WeChatAPI(redis, "wx" + uuid.uuid4().hex[:16], "s3cret", base), attempts=2)
    try:
        await output.api.access_token()  # cached in Redis; then WeChat's address stops answering
        output.api.api_base = "http://127.0.0.1:1/cgi-bin/"
        with pytest.raises(DeliveryFailed) as e:
            await output.broadcast("wx:all", "通知", key="yibao_4_1700000000")
    finally:
        await output.close()
    assert (e.value.kind, e.value.reason) == ("failed", "unreachable")
    api.fail_next = [503, 503]  # reached, but answered 5xx: WeChat may have it
    output = WeChatOutput(WeChatAPI(redis, "wx" + uuid.uuid4().hex[:16], "s3cret", base), attempts=2)
    try:
        with pytest.raises(DeliveryFailed) as e:
            await output.broadcast("wx:all", "通知", key="yibao_5_1700000000")
    finally:
        await output.close()
    assert e.value.kind == "unknown" and [f["status"] for f in api.failed] == [503, 503]

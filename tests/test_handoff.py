"""Operator handoff across channels, against local stand-ins for the Telegram Bot API and the WeChat API."""
from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from typing import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.app import SERVICES, create_app
from bot.channels import Sent
from bot.handoff import WorkingHours
from tests.conftest import Chat, make_settings
from tests.fixtures.telegram.bot_api import TOKEN as TG_TOKEN
from tests.fixtures.telegram.bot_api import FakeBotAPI, update_ids
from tests.test_wechat import TOKEN as WX_TOKEN
from tests.test_wechat import Peer, until, wechat_api  # noqa: F401 (a fixture)

DESK = -1001234567890
SECRET = "desk-test-secret"
OPERATOR, OTHER_OPERATOR, STRANGER = 4242, 4343, 9999
API_TOKEN = "op-api-token"
_updates = itertools.count(500_000)



@pytest.fixture(params=["redis", "cluster"])
def redis_url(request, redis_url):
    """Every handoff test runs on a single Redis and on a real 3-node Redis Cluster (URL of one node)."""
    return redis_url if request.param == "redis" else request.getfixturevalue("cluster_url")

@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotAPI]:
    api = await FakeBotAPI().start()
    api.members.update({OPERATOR: "member", OTHER_OPERATOR: "administrator"})
    yield api
    await api.stop()


@pytest.fixture
async def app(redis_url, bot_api, wechat_api) -> AsyncIterator[TestClient]:
    """One app with both channels, the Telegram desk and the operator API."""
    wx, wx_base = wechat_api
    settings = make_settings(
        redis_url=redis_url, operator_chat_id=DESK, operator_api_token=API_TOKEN,
        operator_hours="Mon-Sun 00:00-24:00",
        wechat_token=WX_TOKEN, wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret",
        wechat_api_base=wx_base,
        telegram_bot_token=TG_TOKEN, telegram_webhook_secret=SECRET, telegram_api_base=bot_api.base,
    )
    async with TestClient(TestServer(create_app(settings), host="127.0.0.1")) as client:
        yield client


def desk_message(text: str, thread: int | None, user: int = OPERATOR) -> dict:
    msg = {"message_id": next(_updates), "date": int(time.time()),
           "chat": {"id": DESK, "type": "supergroup", "title": "医保客服台", "is_forum": True},
           "from": {"id": user, "is_bot": False, "first_name": "Op", "username": f"op{user}"}, "text": text}
    if thread is not None:
        msg.update({"message_thread_id": thread, "is_topic_message": True})
    return {"update_id": update_ids(), "message": msg}


async def post_update(client: TestClient, update: dict) -> None:
    resp = await client.post("/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert resp.status == 200, await resp.text()


def topics(bot_api: FakeBotAPI) -> list[int]:
    return [thread for (chat, thread) in bot_api.topics if chat == DESK]


def api_headers(token: str = API_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_wechat_user_reaches_operator_on_telegram_and_back(app, bot_api, wechat_api):
    wx, _ = wechat_api
    peer = Peer(app, WX_TOKEN)
    await peer.event("subscribe")
    await peer.say("1")  # 医保退费
    reply = await peer.say("转人工")
    assert "正在为您转接人工客服" in reply and "前面还有" in reply

    # a topic for the ticket, with the context (flow, state) attached
    assert len(topics(bot_api)) == 1
    thread = topics(bot_api)[0]
    summary = bot_api.posts_in(DESK, thread)[0]
    assert "wechat" in summary and "refund" in summary and "ask_ins_type" in summary

    # while the operator owns it the bot is silent; the user's words go to the topic (masked)
    assert await peer.say("我的电话13812345678,想问退费") is None
    await until(lambda: any("138****5678" in t for t in bot_api.posts_in(DESK, thread)))
    assert not any("13812345678" in t for t in bot_api.posts_in(DESK, thread))

    # the operator answers in the topic → the WeChat user gets it through the customer-service API
    await post_update(app, desk_message("您好,重复缴费可以退,请带身份证去窗口。", thread))
    assert wx.texts_to(peer.openid) == ["客服:您好,重复缴费可以退,请带身份证去窗口。"]

    await post_update(app, desk_message("/close", thread))
    assert "人工客服已结束本次服务" in wx.texts_to(peer.openid)[-1]
    assert any("closed by" in t for t in bot_api.posts_in(DESK, thread))
    assert bot_api.of("closeForumTopic")

    # the user's next message goes to the flow again, which kept its place
    reply = await peer.say("1")
    assert "您想退费的原因" in reply
    session = await app.app[SERVICES].store.get(_key("wechat", peer.openid))
    assert session.flow == "refund" and session.slots == {"ins_type": "居民"}


def _key(channel: str, user: str):
    from bot.sessions import SessionKey

    return SessionKey(channel, user)


async def open_console_ticket(app: TestClient) -> tuple[Chat, str]:
    chat = Chat(app.app[SERVICES])
    turn = await chat("转人工")
    assert turn["handoff"] is True and turn["values"] == ["cmd:handoff_cancel"]
    tickets = (await (await app.get("/operator/tickets", headers=api_headers())).json())["tickets"]
    ticket = next(t for t in tickets if t["user_id"] == chat.user)
    return chat, ticket["id"]


async def test_operator_replying_to_closed_ticket_is_told_so(app, bot_api):
    chat, tid = await open_console_ticket(app)
    thread = int((await app.app[SERVICES].handoff.get(tid)).topic_id)
    resp = await app.post(f"/operator/tickets/{tid}/close", json={"operator": "alice"}, headers=api_headers())
    assert resp.status == 200
    resp = await app.post(f"/operator/tickets/{tid}/reply", json={"operator": "alice", "text": "还在吗"},
                          headers=api_headers())
    assert resp.status == 409 and (await resp.json())["result"] == "closed"
    await post_update(app, desk_message("还有问题吗?", thread))
    assert "not sent: this ticket is closed" in bot_api.posts_in(DESK, thread)[-1]
    turn = await chat("菜单")  # the user is back with the bot; nothing was queued for them after close
    assert turn["state"] == "menu" and "还在吗" not in turn["text"] and "还有问题吗" not in turn["text"]


async def test_deleted_topic_is_recreated(app, bot_api):
    chat, tid = await open_console_ticket(app)
    first = topics(bot_api)[0]
    bot_api.delete_topic(DESK, first)
    await chat("还在吗?")
    await until(lambda: any("还在吗" in t for th in topics(bot_api) if th != first for t in bot_api.posts_in(DESK, th)))
    assert len(topics(bot_api)) == 2
    second = [t for t in topics(bot_api) if t != first][0]
    assert any("还在吗" in t for t in bot_api.posts_in(DESK, second))
    ticket = await app.app[SERVICES].handoff.get(tid)
    assert ticket.topic_id == str(second)
    # the operator's reply in the new topic reaches the user (console: with their next message)
    await post_update(app, desk_message("在的,请讲", second))
    turn = await chat("好的")
    assert "客服:在的,请讲" in turn["text"]


async def test_non_operator_posting_in_desk_is_ignored(app, bot_api):
    chat, tid = await open_console_ticket(app)
    thread = topics(bot_api)[0]
    await post_update(app, desk_message("我不是客服但我来回复", thread, user=STRANGER))
    ticket = await app.app[SERVICES].handoff.get(tid)
    assert ticket.status == "queued" and ticket.operator == ""
    assert await app.app[SERVICES].handoff.take_outbox("console", chat.user) == []
    await post_update(app, desk_message("/close", thread, user=STRANGER))
    assert (await app.app[SERVICES].handoff.get(tid)).status == "queued"


async def test_two_operators_claiming_one_ticket_get_one_winner(app):
    _, tid = await open_console_ticket(app)
    results = await asyncio.gather(*(
        app.post(f"/operator/tickets/{tid}/claim", json={"operator": op}, headers=api_headers())
        for op in ("alice", "bob", "carol", "dave")))
    statuses = sorted(r.status for r in results)
    assert statuses == [200, 409, 409, 409]
    winner = (await app.app[SERVICES].handoff.get(tid)).operator
    loser = next(op for op in ("alice", "bob") if op != winner)
    resp = await app.post(f"/operator/tickets/{tid}/reply", json={"operator": loser, "text": "x"},
                          headers=api_headers())
    assert resp.status == 409 and (await resp.json())["result"] == f"taken:{winner}"


async def test_two_operators_in_the_desk(app, bot_api):
    _, tid = await open_console_ticket(app)
    thread = topics(bot_api)[0]
    await post_update(app, desk_message("/claim", thread, user=OPERATOR))
    await post_update(app, desk_message("我来回复", thread, user=OTHER_OPERATOR))
    assert "assigned to tg:4242" in bot_api.posts_in(DESK, thread)[-1]


async def test_user_can_cancel_and_gets_the_bot_back(app):
    chat, tid = await open_console_ticket(app)
    turn = await chat("取消")
    assert turn["handoff"] is False and "已取消人工服务" in turn["text"]
    ticket = await app.app[SERVICES].handoff.get(tid)
    assert ticket.status == "closed" and ticket.closed_reason == "user_cancelled"
    assert (await chat("菜单"))["state"] == "menu"


async def test_wechat_reply_after_48_hours_is_reported_not_lost(app, bot_api, wechat_api):
    wx, _ = wechat_api
    peer = Peer(app, WX_TOKEN)
    await peer.say("转人工")
    tid = (await app.app[SERVICES].handoff.open_tickets())[-1].id
    wx.expired.add(peer.openid)
    resp = await app.post(f"/operator/tickets/{tid}/reply", json={"operator": "alice", "text": "您好"},
                          headers=api_headers())
    assert resp.status == 502 and (await resp.json())["result"] == "window_expired"
    thread = topics(bot_api)[0]
    assert "48-hour" in bot_api.posts_in(DESK, thread)[-1]
    show = await (await app.get(f"/operator/tickets/{tid}", headers=api_headers())).json()
    assert [e["text"] for e in show["transcript"] if e["who"] == "operator"] == ["您好"]


async def test_queue_positions_and_context(app):
    chats = [Chat(app.app[SERVICES]) for _ in range(3)]
    await chats[0].walk("我想退医保", "1")
    for c in chats:
        await c("转人工")
    tickets = (await (await app.get("/operator/tickets", headers=api_headers())).json())["tickets"]
    mine = [t for t in tickets if t["user_id"] in {c.user for c in chats}]
    first = mine[0]["position"]
    assert [t["position"] for t in mine] == [first, first + 1, first + 2]  # earlier tests' tickets may wait too
    assert f"前面还有 {first + 1} 位" in chats[2].last["text"]
    assert mine[0]["context"]["flow"] == "refund" and mine[0]["context"]["slots"] == {"ins_type": "居民"}
    assert mine[0]["context"]["recent"][:2] == ["我想退医保", "1"]


async def test_operator_api_requires_token(app):
    assert (await app.get("/operator/tickets")).status == 401
    assert (await app.get("/operator/tickets", headers=api_headers("wrong"))).status == 403
    resp = await app.post("/operator/tickets/1/claim", data=b"not json", headers=api_headers())
    assert resp.status == 422
    resp = await app.post("/operator/tickets/nope/claim", json={"operator": "a"}, headers=api_headers())
    assert resp.status == 404


async def test_topic_budget_puts_extra_tickets_in_general(app, bot_api):
    services = app.app[SERVICES]
    desk = services.handoff.desk
    desk.chat_id, desk.topics_per_minute = DESK - 1, 1  # a desk of its own: the budget is per desk chat
    for _ in range(2):
        await Chat(services)("转人工")
    assert len([t for (chat, t) in bot_api.topics if chat == DESK - 1]) == 1
    general = [t for t in bot_api.posts_in(DESK - 1) if t.startswith("[#")]
    assert general and "console" in general[0]


async def test_after_hours_tells_the_user(redis_url):
    settings = make_settings(redis_url=redis_url, operator_api_token=API_TOKEN, operator_hours="Mon 09:00-09:01")
    app = create_app(settings)
    async with TestClient(TestServer(app)) as client:
        services = client.app[SERVICES]
        services.handoff.hours = WorkingHours("Mon 09:00-09:01")
        services.handoff.clock = lambda: 1_700_000_000.0  # Wednesday 06:13 in Shanghai
        turn = await Chat(services)("转人工")
        assert "不是人工客服的工作时间" in turn["text"] and "12333" in turn["text"]


def test_working_hours_parse_and_check():
    hours = WorkingHours("Mon-Fri 09:00-17:30, Sat 09:00-12:00")
    from datetime import datetime
    from zoneinfo import ZoneInfo

    def at(y, m, d, hh, mm):
        return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()

    assert hours.open_at(at(2026, 11, 23, 10, 0))      # Monday
    assert not hours.open_at(at(2026, 11, 23, 17, 30))  # closing time
    assert hours.open_at(at(2026, 11, 28, 11, 59))     # Saturday morning
    assert not hours.open_at(at(2026, 11, 29, 10, 0))  # Sunday
    with pytest.raises(ValueError, match="cannot read"):
        WorkingHours("weekdays 9-5").windows()


def test_bad_working_hours_setting_is_refused():
    with pytest.raises(Exception, match="cannot read"):
        make_settings(operator_hours="every day")


async def test_without_desk_or_api_handoff_gives_the_hotline(chat):
    turn = await chat("转人工")
    assert "12333" in turn["text"] and turn["handoff"] is False


async def test_not_understood_twice_in_a_row_opens_a_ticket(app, bot_api):
    chat = Chat(app.app[SERVICES])
    await chat.walk("我想退医保", "1")
    first = await chat("qwerty zxcv")
    assert first["intent"] == "unknown" and first["handoff"] is False
    second = await chat("asdf jkl")
    assert second["intent"] == "handoff" and second["handoff"] is True and "正在为您转接人工客服" in second["text"]
    ticket = (await app.app[SERVICES].handoff.open_tickets())[-1]
    assert ticket.user_id == chat.user and ticket.context["reason"] == "not_understood"
    assert ticket.context["state"] == "ask_reason"


async def test_one_miss_between_understood_answers_does_not_escalate(app):
    chat = Chat(app.app[SERVICES])
    await chat.walk("我想退医保", "qwerty", "1", "asdf")
    assert chat.last["handoff"] is False and chat.last["state"] == "ask_reason"


async def test_handoff_enabled_keeps_two_round_trips_for_channels_that_can_push(redis_url, round_trips):
    from bot.messages import Incoming
    from bot.runtime import build_services

    services = build_services(make_settings(redis_url=redis_url, operator_api_token=API_TOKEN))

    class Pushes:  # a channel that can push: its users' messages need not look into the outbox
        name, pushes = "telegram", True

        async def send(self, user, reply, *, locale=None, step=None, chat=None):  # noqa: ANN001, ANN202
            return Sent(chat or user)

    services.outputs.add(Pushes())
    user = uuid.uuid4().hex
    await services.engine.handle(Incoming("telegram", user, user, "m1", "我想退医保"))  # scripts loaded
    sent = round_trips()
    turn = await services.engine.handle(Incoming("telegram", user, user, "m2", "1"))
    assert turn.state == "ask_reason" and len(sent) == 2
    await services.close()

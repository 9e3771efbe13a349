"""Handoff under pressure: closing while the user writes, bursts, WeChat's 45015/45047, long texts, PII.

The same app as tests/test_handoff.py: both channels, the Telegram forum desk and the operator API, against
the local Bot API and WeChat API stand-ins and the suite's real Redis.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import random
import time

import pytest

from adapters.app import SERVICES
from bot.sessions import SessionKey
from tests.test_handoff import (  # noqa: F401 (fixtures)
    DESK,
    SECRET,
    api_headers,
    app,
    bot_api,
    open_console_ticket,
    post_update,
    topics,
)
from tests.fixtures.telegram.bot_api import update_ids
from tests.test_wechat import TOKEN as WX_TOKEN
from tests.test_wechat import Peer, until, wechat_api  # noqa: F401 (a fixture)

_ids = itertools.count(random.randint(10**8, 9 * 10**8))


@pytest.fixture(autouse=True)
def _topics_for_every_ticket(app):
    """The desk's topic budget (20 a minute per desk chat) is shared with the rest of the suite, which opens
    many tickets within a minute: here every ticket gets its own topic."""
    app.app[SERVICES].handoff.desk.topics_per_minute = 10_000


def tg_user_update(user: int, text: str, update_id: int | None = None) -> dict:
    return {"update_id": update_id or update_ids(), "message": {
        "message_id": next(_ids), "date": int(time.time()), "text": text,
        "from": {"id": user, "is_bot": False, "first_name": "Li", "language_code": "zh-hans"},
        "chat": {"id": user, "first_name": "Li", "type": "private"}}}


def user_posts(bot_api, thread: int) -> list[str]:
    return [t for t in bot_api.posts_in(DESK, thread) if t.startswith("👤 ")]


async def ticket_of(app, user: str) -> dict:
    tickets = (await (await app.get("/operator/tickets", headers=api_headers())).json())["tickets"]
    return next(t for t in tickets if t["user_id"] == user)


# -- 1. closing while the user writes ------------------------------------------------------------------
async def test_close_racing_the_users_last_message_loses_nothing(app, bot_api):
    chat, tid = await open_console_ticket(app)
    services = app.app[SERVICES]
    thread = int((await services.handoff.get(tid)).topic_id)
    relay, entered, release = services.handoff.from_user, asyncio.Event(), asyncio.Event()

    async def held(ticket, msg, masked=None):  # the user's message is being relayed right now
        entered.set()
        await release.wait()
        return await relay(ticket, msg, masked)

    services.handoff.from_user = held
    sending = asyncio.create_task(chat("最后一个问题:退费要多久?"))
    await entered.wait()
    closing = asyncio.create_task(app.post(f"/operator/tickets/{tid}/close", json={"operator": "alice"},
                                           headers=api_headers()))
    done, _ = await asyncio.wait({closing}, timeout=0.5)
    assert not done, "close must wait for the user's message being handled (the same per-user lock)"
    release.set()
    turn = await sending
    assert (await closing).status == 200
    assert turn["handoff"] is True  # relayed, not answered by the bot …
    posts = bot_api.posts_in(DESK, thread)
    asked = next(i for i, t in enumerate(posts) if "退费要多久" in t)
    closed = next(i for i, t in enumerate(posts) if "closed by alice" in t)
    assert asked < closed  # … and on the desk before 「closed」
    log = [e["text"] for e in await services.handoff.transcript(tid)]
    assert log.index("最后一个问题:退费要多久?") < next(i for i, t in enumerate(log) if t.startswith("closed by"))
    after = await chat("菜单")  # the user hears the ticket closed, and is back with the bot
    assert "人工客服已结束本次服务" in after["text"] and after["state"] == "menu"


async def test_close_while_desk_busy_answers_503_and_closes_on_retry(app):
    chat, tid = await open_console_ticket(app)
    services = app.app[SERVICES]
    services.handoff.lock_wait = 0.2
    lock = services.handoff._user_lock(SessionKey("console", chat.user))
    assert await lock.acquire()  # a message of this user is being handled for a long time
    resp = await app.post(f"/operator/tickets/{tid}/close", json={"operator": "alice"}, headers=api_headers())
    assert resp.status == 503 and (await resp.json())["result"] == "busy"
    assert (await services.handoff.get(tid)).status != "closed"
    await lock.release()
    resp = await app.post(f"/operator/tickets/{tid}/close", json={"operator": "alice"}, headers=api_headers())
    assert resp.status == 200 and (await services.handoff.get(tid)).status == "closed"


# -- 2. order ----------------------------------------------------------------------------------------------
async def test_burst_of_messages_reaches_the_desk_in_the_users_order(app, bot_api):
    user = random.randint(10**9, 2 * 10**9)
    await post_update(app, tg_user_update(user, "转人工"))
    ticket = await ticket_of(app, str(user))
    await until(lambda: topics(bot_api) and ticket["id"] in str(bot_api.topics))
    thread = int((await app.app[SERVICES].handoff.get(ticket["id"])).topic_id)
    first = update_ids(8)
    burst = [tg_user_update(user, f"第{i}条", update_id=first + i) for i in range(8)]
    random.shuffle(burst)  # sent together: they arrive, and take the user's lock, in any order
    await asyncio.gather(*(post_update(app, u) for u in burst))
    await until(lambda: len(user_posts(bot_api, thread)) == 8, timeout=5)
    assert user_posts(bot_api, thread) == [f"👤 第{i}条" for i in range(8)]
    log = [e["text"] for e in await app.app[SERVICES].handoff.transcript(ticket["id"]) if e["who"] == "user"]
    assert log == [f"第{i}条" for i in range(8)]


# -- 3. WeChat's 45015 and 45047 -----------------------------------------------------------------------------
@pytest.mark.parametrize("errcode, reason, note", [(45047, "quota_exceeded", "45047"),
                                                   (45015, "window_expired", "48-hour")])
async def test_wechat_quota_or_window_marks_ticket_waiting_and_holds_the_reply(app, bot_api, wechat_api,
                                                                               errcode, reason, note):
    wx, _ = wechat_api
    peer = Peer(app, WX_TOKEN)
    await peer.say("转人工")
    tid = (await ticket_of(app, peer.openid))["id"]
    (wx.over_quota if errcode == 45047 else wx.expired).add(peer.openid)
    resp = await app.post(f"/operator/tickets/{tid}/reply", json={"operator": "alice", "text": "请带上缴费凭证"},
                          headers=api_headers())
    assert resp.status == 502 and (await resp.json())["result"] == reason
    thread = int((await app.app[SERVICES].handoff.get(tid)).topic_id)
    await until(lambda: any(note in t for t in bot_api.posts_in(DESK, thread)))
    assert "held" in bot_api.posts_in(DESK, thread)[-1]  # the operator is told the real reason, and what happens
    shown = (await (await app.get(f"/operator/tickets/{tid}", headers=api_headers())).json())["ticket"]
    assert shown["status"] == "assigned" and shown["waiting"] == reason
    # the user writes again: the held reply rides on the passive reply to that message
    wx.over_quota.discard(peer.openid)
    wx.expired.discard(peer.openid)
    assert await peer.say("好的,我等着") == "客服:请带上缴费凭证"
    shown = (await (await app.get(f"/operator/tickets/{tid}", headers=api_headers())).json())["ticket"]
    assert shown["status"] == "assigned" and shown["waiting"] == ""
    await until(lambda: any("wrote again" in t for t in bot_api.posts_in(DESK, thread)))
    assert wx.texts_to(peer.openid) == []  # nothing went out twice


# -- 5. the close API's text -----------------------------------------------------------------------------------
async def test_operator_close_text_reaches_the_user(app, bot_api, wechat_api):
    wx, _ = wechat_api
    peer = Peer(app, WX_TOKEN)
    await peer.say("转人工")
    tid = (await ticket_of(app, peer.openid))["id"]
    resp = await app.post(f"/operator/tickets/{tid}/close", json={"operator": "alice", "text": "祝您办事顺利"},
                          headers=api_headers())
    assert resp.status == 200 and await resp.json() == {"result": "ok", "text": "delivered"}
    sent = wx.texts_to(peer.openid)
    assert sent[0] == "客服:祝您办事顺利" and "人工客服已结束本次服务" in sent[1] and len(sent) == 2
    # console (no push): both wait for the user's next message, in that order
    chat, tid = await open_console_ticket(app)
    resp = await app.post(f"/operator/tickets/{tid}/close", json={"operator": "bob", "text": "再见"},
                          headers=api_headers())
    assert (await resp.json()) == {"result": "ok", "text": "queued_outbox"}
    text = (await chat("菜单"))["text"]
    assert text.index("客服:再见") < text.index("人工客服已结束本次服务")
    resp = await app.post(f"/operator/tickets/{tid}/close", json={"operator": "bob", "text": 5},
                          headers=api_headers())
    assert resp.status == 422


async def test_desk_close_command_sends_its_words(app, bot_api):
    user = random.randint(10**9, 2 * 10**9)
    await post_update(app, tg_user_update(user, "转人工"))
    tid = (await ticket_of(app, str(user)))["id"]
    thread = int((await app.app[SERVICES].handoff.get(tid)).topic_id)
    from tests.test_handoff import desk_message

    update = desk_message("/close 感谢您的耐心", thread)
    await post_update(app, update)
    to_user = [c.params["text"] for c in bot_api.of("sendMessage") if c.params["chat_id"] == str(user)]
    assert to_user[-2] == "客服:感谢您的耐心" and "人工客服已结束本次服务" in to_user[-1]


# -- 12. long operator replies ------------------------------------------------------------------------------------
async def test_long_operator_reply_is_split_never_replaced(app, bot_api, wechat_api):
    wx, _ = wechat_api
    long_reply = "".join(f"第{i}段:请携带身份证原件和缴费凭证到窗口办理。\n" for i in range(300))  # ~7,500 chars
    assert len(long_reply) > 2500
    peer = Peer(app, WX_TOKEN)
    await peer.say("转人工")
    tid = (await ticket_of(app, peer.openid))["id"]
    resp = await app.post(f"/operator/tickets/{tid}/reply", json={"operator": "alice", "text": long_reply},
                          headers=api_headers())
    assert resp.status == 200
    pieces = wx.texts_to(peer.openid)
    assert len(pieces) > 1 and all(len(p.encode()) <= 2048 for p in pieces)
    assert "{???}" not in "".join(pieces)
    assert "".join(pieces).replace("\n", "") == ("客服:" + long_reply).replace("\n", "")

    user = random.randint(10**9, 2 * 10**9)
    await post_update(app, tg_user_update(user, "转人工"))
    tid = (await ticket_of(app, str(user)))["id"]
    resp = await app.post(f"/operator/tickets/{tid}/reply", json={"operator": "alice", "text": long_reply},
                          headers=api_headers())
    assert resp.status == 200
    to_user = [c.params["text"] for c in bot_api.of("sendMessage") if c.params["chat_id"] == str(user)]
    got = "".join(t for t in to_user if "{???}" not in t and not t.startswith("正在为您转接"))
    assert all("{???}" not in t for t in to_user)
    assert got.replace("\n", "").endswith(long_reply.replace("\n", ""))


# -- 13. long user messages --------------------------------------------------------------------------------------
async def test_long_user_message_reaches_the_desk_whole_or_says_it_was_cut(app, bot_api):
    chat, tid = await open_console_ticket(app)
    thread = int((await app.app[SERVICES].handoff.get(tid)).topic_id)
    long_text = "".join(f"{i:05d}我的情况是这样的。" for i in range(500))  # 7,000 characters
    await chat(long_text)
    await until(lambda: len(user_posts(bot_api, thread)) >= 1)
    await until(lambda: "".join(bot_api.posts_in(DESK, thread)).replace("\n", "").count("00499") == 1)
    desk = "".join(bot_api.posts_in(DESK, thread))
    assert long_text in desk.replace("👤 ", "")  # nothing lost: split over several posts
    huge = "".join(f"{i:05d}很长的描述。" for i in range(3000))  # 24,000 characters
    await chat(huge)
    await until(lambda: any("✂ cut" in t for t in bot_api.posts_in(DESK, thread)))
    note = next(t for t in bot_api.posts_in(DESK, thread) if "✂ cut" in t)
    assert f"of {len(huge) + 2} characters" in note and f"/operator/tickets/{tid}" in note
    transcript = [e["text"] for e in await app.app[SERVICES].handoff.transcript(tid) if e["who"] == "user"]
    assert huge in transcript  # the whole message is in the transcript


# -- 6. PII in every form, everywhere -----------------------------------------------------------------------------
async def test_pii_masked_in_logs_session_transcript_and_desk(app, bot_api, wechat_api, caplog):
    caplog.set_level(logging.INFO)
    peer = Peer(app, WX_TOKEN)
    await peer.say("转人工")
    tid = (await ticket_of(app, peer.openid))["id"]
    thread = int((await app.app[SERVICES].handoff.get(tid)).topic_id)
    said = ["身份证 110105 19491231 002X", "电话138 0013 8000", "或者138-0013-8000", "+8613800138000",
            "身份证号是110105194912", "310021", "还交了1200元,2024年,打过12333"]
    first = next(_ids) * 1000  # WeChat's MsgIds grow with time: the order the desk keeps
    for i, text in enumerate(said):
        await peer.say(text, msgid=str(first + i))
    await until(lambda: len(user_posts(bot_api, thread)) == len(said), timeout=5)
    expected = ["身份证 110105 ******** 002X", "电话138 **** 8000", "或者138-****-8000", "+86138****8000",
                "身份证号是110105******", "**0021", "还交了1200元,2024年,打过12333"]
    assert user_posts(bot_api, thread) == [f"👤 {t}" for t in expected]
    transcript = [e["text"] for e in await app.app[SERVICES].handoff.transcript(tid) if e["who"] == "user"]
    assert transcript == expected
    session = await app.app[SERVICES].store.get(SessionKey("wechat", peer.openid))
    assert session.data["recent"][-len(expected) + 1:] == expected[1:]  # the last six
    raw = await app.app[SERVICES].redis.get(SessionKey("wechat", peer.openid).key("session"))
    logs = caplog.text
    for secret in ("19491231", "0013 8000", "0013-8000", "13800138000", "194912", "310021"):
        assert secret not in raw and secret not in logs

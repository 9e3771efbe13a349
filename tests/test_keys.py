"""Redis keys: built in one place (bot/keys.py), one user's keys in one cluster slot, and nothing kept forever
except the documented few — checked after a whole scripted conversation with a handoff opened and closed,
on a private Redis and on the real 3-node cluster."""
from __future__ import annotations

import ast
import re
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from redis.crc import key_slot

from bot import keys
from adapters.app import SERVICES, create_app
from bot.sessions import SessionKey
from tests.conftest import make_settings
from tests.fixtures.telegram.bot_api import TOKEN as TG_TOKEN
from tests.test_handoff import (
    API_TOKEN,
    DESK,
    SECRET,
    api_headers,
    bot_api,  # noqa: F401 (a fixture)
    desk_message,
    open_console_ticket,
    post_update,
    topics,
)
from tests.test_wechat import (
    REFUND_ANSWERS,
    Peer,
    until,
    wechat_api,  # noqa: F401 (a fixture)
)
from tests.test_wechat import TOKEN as WX_TOKEN

ROOT = Path(__file__).resolve().parent.parent
RETENTION_DAYS = 3.0  # HANDOFF_RETENTION_DAYS for these tests: a value no other TTL has


# -- one construction site ----------------------------------------------------------------------------
_KEY_TEXT = re.compile(r"(?<![\w./-])bot:")


def key_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal or f-string part that spells a ``bot:`` key; docstrings and
    comments are prose and may name keys."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and _KEY_TEXT.search(node.value)]


def test_the_scanner_finds_key_literals_and_f_strings_but_not_prose():
    sample = '''"""Keys: bot:{handoff}:ticket:<id> (prose)."""
A = "bot:{handoff}:"
def f(x):
    """bot:web:log:<id> in a docstring"""
    # bot:telegram:blocked in a comment
    return f"bot:{{{x}}}:session", "a robot: no", "see bot:wechat:nonce"
'''
    assert [line for line, _ in key_literals(sample)] == [2, 6, 6]


def test_no_redis_key_is_spelled_outside_bot_keys():
    found = []
    for folder in ("bot", "adapters", "flows"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "bot" / "keys.py":
                continue
            found += [f"{path.relative_to(ROOT)}:{line}: {text!r}" for line, text in key_literals(path.read_text())]
    assert found == [], "build Redis keys in bot/keys.py:\n" + "\n".join(found)


# -- one user, one slot -------------------------------------------------------------------------------
@pytest.mark.parametrize("channel,user", [("wechat", "oAbC-12_x"), ("telegram", "123456789"), ("web", "b" * 32),
                                          ("console", "u-1")])
def test_every_key_about_a_user_is_in_the_users_slot(channel, user):
    k = SessionKey(channel, user)
    built = [k.key(p) for p in ("session", "lock", "dedup:42", "seen", "handoff")] + [
        keys.outbox(channel, user), keys.outbox_taken(channel, user, "42")]
    built += {"wechat": [keys.wechat_delivered(user, "42"), keys.wechat_rest(user, "42")],
              "telegram": [keys.telegram_blocked(user)], "web": [keys.web_log(user)]}.get(channel, [])
    assert all(b.startswith(f"bot:{{{channel}:{user}}}:") for b in built)
    assert {key_slot(b.encode()) for b in built} == {key_slot(k.key("session").encode())}


def test_keys_read_together_share_a_slot():
    assert key_slot(keys.console_failures("addr", "10.0.0.1").encode()) == \
        key_slot(keys.console_failures("name", "alice").encode())  # one MGET at sign-in
    desk = [keys.ticket("7"), keys.ticket_log("7"), keys.ticket_held("7"), keys.ticket_relay("7"),
            keys.desk_topic(99), keys.HANDOFF_QUEUE, keys.HANDOFF_OPEN]  # the claim/close/log scripts
    assert len({key_slot(d.encode()) for d in desk}) == 1
    token = [keys.wechat_token("wx1"), *(keys.wechat_token("wx1", p) for p in ("lock", "fresh", "backoff", "failures"))]
    assert len({key_slot(t.encode()) for t in token}) == 1  # one MGET
    a = keys.Announcements("bot:ann")
    assert a.prefix == "bot:{ann}" and len({key_slot(x.encode()) for x in (*a.record("1"), a.due, a.jobs,
                                                                          a.rl_global, a.rl_chat("5"))}) == 1


# -- a scripted conversation: WeChat user with the Telegram desk, a console user with the operator API, a
#    web chat browser ---------------------------------------------------------------------------------
@asynccontextmanager
async def bot(url: str, bot_api, wechat_api) -> AsyncIterator[TestClient]:  # noqa: F811
    _, wx_base = wechat_api
    settings = make_settings(
        redis_url=url, operator_chat_id=DESK, operator_api_token=API_TOKEN, operator_hours="Mon-Sun 00:00-24:00",
        wechat_token=WX_TOKEN, wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret",
        wechat_api_base=wx_base, telegram_bot_token=TG_TOKEN, telegram_webhook_secret=SECRET,
        telegram_api_base=bot_api.base, handoff_retention_days=RETENTION_DAYS,
    )
    async with TestClient(TestServer(create_app(settings), host="127.0.0.1")) as client:
        yield client


async def converse(app: TestClient, bot_api, wechat_api) -> dict[str, tuple[str, str]]:  # noqa: F811
    """Talk, hand off, relay both ways, close; returns {who: (channel, user id)}."""
    wx, _ = wechat_api
    services = app.app[SERVICES]
    from adapters.wechat import WECHAT

    app.app[WECHAT].text_limit = 600  # the last refund answer goes out in pieces through the API
    peer = Peer(app, WX_TOKEN)
    await peer.event("CLICK", key="flow:refund")
    for answer in REFUND_ANSWERS:
        await peer.say(answer)
    await until(lambda: len(wx.texts_to(peer.openid)) > 0)
    assert "正在为您转接人工客服" in await peer.say("转人工")
    thread = topics(bot_api)[-1]
    assert await peer.say("我的电话13812345678") is None  # relayed to the desk
    await until(lambda: any("138****5678" in t for t in bot_api.posts_in(DESK, thread)))
    await post_update(app, desk_message("您好,请讲。", thread))
    await post_update(app, desk_message("/close 感谢您的耐心", thread))
    await until(lambda: "人工客服已结束本次服务" in wx.texts_to(peer.openid)[-1])
    assert await peer.say("1")  # back with the bot

    chat, tid = await open_console_ticket(app)  # console: the operator's reply waits in the user's outbox
    resp = await app.post(f"/operator/tickets/{tid}/reply", json={"operator": "alice", "text": "在的"},
                          headers=api_headers())
    assert (await resp.json())["result"] == "queued_outbox"
    assert "客服:在的" in (await chat("好的"))["text"]
    resp = await app.post(f"/operator/tickets/{tid}/close", json={"operator": "alice"}, headers=api_headers())
    assert resp.status == 200
    assert (await chat("菜单"))["state"] == "menu"

    await app.get("/web")
    resp = await app.post("/web/api/message", json={"id": uuid.uuid4().hex, "text": "你好"})
    assert resp.status == 200
    from tests.test_web import _browser

    await services.events.flush()
    return {"wechat": ("wechat", peer.openid), "console": ("console", chat.user),
            "web": ("web", await _browser(app))}


async def all_keys(redis) -> list[str]:
    return [k async for k in redis.scan_iter(count=1000)]


@pytest.mark.parametrize("where", ["redis", "cluster"])
async def test_a_users_keys_after_a_conversation_and_handoff_share_one_slot(where, request, bot_api,  # noqa: F811
                                                                            wechat_api):  # noqa: F811
    url = request.getfixturevalue("redis_url" if where == "redis" else "cluster_url")
    async with bot(url, bot_api, wechat_api) as app:
        users = await converse(app, bot_api, wechat_api)
        found = await all_keys(app.app[SERVICES].redis)
    for channel, user in users.values():
        mine = [k for k in found if user in k]
        assert mine and all(k.startswith(f"bot:{{{channel}:{user}}}:") for k in mine), mine
        assert len({key_slot(k.encode()) for k in mine}) == 1
        parts = {k.split("}:", 1)[1].split(":")[0] for k in mine}
        assert {"session", "seen"} <= parts
    wechat_parts = {k.split("}:", 1)[1].split(":")[0] for k in found if users["wechat"][1] in k}
    console_parts = {k.split("}:", 1)[1] for k in found if users["console"][1] in k}
    assert "rest" in wechat_parts  # the remainder sent through the API, in the user's slot
    assert any(p.startswith("outbox:taken:") for p in console_parts)
    assert "log" in {k.split("}:", 1)[1] for k in found if users["web"][1] in k}


async def test_every_key_expires_except_the_documented_permanent_ones(own_redis, bot_api, wechat_api):  # noqa: F811
    async with bot(own_redis.url, bot_api, wechat_api) as app:
        await converse(app, bot_api, wechat_api)
        redis = app.app[SERVICES].redis
        ttls = {k: await redis.ttl(k) for k in await all_keys(redis)}
        tickets = [t.id for t in await app.app[SERVICES].handoff.open_tickets()]
    assert tickets == []  # both closed
    forever = {k for k, t in ttls.items() if t == -1}
    assert forever <= set(keys.PERMANENT), forever - set(keys.PERMANENT)
    assert {keys.HANDOFF_SEQ, keys.WEB_COOKIE_SECRET} <= forever
    # both tickets and everything kept with them: the retention from their close
    kept = [k for k in ttls if k.startswith((keys.ticket(""), keys.ticket_log(""), keys.desk_topic("")))]
    assert len(kept) == 6  # 2 tickets, their transcripts and desk topics
    retention = int(RETENTION_DAYS * keys.DAY)
    assert all(retention - 120 < ttls[k] <= retention for k in kept), {k: ttls[k] for k in kept}


async def test_an_open_ticket_that_expired_leaves_the_queue(own_redis, bot_api, wechat_api):  # noqa: F811
    async with bot(own_redis.url, bot_api, wechat_api) as app:
        handoff = app.app[SERVICES].handoff
        _, tid = await open_console_ticket(app)
        assert await handoff.redis.ttl(keys.ticket(tid)) > 0
        assert [t.id for t in await handoff.open_tickets()] == [tid]
        await handoff.redis.delete(keys.ticket(tid))  # what its expiry does after the retention
        assert await handoff.open_tickets() == []
        assert await handoff.redis.zscore(keys.HANDOFF_QUEUE, tid) is None
        assert await handoff.redis.zscore(keys.HANDOFF_OPEN, tid) is None
        assert await handoff.position(tid) is None


# -- an older bot's data ------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["redis", "cluster"])
async def test_keys_migrate_moves_an_older_layout_once(where, request):
    from bot.keymigrate import migrate
    from bot.sessions import open_redis, warm_up

    redis = open_redis(request.getfixturevalue("own_redis").url if where == "redis"
                       else request.getfixturevalue("cluster_url"))
    await warm_up(redis)
    u = uuid.uuid4().hex[:12]
    browser, console_user, chat = f"b{u}", f"u-{u}", str(int(u, 16) % 10**9)
    try:
        first = await redis.xadd(f"bot:web:log:{browser}", {"e": '{"who":"user","text":"你好"}'})
        await redis.expire(f"bot:web:log:{browser}", 3600)
        await redis.rpush(f"bot:{{handoff}}:outbox:console:{console_user}", "客服:一", "客服:二")
        await redis.rpush(keys.outbox("console", console_user), "客服:三")  # queued after the upgrade
        await redis.rpush(f"bot:{{handoff}}:outbox:console:{console_user}:taken:m1", "客服:零")
        await redis.sadd("bot:telegram:blocked", chat)
        await redis.hset(f"bot:{{handoff}}:msgs:{u}", mapping={"u:1": "2", "d:2": "user:1"})
        await redis.hset(keys.ticket(u), mapping={"id": u, "status": "closed"})
        await redis.rpush(keys.ticket_log(u), "{}")
        await redis.set(keys.desk_topic(u), u)

        done = await migrate(redis, retention=5 * keys.DAY)

        assert [i for i, _ in await redis.xrange(keys.web_log(browser))] == [first]
        assert 0 < await redis.ttl(keys.web_log(browser)) <= 3600
        assert await redis.lrange(keys.outbox("console", console_user), 0, -1) == ["客服:一", "客服:二", "客服:三"]
        assert await redis.ttl(keys.outbox("console", console_user)) > 0
        assert await redis.exists(keys.telegram_blocked(chat)) and await redis.ttl(keys.telegram_blocked(chat)) > 0
        for gone in (f"bot:web:log:{browser}", f"bot:{{handoff}}:outbox:console:{console_user}",
                     "bot:telegram:blocked", f"bot:{{handoff}}:msgs:{u}"):
            assert not await redis.exists(gone), gone
        for kept in (keys.ticket(u), keys.ticket_log(u), keys.desk_topic(u)):
            assert 5 * keys.DAY - 60 < await redis.ttl(kept) <= 5 * keys.DAY, kept
        assert done["web_logs"] >= 1 and done["outboxes"] >= 1 and done["blocked_chats"] >= 1
        assert done["message_pairs_dropped"] >= 1 and done["expiry_set"] >= 3
        assert set((await migrate(redis, retention=5 * keys.DAY)).values()) == {0}  # once: nothing left to do
    finally:
        await redis.aclose()


async def test_console_sign_in_counts_failures_on_a_cluster(cluster_url):
    """The two failure counters are read with one MGET: on a cluster that needs one slot (it answered 500)."""
    from tests.test_web import HASH, signed_in

    settings = make_settings(redis_url=cluster_url, operator_accounts={"alice": HASH}, console_signin_limit=2,
                             operator_api_token="t")
    async with TestClient(TestServer(create_app(settings), host="127.0.0.1")) as client:
        await signed_in(client)  # a good password: 303
        client.session.cookie_jar.clear()
        page = await (await client.get("/console")).text()
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        name = "n" + uuid.uuid4().hex[:8]
        statuses = [(await client.post("/console/signin", data={"username": name, "password": "wrong", "csrf": csrf}
                                       )).status for _ in range(3)]
        assert statuses == [401, 401, 429]

"""The web chat and the operator console over HTTP (the browser tests drive the same pages in Chromium):
cookies, CSRF, sign-in limits, bad input, retries, masking, live events and the shared operator operations."""
from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from typing import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from argon2 import PasswordHasher

from adapters.app import SERVICES, create_app
from bot import keys
from bot.handoff import DeliveryFailed
from bot.messages import Incoming
from tests.conftest import make_settings

PASSWORD = "correct horse battery"
HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
API_TOKEN = "web-test-token"


@pytest.fixture
async def client(redis_url) -> AsyncIterator[TestClient]:
    settings = make_settings(redis_url=redis_url, operator_accounts={"alice": HASH, "bob": HASH},
                             operator_api_token=API_TOKEN, operator_hours="Mon-Sun 00:00-24:00",
                             console_signin_limit=3)
    async with TestClient(TestServer(create_app(settings), host="127.0.0.1")) as c:
        yield c


def mid() -> str:
    return uuid.uuid4().hex


async def say(client: TestClient, **body) -> tuple[int, dict]:
    resp = await client.post("/web/api/message", json={"id": mid(), **body})
    return resp.status, await resp.json()


async def signed_in(client: TestClient, name: str = "alice") -> str:
    """Sign ``name`` in on this client's cookie jar; returns the console's CSRF token."""
    form = await client.get("/console")
    csrf = re.search(r'name="csrf" value="([^"]+)"', await form.text()).group(1)
    resp = await client.post("/console/signin", data={"username": name, "password": PASSWORD, "csrf": csrf},
                             allow_redirects=False)
    assert resp.status == 303, await resp.text()
    page = await (await client.get("/console")).text()
    return json.loads(re.search(r'id="config" type="application/json">(.*?)</script>', page).group(1))["csrf"]


async def test_page_sets_a_signed_httponly_cookie_and_loads_nothing_from_elsewhere(client):
    resp = await client.get("/web")
    assert resp.status == 200
    cookie = resp.cookies["yb_web"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/web"
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    html = await resp.text()
    assert "医保办事助手" in html and 'lang="zh-CN"' in html
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(r.startswith("/web/static/") for r in refs), refs
    for ref in refs:
        assert (await client.get(ref)).status == 200
    assert "请勿发送身份证号" in html  # the privacy line under the input box


async def test_a_tampered_cookie_is_a_new_browser(client):
    await client.get("/web")
    await say(client, payload="cmd:greet")
    history = await (await client.get("/web/api/history")).json()
    assert history["entries"]
    jar = client.session.cookie_jar
    token = next(c.value for c in jar if c.key == "yb_web")
    jar.clear()
    jar.update_cookies({"yb_web": token[:-2] + ("AA" if not token.endswith("AA") else "BB")},
                       response_url=client.make_url("/web"))
    assert (await client.get("/web/api/history")).status == 401
    status, body = await say(client, payload="cmd:greet")  # answered as a new conversation, with a new cookie
    assert status == 200 and body["entries"][0]["who"] == "bot"
    assert next(c.value for c in jar if c.key == "yb_web") != token


async def test_bad_input_gets_a_polite_answer_and_changes_nothing(client):
    await client.get("/web")
    await say(client, text="我想退医保")
    before = (await (await client.get("/web/api/history")).json())["entries"]
    cases = [
        (await client.post("/web/api/message", data="text=hi"), 415),
        (await client.post("/web/api/message", data=b"{not json", headers={"Content-Type": "application/json"}), 422),
        (await client.post("/web/api/message", json=["a"]), 422),
        (await client.post("/web/api/message", json={"id": "x", "text": "hi"}), 422),
        (await client.post("/web/api/message", json={"id": mid(), "text": "退" * 501}), 413),
        (await client.post("/web/api/message", json={"id": mid(), "text": "   "}), 422),
        (await client.post("/web/api/message", json={"id": mid(), "payload": "cmd:back", "step": "2"}), 422),
    ]
    for resp, status in cases:
        assert resp.status == status, (await resp.text(), status)
        body = await resp.json()
        assert body["message"] and body["message"] != body["error"]  # a sentence from the locale files
    assert "太长" in (await cases[4][0].json())["message"]
    after = (await (await client.get("/web/api/history")).json())["entries"]
    assert after == before
    _, turn = await say(client, text="1")
    assert "您想退费的原因" in turn["entries"][-1]["text"]  # the flow went on where it was


async def test_a_retried_message_is_answered_once(client):
    await client.get("/web")
    await say(client, text="我想退医保")
    body = {"id": mid(), "text": "1"}
    first = await (await client.post("/web/api/message", json=body)).json()
    again = await (await client.post("/web/api/message", json=body)).json()
    assert [e["id"] for e in again["entries"]] == [e["id"] for e in first["entries"]]
    history = (await (await client.get("/web/api/history")).json())["entries"]
    assert sum(1 for e in history if e.get("mid") == body["id"]) == 2  # the message and one answer
    _, turn = await say(client, text="1")
    assert "是哪种重复" in turn["entries"][-1]["text"]  # the next question: the retry did not skip one
    await client.get("/web")  # a reload re-issues the cookie for the same conversation
    again = (await (await client.get("/web/api/history")).json())["entries"]
    assert again[-1]["id"] == turn["entries"][-1]["id"]


async def test_numbers_are_masked_before_they_are_stored(client):
    await client.get("/web")
    _, turn = await say(client, text="我的身份证110101199003071234,电话13812345678")
    text = json.dumps(turn, ensure_ascii=False)
    assert "13812345678" not in text and "110101199003071234" not in text
    assert "138****5678" in turn["entries"][0]["text"]
    services = client.app[SERVICES]
    raw = json.dumps(await services.redis.xrange(keys.web_log(await _browser(client))), ensure_ascii=False)
    assert "13812345678" not in raw and "138****5678" in raw


async def _browser(client: TestClient) -> str:
    from adapters.web import WEB

    token = next(c.value for c in client.session.cookie_jar if c.key == "yb_web")
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(await client.app[WEB].secret.get(), salt="yb.web").loads(token)


async def read_events(resp, count: int, timeout: float = 10) -> list[dict]:
    """The next ``count`` data events of an open event stream."""
    events: list[dict] = []

    async def read() -> None:
        while len(events) < count:
            line = (await resp.content.readline()).decode().strip()
            if line.startswith("data:"):
                events.append(json.loads(line[5:].strip()))

    await asyncio.wait_for(read(), timeout)
    return events


async def test_operator_reply_and_close_arrive_live_on_the_event_stream(client):
    await client.get("/web")
    _, turn = await say(client, text="转人工")
    assert turn["handoff"] is True
    ticket = re.search(r"工单号是 (\d+)", turn["entries"][-1]["text"]).group(1)
    stream = await client.get("/web/api/events", params={"after": turn["entries"][-1]["id"]})
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    resp = await client.post(f"/operator/tickets/{ticket}/reply", json={"operator": "carol", "text": "您好,请讲"},
                             headers=headers)
    assert resp.status == 200 and (await resp.json())["result"] == "delivered"
    [reply] = await read_events(stream, 1)
    assert reply["who"] == "operator" and "您好,请讲" in reply["text"] and reply["handoff"] is True
    resp = await client.post(f"/operator/tickets/{ticket}/close", json={"operator": "carol", "closing": "再见"},
                             headers=headers)
    assert resp.status == 200
    closing, standard = await read_events(stream, 2)
    assert "再见" in closing["text"] and "人工客服已结束本次服务" in standard["text"] and standard["handoff"] is False
    stream.close()
    # a page opened later shows all of it, once
    history = (await (await client.get("/web/api/history")).json())
    assert history["handoff"] is False
    assert [e["text"] for e in history["entries"]].count(reply["text"]) == 1
    _, turn = await say(client, text="菜单")
    assert "请问您想办哪件事" in turn["entries"][-1]["text"]


@pytest.fixture
async def clean_limits(client) -> AsyncIterator[None]:
    """Sign-in failures are counted in the suite's shared Redis: start and end without any."""
    redis = client.app[SERVICES].redis

    async def clear() -> None:
        found = [k async for k in redis.scan_iter(keys.console_failures("*", "*"))]
        if found:
            await redis.delete(*found)

    await clear()
    yield
    await clear()


async def test_console_sign_in_needs_the_form_token_and_is_rate_limited(client, clean_limits):
    page = await client.get("/console")
    assert 'type="password"' in await page.text()
    assert (await client.get("/console/api/tickets")).status == 401
    csrf = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
    # no token: refused before the password is even looked at
    resp = await client.post("/console/signin", data={"username": "alice", "password": PASSWORD})
    assert resp.status == 403
    for _ in range(3):
        resp = await client.post("/console/signin", data={"username": "alice", "password": "wrong", "csrf": csrf})
        assert resp.status == 401 and "账号或密码不对" in await resp.text()
    resp = await client.post("/console/signin", data={"username": "alice", "password": PASSWORD, "csrf": csrf})
    assert resp.status == 429 and "15 分钟" in await resp.text()
    # an unknown name is answered like a wrong password
    resp = await client.post("/console/signin", data={"username": "mallory", "password": "x", "csrf": csrf})
    assert resp.status in (401, 429)


async def test_console_forms_need_the_session_token(client):
    csrf = await signed_in(client)
    chat_user = await _web_ticket(client)
    ticket = await _ticket_of(client, chat_user)
    assert (await client.post(f"/console/api/tickets/{ticket}/claim", data={})).status == 403
    assert (await client.post(f"/console/api/tickets/{ticket}/claim", data={"csrf": "forged"})).status == 403
    resp = await client.post(f"/console/api/tickets/{ticket}/claim", data={"csrf": csrf})
    assert resp.status == 200 and (await resp.json())["result"] == "ok"
    # sign-out is a form too
    assert (await client.post("/console/signout", data={"csrf": csrf}, allow_redirects=False)).status == 303
    assert (await client.get("/console/api/tickets")).status == 401


async def _web_ticket(client: TestClient) -> str:
    """A resident on another browser asks for an operator; returns their browser id."""
    services = client.app[SERVICES]
    user = "w-" + uuid.uuid4().hex[:10]
    await services.engine.handle(Incoming("web", user, user, mid(), text="我想退医保"))
    await services.engine.handle(Incoming("web", user, user, mid(), text="1"))
    await services.engine.handle(Incoming("web", user, user, mid(), text="转人工"))
    return user


async def _ticket_of(client: TestClient, user: str) -> str:
    tickets = (await (await client.get("/console/api/tickets")).json())["tickets"]
    return next(t["id"] for t in tickets if t["user_id"] == user)


async def test_console_and_api_share_one_claim(client):
    csrf = await signed_in(client, "alice")
    user = await _web_ticket(client)
    ticket = await _ticket_of(client, user)
    assert (await client.post(f"/console/api/tickets/{ticket}/claim", data={"csrf": csrf})).status == 200
    resp = await client.post(f"/operator/tickets/{ticket}/reply", json={"operator": "bob", "text": "我来"},
                             headers={"Authorization": f"Bearer {API_TOKEN}"})
    assert resp.status == 409 and (await resp.json())["result"] == "taken:alice"
    shown = await (await client.get(f"/console/api/tickets/{ticket}")).json()
    assert shown["ticket"]["operator"] == "alice" and shown["ticket"]["context"]["state"] == "ask_reason"
    assert shown["ticket"]["context"]["slots"] == {"ins_type": "居民"}
    assert any("医保卡" in q["label"] for q in shown["quick_replies"])
    assert all(q["text"] for q in shown["quick_replies"])


async def test_queue_covers_every_channel_with_waiting_time_and_wechat_flags(client):
    services = client.app[SERVICES]
    csrf = await signed_in(client)
    handoff = services.handoff
    users = {}
    real_clock = handoff.clock
    for channel, age in (("wechat", 49 * 3600), ("telegram", 60), ("console", 0), ("web", 0)):
        user = f"{channel}-{uuid.uuid4().hex[:8]}"
        handoff.clock = lambda age=age: real_clock() - age
        await services.engine.handle(Incoming(channel, user, user, mid(), text="我电话13812345678"))
        await services.engine.handle(Incoming(channel, user, user, mid(), text="转人工"))
        users[channel] = user
    handoff.clock = real_clock
    tickets = {t["user_id"]: t for t in (await (await client.get("/console/api/tickets")).json())["tickets"]}
    mine = {c: tickets[u] for c, u in users.items()}
    assert {t["channel"] for t in mine.values()} == {"wechat", "telegram", "console", "web"}
    assert mine["wechat"]["waited"] >= 49 * 3600 - 5 and mine["telegram"]["waited"] >= 59
    assert {"kind": "window_expired"} in mine["wechat"]["flags"]
    assert mine["telegram"]["flags"] == []
    assert all("138****5678" in t["context"]["recent"][0] for t in mine.values())  # masked in the context
    assert all("13812345678" not in json.dumps(t, ensure_ascii=False) for t in mine.values())

    # a WeChat reply refused for quota is reported to the operator, and flagged on the ticket
    async def over_quota(chat_id: str, text: str) -> None:
        raise DeliveryFailed("quota", "errcode 45047")

    handoff.register_sender("wechat", over_quota)
    try:
        ticket = mine["telegram"]["id"]  # a fresh window; the quota is what fails
        await handoff.redis.hset(keys.ticket(ticket), "channel", "wechat")
        resp = await client.post(f"/console/api/tickets/{ticket}/reply", data={"csrf": csrf, "text": "您好"})
        assert resp.status == 502 and (await resp.json())["result"] == "quota"
        shown = await (await client.get(f"/console/api/tickets/{ticket}")).json()
        assert [f["kind"] for f in shown["ticket"]["flags"]] == ["quota"]
    finally:
        handoff.senders.pop("wechat", None)


async def test_console_events_announce_ticket_changes(client):
    await signed_in(client)
    stream = await client.get("/console/api/events")
    assert (await stream.content.readline()).decode().startswith("event: ready")
    start = time.monotonic()
    await _web_ticket(client)

    async def changed() -> None:
        while True:
            line = (await stream.content.readline()).decode()
            if line.startswith("event: changed"):
                return

    await asyncio.wait_for(changed(), 10)
    assert time.monotonic() - start < 10
    stream.close()


def test_operator_hash_prints_an_accounts_entry(monkeypatch, capsys):
    import io

    from bot.__main__ import main

    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    main(["operator-hash", "dora"])
    entry = json.loads(capsys.readouterr().out)
    assert list(entry) == ["dora"] and entry["dora"].startswith("$argon2id$")
    assert PasswordHasher().verify(entry["dora"], "a long passphrase")
    monkeypatch.setenv("OPERATOR_ACCOUNTS", json.dumps(entry))  # as .env or the environment holds it
    settings = make_settings()
    assert settings.operator_accounts["dora"].get_secret_value() == entry["dora"]

"""The WeChat channel, driven through the real app with requests signed and encrypted by wechatpy.

A local aiohttp server stands in for the WeChat API (token + customer-service send), reached through
WECHAT_API_BASE; sessions, nonces and the shared access_token live in the suite's private Redis.
"""
from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from pathlib import Path
from typing import AsyncIterator

import pytest
import xmltodict
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from adapters.app import create_app
from adapters.wechat import TEXT_LIMIT, WECHAT, WeChatChannel, split_text
from bot.sessions import SessionKey
from tests.conftest import make_settings

FIXTURES = Path(__file__).parent / "fixtures" / "wechat"
TOKEN = "yibao-wechat-test-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # any 43 characters of base64 alphabet
# Tencent's published safe-mode sample: token, EncodingAESKey, appid and one signed, encrypted message.
TENCENT = {
    "token": "QDG6eK",
    "aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
    "appid": "wx5823bf96d3bd56c7",
    "msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6",
    "timestamp": "1409659813",
    "nonce": "1372623149",
}
# Answers by number from the refund flow's first question to its online-application guidance (done_online).
REFUND_ANSWERS = ("1", "1", "1", "2", "1", "1")


def fixture(name: str, **fields: object) -> str:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for k, v in fields.items():
        text = text.replace("{" + k + "}", str(v))
    return text


def sign(token: str, timestamp: str, nonce: str) -> str:
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    return signer.signature


# -- a stand-in for api.weixin.qq.com -------------------------------------------------------------------
class FakeWeChatAPI:
    def __init__(self) -> None:
        self.token_fetches = 0
        self.sent: list[dict] = []  # {"token", "touser", "content"}
        self.rejected_tokens: set[str] = set()
        self.unauthorized = False
        self.expired: set[str] = set()  # openids whose 48-hour customer-service window has passed
        self.over_quota: set[str] = set()  # openids that got too many messages since their last one (45047)
        self.token_delay = 0.0
        self.token_failure: int | None = None  # e.g. 45009 (errcode) or 503 (HTTP status) for every fetch
        self.app = web.Application()
        self.app.router.add_get("/cgi-bin/token", self.token)
        self.app.router.add_post("/cgi-bin/message/custom/send", self.send)

    async def token(self, request: web.Request) -> web.Response:
        assert request.query["grant_type"] == "client_credential" and request.query["secret"] == "s3cret"
        self.token_fetches += 1
        await asyncio.sleep(self.token_delay)
        if self.token_failure is not None and self.token_failure >= 500:
            return web.Response(status=self.token_failure, text="busy")
        if self.token_failure is not None:
            return web.json_response({"errcode": self.token_failure, "errmsg": "api freq out of limit"})
        return web.json_response({"access_token": f"TOKEN-{self.token_fetches}", "expires_in": 7200})

    async def send(self, request: web.Request) -> web.Response:
        token = request.query.get("access_token", "")
        if token in self.rejected_tokens:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        if self.unauthorized:
            return web.json_response({"errcode": 48001, "errmsg": "api unauthorized"})
        data = await request.json()
        if data["touser"] in self.expired:
            return web.json_response({"errcode": 45015, "errmsg": "response out of time limit"})
        if data["touser"] in self.over_quota:
            return web.json_response({"errcode": 45047, "errmsg": "out of response count limit"})
        assert data["msgtype"] == "text"
        self.sent.append({"token": token, "touser": data["touser"], "content": data["text"]["content"]})
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    def texts_to(self, openid: str) -> list[str]:
        return [m["content"] for m in self.sent if m["touser"] == openid]


@pytest.fixture
async def wechat_api() -> AsyncIterator[tuple[FakeWeChatAPI, str]]:
    api = FakeWeChatAPI()
    server = TestServer(api.app, host="127.0.0.1")
    await server.start_server()
    yield api, str(server.make_url("/cgi-bin/"))
    await server.close()


# -- WeChat's side of the conversation ------------------------------------------------------------------
class Peer:
    """Posts messages the way WeChat's servers do, signed (plain) or encrypted (safe mode) by wechatpy."""

    def __init__(self, client: TestClient, token: str, crypto: WeChatCrypto | None = None) -> None:
        self.client = client
        self.token = token
        self.crypto = crypto
        self.openid = "o" + uuid.uuid4().hex[:27]
        self.now = lambda: int(time.time())

    def query(self, timestamp: str | None = None, nonce: str | None = None) -> dict[str, str]:
        timestamp = timestamp or str(self.now())
        nonce = nonce or str(uuid.uuid4().int % 10**10)
        return {"timestamp": timestamp, "nonce": nonce, "signature": sign(self.token, timestamp, nonce),
                "openid": self.openid}

    async def post(self, xml: str | bytes, query: dict[str, str] | None = None) -> tuple[int, str]:
        query = query or self.query()
        if self.crypto is not None:
            envelope = xmltodict.parse(self.crypto.encrypt_message(xml, query["nonce"], query["timestamp"]))["xml"]
            query = {**query, "encrypt_type": "aes", "msg_signature": envelope["MsgSignature"]}
            xml = f"<xml><ToUserName><![CDATA[gh_yibao]]></ToUserName><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"
        resp = await self.client.post("/wechat", params=query, data=xml.encode() if isinstance(xml, str) else xml,
                                      headers={"Content-Type": "text/xml"})
        return resp.status, await resp.text()

    def reply_content(self, body: str) -> str | None:
        """The text of a passive reply (decrypted and signature-checked in safe mode); None for "success"."""
        if body in ("success", ""):
            return None
        reply = xmltodict.parse(body)["xml"]
        if self.crypto is not None:
            reply = xmltodict.parse(self.crypto.decrypt_message(
                body, reply["MsgSignature"], reply["TimeStamp"], reply["Nonce"]))["xml"]
        assert reply["MsgType"] == "text" and reply["ToUserName"] == self.openid
        return reply["Content"]

    def text_xml(self, content: str, msgid: str | None = None) -> str:
        return fixture("text.xml", openid=self.openid, time=self.now(), content=content,
                       msgid=msgid or str(uuid.uuid4().int % 10**18))

    async def say(self, content: str, msgid: str | None = None) -> str | None:
        status, body = await self.post(self.text_xml(content, msgid))
        assert status == 200, body
        return self.reply_content(body)

    def event_xml(self, event: str, key: str = "", create_time: int | None = None) -> str:
        return fixture("event.xml", openid=self.openid, time=create_time or self.now(), event=event, key=key)

    async def event(self, event: str, key: str = "", create_time: int | None = None) -> str | None:
        status, body = await self.post(self.event_xml(event, key, create_time))
        assert status == 200, body
        return self.reply_content(body)


@pytest.fixture
async def make_app(redis_url: str, wechat_api) -> AsyncIterator:
    """``await make_app(**settings)`` → (client, channel); every app is closed at the end."""
    api, base = wechat_api
    async with contextlib.AsyncExitStack() as stack:
        async def make(**overrides: object) -> tuple[TestClient, WeChatChannel]:
            settings = make_settings(**{"redis_url": redis_url, "wechat_token": TOKEN, "wechat_api_base": base,
                                        **overrides})
            app = create_app(settings)
            client = await stack.enter_async_context(TestClient(TestServer(app, host="127.0.0.1")))
            return client, app[WECHAT]
        yield make


async def session_of(channel: WeChatChannel, openid: str):
    return await channel.services.store.get(SessionKey("wechat", openid))


async def until(predicate, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


# -- mounting and URL verification ----------------------------------------------------------------------
async def test_no_route_without_token(redis_url, caplog):
    app = create_app(make_settings(redis_url=redis_url))
    assert WECHAT not in app
    assert "WECHAT_TOKEN is not set" in caplog.text
    async with TestClient(TestServer(app)) as client:
        assert (await client.get("/wechat", params={"echostr": "x"})).status == 404


async def test_safe_mode_misconfiguration_refuses_to_start(redis_url):
    with pytest.raises(ValueError, match="WECHAT_APPID"):
        create_app(make_settings(redis_url=redis_url, wechat_token=TOKEN, wechat_aes_key=AES_KEY))
    with pytest.raises(ValueError, match="43-character"):
        create_app(make_settings(redis_url=redis_url, wechat_token=TOKEN, wechat_aes_key=AES_KEY[:-3],
                                 wechat_appid="wx0123456789abcdef"))


async def test_get_echoes_echostr_only_when_signed(make_app):
    client, _ = await make_app()
    query = {"timestamp": "1700000000", "nonce": "42", "echostr": "echo-123"}
    good = await client.get("/wechat", params={**query, "signature": sign(TOKEN, "1700000000", "42")})
    assert good.status == 200 and await good.text() == "echo-123"
    forged = await client.get("/wechat", params={**query, "signature": sign("other-token", "1700000000", "42")})
    assert forged.status == 403 and "echo-123" not in await forged.text()
    assert (await client.get("/wechat", params=query)).status == 403


# -- a whole conversation, both modes ------------------------------------------------------------------
@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
async def test_refund_conversation_over_wechat(make_app, wechat_api, safe):
    appid = "wx" + uuid.uuid4().hex[:16]
    overrides = {"wechat_aes_key": AES_KEY, "wechat_appid": appid} if safe else {}
    client, channel = await make_app(**overrides)
    peer = Peer(client, TOKEN, WeChatCrypto(TOKEN, AES_KEY, appid) if safe else None)

    welcome = await peer.event("subscribe")
    assert "医保" in welcome and "\n1. " in welcome  # welcome plus the menu as a numbered list
    refund_label = channel.services.translator.text("menu-refund", "zh-CN")
    [number] = [line.split(".")[0] for line in welcome.splitlines() if line.endswith(f". {refund_label}")]
    first = await peer.say(number)  # the menu is answered by number, like every question after it
    assert "1. " in first and "2. " in first
    for answer in REFUND_ANSWERS:
        last = await peer.say(answer)
    assert "公众号" in last
    session = await session_of(channel, peer.openid)
    assert (session.flow, session.state) == ("refund", "done_online")
    assert session.step == len(REFUND_ANSWERS) + 2
    # the materials are one numbered option away
    [number] = [line.split(".")[0] for line in last.splitlines() if line.endswith(". 📋 要带的材料")]
    materials = await peer.say(number)
    assert "缴费凭证" in materials and (await session_of(channel, peer.openid)).state == "done_online"
    assert wechat_api[0].sent == []  # everything fitted in the passive replies


async def test_tencent_published_safe_mode_vector(make_app):
    client, channel = await make_app(wechat_token=TENCENT["token"], wechat_aes_key=TENCENT["aes_key"],
                                     wechat_appid=TENCENT["appid"])
    channel.clock = lambda: int(TENCENT["timestamp"])  # the sample was signed in 2014
    crypto = WeChatCrypto(TENCENT["token"], TENCENT["aes_key"], TENCENT["appid"])
    body = (FIXTURES / "tencent_safe_mode.xml").read_bytes()
    query = {k: TENCENT[k] for k in ("msg_signature", "timestamp", "nonce")}
    resp = await client.post("/wechat", params={**query, "encrypt_type": "aes"}, data=body)
    assert resp.status == 200
    envelope = xmltodict.parse(await resp.text())["xml"]
    assert set(envelope) >= {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}
    reply = xmltodict.parse(crypto.decrypt_message(await resp.text(), envelope["MsgSignature"],
                                                   envelope["TimeStamp"], envelope["Nonce"]))["xml"]
    # The sample is "hello" from user "mycreate": a greeting, answered with the welcome and the menu.
    assert reply["ToUserName"] == "mycreate" and reply["FromUserName"] == TENCENT["appid"]
    assert "医保" in reply["Content"] and "\n1. " in reply["Content"]
    assert (await session_of(channel, "mycreate")).state == "menu"

    tampered = body.replace(b"RypEvHKD8QQ", b"RypEvHKD8QR")
    resp = await client.post("/wechat", params={**query, "nonce": "1"}, data=tampered)
    assert resp.status == 403


async def test_safe_mode_refuses_plain_requests(make_app):
    appid = "wx" + uuid.uuid4().hex[:16]
    client, channel = await make_app(wechat_aes_key=AES_KEY, wechat_appid=appid)
    plain = Peer(client, TOKEN)  # correctly signed, but neither msg_signature nor encryption
    status, _ = await plain.post(plain.text_xml("我想退医保"))
    assert status == 403
    assert await session_of(channel, plain.openid) is None


# -- signatures, timestamps, nonces ---------------------------------------------------------------------
async def test_forged_and_missing_signature_are_refused(make_app):
    client, channel = await make_app()
    peer = Peer(client, TOKEN)
    forged = {**peer.query(), "signature": sign("guessed-token", "1", "2")}
    assert (await peer.post(peer.text_xml("我想退医保"), forged))[0] == 403
    unsigned = {k: v for k, v in peer.query().items() if k != "signature"}
    assert (await peer.post(peer.text_xml("我想退医保"), unsigned))[0] == 403
    assert await session_of(channel, peer.openid) is None


async def test_stale_timestamp_is_refused(make_app):
    client, channel = await make_app()
    peer = Peer(client, TOKEN)
    stale = peer.query(timestamp=str(int(time.time()) - 3600))  # correctly signed, an hour old
    assert (await peer.post(peer.text_xml("我想退医保"), stale))[0] == 403
    future = peer.query(timestamp=str(int(time.time()) + 3600))
    assert (await peer.post(peer.text_xml("我想退医保"), future))[0] == 403
    assert await session_of(channel, peer.openid) is None


async def test_replayed_nonce_with_another_body_is_refused(make_app):
    client, channel = await make_app()
    peer = Peer(client, TOKEN)
    query = peer.query()
    status, body = await peer.post(peer.event_xml("CLICK", "flow:refund"), query)
    assert status == 200 and "1. " in peer.reply_content(body)
    # The captured signed URL, reused with a message the user never sent:
    status, _ = await peer.post(peer.text_xml("1", msgid="7002"), query)
    assert status == 403
    session = await session_of(channel, peer.openid)
    assert (session.state, session.step) == ("ask_ins_type", 1)


# -- retries -----------------------------------------------------------------------------------------------
async def test_retry_of_same_msgid_gets_same_reply_and_one_step(make_app):
    client, channel = await make_app()
    peer = Peer(client, TOKEN)
    await peer.event("CLICK", key="flow:refund")
    xml = peer.text_xml("1", msgid="880001")
    first = await peer.post(xml)  # WeChat's first try
    retry_fresh = await peer.post(xml)  # its retries may come with a fresh timestamp/nonce …
    query = peer.query()
    retry_a = await peer.post(xml, query)
    retry_b = await peer.post(xml, query)  # … and an identical resend of a request is answered too
    assert first[0] == 200 and first[1] != "success"
    replies = {peer.reply_content(r[1]) for r in (first, retry_fresh, retry_a, retry_b)}
    assert len(replies) == 1
    session = await session_of(channel, peer.openid)
    assert session.step == 2 and session.state == "ask_reason"


async def test_event_retry_is_deduplicated_by_sender_and_create_time(make_app):
    client, channel = await make_app()
    peer = Peer(client, TOKEN)
    created = int(time.time())
    first = await peer.event("subscribe", create_time=created)
    again = await peer.event("subscribe", create_time=created)
    assert first == again and first
    assert (await session_of(channel, peer.openid)).step == 1
    await peer.event("subscribe", create_time=created + 1)  # a later, genuine re-subscribe
    assert (await session_of(channel, peer.openid)).step == 2


async def test_click_event_starts_the_errand_on_the_button(make_app):
    client, channel = await make_app()
    peer = Peer(client, TOKEN)
    reply = await peer.event("CLICK", key="flow:refund")
    assert "1. " in reply
    assert (await session_of(channel, peer.openid)).flow == "refund"
    peer2 = Peer(client, TOKEN)
    # A key that is no option value is read as if typed (as a payload it would be an expired button).
    as_text = await peer2.event("CLICK", key="我想退医保")
    assert channel.services.translator.text("common-stale-button", "zh-CN") not in as_text
    assert (await session_of(channel, peer2.openid)).step == 1
    assert await peer2.event("VIEW", key="https://example.org/") is None  # link buttons need no answer
    assert await peer2.event("subscribe_msg_popup_event") is None  # events wechatpy does not know either
    assert (await session_of(channel, peer2.openid)).step == 1


# -- deadline ---------------------------------------------------------------------------------------------
async def test_slow_turn_answers_success_then_customer_service(make_app, wechat_api):
    api, _ = wechat_api
    client, channel = await make_app(wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret")
    engine = channel.services.engine
    handle = engine.handle

    async def slow(msg, **kw):
        await asyncio.sleep(0.4)
        return await handle(msg, **kw)

    engine.handle = slow
    channel.deadline = 0.1
    peer = Peer(client, TOKEN)
    xml = peer.text_xml("我想退医保", msgid="990001")
    assert await peer.post(xml) == (200, "success")  # in time for WeChat, nothing to show yet
    retry = await peer.post(xml)  # WeChat's retry arrives while the turn is still running
    assert retry == (200, "success")
    await until(lambda: api.texts_to(peer.openid))
    await channel.drain()  # every late delivery has finished: a second copy would be there by now
    [late] = api.texts_to(peer.openid)  # delivered once, through the customer-service API
    assert "1. " in late
    engine.handle, channel.deadline = handle, 2.0
    assert await peer.post(xml) == (200, "success")  # a later retry, answered in time, does not repeat it
    assert (await session_of(channel, peer.openid)).step == 1


async def test_slow_turn_without_customer_service_is_answered_by_the_retry(make_app):
    client, channel = await make_app()
    engine = channel.services.engine
    handle = engine.handle

    async def slow(msg, **kw):
        await asyncio.sleep(0.3)
        return await handle(msg, **kw)

    engine.handle = slow
    channel.deadline = 0.1
    peer = Peer(client, TOKEN)
    xml = peer.text_xml("我想退医保", msgid="990002")
    assert await peer.post(xml) == (200, "success")
    channel.deadline = 2.0  # WeChat's retry arrives; this time the stored turn is ready in time
    status, body = await peer.post(xml)
    assert status == 200 and "1. " in peer.reply_content(body)
    assert (await session_of(channel, peer.openid)).step == 1


# -- long replies ------------------------------------------------------------------------------------------
async def test_long_reply_is_split_and_the_rest_sent_through_customer_service(make_app, wechat_api):
    api, _ = wechat_api
    client, channel = await make_app(wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret")
    channel.text_limit = 600
    peer = Peer(client, TOKEN)
    await peer.event("CLICK", key="flow:refund")
    for answer in REFUND_ANSWERS[:-1]:
        await peer.say(answer)
    first = await peer.say(REFUND_ANSWERS[-1])
    # The rest may come in any number of pieces: wait for the one that ends with the options.
    await until(lambda: bool(api.texts_to(peer.openid)) and api.texts_to(peer.openid)[-1].rstrip().endswith("转人工"))
    await channel.drain()
    rest = api.texts_to(peer.openid)
    assert rest and all(len(t.encode()) <= 600 for t in [first, *rest])
    whole = "\n\n".join([first, *rest])
    assert "城乡居民退费登记" in whole and "📋 要带的材料" in whole  # nothing lost, options last
    assert whole.rstrip().endswith(". 主菜单\n" + whole.rstrip().rsplit("\n", 1)[-1])
    assert api.token_fetches == 1 and {m["token"] for m in api.sent} == {"TOKEN-1"}


async def test_long_reply_without_customer_service_keeps_options(make_app, wechat_api):
    client, channel = await make_app()  # no appid/secret: only the passive reply exists
    channel.text_limit = 600
    peer = Peer(client, TOKEN)
    await peer.event("CLICK", key="flow:refund")
    for answer in REFUND_ANSWERS[:-1]:
        await peer.say(answer)
    reply = await peer.say(REFUND_ANSWERS[-1])
    assert len(reply.encode()) <= 600
    assert "只显示了前面一部分" in reply and "✅ 可以申请退费" in reply
    assert reply.rstrip().endswith(". 主菜单\n" + reply.rstrip().rsplit("\n", 1)[-1])
    assert reply.rstrip().endswith(". 转人工") and ". 📋 要带的材料\n" in reply
    assert wechat_api[0].sent == []


async def test_unauthorized_account_falls_back_to_truncation(make_app, wechat_api):
    api, _ = wechat_api
    api.unauthorized = True
    client, channel = await make_app(wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret")
    channel.text_limit = 600
    await channel.services.redis.delete("bot:wechat:cs_unauthorized")
    peer = Peer(client, TOKEN)
    await peer.event("CLICK", key="flow:refund")
    for answer in REFUND_ANSWERS[:-1]:
        await peer.say(answer)
    await peer.say(REFUND_ANSWERS[-1])  # split; the API answers 48001
    await until(lambda: api.token_fetches == 1)
    await channel.drain()  # the background send has met 48001 and recorded it
    assert await channel.services.redis.exists("bot:wechat:cs_unauthorized")
    reply = await peer.say("返回上一步")
    reply = await peer.say("1")  # the long answer again: now cut short in the passive reply
    assert "只显示了前面一部分" in reply
    await channel.services.redis.delete("bot:wechat:cs_unauthorized")


def test_split_text_respects_byte_limit_and_paragraphs():
    paragraphs = ["第一段" * 30, "second paragraph " * 10, "行" * 500 + "\n" + "短行"]
    text = "\n\n".join(paragraphs)
    pieces = split_text(text, 400)
    assert all(0 < len(p.encode()) <= 400 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    assert pieces[0] == paragraphs[0]  # a paragraph that fits is kept whole
    assert split_text("短", TEXT_LIMIT) == ["短"]


# -- the shared access_token ----------------------------------------------------------------------------
async def test_access_token_is_fetched_once_for_all_workers(make_app, wechat_api):
    api, _ = wechat_api
    api.token_delay = 0.2  # a slow token endpoint widens the race between workers
    appid = "wx" + uuid.uuid4().hex[:16]
    workers = [(await make_app(wechat_appid=appid, wechat_appsecret="s3cret"))[1] for _ in range(3)]
    await asyncio.gather(*(w.cs.send_text("o-user", f"hello {i}") for i, w in enumerate(workers) for _ in range(3)))
    assert api.token_fetches == 1
    assert len(api.sent) == 9 and {m["token"] for m in api.sent} == {"TOKEN-1"}
    assert await workers[0].services.redis.get(f"bot:wechat:{{{appid}}}:access_token") == "TOKEN-1"


async def test_rejected_access_token_is_replaced_once(make_app, wechat_api):
    api, _ = wechat_api
    appid = "wx" + uuid.uuid4().hex[:16]
    _, channel = await make_app(wechat_appid=appid, wechat_appsecret="s3cret")
    await channel.cs.send_text("o-user", "one")
    api.rejected_tokens.add("TOKEN-1")  # e.g. someone fetched a token with the same secret elsewhere
    await channel.cs.send_text("o-user", "two")
    assert [(m["token"], m["content"]) for m in api.sent] == [("TOKEN-1", "one"), ("TOKEN-2", "two")]
    assert await channel.services.redis.get(f"bot:wechat:{{{appid}}}:access_token") == "TOKEN-2"


# -- bad input ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["xxe.xml", "billion_laughs.xml"])
@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
async def test_entity_declarations_are_refused(make_app, name, safe):
    appid = "wx" + uuid.uuid4().hex[:16]
    client, channel = await make_app(**({"wechat_aes_key": AES_KEY, "wechat_appid": appid} if safe else {}))
    peer = Peer(client, TOKEN, WeChatCrypto(TOKEN, AES_KEY, appid) if safe else None)
    started = time.monotonic()
    status, body = await peer.post(fixture(name, openid=peer.openid, time=int(time.time()), msgid="1"))
    assert status == 400
    assert "root:" not in body and "lol" not in body and "Traceback" not in body
    assert time.monotonic() - started < 2
    assert await session_of(channel, peer.openid) is None


async def test_megabyte_body_is_refused_cleanly(make_app):
    client, channel = await make_app()
    peer = Peer(client, TOKEN)
    big = peer.text_xml("退" * (350 * 1024))  # about 1 MB of UTF-8
    assert len(big.encode()) > 1_000_000
    status, body = await peer.post(big)
    assert status == 413 and "Traceback" not in body
    assert await session_of(channel, peer.openid) is None


NO_MSGID = (b"<xml><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>"
            b"<Content>hi</Content></xml>")
BAD_TIME = NO_MSGID.replace(b"<CreateTime>1<", b"<CreateTime>soon<").replace(b"</xml>", b"<MsgId>5</MsgId></xml>")


@pytest.mark.parametrize("body", [b"<xml><MsgType>text", b"not xml at all", b"<other/>",
                                  b"<xml><MsgType>text</MsgType></xml>", b"", NO_MSGID, BAD_TIME],
                         ids=["truncated", "not-xml", "other-root", "no-sender", "empty", "no-msgid", "bad-time"])
async def test_malformed_bodies_get_400(make_app, body):
    client, _ = await make_app()
    peer = Peer(client, TOKEN)
    status, text = await peer.post(body)
    assert status == 400 and "Traceback" not in text


async def test_image_gets_a_polite_text_reply_and_no_session_change(make_app):
    client, channel = await make_app()
    peer = Peer(client, TOKEN)
    await peer.event("CLICK", key="flow:refund")
    before = await session_of(channel, peer.openid)
    status, body = await peer.post(fixture("image.xml", openid=peer.openid, time=int(time.time()), msgid="55"))
    assert status == 200
    assert "只能看懂文字" in peer.reply_content(body)
    after = await session_of(channel, peer.openid)
    assert (after.step, after.state, after.options) == (before.step, before.state, before.options)


async def test_recognised_voice_is_read_as_text(make_app):
    client, channel = await make_app()
    peer = Peer(client, TOKEN)
    status, body = await peer.post(fixture("voice_recognized.xml", openid=peer.openid, time=int(time.time()),
                                           msgid="56"))
    reply = peer.reply_content(body)
    assert status == 200 and "1. " in reply  # answered by the dialogue, not the "text only" notice
    assert "只能看懂文字" not in reply
    assert (await session_of(channel, peer.openid)).step == 1


async def test_engine_failure_gets_a_clear_reply(make_app):
    client, channel = await make_app()

    async def broken(msg, **kw):
        raise RuntimeError("boom")

    channel.services.engine.handle = broken
    peer = Peer(client, TOKEN)
    assert await peer.say("我想退医保") == channel.services.translator.text("common-error", "zh-CN")


# -- Redis work per message (issue 14) ---------------------------------------------------------------------
async def test_two_redis_round_trips_per_message_nonce_included(make_app, round_trips):
    client, channel = await make_app()
    peer = Peer(client, TOKEN)
    await peer.say("我想退医保")  # scripts loaded
    sent = round_trips()
    assert "2. " in await peer.say("1")
    # begin (pipelined with the nonce record: one round trip) + commit
    assert len(sent) == 2, [bytes(c[0] if isinstance(c, list) else c)[:60] for c in sent]


async def test_captured_url_cannot_carry_another_users_message(make_app):
    """The nonce record is global (not under a user's key), so a signed URL reused with a forged body for
    another user is refused too, and that user gets no session."""
    client, channel = await make_app()
    peer, victim = Peer(client, TOKEN), Peer(client, TOKEN)
    query = peer.query()
    status, _ = await peer.post(peer.text_xml("我想退医保"), query)
    assert status == 200
    status, _ = await peer.post(victim.text_xml("我想退医保", msgid="7003"), query)
    assert status == 403
    assert await session_of(channel, victim.openid) is None

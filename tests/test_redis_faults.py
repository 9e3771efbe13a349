"""Redis trouble: down, frozen, restarted empty, damaged values, unknown states, runs outliving their lock.

Each test that breaks Redis gets its own redis-server (`own_redis`) to stop, freeze (SIGSTOP) or restart;
the suite's shared server is never harmed.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.app import create_app
from adapters.wechat import WECHAT
from bot.conversation import Session
from bot.engine import Engine, SessionBusy
from bot.messages import Incoming, Reply, Text, Turn
from bot.runtime import Services, build_services
from bot.sessions import RedisSessionStore, ServerInfo, SessionKey, check_eviction, probe
from tests.conftest import Chat, RedisServer, make_settings, steal_lock_before_first_commit, user_id
from tests.fixtures.telegram.bot_api import FakeBotAPI
from tests.test_telegram import Tg, sends, telegram_settings
from tests.test_wechat import TOKEN as WX_TOKEN
from tests.test_wechat import Peer, wechat_api  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent
BUSY_ZH = "系统繁忙，请稍后再发一次。"
# WeChat gives up after 5 s; the reply must be on its way before.
WECHAT_LIMIT = 5.0


def texts(services: Services, key: str, locale: str = "zh-CN") -> str:
    return services.translator.text(Text(key), locale)


@pytest.fixture
async def faulty(own_redis: RedisServer) -> AsyncIterator[tuple[Services, RedisServer]]:
    svc = build_services(make_settings(redis_url=own_redis.url))
    yield svc, own_redis
    await svc.close()


# -- Redis down or frozen ------------------------------------------------------------------------------
async def wechat_client(url: str, stack) -> tuple[TestClient, object]:
    # 1 s per try instead of 1.5: the same path, with more room for a loaded test machine
    app = create_app(make_settings(redis_url=url, wechat_token=WX_TOKEN, redis_timeout_seconds=1.0))
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    stack.append(client)
    return client, app[WECHAT]


@pytest.fixture
async def clients() -> AsyncIterator[list]:
    opened: list = []
    yield opened
    for c in opened:
        await c.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
async def test_redis_down_wechat_still_answers(own_redis, clients, locale):
    app = create_app(make_settings(redis_url=own_redis.url, wechat_token=WX_TOKEN, default_locale=locale))
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    clients.append(client)
    peer = Peer(client, WX_TOKEN)
    assert "1. " in await peer.say("我想退医保")
    own_redis.stop()
    started = time.monotonic()
    status, body = await peer.post(peer.text_xml("1"))
    assert time.monotonic() - started < WECHAT_LIMIT
    assert status == 200
    assert peer.reply_content(body) == app[WECHAT].services.translator.text("common-store-down", locale)
    own_redis.start()  # back, empty: the next message is answered again (and says the old answers are gone)
    reply = await peer.say("1")
    assert reply and app[WECHAT].services.translator.text("common-session-expired", locale) in reply


def test_default_redis_timeouts_fit_in_wechats_deadline():
    from adapters.wechat import DEADLINE
    from bot.sessions import RETRIES

    worst = (RETRIES + 1) * make_settings().redis_timeout_seconds + 0.2  # tries + the retry's backoff cap
    assert worst < DEADLINE


async def test_redis_frozen_wechat_still_answers_within_the_deadline(own_redis, clients):
    client, channel = await wechat_client(own_redis.url, clients)
    peer = Peer(client, WX_TOKEN)
    assert "1. " in await peer.say("我想退医保")
    before = await channel.services.store.get(SessionKey("wechat", peer.openid))
    own_redis.freeze()
    try:
        started = time.monotonic()
        status, body = await peer.post(peer.text_xml("1", msgid="4242001"))
        elapsed = time.monotonic() - started
    finally:
        own_redis.thaw()
    assert status == 200 and elapsed < WECHAT_LIMIT, (status, elapsed)
    assert body == "success" or peer.reply_content(body) == BUSY_ZH
    await channel.drain()
    # nothing half-written: the session is the one before, or the message applied exactly once
    after = await channel.services.store.get(SessionKey("wechat", peer.openid))
    assert after.step in (before.step, before.step + 1)
    assert after.state in (before.state, "ask_reason")


@pytest.mark.parametrize("fault", ["down", "frozen"])
async def test_redis_down_telegram_gets_5xx_so_it_redelivers(own_redis, clients, fault):
    api = await FakeBotAPI().start()
    try:
        app = create_app(telegram_settings(own_redis.url, api))
        client = TestClient(TestServer(app, host="127.0.0.1"))
        await client.start_server()
        clients.append(client)
        tg = Tg(client, api)
        assert sends(await tg.say("你好"))
        own_redis.stop() if fault == "down" else own_redis.freeze()
        update = tg.message("我想退医保")
        started = time.monotonic()
        calls = await tg.post(update)
        assert tg.status in (500, 502, 503) and time.monotonic() - started < 10
        assert sends(calls) == []  # no apology that the redelivery would then contradict
        own_redis.start() if fault == "down" else own_redis.thaw()
        calls = await tg.post(update)  # Telegram's redelivery of the same update
        assert tg.status == 200
        [sent] = sends(calls)
        assert "1. " in sent.params["text"] or sent.buttons()
    finally:
        await api.stop()


def test_redis_down_console_prints_one_line_not_a_traceback(own_redis):
    own_redis.stop()
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(REDIS_URL=own_redis.url, PYTHONUNBUFFERED="1")
    proc = subprocess.run([sys.executable, "-m", "bot", "chat", "--jsonl"], input="我想退医保\n",
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    [record] = [json.loads(line) for line in proc.stdout.splitlines()]
    assert record == {"text": BUSY_ZH, "options": [], "error": "store_unavailable"}
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if " ERROR " in line]
    assert len(errors) == 1 and "Redis unavailable" in errors[0]
    proc = subprocess.run([sys.executable, "-m", "bot", "chat", "--lang", "en"], input="refund\n",
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert "The system is busy" in proc.stdout and "Traceback" not in proc.stderr


# -- Redis restarted empty mid-flow --------------------------------------------------------------------
async def test_redis_restarted_empty_mid_flow_says_the_conversation_expired(faulty):
    services, server = faulty
    chat = Chat(services)
    turn = await chat("我想退医保")
    assert turn["flow"] == "refund" and turn["values"][0] != "flow:refund"
    server.restart()
    turn = await chat("1")  # meant as an answer to the refund question
    assert texts(services, "common-session-expired") in turn["text"]
    assert turn["intent"] == "expired" and turn["state"] == "menu" and turn["flow"] is None
    turn = await chat("1")  # now, and only now, 1 is the menu's first item
    assert turn["flow"] == "refund"


async def test_redis_restarted_empty_a_pressed_button_of_an_old_step_says_expired(faulty):
    services, server = faulty
    chat = Chat(services, channel="telegram")
    await chat("我想退医保")
    turn = await chat("", payload="居民", button_step=1)
    assert turn["flow"] == "refund" and turn["step"] == 2
    server.restart()
    turn = await chat("", payload="重复缴费", button_step=2)
    assert turn["intent"] == "expired" and texts(services, "common-session-expired") in turn["text"]
    assert turn["state"] == "menu"


async def test_session_older_than_the_button_is_detected(services):
    """A failover or an old snapshot gives back an earlier session: a button from a later step says so."""
    chat = Chat(services, channel="telegram")
    await chat("我想退医保")
    turn = await chat("", payload="居民", button_step=7)
    assert turn["intent"] == "expired" and turn["state"] == "menu"


async def test_a_first_message_that_is_not_an_answer_is_welcomed_as_before(services):
    turn = await Chat(services)("你好")
    assert turn["intent"] != "expired" and texts(services, "common-session-expired") not in turn["text"]


# -- damaged values ------------------------------------------------------------------------------------
DAMAGED = {
    "not_json": '{"flow": "refund", "slots": {"id": "110105194912310021"',
    "wrong_types": json.dumps({"flow": "refund", "state": "ask_reason", "step": "3", "slots": ["x"]}),
    "json_array": '["110105194912310021"]',
    "options_not_strings": json.dumps({"state": "menu", "options": [1, 2]}),
    "history_wrong_shape": json.dumps({"flow": "refund", "state": "ask_reason", "history": [["refund"]]}),
    "pending_wrong_shape": json.dumps({"flow": "refund", "state": "ask_reason", "pending": {"slots": 3}}),
}


# Each kind of damage meets one of the messages that must still work: 菜单, 重新开始, and an answer.
CASES = [(name, ("菜单", "重新开始", "1")[i % 3]) for i, name in enumerate(DAMAGED)]


@pytest.mark.parametrize("damage,first", CASES, ids=[f"{d}-{i}" for i, (d, _) in enumerate(CASES)])
async def test_damaged_session_is_replaced_logged_once_and_the_user_told(services, redis, caplog, damage, first):
    raw = DAMAGED[damage]
    chat = Chat(services)
    key = SessionKey("console", chat.user)
    await redis.set(key.key("session"), raw)
    with caplog.at_level(logging.WARNING):
        turn = await chat(first)
        assert texts(services, "common-session-damaged") in turn["text"]
        assert turn["state"] == "menu" and turn["flow"] is None
        assert await redis.get(key.key("lock")) is None  # the lock was released
        turn = await chat("1")
        assert turn["flow"] == "refund"
    damaged = [r for r in caplog.records if "damaged session" in r.getMessage()]
    assert len(damaged) == 1
    assert "110105194912310021" not in caplog.text  # masked
    assert Session.loads(await redis.get(key.key("session"))).flow == "refund"


async def test_damaged_handoff_pointer_is_dropped_and_the_user_told(services, redis, caplog):
    chat = Chat(services)
    await chat("我想退医保")
    key = SessionKey("console", chat.user)
    await redis.set(key.key("handoff"), "{not json")
    with caplog.at_level(logging.WARNING):
        turn = await chat("1")
        assert texts(services, "common-handoff-lost") in turn["text"]
        assert turn["state"] == "ask_reason"  # the session itself was fine: the answer counts
        turn = await chat("返回上一步")
        assert turn["state"] == "ask_ins_type"
    assert await redis.get(key.key("handoff")) is None
    assert await redis.get(key.key("lock")) is None
    assert len([r for r in caplog.records if "damaged handoff pointer" in r.getMessage()]) == 1


async def test_unknown_flow_after_a_deploy_resets_to_the_menu_and_is_logged_once(services, redis, caplog):
    chat = Chat(services)
    key = SessionKey("console", chat.user)
    await redis.set(key.key("session"), json.dumps({"flow": "retired_flow", "state": "ask_old", "step": 4,
                                                     "slots": {"a": "b"}, "options": ["x"]}))
    with caplog.at_level(logging.WARNING):
        turn = await chat("你好")
        assert turn["state"] == "menu" and turn["flow"] is None and turn["slots"] == {}
        await chat("2")
    unknown = [r for r in caplog.records if "unknown flow/state" in r.getMessage()]
    assert len(unknown) == 1 and "retired_flow" in unknown[0].getMessage()


async def test_pending_switch_to_a_removed_flow_and_history_of_one_are_dropped(services, redis, caplog):
    chat = Chat(services)
    await redis.set(SessionKey("console", chat.user).key("session"), json.dumps({
        "flow": "refund", "state": "ask_reason", "step": 3, "pending": {"flow": "retired_flow", "slots": {}},
        "history": [{"flow": "retired_flow", "state": "x", "slots": {}}]}))
    with caplog.at_level(logging.WARNING):
        turn = await chat("是")
        assert turn["state"] == "menu"
        turn = await chat("返回上一步")
    assert turn["flow"] != "retired_flow" and caplog.text.count("unknown flow/state") == 1


async def test_unknown_state_of_a_known_flow_resets_to_the_menu(services, redis, caplog):
    chat = Chat(services)
    await redis.set(SessionKey("console", chat.user).key("session"),
                    json.dumps({"flow": "refund", "state": "ask_renamed", "step": 2}))
    with caplog.at_level(logging.WARNING):
        turn = await chat("1")
    assert turn["state"] == "menu" and "unknown flow/state" in caplog.text


# -- runs that outlive the lock ------------------------------------------------------------------------
class SlowDialogue:
    def __init__(self, delay: float, blocking: bool = False) -> None:
        self.delay, self.blocking, self.calls = delay, blocking, 0

    def new_session(self, msg: Incoming) -> Session:
        return Session(state="menu")

    def handle(self, s: Session, msg: Incoming) -> Turn:
        self.calls += 1
        if self.blocking:
            time.sleep(self.delay)  # a handler that holds the event loop: nothing can renew the lock
        s.step += 1
        return Turn((Reply((Text("common-went-back"),)),), s.locale, s.step)


class SlowMiddleware:
    """A side effect (like a desk call) slower than the lock's lifetime, for messages saying "slow"."""

    def __init__(self, delay: float) -> None:
        self.delay, self.effects = delay, 0

    async def before(self, session, msg):
        if msg.text == "slow":
            await asyncio.sleep(self.delay)
        self.effects += 1
        return None

    async def after(self, session, msg, turn):
        return turn


def msg(uid: str, text: str = "x") -> Incoming:
    return Incoming("console", uid, uid, uuid.uuid4().hex, text)


async def until(predicate, timeout: float = 5.0) -> None:
    """Wait for ``predicate()`` (which may return an awaitable) to hold."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future):
            value = await value
        if value:
            return
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


async def test_handler_slower_than_the_lock_keeps_it_and_answers_once(redis):
    # The run lasts two lock lifetimes, so the lock is kept only by renewing it (every third of a lifetime);
    # a 1 s lifetime leaves room for the event-loop stalls of a loaded machine (500 ms lost it under load 12).
    dialogue, slow = SlowDialogue(0), SlowMiddleware(2.0)
    engine = Engine(RedisSessionStore(redis), dialogue, lock_ttl_ms=1000)
    engine.use(slow)
    uid = user_id()
    first = asyncio.create_task(engine.handle(msg(uid, "slow")))
    await until(lambda: redis.exists(SessionKey("console", uid).key("lock")))  # the slow run holds it
    second = await engine.handle(msg(uid, "fast"))  # must wait for the slow one: the lock is still held
    assert (await first).step == 1 and second.step == 2
    assert dialogue.calls == 2 and slow.effects == 2  # each message run once, side effects once each


async def test_handler_that_can_never_commit_gives_up_after_bounded_retries(redis):
    dialogue = SlowDialogue(0.25, blocking=True)
    engine = Engine(RedisSessionStore(redis), dialogue, lock_ttl_ms=100, lock_wait=30)
    uid = user_id()
    started = time.monotonic()
    with pytest.raises(SessionBusy):
        await engine.handle(msg(uid))
    assert dialogue.calls == engine.max_attempts == 3
    assert time.monotonic() - started < 5
    assert await engine.store.get(SessionKey("console", uid)) is None  # nothing half-written


class SlowDesk:
    def __init__(self, delay: float) -> None:
        self.delay, self.opened = delay, []

    async def ticket_opened(self, ticket, summary):
        await asyncio.sleep(self.delay)
        self.opened.append(ticket.id)

    async def user_message(self, ticket, text, user_msg_id):
        pass

    async def note(self, ticket, text):
        pass

    async def ticket_closed(self, ticket, text):
        pass


async def test_slow_desk_longer_than_the_lock_opens_one_ticket_and_answers(redis_url):
    services = build_services(make_settings(redis_url=redis_url, operator_api_token="op", lock_ttl_ms=100,
                                            operator_hours="Mon-Sun 00:00-24:00"))
    try:
        desk = services.handoff.desk = SlowDesk(0.5)
        chat = Chat(services)
        turn = await chat("转人工")
        assert turn["intent"] == "handoff" and turn["text"]
        assert len(desk.opened) == 1
    finally:
        await services.close()


async def test_lost_lock_during_handoff_retries_without_a_second_ticket_or_an_empty_reply(redis_url, redis):
    services = build_services(make_settings(redis_url=redis_url, operator_api_token="op",
                                            operator_hours="Mon-Sun 00:00-24:00"))
    try:
        desk = services.handoff.desk = SlowDesk(0)
        stolen = steal_lock_before_first_commit(services.store, redis)
        chat = Chat(services)
        turn = await chat("转人工")
        assert stolen and turn["intent"] == "handoff" and "正在为您转接" in turn["text"]
        assert len(desk.opened) == 1
    finally:
        await services.close()


async def test_late_empty_turn_sends_no_empty_customer_service_message(redis_url, wechat_api, clients):
    api, base = wechat_api
    app = create_app(make_settings(redis_url=redis_url, wechat_token=WX_TOKEN, wechat_api_base=base,
                                   wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret"))
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    clients.append(client)
    channel = app[WECHAT]

    async def slow_relay(incoming, **kw):
        await asyncio.sleep(0.3)
        return Turn((), "zh-CN", 1, intent="handoff_relay", handoff=True)  # relayed: nothing to say

    channel.services.engine.handle = slow_relay
    channel.deadline = 0.1
    peer = Peer(client, WX_TOKEN)
    assert await peer.post(peer.text_xml("有人吗")) == (200, "success")
    assert channel._tasks  # the late delivery is under way …
    await channel.drain()  # … and done
    assert api.sent == []


# -- eviction policy -----------------------------------------------------------------------------------
def test_eviction_policy_other_than_noeviction_is_warned_at_start_up(own_redis, caplog):
    import redis as sync_redis

    assert check_eviction(probe(own_redis.url)) is None  # redis-server's default: noeviction
    sync_redis.Redis.from_url(own_redis.url).config_set("maxmemory-policy", "allkeys-lru")
    with caplog.at_level(logging.WARNING):
        build_services(make_settings(redis_url=own_redis.url))
    assert "maxmemory-policy is 'allkeys-lru'" in caplog.text and "noeviction" in caplog.text
    assert "volatile-lru" in check_eviction(ServerInfo(False, "volatile-lru", 0))
    assert "sessions" in check_eviction(ServerInfo(False, "volatile-ttl", 0))


async def test_lost_lock_while_relaying_keeps_operator_replies_and_relays_once(redis_url, redis):
    services = build_services(make_settings(redis_url=redis_url, operator_api_token="op",
                                            operator_hours="Mon-Sun 00:00-24:00"))
    try:
        relayed: list[str] = []

        class Desk(SlowDesk):
            async def user_message(self, ticket, text, user_msg_id):
                relayed.append(text)

        services.handoff.desk = Desk(0)
        chat = Chat(services)
        await chat("转人工")
        [ticket] = [t for t in await services.handoff.open_tickets() if t.user_id == chat.user]
        assert await services.handoff.reply(ticket.id, "op1", "您好,请问有什么可以帮您?") == "queued_outbox"
        stolen = steal_lock_before_first_commit(services.store, redis)
        turn = await chat("我想问退费的事", message_id="7300001")  # platform ids are numbers (update_id, MsgId)
        assert stolen and "请问有什么可以帮您" in turn["text"]  # the re-run still shows the operator's reply
        await services.handoff.drain()  # post the queued user messages now instead of after the quiet time
        assert relayed == ["我想问退费的事"]  # and the desk got the user's message once
    finally:
        await services.close()

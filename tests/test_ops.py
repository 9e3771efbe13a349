"""Operations: /metrics after a scripted conversation, /readyz, JSON logs, the home page and the banner,
the announcement worker's own metrics and heartbeat (bot/metrics.py, bot/observe.py, bot/status.py)."""
from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import uuid

import aiohttp
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from adapters.app import SERVICES, create_app
from bot.announcements.cli import _announce
from bot.announcements.store import Store, TargetSpec
from bot.announcements.worker import Worker
from bot.logs import configure_logging, user_hash
from bot.status import banner
from tests.conftest import Chat, make_settings
from tests.test_announce import ann_settings, subscribers, wait_done
from tests.fixtures.telegram.bot_api import FakeBotAPI, announcement_outputs, close_outputs

OPERATOR_TOKEN = "op-secret"
METRICS_TOKEN = "metrics-secret"
OP = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """{(sample name, labels): value} from the Prometheus text format."""
    return {(s.name, frozenset(s.labels.items())): s.value
            for fam in text_string_to_metric_families(text) for s in fam.samples}


def value(m: dict, name: str, **labels: str) -> float:
    return m.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_count_a_scripted_conversation(redis_url):
    settings = make_settings(redis_url=redis_url, operator_api_token=OPERATOR_TOKEN, metrics_token=METRICS_TOKEN,
                             ops_key_prefix=f"test:{uuid.uuid4().hex[:8]}")
    app = create_app(settings)
    async with TestClient(TestServer(app)) as client:
        services = app[SERVICES]
        a = Chat(services)
        await a("我想退医保")  # refund started → ask_ins_type
        await a("asdf qwer")  # not understood, stays at ask_ins_type
        turn = await a("", payload="居民", button_step=a.last["step"])  # a button: ask_ins_type answered
        assert turn["state"] == "ask_reason"
        for text in ("1", "1", "2", "1"):  # reason, dup scope, used, channel
            await a(text)
        last = a.message("1")
        first = await services.engine.handle(last)  # platform → done_online
        again = await services.engine.handle(last)  # the platform retries the same message id
        assert first.state == "done_online" and again.duplicate and again.state == "done_online"

        b = Chat(services)
        assert (await b("转人工"))["intent"] == "handoff"  # a ticket opens (the operator API is on)
        await b("你好")  # relayed to the operator, not a dialogue turn
        tickets = (await (await client.get("/operator/tickets", headers=OP)).json())["tickets"]
        tid = next(t["id"] for t in tickets if t["user_id"] == b.user)
        assert (await client.post(f"/operator/tickets/{tid}/claim", json={"operator": "ann"}, headers=OP)).status == 200
        for text in ("您好，我来帮您", "还在吗"):  # two replies: one first reply
            assert (await client.post(f"/operator/tickets/{tid}/reply", json={"operator": "ann", "text": text},
                                      headers=OP)).status == 200
        assert (await client.post(f"/operator/tickets/{tid}/close", json={"operator": "ann"}, headers=OP)).status == 200

        assert (await client.get("/metrics")).status == 401
        assert (await client.get("/metrics", headers={"Authorization": "Bearer nope"})).status == 403
        resp = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert resp.status == 200 and resp.content_type == "text/plain"
        m = samples(await resp.text())

    # a: 7 texts (the last one delivered twice) + 1 button; b: 2 texts
    assert value(m, "yibao_messages_total", channel="console", kind="text") == 10
    assert value(m, "yibao_messages_total", channel="console", kind="button") == 1
    assert value(m, "yibao_duplicate_deliveries_total", channel="console") == 1
    assert value(m, "yibao_turn_seconds_count", channel="console") == 11
    assert value(m, "yibao_turn_seconds_bucket", channel="console", le="+Inf") == 11
    assert value(m, "yibao_turn_seconds_sum", channel="console") > 0
    # dialogue turns: a's 8 first deliveries, b's 转人工 (b's relayed message is the operator's)
    assert value(m, "yibao_understood_total", result="understood") == 8
    assert value(m, "yibao_understood_total", result="not_understood") == 1
    assert value(m, "yibao_flows_started_total", flow="refund") == 1
    for q in ("ask_ins_type", "ask_reason", "ask_dup_scope", "ask_used", "ask_channel", "ask_platform"):
        assert value(m, "yibao_questions_answered_total", flow="refund", question=q) == 1, q
    assert value(m, "yibao_outcomes_total", flow="refund", outcome="done_online") == 1
    for event in ("opened", "claimed", "closed"):
        assert value(m, "yibao_handoff_tickets_total", event=event) == 1, event
    assert value(m, "yibao_handoff_first_reply_seconds_count") == 1
    assert value(m, "yibao_redis_errors_total", where="engine") == 0


async def test_two_apps_in_one_process_keep_their_own_counts(redis_url):
    apps = [create_app(make_settings(redis_url=redis_url)) for _ in range(2)]
    async with TestClient(TestServer(apps[0])) as c0, TestClient(TestServer(apps[1])) as c1:
        await Chat(apps[0][SERVICES])("我想退医保")
        m0 = samples(await (await c0.get("/metrics")).text())
        m1 = samples(await (await c1.get("/metrics")).text())
    assert value(m0, "yibao_flows_started_total", flow="refund") == 1
    assert value(m1, "yibao_flows_started_total", flow="refund") == 0


async def test_readyz_and_redis_errors_when_redis_is_down():
    app = create_app(make_settings(redis_url="redis://127.0.0.1:1/0"))
    async with TestClient(TestServer(app)) as client:
        resp = await client.get("/readyz")
        assert resp.status == 503
        body = await resp.json()
        assert body["status"] == "not ready" and body["redis"].startswith("failed")
        try:
            await Chat(app[SERVICES])("我想退医保")
        except Exception as e:  # the engine cannot lock the session: the adapter's platform will retry
            assert "Connect" in type(e).__name__ or isinstance(e, OSError)
        else:
            raise AssertionError("a message went through without Redis")
        m = samples(await (await client.get("/metrics")).text())
    assert value(m, "yibao_redis_errors_total", where="engine") == 1
    assert value(m, "yibao_redis_errors_total", where="readyz") == 1


async def test_readyz_is_ready_over_real_redis(settings):
    app = create_app(settings)
    async with TestClient(TestServer(app)) as client:
        resp = await client.get("/readyz")
        assert resp.status == 200
        assert await resp.json() == {"status": "ready", "redis": "ok", "channels": {"web": "ok"}}  # on by default


async def test_readyz_fails_when_telegram_set_up_failed(redis_url):
    # The Bot API is unreachable, so setWebhook fails at start-up: the channel is mounted but not ready.
    # One try per call: the retries' backoff (tests/test_telegram.py) would only make the failure come later.
    settings = make_settings(redis_url=redis_url, telegram_bot_token="123:abc", telegram_webhook_secret="s3cret",
                             telegram_api_base="http://127.0.0.1:1", public_url="https://bot.example",
                             telegram_send_attempts=1)
    app = create_app(settings)
    async with TestClient(TestServer(app)) as client:
        resp = await client.get("/readyz")
        body = await resp.json()
    assert resp.status == 503
    assert body["redis"] == "ok" and body["channels"]["telegram"].startswith("failed")


async def test_json_logs_carry_channel_update_id_and_hashed_user(memory_services):
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("INFO", "json", stream)

    class Noisy:
        async def before(self, session, msg):
            logging.getLogger("test.noisy").warning("user wrote %s", msg.text)

        async def after(self, session, msg, turn):
            return turn

    try:
        memory_services.engine.use(Noisy())
        chat = Chat(memory_services, channel="telegram")
        await chat.services.engine.handle(chat.message("我的卡号 6222021234567890123", message_id="4242"))
        logging.getLogger("transitions.core").info("Entered state ask_reason")  # silenced
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    noisy = [r for r in lines if r["logger"] == "test.noisy"]
    assert len(noisy) == 1
    r = noisy[0]
    assert r["channel"] == "telegram" and r["update_id"] == "4242" and r["level"] == "WARNING"
    assert r["user"] == user_hash("telegram", chat.user) and chat.user not in stream.getvalue()
    assert "6222021234567890123" not in stream.getvalue() and "6222" in r["message"]
    assert not any(r["logger"].startswith("transitions") for r in lines)


async def test_home_page_and_banner_say_what_is_running(memory_services):
    settings = memory_services.settings.model_copy(update={"web_chat": False})
    memory_services.settings = settings  # the adapters read the services' settings
    app = create_app(settings, memory_services)
    async with TestClient(TestServer(app)) as client:
        page = await (await client.get("/")).text()
        page_en = await (await client.get("/?lang=en")).text()
    assert "医保办事助手" in page and "内嵌存储" in page and 'href="/readyz"' in page and "make chat" in page
    assert 'href="/web"' not in page and 'href="/console"' in page  # web chat switched off; the console is always there
    assert "Connected channels" not in page_en and "No channel is connected" in page_en
    text = banner(app, settings)
    assert "http://127.0.0.1:8080/" in text and "embedded" in text and "make chat" in text
    assert "none mounted" in text and "/web" not in text


async def test_banner_and_home_page_list_web_pages_when_mounted(memory_services):
    app = create_app(memory_services.settings, memory_services)  # the web chat is on by default, the console always
    async with TestClient(TestServer(app)) as client:
        home = await (await client.get("/?lang=en")).text()
    assert 'href="/web"' in home and 'href="/console"' in home and "operator console" in home
    text = banner(app, memory_services.settings)
    assert "http://127.0.0.1:8080/web" in text and "http://127.0.0.1:8080/console" in text


async def test_worker_serves_its_own_metrics_and_heartbeat(redis, redis_url, capsys):
    settings = ann_settings(redis_url)
    store = Store(redis, settings.announce_key_prefix)
    await subscribers(store, [1, 2, 3])
    async with FakeBotAPI(token=None) as api:
        api.forbidden.add("3")
        sender = announcement_outputs(settings, redis, api.url)
        worker = Worker(settings, redis, outputs=sender, name=f"w-{uuid.uuid4().hex[:4]}", poll_interval=0.05)
        server = worker.metrics.serve(0, "127.0.0.1")
        task = asyncio.create_task(worker.run())
        try:
            a = await store.create(TargetSpec("subscribers"), text="医保缴费提醒")
            report = await wait_done(store, a.id)
            assert report["sent"] == 2 and report["failed"] == 1
            args = argparse.Namespace(action="status", id=None, json=True)
            assert await _announce(args, settings) == 0
            alive = json.loads(capsys.readouterr().out)
            async with aiohttp.ClientSession() as http:
                async with http.get(f"http://127.0.0.1:{server.server_port}/metrics") as resp:
                    m = samples(await resp.text())
        finally:
            worker.stop.set()
            await task
            await close_outputs(sender)
            server.shutdown()
    assert [w["name"] for w in alive] == [worker.name] and alive[0]["at"] > alive[0]["started"] > 0
    assert value(m, "yibao_announcement_sends_total", result="sent") == 2
    assert value(m, "yibao_announcement_sends_total", result="failed") == 1
    assert await _announce(argparse.Namespace(action="status", id=None, json=False), settings) == 0
    assert "no worker is alive" in capsys.readouterr().out  # a stopped worker deletes its heartbeat

"""Telegram delivery failures, handled once in the output (adapters/telegram.py `TelegramOutput`): the real app and
the real poller against the Bot API stand-in (tests/fixtures/telegram/bot_api.py), which fails on request."""
from __future__ import annotations

import asyncio
import os
import random
import signal
from pathlib import Path
from typing import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.telegram import TelegramChannel, make_bot
from bot.channels import DeliveryFailed
from adapters.app import create_app
from tests.fixtures import bot_process
from tests.fixtures.telegram.bot_api import TOKEN, FakeBotAPI, update_ids
from tests.test_telegram import Tg, _member_update, sends, telegram_settings, values
from tests.test_telegram_polling import text_update

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as server:
        yield server


@pytest.fixture
async def tg(api: FakeBotAPI, redis_url: str) -> AsyncIterator[Tg]:
    # two tries per call, so "still failing" needs only two injected 500s
    app = create_app(telegram_settings(redis_url, api, telegram_send_attempts=2, telegram_retry_budget=5))
    async with TestClient(TestServer(app)) as client:
        yield Tg(client, api)
    assert api.errors == [], "the bot made Bot API calls the real server would reject"


async def test_500_after_the_turn_was_saved_is_retried_with_backoff(tg, api):
    api.fail("sendMessage", 500)
    calls = await tg.feed(tg.message("我想退医保"))  # over HTTP, as polling (and all but a webhook's last) sends
    assert [c.method for c in calls] == ["sendMessage", "sendMessage"]
    assert tg.t("refund-ask-ins-type") in calls[1].params["text"] and "居民" in values(calls[1])
    assert [status for _, _, status in api.refusals] == [500]


async def test_send_still_failing_makes_the_next_message_show_the_pending_question_again(tg, api):
    await tg.feed(tg.message("/start"))
    api.fail("sendMessage", 500, times=2)
    with pytest.raises(DeliveryFailed) as failed:  # polling keeps the update unconfirmed, a webhook answers 5xx
        await tg.feed(tg.message("我想退医保"))
    assert failed.value.kind == "unknown"
    session = await tg.session()
    assert session.state == "ask_ins_type"  # the turn was saved: the flow advanced, the question went nowhere

    # "1" would answer 职工 to a question the user never saw: the question and its buttons come instead
    (reshown,) = sends(await tg.feed(tg.message("1")))
    assert tg.t("refund-ask-ins-type") in reshown.params["text"] and "居民" in values(reshown)
    session = await tg.session()
    assert (session.state, session.slots) == ("ask_ins_type", {})

    # seen now: the next message is an answer again
    (reply,) = sends(await tg.feed(tg.message("居民")))
    assert tg.t("refund-ask-reason") in reply.params["text"]
    assert (await tg.session()).slots == {"ins_type": "居民"}


async def test_redelivered_update_whose_turn_was_never_delivered_is_sent_again(tg, api):
    await tg.feed(tg.message("/start"))
    update = tg.message("我想退医保")
    api.fail("sendMessage", 500, times=2)
    with pytest.raises(DeliveryFailed):
        await tg.feed(update)
    step = (await tg.session()).step

    (again,) = sends(await tg.feed(update))  # the poller fetches it again: answered, not "seen before"
    assert tg.t("refund-ask-ins-type") in again.params["text"] and "居民" in values(again)
    assert (await tg.session()).step == step  # the flow did not move twice
    assert sends(await tg.feed(update)) == []  # delivered now: a further re-delivery is a true duplicate

    (reply,) = sends(await tg.feed(tg.message("1")))  # and the next message is read as an answer
    assert tg.t("refund-ask-reason") in reply.params["text"]


async def test_webhook_whose_send_fails_answers_502_and_the_redelivery_sends_the_stored_turn(tg, api, monkeypatch):
    """Through the webhook: a turn of two messages sends the first over HTTP while the request is handled. When
    that send fails past the bound, the webhook answers 502 (not 200), so Telegram delivers the update again;
    the redelivery gets the saved turn and does not move the flow a second time."""
    from bot.messages import Reply, Text, Turn

    await tg.say("/start")
    real = tg.services.engine.handle

    async def with_a_notice_first(msg, **kw):  # e.g. a notice before the question: two messages
        turn = await real(msg, **kw)
        return Turn((Reply((Text("common-welcome"),)), *turn.replies), turn.locale, turn.step, turn.flow,
                    turn.state, turn.slots, turn.intent, turn.handoff, turn.effects, duplicate=turn.duplicate)

    monkeypatch.setattr(tg.services.engine, "handle", with_a_notice_first)
    update = tg.message("我想退医保")
    api.fail("sendMessage", 500, times=2)  # both tries of the first message
    calls = await tg.post(update)
    assert tg.status == 502 and tg.webhook_reply is None
    assert [c.method for c in calls] == ["sendMessage", "sendMessage"]
    session = await tg.session()
    assert session.state == "ask_ins_type"
    step = session.step

    calls = await tg.post(update)  # Telegram's redelivery of the unanswered update
    assert tg.status == 200
    assert tg.webhook_reply is not None and tg.t("refund-ask-ins-type") in tg.webhook_reply["text"]
    assert "居民" in values(sends(calls)[-1])
    assert (await tg.session()).step == step  # answered from the saved turn: the flow did not move twice

    monkeypatch.setattr(tg.services.engine, "handle", real)
    (reply,) = sends(await tg.post(tg.message("居民")))  # and the user's answer is read as an answer
    assert tg.t("refund-ask-reason") in reply.params["text"]


async def test_button_press_is_answered_before_the_engine_runs(tg, api, monkeypatch):
    await tg.say("/start")
    engine = tg.services.engine
    real = engine.handle
    seen_at_engine: list[list[str]] = []

    async def handle(msg, **kw):
        seen_at_engine.append([c.method for c in api.calls])
        await asyncio.sleep(0.2)  # e.g. waiting for the user's lock
        return await real(msg, **kw)

    monkeypatch.setattr(engine, "handle", handle)
    before = len(api.calls)
    calls = await tg.press("flow:refund")
    assert seen_at_engine and seen_at_engine[0][before:] == ["answerCallbackQuery"]
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]


async def test_send_to_a_group_that_became_a_supergroup_is_resent_there_once(tg, api):
    chats_key = f"{tg.services.settings.announce_key_prefix}:chats"
    group_id = -4000000000 - random.randint(1, 10**6)
    new_id = -1009000000000 - random.randint(1, 10**6)
    member = _member_update(tg, {"id": group_id, "type": "group", "title": "社区医保群"}, "administrator")
    await tg.post(member)
    assert await tg.services.redis.hexists(chats_key, str(group_id))  # an announcement target

    api.migrate[str(group_id)] = str(new_id)
    mention = tg.message("/help", name="group_text")
    mention["message"]["chat"]["id"] = group_id
    calls = await tg.feed(mention)  # over HTTP: a webhook response's outcome is never seen
    assert [int(c.params["chat_id"]) for c in sends(calls)] == [group_id, new_id]  # re-sent once, to the new id
    assert [s.chat for s in api.sent] == [str(new_id)]
    # remembered where the old id was stored: the announcement registry follows the chat
    assert not await tg.services.redis.hexists(chats_key, str(group_id))
    assert await tg.services.redis.hexists(chats_key, str(new_id))


async def test_poller_killed_mid_send_answers_the_update_after_restart(api, redis_url, tmp_path):
    user = random.randint(10**9, 2 * 10**9)
    uid = update_ids()
    api.updates = [text_update(uid, user, "/start")]
    api.hold()  # the reply's sendMessage stays in flight …
    env = {**os.environ, "REDIS_URL": redis_url, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": api.base,
           "PYTHONPATH": str(ROOT)}
    env.pop("TELEGRAM_WEBHOOK_SECRET", None)
    await bot_process.warm_up()  # aiogram imported once per test process (tests/fixtures/bot_process.py)
    proc = bot_process.start("poll", "--timeout", "1", env=env, cwd=tmp_path)
    try:
        async with asyncio.timeout(60):
            await api.holding.wait()
    finally:
        proc.kill()  # … when the poller dies (kill -9)
        assert await proc.wait() == -signal.SIGKILL
    api.release()
    assert uid + 1 not in api.offsets  # never confirmed
    assert api.sent == []

    # restarted: the update comes again; its turn was saved but never delivered, so it is answered now
    from bot.runtime import build_services
    from tests.conftest import make_settings

    services = build_services(make_settings(redis_url=redis_url, telegram_bot_token=TOKEN,
                                            telegram_api_base=api.base))
    channel = TelegramChannel(services, make_bot(TOKEN, api.base))
    stop = asyncio.Event()
    task = asyncio.create_task(channel.poll(timeout=1, stop=stop))
    try:
        async with asyncio.timeout(20):
            while uid + 1 not in api.offsets:
                api.polled.clear()
                await api.polled.wait()
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)
        await channel.close()
        await services.close()
    (welcome,) = api.sent
    assert welcome.chat == str(user) and services.translator.text("common-welcome", "zh-CN") in welcome.text
    methods = [(c.method, c.params.get("offset")) for c in api.calls]
    delivered = max(i for i, (m, _) in enumerate(methods) if m == "sendMessage")
    confirmed = methods.index(("getUpdates", str(uid + 1)))
    assert delivered < confirmed  # the offset went out only after the turn was delivered

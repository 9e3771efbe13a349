"""Telegram long polling (`python -m bot poll`): getUpdates with offsets against the local Bot API stand-in."""
from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path
from typing import AsyncIterator

import pytest

from adapters.telegram import TelegramChannel, make_bot
from bot.runtime import Services, build_services
from bot.sessions import SessionKey
from tests.conftest import make_settings
from tests.fixtures.telegram.bot_api import TOKEN, FakeBotAPI, update_ids

FIXTURES = Path(__file__).parent / "fixtures" / "telegram"


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    server = await FakeBotAPI().start()
    yield server
    await server.stop()
    assert server.errors == []


@pytest.fixture
async def services(redis_url: str, api: FakeBotAPI) -> AsyncIterator[Services]:
    svc = build_services(make_settings(redis_url=redis_url, telegram_bot_token=TOKEN, telegram_api_base=api.base))
    yield svc
    await svc.close()


def text_update(update_id: int, user_id: int, text: str) -> dict:
    u = json.loads((FIXTURES / "private_text.json").read_text(encoding="utf-8"))
    u["update_id"] = update_id
    u["message"]["from"]["id"] = u["message"]["chat"]["id"] = user_id
    u["message"]["text"] = text
    return u


class Poller:
    def __init__(self, services: Services, api: FakeBotAPI) -> None:
        self.slept: list[float] = []

        async def sleep(seconds: float) -> None:
            self.slept.append(seconds)
            await asyncio.sleep(0)

        self.channel = TelegramChannel(services, make_bot(TOKEN, api.base), sleep=sleep)
        self.api = api
        self.stop = asyncio.Event()

    async def run_until(self, done, timeout: float = 5.0) -> None:
        """Poll until ``done()`` holds (checked after each getUpdates), then stop."""
        task = asyncio.create_task(self.channel.poll(timeout=1, stop=self.stop))
        try:
            async with asyncio.timeout(timeout):
                while not done():
                    self.api.polled.clear()
                    await self.api.polled.wait()
        finally:
            self.stop.set()
            await asyncio.wait_for(task, 5)
            await self.channel.close()


async def test_polling_confirms_batches_by_offset_and_answers_each_update(services, api):
    user = random.randint(10**9, 2 * 10**9)
    first = update_ids(4)
    ids = [first, first + 1, first + 3]  # ids may have gaps
    api.updates = [text_update(ids[0], user, "/start"), text_update(ids[1], user, "1"),
                   text_update(ids[2], user, "1")]
    poller = Poller(services, api)
    await poller.run_until(lambda: ids[-1] + 1 in api.offsets)

    methods = [c.method for c in api.calls]
    assert methods.index("deleteWebhook") < methods.index("getUpdates")  # a set webhook would block getUpdates
    assert api.offsets[0] is None and api.offsets[1] == ids[-1] + 1
    replies = [c.params["text"] for c in api.of("sendMessage")]
    assert len(replies) == 3
    tr = services.translator
    assert tr.text("common-welcome", "zh-CN") in replies[0]
    assert tr.text("refund-ask-ins-type", "zh-CN") in replies[1]
    session = await services.store.get(SessionKey("telegram", str(user)))
    assert (session.state, session.slots) == ("ask_reason", {"ins_type": "居民"})

    # A restarted poller is handed an update again (its confirmation was lost) plus a new one:
    # the re-delivered update is not answered twice.
    api.calls.clear()
    api.updates = [text_update(ids[2], user, "1"), text_update(ids[2] + 1, user, "/menu")]
    again = Poller(services, api)
    await again.run_until(lambda: ids[2] + 2 in api.offsets)
    (reply,) = api.of("sendMessage")
    assert tr.text("menu-prompt", "zh-CN") in reply.params["text"]


async def test_polling_backs_off_on_server_errors_and_honours_retry_after(services, api):
    user = random.randint(10**9, 2 * 10**9)
    uid = update_ids(2)
    api.updates = [text_update(uid, user, "/start")]
    api.fail("getUpdates", 500, times=2)
    api.fail("getUpdates", 429, retry_after=7)
    poller = Poller(services, api)
    await poller.run_until(lambda: uid + 1 in api.offsets)
    assert poller.slept == [1.0, 2.0, 7]  # exponential backoff, then the server's retry_after
    assert len(api.of("sendMessage")) == 1


async def test_update_that_cannot_be_handled_is_not_confirmed(services, api):
    user = random.randint(10**9, 2 * 10**9)
    uid = update_ids(2)
    api.updates = [text_update(uid, user, "/start"), text_update(uid + 1, user, "/help")]
    poller = Poller(services, api)
    real_process = poller.channel.process
    attempts: list[int] = []

    async def flaky(update):
        attempts.append(update.update_id)
        if len(attempts) == 1:
            raise ConnectionError("redis went away")
        return await real_process(update)

    poller.channel.process = flaky
    await poller.run_until(lambda: uid + 2 in api.offsets)
    assert attempts == [uid, uid, uid + 1]
    assert api.offsets[:3] == [None, None, uid + 2]  # the failed update was never confirmed
    assert poller.slept == [1.0]
    assert len(api.of("sendMessage")) == 2

"""The webhook's shortcuts (adapters/telegram.py, adapters/telegram_light.py) behave as the aiogram path they stand
in for: the light reading of an update gives what `Update.model_validate` gives, or nothing; answerCallbackQuery
posted directly succeeds and fails as `Bot.__call__` does."""
from __future__ import annotations

import json
import socket
from typing import Any, AsyncIterator

import orjson
import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Update

from adapters import telegram_light
from adapters.telegram import TelegramOutput, make_bot
from tests.fixtures.telegram.bot_api import TOKEN, FakeBotAPI
from tests.test_telegram import fixture, sends, tg  # noqa: F401 — tg: the app fixture

LIGHT = ["private_text", "private_command", "callback_query"]


def read_like_the_channel(update: Any) -> dict:
    """Every field of an update that `TelegramChannel` reads on the conversation path."""
    def user(u: Any) -> tuple:
        return (u.id, u.is_bot, u.first_name, u.language_code)

    def message(m: Any) -> tuple:
        return (m.message_id, m.chat.id, m.chat.type, user(m.from_user), m.text, m.migrate_to_chat_id)

    out: dict = {"update_id": update.update_id, "my_chat_member": update.my_chat_member}
    if update.message is not None:
        out["message"] = message(update.message)
    if update.callback_query is not None:
        cq = update.callback_query
        out["callback_query"] = (cq.id, user(cq.from_user), message(cq.message), cq.data)
    return out


def variants() -> list[dict]:
    """The light fixtures, and each with the optional fields Telegram may add to them."""
    out = [fixture(n) for n in LIGHT]
    text = fixture("private_text")
    text["message"]["from"].update(is_premium=True, added_to_attachment_menu=False)
    text["message"]["entities"] = [{"type": "phone_number", "offset": 0, "length": 2}]
    out.append(text)
    press = fixture("callback_query")
    press["callback_query"]["message"]["edit_date"] = 1718000004
    press["callback_query"]["message"]["reply_markup"]["inline_keyboard"].append([{"text": "x", "url": "https://t.me/x"}])
    del press["callback_query"]["from"]["language_code"]
    out.append(press)
    return out


@pytest.mark.parametrize("update", variants(), ids=lambda u: json.dumps(u, ensure_ascii=False)[:60])
def test_light_reading_equals_aiogram_s(update):
    light = telegram_light.parse(orjson.loads(json.dumps(update)))
    assert light is not None
    assert read_like_the_channel(light) == read_like_the_channel(Update.model_validate(update))


def _set(path: str, value: Any):  # noqa: ANN202
    def change(u: dict) -> None:
        *parents, last = path.split(".")
        node = u
        for p in parents:
            node = node[p]
        if value is KeyError:
            del node[last]
        else:
            node[last] = value
    return change


REFUSED = [  # (fixture, change): none of these is read lightly; aiogram's Update decides
    ("private_text", _set("message.chat.type", "group")),
    ("private_text", _set("message.quote", {"text": "x", "position": 0})),  # a key the parser does not know
    ("private_text", _set("message.from.id", "500000001")),  # pydantic would coerce; the light reading does not
    ("private_text", _set("message.chat.id", 5.0)),
    ("private_text", _set("message.from.is_bot", 0)),
    ("private_text", _set("message.text", KeyError)),
    ("private_text", _set("message.from", KeyError)),
    ("private_text", _set("message.entities", [{"type": "url", "offset": 0, "length": 1, "url": "https://x"}])),
    ("private_text", _set("update_id", True)),
    ("private_text", _set("edited_message", {})),
    ("private_photo", lambda u: None),
    ("callback_query", _set("callback_query.message.date", 0)),  # an InaccessibleMessage
    ("callback_query", _set("callback_query.message.chat.type", "supergroup")),
    ("callback_query", _set("callback_query.data", KeyError)),
    ("callback_query", _set("callback_query.inline_message_id", "x")),
    ("callback_query", _set("callback_query.message.reply_markup", {"inline_keyboard": [[{"text": "x", "pay": True}]]})),
    ("my_chat_member_kicked", lambda u: None),
    ("group_text", lambda u: None),
]


@pytest.mark.parametrize("name,change", REFUSED)
def test_anything_else_is_left_to_aiogram(name, change):
    update = fixture(name)
    change(update)
    assert telegram_light.parse(update) is None


async def test_an_update_with_a_field_the_light_reading_does_not_know_is_still_answered(tg):  # noqa: F811
    update = tg.message("我想退医保")
    update["message"]["quote"] = {"text": "x", "position": 0}
    assert telegram_light.parse(update) is None
    (reply,) = sends(await tg.post(update))
    assert tg.status == 200 and tg.t("refund-ask-ins-type") in reply.params["text"]


# -- answerCallbackQuery without aiogram's session --------------------------------------------------------------
@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as server:
        yield server


def output(base: str) -> TelegramOutput:
    return TelegramOutput(make_bot(TOKEN, base), redis=None, translator=None, attempts=1)  # type: ignore[arg-type]


async def both(api: FakeBotAPI, prepare: Any) -> list[Any]:
    """The same call made through aiogram (`call`) and directly (`answer_callback`): result or exception."""
    outcomes = []
    for direct in (False, True):
        out = output(api.base)
        prepare()
        try:
            if direct:
                outcomes.append(await out.answer_callback(f"cq-{len(api.calls)}", "hi"))
            else:
                outcomes.append(await out.call(AnswerCallbackQuery(callback_query_id=f"cq-{len(api.calls)}", text="hi")))
        except Exception as e:  # compared below
            outcomes.append(e)
        finally:
            await out.close()
    return outcomes


@pytest.mark.parametrize("status,kind", [(None, None), (429, TelegramRetryAfter), (500, TelegramServerError)])
async def test_answer_callback_succeeds_and_fails_as_aiogram_does(api, status, kind):
    aiogram_s, direct = await both(api, lambda: api.fail("answerCallbackQuery", status, retry_after=7)
                                   if status else None)
    if kind is None:
        assert aiogram_s is True and direct is True
    else:
        assert type(aiogram_s) is kind and type(direct) is kind
        assert str(direct) == str(aiogram_s)
        assert getattr(direct, "retry_after", None) == getattr(aiogram_s, "retry_after", None)
    calls = api.of("answerCallbackQuery")
    assert [c.params for c in calls] == [{"callback_query_id": "cq-0", "text": "hi"},
                                         {"callback_query_id": "cq-1", "text": "hi"}]


async def test_answer_callback_refused_as_too_old_is_a_bad_request(api):
    out = output(api.base)
    try:
        assert await out.answer_callback("cq-once") is True
        with pytest.raises(TelegramBadRequest, match="query is too old"):
            await out.answer_callback("cq-once")
    finally:
        await out.close()
    api.errors.clear()  # the second answer was refused on purpose
    assert [c.params for c in api.of("answerCallbackQuery")] == [{"callback_query_id": "cq-once"}] * 2


async def test_answer_callback_to_an_unreachable_api_is_a_network_error_retried(api):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"  # nothing listens once the socket is closed
    out = TelegramOutput(make_bot(TOKEN, closed), redis=None, translator=None, attempts=2, budget=5)  # type: ignore[arg-type]
    tries = []
    real = out._post

    async def counting(*a: Any) -> Any:
        tries.append(a)
        return await real(*a)

    out._post = counting  # type: ignore[method-assign]
    try:
        with pytest.raises(TelegramNetworkError, match="ClientConnectorError"):
            await out.answer_callback("cq-x")
    finally:
        await out.close()
    assert len(tries) == 2  # never reached Telegram: safe to try again


@pytest.mark.parametrize("delay,expected", [(0.0, ["sendMessage", "sendMessage"]), (0.6, ["sendMessage"])])
async def test_a_429_is_waited_out_only_within_the_budget_counted_from_the_first_try(api, delay, expected):
    """`TelegramOutput` makes its first try before tenacity's loop begins; the time that try took still counts."""
    api.delay = delay
    api.fail("sendMessage", 429, retry_after=1)
    out = TelegramOutput(make_bot(TOKEN, api.base), redis=None, translator=None, budget=1.5)  # type: ignore[arg-type]
    try:
        if delay:  # 0.6 s spent + 1 s to wait > 1.5 s: given up at once, as a loop begun before the try would
            with pytest.raises(TelegramRetryAfter):
                await out.call(SendMessage(chat_id=42, text="hi"))
        else:
            assert (await out.call(SendMessage(chat_id=42, text="hi"))).chat.id == 42
    finally:
        await out.close()
    assert [c.method for c in api.calls] == expected

"""Telegram webhook channel: the real app (`create_app`) against a local server playing the Bot API,
fed real Update JSON (tests/fixtures/telegram/*.json)."""
from __future__ import annotations

import asyncio
import copy
import json
import logging
import random
import re
from pathlib import Path
from typing import AsyncIterator

import aiohttp
import pytest
from aiogram.types import Update
from aiohttp.test_utils import TestClient, TestServer

from adapters.app import SERVICES, create_app
from adapters.telegram import MAX_TEXT, TELEGRAM, TelegramChannel, parse_command, split_text, utf16_len
from bot import keys
from bot.channels import DeliveryFailed
from bot.sessions import SessionKey
from bot.status import CHANNELS
from flows.base import flow_value
from tests.conftest import make_settings
from tests.fixtures.telegram.bot_api import BOT_USERNAME, TOKEN, Call, FakeBotAPI, update_ids

FIXTURES = Path(__file__).parent / "fixtures" / "telegram"
SECRET = "s3cret-Token_for_tests"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    server = await FakeBotAPI().start()
    yield server
    await server.stop()


class Tg:
    """One Telegram user talking to the app through real webhook requests."""

    def __init__(self, client: TestClient, api: FakeBotAPI, lang: str = "zh-hans") -> None:
        self.client = client
        self.api = api
        self.app = client.app
        self.channel: TelegramChannel = client.app[TELEGRAM]
        self.services = client.app[SERVICES]
        self.user_id = random.randint(10**9, 2 * 10**9)
        self.lang = lang

    def t(self, key: str, locale: str = "zh-CN", **params: object) -> str:
        return self.services.translator.text(key, locale, **params)

    def next_id(self) -> int:
        return update_ids()

    def message(self, text: str | None, *, name: str = "private_text", update_id: int | None = None) -> dict:
        u = fixture(name)
        u["update_id"] = update_id or self.next_id()
        m = u["message"]
        m["from"]["id"] = self.user_id
        m["from"]["language_code"] = self.lang
        if m["chat"]["type"] == "private":
            m["chat"]["id"] = self.user_id
        if text is not None:
            m["text"] = text
            m.pop("entities", None)
            if text.startswith("/"):
                m["entities"] = [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}]
        return u

    def callback(self, data: str, sent: dict) -> dict:
        u = fixture("callback_query")
        u["update_id"] = self.next_id()
        cq = u["callback_query"]
        cq["id"] = f"cq-{u['update_id']}"
        cq["from"]["id"] = self.user_id
        cq["from"]["language_code"] = self.lang
        cq["message"] = copy.deepcopy(sent)
        cq["data"] = data
        return u

    async def post(self, update: dict, secret: str | None = SECRET) -> list[Call]:
        before = len(self.api.calls)
        headers = {HEADER: secret} if secret is not None else {}
        resp = await self.client.post("/telegram", json=update, headers=headers)
        self.status = resp.status
        await self.relay(resp)
        return self.api.calls[before:]

    async def relay(self, resp) -> None:  # type: ignore[no-untyped-def]
        """What Telegram does with a webhook response naming a method: it makes that Bot API call.
        https://core.telegram.org/bots/api#making-requests-when-getting-updates"""
        self.webhook_reply: dict | None = None
        if resp.status != 200 or resp.content_type != "application/json":
            return
        body = await resp.json()
        if not isinstance(body, dict) or "method" not in body:
            return
        method = body.pop("method")
        # sent on as a form, the way aiogram sends calls (nested objects JSON-serialised)
        fields = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else str(v)
                  for k, v in body.items()}
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{self.api.base}/bot{self.api.token}/{method}", data=fields) as r:
                self.webhook_reply = {"method": method, **fields, "result": await r.json()}

    async def feed(self, update: dict) -> list[Call]:
        """Handle ``update`` as long polling does: no webhook response to ride in, every call over HTTP."""
        before = len(self.api.calls)
        await self.channel.process(Update.model_validate(update, context={"bot": self.channel.bot}))
        return self.api.calls[before:]

    async def say(self, text: str, **kw: object) -> list[Call]:
        return await self.post(self.message(text, **kw))  # type: ignore[arg-type]

    def last_keyboard_message(self) -> dict:
        for (chat, _), message in reversed(self.api.messages.items()):
            if chat == self.user_id and "reply_markup" in message:
                return message
        raise AssertionError("no keyboard was sent to this user")

    async def press(self, value: str, message: dict | None = None) -> list[Call]:
        """Press the button whose option value is ``value`` on ``message`` (default: the latest keyboard)."""
        message = message or self.last_keyboard_message()
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        matches = [b for b in buttons if b["callback_data"].partition("|")[2] == value]
        assert matches, f"no button {value!r} in {[b['callback_data'] for b in buttons]}"
        return await self.post(self.callback(matches[0]["callback_data"], message))

    async def session(self, user_id: int | None = None):
        return await self.services.store.get(SessionKey("telegram", str(user_id or self.user_id)))


def sends(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "sendMessage"]


def values(call: Call) -> list[str]:
    return [b["callback_data"].partition("|")[2] for b in call.buttons()]


def telegram_settings(redis_url: str, api: FakeBotAPI, **overrides: object):
    base = dict(redis_url=redis_url, telegram_bot_token=TOKEN, telegram_webhook_secret=SECRET,
                telegram_api_base=api.base, public_url="https://bot.example.org/")
    return make_settings(**{**base, **overrides})


@pytest.fixture
async def tg(api: FakeBotAPI, redis_url: str) -> AsyncIterator[Tg]:
    app = create_app(telegram_settings(redis_url, api))
    async with TestClient(TestServer(app)) as client:
        yield Tg(client, api)
    assert api.errors == [], "the bot made Bot API calls the real server would reject"


# -- mounting and start-up ------------------------------------------------------------------------------
async def test_startup_registers_webhook_with_secret_and_commands(tg, api):
    (hook,) = api.of("setWebhook")
    assert hook.params["url"] == "https://bot.example.org/telegram"
    assert hook.params["secret_token"] == SECRET
    assert set(hook.params["allowed_updates"]) == {"message", "callback_query", "my_chat_member"}
    by_lang = {c.params.get("language_code"): [x["command"] for x in c.params["commands"]] for c in api.of("setMyCommands")}
    menu = ["start", "menu", "help", "cancel", "lang", "subscribe", "unsubscribe"]
    assert by_lang == {"zh": menu, "en": menu, None: menu}
    assert tg.app[CHANNELS] == ["telegram", "web"]  # the web chat needs no credentials


@pytest.mark.parametrize("overrides", [
    {"telegram_webhook_secret": None},
    {"telegram_webhook_secret": "has spaces and ü"},
    {"telegram_bot_token": None},
])
async def test_route_does_not_exist_without_token_and_valid_secret(api, redis_url, overrides, caplog):
    app = create_app(telegram_settings(redis_url, api, **overrides))
    async with TestClient(TestServer(app)) as client:
        resp = await client.post("/telegram", json=fixture("private_text"), headers={HEADER: SECRET})
        assert resp.status == 404
        assert "telegram" not in app[CHANNELS]
    assert api.calls == []
    if overrides.get("telegram_bot_token", TOKEN):
        assert "refusing to mount /telegram" in caplog.text


async def test_wrong_or_missing_secret_is_refused(tg, api):
    update = tg.message("/start")
    api.clear()
    assert await tg.post(update, secret="wrong-secret") == [] and tg.status == 401
    assert await tg.post(update, secret=None) == [] and tg.status == 401
    assert await tg.session() is None
    # the same update with the right secret was not marked as seen by the refused attempts
    assert len(sends(await tg.post(update))) == 1 and tg.status == 200


async def test_body_that_is_not_an_update_is_rejected(tg, api):
    resp = await tg.client.post("/telegram", data=b"{not json",
                                headers={HEADER: SECRET, "Content-Type": "application/json"})
    assert resp.status == 400
    resp = await tg.client.post("/telegram", json={"message": {"text": "no update_id"}}, headers={HEADER: SECRET})
    assert resp.status == 400


# -- conversations by buttons ---------------------------------------------------------------------------
async def test_whole_refund_conversation_by_buttons(tg, api):
    calls = await tg.post(tg.message(None, name="private_command"))  # "/start" as the client sends it
    (menu,) = sends(calls)
    assert menu.params["chat_id"] == str(tg.user_id)
    assert tg.t("common-welcome") in menu.params["text"]
    assert "flow:refund" in values(menu) and "cmd:handoff" in values(menu)

    path = [("flow:refund", "ask_ins_type"), ("居民", "ask_reason"), ("重复缴费", "ask_dup_scope"),
            ("同地区", "ask_used"), ("没用过", "ask_channel"), ("线上", "ask_platform"), ("医保公众号", "done_online")]
    for value, state in path:
        pressed = tg.last_keyboard_message()
        calls = await tg.press(value)
        # The query is answered first; the next question rides in the webhook response, and its keyboard
        # replaces the pressed one, so no editMessageReplyMarkup (a late press on it is stale: next test).
        assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"], value
        assert "text" not in calls[0].params  # a silent answer: the step moved on normally
        assert tg.webhook_reply is not None and tg.webhook_reply["method"] == "sendMessage"
        assert tg.webhook_reply["result"]["ok"] is True
        assert "reply_markup" in api.messages[(tg.user_id, pressed["message_id"])]
        session = await tg.session()
        assert (session.flow, session.state) == ("refund", state)
    assert session.slots == {"ins_type": "居民", "reason": "重复缴费", "dup_scope": "同地区", "used": "没用过",
                             "channel": "线上", "platform": "医保公众号"}
    guidance = "\n".join(c.params["text"] for c in sends(calls))
    assert "公众号" in guidance and "more:materials" in values(sends(calls)[-1])
    assert "cmd:menu" in values(sends(calls)[-1])
    calls = await tg.press("more:materials")  # the materials are one tap away, and the tap stays at the guidance
    assert "缴费凭证" in "\n".join(c.params["text"] for c in sends(calls))
    assert (await tg.session()).state == "done_online" and "more:materials" not in values(sends(calls)[-1])


async def test_stale_button_gets_step_passed_not_a_transition(tg, api):
    await tg.say("/start")
    menu = tg.last_keyboard_message()
    await tg.press("flow:refund")
    ins_type_question = tg.last_keyboard_message()
    await tg.press("居民")
    assert (await tg.session()).state == "ask_reason"

    for old_message, value in ((ins_type_question, "职工"), (menu, "flow:refund")):
        calls = await tg.press(value, old_message)
        assert calls[0].method == "answerCallbackQuery" and "text" not in calls[0].params  # answered first
        (reply,) = sends(calls)
        assert tg.t("common-stale-button") in reply.params["text"]
        assert tg.t("refund-ask-reason") in reply.params["text"]  # the current question, asked again
        assert "重复缴费" in values(reply)
        session = await tg.session()
        assert (session.state, session.slots) == ("ask_reason", {"ins_type": "居民"})


async def test_button_whose_long_value_mapping_is_unknown_is_stale(tg, api):
    await tg.say("/start")
    step = (await tg.session()).step
    calls = await tg.post(tg.callback(f"{step}|#0123456789abcdef", tg.last_keyboard_message()))
    assert calls[0].method == "answerCallbackQuery" and calls[0].params["text"] == tg.t("telegram-step-passed")
    assert sends(calls) == []
    assert (await tg.session()).step == step  # the dialogue never ran


async def test_long_option_values_travel_by_digest_within_64_bytes(tg):
    value = flow_value("reactivation", {"react_task": "卡激活", "note": "补换领社会保障卡"})
    assert len(f"12|{value}".encode()) > 64
    data = await tg.channel.pack(12, value)
    assert len(data.encode()) <= 64 and data.startswith("12|#")
    assert await tg.channel.unpack(data) == (12, value)
    assert await tg.channel.unpack("12|cmd:menu") == (12, "cmd:menu")
    assert await tg.channel.unpack("-|cmd:lang_en") == (None, "cmd:lang_en")
    assert await tg.channel.unpack("garbage") == (None, None)


async def test_commands_and_language_buttons(tg, api):
    (help_,) = sends(await tg.say("/help"))
    assert tg.t("common-help") in help_.params["text"]

    (prompt,) = sends(await tg.say("/lang"))
    assert [b["callback_data"] for b in prompt.buttons()] == ["-|cmd:lang_zh", "-|cmd:lang_en"]
    calls = await tg.press("cmd:lang_en")
    assert "text" not in calls[0].params
    assert tg.t("common-language-set", "en") in sends(calls)[0].params["text"]
    assert (await tg.session()).locale == "en"

    (zh,) = sends(await tg.say("/lang zh"))
    assert tg.t("common-language-set", "zh-CN") in zh.params["text"]
    (bye,) = sends(await tg.say("/cancel"))
    assert tg.t("common-goodbye", "zh-CN", hotline="12333") in bye.params["text"]
    assert (await tg.session()).state == "closed"
    (menu,) = sends(await tg.say("/menu"))
    assert "flow:refund" in values(menu)


async def test_first_contact_language_comes_from_language_code(tg, api):
    tg.lang = "en-US"
    (menu,) = sends(await tg.say("/start"))
    assert tg.t("common-welcome", "en") in menu.params["text"]
    assert (await tg.session()).locale == "en"


async def test_typed_text_runs_the_flow_too(tg, api):
    await tg.say("/start")
    (reply,) = sends(await tg.say("1"))  # typed option number: the menu's first entry is the refund
    assert tg.t("refund-ask-ins-type") in reply.params["text"]
    assert (await tg.session()).state == "ask_ins_type"


async def test_non_text_message_gets_a_text_only_hint(tg, api):
    tg.lang = "en"
    calls = await tg.post(tg.message(None, name="private_photo"))
    (hint,) = sends(calls)
    assert hint.params["text"] == tg.t("telegram-text-only", "en")
    assert await tg.session() is None


# -- delivery guarantees -----------------------------------------------------------------------------------
async def test_redelivered_update_moves_the_flow_once_and_gets_its_reply_again(tg, api):
    # Telegram re-delivers an update only when it did not see it answered, and then the reply that rode in
    # that webhook response was never sent: the stored turn goes out again, the flow does not move again.
    update = tg.message("我想退医保")
    (first,) = sends(await tg.post(update))
    (again,) = sends(await tg.post(update))
    assert tg.status == 200 and again.params == first.params
    assert (await tg.session()).step == 1


async def test_update_ids_are_a_set_not_a_high_water_mark(tg, api):
    late = tg.next_id()
    early_but_delayed = late - 5  # webhook requests may arrive out of order
    assert len(sends(await tg.post(tg.message("/start", update_id=late)))) == 1
    assert len(sends(await tg.post(tg.message("1", update_id=early_but_delayed)))) == 1
    assert (await tg.session()).state == "ask_ins_type"


async def test_duplicate_callback_is_answered_once_and_moves_once(tg, api):
    await tg.say("/start")
    update = tg.callback(f"{(await tg.session()).step}|flow:refund", tg.last_keyboard_message())
    first = await tg.post(update)
    assert [c.method for c in first][0] == "answerCallbackQuery"  # before the engine runs
    again = await tg.post(update)
    # answered first again (the bot cannot know yet it is a re-delivery): Telegram refuses a second answer,
    # which is logged and changes nothing; the stored reply goes out again, the flow does not move
    assert [c.method for c in again] == ["answerCallbackQuery", "sendMessage"]
    assert again[1].params == sends(first)[0].params
    assert api.errors == ["answerCallbackQuery: query is too old and response timeout expired or query ID is invalid"]
    api.errors.clear()
    assert (await tg.session()).state == "ask_ins_type"


async def test_handler_failure_is_logged_masked_and_apologised(tg, api, monkeypatch, caplog):
    async def broken(msg):
        raise RuntimeError(f"flow exploded on {msg.text}")

    monkeypatch.setattr(tg.services.engine, "handle", broken)
    with caplog.at_level(logging.ERROR, logger="adapters.telegram"):
        calls = await tg.say("我的电话13912345678,怎么退")
    (apology,) = sends(calls)
    assert apology.params["text"] == tg.t("common-error")
    assert "13912345678" not in caplog.text
    assert "139****5678" in caplog.text and "RuntimeError" in caplog.text


async def test_callback_failure_still_answers_the_query(tg, api, monkeypatch):
    await tg.say("/start")
    message = tg.last_keyboard_message()

    async def broken(msg):
        raise RuntimeError("boom")

    monkeypatch.setattr(tg.services.engine, "handle", broken)
    calls = await tg.press("flow:refund", message)
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert calls[1].params["text"] == tg.t("common-error")


async def test_rate_limit_retry_after_is_honoured_within_the_bound(tg, api):
    # Over HTTP (polling, or any send but a webhook request's last): the outcome of a call is seen. A reply
    # riding in the webhook response is Telegram's to execute and its outcome is never reported.
    api.fail("sendMessage", 429, retry_after=1)
    calls = await tg.feed(tg.message("/start"))
    assert [c.method for c in calls] == ["sendMessage", "sendMessage"]
    (refused,) = api.refusals
    assert api.sent[-1].at >= refused[0] + 1.0  # waited as told
    assert tg.t("common-welcome") in calls[1].params["text"]


async def test_rate_limit_longer_than_the_bound_is_not_waited_for(api, redis_url):
    # TELEGRAM_RETRY_BUDGET bounds the wait: a 429 asking for longer gives up at once (no 120 s sleep) and the
    # turn is remembered as undelivered (see the tests below).
    app = create_app(telegram_settings(redis_url, api, telegram_retry_budget=2))
    async with TestClient(TestServer(app)) as client:
        tg = Tg(client, api)
        api.fail("sendMessage", 429, retry_after=120)
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(DeliveryFailed) as failed:
            await tg.feed(tg.message("/start"))
        assert loop.time() - started < 2
        assert (failed.value.kind, failed.value.reason, failed.value.retry_after) == ("failed", "rate_limited", 120)
        assert len(api.of("sendMessage")) == 1


async def test_bot_blocked_is_recorded_not_retried(tg, api):
    api.fail("sendMessage", 403)
    calls = await tg.feed(tg.message("/start"))  # over HTTP, as in the test above
    assert [c.method for c in calls] == ["sendMessage"]  # no retry, no apology into the void
    assert await tg.services.redis.exists(keys.telegram_blocked(tg.user_id))
    api.forbidden.add(str(tg.user_id))
    with pytest.raises(DeliveryFailed) as failed:  # what announcements and handoff relays are told
        await tg.channel.output.send(str(tg.user_id), "announcement")
    api.forbidden.clear()
    assert failed.value.kind == "forbidden"

    unblocked = fixture("my_chat_member_kicked")
    unblocked["update_id"] = tg.next_id()
    unblocked["my_chat_member"]["chat"]["id"] = tg.user_id
    unblocked["my_chat_member"]["new_chat_member"]["status"] = "member"
    await tg.post(unblocked)
    assert not await tg.services.redis.exists(keys.telegram_blocked(tg.user_id))

    kicked = fixture("my_chat_member_kicked")
    kicked["update_id"] = tg.next_id()
    kicked["my_chat_member"]["chat"]["id"] = tg.user_id
    await tg.post(kicked)
    assert await tg.services.redis.exists(keys.telegram_blocked(tg.user_id))


async def test_long_text_is_split_under_the_limit_with_keyboard_on_last_piece(tg, api):
    paragraph = "参保人去世后,家属可以申请退还当年未享受待遇期间的个人缴费部分。🏥 " * 80
    text = "\n\n".join([paragraph] * 6)
    assert utf16_len(text) > 3 * MAX_TEXT
    markup = await tg.channel.keyboard(4, [("cmd:menu", "主菜单")])
    await tg.channel.send_text(tg.user_id, text, markup)
    pieces = api.of("sendMessage")
    assert len(pieces) >= 4
    assert all(utf16_len(c.params["text"]) <= MAX_TEXT for c in pieces)
    assert [c.markup is not None for c in pieces] == [False] * (len(pieces) - 1) + [True]
    assert re.sub(r"\s", "", "".join(c.params["text"] for c in pieces)) == re.sub(r"\s", "", text)


def test_split_text_counts_utf16_and_prefers_paragraphs():
    assert split_text("短消息") == ["短消息"]
    emoji = "😀" * 3000  # 6000 UTF-16 units
    pieces = split_text(emoji)
    assert [utf16_len(p) for p in pieces] == [4096, 6000 - 4096] and "".join(pieces) == emoji
    text = "甲" * 3000 + "\n\n" + "乙" * 3000
    assert split_text(text) == ["甲" * 3000, "乙" * 3000]


def test_parse_command():
    assert parse_command("/lang en") == parse_command("/LANG  en")
    cmd = parse_command(f"/menu@{BOT_USERNAME}")
    assert (cmd.name, cmd.target, cmd.args) == ("menu", BOT_USERNAME, "")
    assert parse_command("我想退医保") is None and parse_command("/") is None


# -- groups -------------------------------------------------------------------------------------------------
async def test_group_message_without_mention_is_ignored(tg, api):
    calls = await tg.post(tg.message(None, name="group_text"))
    assert sends(calls) == [] and tg.status == 200
    calls = await tg.post(tg.message("/menu@some_other_bot", name="group_text"))
    assert sends(calls) == []
    assert await tg.session() is None


@pytest.mark.parametrize("text", [None, "/menu", f"/help@{BOT_USERNAME}"])
async def test_group_mention_or_command_invites_to_private_chat(tg, api, text):
    update = tg.message(text, name="group_mention")
    calls = await tg.post(update)
    (hint,) = sends(calls)
    assert hint.params["chat_id"] == str(update["message"]["chat"]["id"])
    assert hint.params["text"] == tg.t("telegram-group-private")
    assert hint.params["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert [b["url"] for b in hint.buttons()] == [f"https://t.me/{BOT_USERNAME}?start=group"]
    assert await tg.session() is None  # private flows stay private: no conversation started in the group


async def test_app_without_public_url_mounts_but_does_not_set_webhook(api, redis_url):
    app = create_app(telegram_settings(redis_url, api, public_url=None))
    async with TestClient(TestServer(app)):
        assert api.of("setWebhook") == []
        assert app[CHANNELS] == ["telegram", "web"]


# -- announcements wiring: opt-in, administered chats, migration ------------------------------------------
async def test_subscribe_and_unsubscribe_in_private(tg, api):
    from bot.announcements import is_subscribed

    prefix = tg.services.settings.announce_key_prefix
    calls = sends(await tg.say("/subscribe"))
    assert calls[0].params["text"] == tg.t("announce-subscribed")
    assert await is_subscribed(tg.services.redis, tg.user_id, prefix=prefix)
    assert sends(await tg.say("/subscribe"))[0].params["text"] == tg.t("announce-already-subscribed")
    assert sends(await tg.say("/unsubscribe"))[0].params["text"] == tg.t("announce-unsubscribed")
    assert not await is_subscribed(tg.services.redis, tg.user_id, prefix=prefix)
    assert (await tg.session()) is None  # opting in or out is no conversation step


def _member_update(tg: "Tg", chat: dict, status: str) -> dict:
    u = fixture("my_chat_member_kicked")
    u["update_id"] = tg.next_id()
    u["my_chat_member"]["chat"] = chat
    u["my_chat_member"]["from"]["id"] = tg.user_id
    u["my_chat_member"]["new_chat_member"]["status"] = status
    if status == "administrator":
        from aiogram.types import ChatMemberAdministrator

        member = u["my_chat_member"]["new_chat_member"]
        member.pop("until_date", None)
        for name, info in ChatMemberAdministrator.model_fields.items():
            if info.is_required() and name not in member and info.annotation is bool:
                member[name] = False
    return u


async def test_group_where_bot_is_made_admin_becomes_a_target_and_follows_migration(tg, api):
    chats_key = f"{tg.services.settings.announce_key_prefix}:chats"
    group = {"id": -4000000000 - random.randint(1, 10**6), "type": "group", "title": "社区医保群"}
    await tg.post(_member_update(tg, group, "administrator"))
    assert await tg.services.redis.hexists(chats_key, str(group["id"]))

    migrated = tg.message(None, name="group_text")
    migrated["message"]["chat"] = group
    migrated["message"].pop("text", None)
    migrated["message"].pop("entities", None)
    new_id = -1009000000000 - random.randint(1, 10**6)
    migrated["message"]["migrate_to_chat_id"] = new_id
    assert sends(await tg.post(migrated)) == []
    assert not await tg.services.redis.hexists(chats_key, str(group["id"]))
    assert await tg.services.redis.hexists(chats_key, str(new_id))

    supergroup = {"id": new_id, "type": "supergroup", "title": "社区医保群"}
    await tg.post(_member_update(tg, supergroup, "left"))
    assert not await tg.services.redis.hexists(chats_key, str(new_id))


async def test_webhook_reply_carries_the_last_message_and_the_others_go_first(tg, api, monkeypatch):
    """A turn of two messages: the first goes over HTTP while the request is handled, the second rides in
    the webhook response, so the user sees them in order."""
    from bot.messages import Reply, Text, Turn

    async def two_messages(msg, **kw):
        return Turn((Reply((Text("common-welcome"),)), Reply((Text("common-help"),))), "zh-CN", 1)

    monkeypatch.setattr(tg.services.engine, "handle", two_messages)
    calls = await tg.say("你好")
    assert [c.method for c in calls] == ["sendMessage", "sendMessage"]
    assert tg.t("common-welcome") in calls[0].params["text"]
    assert tg.webhook_reply is not None and tg.t("common-help") in tg.webhook_reply["text"]
    assert calls[1].params["text"] == tg.webhook_reply["text"]


async def test_update_that_sends_nothing_answers_ok(tg, api):
    group = tg.message("大家好", name="group_text")
    calls = await tg.post(group)
    assert sends(calls) == [] and tg.status == 200 and tg.webhook_reply is None


async def test_two_redis_round_trips_per_typed_answer_and_button_press(tg, api, round_trips):
    await tg.say("我想退医保")  # scripts loaded
    sent = round_trips()
    await tg.say("1")
    assert len(sent) == 2  # the engine's begin and commit: the update id is its message id
    sent.clear()
    await tg.press("重复缴费")
    assert len(sent) == 2
    assert (await tg.session()).state == "ask_dup_scope"

"""Telegram channel on aiogram 3: webhook route ``/telegram``, long polling, inline keyboards, groups.

Updates are translated to `Incoming` here and `Turn`s rendered back as Bot API calls; nothing under
`flows/` sees an aiogram type. Bot API reference: https://core.telegram.org/bots/api

Redis keys (layout and expiry: bot/keys.py): ``bot:telegram:update:<update_id>`` — the set of seen update ids,
one key per id with a TTL ("pending" while in flight, "done" after); ``bot:telegram:cb:<digest>`` — option
values too long for callback data; ``bot:{telegram:<chat>}:blocked`` — the chat answered 403. A turn that could
not be delivered is kept in the user's slot (``bot:{telegram:<user>}:undelivered``, `bot.channels.Undelivered`).

Every message leaves through `TelegramOutput` (the channel's `bot.channels.OutputChannel`): replies, operator
relays and announcements; delivery failures are handled there once (docs/telegram.md, "Failed sends").
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import re
import time
import traceback
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, Awaitable, Callable, Sequence, TypeVar
from urllib.parse import urlencode

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteWebhook,
    EditMessageReplyMarkup,
    GetMe,
    GetUpdates,
    SendMessage,
    SetMyCommands,
    SetWebhook,
    TelegramMethod,
)
from aiogram.methods.base import Response as BotAPIResponse
from aiogram.types import (
    BotCommand,
    CallbackQuery,
    ChatMemberUpdated,
    InaccessibleMessage,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from aiohttp import ClientConnectorError, ClientError, web
import orjson
from pydantic import ValidationError
from redis.exceptions import RedisError

from adapters import telegram_light
from adapters.telegram_light import LightCallbackQuery, LightMessage, LightUpdate, LightUser
from bot import keys
from bot.announcements import chat_member_changed, migrate_chat, subscription_command
from bot.channels import DeliveryFailed, Sent, Undelivered
from bot.config import Settings
from bot.engine import SessionBusy
from bot.i18n import SUPPORTED, Translator, normalize_locale
from bot.messages import Incoming, Reply, Text, Turn
from bot.privacy import mask
from bot.retry import RetryLater, retrying
from bot.runtime import Services
from bot.sessions import SessionKey
from bot.status import setting_up

log = logging.getLogger(__name__)

T = TypeVar("T")

CHANNEL = "telegram"
ROUTE = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
# https://core.telegram.org/bots/api#setwebhook — secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# https://core.telegram.org/bots/api#sendmessage — "1-4096 characters after entities parsing"; Telegram
# counts UTF-16 code units (as entity offsets do), so an emoji costs two.
MAX_TEXT = 4096
# https://core.telegram.org/bots/api#inlinekeyboardbutton — callback_data: 1-64 BYTES
MAX_CALLBACK_DATA = 64
CALLBACK_MAP_TTL = keys.TELEGRAM_CALLBACK_TTL
# How long Telegram may re-deliver an update it did not see answered. The Bot API documents no schedule:
# a webhook request that fails is repeated "and we will give up after a reasonable amount of attempts"
# (https://core.telegram.org/bots/api#setwebhook), and updates wait at most 24 hours
# (https://core.telegram.org/bots/api#getting-updates). Redelivery after our answer was lost comes within
# that schedule, so the turn is kept whole for an hour (its reply is sent again to a redelivery) and
# only as a marker for the rest of the 24 h (the flow never moves twice, the reply is not repeated).
REPLY_WINDOW = 3600
_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+(.*))?$", re.S)
# Slash commands → option values the dialogue already understands (flows/dialogue.py `_command`).
COMMANDS = {
    "start": "cmd:greet",
    "menu": "cmd:menu",
    "help": "cmd:help",
    "cancel": "cmd:exit",
    "lang_en": "cmd:lang_en",
    "lang_zh": "cmd:lang_zh",
}
# Announcement opt-in for private users (bot.announcements).
SUBSCRIPTION_COMMANDS = ("subscribe", "unsubscribe")
# Shown in the client's command menu (setMyCommands), one list per language: command → description id.
MENU_COMMANDS = {c: f"telegram-cmd-{c}" for c in ("start", "menu", "help", "cancel", "lang")} | {
    c: f"announce-cmd-{c}" for c in SUBSCRIPTION_COMMANDS}


# A webhook request may be answered with one Bot API call in its response body, which saves the bot an HTTP
# round trip to Telegram per update (https://core.telegram.org/bots/api#making-requests-when-getting-updates).
# While a webhook request is handled this holds its last sendMessage; any later call sends it first, so the
# order of messages is kept, and whatever is still held at the end becomes the response. The price, as the
# docs say: the bot learns nothing of that call's outcome (a 403 or 429 on it goes unseen).
# A held call is its sendMessage parameters as JSON values: no aiogram model is built for a reply that leaves
# in the response (an `InlineKeyboardMarkup` of buttons, the `SendMessage`, then their dump cost more than the
# rest of the adapter's work); one that must go over HTTP after all becomes a `SendMessage` then (`_flush`).
_WEBHOOK_REPLY: ContextVar[list[dict[str, Any]] | None] = ContextVar("telegram_webhook_reply", default=None)

# Inbound updates, as aiogram's types or (the common shapes of a conversation) `adapters.telegram_light`'s.
AnyUpdate = Update | LightUpdate
AnyMessage = Message | LightMessage
AnyUser = User | LightUser

# aiogram checks each Bot API answer as `Response[<the method's result type>]`. pydantic keeps parametrized
# generic models in a weak cache that nothing else holds them in, so such a class was built anew after almost
# every garbage collection — 1.5 ms for answerCallbackQuery's Response[bool], over 10 ms for sendMessage's
# Response[Message] (schema generation), the largest cost of a button press. Kept alive here, per method class.
_RESPONSE_TYPES: dict[type, Any] = {}
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}  # `TelegramOutput._post`'s body (aiohttp's FormData
# builds the same from a dict, at several times the cost)


def _keep_response_type(method: TelegramMethod[Any]) -> None:
    kind = type(method)
    if kind not in _RESPONSE_TYPES:
        _RESPONSE_TYPES[kind] = BotAPIResponse[method.__returning__]


class ChatBlocked(DeliveryFailed):
    """The chat answered 403 (user blocked the bot, or the bot left the group); recorded, not retried."""

    def __init__(self, chat_id: str, detail: str = "") -> None:
        super().__init__("forbidden", "blocked", detail or chat_id)


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    name: str
    target: str | None  # the @username in "/menu@yibao_bot", if any
    args: str


def parse_command(text: str | None) -> ParsedCommand | None:
    m = _COMMAND_RE.match((text or "").strip())
    if not m:
        return None
    return ParsedCommand(m.group(1).lower(), m.group(2), (m.group(3) or "").strip())


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` UTF-16 units, preferring paragraph, line and
    sentence ends, so long guidance arrives as several readable messages."""
    chunks: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        fit, units = 0, 0
        for ch in rest:
            units += 2 if ord(ch) > 0xFFFF else 1
            if units > limit:
                break
            fit += 1
        cut = fit
        window = rest[:fit]
        for sep in ("\n\n", "\n", "。", ". ", "；", "，", " "):
            i = window.rfind(sep)
            if i >= fit // 2:
                cut = i + len(sep)
                break
        piece = rest[:cut].rstrip()
        if piece:
            chunks.append(piece)
        rest = rest[cut:].lstrip("\n")
    if rest.strip():
        chunks.append(rest)
    return chunks


def make_bot(token: str, api_base: str) -> Bot:
    """An aiogram Bot talking to ``api_base`` (the official server, a local Bot API server, or a test double)."""
    return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base)))


class TelegramOutput:
    """Telegram's `bot.channels.OutputChannel`: the one object every message to a Telegram chat leaves by —
    replies (webhook and polling), handoff relays, the group invitation and announcements.

    It renders a `Reply` (an inline keyboard whose buttons carry the step; long values by digest), splits text
    under 4096 UTF-16 units, and makes each call through `bot.retry`: a 429 waits the ``retry_after`` Telegram
    asks for, 5xx and network failures back off — within ``attempts`` and ``budget`` seconds
    (TELEGRAM_SEND_ATTEMPTS / TELEGRAM_RETRY_BUDGET). ``retry_unknown=False`` (announcements) leaves 5xx and
    timeouts to the caller: sendMessage has no idempotency key, so a retried 5xx may show a message twice.
    A chat that became a supergroup (https://core.telegram.org/bots/api#responseparameters) is re-sent once to
    its new id, and ``on_migrate(old, new)`` lets the caller move what it stored under the old id.
    While a webhook request is being handled, the last sendMessage rides in its response (see `_WEBHOOK_REPLY`).
    """

    name = CHANNEL
    pushes = True

    def __init__(self, bot: Bot, redis: Any, translator: Translator, *, default_locale: str = "zh-CN",
                 attempts: int = 4, budget: float = 30.0, retry_unknown: bool = True,
                 on_migrate: Callable[[int, int], Awaitable[Any]] | None = None) -> None:
        self.bot = bot
        self.redis = redis
        self.tr = translator
        self.default_locale = default_locale
        self.attempts = attempts
        self.budget = budget
        self.retry_unknown = retry_unknown
        self.on_migrate = on_migrate

    async def send(self, user: str, reply: Reply | str, *, locale: str | None = None, step: int | None = None,
                   chat: str | None = None, markup: InlineKeyboardMarkup | None = None,
                   reply_to: int | None = None) -> Sent:
        """`bot.channels.OutputChannel.send`; ``markup``/``reply_to`` are Telegram's own extras for final text."""
        if isinstance(reply, str):
            text = reply
            buttons = markup.model_dump(exclude_none=True) if markup is not None else None
        else:
            loc = locale or self.default_locale
            rendered = self.tr.render(reply, loc)
            buttons = await self._markup(step, rendered.options) if rendered.options else None
            text = rendered.text if rendered.text.strip() else self.tr.text(Text("telegram-choose"), loc)
        chat_id = int(chat or user)
        migrated_from: str | None = None
        message_id = ""
        pieces = split_text(text)
        for i, piece in enumerate(pieces):
            params: dict[str, Any] = {"chat_id": chat_id, "text": piece}
            if buttons is not None and i == len(pieces) - 1:
                params["reply_markup"] = buttons
            if reply_to is not None and i == 0:
                params["reply_parameters"] = {"message_id": reply_to, "allow_sending_without_reply": True}
            held = _WEBHOOK_REPLY.get()
            try:
                if held is not None:
                    await self._flush(held)  # an earlier message goes first, over HTTP: it may fail too
                    held.append(params)
                    continue
                method = SendMessage(**params)
                try:
                    message = await self.call(method, chat_id=chat_id)
                except TelegramMigrateToChat as e:
                    if migrated_from is not None:
                        raise
                    migrated_from, chat_id = str(chat_id), int(e.migrate_to_chat_id)
                    log.info("telegram chat %s became supergroup %s; sending there", migrated_from, chat_id)
                    if self.on_migrate is not None:
                        await self.on_migrate(int(migrated_from), chat_id)
                    message = await self.call(method.model_copy(update={"chat_id": chat_id}), chat_id=chat_id)
            except DeliveryFailed as e:
                e.remaining = "\n".join(pieces[i:]) if i else None
                raise
            except TelegramAPIError as e:
                failure = _failure(e)
                failure.remaining = "\n".join(pieces[i:]) if i else None
                raise failure from e
            message_id = str(message.message_id)
        return Sent(str(chat_id), message_id, migrated_from)

    async def call(self, method: TelegramMethod[T], *, chat_id: int | str | None = None) -> T:
        """One Bot API call through `bot.retry`: 429 waits ``retry_after``
        (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this), 5xx and network
        failures back off, within the bound; then the last aiogram exception is raised. A 403 is recorded
        against ``chat_id`` and raised as `ChatBlocked`."""
        _keep_response_type(method)
        return await self._retrying(method.__api_method__, lambda: self.bot(method), chat_id)

    async def answer_callback(self, query_id: str, text: str | None = None) -> bool:
        """answerCallbackQuery (https://core.telegram.org/bots/api#answercallbackquery) through `call`'s retries
        and failures, but posted by `_post` instead of aiogram's session: the one Bot API call of every button
        press, where aiogram's method model, FormData, middleware chain and Response model cost more than the
        HTTP request itself."""
        fields = {"callback_query_id": query_id}
        if text:  # as aiogram sends it: empty values are left out
            fields["text"] = text
        return await self._retrying("answerCallbackQuery", lambda: self._post(AnswerCallbackQuery, fields), None)

    async def _post(self, kind: type[TelegramMethod[T]], fields: dict[str, str]) -> T:
        """One Bot API request on the aiogram session's own aiohttp `ClientSession` (its connection pool, timeout
        and API server), as aiogram's `AiohttpSession.make_request` makes it: the same exceptions for network
        failures, and any answer but a plain success is handed to aiogram's `check_response`, which raises what
        aiogram would. ``fields``: string parameters only (sent url-encoded). A session that is not aiogram's
        aiohttp one, or has request middlewares, gets the call the ordinary way."""
        session = self.bot.session
        if not isinstance(session, AiohttpSession) or len(session.middleware):
            return await self.bot(kind(**fields))
        http = await session.create_session()
        url = session.api.api_url(token=self.bot.token, method=kind.__api_method__)  # type: ignore[arg-type]
        try:
            async with http.post(url, data=urlencode(fields).encode(), headers=_FORM, timeout=session.timeout) as resp:
                raw = await resp.read()
        except asyncio.TimeoutError as e:
            raise TelegramNetworkError(method=kind(**fields), message="Request timeout error") from e
        except ClientError as e:
            raise TelegramNetworkError(method=kind(**fields), message=f"{type(e).__name__}: {e}") from e
        if 200 <= resp.status <= 226:
            with contextlib.suppress(ValueError):
                answer = orjson.loads(raw)
                if type(answer) is dict and answer.get("ok") is True:
                    return answer.get("result")  # type: ignore[return-value]
        method = kind(**fields)
        _keep_response_type(method)
        return session.check_response(self.bot, method, resp.status, raw.decode(errors="replace")).result  # type: ignore[return-value]

    async def _retrying(self, name: str, send: Callable[[], Awaitable[T]], chat_id: int | str | None) -> T:
        """`call`'s body: ``send()`` under `bot.retry`'s policy, the held webhook reply flushed first.

        The first try is made before tenacity's loop is set up, which costs more than the rest of a successful
        answerCallbackQuery (~40 µs) and is needed only once a try failed; the loop then replays that failure
        as its own first attempt, within the budget less the time the try took — the same attempts, waits and
        time bound as a loop begun before the first try."""
        held = _WEBHOOK_REPLY.get()
        if held:
            await self._flush(held)
        started = time.monotonic()
        try:
            try:
                return await self._try(name, send)
            except RetryLater as e:
                replay: list[RetryLater] = [e]

            async def again() -> T:
                if replay:
                    raise replay.pop()
                return await self._try(name, send)

            async for attempt in retrying(attempts=self.attempts, budget=self.budget - (time.monotonic() - started)):
                with attempt:
                    return await again()
        except RetryLater as e:
            log.error("telegram %s: giving up after retries (%s)", name, e)
            raise e.__cause__  # type: ignore[misc]  # noqa: B904 — `from` would replace its own __cause__
        except TelegramForbiddenError as e:
            if chat_id is None:
                raise
            await self.redis.set(keys.telegram_blocked(chat_id), "1", ex=keys.TELEGRAM_BLOCKED_TTL)
            log.info("telegram chat %s refuses messages (%s); recorded as blocked", chat_id, e.message)
            raise ChatBlocked(str(chat_id), f"403: {e.message}") from e
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def _try(self, name: str, send: Callable[[], Awaitable[T]]) -> T:
        """One try of a call; a failure worth another try becomes `RetryLater` (its cause the aiogram error)."""
        try:
            return await send()
        except TelegramRetryAfter as e:
            log.warning("telegram %s rate limited (retry_after=%s)", name, e.retry_after)
            raise RetryLater("429", after=e.retry_after) from e
        except TelegramServerError as e:
            if not self.retry_unknown:
                raise
            log.warning("telegram %s failed with a server error: %s", name, e.message)
            raise RetryLater("5xx") from e
        except TelegramNetworkError as e:
            if not (self.retry_unknown or isinstance(e.__cause__, ClientConnectorError)):
                raise
            raise RetryLater("network") from e

    async def _flush(self, held: list[dict[str, Any]]) -> None:
        """Send the held webhook reply over HTTP now (something must follow it)."""
        while held:
            params = held.pop(0)
            await self.call(SendMessage(**params), chat_id=params["chat_id"])

    async def keyboard(self, step: int | None, options: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
        """One button per row (labels are long Chinese phrases); each carries the step it was drawn at."""
        return InlineKeyboardMarkup.model_validate(await self._markup(step, options))

    async def _markup(self, step: int | None, options: Sequence[tuple[str, str]]) -> dict[str, Any]:
        """`keyboard` as the JSON value of ``reply_markup``, without its models (see `_WEBHOOK_REPLY`)."""
        return {"inline_keyboard": [[{"text": label, "callback_data": await self.pack(step, value)}]
                                    for value, label in options]}

    async def pack(self, step: int | None, value: str) -> str:
        """``"<step>|<value>"`` (``-`` for no step); a value that would exceed 64 bytes is stored in Redis
        under a digest and sent as ``"<step>|#<digest>"``."""
        head = "-" if step is None else str(step)
        data = f"{head}|{value}"
        if len(data.encode()) <= MAX_CALLBACK_DATA and not value.startswith("#"):
            return data
        digest = hashlib.blake2b(value.encode(), digest_size=8).hexdigest()
        await self.redis.set(keys.telegram_callback(digest), value, ex=CALLBACK_MAP_TTL)
        return f"{head}|#{digest}"

    async def close(self) -> None:
        await self.bot.session.close()


def _failure(e: TelegramAPIError) -> DeliveryFailed:
    """An aiogram exception as a `DeliveryFailed` kind (https://core.telegram.org/bots/api#making-requests)."""
    if isinstance(e, TelegramForbiddenError):
        return DeliveryFailed("forbidden", "blocked", f"403: {e.message}")
    if isinstance(e, TelegramRetryAfter):
        return DeliveryFailed("failed", "rate_limited", e.message, retry_after=float(e.retry_after))
    if isinstance(e, TelegramMigrateToChat):
        return DeliveryFailed("failed", "migrated", e.message)
    if isinstance(e, TelegramServerError):
        return DeliveryFailed("unknown", "server_error", e.message)
    if isinstance(e, TelegramNetworkError):
        if isinstance(e.__cause__, ClientConnectorError):  # never reached Telegram: safe to send again
            return DeliveryFailed("failed", "unreachable", str(e.__cause__))
        return DeliveryFailed("unknown", "network", e.message)
    if isinstance(e, (TelegramBadRequest, TelegramNotFound, TelegramUnauthorizedError)):
        return DeliveryFailed("failed", "error", f"{type(e).__name__}: {e.message}")
    return DeliveryFailed("failed", "error", f"{type(e).__name__}: {e.message}")


def make_output(settings: Settings, redis: Any, translator: Translator, *, bot: Bot | None = None,
                **overrides: Any) -> TelegramOutput:
    """The output for a process: the web app and the poller (from `TelegramChannel`), the announcement worker
    (`announcement_output`). ``overrides``: `TelegramOutput` keyword arguments."""
    token = settings.telegram_bot_token
    if bot is None:
        if token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        bot = make_bot(token.get_secret_value(), settings.telegram_api_base)
    kwargs: dict[str, Any] = {"default_locale": settings.default_locale, "attempts": settings.telegram_send_attempts,
                              "budget": settings.telegram_retry_budget} | overrides
    return TelegramOutput(bot, redis, translator, **kwargs)


def announcement_output(settings: Settings, redis: Any) -> TelegramOutput | None:
    """For the announcement worker: one try per call (the worker paces 429s for every worker and never resends
    a 5xx or timeout, which may have been delivered), requests bounded by ANNOUNCE_REQUEST_TIMEOUT."""
    token = settings.telegram_bot_token
    if token is None:
        return None
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base), limit=100,
                             timeout=settings.announce_request_timeout)
    bot = Bot(token.get_secret_value(), session=session)
    return make_output(settings, redis, Translator(default=settings.default_locale), bot=bot, attempts=1,
                       retry_unknown=False)


class TelegramChannel:
    """One bot: turns updates into engine turns and turns into Bot API calls."""

    def __init__(self, services: Services, bot: Bot, *, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
                 claim_ttl: int = keys.TELEGRAM_CLAIM_TTL, **output: Any) -> None:
        """``sleep``: the polling loop's pause; ``output``: `TelegramOutput` keyword arguments over the settings'."""
        self.services = services
        self.sleep = sleep
        self.engine = services.engine
        self.tr = services.translator
        self.redis = services.redis
        self.bot = bot
        settings = services.settings

        async def migrated(old: int, new: int) -> None:  # the announcement registry follows the chat
            await migrate_chat(self.redis, old, new, prefix=settings.announce_key_prefix)

        self.output = make_output(settings, services.redis, services.translator, bot=bot, on_migrate=migrated,
                                  **output)
        self.undelivered = Undelivered(services.redis, REPLY_WINDOW)
        self.claim_ttl = claim_ttl
        self.seen_ttl = settings.dedup_ttl_seconds
        services.engine.reply_ttl[CHANNEL] = REPLY_WINDOW
        self.default_locale = settings.default_locale
        self._me: User | None = None
        self.desk: Any = None  # adapters.telegram_desk.TelegramDesk when OPERATOR_CHAT_ID is set

    # -- inbound ------------------------------------------------------------------------------------
    async def process(self, update: AnyUpdate) -> bool:
        """Handle ``update`` once; False when its id was seen before (Telegram re-delivers unacknowledged
        updates, and webhook requests can arrive out of order, so this is a set of ids, not a high-water mark).

        A conversation's message or button press is de-duplicated by the engine itself (the update id is the
        turn's message id, checked and recorded by its two scripts), so it costs no Redis work of its own; a
        re-delivered one does not move the flow again and gets its stored reply again (Telegram re-delivers
        only what it did not see answered, and a reply riding in the webhook response was lost with it).
        Any other update's id is claimed as "pending" for ``claim_ttl`` and marked "done" afterwards; only
        "done" makes a re-delivery a duplicate: a re-delivery of a "pending" id (an attempt that died or failed
        mid-way) is handled again instead of being lost.
        """
        key = keys.telegram_update(update.update_id)
        if self._engine_bound(update):
            try:
                await self._dispatch(update)
            except ChatBlocked:
                pass
            except (RedisError, DeliveryFailed):
                # unanswered (webhook 5xx, polling keeps its offset): Telegram delivers it again, and the
                # stored turn goes out then; until then the user's next message gets the question again
                raise
            except Exception:
                await self._failed(update)
            if _WEBHOOK_REPLY.get() is None:
                # Polling: the offset confirming this update goes out with the next getUpdates, which a crash
                # may never send. Marked delivered here, a re-delivery is not answered twice; unmarked (a
                # crash mid-send), the stored turn is sent again (see `_turn`).
                await self.redis.set(key, "done", ex=self.seen_ttl)
            return True
        if not await self.redis.set(key, "pending", nx=True, ex=self.claim_ttl):
            if await self.redis.get(key) != "pending":
                log.debug("telegram update %s seen before; ignored", update.update_id)
                return False
            # Claimed but never finished: Telegram re-sends only what was not acknowledged, so the earlier
            # attempt failed (e.g. Redis hung and ran our claim only after we had answered 503). Run it
            # again; the engine's message-id de-duplication keeps a flow from advancing twice.
            log.info("telegram update %s: an earlier attempt did not finish; handling it again", update.update_id)
        try:
            await self._dispatch(update)
        except ChatBlocked:
            pass  # recorded where it happened; an apology could not be delivered either
        except RedisError:
            # Redis down or hanging: leave the update unacknowledged (the webhook answers 5xx, polling does
            # not advance its offset) so Telegram delivers it again; nothing of this run was saved.
            with contextlib.suppress(RedisError):
                await self.redis.delete(key)
            raise
        except Exception:
            await self._failed(update)
        await self.redis.set(key, "done", ex=self.seen_ttl)
        return True

    def _engine_bound(self, update: AnyUpdate) -> bool:
        """True for the updates `_on_message` / `_on_callback` hand to the engine (its de-duplication covers them)."""
        cq = update.callback_query
        if cq is not None:
            return cq.message is None or cq.message.chat.type == "private"
        m = update.message
        if m is None or m.text is None or m.chat.type != "private" or m.migrate_to_chat_id is not None:
            return False
        if m.from_user is None or m.from_user.is_bot or (self.desk is not None and m.chat.id == self.desk.chat_id):
            return False
        cmd = parse_command(m.text)
        if cmd is None:
            return True
        return cmd.name not in SUBSCRIPTION_COMMANDS and (cmd.name != "lang" or normalize_locale(cmd.args) is not None)

    async def _dispatch(self, update: AnyUpdate) -> None:
        if update.message is not None:
            await self._on_message(update.update_id, update.message)
        elif update.callback_query is not None:
            await self._on_callback(update.update_id, update.callback_query)
        elif update.my_chat_member is not None:
            await self._on_member(update.my_chat_member)
        else:
            log.debug("telegram update %s of an unhandled type ignored", update.update_id)

    def _desk_chat(self, update: LightUpdate) -> bool:
        """A message in the operator desk's chat: the desk reads aiogram's `Message` (adapters/telegram_desk.py)."""
        return update.message is not None and self.desk is not None and update.message.chat.id == self.desk.chat_id

    async def _on_message(self, update_id: int, m: AnyMessage) -> None:
        if self.desk is not None and m.chat.id == self.desk.chat_id:
            return await self.desk.handle(m)  # the operator desk: never a conversation with the bot
        if m.migrate_to_chat_id is not None:  # a group became a supergroup: announcements follow it
            await migrate_chat(self.redis, m.chat.id, m.migrate_to_chat_id,
                               prefix=self.services.settings.announce_key_prefix)
            return
        user = m.from_user
        if user is None or user.is_bot:
            return  # channel posts, anonymous group admins, other bots
        if m.chat.type != "private":
            return await self._on_group_message(m)
        if m.text is None:
            locale = await self._user_locale(user)
            return await self.send_text(m.chat.id, self._t("telegram-text-only", locale))
        cmd = parse_command(m.text)
        if cmd is not None and cmd.name in SUBSCRIPTION_COMMANDS:
            locale = await self._user_locale(user)
            answer = await subscription_command(self.redis, self.services.settings, cmd.name, chat_id=m.chat.id,
                                                user_id=user.id, chat_type=m.chat.type, locale=locale)
            return await self.send_text(m.chat.id, self.tr.text(answer, locale))
        if cmd is not None:
            if cmd.name == "lang":
                loc = normalize_locale(cmd.args)
                if loc is None:
                    return await self._offer_languages(m.chat.id, user)
                payload = "cmd:lang_en" if loc == "en" else "cmd:lang_zh"
            else:
                payload = COMMANDS.get(cmd.name, "cmd:help")
            msg = self._incoming(update_id, user, m.chat.id, payload=payload)
        else:
            msg = self._incoming(update_id, user, m.chat.id, text=m.text)
        turn = await self._turn(msg, user)
        if turn is not None:
            await self.send_turn(m.chat.id, turn, str(user.id))

    async def _on_callback(self, update_id: int, cq: CallbackQuery | LightCallbackQuery) -> None:
        """A pressed inline button. The query is answered first — the client shows a spinner until then,
        and the engine may wait for the user's lock (https://core.telegram.org/bots/api#answercallbackquery).
        A re-delivered press is answered again, which Telegram refuses if the first answer got through."""

        async def answer(text: str | None = None) -> None:
            try:
                await self.output.answer_callback(cq.id, text)
            except TelegramBadRequest as e:  # "query is too old": the reply below still matters more
                log.info("telegram: callback query of update %s not answered: %s", update_id, e.message)
            except TelegramAPIError as e:
                log.warning("telegram: could not answer callback query of update %s: %s", update_id, e)

        user = cq.from_user
        message = cq.message
        chat_id = message.chat.id if message is not None else user.id
        if message is not None and message.chat.type != "private":
            return await answer(self._t("telegram-step-passed", await self._user_locale(user)))
        step, value = await self.unpack(cq.data)
        if value is None:  # not ours, or a long value whose mapping expired
            await answer(self._t("telegram-step-passed", await self._user_locale(user)))
            return await self._drop_keyboard(message)
        await answer()
        turn = await self._turn(self._incoming(update_id, user, chat_id, payload=value, step=step), user)
        if turn is None:
            return
        if not turn.duplicate and not any(reply.options for reply in turn.replies):
            # Only when nothing replaces it: a new keyboard makes the old one stale anyway (its
            # buttons carry their step, so a late press gets "step passed", never a transition).
            await self._drop_keyboard(message)
        await self.send_turn(chat_id, turn, str(user.id))

    async def _on_group_message(self, m: Message) -> None:
        """In groups: answer only commands and mentions, and only to invite a private chat — errands
        involve personal circumstances, so flows never run in a group."""
        text = m.text or m.caption
        if not text:
            return
        me = await self.me()
        username = (me.username or "").lower()
        cmd = parse_command(text)
        if cmd is not None:
            addressed = cmd.target is None or cmd.target.lower() == username
        else:
            addressed = any(
                (e.type == "mention" and e.extract_from(text).lower() == f"@{username}")
                or (e.type == "text_mention" and e.user is not None and e.user.id == me.id)
                for e in (m.entities or m.caption_entities or ())
            )
        if not addressed:
            return
        locale = await self._user_locale(m.from_user)  # type: ignore[arg-type]
        markup = None
        if me.username:
            markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
                text=self._t("telegram-open-private", locale), url=f"https://t.me/{me.username}?start=group",
            )]])
        await self.send_text(m.chat.id, self._t("telegram-group-private", locale), markup, reply_to=m.message_id)

    async def _on_member(self, upd: ChatMemberUpdated) -> None:
        # https://core.telegram.org/bots/api#chatmemberupdated — "kicked" in a private chat = user blocked us;
        # in groups and channels, being made an administrator makes the chat an announcement target.
        status = upd.new_chat_member.status
        await chat_member_changed(self.redis, self.services.settings, chat_id=upd.chat.id, kind=upd.chat.type,
                                  title=upd.chat.title, status=status,
                                  locale=normalize_locale(upd.from_user.language_code) if upd.from_user else None)
        if upd.chat.type != "private":
            return
        if status == "kicked":
            await self.redis.set(keys.telegram_blocked(upd.chat.id), "1", ex=keys.TELEGRAM_BLOCKED_TTL)
            log.info("telegram chat %s blocked the bot", upd.chat.id)
        elif status == "member":
            await self.redis.delete(keys.telegram_blocked(upd.chat.id))

    async def _offer_languages(self, chat_id: int, user: AnyUser) -> None:
        locale = await self._user_locale(user)
        await self.send_text(chat_id, self._t("telegram-lang-prompt", locale), await self.keyboard(None, [
            ("cmd:lang_zh", self._t("telegram-lang-zh", locale)),
            ("cmd:lang_en", self._t("telegram-lang-en", locale)),
        ]))

    def _incoming(self, update_id: int, user: AnyUser, chat_id: int, *, text: str = "",
                  payload: str | None = None, step: int | None = None) -> Incoming:
        return Incoming(
            channel=CHANNEL, user_id=str(user.id), chat_id=str(chat_id), message_id=str(update_id),
            text=text, payload=payload, button_step=step, locale=user.language_code,
        )

    async def _turn(self, msg: Incoming, user: AnyUser) -> Turn | None:
        """Run the engine; None (after telling the user) when their session stays busy."""
        try:
            turn = await self.engine.handle(msg)
        except SessionBusy:
            log.warning("telegram user session busy; update %s answered with common-busy", msg.message_id)
            await self.send_text(int(msg.chat_id), self._t("common-busy", await self._user_locale(user)))
            return None
        if turn.duplicate:
            # Seen before; the flow does not move again. A webhook re-delivery means Telegram did not see the
            # first answer, and the reply riding in it was lost with it. Polling re-delivers what a crash left
            # unconfirmed: `process` marks an update done once its turn went out, so an unmarked one was not
            # (or not surely) delivered. Either way the stored turn goes out again, and once it has, the
            # user's next message is read as an answer again (the undelivered mark is dropped).
            if _WEBHOOK_REPLY.get() is None and await self.redis.get(keys.telegram_update(msg.message_id)) == "done":
                log.debug("telegram update %s seen before; ignored", msg.message_id)
                return replace(turn, replies=())
            log.info("telegram update %s: re-sending the stored turn", msg.message_id)
            sent = await self.send_turn(int(msg.chat_id), turn, msg.user_id)
            if sent is not None:
                await self.undelivered.forget(CHANNEL, msg.user_id)
            return replace(turn, replies=())
        return turn

    async def _failed(self, update: AnyUpdate) -> None:
        """Never lose an update silently: log it (user text masked) and apologise to the user."""
        user: AnyUser | None = None
        chat_id: int | None = None
        text: str | None = None
        if update.message is not None:
            user, chat_id, text = update.message.from_user, update.message.chat.id, update.message.text
        elif update.callback_query is not None:
            cq = update.callback_query
            user, text = cq.from_user, cq.data
            chat_id = cq.message.chat.id if cq.message is not None else cq.from_user.id
        log.error("telegram update %s failed on %s\n%s", update.update_id, mask(text), mask(traceback.format_exc()))
        if chat_id is None:
            return
        try:
            locale = await self._user_locale(user) if user else self.default_locale
            await self.send_text(chat_id, self._t("common-error", locale))
        except Exception:
            log.error("telegram: apology for update %s could not be sent either", update.update_id)

    # -- outbound (all through the output) -----------------------------------------------------------
    async def send_turn(self, chat_id: int | str, turn: Turn, user: str | None = None) -> Sent | None:
        """Every reply of ``turn``; on a failure the turn is remembered as undelivered for ``user`` (the engine
        shows it again instead of reading their next message as an answer) and `DeliveryFailed` raised."""
        sent: Sent | None = None
        chat: str | None = str(chat_id)
        try:
            for reply in turn.replies:
                sent = await self.output.send(user or str(chat_id), reply, locale=turn.locale, step=turn.step,
                                              chat=chat)
                chat = sent.chat_id
        except DeliveryFailed as e:
            if user is not None and e.kind != "forbidden" and turn.replies:
                await self.undelivered.remember(CHANNEL, user, turn)
            raise
        return sent

    async def send_text(self, chat_id: int | str, text: str, markup: InlineKeyboardMarkup | None = None,
                        *, reply_to: int | None = None) -> Sent:
        return await self.output.send(str(chat_id), text, markup=markup, reply_to=reply_to)

    async def call(self, method: TelegramMethod[T], *, chat_id: int | str | None = None) -> T:
        return await self.output.call(method, chat_id=chat_id)

    @staticmethod
    def _webhook_response(params: dict[str, Any]) -> web.Response:
        """The held sendMessage as a JSON webhook response, written out here rather than by aiogram's
        `build_form_data` (model_dump + prepare_value of every field: a third of the adapter's time); the
        bot has no `DefaultBotProperties`, so the fields set in `TelegramOutput.send` are all there is to send."""
        return web.Response(body=orjson.dumps({"method": "sendMessage", **params}), content_type="application/json")

    async def _drop_keyboard(self, message: Any) -> None:
        """Remove the keyboard of a pressed message so old buttons do not linger."""
        if message is None or isinstance(message, InaccessibleMessage):
            return  # too old to edit
        try:
            await self.call(EditMessageReplyMarkup(chat_id=message.chat.id, message_id=message.message_id),
                            chat_id=message.chat.id)
        except TelegramBadRequest as e:  # "message is not modified", "message can't be edited", …
            log.debug("telegram: keyboard not removed: %s", e.message)

    # -- buttons (drawn by the output) ------------------------------------------------------------------
    async def keyboard(self, step: int | None, options: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
        return await self.output.keyboard(step, options)

    async def pack(self, step: int | None, value: str) -> str:
        return await self.output.pack(step, value)

    async def unpack(self, data: str | None) -> tuple[int | None, str | None]:
        head, sep, value = (data or "").partition("|")
        if not sep or not value or not (head == "-" or head.isdigit()):
            return None, None
        if value.startswith("#"):
            value = await self.redis.get(keys.telegram_callback(value[1:]))
        return (None if head == "-" else int(head)), value

    # -- helpers --------------------------------------------------------------------------------------
    def _t(self, key: str, locale: str, **params: Any) -> str:
        return self.tr.text(Text(key, params), locale)

    async def _user_locale(self, user: AnyUser | None) -> str:
        """The conversation's language if there is one, else the client's. Used off the main path only."""
        if user is None:
            return self.default_locale
        session = await self.services.store.get(SessionKey(CHANNEL, str(user.id)))
        if session is not None:
            return session.locale
        return normalize_locale(user.language_code) or self.default_locale

    async def me(self) -> User:
        if self._me is None:
            self._me = await self.call(GetMe())
        return self._me

    async def startup(self, webhook_url: str | None = None, secret: str | None = None) -> None:
        """Publish the command menu per language and, in webhook mode, register the webhook."""
        for locale in SUPPORTED:
            commands = [BotCommand(command=c, description=self._t(key, locale)) for c, key in MENU_COMMANDS.items()]
            language = locale.split("-")[0]
            try:
                await self.call(SetMyCommands(commands=commands, language_code=language))
                if locale == self.default_locale:
                    await self.call(SetMyCommands(commands=commands))
            except TelegramAPIError as e:
                log.warning("telegram setMyCommands (%s) failed: %s", language, e)
        if webhook_url:
            await self.call(SetWebhook(url=webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES))
            log.info("telegram webhook set to %s", webhook_url)

    # -- webhook --------------------------------------------------------------------------------------
    def webhook_handler(self, secret: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        expected = secret.encode()

        async def handle(request: web.Request) -> web.StreamResponse:
            # https://core.telegram.org/bots/api#setwebhook — the header carries the secret_token we set.
            got = request.headers.get(SECRET_HEADER, "").encode()
            if not hmac.compare_digest(got, expected):
                log.warning("telegram webhook: request from %s without the right secret refused", request.remote)
                return web.Response(status=401, text="unauthorized")
            if request.content_type != "application/json":  # Telegram always posts JSON
                return web.Response(status=415, text="application/json expected")
            try:
                data = orjson.loads(await request.read())
                update: AnyUpdate | None = telegram_light.parse(data)
                if update is None or self._desk_chat(update):
                    update = Update.model_validate(data, context={"bot": self.bot})
            except (ValueError, ValidationError, RecursionError):  # RecursionError: absurdly nested JSON
                return web.Response(status=400, text="not an Update")
            held: list[dict[str, Any]] = []
            reset = _WEBHOOK_REPLY.set(held)
            try:
                await self.process(update)
            except RedisError as e:
                log.error("telegram update %s: Redis unavailable (%s); answered 503 so Telegram delivers it again",
                          update.update_id, e.__class__.__name__)
                return web.Response(status=503, text="store unavailable")
            except DeliveryFailed as e:  # the turn is saved and kept: a re-delivery sends it (see `_turn`)
                log.error("telegram update %s: reply not delivered (%s); answered 502 so Telegram delivers it again",
                          update.update_id, e)
                return web.Response(status=502, text="reply not delivered")
            finally:
                _WEBHOOK_REPLY.reset(reset)
            if held:
                return self._webhook_response(held.pop())
            return web.Response(text="ok")

        return handle

    # -- long polling ---------------------------------------------------------------------------------
    async def poll(self, *, timeout: int = 30, stop: asyncio.Event | None = None, max_backoff: float = 60.0) -> None:
        """Long polling (getUpdates). Each batch is confirmed by the next call's offset only after it was
        handled, so a crash re-delivers it and the update-id set drops what had already been done."""
        stop = stop or asyncio.Event()
        await self.call(DeleteWebhook(drop_pending_updates=False))
        await self.startup()
        offset: int | None = None
        backoff = 1.0
        request_timeout = int((self.bot.session.timeout or 60) + timeout)
        while not stop.is_set():
            try:
                updates = await self.bot(
                    GetUpdates(offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES),
                    request_timeout=request_timeout,
                )
            except TelegramRetryAfter as e:
                await self.sleep(e.retry_after)
                continue
            except TelegramUnauthorizedError:
                raise  # a wrong token does not heal by waiting
            except TelegramAPIError as e:  # network trouble, 5xx, 409 (another poller or a webhook is set)
                log.warning("telegram getUpdates failed (%s); retrying in %.0fs", e, backoff)
                await self.sleep(backoff)
                backoff = min(backoff * 2, max_backoff)
                continue
            backoff = 1.0
            for update in updates:
                try:
                    await self.process(update)
                except Exception as e:  # e.g. Redis unreachable: keep the update unconfirmed and fetch it again
                    if isinstance(e, RedisError):
                        log.error("telegram update %s: Redis unavailable (%s); fetching it again",
                                  update.update_id, e.__class__.__name__)
                    else:
                        log.exception("telegram update %s could not be handled; fetching it again", update.update_id)
                    await self.sleep(backoff)
                    backoff = min(backoff * 2, max_backoff)
                    break
                offset = update.update_id + 1

    async def close(self) -> None:
        await self.bot.session.close()


TELEGRAM = web.AppKey("telegram", TelegramChannel)


def setup(app: web.Application, services: Services) -> bool:
    """Mount ``POST /telegram`` when a token and a webhook secret are configured (see docs/telegram.md)."""
    s = services.settings
    if s.telegram_bot_token is None:
        log.info("telegram: TELEGRAM_BOT_TOKEN is not set; channel off")
        return False
    secret = s.telegram_webhook_secret.get_secret_value() if s.telegram_webhook_secret else ""
    if not SECRET_RE.match(secret):
        log.error("telegram: refusing to mount %s without a valid TELEGRAM_WEBHOOK_SECRET "
                  "(1-256 of A-Z a-z 0-9 _ -); use `python -m bot poll` for polling without a webhook", ROUTE)
        return False
    try:
        bot = make_bot(s.telegram_bot_token.get_secret_value(), s.telegram_api_base)
    except Exception as e:  # aiogram validates the token's shape
        log.error("telegram: TELEGRAM_BOT_TOKEN rejected (%s); channel off", e.__class__.__name__)
        return False
    channel = TelegramChannel(services, bot)
    attach_handoff(channel, services)
    app[TELEGRAM] = channel
    app.router.add_post(ROUTE, channel.webhook_handler(secret))
    webhook_url = f"{s.public_url.rstrip('/')}{ROUTE}" if s.public_url else None
    set_up = setting_up(app, "telegram")  # /readyz: "pending" until the start-up calls below went through

    async def on_startup(app: web.Application) -> None:
        try:
            with set_up:
                await channel.startup(webhook_url, secret)
        except TelegramAPIError as e:
            log.error("telegram: start-up calls failed (%s); updates may not arrive until setWebhook succeeds", e)
        if webhook_url is None:
            log.warning("telegram: PUBLIC_URL is not set; the webhook was not registered with Telegram")

    async def on_cleanup(app: web.Application) -> None:
        await channel.close()

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return True


async def run_polling(services: Services, *, timeout: int = 30) -> None:
    """`python -m bot poll`: long polling instead of a webhook (no public URL or secret needed)."""
    token = services.settings.telegram_bot_token
    if token is None:
        raise SystemExit("TELEGRAM_BOT_TOKEN is not set")
    channel = TelegramChannel(services, make_bot(token.get_secret_value(), services.settings.telegram_api_base))
    attach_handoff(channel, services)
    try:
        await channel.poll(timeout=timeout)
    finally:
        await channel.close()


def attach_handoff(channel: TelegramChannel, services: Services) -> None:
    """Register the channel's output (operators' replies reach Telegram users through it), and run the
    operator desk when OPERATOR_CHAT_ID is set."""
    from adapters.telegram_desk import TelegramDesk

    services.outputs.add(channel.output)
    desk_chat = services.settings.operator_chat_id
    if desk_chat is not None:
        channel.desk = TelegramDesk(channel, services.handoff, desk_chat,
                                    topics_per_minute=services.settings.operator_topics_per_minute)
        services.handoff.desk = channel.desk

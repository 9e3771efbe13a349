"""Bot-initiated sends (no inbound message): Telegram sendMessage and WeChat mass send, as `Outcome`s.

The worker decides what to do with an outcome; senders only translate platform answers:

- Telegram (aiogram 3): 429 → ``retry`` with retry_after; 403 (blocked, kicked) → ``forbidden``; a group
  that became a supergroup → ``migrated`` with the new id; other 4xx → ``failed``; a connection that was
  never made → ``transient`` (safe to retry); a timeout or 5xx → ``unknown`` (Telegram may have it, and
  sendMessage has no idempotency key, so it is not retried).
  https://core.telegram.org/bots/api#making-requests , https://core.telegram.org/bots/api#responseparameters
- WeChat (wechatpy): one ``message/mass/sendall`` per announcement with ``clientmsgid`` = the
  announcement id, so resending is safe: WeChat answers 45065 for an id it already has, which counts as sent.
  https://developers.weixin.qq.com/doc/offiaccount/en/Message_Management/Batch_Sends_and_Originality_Checks.html
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import ClientConnectorError

log = logging.getLogger(__name__)

# https://developers.weixin.qq.com/doc/offiaccount/en/Message_Management/Batch_Sends_and_Originality_Checks.html
WX_DUPLICATE_CLIENTMSGID = 45065  # "clientmsgid exist": this broadcast was already accepted
WX_CLIENTMSGID_TOO_SOON = 45066  # same clientmsgid retried within a minute
WX_FREQ_LIMITS = frozenset({45009, 45047})  # api freq out of limit / out of response count limit
WX_TOKEN_ERRORS = frozenset({40001, 40014, 42001})


@dataclass(frozen=True, slots=True)
class Outcome:
    """kind: sent | retry | migrated | forbidden | failed | transient | unknown."""

    kind: str
    detail: str = ""
    message_id: str = ""
    retry_after: float = 0.0
    new_chat_id: str = ""


class TelegramSender:
    """sendMessage through aiogram's Bot on a session pointed at TELEGRAM_API_BASE."""

    def __init__(self, token: str, api_base: str, *, timeout: float = 10.0, connections: int = 100) -> None:
        from aiogram import Bot
        from aiogram.client.session.aiohttp import AiohttpSession
        from aiogram.client.telegram import TelegramAPIServer

        session = AiohttpSession(api=TelegramAPIServer.from_base(api_base), limit=connections, timeout=timeout)
        self.bot = Bot(token, session=session)

    async def send(self, chat_id: str, text: str) -> Outcome:
        from aiogram.exceptions import (
            TelegramBadRequest,
            TelegramForbiddenError,
            TelegramMigrateToChat,
            TelegramNetworkError,
            TelegramNotFound,
            TelegramRetryAfter,
            TelegramServerError,
            TelegramUnauthorizedError,
        )

        try:
            msg = await self.bot.send_message(int(chat_id), text)
        except TelegramRetryAfter as e:
            return Outcome("retry", f"429: {e.message}", retry_after=float(e.retry_after))
        except TelegramMigrateToChat as e:
            return Outcome("migrated", str(e.message), new_chat_id=str(e.migrate_to_chat_id))
        except TelegramForbiddenError as e:
            return Outcome("forbidden", f"403: {e.message}")
        except (TelegramBadRequest, TelegramNotFound, TelegramUnauthorizedError) as e:
            return Outcome("failed", f"{type(e).__name__}: {e.message}")
        except TelegramServerError as e:
            return Outcome("unknown", f"server error: {e.message}")
        except TelegramNetworkError as e:
            if isinstance(e.__cause__, ClientConnectorError):
                return Outcome("transient", f"cannot connect: {e.__cause__}")
            return Outcome("unknown", f"network: {e.message}")
        return Outcome("sent", message_id=str(msg.message_id))

    async def close(self) -> None:
        await self.bot.session.close()


class WeChatSender:
    """Mass send to all followers or a tag, with the access_token shared through Redis (adapters/wechat_api)."""

    def __init__(self, redis, appid: str, secret: str, api_base: str, *, timeout: float = 10.0) -> None:  # noqa: ANN001
        from adapters.wechat_api import WeChatAPI  # shares the web process's token (one per account)

        self.api = WeChatAPI(redis, appid, secret, api_base, timeout=timeout)

    async def send(self, target: str, text: str, client_msg_id: str) -> Outcome:
        from adapters.wechat_api import TokenUnavailable, WeChatAPIError

        # wechatpy 1.8's send_mass_text filters by the retired `group_id`; today's API takes `tag_id`.
        if target == "wx:all":
            flt: dict = {"is_to_all": True}
        else:
            flt = {"is_to_all": False, "tag_id": int(target.removeprefix("wx:tag:"))}
        try:
            result = await self.api.call("message/mass/sendall", {
                "filter": flt, "msgtype": "text", "text": {"content": text}, "clientmsgid": client_msg_id,
                "send_ignore_reprint": 0})
        except WeChatAPIError as e:
            if e.errcode == WX_DUPLICATE_CLIENTMSGID:
                return Outcome("sent", "already accepted (clientmsgid exists)",
                               message_id=str(e.result.get("msg_id", "")))
            if e.errcode == WX_CLIENTMSGID_TOO_SOON:
                return Outcome("retry", f"{e.errcode}: {e.errmsg}", retry_after=60.0)
            if e.errcode in WX_FREQ_LIMITS:
                return Outcome("retry", f"{e.errcode}: {e.errmsg}", retry_after=60.0)
            if e.errcode is None:  # HTTP or connection trouble: resending is safe, clientmsgid dedups it
                return Outcome("transient", str(e))
            return Outcome("failed", f"{e.errcode}: {e.errmsg}")
        except TokenUnavailable as e:
            return Outcome("transient", f"{type(e).__name__}: {e}")
        return Outcome("sent", message_id=str(result.get("msg_id", "")))

    async def close(self) -> None:
        await self.api.close()



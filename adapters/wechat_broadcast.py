"""WeChat's mass send for announcements, behind the `bot.channels.Broadcaster` contract.

Interim home: this is the former ``bot/announcements/senders.py`` WeChat sender, moved out of ``bot/`` so the
worker imports no adapter. It belongs on the WeChat output (adapters/wechat.py, engineer "wxapi"), whose
``broadcast`` replaces it; ``bot/announcements/cli.py`` names the factory to use.

One ``message/mass/sendall`` per announcement with ``clientmsgid`` = the announcement's key, so resending is
safe: WeChat answers 45065 for an id it already has, which counts as sent.
https://developers.weixin.qq.com/doc/offiaccount/en/Message_Management/Batch_Sends_and_Originality_Checks.html
"""
from __future__ import annotations

import asyncio
from typing import Any

from bot.channels import DeliveryFailed, Sent
from bot.config import Settings
from bot.messages import Reply

WX_DUPLICATE_CLIENTMSGID = 45065  # "clientmsgid exist": this broadcast was already accepted
WX_CLIENTMSGID_TOO_SOON = 45066  # same clientmsgid retried within a minute
WX_FREQ_LIMITS = frozenset({45009, 45047})  # api freq out of limit / out of response count limit
WX_TOKEN_ERRORS = frozenset({40001, 40014, 42001})


class WeChatBroadcast:
    """Mass send to all followers or a tag, with the access_token shared through Redis (adapters/wechat_api)."""

    name = "wechat"
    pushes = True

    def __init__(self, redis: Any, appid: str, secret: str, api_base: str, *, timeout: float = 10.0) -> None:
        from adapters.wechat_api import CustomerService  # shares the web process's token (one per account)

        self.tokens = CustomerService(redis, appid, secret, api_base, timeout=timeout)
        self.client = self.tokens.client

    async def send(self, user: str, reply: Reply | str, *, locale: str | None = None, step: int | None = None,
                   chat: str | None = None) -> Sent:
        raise DeliveryFailed("failed", "unsupported", "announcements only: WeChat replies go through adapters/wechat.py")

    async def broadcast(self, target: str, text: str, *, key: str) -> Sent:
        from wechatpy.exceptions import WeChatClientException

        try:
            token = await self.tokens.access_token()
            try:
                result = await asyncio.to_thread(self._send, token, target, text, key)
            except WeChatClientException as e:
                if e.errcode not in WX_TOKEN_ERRORS:
                    raise
                await self.tokens._forget(token)
                result = await asyncio.to_thread(self._send, await self.tokens.access_token(), target, text, key)
        except WeChatClientException as e:
            if e.errcode == WX_DUPLICATE_CLIENTMSGID:
                return Sent(target, _msg_id(e))
            if e.errcode in (WX_CLIENTMSGID_TOO_SOON, *WX_FREQ_LIMITS):
                raise DeliveryFailed("failed", "rate_limited", f"{e.errcode}: {e.errmsg}", retry_after=60.0) from e
            if e.errcode is None:  # HTTP or connection trouble: resending is safe, clientmsgid dedups it
                raise DeliveryFailed("failed", "unreachable", str(e)) from e
            raise DeliveryFailed("failed", "error", f"{e.errcode}: {e.errmsg}") from e
        except DeliveryFailed:
            raise
        except Exception as e:  # requests' connection errors and the token lock timing out
            raise DeliveryFailed("failed", "unreachable", f"{type(e).__name__}: {e}") from e
        return Sent(target, str(result.get("msg_id", "")))

    def _send(self, token: str, target: str, text: str, client_msg_id: str) -> dict:
        # wechatpy 1.8's send_mass_text filters by the retired `group_id`; today's API takes `tag_id`, so the
        # body is built here and only the transport and error handling are wechatpy's.
        if target == "wx:all":
            flt: dict = {"is_to_all": True}
        else:
            flt = {"is_to_all": False, "tag_id": int(target.removeprefix("wx:tag:"))}
        return self.client.post(
            "message/mass/sendall",
            params={"access_token": token},
            data={"filter": flt, "msgtype": "text", "text": {"content": text}, "clientmsgid": client_msg_id,
                  "send_ignore_reprint": 0},
        )

    async def close(self) -> None:
        pass


def announcement_output(settings: Settings, redis: Any) -> WeChatBroadcast | None:
    if not (settings.wechat_appid and settings.wechat_appsecret):
        return None
    return WeChatBroadcast(redis, settings.wechat_appid, settings.wechat_appsecret.get_secret_value(),
                           settings.wechat_api_base, timeout=settings.announce_request_timeout)


def _msg_id(e: Exception) -> str:
    try:
        return str(e.response.json().get("msg_id", ""))  # type: ignore[attr-defined]
    except Exception:
        return ""

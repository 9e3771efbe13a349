"""WeChat customer-service messages (客服消息) with one access_token shared by every worker through Redis.

Fetching a new access_token makes the previous one expire (after a short overlap), so workers that each
fetched their own would keep invalidating each other. The token lives in Redis; the worker that finds it
missing fetches it under a Redis lock while the others wait and then read it. wechatpy's client is blocking
(requests), so each call runs in a thread, off the event loop.

https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
"""
from __future__ import annotations

import asyncio
import logging
import secrets

import redis.asyncio as aioredis
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

log = logging.getLogger(__name__)

KEY_PREFIX = "bot:wechat:"
# invalid credential / invalid access_token / access_token expired: fetch a new token once and resend
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
# The account may not use the customer-service API (unverified subscription accounts): 48001 api unauthorized.
UNAUTHORIZED = 48001

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class TokenUnavailable(RuntimeError):
    """No access_token could be obtained in time (another worker holds the lock, or the API failed)."""


class CustomerService:
    """Sends text through ``message/custom/send``; the access_token is shared in Redis under a lock."""

    def __init__(
        self,
        redis: aioredis.Redis,
        appid: str,
        secret: str,
        api_base: str,
        *,
        timeout: float = 5.0,
        lock_ttl: float = 10.0,
        lock_wait: float = 10.0,
    ) -> None:
        self.redis = redis
        self.appid = appid
        self.secret = secret
        self.api_base = api_base if api_base.endswith("/") else api_base + "/"
        self.lock_ttl = lock_ttl
        self.lock_wait = lock_wait
        self.token_key = f"{KEY_PREFIX}{appid}:access_token"
        self.lock_key = f"{KEY_PREFIX}{appid}:access_token:lock"
        # One blocking client for the process. The token is passed on every call instead of being stored
        # in the client, so concurrent threads never see each other's token state.
        self.client = WeChatClient(appid, secret, timeout=timeout, auto_retry=False)
        self.client.API_BASE_URL = self.api_base

    async def send_text(self, openid: str, text: str) -> None:
        token = await self.access_token()
        try:
            await asyncio.to_thread(self._send, token, openid, text)
        except WeChatClientException as e:
            if e.errcode not in TOKEN_ERRORS:
                raise
            log.info("access_token rejected (%s); fetching a new one", e.errcode)
            await self._forget(token)
            await asyncio.to_thread(self._send, await self.access_token(), openid, text)

    async def access_token(self) -> str:
        token = await self.redis.get(self.token_key)
        if token:
            return token
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.lock_wait
        while True:
            holder = secrets.token_hex(8)
            if await self.redis.set(self.lock_key, holder, nx=True, px=int(self.lock_ttl * 1000)):
                try:
                    token = await self.redis.get(self.token_key)  # someone may have fetched it meanwhile
                    if token:
                        return token
                    result = await asyncio.to_thread(self._fetch)
                    token = result["access_token"]
                    # Refresh five minutes early so no request goes out with a token about to expire.
                    ttl = max(60, int(result.get("expires_in", 7200)) - 300)
                    await self.redis.set(self.token_key, token, ex=ttl)
                    return token
                finally:
                    await self.redis.eval(_RELEASE, 1, self.lock_key, holder)
            await asyncio.sleep(0.05)
            token = await self.redis.get(self.token_key)
            if token:
                return token
            if loop.time() >= deadline:
                raise TokenUnavailable(f"no access_token for {self.appid} within {self.lock_wait}s")

    async def _forget(self, token: str) -> None:
        """Drop the cached token, unless another worker has already replaced it."""
        await self.redis.eval(_RELEASE, 1, self.token_key, token)

    # -- blocking, run in a thread -------------------------------------------------------------------
    def _fetch(self) -> dict:
        # WeChatClient.fetch_access_token() hard-codes api.weixin.qq.com; the private helper takes the
        # URL, so WECHAT_API_BASE applies to the token endpoint too (wechatpy is pinned <2).
        return self.client._fetch_access_token(
            url=f"{self.api_base}token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )

    def _send(self, token: str, openid: str, text: str) -> None:
        self.client.post(
            "message/custom/send",
            params={"access_token": token},
            data={"touser": openid, "msgtype": "text", "text": {"content": text}},
        )

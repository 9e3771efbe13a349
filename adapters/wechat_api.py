"""WeChat customer-service messages (客服消息) with one access_token shared by every worker through Redis.

Fetching a new access_token makes the previous one expire (after a short overlap), so workers that each
fetched their own would keep invalidating each other. The token lives in Redis; the worker that finds it
missing fetches it under a Redis lock while the others wait and then read it. wechatpy's client is blocking
(requests), so each call runs in a thread, off the event loop.

When the token endpoint fails (45009 "api freq out of limit", 5xx, a timeout), workers back off together:
the failure count lives in Redis and, until the back-off ends, nobody asks again — a message either goes
out with the token still cached (it is refreshed five minutes before it expires, so it is still good) or
fails at once with `TokenUnavailable`. A fetch never takes longer than ``fetch_timeout``.

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

from bot import keys

log = logging.getLogger(__name__)

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
        lock_wait: float = 4.0,
        fetch_timeout: float = 3.0,
        max_backoff: float = 60.0,
    ) -> None:
        self.redis = redis
        self.appid = appid
        self.secret = secret
        self.api_base = api_base if api_base.endswith("/") else api_base + "/"
        self.lock_ttl = lock_ttl
        self.lock_wait = lock_wait
        self.fetch_timeout = fetch_timeout
        self.max_backoff = max_backoff
        # ``{appid}`` is a Redis Cluster hash tag: the token, its lock and the keys below share one slot,
        # so one MGET reads them (on a single Redis the braces are just characters).
        self.token_key = keys.wechat_token(appid)
        self.lock_key = keys.wechat_token(appid, "lock")
        self.fresh_key = keys.wechat_token(appid, "fresh")  # exists while no refresh is due
        self.backoff_key = keys.wechat_token(appid, "backoff")  # exists while fetching is paused
        self.failures_key = keys.wechat_token(appid, "failures")
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
        token, fresh, backoff = await self.redis.mget(self.token_key, self.fresh_key, self.backoff_key)
        if token and (fresh or backoff):
            return token  # fresh, or due for refresh while the endpoint is failing: still valid
        if backoff:
            raise TokenUnavailable(f"token endpoint of {self.appid} failing; not asking again for a while")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.lock_wait
        while True:
            holder = secrets.token_hex(8)
            if await self.redis.set(self.lock_key, holder, nx=True, px=int(self.lock_ttl * 1000)):
                try:
                    token, fresh = await self.redis.mget(self.token_key, self.fresh_key)
                    if token and fresh:  # someone fetched it meanwhile
                        return token
                    return await self._refresh(token)
                finally:
                    await self.redis.eval(_RELEASE, 1, self.lock_key, holder)
            if token:
                return token  # another worker is refreshing it; this one is still valid
            await asyncio.sleep(0.05)
            token, backoff = await self.redis.mget(self.token_key, self.backoff_key)
            if token:
                return token
            if backoff:
                raise TokenUnavailable(f"token endpoint of {self.appid} failing; not asking again for a while")
            if loop.time() >= deadline:
                raise TokenUnavailable(f"no access_token for {self.appid} within {self.lock_wait}s")

    async def _refresh(self, cached: str | None) -> str:
        """Fetch a new token (under the lock); on failure back off and fall back to ``cached``."""
        try:
            result = await asyncio.wait_for(asyncio.to_thread(self._fetch), self.fetch_timeout + 1)
            token = result["access_token"]
        except Exception as e:
            failures = await self.redis.incr(self.failures_key)
            await self.redis.expire(self.failures_key, 3600)
            pause = min(self.max_backoff, 2.0 ** (failures - 1))
            await self.redis.set(self.backoff_key, "1", px=int(pause * 1000))
            detail = f"{e.errcode} {e.errmsg}" if isinstance(e, WeChatClientException) else e.__class__.__name__
            log.warning("wechat: access_token fetch failed (%s, %d in a row); pausing fetches for %.0fs%s",
                        detail, failures, pause, "; the cached token stays in use" if cached else "")
            if cached:
                return cached
            raise TokenUnavailable(f"access_token fetch failed: {detail}") from e
        expires_in = int(result.get("expires_in", 7200))
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(self.token_key, token, ex=max(60, expires_in - 60))
        # Refresh five minutes early so no request goes out with a token about to expire.
        pipe.set(self.fresh_key, "1", ex=max(30, expires_in - 300))
        pipe.delete(self.failures_key, self.backoff_key)
        await pipe.execute()
        return token

    async def _forget(self, token: str) -> None:
        """Drop the cached token, unless another worker has already replaced it."""
        await self.redis.eval(_RELEASE, 1, self.token_key, token)

    # -- blocking, run in a thread -------------------------------------------------------------------
    def _fetch(self) -> dict:
        # WeChatClient.fetch_access_token() hard-codes api.weixin.qq.com, and its _fetch_access_token() sends
        # the request without any timeout (a slow endpoint held callers for as long as it liked). So the
        # request goes through wechatpy's own requests session here, bounded by fetch_timeout, and its answer
        # is read the way wechatpy reads it (errcode → WeChatClientException).
        res = self.client._http.get(
            f"{self.api_base}token", timeout=self.fetch_timeout,
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )
        if res.status_code >= 400:
            raise WeChatClientException(None, f"HTTP {res.status_code}", client=self.client, response=res)
        result = res.json()
        if result.get("errcode"):
            raise WeChatClientException(result["errcode"], result.get("errmsg", ""), client=self.client,
                                        response=res)
        return result

    def _send(self, token: str, openid: str, text: str) -> None:
        self.client.post(
            "message/custom/send",
            params={"access_token": token},
            data={"touser": openid, "msgtype": "text", "text": {"content": text}},
        )

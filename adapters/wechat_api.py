"""The WeChat API (api.weixin.qq.com/cgi-bin/) over one aiohttp session, with one access_token shared by every
worker through Redis.

Fetching a new access_token makes the previous one expire (after a short overlap), so workers that each
fetched their own would keep invalidating each other. The token lives in Redis; the worker that finds it
missing fetches it under redis-py's lock while the others wait for the lock and then read what it stored.

When the token endpoint fails (45009 "api freq out of limit", 5xx, a timeout), workers back off together:
the failure count lives in Redis and, until the back-off ends, nobody asks again — a call either goes out
with the token still cached (it is refreshed five minutes before it expires, so it is still good) or fails
at once with `TokenUnavailable`. A fetch never takes longer than ``fetch_timeout``.

This module only calls the API and reads its answers; what a failed send means for the user (retry, hold,
report) is decided once, in the channel's output (adapters/wechat.py).

https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
"""
from __future__ import annotations

import contextlib
import logging
from typing import Any

import aiohttp
import redis.asyncio as aioredis
from redis.exceptions import LockError

from bot import keys

log = logging.getLogger(__name__)

# invalid credential / invalid access_token / access_token expired: fetch a new token once and resend
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
# The account may not use the customer-service API (unverified subscription accounts): 48001 api unauthorized.
UNAUTHORIZED = 48001
# "system busy, please try again later" — WeChat's own word that another try may work.
# https://developers.weixin.qq.com/doc/offiaccount/en/Getting_Started/Global_Return_Code.html
SYSTEM_BUSY = -1

# Delete the key only if it still holds the value we read (the token we were refused with).
_FORGET = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class TokenUnavailable(RuntimeError):
    """No access_token could be obtained in time (another worker holds the lock, or the API failed)."""


class WeChatAPIError(Exception):
    """The API refused a call. ``errcode`` is WeChat's (None when the HTTP exchange itself failed, then
    ``status`` is the HTTP status, 0 for no answer at all); ``result`` is the decoded answer, if any;
    ``unreachable``: no connection was made, so WeChat certainly did not get the request."""

    def __init__(self, errcode: int | None, errmsg: str, *, status: int = 200, result: dict | None = None,
                 unreachable: bool = False) -> None:
        super().__init__(f"{errcode if errcode is not None else f'HTTP {status}'}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg
        self.status = status
        self.result = result or {}
        self.unreachable = unreachable

    @property
    def transient(self) -> bool:
        """Worth another try: no answer, a 5xx, or WeChat's own "system busy"."""
        return self.errcode == SYSTEM_BUSY or (self.errcode is None and (self.status == 0 or self.status >= 500))


class WeChatAPI:
    """Calls ``cgi-bin/`` methods with the shared access_token (in Redis, under a lock)."""

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
        self.timeout = timeout
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
        self._forget_script = redis.register_script(_FORGET)
        # One session for the process, opened on first use (it must be made inside the running loop).
        self._session: aiohttp.ClientSession | None = None

    # -- calls ------------------------------------------------------------------------------------------
    async def call(self, method: str, body: dict[str, Any]) -> dict:
        """POST ``body`` to ``method`` (e.g. ``message/custom/send``) and return WeChat's answer; raises
        `WeChatAPIError` or `TokenUnavailable`. A token WeChat rejects is dropped and fetched again, once."""
        token = await self.access_token()
        try:
            return await self._post(method, token, body)
        except WeChatAPIError as e:
            if e.errcode not in TOKEN_ERRORS:
                raise
            log.info("wechat: access_token rejected (%s); fetching a new one", e.errcode)
            await self._forget_script(keys=[self.token_key], args=[token])
            return await self._post(method, await self.access_token(), body)

    async def send_text(self, openid: str, text: str) -> None:
        """One customer-service text message (客服消息)."""
        await self.call("message/custom/send", {"touser": openid, "msgtype": "text", "text": {"content": text}})

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- the shared access_token ------------------------------------------------------------------------
    async def access_token(self) -> str:
        token, fresh, backoff = await self.redis.mget(self.token_key, self.fresh_key, self.backoff_key)
        if token and (fresh or backoff):
            return token  # fresh, or due for refresh while the endpoint is failing: still valid
        if backoff:
            raise TokenUnavailable(f"token endpoint of {self.appid} failing; not asking again for a while")
        lock = self.redis.lock(self.lock_key, timeout=self.lock_ttl, sleep=0.05, blocking_timeout=self.lock_wait)
        if not await lock.acquire(blocking=False):
            if token:
                return token  # another worker is refreshing it; this one is still valid
            if not await lock.acquire():  # waits up to lock_wait for the worker that is fetching
                raise TokenUnavailable(f"no access_token for {self.appid} within {self.lock_wait}s")
        try:
            # Read again under the lock: the worker that held it before may have stored a token, or failed.
            token, fresh, backoff = await self.redis.mget(self.token_key, self.fresh_key, self.backoff_key)
            if token and (fresh or backoff):
                return token
            if backoff:
                raise TokenUnavailable(f"token endpoint of {self.appid} failing; not asking again for a while")
            return await self._refresh(token)
        finally:
            with contextlib.suppress(LockError):  # it expired during a fetch slower than lock_ttl
                await lock.release()

    async def _refresh(self, cached: str | None) -> str:
        """Fetch a new token (under the lock); on failure back off and fall back to ``cached``."""
        try:
            result = await self._request(
                "GET", "token", timeout=self.fetch_timeout,
                params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret})
            token = result["access_token"]
        except (WeChatAPIError, KeyError) as e:
            failures = await self.redis.incr(self.failures_key)
            await self.redis.expire(self.failures_key, 3600)
            pause = min(self.max_backoff, 2.0 ** (failures - 1))
            await self.redis.set(self.backoff_key, "1", px=int(pause * 1000))
            detail = str(e) if isinstance(e, WeChatAPIError) else "no access_token in the answer"
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

    # -- HTTP -------------------------------------------------------------------------------------------
    async def _post(self, method: str, token: str, body: dict[str, Any]) -> dict:
        return await self._request("POST", method, params={"access_token": token}, json=body)

    async def _request(self, verb: str, method: str, *, timeout: float | None = None, **kwargs: Any) -> dict:
        """One request; any failure becomes `WeChatAPIError` (errcode None for HTTP and network trouble)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        try:
            async with self._session.request(
                verb, f"{self.api_base}{method}",
                timeout=aiohttp.ClientTimeout(total=timeout if timeout is not None else self.timeout), **kwargs,
            ) as res:
                if res.status >= 400:
                    raise WeChatAPIError(None, (await res.text())[:200], status=res.status)
                # WeChat answers JSON as text/plain at times: decode whatever the content type says.
                result = await res.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError) as e:
            raise WeChatAPIError(None, f"{type(e).__name__}: {e}", status=0,
                                 unreachable=isinstance(e, aiohttp.ClientConnectorError)) from e
        if not isinstance(result, dict):
            raise WeChatAPIError(None, "answer is not a JSON object", status=0)
        if result.get("errcode"):
            raise WeChatAPIError(int(result["errcode"]), str(result.get("errmsg", "")), result=result)
        return result

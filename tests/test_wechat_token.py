"""The shared WeChat access_token when the token endpoint fails or is slow (local stand-in for the API)."""
from __future__ import annotations

import time
import uuid

import pytest

from adapters.wechat_api import TokenUnavailable, WeChatAPIError
from bot.channels import DeliveryFailed
from tests.test_wechat import make_app, wechat_api  # noqa: F401 (fixtures)


async def _channel(make_app):
    _, channel = await make_app(wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret")
    return channel


@pytest.mark.parametrize("failure", [45009, 503], ids=["errcode-45009", "http-503"])
async def test_token_endpoint_failing_backs_off_and_fails_fast(make_app, wechat_api, failure):
    api, _ = wechat_api
    api.token_failure = failure
    channel = await _channel(make_app)
    started = time.monotonic()
    for i in range(6):  # six replies while the endpoint fails: one fetch, then fail fast
        with pytest.raises(TokenUnavailable):
            await channel.cs.send_text("o-user", f"reply {i}")
    assert api.token_fetches == 1 and api.sent == []
    assert time.monotonic() - started < 3
    with pytest.raises(DeliveryFailed) as e:  # what the operator is told: an error, at once
        await channel.output.send("o-user", "您好")
    assert e.value.kind == "failed" and api.token_fetches == 1
    # the back-off ends: the next message asks again, and once the endpoint works it gets a token
    api.token_failure = None
    await channel.services.redis.delete(channel.cs.backoff_key)
    await channel.cs.send_text("o-user", "again")
    assert api.token_fetches == 2 and api.sent[-1]["content"] == "again"
    assert not await channel.services.redis.exists(channel.cs.failures_key)


async def test_token_endpoint_failing_keeps_the_cached_token(make_app, wechat_api):
    api, _ = wechat_api
    channel = await _channel(make_app)
    await channel.cs.send_text("o-user", "one")
    assert api.token_fetches == 1
    await channel.services.redis.delete(channel.cs.fresh_key)  # the refresh is due …
    api.token_failure = 45009  # … and the endpoint refuses
    for text in ("two", "three", "four"):
        await channel.cs.send_text("o-user", text)
    assert [(m["token"], m["content"]) for m in api.sent] == [
        ("TOKEN-1", "one"), ("TOKEN-1", "two"), ("TOKEN-1", "three"), ("TOKEN-1", "four")]
    assert api.token_fetches == 2  # one failed refresh, then the back-off: not one fetch per reply


async def test_slow_token_endpoint_fails_fast(make_app, wechat_api):
    api, _ = wechat_api
    api.token_delay = 3.0
    channel = await _channel(make_app)
    channel.cs.fetch_timeout = 0.3
    started = time.monotonic()
    with pytest.raises(DeliveryFailed):
        await channel.output.send("o-user", "您好")
    assert time.monotonic() - started < 2.0  # fetch_timeout, not the endpoint's 3 s
    assert isinstance(await _raises(channel.cs.send_text("o-user", "x")), TokenUnavailable)
    assert api.token_fetches == 1  # the second call did not wait for the endpoint again


async def _raises(coro) -> BaseException | None:
    try:
        await coro
    except (TokenUnavailable, WeChatAPIError) as e:
        return e
    return None

"""What one conversation leaves in Redis: the session, the whole turns only for the platform's retry
window, then one small marker per message for the rest of the 24 h de-duplication period."""
from __future__ import annotations

import asyncio
import random

import pytest

from bot.messages import Incoming
from bot.sessions import SessionKey
from tests.conftest import user_id

REFUND_WALK = ["我想退医保", "1", "1", "1", "2", "1", "1", "重新开始"]
LIMIT = 2048  # issue 14: an 8-message conversation including its dedup keys


async def memory_of(redis, channel: str, uid: str) -> dict[str, int]:
    keys = [k async for k in redis.scan_iter(match=f"bot:{{{channel}:{uid}}}:*", count=1000)]
    return {k: int(await redis.memory_usage(k, samples=0) or 0) for k in keys}


@pytest.mark.parametrize("channel, first_id", [
    ("telegram", 734_000_000),  # update ids
    ("wechat", 24_571_348_561_234_567),  # 64-bit MsgIds
])
async def test_eight_message_conversation_leaves_under_2kb(services, redis, channel, first_id):
    engine = services.engine
    engine.reply_ttl[channel] = 2  # the platform's retry window, shortened so the test can see it pass
    uid = user_id()
    ids = [str(first_id + random.randint(0, 10**6) * 10 + i) for i in range(len(REFUND_WALK))]
    for text, mid in zip(REFUND_WALK, ids, strict=True):
        turn = await engine.handle(Incoming(channel, uid, uid, mid, text))
    assert turn.state == "menu" and not turn.duplicate

    right_after = await memory_of(redis, channel, uid)
    assert f"bot:{{{channel}:{uid}}}:dedup:{ids[-1]}" in right_after  # the whole turn, for retries

    async def replies_expired() -> None:
        while any(":dedup:" in k for k in await memory_of(redis, channel, uid)):
            await asyncio.sleep(0.05)

    await asyncio.wait_for(replies_expired(), 15)
    left = await memory_of(redis, channel, uid)
    assert set(left) == {f"bot:{{{channel}:{uid}}}:session", f"bot:{{{channel}:{uid}}}:seen"}
    print(f"{channel}: right after {sum(right_after.values())} B in {len(right_after)} keys, "
          f"after the retry window {sum(left.values())} B: {left}")
    assert sum(left.values()) <= LIMIT
    assert await redis.ttl(f"bot:{{{channel}:{uid}}}:seen") > 23 * 3600

    # Every message is still recognised: a late re-delivery never moves the flow again.
    again = await engine.handle(Incoming(channel, uid, uid, ids[1], "1"))
    assert again.duplicate and again.replies == ()
    session = await services.store.get(SessionKey(channel, uid))
    assert (session.step, session.state) == (len(REFUND_WALK), "menu")


async def test_whole_turn_is_kept_for_a_retry_inside_the_window(services):
    uid = user_id()
    first = await services.engine.handle(Incoming("wechat", uid, uid, "70000001", "我想退医保"))
    retry = await services.engine.handle(Incoming("wechat", uid, uid, "70000001", "我想退医保"))
    assert retry.duplicate and retry.replies == first.replies and retry.step == first.step


async def test_markers_past_24h_are_pruned(services, redis):
    uid = user_id()
    seen = f"bot:{{console:{uid}}}:seen"
    await redis.zadd(seen, {"ancient": 1})  # expired long ago
    await services.engine.handle(Incoming("console", uid, uid, "m1", "我想退医保"))
    assert await redis.zrange(seen, 0, -1) == ["m1"]

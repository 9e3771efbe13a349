"""One contract suite for the session store, run on real Redis, on a real 3-node Redis Cluster (REDIS_URL
pointing at one node) and on the embedded (fakeredis) store."""
from __future__ import annotations

import json

import pytest

from bot.conversation import Session
from bot.sessions import RedisSessionStore, SessionKey, open_redis
from tests.conftest import user_id


@pytest.fixture(params=["redis", "embedded", "cluster"])
async def store(request, redis_url):
    url = {"redis": redis_url, "embedded": None}.get(request.param) or request.getfixturevalue("cluster_url")
    client = open_redis(url)
    s = RedisSessionStore(client, ttl_seconds=3600)
    yield s
    await s.close()


def key(channel: str = "console") -> SessionKey:
    return SessionKey(channel, user_id())


def test_key_format_always_includes_channel():
    k = SessionKey("wechat", "oABC")
    assert k.key("session") == "bot:{wechat:oABC}:session"
    assert SessionKey("telegram", "oABC").key("session") != k.key("session")
    with pytest.raises(ValueError):
        SessionKey("", "x")


async def test_get_missing_returns_none(store):
    assert await store.get(key()) is None


async def test_set_get_roundtrip_and_ttl(store):
    k = key()
    s = Session(locale="en", flow="refund", state="ask_reason", slots={"ins_type": "居民"}, step=3)
    await store.set(k, s)
    loaded = await store.get(k)
    assert loaded is not None
    assert (loaded.locale, loaded.flow, loaded.state, loaded.slots, loaded.step) == (
        "en", "refund", "ask_reason", {"ins_type": "居民"}, 3)
    ttl = await store.redis.ttl(k.key("session"))
    assert 3500 < ttl <= 3600


async def test_same_user_on_two_channels_are_separate(store):
    uid = user_id()
    await store.set(SessionKey("wechat", uid), Session(flow="refund"))
    assert await store.get(SessionKey("telegram", uid)) is None


async def test_delete(store):
    k = key()
    await store.set(k, Session())
    await store.delete(k)
    assert await store.get(k) is None


async def test_unknown_fields_in_stored_json_are_ignored(store):
    k = key()
    await store.redis.set(k.key("session"), json.dumps({"flow": "refund", "future_field": 1}))
    loaded = await store.get(k)
    assert loaded is not None and loaded.flow == "refund"


async def test_begin_acquires_then_second_caller_is_locked(store):
    k = key()
    assert await store.begin(k, "m1", "tok1", 5000) == ("acquired", "", "")
    assert (await store.begin(k, "m2", "tok2", 5000))[0] == "locked"
    # the same message id while the first copy is in flight
    assert (await store.begin(k, "m1", "tok3", 5000))[0] == "pending"


async def test_commit_saves_records_turn_and_unlocks(store):
    k = key()
    await store.begin(k, "m1", "tok1", 5000)
    assert await store.commit(k, "m1", "tok1", Session(flow="refund", step=1), '{"t":1}', 600)
    assert (await store.get(k)).flow == "refund"
    assert await store.begin(k, "m1", "tok2", 5000) == ("done", '{"t":1}', "")
    status, payload, _ = await store.begin(k, "m2", "tok2", 5000)
    assert status == "acquired" and json.loads(payload)["flow"] == "refund"


async def test_commit_with_a_stale_token_writes_nothing(store):
    k = key()
    await store.begin(k, "m1", "tok1", 5000)
    assert not await store.commit(k, "m1", "someone-else", Session(flow="refund"), "{}", 600)
    assert await store.get(k) is None
    assert await store.redis.get(k.key("lock")) == "tok1"


async def test_abort_releases_lock_and_forgets_message(store):
    k = key()
    await store.begin(k, "m1", "tok1", 5000)
    await store.abort(k, "m1", "tok1")
    assert await store.begin(k, "m1", "tok2", 5000) == ("acquired", "", "")


async def test_lock_expires_on_its_own(store):
    k = key()
    await store.begin(k, "m1", "tok1", 50)
    await store.redis.pexpire(k.key("lock"), 1)
    await store.redis.pexpire(k.key("dedup:m1"), 1)
    import asyncio

    await asyncio.sleep(0.05)
    assert (await store.begin(k, "m1", "tok2", 5000))[0] == "acquired"


async def test_begin_returns_the_handoff_pointer_and_save_never_writes_it(store):
    k = key()
    await store.redis.set(k.key("handoff"), '{"ticket": "t1"}')
    status, _, handoff = await store.begin(k, "m1", "tok1", 5000)
    assert (status, json.loads(handoff)) == ("acquired", {"ticket": "t1"})
    await store.commit(k, "m1", "tok1", Session(handoff={"ticket": "stale"}), "{}", 600)
    assert "handoff" not in json.loads(await store.redis.get(k.key("session")))
    assert await store.redis.get(k.key("handoff")) == '{"ticket": "t1"}'

"""The engine over real Redis (single and cluster): no interleaving, no lost updates, retries answered once."""
from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio as aioredis

from bot.conversation import Session
from bot.engine import Engine, SessionBusy
from bot.messages import Incoming, Reply, Text, Turn
from bot.sessions import RedisSessionStore, SessionKey
from tests.conftest import Chat, steal_lock_before_first_commit, user_id



@pytest.fixture(params=["redis", "cluster"])
def redis_url(request, redis_url):
    """The engine's contract holds on a single Redis and on a real 3-node Redis Cluster (URL of one node)."""
    return redis_url if request.param == "redis" else request.getfixturevalue("cluster_url")

class CountingDialogue:
    """Appends each message's text to a slot, slowly, so that interleaving would lose updates."""

    def __init__(self, delay: float = 0.0, fail_on: str | None = None) -> None:
        self.delay = delay
        self.fail_on = fail_on
        self.calls = 0

    def new_session(self, msg: Incoming) -> Session:
        return Session(state="menu")

    def handle(self, s: Session, msg: Incoming) -> Turn:
        self.calls += 1
        if msg.text == self.fail_on:
            raise RuntimeError("boom")
        s.step += 1
        s.slots.setdefault("seen", []).append(msg.text)
        return Turn((Reply((Text("common-went-back"),)),), s.locale, s.step, state=s.state, slots=dict(s.slots))


class SlowStore(RedisSessionStore):
    """Sleeps between load and save, widening the window in which a lost update could happen."""

    delay = 0.05

    async def commit(self, *a, **kw):
        await asyncio.sleep(self.delay)
        return await super().commit(*a, **kw)


def msg(uid: str, text: str, message_id: str | None = None) -> Incoming:
    return Incoming("console", uid, uid, message_id or uuid.uuid4().hex, text)


async def test_concurrent_messages_of_one_user_are_serialised(redis):
    store = SlowStore(redis)
    engine = Engine(store, CountingDialogue())
    uid = user_id()
    turns = await asyncio.gather(*(engine.handle(msg(uid, f"m{i}")) for i in range(2)))
    saved = await store.get(SessionKey("console", uid))
    assert sorted(saved.slots["seen"]) == ["m0", "m1"]  # both applied, none lost
    assert saved.step == 2
    assert sorted(t.step for t in turns) == [1, 2]


async def test_many_concurrent_messages_keep_every_update(redis):
    store = SlowStore(redis)
    store.delay = 0.005
    engine = Engine(store, CountingDialogue())
    uid = user_id()
    await asyncio.gather(*(engine.handle(msg(uid, f"m{i}")) for i in range(20)))
    saved = await store.get(SessionKey("console", uid))
    assert sorted(saved.slots["seen"]) == sorted(f"m{i}" for i in range(20))


async def test_replayed_message_id_advances_once_and_returns_same_turn(redis):
    dialogue = CountingDialogue()
    engine = Engine(RedisSessionStore(redis), dialogue)
    uid = user_id()
    first = await engine.handle(msg(uid, "hello", "wx-1"))
    again = await engine.handle(msg(uid, "hello", "wx-1"))
    assert dialogue.calls == 1
    assert again.duplicate and not first.duplicate
    assert again.to_json() == first.to_json()
    saved = await engine.store.get(SessionKey("console", uid))
    assert saved.slots["seen"] == ["hello"]


async def test_retry_arriving_while_first_copy_runs_waits_for_its_answer(redis):
    dialogue = CountingDialogue()
    engine = Engine(SlowStore(redis), dialogue)
    uid = user_id()
    a, b = await asyncio.gather(engine.handle(msg(uid, "x", "dup")), engine.handle(msg(uid, "x", "dup")))
    assert dialogue.calls == 1
    assert {a.duplicate, b.duplicate} == {True, False}
    assert a.step == b.step == 1


async def test_dialogue_failure_leaves_session_untouched_and_retry_can_succeed(redis):
    dialogue = CountingDialogue(fail_on="bad")
    engine = Engine(RedisSessionStore(redis), dialogue)
    uid = user_id()
    await engine.handle(msg(uid, "ok"))
    with pytest.raises(RuntimeError):
        await engine.handle(msg(uid, "bad", "m-bad"))
    saved = await engine.store.get(SessionKey("console", uid))
    assert saved.slots["seen"] == ["ok"]
    dialogue.fail_on = None
    turn = await engine.handle(msg(uid, "bad", "m-bad"))  # the platform's retry is processed afresh
    assert not turn.duplicate and turn.slots["seen"] == ["ok", "bad"]


async def test_busy_session_raises_after_wait(redis):
    store = RedisSessionStore(redis)
    engine = Engine(store, CountingDialogue(), lock_wait=0.1)
    uid = user_id()
    await store.begin(SessionKey("console", uid), "held", "other-worker", 5000)
    with pytest.raises(SessionBusy):
        await engine.handle(msg(uid, "x"))


async def test_retry_machinery_only_when_contended(redis, monkeypatch):
    """An uncontended message never enters bot/retry.py; a message that waits for the lock does, and its
    turn comes once the other message's lock is gone."""
    import bot.engine

    entered = []
    real = bot.engine.retrying

    def counting(**kw):
        entered.append(kw)
        return real(**kw)

    monkeypatch.setattr(bot.engine, "retrying", counting)
    store = RedisSessionStore(redis)
    engine = Engine(store, CountingDialogue(), lock_wait=5)
    uid = user_id()
    assert (await engine.handle(msg(uid, "a"))).slots["seen"] == ["a"]
    assert entered == []
    key = SessionKey("console", uid)
    await store.begin(key, "held", "other-worker", 5000)
    waiting = asyncio.create_task(engine.handle(msg(uid, "b")))
    while not entered:  # the first attempt found the lock taken
        await asyncio.sleep(0.005)
    assert not waiting.done()
    await store.abort(key, "held", "other-worker")
    turn = await asyncio.wait_for(waiting, 5)
    assert turn.slots["seen"] == ["a", "b"] and len(entered) == 1


async def test_lost_lock_is_detected_and_message_reprocessed(redis):
    store = RedisSessionStore(redis)
    dialogue = CountingDialogue()
    engine = Engine(store, dialogue)
    uid = user_id()
    stolen = steal_lock_before_first_commit(store, redis)  # our lock timed out meanwhile
    turn = await engine.handle(msg(uid, "x"))
    assert stolen and dialogue.calls == 2 and turn.slots["seen"] == ["x"]


async def test_two_redis_round_trips_per_message(redis, round_trips):
    engine = Engine(RedisSessionStore(redis), CountingDialogue())
    uid = user_id()
    await engine.handle(msg(uid, "warm-up"))  # scripts get loaded on first use
    sent = round_trips()
    await engine.handle(msg(uid, "x"))
    assert len(sent) == 2


class Recorder:
    """A middleware that short-circuits messages while 'relaying', and reacts to effects after."""

    def __init__(self) -> None:
        self.effects: list[str] = []

    async def before(self, session, msg):
        if session.handoff:
            return Turn((), session.locale, session.step, intent="relayed", handoff=True)
        return None

    async def after(self, session, msg, turn):
        self.effects += [e["type"] for e in turn.effects]
        return turn


async def test_middleware_sees_effects_and_can_answer_instead_of_the_dialogue(services, redis):
    rec = Recorder()
    services.engine.use(rec)
    chat = Chat(services)
    turn = await chat("转人工")
    assert turn["intent"] == "handoff" and rec.effects == ["handoff_requested"]
    await redis.set(SessionKey("console", chat.user).key("handoff"), '{"ticket": "t1"}')
    turn = await chat("有人吗")
    assert turn["intent"] == "relayed" and turn["handoff"] is True and turn["text"] == ""
    await redis.delete(SessionKey("console", chat.user).key("handoff"))
    turn = await chat("菜单")
    assert turn["state"] == "menu" and turn["handoff"] is False


async def test_the_engine_lane_leaves_the_pool_to_other_commands(own_redis):
    """The engine's begin/commit keep some connections of the client's pool for themselves (bot/sessions.py
    `_Lane`): never so many that the client's other commands run out once a burst of messages is over. (A
    plain server: the cluster client keeps redis-py's own path, no lane.)"""
    client = aioredis.from_url(own_redis.url, decode_responses=True, max_connections=8)
    try:
        engine = Engine(RedisSessionStore(client), CountingDialogue())
        for _ in range(3):  # bursts as wide as the pool
            users = [user_id() for _ in range(8)]
            turns = await asyncio.gather(*(engine.handle(Incoming("console", u, u, "m1", "hi")) for u in users))
            assert len(turns) == 8 and not any(t.duplicate for t in turns)
        assert len(engine.store._lane.idle) <= 2  # a quarter of the pool
        assert await client.ping()  # the rest went back to the pool
        assert len(client.connection_pool._in_use_connections) <= 2
    finally:
        await client.aclose()

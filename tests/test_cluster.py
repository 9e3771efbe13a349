"""Every key family on a real 3-node Redis Cluster, with REDIS_URL pointing at one node.

The session, handoff and announcement contract tests run on the cluster too (test_sessions.py,
test_handoff.py, test_announce.py); these cover what they do not: detection, many users spread over every
node, and the channels' own keys (WeChat nonces, delivery claims and access token; Telegram update ids).
"""
from __future__ import annotations

import uuid

from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio.cluster import RedisCluster

from adapters.app import SERVICES, create_app
from adapters.wechat import WECHAT
from bot.runtime import build_services
from bot.sessions import SessionKey, probe
from tests.conftest import Chat, make_settings
from tests.test_telegram import Tg, sends, telegram_settings
from tests.test_telegram import api  # noqa: F401 (a fixture)
from tests.test_wechat import REFUND_ANSWERS, TOKEN, Peer, until
from tests.test_wechat import wechat_api  # noqa: F401 (a fixture)


async def test_cluster_mode_is_detected_and_users_on_every_node_work(cluster_url):
    assert probe(cluster_url).cluster is True
    services = build_services(make_settings(redis_url=cluster_url))
    try:
        assert isinstance(services.redis, RedisCluster)
        await services.redis.initialize()

        def node(chat: Chat) -> str:
            return services.redis.get_node_from_key(SessionKey("console", chat.user).key("session")).name

        chats = [Chat(services) for _ in range(6)]
        while len({node(c) for c in chats}) < 3:  # make sure every node holds some of these users
            chats.append(Chat(services))
        for chat in chats:
            assert (await chat.walk("我想退医保", "1"))["state"] == "ask_reason"
        for chat in chats:
            saved = await services.store.get(SessionKey("console", chat.user))
            assert saved is not None and saved.state == "ask_reason"
    finally:
        await services.close()


async def test_wechat_conversation_and_customer_service_on_a_cluster(cluster_url, wechat_api):
    api, base = wechat_api
    app = create_app(make_settings(redis_url=cluster_url, wechat_token=TOKEN, wechat_api_base=base,
                                   wechat_appid="wx" + uuid.uuid4().hex[:16], wechat_appsecret="s3cret"))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        channel = app[WECHAT]
        channel.text_limit = 600  # the last answer goes out in pieces through the customer-service API
        peer = Peer(client, TOKEN)
        await peer.event("CLICK", key="flow:refund")
        for answer in REFUND_ANSWERS:
            reply = await peer.say(answer)
        assert reply
        await until(lambda: api.texts_to(peer.openid) and api.texts_to(peer.openid)[-1].rstrip().endswith("转人工"))
        await channel.drain()
        assert api.token_fetches == 1  # the shared access_token and its lock work on the cluster
        session = await channel.services.store.get(SessionKey("wechat", peer.openid))
        assert (session.flow, session.state) == ("refund", "done_online")


async def test_telegram_updates_deduplicated_on_a_cluster(cluster_url, api):  # noqa: F811
    app = create_app(telegram_settings(cluster_url, api))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        tg = Tg(client, api)
        update = tg.message("我想退医保")
        first = await tg.post(update)
        assert tg.status == 200 and len(sends(first)) == 1
        again = sends(await tg.post(update))  # the redelivery is recognised: its stored reply again, no new step
        assert [c.params for c in again] == [c.params for c in sends(first)]
        assert (await tg.session()).state == "ask_ins_type"
        calls = await tg.press("居民")
        assert any("退费" in c.params.get("text", "") or c.buttons() for c in sends(calls))
        assert (await tg.session()).state == "ask_reason"


async def test_many_concurrent_first_messages_after_start_up_on_a_cluster(cluster_url):
    """redis-py's async cluster client fails when many commands race to initialise it; the app loads the
    slot map at start-up, so a burst of messages right after it (here 30 users at once) all work."""
    import asyncio

    app = create_app(make_settings(redis_url=cluster_url))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        services = client.app[SERVICES]
        chats = [Chat(services) for _ in range(30)]
        turns = await asyncio.gather(*(chat("我想退医保") for chat in chats))
        assert all(t["flow"] == "refund" for t in turns)

from aiohttp.test_utils import TestClient, TestServer

from adapters.app import create_app
from tests.conftest import make_settings


async def test_healthz_reports_ok_over_real_redis(settings):
    app = create_app(settings)
    async with TestClient(TestServer(app)) as client:
        resp = await client.get("/healthz")
        assert resp.status == 200
        body = await resp.json()
        assert body["status"] == "ok" and body["channels"] == ["web"]  # the web chat needs no credentials


async def test_healthz_reports_degraded_when_redis_is_down():
    app = create_app(make_settings(redis_url="redis://127.0.0.1:1/0"))
    async with TestClient(TestServer(app)) as client:
        resp = await client.get("/healthz")
        assert resp.status == 503
        assert (await resp.json())["status"] == "degraded"


async def test_no_channel_routes_without_credentials():
    app = create_app(make_settings())
    async with TestClient(TestServer(app)) as client:
        assert (await client.post("/wechat", data=b"")).status == 404
        assert (await client.post("/telegram", data=b"{}")).status == 404


async def test_web_chat_can_be_switched_off():
    app = create_app(make_settings(web_chat=False))
    async with TestClient(TestServer(app)) as client:
        assert (await client.get("/web")).status == 404

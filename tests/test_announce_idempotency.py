"""A double-submitted announcement is created (and sent) once: through the HTTP admin route and the CLI."""
from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from adapters.app import create_app
from bot.announcements.admin import create
from bot.announcements.store import Store
from bot.i18n import Translator
from bot.runtime import build_services
from tests.test_announce import ann_settings, api, subscribers, wait_done, workers  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent
AUTH = {"Authorization": "Bearer t0ken"}


async def test_double_submitted_announcement_over_http_is_sent_once(redis, redis_url, api):
    settings = ann_settings(redis_url, admin_token="t0ken")
    store = Store(redis, settings.announce_key_prefix)
    await subscribers(store, [5, 6])
    body = {"target": "telegram:subscribers", "text": "医保缴费截止提醒"}
    async with TestClient(TestServer(create_app(settings, build_services(settings)))) as client:
        first, second = await asyncio.gather(*(client.post("/admin/announcements", json=body, headers=AUTH)
                                               for _ in range(2)))
        results = [await first.json(), await second.json()]
        assert sorted([first.status, second.status]) == [200, 201]
        assert results[0]["id"] == results[1]["id"]
        assert [r.get("duplicate", False) for r in sorted(results, key=lambda r: "duplicate" in r)] == [False, True]
        async with workers(settings, redis, api.url):
            await wait_done(store, results[0]["id"])
        assert sorted(s.chat for s in api.sent) == ["5", "6"]  # chat 5 got it once
        assert len(await store.list()) == 1

        # an explicit key: the same key is one announcement, whatever the body; a new key is a new one
        keyed = {"target": "telegram:chat:5", "text": "今天窗口提前下班"}
        a = await client.post("/admin/announcements", json=keyed, headers={**AUTH, "Idempotency-Key": "n-1"})
        b = await client.post("/admin/announcements", json={**keyed, "text": "改一下措辞"},
                              headers={**AUTH, "Idempotency-Key": "n-1"})
        c = await client.post("/admin/announcements", json={**keyed, "idempotency_key": "n-2"}, headers=AUTH)
        assert (a.status, b.status, c.status) == (201, 200, 201)
        ids = [(await r.json())["id"] for r in (a, b, c)]
        assert ids[0] == ids[1] != ids[2]
        bad = await client.post("/admin/announcements", json={**keyed, "idempotency_key": 7}, headers=AUTH)
        assert bad.status == 400


async def test_derived_key_tells_apart_targets_and_schedules(redis, redis_url):
    settings = ann_settings(redis_url)
    store = Store(redis, settings.announce_key_prefix)
    tr = Translator()
    made = [await create(store, tr, target=t, text="公告", at=at) for t, at in [
        ("telegram:chat:5", None), ("telegram:chat:6", None), ("telegram:chat:5", "2030-01-01T09:00+08:00"),
        ("telegram:chat:5", None)]]
    assert len({m["id"] for m in made}) == 3 and made[3]["id"] == made[0]["id"] and made[3]["duplicate"]


async def test_double_submitted_announcement_from_the_cli_is_created_once(redis, redis_url):
    settings = ann_settings(redis_url)
    env = {**os.environ, "REDIS_URL": redis_url, "ANNOUNCE_KEY_PREFIX": settings.announce_key_prefix}
    cmd = [sys.executable, "-m", "bot", "announce", "create", "--target", "telegram:subscribers",
           "--text", "医保缴费截止提醒", "--json"]

    async def run() -> dict:
        proc = await asyncio.create_subprocess_exec(*cmd, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
                                                    stderr=asyncio.subprocess.PIPE)
        out, err = await proc.communicate()
        assert proc.returncode == 0, err.decode()
        return json.loads(out)

    first, second = await asyncio.gather(run(), run())
    assert first["id"] == second["id"] and [first.get("duplicate"), second.get("duplicate")].count(True) == 1
    assert len(await Store(redis, settings.announce_key_prefix).list()) == 1

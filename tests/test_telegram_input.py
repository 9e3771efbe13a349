"""Bad input on the Telegram webhook: bodies that are not JSON, or JSON nested beyond reason."""
from __future__ import annotations

import json

from tests.test_telegram import HEADER, SECRET, api, sends, tg  # noqa: F401 (fixtures)


async def test_telegram_deeply_nested_json_gets_400(tg, api):
    depth = 100_000
    body = b"[" * depth + b"]" * depth
    resp = await tg.client.post("/telegram", data=body,
                                headers={HEADER: SECRET, "Content-Type": "application/json"})
    assert resp.status == 400 and "Traceback" not in await resp.text()
    deep_object = b'{"update_id": 1, "message": ' + b'{"a":' * 20_000 + b"1" + b"}" * 20_000 + b"}"
    resp = await tg.client.post("/telegram", data=deep_object,
                                headers={HEADER: SECRET, "Content-Type": "application/json"})
    assert resp.status == 400
    assert len(sends(await tg.say("菜单"))) == 1 and tg.status == 200  # and the channel still answers


async def test_telegram_text_plain_body_is_refused(tg, api):
    update = tg.message("菜单")
    resp = await tg.client.post("/telegram", data=json.dumps(update).encode(),
                                headers={HEADER: SECRET, "Content-Type": "text/plain"})
    assert resp.status == 415
    assert not api.of("sendMessage")
    assert await tg.session() is None
    resp = await tg.client.post("/telegram", data=json.dumps(update).encode(),
                                headers={HEADER: SECRET, "Content-Type": "application/json"})
    assert resp.status == 200 and await tg.session() is not None  # the same update as JSON is handled

"""A local Telegram Bot API stand-in for the announcement tests and bench, and the sender's tests
against it (how each platform answer becomes an `Outcome`).

`BotAPIStandIn` records every sendMessage with its arrival time and can answer 429 (retry_after), 403,
a group migration or a 400 for chosen chat ids. The WeChat API stand-in is tests/fixtures/wechat/api.py.
"""
from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from dataclasses import dataclass, field

from aiohttp import web

from bot.announcements.senders import TelegramSender


@dataclass
class Sent:
    at: float
    chat: str
    text: str


@dataclass
class BotAPIStandIn:
    delay: float = 0.0
    retry_once: dict[str, int] = field(default_factory=dict)  # chat → retry_after, answered once
    forbidden: set[str] = field(default_factory=set)
    migrate: dict[str, str] = field(default_factory=dict)  # old chat → new chat
    bad: set[str] = field(default_factory=set)
    sent: list[Sent] = field(default_factory=list)
    errors: list[tuple[float, str, int]] = field(default_factory=list)  # (at, chat, status)
    url: str = ""

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None

    async def start(self) -> "BotAPIStandIn":
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> "BotAPIStandIn":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _handle(self, request: web.Request) -> web.Response:
        at = time.time()
        if request.match_info["method"].lower() != "sendmessage":
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        form = await request.post()
        chat, text = str(form["chat_id"]), str(form["text"])
        if self.delay:
            await asyncio.sleep(self.delay)
        if chat in self.retry_once:
            after = self.retry_once.pop(chat)
            return self._error(at, chat, 429, f"Too Many Requests: retry after {after}", {"retry_after": after})
        if chat in self.forbidden:
            return self._error(at, chat, 403, "Forbidden: bot was blocked by the user")
        if chat in self.migrate:
            return self._error(at, chat, 400, "Bad Request: group chat was upgraded to a supergroup chat",
                               {"migrate_to_chat_id": int(self.migrate[chat])})
        if chat in self.bad:
            return self._error(at, chat, 400, "Bad Request: chat not found")
        self.sent.append(Sent(at, chat, text))
        return web.json_response({"ok": True, "result": {
            "message_id": next(self._ids), "date": int(at), "text": text,
            "chat": {"id": int(chat), "type": "private" if int(chat) > 0 else "supergroup"}}})

    def _error(self, at: float, chat: str, status: int, description: str, parameters: dict | None = None) -> web.Response:
        self.errors.append((at, chat, status))
        body = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=status)

    # -- checks -------------------------------------------------------------------------------------------
    def counts(self) -> Counter:
        return Counter(s.chat for s in self.sent)

    def requests(self) -> list[tuple[float, str]]:
        """Every request that reached the stand-in (sent or refused): what a rate limit is about."""
        return sorted([(s.at, s.chat) for s in self.sent] + [(a, c) for a, c, _ in self.errors])

    def max_in_window(self, window: float = 1.0, chat: str | None = None) -> int:
        times = [a for a, c in self.requests() if chat is None or c == chat]
        best, j = 0, 0
        for i, t in enumerate(times):
            while times[j] <= t - window:
                j += 1
            best = max(best, i - j + 1)
        return best


# -- the senders against the stand-ins ---------------------------------------------------------------------
async def test_telegram_sender_maps_each_answer_to_an_outcome():
    async with BotAPIStandIn(retry_once={"2": 7}, forbidden={"3"}, migrate={"-4": "-1004"}, bad={"5"}) as api:
        sender = TelegramSender("123:abc", api.url)
        try:
            ok = await sender.send("1", "hello")
            retry = await sender.send("2", "hello")
            forbidden = await sender.send("3", "hello")
            migrated = await sender.send("-4", "hello")
            bad = await sender.send("5", "hello")
        finally:
            await sender.close()
    assert ok.kind == "sent" and ok.message_id == "1"
    assert retry.kind == "retry" and retry.retry_after == 7
    assert forbidden.kind == "forbidden" and "blocked" in forbidden.detail
    assert migrated.kind == "migrated" and migrated.new_chat_id == "-1004"
    assert bad.kind == "failed" and "chat not found" in bad.detail
    assert [s.chat for s in api.sent] == ["1"]


async def test_telegram_sender_refused_connection_is_transient_not_unknown():
    sender = TelegramSender("123:abc", "http://127.0.0.1:1")
    try:
        out = await sender.send("1", "hello")
    finally:
        await sender.close()
    assert out.kind == "transient"

"""One Bearer-token guard for the HTTP routes that need one (operator API, announcements admin, metrics)."""
from __future__ import annotations

import hmac
from typing import Awaitable, Callable, Sequence

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def bearer_ok(request: web.Request, tokens: Sequence[str]) -> bool:
    """The request carries ``Authorization: Bearer <one of tokens>`` (constant-time; never true for none)."""
    auth = request.headers.get("Authorization", "")
    presented = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
    return bool(presented) and any(hmac.compare_digest(presented.encode(), t.encode()) for t in tokens if t)


def bearer_guard(tokens: Sequence[str], handler: Handler, *, missing: str = "token required",
                 wrong: str = "forbidden") -> Handler:
    """401 without a Bearer token, 403 with a wrong one (always, when ``tokens`` is empty), else ``handler``."""
    async def guarded(request: web.Request) -> web.StreamResponse:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return web.json_response({"error": missing}, status=401, headers={"WWW-Authenticate": "Bearer"})
        if not bearer_ok(request, tokens):
            return web.json_response({"error": wrong}, status=403)
        return await handler(request)

    return guarded

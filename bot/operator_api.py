"""The operator HTTP API (for a web console): list the queue, claim, reply, close. Bearer-token auth.

    GET  /operator/tickets                 open tickets, oldest first, with queue positions
    GET  /operator/tickets/{id}            one ticket with its (masked) transcript
    POST /operator/tickets/{id}/claim      {"operator": "alice"}
    POST /operator/tickets/{id}/reply      {"operator": "alice", "text": "…"}
    POST /operator/tickets/{id}/close      {"operator": "alice", "text"?: "last words, sent before the closing line"}

Answers: 200 done; 401 no token; 403 wrong token; 404 no such ticket; 409 closed or someone else's;
422 bad body; 502 the reply could not reach the user (``result`` says why, e.g. ``window_expired``);
503 the user's messages are being handled right now (``busy``): try again. A close with a ``text`` answers
``{"result": "ok", "text": "delivered" | "queued_outbox" | "window_expired" | …}``.
Tickets carry ``waited`` (seconds in the queue) and ``flags`` (WeChat's 48-hour window, failed deliveries). The
operations themselves are `bot.operator_ops.OperatorOps`, which the web console (/console) calls too.
"""
from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.auth import Handler, bearer_guard
from bot.operator_ops import OperatorOps, http_status
from bot.runtime import Services



def setup(app: web.Application, services: Services) -> bool:
    token = services.settings.operator_api_token
    if token is None or not token.get_secret_value():
        return False
    api = OperatorAPI(OperatorOps(services.handoff, services.translator), token.get_secret_value())
    app.router.add_get("/operator/tickets", api.guard(api.list))
    app.router.add_get("/operator/tickets/{id}", api.guard(api.show))
    app.router.add_post("/operator/tickets/{id}/claim", api.guard(api.claim))
    app.router.add_post("/operator/tickets/{id}/reply", api.guard(api.reply))
    app.router.add_post("/operator/tickets/{id}/close", api.guard(api.close))
    return True


class OperatorAPI:
    def __init__(self, ops: OperatorOps, token: str) -> None:
        self.ops = ops
        self.token = token

    def guard(self, handler: Handler) -> Handler:
        return bearer_guard([self.token], handler, missing="missing bearer token", wrong="wrong token")

    async def list(self, request: web.Request) -> web.Response:
        return _json({"tickets": await self.ops.queue()})

    async def show(self, request: web.Request) -> web.Response:
        shown = await self.ops.show(request.match_info["id"])
        if shown is None:
            return _json({"error": "no such ticket"}, 404)
        return _json(shown)

    async def claim(self, request: web.Request) -> web.Response:
        body = await _body(request, "operator")
        if isinstance(body, web.Response):
            return body
        return _result(await self.ops.claim(request.match_info["id"], body["operator"]))

    async def reply(self, request: web.Request) -> web.Response:
        body = await _body(request, "operator", "text")
        if isinstance(body, web.Response):
            return body
        return _result(await self.ops.reply(request.match_info["id"], body["operator"], body["text"]))

    async def close(self, request: web.Request) -> web.Response:
        body = await _body(request, "operator")
        if isinstance(body, web.Response):
            return body
        text = body.get("text", body.get("closing"))  # "closing": the web console's name for it
        if text is not None and not isinstance(text, str):
            return _json({"error": "text must be a string"}, 422)
        result, fared = await self.ops.close(request.match_info["id"], body["operator"], text or "")
        if result == "ok" and fared is not None:
            return _json({"result": "ok", "text": fared})
        return _result(result)


async def _body(request: web.Request, *fields: str) -> dict[str, Any] | web.Response:
    try:
        data = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _json({"error": "body must be JSON"}, 422)
    if not isinstance(data, dict):
        return _json({"error": "body must be a JSON object"}, 422)
    missing = [f for f in fields if not isinstance(data.get(f), str) or not data[f].strip()]
    if missing:
        return _json({"error": f"missing or empty: {', '.join(missing)}"}, 422)
    return data


def _result(result: str) -> web.Response:
    return _json({"result": result}, http_status(result))


def _json(data: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda d: json.dumps(d, ensure_ascii=False))

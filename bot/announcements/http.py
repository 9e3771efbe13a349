"""Admin HTTP routes, all behind ``Authorization: Bearer <ADMIN_TOKEN>`` (401 without it, 403 when wrong).

    GET  /admin/announcements                 recent announcements with counts
    POST /admin/announcements                 {"target", "text" | "locale_id", "at"?, "dry_run"?,
                                               "idempotency_key"? (or an Idempotency-Key header)} → 201 / 200
                                              (200 with "duplicate": true when it was created already)
    GET  /admin/announcements/{id}            delivery report: counts, failed and unknown targets with reasons
    POST /admin/announcements/{id}/cancel     stop sending what is still pending
"""
from __future__ import annotations

from typing import Awaitable, Callable

from aiohttp import web

from bot.announcements import token_ok
from bot.announcements.admin import AdminError, create
from bot.announcements.store import Store

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def setup(app: web.Application, services) -> bool:  # noqa: ANN001 — bot.runtime.Services
    settings = services.settings
    store = Store(services.redis, settings.announce_key_prefix)

    def guarded(handler: Handler) -> Handler:
        async def wrapper(request: web.Request) -> web.StreamResponse:
            auth = request.headers.get("Authorization", "")
            if not auth.startswith("Bearer "):
                return web.json_response({"error": "admin token required"}, status=401,
                                         headers={"WWW-Authenticate": "Bearer"})
            if not token_ok(settings, auth.removeprefix("Bearer ").strip()):
                return web.json_response({"error": "forbidden"}, status=403)
            return await handler(request)

        return wrapper

    async def list_(request: web.Request) -> web.Response:
        limit = min(200, int(request.query.get("limit", "20")))
        return web.json_response([a.summary() for a in await store.list(limit)])

    async def create_(request: web.Request) -> web.Response:
        try:
            body = await request.json()
            result = await create(store, services.translator, target=str(body.get("target", "")),
                                  text=body.get("text"), locale_id=body.get("locale_id"), at=body.get("at"),
                                  dry_run=bool(body.get("dry_run")), created_by="http",
                                  default_locale=settings.default_locale, hotline=settings.hotline,
                                  idempotency_key=body.get("idempotency_key") or request.headers.get("Idempotency-Key"))
        except (ValueError, AdminError, AttributeError) as e:
            return web.json_response({"error": str(e)}, status=400)
        return web.json_response(result, status=200 if result.get("dry_run") or result.get("duplicate") else 201)

    async def report(request: web.Request) -> web.Response:
        r = await store.report(request.match_info["id"])
        if r is None:
            return web.json_response({"error": "no such announcement"}, status=404)
        return web.json_response(r)

    async def cancel(request: web.Request) -> web.Response:
        status = await store.cancel(request.match_info["id"])
        if status is None:
            return web.json_response({"error": "no such announcement"}, status=404)
        return web.json_response({"id": request.match_info["id"], "status": status})

    app.router.add_get("/admin/announcements", guarded(list_))
    app.router.add_post("/admin/announcements", guarded(create_))
    app.router.add_get(r"/admin/announcements/{id:\d+}", guarded(report))
    app.router.add_post(r"/admin/announcements/{id:\d+}/cancel", guarded(cancel))
    return True

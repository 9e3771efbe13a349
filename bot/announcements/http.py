"""Admin HTTP routes, all behind ``Authorization: Bearer <ADMIN_TOKEN>`` (401 without it, 403 when wrong).

    GET  /admin/announcements                 recent announcements with counts
    POST /admin/announcements                 {"target", "text" | "locale_id", "at"?, "dry_run"?,
                                               "idempotency_key"? (or an Idempotency-Key header)} → 201 / 200
                                              (200 with "duplicate": true when it was created already)
    GET  /admin/announcements/{id}            delivery report: counts, failed and unknown targets with reasons
    POST /admin/announcements/{id}/cancel     stop sending what is still pending
"""
from __future__ import annotations

from aiohttp import web

from bot.announcements.admin import AdminError, create
from bot.announcements.store import Store
from bot.auth import Handler, bearer_guard


def setup(app: web.Application, services) -> bool:  # noqa: ANN001 — bot.runtime.Services
    settings = services.settings
    store = Store(services.redis, settings.announce_key_prefix)

    admin = [settings.admin_token.get_secret_value()] if settings.admin_token else []

    def guarded(handler: Handler) -> Handler:
        return bearer_guard(admin, handler, missing="admin token required")

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

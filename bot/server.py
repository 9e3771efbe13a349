"""The aiohttp application: one `create_app(settings)`; each channel adapter mounts its own routes."""
from __future__ import annotations

import importlib
import logging
from typing import AsyncIterator

from aiohttp import web

from bot import status
from bot.config import Settings
from bot.runtime import Services, build_services
from bot.sessions import warm_up

log = logging.getLogger(__name__)

SERVICES = web.AppKey("services", Services)
CHANNELS = web.AppKey("channels", list)

# Adapter modules with `setup(app, services) -> bool` (True when the channel is configured and mounted).
ADAPTERS = ("adapters.wechat", "adapters.telegram", "adapters.web", "adapters.console")


async def healthz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    try:
        await services.redis.ping()
    except Exception as e:  # report, don't crash: a load balancer reads the status code
        return web.json_response({"status": "degraded", "redis": str(e.__class__.__name__)}, status=503)
    return web.json_response({"status": "ok", "channels": request.app[CHANNELS]})


def create_app(settings: Settings, services: Services | None = None) -> web.Application:
    services = services or build_services(settings)
    app = web.Application(client_max_size=256 * 1024)
    app[SERVICES] = services
    app[CHANNELS] = []
    app.router.add_get("/healthz", healthz)
    for name in ADAPTERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:
                continue
            raise
        if module.setup(app, services):
            app[CHANNELS].append(name.rsplit(".", 1)[1])
    from bot.announcements import setup as setup_announcements

    setup_announcements(app, services)  # /admin/announcements… (Bearer ADMIN_TOKEN)
    from bot import operator_api

    if operator_api.setup(app, services):
        log.info("operator API at /operator/tickets (Bearer OPERATOR_API_TOKEN)")
    from adapters import web_console

    if web_console.setup(app, services):
        log.info("operator console at /console")
    status.setup(app, services)  # /, /readyz, /metrics, /admin/funnel.svg (bot/status.py)
    log.info("channels mounted: %s", ", ".join(app[CHANNELS]) or "none (set WECHAT_TOKEN / TELEGRAM_* to enable)")

    app.on_shutdown.append(services.handoff.drain)  # user messages still queued for the desk

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        await warm_up(services.redis)  # a cluster client loads its slot map before requests race for it
        yield
        await services.close()

    app.cleanup_ctx.append(lifecycle)
    return app

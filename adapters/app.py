"""The aiohttp application: one `create_app(settings)`, the composition root; each channel adapter mounts its
own routes, then the bot's own (announcements, operator API, status pages).

It lives in `adapters/` because it is where the channels are put together: `bot/` never imports `adapters/`
(tests/test_layering.py), only the process entry point `bot/__main__.py` calls this.
"""
from __future__ import annotations

import logging
from typing import AsyncIterator

from aiohttp import web

from adapters import telegram, web_console, wechat
from adapters import web as web_chat
from bot import status
from bot.config import Settings
from bot.runtime import Services, build_services
from bot.sessions import warm_up
from bot.status import CHANNELS

log = logging.getLogger(__name__)

SERVICES = web.AppKey("services", Services)

# Channel adapters, in mounting order: `setup(app, services) -> bool` (True when configured and mounted).
ADAPTERS = {"wechat": wechat, "telegram": telegram, "web": web_chat}


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
    for name, adapter in ADAPTERS.items():
        if adapter.setup(app, services):
            app[CHANNELS].append(name)
    from bot.announcements import setup as setup_announcements

    setup_announcements(app, services)  # /admin/announcements… (Bearer ADMIN_TOKEN)
    from bot import operator_api

    if operator_api.setup(app, services):
        log.info("operator API at /operator/tickets (Bearer OPERATOR_API_TOKEN)")
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

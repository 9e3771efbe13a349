"""What the people running the bot open: ``GET /`` (what is running), ``/readyz``, ``/metrics``, the funnel
chart, and the start-up banner that `serve` prints. Mounted by `adapters.app.create_app` after the channels.

    GET /                   a small page: channels, store, links to what is mounted (text from locales/*/ops.ftl)
    GET /healthz            liveness (adapters/app.py)
    GET /readyz             200 when Redis answers and every mounted channel finished its set-up, else 503
    GET /metrics            Prometheus text format; Bearer METRICS_TOKEN when set
    GET /admin/funnel.svg   the funnel chart (?since=7d); Bearer METRICS_TOKEN or ADMIN_TOKEN when either is set
    GET /admin/funnel.json  the same numbers as JSON, for the operator console
"""
from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from typing import Any, AsyncIterator, Iterator

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.auth import Handler, bearer_guard
from bot.funnel import FunnelStore, chart, parse_period, report
from bot.messages import Text

log = logging.getLogger(__name__)

CHANNELS = web.AppKey("channels", list)  # names of the mounted channels, in order (set by the composition root)
SETUP = web.AppKey("channel_setup", dict)  # channel → "pending" | "ok" | "failed: …", see `setting_up`

# Pages other modules may mount; listed on / and in the banner only when the route exists.
PAGES = (("/web", "home-link-web"), ("/console", "home-link-console"))


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value else None


def guarded(tokens: list[str], handler: Handler) -> Handler:
    """Open when no token is configured; otherwise 401 without a Bearer token, 403 with a wrong one."""
    return bearer_guard(tokens, handler) if tokens else handler


def has_route(app: web.Application, path: str) -> bool:
    return any(r.canonical == path or r.canonical.startswith(path + "/") for r in app.router.resources())


def _channels(app: web.Application) -> list[str]:
    return list(app[CHANNELS])


def setting_up(app: web.Application, channel: str) -> contextlib.AbstractContextManager[None]:
    """For a channel whose set-up runs at start-up (Telegram: setMyCommands, setWebhook). Called while the
    adapter mounts the channel, it marks the channel "pending" on /readyz; the adapter runs its set-up inside
    the returned context, which records "ok" when it finishes or "failed: <error>" when it raises. A channel
    that registers nothing is ready as soon as it is mounted. (The adapter calls this, so this module never
    needs to know the channels.)"""
    states = app.setdefault(SETUP, {})
    states[channel] = "pending"
    return _recording(states, channel)


@contextlib.contextmanager
def _recording(states: dict[str, str], channel: str) -> Iterator[None]:
    try:
        yield
    except Exception as e:
        states[channel] = f"failed: {e.__class__.__name__}"
        raise
    states[channel] = "ok"


def setup(app: web.Application, services: Any) -> None:
    settings = services.settings
    states = app.setdefault(SETUP, {})
    metrics_tokens = [t for t in [_secret(settings.metrics_token)] if t]
    funnel_tokens = [t for t in [_secret(settings.metrics_token), _secret(settings.admin_token)] if t]
    funnel_store = services.events.funnel if services.events is not None else FunnelStore(services.redis)

    async def home(request: web.Request) -> web.Response:
        return web.Response(text=home_page(request.app, services, _locale(request, settings.default_locale)),
                            content_type="text/html", charset="utf-8")

    async def readyz(request: web.Request) -> web.Response:
        checks: dict[str, Any] = {}
        ok = True
        try:
            await asyncio.wait_for(services.redis.ping(), 2.0)
            checks["redis"] = "ok"
        except Exception as e:  # any failure is "not ready"; the status code is what a probe reads
            services.metrics.redis_errors.labels("readyz").inc()
            checks["redis"] = f"failed: {e.__class__.__name__}"
            ok = False
        channels = {name: states.get(name, "ok") for name in _channels(request.app)}
        checks["channels"] = channels
        if any(v != "ok" for v in channels.values()):
            ok = False
        return web.json_response({"status": "ready" if ok else "not ready", **checks}, status=200 if ok else 503)

    async def metrics(request: web.Request) -> web.Response:
        body = services.metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def funnel_data(request: web.Request) -> Any:
        try:
            period = parse_period(request.query.get("since", "7d"))
        except ValueError as e:
            raise web.HTTPBadRequest(text=str(e)) from None
        return await report(funnel_store, services.dialogue.flows, period)

    async def funnel_svg(request: web.Request) -> web.Response:
        rep = await funnel_data(request)
        svg = await asyncio.to_thread(chart, rep)  # tens of ms for a large report: off the event loop
        return web.Response(body=svg, content_type="image/svg+xml", headers={"Cache-Control": "no-store"})

    async def funnel_json(request: web.Request) -> web.Response:
        return web.json_response((await funnel_data(request)).to_json())

    app.router.add_get("/", home)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", guarded(metrics_tokens, metrics))
    app.router.add_get("/admin/funnel.svg", guarded(funnel_tokens, funnel_svg))
    app.router.add_get("/admin/funnel.json", guarded(funnel_tokens, funnel_json))

    async def flusher(app: web.Application) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(services.events.run_flusher(stop)) if services.events is not None else None
        yield
        stop.set()
        if task is not None:
            await task

    app.cleanup_ctx.append(flusher)


def _locale(request: web.Request, default: str) -> str:
    from bot.i18n import normalize_locale

    asked = request.query.get("lang") or request.headers.get("Accept-Language", "").split(",")[0]
    return normalize_locale(asked) or default


def _links(app: web.Application, settings: Any) -> list[tuple[str, str]]:
    links = [(path, key) for path, key in PAGES if has_route(app, path)]
    links += [("/healthz", "home-link-healthz"), ("/readyz", "home-link-readyz"), ("/metrics", "home-link-metrics")]
    links.append(("/admin/funnel.svg", "home-link-funnel"))
    return links


def home_page(app: web.Application, services: Any, locale: str) -> str:
    tr, s = services.translator, services.settings

    def t(key: str, **params: Any) -> str:
        return html.escape(tr.text(Text(key, params), locale))

    channels = _channels(app)
    store = t("home-store-redis") if s.redis_url else t("home-store-embedded")
    items = "".join(f'<li><a href="{html.escape(path)}">{html.escape(path)}</a> — {t(key)}</li>'
                    for path, key in _links(app, s))
    return (
        f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{t("home-title")}</title>'
        "<style>body{font:16px/1.6 system-ui,sans-serif;max-width:40em;margin:2em auto;padding:0 1em}</style>"
        f"</head><body><h1>{t('home-title')}</h1><p>{t('home-intro')}</p>"
        f"<p>{t('home-channels', channels=', '.join(channels)) if channels else t('home-no-channels')}</p>"
        f"<p>{t('home-store', store=store)}</p><p>{t('home-links')}</p><ul>{items}</ul>"
        f"<p><code>{t('home-try')}</code></p></body></html>"
    )


def banner(app: web.Application, settings: Any) -> str:
    """What `make run` prints before serving: where, which channels, which store, what to do next."""
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    base = f"http://{host}:{settings.port}"
    channels = _channels(app)
    lines = [
        f"yibao-bot serving on {base}/" + (f" (listening on all interfaces, {settings.host})"
                                          if settings.host in ("0.0.0.0", "::") else ""),
        "  channels: " + (", ".join(f"{c} ({_route(c)})" for c in channels) if channels
                          else "none mounted (set WECHAT_TOKEN or TELEGRAM_BOT_TOKEN + TELEGRAM_WEBHOOK_SECRET)"),
        "  store:    " + ("Redis (REDIS_URL)" if settings.redis_url
                          else "embedded in-process store (not shared, emptied on restart; set REDIS_URL)"),
        f"  status:   {base}/  ·  {base}/readyz  ·  {base}/metrics",
        "next: talk to the bot in a terminal with `make chat`",
    ]
    for path, _key in PAGES:
        if has_route(app, path):
            lines.append(f"      or open {base}{path}")
    return "\n".join(lines)


def _route(channel: str) -> str:
    return {"wechat": "/wechat", "telegram": "/telegram"}.get(channel, f"/{channel}")

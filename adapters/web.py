"""Resident web chat at ``/web``: a mobile-first page served by the bot itself (no CDN, no web fonts, so it
loads inside WeChat's in-app browser and behind a government network), talking to the same engine as
every other channel.

    GET  /web                 the page (adapters/web_templates/chat.html); sets the session cookie
    GET  /web/static/{file}   its CSS and JavaScript (adapters/web_static/)
    GET  /web/api/history     the conversation so far (``?after=<entry id>``), locale, handoff state
    POST /web/api/message     {"id", "text"} or {"id", "payload", "step", "label"} → the new entries
    GET  /web/api/events      Server-Sent Events: every new entry, live (operator replies during a handoff)

A session per browser: the cookie holds a random id signed with itsdangerous (HttpOnly, SameSite=Lax, so
opening the page from a 公众号 menu link keeps it). POSTs must be JSON, which a cross-site form cannot
send, and the cookie does not travel on cross-site POSTs.

The conversation is a Redis stream per browser (``bot:{web:<id>}:log``, in the browser's own cluster slot,
masked, trimmed, expiring with the session; every key: bot/keys.py): the page renders from it on load, and the event stream follows it, so an operator reply that
arrives while the page is closed is there when it opens again — never lost, never shown twice (entries
have ids). Operator replies reach this channel through the handoff service's sender registry; a note on
``bot:web:push`` wakes the event streams of that browser in whichever process holds them.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import uuid
from pathlib import Path
from typing import Any, Iterable

import jinja2
from aiohttp import web
from aiohttp_sse import sse_response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from bot import keys
from bot.engine import SessionBusy
from bot.i18n import SUPPORTED
from bot.messages import Incoming, Text, Turn
from bot.privacy import mask
from bot.runtime import Services
from bot.sessions import SessionKey

log = logging.getLogger(__name__)

CHANNEL = "web"
HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "web_static"
TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "web_templates"), autoescape=True)
COOKIE = "yb_web"
LOG_MAX = 300  # entries kept per browser
PUSH = keys.WEB_PUSH  # pub/sub: the id of a browser whose conversation has a new entry
SECRET_KEY = keys.WEB_COOKIE_SECRET
MAX_TEXT = 500  # characters in one message
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
ENTRY_ID = re.compile(r"^\d{1,20}-\d{1,20}$")
# No inline script or style, nothing from elsewhere: the page works the same behind any network.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; object-src 'none'")
# Text of the page itself (not of the conversation), in every locale, for the language switch.
CHAT_STRINGS = ("web-title", "web-input-placeholder", "web-send", "web-back", "web-restart", "web-handoff",
                "web-handoff-cancel", "web-large-text", "web-other-language", "web-privacy-notice",
                "web-handoff-banner", "web-offline", "web-you", "web-bot", "web-operator", "web-sending")


# -- shared with the console ---------------------------------------------------------------------------
class Secret:
    """The cookie-signing secret: WEB_COOKIE_SECRET, or one random secret kept in Redis so that every
    worker (and a restart) signs alike."""

    def __init__(self, services: Services) -> None:
        self.services = services
        configured = services.settings.web_cookie_secret
        self.value = configured.get_secret_value() if configured and configured.get_secret_value() else None

    async def get(self) -> str:
        if self.value is None:
            redis = self.services.redis
            await redis.set(SECRET_KEY, secrets.token_urlsafe(32), nx=True)
            self.value = await redis.get(SECRET_KEY)
        return self.value

    async def serializer(self, salt: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(await self.get(), salt=salt)


class Hub:
    """One Redis subscription per process, fanned out to the event streams open in this process.

    ``wait(key)`` returns when a note naming ``key`` (or any note, for key ``*``) arrives, or after
    ``timeout`` — the streams re-read Redis then anyway, so a note lost while Redis was away costs at
    most one timeout, never a message."""

    def __init__(self, services: Services, channel: str) -> None:
        self.services = services
        self.channel = channel
        self.waiters: dict[str, set[asyncio.Event]] = {}
        self.task: asyncio.Task | None = None
        self.closing = False  # set at shutdown: open event streams end instead of holding the server up
        self.stop_channel = f"{channel}:stop:{secrets.token_hex(8)}"

    async def start(self, app: web.Application | None = None) -> None:
        self.task = asyncio.create_task(self._listen())

    async def stop(self, app: web.Application | None = None) -> None:
        self.closing = True
        for events in self.waiters.values():
            for e in events:
                e.set()
        if self.task is not None:
            # Wake the listener through its private channel so that it sees `closing` and ends. Cancelling it
            # mid-read is only the fallback: the embedded store's pub/sub can swallow such a cancellation.
            try:
                await self.services.redis.publish(self.stop_channel, "stop")
            except Exception:  # Redis away: the listener's read times out within a second anyway
                pass
            await asyncio.wait({self.task}, timeout=3)
            if not self.task.done():
                self.task.cancel()

    async def _listen(self) -> None:
        backoff = 0.5
        while not self.closing:
            pubsub = self.services.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel, self.stop_channel)
                backoff = 0.5
                while not self.closing:
                    note = await pubsub.get_message(timeout=1.0)
                    if note is not None and note.get("type") == "message" and note["channel"] == self.channel:
                        self.notify(str(note["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as e:  # Redis away: streams fall back to their timeout until it is back
                log.warning("%s: subscription lost (%s); again in %.1fs", self.channel, e, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30)
            finally:
                await _close(pubsub)

    def notify(self, key: str) -> None:
        for k in (key, "*"):
            for event in self.waiters.get(k, ()):
                event.set()

    def listen(self, key: str) -> asyncio.Event:
        event = asyncio.Event()
        self.waiters.setdefault(key, set()).add(event)
        return event

    def forget(self, key: str, event: asyncio.Event) -> None:
        events = self.waiters.get(key)
        if events is not None:
            events.discard(event)
            if not events:
                del self.waiters[key]


async def _close(pubsub: Any) -> None:
    # Bounded: the embedded store's pub/sub can wait forever for the reader that was just cancelled.
    try:
        await asyncio.wait_for(pubsub.aclose(), 1.0)
    except (asyncio.TimeoutError, OSError, ConnectionError):
        pass


async def wait_for(event: asyncio.Event, timeout: float) -> None:
    try:
        await asyncio.wait_for(event.wait(), timeout)
    except asyncio.TimeoutError:
        pass


def script_json(data: Any) -> str:
    """JSON to embed in a <script type="application/json"> element: no "</" can close the element early."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def page(template: str, *, csp: str = CSP, status: int = 200, frame: str = "'none'", **context: Any) -> web.Response:
    html = TEMPLATES.get_template(template).render(**context)
    resp = web.Response(text=html, content_type="text/html", status=status)
    resp.headers["Content-Security-Policy"] = f"{csp}; frame-ancestors {frame}"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "same-origin"
    resp.headers["Cache-Control"] = "no-store"
    return resp


def strings(services: Services, ids: Iterable[str], **params: Any) -> dict[str, dict[str, str]]:
    tr = services.translator
    return {loc: {i: tr.text(Text(i, params), loc) for i in ids} for loc in SUPPORTED}


# -- the resident chat ---------------------------------------------------------------------------------
class WebChat:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.redis = services.redis
        self.tr = services.translator
        self.secret = Secret(services)
        self.hub = Hub(services, PUSH)
        self.ttl = services.settings.session_ttl_seconds
        self.stream_timeout = 25.0

    # -- session cookie ------------------------------------------------------------------------------
    async def browser(self, request: web.Request) -> str | None:
        token = request.cookies.get(COOKIE)
        if not token:
            return None
        try:
            value = (await self.secret.serializer("yb.web")).loads(token, max_age=self.ttl)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    async def set_cookie(self, resp: web.StreamResponse, browser: str) -> None:
        token = (await self.secret.serializer("yb.web")).dumps(browser)
        resp.set_cookie(COOKIE, token, max_age=self.ttl, path="/web", httponly=True, samesite="Lax",
                        secure=self.services.settings.web_cookie_secure)

    async def _session_locale(self, browser: str | None) -> str:
        if browser:
            session = await self.services.store.get(SessionKey(CHANNEL, browser))
            if session is not None:
                return session.locale
        return self.services.settings.default_locale

    # -- HTTP ----------------------------------------------------------------------------------------
    async def page(self, request: web.Request) -> web.Response:
        browser = await self.browser(request)
        locale = await self._session_locale(browser)
        s = strings(self.services, CHAT_STRINGS)
        resp = page("chat.html", t=s[locale], locale=locale,
                    config=script_json({"locale": locale, "strings": s}))
        # (Re)issued on every page load: the cookie lives as long as the session it names.
        await self.set_cookie(resp, browser or uuid.uuid4().hex)
        return resp

    async def history(self, request: web.Request) -> web.Response:
        browser = await self.browser(request)
        if browser is None:
            return self.error("web-no-session", self.services.settings.default_locale, 401)
        after = request.query.get("after", "")
        entries = await self.entries(browser, after if ENTRY_ID.match(after) else "")
        return await self._state(browser, {"entries": entries})

    async def message(self, request: web.Request) -> web.Response:
        browser = await self.browser(request)
        fresh = browser is None
        browser = browser or uuid.uuid4().hex
        locale = await self._session_locale(None if fresh else browser)
        if request.content_type != "application/json":
            return self.error("web-bad-request", locale, 415)
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return self.error("web-bad-request", locale, 422)
        parsed = _parse(body)
        if isinstance(parsed, str):
            return self.error(parsed, locale, 413 if parsed == "web-too-long" else 422)
        mid, text, payload, step, label = parsed
        # Chinese unless the resident switches (the browser's language is not a resident's choice).
        incoming = Incoming(CHANNEL, browser, browser, f"web:{mid}", text=text, payload=payload, button_step=step)
        try:
            turn = await self.services.engine.handle(incoming)
        except SessionBusy:
            return self.error("common-busy", locale, 503)
        except Exception:
            log.exception("web: engine failed on message %s", incoming.message_id)
            return self.error("common-error", locale, 500)
        if turn.duplicate:  # a retry of a message already answered: the entries it produced
            entries = [e for e in await self.entries(browser, "", last=60) if e.get("mid") == mid]
        else:
            said = mask(text) if text else mask(label)[:200]
            entries = await self.append(browser, [
                {"who": "user", "text": said, "mid": mid} if said else None,
                *self._bubbles(turn, mid)])
        resp = await self._state(browser, {"entries": entries}, turn)
        if fresh:
            await self.set_cookie(resp, browser)
        return resp

    async def events(self, request: web.Request) -> web.StreamResponse:
        browser = await self.browser(request)
        if browser is None:
            raise web.HTTPUnauthorized(text="no session")
        after = request.headers.get("Last-Event-ID") or request.query.get("after", "")
        if not ENTRY_ID.match(after):
            last = await self.redis.xrevrange(_log_key(browser), count=1)
            after = last[0][0] if last else "0-0"
        wake = self.hub.listen(browser)
        try:
            async with sse_response(request, headers={"Cache-Control": "no-store"}) as resp:
                while resp.is_connected() and not self.hub.closing:
                    wake.clear()
                    for entry in await self.entries(browser, after):
                        await resp.send(json.dumps(entry, ensure_ascii=False), id=entry["id"])
                        after = entry["id"]
                    await wait_for(wake, self.stream_timeout)
                return resp
        except (ConnectionResetError, asyncio.CancelledError):
            raise
        finally:
            self.hub.forget(browser, wake)

    def error(self, key: str, locale: str, status: int) -> web.Response:
        return web.json_response({"error": key, "message": self.tr.text(Text(key), locale)}, status=status,
                                 dumps=lambda d: json.dumps(d, ensure_ascii=False))

    # -- the conversation stream -------------------------------------------------------------------
    def _bubbles(self, turn: Turn, mid: str) -> list[dict[str, Any]]:
        out = []
        for reply in turn.replies:
            r = self.tr.render(reply, turn.locale)
            if r.text or r.options:
                out.append({"who": "bot", "text": mask(r.text), "options": [list(o) for o in r.options],
                            "step": turn.step, "mid": mid})
        return out

    async def append(self, browser: str, entries: Iterable[dict[str, Any] | None]) -> list[dict[str, Any]]:
        key = _log_key(browser)
        items = [e for e in entries if e]
        if not items:
            return []
        # One script, not a MULTI pipeline: redis-py's cluster pipeline refuses PUBLISH.
        ids = await self.redis.eval(_APPEND, 1, key, LOG_MAX, self.ttl, PUSH, browser,
                                    *(json.dumps(e, ensure_ascii=False) for e in items))
        return [{**e, "id": i} for e, i in zip(items, ids, strict=True)]

    async def entries(self, browser: str, after: str, *, last: int | None = None) -> list[dict[str, Any]]:
        key = _log_key(browser)
        if last is not None:
            rows = list(reversed(await self.redis.xrevrange(key, count=last)))
        else:
            rows = await self.redis.xrange(key, f"({after}" if after else "-", "+", count=LOG_MAX)
        return [{**json.loads(fields["e"]), "id": i} for i, fields in rows]

    async def _state(self, browser: str, data: dict[str, Any], turn: Turn | None = None) -> web.Response:
        if turn is not None:
            locale, handoff = turn.locale, turn.handoff
        else:
            locale = await self._session_locale(browser)
            handoff = bool(await self.redis.exists(SessionKey(CHANNEL, browser).key("handoff")))
        return web.json_response({**data, "locale": locale, "handoff": handoff},
                                 dumps=lambda d: json.dumps(d, ensure_ascii=False))

    # -- operator → resident (the handoff service's sender for this channel) ------------------------
    async def push(self, browser: str, text: str) -> None:
        handoff = bool(await self.redis.exists(SessionKey(CHANNEL, browser).key("handoff")))
        await self.append(browser, [{"who": "operator", "text": mask(text), "handoff": handoff}])


# KEYS: log  ARGV: maxlen, ttl, push channel, browser, entries… → the entries' stream ids
_APPEND = """
local ids = {}
for i = 5, #ARGV do
  ids[#ids + 1] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[i])
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return ids
"""


def _log_key(browser: str) -> str:
    return keys.web_log(browser)


def _parse(body: Any) -> tuple[str, str, str | None, int | None, str] | str:
    """(message id, text, payload, button step, button label), or the locale id of what is wrong."""
    if not isinstance(body, dict):
        return "web-bad-request"
    mid, text, payload, step, label = (body.get(k) for k in ("id", "text", "payload", "step", "label"))
    if not isinstance(mid, str) or not MESSAGE_ID.match(mid):
        return "web-bad-request"
    text = text.strip() if isinstance(text, str) else ""
    if len(text) > MAX_TEXT:
        return "web-too-long"
    if payload is not None and (not isinstance(payload, str) or not 0 < len(payload) <= 200):
        return "web-bad-request"
    if step is not None and (not isinstance(step, int) or isinstance(step, bool) or step < 0):
        return "web-bad-request"
    if not text and payload is None:
        return "web-empty"
    return mid, text, payload, step, label if isinstance(label, str) else ""


WEB = web.AppKey("web_chat", WebChat)


def setup(app: web.Application, services: Services) -> bool:
    """Mount ``/web`` unless WEB_CHAT=false."""
    if not services.settings.web_chat:
        return False
    chat = WebChat(services)
    app[WEB] = chat
    services.handoff.register_sender(CHANNEL, chat.push)
    app.router.add_get("/web", chat.page)
    app.router.add_get("/web/", chat.page)
    app.router.add_static("/web/static", STATIC_DIR, append_version=False)
    app.router.add_get("/web/api/history", chat.history)
    app.router.add_post("/web/api/message", chat.message)
    app.router.add_get("/web/api/events", chat.events)
    app.on_startup.append(chat.hub.start)
    app.on_shutdown.append(chat.hub.stop)
    log.info("web chat at /web")
    return True

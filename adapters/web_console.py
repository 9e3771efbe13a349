"""Operator web console at ``/console``: the ticket queue of every channel, claim, a live conversation both ways,
quick replies from the FAQ answers, close with a closing line. The operations are `bot.operator_ops.OperatorOps`,
the same code as the JSON API (bot/operator_api.py).

    GET  /console                          sign-in form, or the console when signed in
    POST /console/signin                   username, password, csrf
    POST /console/signout                  csrf
    GET  /console/api/tickets              the queue (waiting time, flow/state/slots masked, flags)
    GET  /console/api/tickets/{id}         one ticket, its transcript and the quick replies
    POST /console/api/tickets/{id}/claim   csrf
    POST /console/api/tickets/{id}/reply   csrf, text
    POST /console/api/tickets/{id}/close   csrf, closing (optional)
    GET  /console/api/events               Server-Sent Events: the id of each ticket that changed

Accounts come from OPERATOR_ACCOUNTS (JSON ``{"name": "<argon2 hash>"}``; `python -m bot operator-hash NAME`
prints one). Failed sign-ins are counted per name (CONSOLE_SIGNIN_LIMIT) and per address (5× that) in Redis (a fixed 15-minute window: two
INCRs, which every worker shares — a library limiter would need a connection of its own besides the
embedded store). Every form carries a CSRF token: before sign-in one bound to a signed cookie (double
submit), after it the one kept with the operator's session in Redis (synchronizer token).
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
from typing import Any, Awaitable, Callable

from aiohttp import web
from aiohttp_sse import sse_response
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature

from adapters.web import Hub, Secret, page, script_json, wait_for
from bot import keys
from bot.handoff import EVENTS
from bot.messages import Text
from bot.operator_ops import OperatorOps, http_status
from bot.runtime import Services

log = logging.getLogger(__name__)

COOKIE = "yb_console"
PRE_COOKIE = "yb_console_pre"
SESSION_TTL = keys.CONSOLE_SESSION_TTL
LIMIT_WINDOW = keys.CONSOLE_FAIL_WINDOW
ADDRESS_FACTOR = 5  # failed sign-ins allowed per address = this × those allowed per name
CONSOLE_STRINGS = (
    "desk-title", "desk-signout", "desk-queue", "desk-queue-empty", "desk-claim", "desk-pick",
    "desk-context", "desk-flow", "desk-state", "desk-slots", "desk-transcript", "desk-reply",
    "desk-reply-placeholder", "desk-send", "desk-quick-replies", "desk-close",
    "desk-closing-placeholder", "desk-flag-window-expired", "desk-flag-quota", "desk-flag-blocked",
    "desk-who-user", "desk-who-operator", "desk-who-system", "desk-status-queued", "desk-status-assigned",
    "desk-status-closed",
)
# Sentences with a parameter go to the page with a {name} slot that the script fills in.
CONSOLE_TEMPLATES = {
    "desk-waiting": "minutes", "desk-claimed-by": "operator", "desk-flag-window-closing": "minutes",
    "desk-flag-delivery-failed": "detail", "desk-result-failed": "result", "desk-signed-in-as": "operator",
}
Handler = Callable[[web.Request, str, str], Awaitable[web.StreamResponse]]


class Console:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.redis = services.redis
        self.tr = services.translator
        self.locale = services.settings.default_locale
        self.accounts = {k: v.get_secret_value() for k, v in services.settings.operator_accounts.items()}
        self.limit = services.settings.console_signin_limit
        self.ops = OperatorOps(services.handoff, services.translator)
        self.secret = Secret(services)
        self.hub = Hub(services, EVENTS)
        self.hasher = PasswordHasher()
        self._dummy: str | None = None
        self.stream_timeout = 25.0

    def t(self, key: str, **params: Any) -> str:
        return self.tr.text(Text(key, params), self.locale)

    # -- cookies and sessions ----------------------------------------------------------------------
    async def _cookie(self, request: web.Request, name: str, max_age: int) -> str | None:
        token = request.cookies.get(name)
        if not token:
            return None
        try:
            value = (await self.secret.serializer(f"yb.{name}")).loads(token, max_age=max_age)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    async def _set_cookie(self, resp: web.StreamResponse, name: str, value: str, max_age: int) -> None:
        token = (await self.secret.serializer(f"yb.{name}")).dumps(value)
        resp.set_cookie(name, token, max_age=max_age, path="/console", httponly=True, samesite="Strict",
                        secure=self.services.settings.web_cookie_secure)

    async def session(self, request: web.Request) -> dict[str, str] | None:
        sid = await self._cookie(request, COOKIE, SESSION_TTL)
        if sid is None:
            return None
        raw = await self.redis.get(keys.console_session(sid))
        if not raw:
            return None
        data = json.loads(raw)
        return data if data.get("operator") in self.accounts else None  # an account removed from the config

    # -- pages -------------------------------------------------------------------------------------
    async def index(self, request: web.Request) -> web.Response:
        session = await self.session(request)
        if session is None:
            return await self._signin_page(request)
        strings = {i: self.t(i) for i in CONSOLE_STRINGS}
        strings.update({i: self.t(i, **{p: "{" + p + "}"}) for i, p in CONSOLE_TEMPLATES.items()})
        config = {"csrf": session["csrf"], "operator": session["operator"], "strings": strings}
        return page("console.html", locale=self.locale, t=strings, operator=session["operator"], csrf=session["csrf"],
                    config=script_json(config))

    async def _signin_page(self, request: web.Request, error: str = "", status: int = 200,
                           username: str = "") -> web.Response:
        token = await self._cookie(request, PRE_COOKIE, 3600) or secrets.token_urlsafe(24)
        resp = page("signin.html", status=status, locale=self.locale, csrf=token, error=error, username=username,
                    title=self.t("desk-title"), signin=self.t("desk-signin"),
                    user_label=self.t("desk-username"), password_label=self.t("desk-password"),
                    no_accounts=self.t("desk-no-accounts") if not self.accounts else "")
        await self._set_cookie(resp, PRE_COOKIE, token, 3600)
        return resp

    async def signin(self, request: web.Request) -> web.Response:
        form = await request.post()
        username = str(form.get("username", "")).strip()[:64]
        password = str(form.get("password", ""))[:256]
        expected = await self._cookie(request, PRE_COOKIE, 3600)
        if expected is None or not hmac.compare_digest(str(form.get("csrf", "")), expected):
            return await self._signin_page(request, self.t("desk-form-expired"), 403, username)
        counters = [keys.console_failures("addr", request.remote or "-"),
                    keys.console_failures("name", username.lower())]
        by_address, by_name = (int(c or 0) for c in await self.redis.mget(counters))
        # An office shares one address: it may fail more often than one name before it is held back.
        if by_name >= self.limit or by_address >= self.limit * ADDRESS_FACTOR:
            return await self._signin_page(request, self.t("desk-signin-limited"), 429, username)
        if not await self._verify(username, password):
            pipe = self.redis.pipeline(transaction=True)
            for k in counters:
                pipe.incr(k)
                pipe.expire(k, LIMIT_WINDOW, nx=True)
            await pipe.execute()
            log.warning("console: failed sign-in for %r from %s", username, request.remote)
            return await self._signin_page(request, self.t("desk-signin-failed"), 401, username)
        await self.redis.delete(counters[1])
        sid = secrets.token_urlsafe(24)
        await self.redis.set(keys.console_session(sid), json.dumps({"operator": username, "csrf": secrets.token_urlsafe(24)}),
                             ex=SESSION_TTL)
        log.info("console: %s signed in", username)
        resp = web.HTTPSeeOther("/console")
        await self._set_cookie(resp, COOKIE, sid, SESSION_TTL)
        resp.del_cookie(PRE_COOKIE, path="/console")
        raise resp

    async def _verify(self, username: str, password: str) -> bool:
        stored = self.accounts.get(username)
        loop = asyncio.get_running_loop()
        if stored is None:
            # Same work for an unknown name as for a wrong password: the answer time tells nothing.
            if self._dummy is None:
                self._dummy = await loop.run_in_executor(None, self.hasher.hash, secrets.token_hex(8))
            stored = self._dummy
        try:
            return await loop.run_in_executor(None, self.hasher.verify, stored, password) and username in self.accounts
        except (VerifyMismatchError, VerificationError):
            return False
        except InvalidHashError:
            log.error("console: the password hash of %r is not an argon2 hash (see OPERATOR_ACCOUNTS)", username)
            return False

    async def signout(self, request: web.Request) -> web.Response:
        session = await self.session(request)
        form = await request.post()
        if session is not None and hmac.compare_digest(str(form.get("csrf", "")), session["csrf"]):
            sid = await self._cookie(request, COOKIE, SESSION_TTL)
            await self.redis.delete(keys.console_session(sid))
        resp = web.HTTPSeeOther("/console")
        resp.del_cookie(COOKIE, path="/console")
        raise resp

    # -- the API behind the page --------------------------------------------------------------------
    def guard(self, handler: Handler, *, post: bool = False) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def checked(request: web.Request) -> web.StreamResponse:
            session = await self.session(request)
            if session is None:
                return _json({"error": "signed out"}, 401)
            if post:
                form = await request.post()
                if not hmac.compare_digest(str(form.get("csrf", "")), session["csrf"]):
                    return _json({"error": "bad csrf token"}, 403)
            return await handler(request, session["operator"], session["csrf"])
        return checked

    async def tickets(self, request: web.Request, operator: str, csrf: str) -> web.Response:
        return _json({"tickets": await self.ops.queue()})

    async def ticket(self, request: web.Request, operator: str, csrf: str) -> web.Response:
        shown = await self.ops.show(request.match_info["id"])
        if shown is None:
            return _json({"error": "no such ticket"}, 404)
        return _json({**shown, "quick_replies": self.ops.quick_replies(shown["ticket"]["locale"])})

    async def claim(self, request: web.Request, operator: str, csrf: str) -> web.Response:
        return _result(await self.ops.claim(request.match_info["id"], operator))

    async def reply(self, request: web.Request, operator: str, csrf: str) -> web.Response:
        text = str((await request.post()).get("text", "")).strip()
        if not text:
            return _json({"error": "empty reply"}, 422)
        return _result(await self.ops.reply(request.match_info["id"], operator, text[:4000]))

    async def close(self, request: web.Request, operator: str, csrf: str) -> web.Response:
        closing = str((await request.post()).get("closing", ""))[:4000]
        return _result((await self.ops.close(request.match_info["id"], operator, closing))[0])

    async def events(self, request: web.Request, operator: str, csrf: str) -> web.StreamResponse:
        """A ``changed`` event whenever any ticket changes; the page then re-reads what it shows."""
        wake = self.hub.listen("*")
        try:
            async with sse_response(request, headers={"Cache-Control": "no-store"}) as resp:
                await resp.send("ready", event="ready")
                while resp.is_connected() and not self.hub.closing:
                    wake.clear()
                    await wait_for(wake, self.stream_timeout)
                    if wake.is_set():
                        await resp.send("changed", event="changed")
                return resp
        finally:
            self.hub.forget("*", wake)


def _json(data: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda d: json.dumps(d, ensure_ascii=False))


def _result(result: str) -> web.Response:
    return _json({"result": result}, http_status(result))


CONSOLE = web.AppKey("web_console", Console)


def setup(app: web.Application, services: Services) -> bool:
    """Mount ``/console`` (it says how to add accounts when OPERATOR_ACCOUNTS is empty)."""
    console = Console(services)
    app[CONSOLE] = console
    app.router.add_get("/console", console.index)
    app.router.add_post("/console/signin", console.signin)
    app.router.add_post("/console/signout", console.signout)
    app.router.add_get("/console/api/tickets", console.guard(console.tickets))
    app.router.add_get("/console/api/tickets/{id}", console.guard(console.ticket))
    app.router.add_post("/console/api/tickets/{id}/claim", console.guard(console.claim, post=True))
    app.router.add_post("/console/api/tickets/{id}/reply", console.guard(console.reply, post=True))
    app.router.add_post("/console/api/tickets/{id}/close", console.guard(console.close, post=True))
    app.router.add_get("/console/api/events", console.guard(console.events))
    app.on_startup.append(console.hub.start)
    app.on_shutdown.append(console.hub.stop)
    return bool(console.accounts)

"""WeChat official account channel (公众号): `GET/POST /wechat`, plain and safe (AES) mode.

WeChat posts each user message as XML and waits 5 s for a passive XML reply; without one it retries the
same message three times, then shows the user "该公众号暂时无法提供服务". So: answer within a deadline,
de-duplicate retries (MsgId; events FromUserName + CreateTime), and send what does not fit — or what was
not ready in time — through the customer-service API.
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import redis.asyncio as aioredis
from aiohttp import ClientPayloadError, web
from xml.parsers import expat

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from redis.exceptions import RedisError
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.events import BaseEvent
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.messages import BaseMessage, TextMessage, VoiceMessage
from wechatpy.utils import WeChatSigner

from adapters.wechat_api import UNAUTHORIZED, TokenUnavailable, WeChatAPI, WeChatAPIError
from bot import keys
from bot.channels import DeliveryFailed, Sent, Undelivered
from bot.config import Settings
from bot.engine import SessionBusy
from bot.i18n import Rendered, Translator
from bot.messages import Incoming, Reply, Text, Turn
from bot.privacy import carry_of, mask
from bot.retry import RetryLater, retrying
from bot.runtime import Services
from bot.sessions import Claim, ClaimRefused, SessionKey

log = logging.getLogger(__name__)

CHANNEL = "wechat"
# A text reply's Content may be at most 2048 bytes (passive replies and customer-service messages alike).
TEXT_LIMIT = 2048
# WeChat gives up after 5 s; leave room for the network and the reply's encryption.
DEADLINE = 4.5
# Plain-mode signatures cover only token + timestamp + nonce, so a captured URL stays valid: bound its age.
TIMESTAMP_WINDOW = 300
# User messages are at most a few KB; anything near the app's 256 KB cap is not from WeChat. The cap holds
# for chunked bodies (no Content-Length) too: the body is read in pieces and refused once past it.
MAX_BODY = 64 * 1024
# WeChat posts the whole body at once and gives up after 5 s: a body still arriving after this is a slow
# client holding a connection open (slowloris); it is dropped with one log line.
BODY_TIMEOUT = 5.0
# MsgId is a 64-bit integer (the de-duplication key): at most 20 digits.
MSGID = re.compile(r"\d{1,20}")
# Option values that a custom-menu button's EventKey may carry (see docs/wechat.md).
PAYLOAD_PREFIXES = ("cmd:", "flow:", "faq:")
# customer-service messages only within 48 h of the user's last message: "response out of time limit"
OUT_OF_WINDOW = 45015
# … and only so many per message of the user: "out of response count limit"
OUT_OF_QUOTA = 45047
# Users whose last message's open number length (privacy.carry_of) is remembered for the log line.
LOG_CARRY_USERS = 10_000
# WeChat retries a message it got no answer to within 5 s, three times (about 15 s in all): the engine keeps
# the whole turn this long for those retries, and only a marker afterwards (bot/sessions.py).
REPLY_WINDOW = 60
# A turn the customer-service API could not deliver is shown again at the user's next message within this time.
UNDELIVERED_TTL = 3600


class BadRequest(Exception):
    """A request that is not a well-formed WeChat message (answered with a 4xx, nothing changed)."""


@dataclass(frozen=True)
class Received:
    """A verified, parsed request: the message and what is needed to answer it."""

    message: BaseMessage
    kind: str  # MsgType as sent: text, image, …, event (wechatpy maps types it does not know to "unknown")
    nonce: str
    encrypted: bool
    claim: Claim  # the (timestamp, nonce) → body digest record, written with the engine's first round trip


class WeChatChannel:
    def __init__(self, services: Services) -> None:
        s = services.settings
        self.services = services
        self.token = s.wechat_token.get_secret_value() if s.wechat_token else ""
        self.crypto: WeChatCrypto | None = None
        if s.wechat_aes_key:
            if not s.wechat_appid:
                raise ValueError("WECHAT_AES_KEY (safe mode) needs WECHAT_APPID: messages are bound to the appid")
            key = s.wechat_aes_key.get_secret_value()
            try:
                self.crypto = WeChatCrypto(self.token, key, s.wechat_appid)
            except (AssertionError, ValueError) as e:
                raise ValueError("WECHAT_AES_KEY must be the 43-character EncodingAESKey") from e
        self.output = build_output(s, services.redis, services.translator)
        self.cs: WeChatAPI | None = self.output.api  # None: no appid/secret, only passive replies
        self.undelivered = Undelivered(services.redis, UNDELIVERED_TTL)
        self.clock: Callable[[], float] = time.time
        self.deadline = DEADLINE
        self.text_limit = TEXT_LIMIT
        self.body_timeout = BODY_TIMEOUT
        self._log_carry: dict[str, int] = {}  # openid → carry_of(previous message), for the log line only
        self._inflight: dict[tuple[str, str], asyncio.Task[Turn]] = {}
        self._late: set[tuple[str, str]] = set()
        self._tasks: set[asyncio.Task] = set()
        services.engine.reply_ttl[CHANNEL] = REPLY_WINDOW

    # -- HTTP ----------------------------------------------------------------------------------------
    async def verify(self, request: web.Request) -> web.Response:
        """Server URL check when the account admin saves the configuration: echo ``echostr`` if signed.

        It uses the plain signature in safe mode too (official accounts do not encrypt ``echostr``)."""
        q = request.query
        if not self._signed(q.get("signature", ""), q.get("timestamp", ""), q.get("nonce", "")):
            raise web.HTTPForbidden(text="bad signature")
        if "echostr" not in q:
            raise web.HTTPBadRequest(text="echostr missing")
        return web.Response(text=q["echostr"])

    async def receive(self, request: web.Request) -> web.StreamResponse:
        started = asyncio.get_running_loop().time()
        try:
            received = await self._receive(request)
        except BadRequest as e:
            log.info("wechat: rejected request: %s", e)
            raise web.HTTPBadRequest(text="bad request") from None
        except _SlowBody:
            return await _answer_and_drop(request, web.Response(status=408, text="body too slow"))
        except web.HTTPForbidden as e:
            if request.content.is_eof():
                raise
            # unauthenticated, its body not read: answer and hang up instead of waiting for the rest of it
            return await _answer_and_drop(request, web.Response(status=e.status, text=e.text))
        msg = received.message
        incoming = self._incoming(msg)
        if incoming is None:
            try:
                await self._check_claim(received.claim)
            except RedisError as e:  # Redis down or hanging: never a 500 (see below)
                log.error("wechat: Redis unavailable (replay check): %s", e.__class__.__name__)
                return _success() if received.kind == "event" else self._reply(received, self._store_down_text())
            if received.kind == "event":
                return _success()  # unsubscribe, view, location reports, …: nothing to say
            if msg.type == "unknown":
                # A MsgType WeChat may add later (or a forged one): no text reply that could be wrong;
                # counted per type so a new kind of message shows up in `HGETALL bot:wechat:unknown_msgtypes`.
                with contextlib.suppress(RedisError):  # a count; never worth a 500
                    pipe = self.services.redis.pipeline(transaction=True)
                    pipe.hincrby(keys.WECHAT_UNKNOWN_MSGTYPES, received.kind[:32], 1)
                    pipe.expire(keys.WECHAT_UNKNOWN_MSGTYPES, keys.WECHAT_COUNTER_TTL)
                    await pipe.execute()
                log.info("wechat: MsgType %r not understood; answered success", received.kind[:32])
                return _success()
            key = "wechat-unsupported-type"
            return self._reply(received, self.services.translator.text(Text(key), await self._locale(msg.source)))
        if log.isEnabledFor(logging.DEBUG):  # a line per message: LOG_LEVEL=DEBUG
            log.debug("wechat %s from %s: %s", msg.type, incoming.user_id, self._log_text(incoming))
        try:
            # WeChat's 5 s count from the request: what reading it took is not left for the turn.
            turn = await self._turn(incoming, received.claim,
                                    self.deadline - (asyncio.get_running_loop().time() - started))
        except ClaimRefused:
            raise web.HTTPForbidden(text="replayed nonce") from None
        except SessionBusy:
            return self._reply(received, await self._say("common-busy", msg.source))
        except RedisError as e:
            # Redis down or hanging: a valid passive apology in time (never a 500, which WeChat shows as
            # 「该公众号暂时无法提供服务」); nothing was saved, so the user's resend is processed afresh.
            log.error("wechat: Redis unavailable for message %s: %s", incoming.message_id, e.__class__.__name__)
            return self._reply(received, self._store_down_text())
        except Exception:
            log.exception("wechat: engine failed on message %s", incoming.message_id)
            return self._reply(received, await self._say("common-error", msg.source))
        if turn is None:  # not ready in time: WeChat must not retry into a busy session; deliver later
            return _success()
        if (turn.duplicate or (incoming.user_id, incoming.message_id) in self._late) and not await self._claim(
            incoming, "passive"
        ):
            return _success()  # the late answer already went out through the customer-service API
        chunks = await self._chunks(turn)
        if not chunks[0]:
            return _success()
        response = self._reply(received, chunks[0])
        if len(chunks) > 1:
            # Send the passive reply first so the remainder arrives after it, then the rest in the background.
            await response.prepare(request)
            await response.write_eof()
            self._spawn(self._send_rest(incoming, chunks[1:], turn))
        return response

    async def _receive(self, request: web.Request) -> Received:
        q = request.query
        timestamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
        if self.crypto is None and not self._signed(q.get("signature", ""), timestamp, nonce):
            raise web.HTTPForbidden(text="bad signature")
        if self.crypto is not None and not q.get("msg_signature"):
            raise web.HTTPForbidden(text="safe mode: msg_signature required")
        body = await self._read_body(request)
        if self.crypto is not None:
            envelope = _xml_fields(body)
            if not envelope.get("Encrypt"):
                raise BadRequest("safe mode: no Encrypt element")
            # Check the signature (it covers the ciphertext) before anything is remembered or decrypted.
            if not self._signed(q["msg_signature"], timestamp, nonce, envelope["Encrypt"]):
                raise web.HTTPForbidden(text="bad signature")
            claim = self._fresh(timestamp, nonce, body)
            try:
                body = self.crypto.decrypt_message(
                    {"Encrypt": envelope["Encrypt"]}, q["msg_signature"], timestamp, nonce
                ).encode("utf-8")
            except InvalidSignatureException:
                raise web.HTTPForbidden(text="bad signature") from None
            except Exception as e:  # signed by our token but not decryptable: wrong AES key or appid
                log.error("wechat: cannot decrypt a signed message (check WECHAT_AES_KEY / WECHAT_APPID): %r", e)
                raise BadRequest("undecryptable") from None
        else:
            claim = self._fresh(timestamp, nonce, body)
        fields = _xml_fields(body)
        if not all(fields.get(f, "").strip() for f in ("MsgType", "FromUserName", "CreateTime")):
            raise BadRequest("MsgType, FromUserName or CreateTime missing")
        if fields["MsgType"].strip().lower() != "event" and not fields.get("MsgId", "").strip():
            raise BadRequest("MsgId missing")  # it is the de-duplication key of every user message
        if fields.get("MsgId", "").strip() and not MSGID.fullmatch(fields["MsgId"].strip()):
            raise BadRequest("MsgId is not a 64-bit number")
        kind = fields["MsgType"].strip().lower()
        try:
            if kind == "text":
                # The fields already parsed make the message wechatpy's parse_message would (it reads the
                # same flat elements through xmltodict, which strips their whitespace): a text message,
                # nearly every request, is not parsed a second time.
                message: BaseMessage = TextMessage({k: v.strip() for k, v in fields.items()})
            else:
                message = parse_message(body.decode("utf-8"))
            message.time  # noqa: B018 — CreateTime must be an integer; fail here, not mid-turn
        except Exception as e:
            raise BadRequest(f"unparsable message: {e.__class__.__name__}") from None
        return Received(message, kind, nonce, self.crypto is not None, claim)

    def _log_text(self, incoming: Incoming) -> str:
        """The message for the log line, masked with what this user's previous message left open (an ID
        split over two messages). The carry is a length, kept per user in this process only, for at most
        LOG_CARRY_USERS users: a user whose messages reach several workers gets the masking without it."""
        if not incoming.text:
            return incoming.payload or ""
        carry = self._log_carry.pop(incoming.user_id, 0)
        following = carry_of(incoming.text)
        if following:
            self._log_carry[incoming.user_id] = following
            while len(self._log_carry) > LOG_CARRY_USERS:
                self._log_carry.pop(next(iter(self._log_carry)))
        return mask(incoming.text, carry)

    async def _read_body(self, request: web.Request) -> bytes:
        """The body, at most MAX_BODY bytes (with or without Content-Length), within ``body_timeout``.

        aiohttp has neither a body read timeout nor a per-route size cap (client_max_size is app-wide and
        only applies to request.read()), so the body is read here piece by piece."""
        if request.content_length is not None and request.content_length > MAX_BODY:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length)
        content = request.content
        if content.is_eof():
            # The whole body came with the headers (WeChat's small posts almost always do): take it as is.
            body = content.read_nowait()
            if len(body) > MAX_BODY:
                raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=len(body))
            return body
        parts: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.body_timeout):
                while chunk := await request.content.read(16 * 1024):
                    size += len(chunk)
                    if size > MAX_BODY:  # aiohttp reads (lingers on) the rest for at most 10 s
                        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=size)
                    parts.append(chunk)
        except TimeoutError:
            log.warning("wechat: dropped client %s: body not complete after %.1fs (%d bytes)",
                        request.remote, self.body_timeout, size)
            raise _SlowBody from None
        except (ConnectionError, ClientPayloadError, asyncio.IncompleteReadError) as e:
            log.info("wechat: client %s went away mid-body (%d bytes): %s", request.remote, size,
                     e.__class__.__name__)
            raise web.HTTPBadRequest(text="incomplete body") from None
        return b"".join(parts)

    def _signed(self, signature: str, timestamp: str, nonce: str, *extra: str) -> bool:
        if not (signature and timestamp and nonce):
            return False
        # wechatpy's check_signature algorithm (safe mode adds the ciphertext), compared in constant time.
        signer = WeChatSigner()
        signer.add_data(self.token, timestamp, nonce, *extra)
        return hmac.compare_digest(signer.signature, signature.lower())

    def _fresh(self, timestamp: str, nonce: str, body: bytes) -> Claim:
        """Refuse old timestamps; the claim that refuses a (timestamp, nonce) pair seen before with a
        different body.

        The plain signature does not cover the body, so a captured URL could carry any message; binding
        the pair to the first body's digest stops that, while WeChat's identical retries still pass (and
        are then answered from the engine's de-duplication). The engine writes the claim in its first
        round trip (`Engine.handle(claim=…)`); what does not reach the engine checks it itself."""
        try:
            age = abs(self.clock() - int(timestamp))
        except ValueError:
            raise web.HTTPForbidden(text="bad timestamp") from None
        if age > TIMESTAMP_WINDOW:
            raise web.HTTPForbidden(text="stale timestamp")
        return Claim(keys.wechat_nonce(timestamp, nonce), hashlib.sha256(body).hexdigest(),
                     2 * TIMESTAMP_WINDOW + 60)

    async def _check_claim(self, claim: Claim) -> None:
        previous = await self.services.redis.set(claim.key, claim.value, nx=True, ex=claim.ttl, get=True)
        if previous is not None and previous != claim.value:
            raise web.HTTPForbidden(text="replayed nonce")

    # -- messages → engine ---------------------------------------------------------------------------
    def _incoming(self, msg: BaseMessage) -> Incoming | None:
        """The neutral message for the engine, or None for what the bot does not read."""
        user = msg.source
        raw = {"MsgType": msg.type, "CreateTime": msg.time}
        if isinstance(msg, TextMessage) and (msg.content or "").strip():
            return Incoming(CHANNEL, user, user, str(msg.id), text=msg.content.strip(), raw=raw)
        if isinstance(msg, VoiceMessage) and (msg.recognition or "").strip():
            # Accounts with speech recognition switched on get the words with the voice message.
            return Incoming(CHANNEL, user, user, str(msg.id), text=msg.recognition.strip(), raw=raw)
        if not isinstance(msg, BaseEvent):
            return None
        event = msg.event
        message_id = f"{user}:{msg.time}:{event}"
        if event in ("subscribe", "subscribe_scan"):
            return Incoming(CHANNEL, user, user, message_id, payload="cmd:greet", raw=raw)
        if event == "click":
            key = (msg.key or "").strip()
            if not key:
                return None
            message_id = f"{message_id}:{key}"
            if key.startswith(PAYLOAD_PREFIXES):
                return Incoming(CHANNEL, user, user, message_id, payload=key, raw=raw)
            return Incoming(CHANNEL, user, user, message_id, text=key, raw=raw)
        return None

    async def _turn(self, incoming: Incoming, claim: Claim | None = None,
                    timeout: float | None = None) -> Turn | None:
        """The engine's turn, or None when it is not ready within the deadline (it is then delivered
        through the customer-service API when done). A retry arriving meanwhile in this process waits
        on the same task; one arriving at another worker waits in the engine for the stored turn."""
        key = (incoming.user_id, incoming.message_id)
        task = self._inflight.get(key)
        if task is not None and claim is not None:
            await self._check_claim(claim)  # joining a run in flight: its own request must pass the check too
        if task is None:
            task = asyncio.create_task(self.services.engine.handle(incoming, claim=claim))
            self._inflight[key] = task
            task.add_done_callback(lambda t: self._inflight.pop(key, None) if self._inflight.get(key) is t else None)
        try:
            # asyncio.timeout around shield: what wait_for(shield(…)) does, without wait_for's own task.
            async with asyncio.timeout(max(0.0, self.deadline if timeout is None else timeout)):
                return await asyncio.shield(task)
        except TimeoutError:
            if key not in self._late:
                self._late.add(key)
                self._spawn(self._deliver_late(incoming, task))
            log.warning("wechat: message %s not answered within %.1fs", incoming.message_id, self.deadline)
            return None

    async def _deliver_late(self, incoming: Incoming, task: asyncio.Task[Turn]) -> None:
        key = (incoming.user_id, incoming.message_id)
        try:
            turn = await task
        except (RedisError, SessionBusy) as e:
            log.error("wechat: late turn for %s failed: %s", incoming.message_id, e.__class__.__name__)
            return
        except Exception:
            log.exception("wechat: late turn for %s failed", incoming.message_id)
            return
        finally:
            asyncio.get_running_loop().call_later(60, self._late.discard, key)
        if not await self._cs_available():
            return  # WeChat's retry of this MsgId gets the stored turn as its passive reply
        if await self._claim(incoming, "cs"):
            await self._send_rest(incoming, await self._chunks(turn), turn, guard=False)

    async def _claim(self, incoming: Incoming, how: str) -> bool:
        """Decide once who delivers a turn that was late: the passive reply to a retry, or the API."""
        key = keys.wechat_delivered(incoming.user_id, incoming.message_id)
        redis = self.services.redis
        try:
            if await redis.set(key, how, nx=True, ex=keys.WECHAT_CLAIM_TTL):
                return True
            return await redis.get(key) == how
        except RedisError:
            return how == "passive"  # cannot coordinate: answering twice beats not answering

    # -- rendering -----------------------------------------------------------------------------------
    async def _chunks(self, turn: Turn) -> list[str]:
        """The turn as texts of at most ``text_limit`` bytes: all of it when the customer-service API
        can carry the rest, else one text cut short with a note, keeping the numbered options."""
        tr = self.services.translator
        rendered = [tr.render(r, turn.locale) for r in turn.replies]
        whole = "\n\n".join(r.numbered() for r in rendered if r.text or r.options)
        if _size(whole) <= self.text_limit:
            return [whole]
        if await self._cs_available():
            return split_text(whole, self.text_limit)
        options = [o for r in rendered for o in r.options]
        tail = Rendered("", tuple(options)).numbered().strip()
        note = tr.text(Text("wechat-truncated", {"hotline": self.services.settings.hotline}), turn.locale)
        room = self.text_limit - _size("\n\n".join(filter(None, [note, tail]))) - 2
        body = "\n\n".join(r.text for r in rendered if r.text)
        head = split_text(body, room)[0] if room > 16 else ""
        return split_text("\n\n".join(filter(None, [head, note, tail])), self.text_limit)[:1]

    def _reply(self, received: Received, text: str) -> web.Response:
        msg = received.message
        now = int(self.clock())
        xml = text_reply_xml(msg.target, msg.source, text, now)
        if received.encrypted:
            assert self.crypto is not None
            xml = self.crypto.encrypt_message(xml, received.nonce, str(now))
        return web.Response(text=xml, content_type="application/xml")

    async def _locale(self, openid: str) -> str:
        try:
            session = await self.services.store.get(SessionKey(CHANNEL, openid))
        except RedisError:
            session = None
        return session.locale if session else self.services.settings.default_locale

    async def _say(self, key: str, openid: str) -> str:
        return self.services.translator.text(Text(key), await self._locale(openid))

    def _store_down_text(self) -> str:
        # The user's language is in the session, which is out of reach: the deployment's default.
        return self.services.translator.text(Text("common-store-down"), self.services.settings.default_locale)

    # -- customer-service API ------------------------------------------------------------------------
    async def _cs_available(self) -> bool:
        if self.cs is None:
            return False
        try:
            return not await self.services.redis.exists(keys.WECHAT_CS_UNAUTHORIZED)
        except RedisError:
            return False  # keep the answer in the passive reply

    async def _send_rest(self, incoming: Incoming, chunks: list[str], turn: Turn, *, guard: bool = True) -> None:
        """What the passive reply could not carry (or all of a late turn), through the output. When it cannot
        be delivered, ``turn`` is remembered (bot/channels.py `Undelivered`): the user's next message gets the
        pending question again instead of being read as an answer to a question they never saw."""
        text = "\n\n".join(c for c in chunks if c.strip())  # a relay turn has no text: never send an empty message
        if self.cs is None or not text:
            return
        if guard and not await self.services.redis.set(
            keys.wechat_rest(incoming.user_id, incoming.message_id), "1", nx=True, ex=keys.WECHAT_CLAIM_TTL
        ):
            return  # a retry's passive reply: the remainder went out the first time
        try:
            await self.output.send(incoming.user_id, text)
        except DeliveryFailed as e:
            if e.reason == "unsupported":
                # This account type may not use the API: cut long replies short for the next hour.
                await self.services.redis.set(keys.WECHAT_CS_UNAUTHORIZED, "1", ex=keys.WECHAT_CLAIM_TTL)
            log.error("wechat: customer-service send failed for %s: %s", incoming.message_id, e)
            if e.kind != "forbidden":
                with contextlib.suppress(RedisError):
                    await self.undelivered.remember(CHANNEL, incoming.user_id, turn)
        except Exception:
            log.exception("wechat: customer-service send failed for %s", incoming.message_id)

    def _spawn(self, coro) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, app: web.Application | None = None) -> None:
        """Let late deliveries finish before the process exits (on_shutdown runs before Redis closes)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=5)
        await self.output.close()


# mass send: https://developers.weixin.qq.com/doc/offiaccount/en/Message_Management/Batch_Sends_and_Originality_Checks.html
MASS_DUPLICATE = 45065  # "clientmsgid exist": this broadcast was already accepted — it counts as sent
MASS_RETRY_LATER = frozenset({45066, 45009, 45047})  # same clientmsgid within a minute / frequency limits
MASS_WAIT = 60.0  # what those ask for: WeChat names no wait, a minute clears all three
# customer-service errcodes the user must lift by writing again (bot/handoff.py holds the message till then)
WAIT_FOR_USER = {OUT_OF_WINDOW: "window_expired", OUT_OF_QUOTA: "quota_exceeded"}


class WeChatOutput:
    """WeChat's one way out (bot/channels.py), for everything that is not a passive reply: late replies and
    the rest of long ones, operator relays (customer-service API, ``message/custom/send``) and announcements
    (mass send, ``message/mass/sendall``). Texts are split under the 2048-byte limit; transient failures
    (no answer, 5xx, errcode -1) are retried with backoff within ``budget`` seconds; a token WeChat rejects
    is fetched again once (adapters/wechat_api.py).
    https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
    """

    name = CHANNEL
    pushes = True

    def __init__(self, api: WeChatAPI | None, translator: Translator | None = None, *,
                 default_locale: str = "zh-CN", attempts: int = 4, budget: float = 15.0) -> None:
        self.api = api
        self.tr = translator
        self.default_locale = default_locale
        self.attempts = attempts
        self.budget = budget

    async def send(self, user: str, reply: Reply | str, *, locale: str | None = None, step: int | None = None,
                   chat: str | None = None) -> Sent:
        if self.api is None:
            raise DeliveryFailed("failed", "unsupported", "customer-service API not configured")
        if isinstance(reply, str):
            text = reply
        else:
            if self.tr is None:
                raise DeliveryFailed("failed", "unsupported", "this output has no translator to render replies")
            text = self.tr.render(reply, locale or self.default_locale).numbered()  # options as a numbered list
        openid = chat or user
        chunks = [c for c in split_text(text, TEXT_LIMIT) if c.strip()]
        for i, chunk in enumerate(chunks):
            try:
                await self._retried(self.api.send_text, openid, chunk)
            except DeliveryFailed as e:
                e.remaining = "\n\n".join(chunks[i:]) if i else None  # what did not go out, when some did
                raise
        return Sent(openid)

    async def broadcast(self, target: str, text: str, *, key: str) -> Sent:
        """Mass send to ``wx:all`` or ``wx:tag:<id>``; ``key`` is the clientmsgid, so a resend (after a crash,
        or a retry here) is answered 45065 by WeChat and counts as sent, never as a second broadcast."""
        if self.api is None:
            raise DeliveryFailed("failed", "unsupported", "WECHAT_APPID / WECHAT_APPSECRET are not configured")
        # wechatpy 1.8's send_mass_text filters by the retired `group_id`; today's API takes `tag_id`.
        if target == "wx:all":
            flt: dict = {"is_to_all": True}
        else:
            flt = {"is_to_all": False, "tag_id": int(target.removeprefix("wx:tag:"))}
        body = {"filter": flt, "msgtype": "text", "text": {"content": text}, "clientmsgid": key,
                "send_ignore_reprint": 0}
        try:
            result = await self._retried(self.api.call, "message/mass/sendall", body, duplicate_ok=True)
        except _Duplicate as d:
            return Sent(target, str(d.result.get("msg_id", "")))
        return Sent(target, str(result.get("msg_id", "")))

    async def _retried(self, call, *args, duplicate_ok: bool = False):
        """``call(*args)`` with transient failures retried (bot/retry.py); platform refusals become
        `DeliveryFailed` here, once, for every caller."""
        try:
            async for attempt in retrying(attempts=self.attempts, budget=self.budget):
                with attempt:
                    try:
                        return await call(*args)
                    except WeChatAPIError as e:
                        if e.transient:
                            raise RetryLater(str(e)) from e
                        if duplicate_ok and e.errcode in MASS_RETRY_LATER:
                            raise RetryLater(str(e), after=MASS_WAIT) from e
                        raise
        except RetryLater as e:
            cause = e.__cause__
            if isinstance(cause, WeChatAPIError) and cause.errcode in MASS_RETRY_LATER:
                raise DeliveryFailed("failed", "rate_limited", str(cause), retry_after=MASS_WAIT) from cause
            if isinstance(cause, WeChatAPIError) and cause.unreachable:  # never reached WeChat: safe to resend
                raise DeliveryFailed("failed", "unreachable", str(cause)) from cause
            # the request may have arrived (a 5xx or a timeout after it went out)
            raise DeliveryFailed("unknown", "error", str(cause or e)) from e
        except WeChatAPIError as e:
            if duplicate_ok and e.errcode == MASS_DUPLICATE:
                raise _Duplicate(e.result) from e
            if e.errcode in WAIT_FOR_USER:
                raise DeliveryFailed("forbidden", WAIT_FOR_USER[e.errcode], f"errcode {e.errcode}") from e
            if e.errcode == UNAUTHORIZED:
                raise DeliveryFailed("failed", "unsupported", f"errcode {e.errcode}") from e
            raise DeliveryFailed("failed", "error", str(e)) from e
        except TokenUnavailable as e:  # the token endpoint is failing: fail at once (its back-off is shared)
            raise DeliveryFailed("failed", "error", str(e)) from e

    async def close(self) -> None:
        if self.api is not None:
            await self.api.close()


class _Duplicate(Exception):
    def __init__(self, result: dict) -> None:
        super().__init__("clientmsgid exists")
        self.result = result


def build_output(settings: Settings, redis: aioredis.Redis, translator: Translator | None = None,
                 *, timeout: float = 5.0) -> WeChatOutput:
    """WeChat's output for any process (web app, announcement worker): the API only with appid + secret."""
    api = None
    if settings.wechat_appid and settings.wechat_appsecret:
        api = WeChatAPI(redis, settings.wechat_appid, settings.wechat_appsecret.get_secret_value(),
                        settings.wechat_api_base, timeout=timeout)
    return WeChatOutput(api, translator, default_locale=settings.default_locale)


def announcement_output(settings: Settings, redis: aioredis.Redis) -> WeChatOutput | None:
    """For the announcement worker's entry point (bot/announcements/cli.py): None without appid + secret."""
    if not (settings.wechat_appid and settings.wechat_appsecret):
        return None
    return build_output(settings, redis, timeout=settings.announce_request_timeout)


class _SlowBody(Exception):
    """The body did not arrive within the body timeout."""


async def _answer_and_drop(request: web.Request, response: web.Response) -> web.Response:
    """Send ``response``, then close the connection instead of reading the rest of the body: aiohttp would
    linger up to 10 s draining an unread body, which is just what a slow client wants."""
    await response.prepare(request)
    await response.write_eof()
    if request.protocol is not None:
        request.protocol.force_close()
    return response


def _success() -> web.Response:
    # "success" tells WeChat not to retry and to show nothing (the answer comes later, or never).
    return web.Response(text="success")


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _xml_fields(body: bytes) -> dict[str, str]:
    """The child elements of a WeChat ``<xml>`` document (each one's text before any element inside it, as
    ElementTree's ``child.text``), parsed with DTDs and entities refused.

    Refusing any DOCTYPE stops external entities (XXE) and entity expansion (billion laughs) before a
    single entity is read; WeChat never sends one. The refusing handlers are defusedxml's (its
    expatreader sets the same four on expat); the document is read with expat's callbacks directly rather
    than through defusedxml.ElementTree, whose pure-Python tree builder cost several times more per
    message than the rest of the parse."""
    fields: dict[str, str] = {}
    parts: list[str] = []
    depth = 0
    root = ""
    child: str | None = None

    def start(tag: str, attrs: object) -> None:
        nonlocal depth, root, child
        depth += 1
        if depth == 1:
            root = tag
        elif depth == 2:
            child = tag
            parts.clear()
        elif depth == 3 and child is not None:  # the child's text ends where an element inside it starts
            fields[child] = "".join(parts)
            child = None

    def end(tag: str) -> None:
        nonlocal depth, child
        if depth == 2 and child is not None:
            fields[child] = "".join(parts)
            child = None
        depth -= 1

    def data(text: str) -> None:
        if child is not None and depth == 2:
            parts.append(text)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_unparsed_entity
    parser.ExternalEntityRefHandler = _refuse_external
    try:
        parser.Parse(body, True)
    except DefusedXmlException as e:
        raise BadRequest(f"forbidden XML construct: {e.__class__.__name__}") from None
    except (expat.ExpatError, ValueError) as e:
        raise BadRequest(f"malformed XML: {e}") from None
    if root != "xml":
        raise BadRequest(f"unexpected root element {root[:40]!r}")
    return fields


def _refuse_doctype(name: str, sysid: str | None, pubid: str | None, internal_subset: bool) -> None:
    raise DTDForbidden(name, sysid, pubid)


def _refuse_entity(name: str, is_parameter: bool, value: str | None, base: str | None, sysid: str | None,
                   pubid: str | None, notation: str | None) -> None:
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation)


def _refuse_unparsed_entity(name: str, base: str | None, sysid: str | None, pubid: str | None,
                            notation: str | None) -> None:
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation)


def _refuse_external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> None:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def text_reply_xml(source: str, target: str, text: str, now: int) -> str:
    """A passive text reply: the XML wechatpy's ``create_reply(text, message).render()`` gives (same elements,
    same order), written out at once instead of through its per-field descriptors. A ``]]>`` inside the
    text is split over two CDATA sections (wechatpy would end the section there and break the reply)."""
    return (f"<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[{_cdata(text)}]]></Content>\n"
            f"<FromUserName><![CDATA[{_cdata(source)}]]></FromUserName>\n"
            f"<ToUserName><![CDATA[{_cdata(target)}]]></ToUserName>\n<CreateTime>{now}</CreateTime>\n</xml>")


def _cdata(text: str) -> str:
    return text.replace("]]>", "]]]]><![CDATA[>") if "]]>" in text else text


def split_text(text: str, limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` UTF-8 bytes, at paragraph breaks where possible,
    then at line breaks, then between characters."""
    return _pack(_units(text, limit), "\n\n", limit)


def _units(text: str, limit: int) -> list[str]:
    """Paragraphs no longer than ``limit``: long ones split by lines, long lines by characters."""
    units: list[str] = []
    for para in text.split("\n\n"):
        if _size(para) <= limit:
            units.append(para)
        else:
            units += _pack((part for line in para.split("\n") for part in _cut(line, limit)), "\n", limit)
    return units


def _pack(parts: Iterable[str], sep: str, limit: int) -> list[str]:
    """Join consecutive ``parts`` (each at most ``limit`` bytes) with ``sep`` into as few pieces of at most
    ``limit`` bytes as order allows; always at least one piece."""
    pieces: list[str] = []
    current = ""
    for part in parts:
        joined = f"{current}{sep}{part}" if current else part
        if _size(joined) <= limit:
            current = joined
        else:
            pieces.append(current)
            current = part
    if current or not pieces:
        pieces.append(current)
    return pieces


def _cut(line: str, limit: int) -> list[str]:
    out, current, used = [], [], 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if used + n > limit:
            out.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += n
    out.append("".join(current))
    return out


WECHAT = web.AppKey("wechat", WeChatChannel)


def setup(app: web.Application, services: Services) -> bool:
    """Mount ``/wechat`` when WECHAT_TOKEN is set; without it the route does not exist at all."""
    if services.settings.wechat_token is None or not services.settings.wechat_token.get_secret_value():
        log.warning("WECHAT_TOKEN is not set: the WeChat channel (/wechat) is not mounted")
        return False
    channel = WeChatChannel(services)
    app[WECHAT] = channel
    if channel.cs is not None:
        services.outputs.add(channel.output)  # late replies, handoff relays and announcements leave through it
    app.router.add_get("/wechat", channel.verify)
    app.router.add_post("/wechat", channel.receive)
    app.on_shutdown.append(channel.drain)
    log.info(
        "WeChat channel at /wechat: %s mode, customer-service API %s",
        "safe (AES)" if channel.crypto else "plain",
        "on" if channel.cs else "off (set WECHAT_APPID and WECHAT_APPSECRET)",
    )
    return True

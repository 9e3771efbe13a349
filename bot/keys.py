"""Every Redis key the bot uses: the one module that builds their names, with what each holds, who writes and
reads it, and how long it lives. Nothing else in ``bot/``, ``adapters/`` or ``flows/`` spells a key
(tests/test_keys.py fails on a ``"bot:…"`` literal anywhere else).

Cluster slots. Keys used together share a Redis Cluster hash tag (the part in braces), so the Lua scripts
and transactions that touch them together work on a cluster:

- ``{<channel>:<user>}`` — everything about one user (the engine's begin/commit scripts, the outbox script);
- ``{handoff}`` — tickets and the desk (the claim/close/log scripts and the open transaction);
- ``{ann}`` (or the tag of ``ANNOUNCE_KEY_PREFIX``) — announcements and their rate limits;
- ``{<appid>}`` — one WeChat account's access token, its lock and back-off;
- ``{console}`` — the console's sign-in failure counters (read together with one MGET).

Expiry. Every key expires, except the few listed in `PERMANENT` and announcements' records (see
`Announcements`); tests/test_keys.py checks it after a whole conversation with a handoff. Users' keys live as
long as the session or the platform's retry window; a ticket and everything about it live
`HANDOFF_RETENTION_DAYS` (default 30) after its last activity — an open ticket is refreshed by every user
message, claim, reply or failed delivery, a closed one is kept that long after closing (its transcript is
what operators and reviews look back at). ``python -m bot keys migrate`` brings an older bot's keys to this
layout (bot/keymigrate.py).

Users — ``bot:{<channel>:<user>}:<part>`` (`user`), ``<channel>`` one of console, web, wechat, telegram.
Columns: part, type, what it holds, writer (readers), expiry:

    session               STRING  the saved conversation (JSON)         engine (sessions.py)  SESSION_TTL_SECONDS
    lock                  STRING  per-user lock token, SET NX PX        engine, handoff.close  LOCK_TTL_MS
    dedup:<message id>    STRING  the stored turn, for platform retries engine                the reply window
    seen                  ZSET    message id → when its marker expires  engine                DEDUP_TTL_SECONDS
    handoff               STRING  the open ticket {"ticket", "msg"}     handoff (engine)      HANDOFF_POINTER_TTL,
                                                                        refreshed by each message relayed
    outbox                LIST    operator replies for a channel that cannot push (console)   OUTBOX_TTL
    outbox:taken:<msg>    LIST    the replies one message took (for its re-runs)              OUTBOX_TAKEN_TTL
    log                   STREAM  web chat: the conversation as the page shows it (masked)    SESSION_TTL_SECONDS
    delivered:<msg>       STRING  WeChat: who delivers a late turn, "passive" | "cs"          WECHAT_CLAIM_TTL
    rest:<msg>            STRING  WeChat: the rest of a long turn went out through the API    WECHAT_CLAIM_TTL
    blocked               STRING  Telegram: the chat answered 403 (my_chat_member clears it)  TELEGRAM_BLOCKED_TTL

Handoff — ``bot:{handoff}:…`` (`ticket`, `ticket_log`, …), written and read by bot/handoff.py only (the desk,
the operator API and the console go through `HandoffService`):

    ticket:<id>             HASH    the ticket (channel, user, chat, status, operator, topic, context)  retention
    log:<id>                LIST    the transcript, PII masked                                            retention
    held:<id>               LIST    operator replies WeChat refused (45015/45047) until the user writes   retention
    relay:<id>              ZSET    user messages on their way to the desk, in the user's order           retention
    relay-lock:<id>         STRING  one flusher per ticket (redis-py Lock)                                30 s
    topic:<thread id>       STRING  desk forum topic → ticket id                                          retention
    queue                   ZSET    queued ticket ids by creation time (the queue position)   permanent; an id whose
    open                    ZSET    queued + assigned ticket ids                              ticket expired is pruned
    seq                     STRING  INCR → ticket ids                                         permanent
    desk-member:<tg user>   STRING  "1"/"0": is this Telegram user a member of the desk chat  DESK_MEMBER_TTL
    topic-budget:<chat>:<minute>  STRING  forum topics created this minute (rate limit)       TOPIC_BUDGET_TTL
    events                  PUBSUB  a ticket id whenever the ticket changes (web consoles listen; not a key)

Telegram — ``bot:telegram:…`` (adapters/telegram.py):

    update:<update id>      STRING  "pending" while an update not bound to a session is handled, "done" after
                                    (claim 5 min, then DEDUP_TTL_SECONDS)
    cb:<digest>             STRING  an option value too long for 64 bytes of callback data      TELEGRAM_CALLBACK_TTL

WeChat — ``bot:wechat:…`` (adapters/wechat.py, adapters/wechat_api.py):

    nonce:<timestamp>:<nonce>       STRING  SHA-256 of the first body signed with this pair (replay guard)
                                            2 × the timestamp window + 1 min
    cs_unauthorized                 STRING  the account may not use the customer-service API (48001)
                                            WECHAT_CLAIM_TTL
    unknown_msgtypes                HASH    MsgType → count, for types the bot does not read (new ones)
                                            WECHAT_COUNTER_TTL from the last count
    {<appid>}:access_token          STRING  the shared access token                    its expires_in − 60 s
    {<appid>}:access_token:lock     STRING  the worker fetching a new one              the lock timeout
    {<appid>}:access_token:fresh    STRING  exists while no refresh is due             expires_in − 300 s
    {<appid>}:access_token:backoff  STRING  exists while fetching is paused after failures  the pause
    {<appid>}:access_token:failures STRING  consecutive fetch failures                 1 h

Web chat and console — ``bot:web:…``, ``bot:console:…`` (adapters/web.py, adapters/web_console.py):

    bot:web:cookie-secret           STRING  signs the web and console cookies (WEB_COOKIE_SECRET unset)  permanent
    bot:web:push                    PUBSUB  a browser id whose conversation has a new entry (not a key)
    <pubsub channel>:stop:<random>  PUBSUB  stops one process's listener at shutdown (adapters/web.py `Hub`)
    bot:console:session:<sid>       STRING  a signed-in operator {"operator", "csrf"}          CONSOLE_SESSION_TTL
    bot:{console}:fail:addr:<ip>    STRING  failed sign-ins from an address, fixed window     CONSOLE_FAIL_WINDOW
    bot:{console}:fail:name:<name>  STRING  failed sign-ins for a name, fixed window          CONSOLE_FAIL_WINDOW

Operations — ``<OPS_KEY_PREFIX>:…`` (default ``bot``; bot/funnel.py, bot/review.py):

    funnel                  STREAM  funnel events, trimmed to FUNNEL_RETENTION_DAYS / FUNNEL_MAX_EVENTS; the key
                                    itself expires that long after the last write
    review                  ZSET    not-understood messages, trimmed likewise (REVIEW_MAX_AGE_DAYS)

Announcements — ``<ANNOUNCE_KEY_PREFIX>:…`` (default ``bot:{ann}``; `Announcements`, bot/announcements/):
records, delivery state, the work stream, subscriptions and rate limits; see `Announcements` for the list.
An announcement's record and report are kept until deleted by hand (they are the evidence of what was
sent); subscriptions and registered chats are permanent by nature; the rest expires.
"""
from __future__ import annotations

import re

ROOT = "bot"
MINUTE, HOUR, DAY = 60, 3600, 24 * 3600

# -- expiry, in seconds (settings named here override the defaults) ----------------------------------------
SESSION_TTL = 7 * DAY  # SESSION_TTL_SECONDS: an idle session
DEDUP_TTL = DAY  # DEDUP_TTL_SECONDS: how long a message id is remembered
HANDOFF_POINTER_TTL = 7 * DAY  # the user's pointer to an open ticket, refreshed by each message relayed
HANDOFF_RETENTION = 30 * DAY  # HANDOFF_RETENTION_DAYS: a ticket, its transcript and maps after the last activity
RELAY_LOCK_TTL = 30  # one desk flusher per ticket
OUTBOX_TTL = SESSION_TTL  # operator replies waiting for a console user's next message
OUTBOX_TAKEN_TTL = HOUR  # the replies one message took, for a re-run of that message
DESK_MEMBER_TTL = 10 * MINUTE  # desk membership cache
TOPIC_BUDGET_TTL = 2 * MINUTE  # a minute's forum-topic budget, kept past its minute
TELEGRAM_CLAIM_TTL = 5 * MINUTE  # an update being handled ("pending")
TELEGRAM_CALLBACK_TTL = 30 * DAY  # a long option value behind a button
TELEGRAM_BLOCKED_TTL = 90 * DAY  # a chat that answered 403; a later 403 marks it again
WECHAT_CLAIM_TTL = HOUR  # who delivers a late turn; the remainder sent; customer-service API refused
WECHAT_COUNTER_TTL = 90 * DAY  # unknown MsgType counts, from the last count
CONSOLE_SESSION_TTL = 12 * HOUR
CONSOLE_FAIL_WINDOW = 15 * MINUTE

# -- users -----------------------------------------------------------------------------------------------
def user(channel: str, user_id: str, part: str) -> str:
    """``bot:{<channel>:<user>}:<part>`` — the braces are the user's cluster hash tag (see the table above)."""
    return f"{ROOT}:{{{channel}:{user_id}}}:{part}"


def outbox(channel: str, user_id: str) -> str:
    return user(channel, user_id, "outbox")


def outbox_taken(channel: str, user_id: str, message_id: str) -> str:
    return user(channel, user_id, f"outbox:taken:{message_id}")


def web_log(browser: str) -> str:
    return user("web", browser, "log")


def wechat_delivered(openid: str, message_id: str) -> str:
    return user("wechat", openid, f"delivered:{message_id}")


def wechat_rest(openid: str, message_id: str) -> str:
    return user("wechat", openid, f"rest:{message_id}")


def telegram_blocked(chat_id: int | str) -> str:
    return user("telegram", str(chat_id), "blocked")


# -- handoff ---------------------------------------------------------------------------------------------
_HANDOFF = f"{ROOT}:{{handoff}}:"
HANDOFF_QUEUE = _HANDOFF + "queue"
HANDOFF_OPEN = _HANDOFF + "open"
HANDOFF_SEQ = _HANDOFF + "seq"
HANDOFF_EVENTS = _HANDOFF + "events"  # pub/sub channel


def ticket(ticket_id: str) -> str:
    return f"{_HANDOFF}ticket:{ticket_id}"


def ticket_log(ticket_id: str) -> str:
    return f"{_HANDOFF}log:{ticket_id}"


def ticket_held(ticket_id: str) -> str:
    return f"{_HANDOFF}held:{ticket_id}"


def ticket_relay(ticket_id: str) -> str:
    return f"{_HANDOFF}relay:{ticket_id}"


def ticket_relay_lock(ticket_id: str) -> str:
    return f"{_HANDOFF}relay-lock:{ticket_id}"


def desk_topic(thread_id: int | str) -> str:
    return f"{_HANDOFF}topic:{thread_id}"


def desk_member(telegram_user_id: int | str) -> str:
    return f"{_HANDOFF}desk-member:{telegram_user_id}"


def desk_topic_budget(chat_id: int | str, minute: int) -> str:
    return f"{_HANDOFF}topic-budget:{chat_id}:{minute}"


def ticket_keys(ticket_id: str) -> list[str]:
    """The keys that live and expire with a ticket (its topic map aside: see `desk_topic`)."""
    return [ticket(ticket_id), ticket_log(ticket_id), ticket_held(ticket_id), ticket_relay(ticket_id)]


# -- Telegram --------------------------------------------------------------------------------------------
_TELEGRAM = f"{ROOT}:telegram:"


def telegram_update(update_id: int | str) -> str:
    return f"{_TELEGRAM}update:{update_id}"


def telegram_callback(digest: str) -> str:
    return f"{_TELEGRAM}cb:{digest}"


# -- WeChat ----------------------------------------------------------------------------------------------
_WECHAT = f"{ROOT}:wechat:"
WECHAT_CS_UNAUTHORIZED = _WECHAT + "cs_unauthorized"
WECHAT_UNKNOWN_MSGTYPES = _WECHAT + "unknown_msgtypes"


def wechat_nonce(timestamp: str, nonce: str) -> str:
    return f"{_WECHAT}nonce:{timestamp}:{nonce}"


def wechat_token(appid: str, part: str = "") -> str:
    """``bot:wechat:{<appid>}:access_token[:<part>]``, part one of lock, fresh, backoff, failures."""
    return f"{_WECHAT}{{{appid}}}:access_token" + (f":{part}" if part else "")


# -- web chat and console --------------------------------------------------------------------------------
WEB_COOKIE_SECRET = f"{ROOT}:web:cookie-secret"
WEB_PUSH = f"{ROOT}:web:push"  # pub/sub channel


def console_session(sid: str) -> str:
    return f"{ROOT}:console:session:{sid}"


def console_failures(kind: str, who: str) -> str:
    """``kind``: addr | name. One hash tag for both: the sign-in reads them with one MGET."""
    return f"{ROOT}:{{console}}:fail:{kind}:{who}"


# -- operations ------------------------------------------------------------------------------------------
def funnel(prefix: str = ROOT) -> str:
    return f"{prefix}:funnel"


def review(prefix: str = ROOT) -> str:
    return f"{prefix}:review"


# Keys that never expire, and why (tests/test_keys.py allows exactly these, after a whole conversation with a
# handoff; announcements document their own in `Announcements`).
PERMANENT = {
    HANDOFF_SEQ: "ticket ids must never repeat",
    HANDOFF_QUEUE: "the queue itself; ids of expired tickets are pruned when it is read",
    HANDOFF_OPEN: "likewise",
    WEB_COOKIE_SECRET: "signs cookies; a new one would sign every browser and operator out",
}


# -- announcements ---------------------------------------------------------------------------------------
ANNOUNCE_PREFIX = f"{ROOT}:{{ann}}"
_TAG = re.compile(r"\{[^{}]+\}")


def hash_tagged(prefix: str) -> str:
    """``prefix`` with a Redis Cluster hash tag: kept if it has one, else its last part wrapped
    (``bot:ann`` → ``bot:{ann}``)."""
    if _TAG.search(prefix):
        return prefix
    head, sep, last = prefix.rpartition(":")
    return f"{head}{sep}{{{last}}}"


class Announcements:
    """Key names under an announcement prefix (``ANNOUNCE_KEY_PREFIX``, always hash-tagged: the scripts touch
    several at once, and the expansion lease in bot/announcements/store.py builds ``<prefix>:a:<id>`` in Lua
    from `prefix`, the one name spelled outside this module)::

        seq              STRING  INCR → announcement ids                                      permanent
        idem:<key>       STRING  id created under an idempotency key                          its window
        index            ZSET    id → created_at                                              permanent
        due              ZSET    id → when to expand (also the expansion lease)               permanent
        a:<id>           HASH    the announcement (text or locale id, target, status, times)  permanent
        a:<id>:st        HASH    target → delivery state                                      permanent
        a:<id>:n         HASH    pending / sending / sent / failed / unknown counters         permanent
        a:<id>:why       HASH    target → reason (failures, unknowns, migrations)             permanent
        jobs             STREAM  batches of targets, consumer group "workers"                 permanent
        w:<worker>       STRING  a running worker's heartbeat                                 the claim idle time
        subs             HASH    Telegram chat id → opted-in private user                     permanent
        chats            HASH    Telegram chat id → group/channel the bot administers         permanent
        rl:global, rl:tat, rl:pause, rl:chat:<chat>, rl:pause:<chat>   rate limiter state     their windows
    """

    def __init__(self, prefix: str = ANNOUNCE_PREFIX) -> None:
        self.prefix = p = hash_tagged(prefix)
        self.seq, self.index, self.due, self.jobs = f"{p}:seq", f"{p}:index", f"{p}:due", f"{p}:jobs"
        self.subs, self.chats = f"{p}:subs", f"{p}:chats"
        self.rl_global, self.rl_tat, self.rl_pause = f"{p}:rl:global", f"{p}:rl:tat", f"{p}:rl:pause"

    def meta(self, ann: str) -> str:
        return f"{self.prefix}:a:{ann}"

    def record(self, ann: str) -> list[str]:
        """meta, states, counters, reasons."""
        m = self.meta(ann)
        return [m, f"{m}:st", f"{m}:n", f"{m}:why"]

    def idem(self, key: str) -> str:
        return f"{self.prefix}:idem:{key}"

    def worker(self, name: str) -> str:
        return f"{self.prefix}:w:{name}"

    def rl_chat(self, chat: str) -> str:
        return f"{self.prefix}:rl:chat:{chat}"

    def rl_chat_pause(self, chat: str) -> str:
        return f"{self.prefix}:rl:pause:{chat}"


# -- before this layout (read only by bot/keymigrate.py, ``python -m bot keys migrate``) --------------------
class Legacy:
    """Names of the keys an older bot wrote that moved or went away: match patterns for SCAN, and the part of a
    name after its pattern's ``*``."""

    WEB_LOG = f"{ROOT}:web:log:*"  # now `web_log`: the browser's slot
    OUTBOX = f"{_HANDOFF}outbox:*"  # now `outbox` / `outbox_taken`: the user's slot
    MSGS = f"{_HANDOFF}msgs:*"  # desk ↔ user message-id pairs: never read, no longer written
    TELEGRAM_BLOCKED = f"{_TELEGRAM}blocked"  # one SET of chat ids; now `telegram_blocked` per chat, expiring
    # Written without expiry before; now kept `HANDOFF_RETENTION_DAYS` after the last activity.
    TICKET_FAMILY = tuple(f"{_HANDOFF}{part}:*" for part in ("ticket", "log", "held", "relay", "topic"))

    @staticmethod
    def tail(pattern: str, key: str) -> str:
        return key[len(pattern) - 1:]

"""Announcements: opt-in subscriptions, scheduled broadcasts, rate-limited resumable delivery, reports.

Pieces: `store` (Redis records and the per-target exactly-once state), `ratelimit` (global + per-chat
limits shared by all workers), `senders` (Telegram sendMessage, WeChat mass send), `worker` (the
``worker:`` Procfile process), `cli` (``python -m bot announce …`` / ``worker``), `http` (the admin report
routes, mounted by `adapters.app.create_app`). How to use it: docs/announcements.md.

For the Telegram adapter — everything it needs is here, with ``prefix=settings.announce_key_prefix``:

- ``/subscribe`` and ``/unsubscribe`` in a private chat →
  ``text = await subscription_command(redis, settings, "subscribe"|"unsubscribe", chat_id=…, user_id=…,
  chat_type=…, locale=…)`` and send the returned `Text` (ids ``announce-*`` in locales/*/announce.ftl).
  Lower level: `subscribe`, `unsubscribe`, `is_subscribed`.
- ``my_chat_member`` updates → ``await chat_member_changed(redis, settings, chat_id=…, kind=chat.type,
  title=chat.title, status=new_chat_member.status)``: registers the group/channel while the bot is an
  administrator, forgets it when demoted, removed or kicked; a private chat that blocked the bot
  (status ``kicked``) is unsubscribed. Lower level: `register_chat`, `unregister_chat`.
- a migrated group (``migrate_to_chat_id`` on a message) → ``await migrate_chat(redis, old_id, new_id)``.
- admin-only commands → `is_admin(settings, from_user.id)` (ADMIN_TELEGRAM_IDS).
"""
from __future__ import annotations

import hmac

import redis.asyncio as aioredis

from bot import keys
from bot.announcements.store import Store, TargetError, TargetSpec
from bot.config import Settings
from bot.messages import Text

DEFAULT_PREFIX = keys.ANNOUNCE_PREFIX
ADMIN_STATUSES = frozenset({"administrator", "creator"})

__all__ = [
    "DEFAULT_PREFIX", "Store", "TargetError", "TargetSpec", "chat_member_changed", "is_admin",
    "is_subscribed", "migrate_chat", "register_chat", "setup", "subscribe", "subscription_command",
    "token_ok", "unregister_chat", "unsubscribe",
]


async def subscribe(redis: aioredis.Redis, chat_id: int | str, user_id: int | str, locale: str | None = None,
                    *, prefix: str = DEFAULT_PREFIX) -> bool:
    """Opt a private Telegram chat in to ``telegram:subscribers`` announcements; True if newly subscribed."""
    return await Store(redis, prefix).subscribe(chat_id, user_id, locale)


async def unsubscribe(redis: aioredis.Redis, chat_id: int | str, *, prefix: str = DEFAULT_PREFIX) -> bool:
    """Opt out; True if the chat was subscribed."""
    return await Store(redis, prefix).unsubscribe(chat_id)


async def is_subscribed(redis: aioredis.Redis, chat_id: int | str, *, prefix: str = DEFAULT_PREFIX) -> bool:
    return await Store(redis, prefix).is_subscribed(chat_id)


async def register_chat(redis: aioredis.Redis, chat_id: int | str, kind: str, title: str,
                        locale: str | None = None, *, prefix: str = DEFAULT_PREFIX) -> None:
    """Remember a group/supergroup/channel the bot administers (target ``telegram:chats``)."""
    await Store(redis, prefix).register_chat(chat_id, kind, title, locale)


async def unregister_chat(redis: aioredis.Redis, chat_id: int | str, *, prefix: str = DEFAULT_PREFIX) -> bool:
    return await Store(redis, prefix).unregister_chat(chat_id)


async def migrate_chat(redis: aioredis.Redis, old_chat_id: int | str, new_chat_id: int | str, *,
                       prefix: str = DEFAULT_PREFIX) -> None:
    await Store(redis, prefix).migrate_chat(str(old_chat_id), str(new_chat_id))


def admin_ids(settings: Settings) -> frozenset[int]:
    return frozenset(int(x) for x in settings.admin_telegram_ids.replace(" ", "").split(",") if x.strip("-").isdigit())


def is_admin(settings: Settings, telegram_user_id: int | str | None) -> bool:
    """True for Telegram users listed in ADMIN_TELEGRAM_IDS (comma-separated numeric ids)."""
    try:
        return telegram_user_id is not None and int(telegram_user_id) in admin_ids(settings)
    except ValueError:
        return False


def token_ok(settings: Settings, presented: str | None) -> bool:
    """Constant-time check of an admin token against ADMIN_TOKEN (always False when it is unset)."""
    if not settings.admin_token or not presented:
        return False
    return hmac.compare_digest(presented.encode(), settings.admin_token.get_secret_value().encode())


async def subscription_command(redis: aioredis.Redis, settings: Settings, command: str, *, chat_id: int | str,
                               user_id: int | str, chat_type: str, locale: str | None = None) -> Text:
    """Handle /subscribe or /unsubscribe; returns the sentence to answer with."""
    if chat_type != "private":
        return Text("announce-private-only")
    prefix = settings.announce_key_prefix
    if command.lstrip("/").split("@")[0] == "subscribe":
        new = await subscribe(redis, chat_id, user_id, locale, prefix=prefix)
        return Text("announce-subscribed" if new else "announce-already-subscribed")
    gone = await unsubscribe(redis, chat_id, prefix=prefix)
    return Text("announce-unsubscribed" if gone else "announce-not-subscribed")


async def chat_member_changed(redis: aioredis.Redis, settings: Settings, *, chat_id: int | str, kind: str,
                              title: str | None, status: str, locale: str | None = None) -> bool:
    """The bot's own membership changed (my_chat_member); True when the chat is now an announcement target."""
    prefix = settings.announce_key_prefix
    if kind in ("group", "supergroup", "channel") and status in ADMIN_STATUSES:
        await register_chat(redis, chat_id, kind, title or "", locale, prefix=prefix)
        return True
    if kind == "private" and status == "kicked":  # the user blocked the bot: no more announcements to them
        await unsubscribe(redis, chat_id, prefix=prefix)
    await unregister_chat(redis, chat_id, prefix=prefix)
    return False


def setup(app, services) -> bool:  # noqa: ANN001 — aiohttp app and bot.runtime.Services
    """Mount the admin routes (/admin/announcements…) on the web app; see bot/announcements/http.py."""
    from bot.announcements.http import setup as _setup

    return _setup(app, services)

"""Announcement sends as `Outcome`s, through the channels' outputs (bot/channels.py); no platform code here.

The outputs do the platform work (rendering, limits, the platform's errors); this module only reads their
answer for the worker, which decides what happens next:

- Telegram (``OutputChannel.send`` to a chat): `Sent` → ``sent`` (to a new chat id when the group became a
  supergroup: the output re-sent it there once, and the worker moves the chat's records); ``forbidden`` →
  ``forbidden``; a rate limit past the output's bound → ``retry`` with its retry_after; never reaching the
  platform (``unreachable``) → ``transient`` (safe to retry); ``unknown`` (timeout, 5xx) → ``unknown``:
  sendMessage has no idempotency key, so it is not retried; other refusals → ``failed``.
- WeChat (``Broadcaster.broadcast``, one mass send per announcement): ``key`` is the clientmsgid, so resending
  is safe — the broadcaster answers `Sent` for a clientmsgid WeChat already has (errcode 45065), and the
  worker retries ``unknown`` for it too.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.channels import Broadcaster, DeliveryFailed, OutputChannel, Sent


@dataclass(frozen=True, slots=True)
class Outcome:
    """kind: sent | retry | forbidden | failed | transient | unknown. ``new_chat_id``: where a sent message
    went when the chat had migrated."""

    kind: str
    detail: str = ""
    message_id: str = ""
    retry_after: float = 0.0
    new_chat_id: str = ""


async def send_to_chat(output: OutputChannel, chat: str, text: str) -> Outcome:
    try:
        return _sent(await output.send(chat, text), chat)
    except DeliveryFailed as e:
        return outcome_of(e)


async def broadcast(broadcaster: Broadcaster, target: str, text: str, key: str) -> Outcome:
    try:
        return _sent(await broadcaster.broadcast(target, text, key=key), target)
    except DeliveryFailed as e:
        return outcome_of(e)


def outcome_of(e: DeliveryFailed) -> Outcome:
    detail = f"{e.reason}: {e.detail}" if e.detail else e.reason
    if e.kind == "forbidden":
        return Outcome("forbidden", detail)
    if e.kind == "unknown":
        return Outcome("unknown", detail)
    if e.retry_after is not None:
        return Outcome("retry", detail, retry_after=e.retry_after)
    if e.reason == "unreachable":
        return Outcome("transient", detail)
    return Outcome("failed", detail)


def _sent(sent: Sent, asked: str) -> Outcome:
    if sent.migrated_from is not None and sent.chat_id != asked:
        return Outcome("sent", f"migrated to {sent.chat_id}", message_id=sent.message_id, new_chat_id=sent.chat_id)
    return Outcome("sent", message_id=sent.message_id)

"""Logging set-up: text for a terminal (default) or ``LOG_FORMAT=json`` — one JSON object per line.

Every record logged while a message is being handled carries that message's ``channel``, ``update_id`` and
a hashed ``user`` (never the raw id): `bind()` puts them in a context variable, a filter copies them onto
the record. Numbers that look like ID, bank-card or phone numbers are masked in both formats
(`bot.privacy.mask`), in the message, its arguments and tracebacks alike. The `transitions` library's
per-step INFO lines are silenced.
"""
from __future__ import annotations

import hashlib
import logging
import sys
from contextvars import ContextVar, Token
from functools import lru_cache
from typing import Any

from bot.privacy import MaskingFormatter, mask

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_context: ContextVar[tuple[str, str, str] | None] = ContextVar("yibao_log_context", default=None)
_salt = b""


def set_user_salt(salt: str) -> None:
    """USER_HASH_SALT: makes hashed user ids unguessable from a list of candidate ids."""
    global _salt
    _salt = salt.encode()


@lru_cache(maxsize=4096)  # a conversation's messages hash the same id again and again
def _hash(salt: bytes, channel: str, user_id: str) -> str:
    return hashlib.blake2b(f"{channel}:{user_id}".encode(), digest_size=6, key=salt[:64]).hexdigest()


def user_hash(channel: str, user_id: str) -> str:
    """A short stable pseudonym of a user, for logs and funnel events (12 hex characters)."""
    return _hash(_salt, channel, user_id)


def bind(channel: str, update_id: str, user_id: str) -> Token:
    """Tag this message's log records; the user id is hashed only if a record is actually logged."""
    return _context.set((channel, update_id, user_id))


def unbind(token: Token) -> None:
    _context.reset(token)


class ContextFilter(logging.Filter):
    """Adds channel / update_id / user of the message being handled (``-`` outside of one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = _context.get()
        values = (ctx[0], ctx[1], user_hash(ctx[0], ctx[2])) if ctx else (None, None, None)
        for k, v in zip(("channel", "update_id", "user"), values, strict=True):
            if not hasattr(record, k):
                setattr(record, k, v)
        return True


def json_formatter(fmt: str) -> logging.Formatter:
    """python-json-logger's formatter with masking; imported only when LOG_FORMAT=json asks for it."""
    from pythonjsonlogger.json import JsonFormatter

    class MaskingJsonFormatter(JsonFormatter):
        """python-json-logger's formatter, with the message and traceback masked before they are serialised.
        The structured fields (channel, update id, hashed user) are ids, left as they are."""

        def format(self, record: logging.LogRecord) -> str:
            clean = logging.makeLogRecord(record.__dict__)
            clean.msg, clean.args = mask(record.getMessage()), None
            if record.exc_info:
                clean.exc_text = mask(self.formatException(record.exc_info))
                clean.exc_info = None
            elif record.exc_text:
                clean.exc_text = mask(record.exc_text)
            return super().format(clean)

        def add_fields(self, log_record: dict[str, Any], record: logging.LogRecord,
                       message_dict: dict[str, Any]) -> None:
            super().add_fields(log_record, record, message_dict)
            log_record["level"] = record.levelname
            log_record["logger"] = record.name
            for k in ("channel", "update_id", "user"):
                if getattr(record, k, None) is None:
                    log_record.pop(k, None)

    return MaskingJsonFormatter(fmt, timestamp="time", json_ensure_ascii=False)


def configure_logging(level: str = "INFO", fmt: str = "text", stream: Any = None) -> None:
    """Logs go to stderr (so `chat --jsonl` keeps stdout clean), masked, as text or JSON lines."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if fmt == "json":
        handler.setFormatter(json_formatter("%(message)s %(channel)s %(update_id)s %(user)s"))
    else:
        handler.setFormatter(MaskingFormatter(TEXT_FORMAT))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("transitions").setLevel(logging.WARNING)  # one INFO line per state change otherwise

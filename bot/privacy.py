"""Masking of identity numbers before anything is logged or stored.

The bot never asks for 身份证号, card or bank numbers; when a user sends one anyway, it is masked in
logs, in handoff transcripts and in anything persisted, and the user is told not to send it.
"""
from __future__ import annotations

import logging
import re

# 18-digit resident ID (last char may be X), 15-digit legacy ID, 16–19 digit bank cards, mobile numbers.
_ID18 = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])")
_LONG_DIGITS = re.compile(r"(?<!\d)(\d{4})\d{7,11}(\d{4})(?!\d)")  # 15–19 digits: bank card / old ID
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
# digits separated by spaces or dashes, as people type card numbers: 6222 0212 3456 7890 123
_SPACED = re.compile(r"(?<![\d])(\d{4})(?:[ \-]\d{3,4}){2,3}[ \-](\d{2,4})(?!\d)")


def mask(text: str | None) -> str:
    """Replace the middle of identity, bank-card and phone numbers with asterisks."""
    if not text:
        return text or ""
    text = _SPACED.sub(lambda m: f"{m.group(1)} **** **** {m.group(2)}", text)
    text = _ID18.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    text = _LONG_DIGITS.sub(lambda m: f"{m.group(1)}{'*' * (len(m.group(0)) - 8)}{m.group(2)}", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
    return text


def contains_sensitive_number(text: str | None) -> bool:
    """True when the text carries something that looks like an ID, bank-card or phone number."""
    return bool(text) and mask(text) != text


class MaskingFormatter(logging.Formatter):
    """Masks numbers in the whole formatted record — message, arguments and traceback alike — so no code
    path can leak an ID or card number into the logs, even through an exception's message."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


"""Masking of identity numbers before anything is logged or stored.

The bot never asks for 身份证号, card or bank numbers; when a user sends one anyway, it is masked in
logs, in handoff transcripts and in anything persisted, and the user is told not to send it.

Numbers are found the way people type them: after NFKC (full-width digits, ＋86), with single spaces or
hyphens anywhere between the digits (``110105 19491231 002X``, ``138-0013-8000``, ``+8613800138000``).
Each number-like run is classified by its digits, and only these are masked, digit by digit so the
spacing stays readable:

    18 characters (17 digits + digit or X)   resident ID          first 6, last 4 shown
    15–19 digits                             old ID / bank card   first 4, last 4
    11 digits 1[3-9]…, optionally +86/86      mobile               first 3, last 4
    10–17 digits = region code + birth year  the start of an ID   first 6
    a run ending in X                         the end of an ID     last 4

Amounts, years, dates and hotlines (380, 2024, 2025-12-31, 12333) stay as they are.

A number split over two messages ("110105194912" then "31002X") is caught with `carry`: `carry_of`
gives the length of a number-like run that *ends* a message (a count, never the digits), and the next
message's leading run is masked when the two together make an ID, card or mobile number.
"""
from __future__ import annotations

import logging
import re
import unicodedata

# A number-like run: digits (and a final X) with at most one space or hyphen between any two, optionally
# led by +86. Written by hand: no kept library masks Chinese ID/mobile numbers tolerant of separators.
_RUN = re.compile(r"(?<![0-9A-Za-z+])(?:\+\s?)?\d(?:[ \-]?\d)*(?:[ \-]?[Xx])?(?![0-9A-Za-z])")
_ID_PREFIX = re.compile(r"^[1-8]\d{5}(?:19|20)\d{2}")
_MOBILE = re.compile(r"^(?:86)?1[3-9]\d{9}$")
# Lengths the two halves of a split number may add up to (mobile 11, old ID 15, cards 16–19, ID 18).
_WHOLE_LENGTHS = {11, 15, 16, 17, 18, 19}


def _digits(run: str) -> str:
    return "".join(c for c in run if c.isdigit() or c in "Xx")


def _hide(run: str, first: int, last: int) -> str:
    """``run`` with every digit but the first ``first`` and last ``last`` replaced by ``*``."""
    total = len(_digits(run))
    out, seen = [], 0
    for c in run:
        if c.isdigit() or c in "Xx":
            out.append(c if seen < first or seen >= total - last else "*")
            seen += 1
        else:
            out.append(c)
    return "".join(out)


def _mask_run(run: str, head_carry: int = 0) -> str:
    d = _digits(run)
    n = len(d)
    ends_x = d[-1] in "Xx"
    if head_carry and head_carry + n in _WHOLE_LENGTHS and n > 4:
        return _hide(run, 0, 4)  # the rest of a number begun in the previous message
    if head_carry and head_carry + n in _WHOLE_LENGTHS:
        return run  # at most the last four: what a masked number shows anyway
    if n == 18 and d[:17].isdigit():
        return _hide(run, 6, 4)
    if ends_x:
        return _hide(run, 0, 4) if n > 4 else run
    if _MOBILE.match(d):
        return _hide(run, n - 8, 4)  # keeps +86/86 and the carrier prefix
    if 15 <= n <= 19:
        return _hide(run, 4, 4)
    if 10 <= n <= 17 and _ID_PREFIX.match(d):
        return _hide(run, 6, 0)
    return run


def mask(text: str | None, carry: int = 0) -> str:
    """Replace the middle of identity, bank-card and phone numbers with asterisks.

    ``carry``: what `carry_of` said about the user's previous message, so a number split over two
    messages is masked in the second one too. Text without anything to mask is returned unchanged."""
    if not text:
        return text or ""
    norm = unicodedata.normalize("NFKC", text)
    head = carry
    first = True

    def sub(m: re.Match[str]) -> str:
        nonlocal first
        leading = first and not norm[: m.start()].strip()
        first = False
        return _mask_run(m.group(0), head if leading else 0)

    masked = _RUN.sub(sub, norm)
    return text if masked == norm else masked


def carry_of(text: str | None) -> int:
    """How many digits a number-like run at the very end of ``text`` has, when it may continue in the
    next message (an ID, UnionPay card or mobile number begun); 0 otherwise. A length, never the digits."""
    norm = unicodedata.normalize("NFKC", text or "").rstrip()
    last = max(_RUN.finditer(norm), key=lambda m: m.start(), default=None)  # the rightmost run
    if last is None or last.end() != len(norm):
        return 0
    d = _digits(last.group(0))
    if d[-1] in "Xx" or len(d) >= 18 or _MOBILE.match(d):
        return 0  # complete already (masked as it is)
    if _ID_PREFIX.match(d) or (len(d) >= 6 and d.startswith("62")):  # an ID or UnionPay card begun
        return len(d)
    if re.match(r"^(?:86)?1[3-9]\d", d) and len(d) < 11:  # a mobile number begun
        return len(d)
    return 0


def contains_sensitive_number(text: str | None) -> bool:
    """True when the text carries something that looks like an ID, bank-card or phone number."""
    return bool(text) and mask(text) != text


class MaskingFormatter(logging.Formatter):
    """Masks numbers in the whole formatted record — message, arguments and traceback alike — so no code
    path can leak an ID or card number into the logs, even through an exception's message."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


"""One retry policy for calls that can fail for a while: Bot API and WeChat API sends, the WeChat access-token
fetch, announcement sends. tenacity does the looping; this module says only what deserves another try and how
long to wait before it: the wait the platform asked for (Telegram's ``retry_after``, a ``Retry-After`` header)
when there is one, exponential backoff with jitter otherwise, never past the caller's time budget.

    async for attempt in retrying(budget=30):
        with attempt:
            await call()          # raise RetryLater(...) for a failure worth another try

A call that gives up raises its last exception (``RetryLater`` included) to the caller, who decides what the
user sees; nothing is swallowed here.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)


class RetryLater(Exception):
    """A failure worth another try. ``after``: the seconds the platform asked us to wait, if it said."""

    def __init__(self, reason: str = "", *, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


def retrying(*, attempts: int = 5, budget: float = 30.0, initial: float = 0.2, cap: float = 10.0,
             jitter: float = 1.0,
             retry_on: type[BaseException] | tuple[type[BaseException], ...] = RetryLater,
             sleep: Callable[[float], Awaitable[Any]] | None = None) -> AsyncRetrying:
    """Up to ``attempts`` tries; stop instead of sleeping when the next try would start after ``budget``
    seconds (so a 429 asking for 120 s fails at once under a 30 s budget, and is honoured under a 180 s one).
    ``jitter``: up to this many seconds added at random to each backoff (tenacity's default, 1 s, suits
    platform calls; a millisecond lock wait needs a smaller one)."""
    backoff = wait_exponential_jitter(multiplier=initial, max=cap, jitter=jitter)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        after = getattr(exc, "after", None)
        return float(after) if after is not None else backoff(state)

    extra = {} if sleep is None else {"sleep": sleep}  # e.g. a sleep that a stop request cuts short
    return AsyncRetrying(
        **extra,
        stop=stop_after_attempt(attempts) | stop_before_delay(budget),
        wait=wait,
        retry=retry_if_exception_type(retry_on),
        reraise=True,
    )

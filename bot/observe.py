"""Watching the bot work without touching the dialogue: metrics, funnel events and the review queue.

Hooks (one line each in `bot.runtime.build_services`):

- `ObservedDialogue` wraps the dialogue: it notes the session's flow/state before the step and the `Turn`
  after it (pure, no I/O) into a per-message context variable.
- `instrument_engine` wraps `Engine.handle`: it binds the log context, times the message, and once the
  engine has *committed* the turn (so a retried or failed attempt counts nothing) turns that note into
  counters, funnel events and review entries. A duplicate delivery counts as such and nothing else.
- `instrument_handoff` wraps `HandoffService.open/claim/reply/close` for the ticket counters.

Cost per message: counters are in-process; funnel and review events go to an in-memory `EventBatch` that
one pipelined round trip writes every ``FLUSH_EVERY`` events or ``FLUSH_SECONDS`` (from a background task,
never on the message's own path). Events still in memory when a process is killed are lost — this is
analytics; the conversation itself is saved by the engine.
"""
from __future__ import annotations

import asyncio
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Mapping

from redis.exceptions import RedisError

from bot import logs
from bot.conversation import Session
from bot.messages import Incoming, Turn
from bot.metrics import Metrics

log = logging.getLogger(__name__)

FLUSH_EVERY = 200
FLUSH_SECONDS = 2.0
MAX_BUFFERED = 20_000
FLOW_START = "common-flow-start"  # the line flows/dialogue.py says when it starts a flow  # beyond this (Redis down for long) the oldest unsent events are dropped


@dataclass(frozen=True, slots=True)
class Step:
    """What one dialogue step did: where the session was, and the turn it produced."""

    flow: str | None
    state: str | None
    slots: Mapping[str, Any]
    options: tuple[str, ...]
    turn: Turn


_step: ContextVar[list[Step] | None] = ContextVar("yibao_step", default=None)


class ObservedDialogue:
    """The dialogue, unchanged, plus a note of the step for the engine wrapper (no I/O, no extra work)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def new_session(self, msg: Incoming) -> Session:
        return self.inner.new_session(msg)

    def handle(self, s: Session, msg: Incoming) -> Turn:
        before = (s.flow, s.state, dict(s.slots), tuple(s.options))
        turn = self.inner.handle(s, msg)
        box = _step.get()
        if box is not None:
            box[:] = [Step(*before, turn)]  # replaces an earlier attempt's note when the engine retries
        return turn


@dataclass
class FlowEvent:
    user: str
    flow: str
    kind: str  # q: reached a question, o: reached an outcome
    state: str
    entered: bool = False  # this step also entered the flow (one event, not two: one XADD per step)


class EventBatch:
    """Funnel and review events waiting to be written; `flush` writes them all in one pipeline."""

    def __init__(self, redis: Any, funnel: Any, review: Any, metrics: Metrics) -> None:
        self.redis = redis
        self.funnel = funnel
        self.review = review
        self.metrics = metrics
        self.flow_events: list[FlowEvent] = []
        self.review_items: list[dict[str, Any]] = []
        self._first = 0.0
        self._task: asyncio.Task | None = None
        self._lock = asyncio.Lock()

    def __len__(self) -> int:
        return len(self.flow_events) + len(self.review_items)

    def add(self, flow_events: list[FlowEvent], review_item: dict[str, Any] | None) -> None:
        if not len(self):
            self._first = time.monotonic()
        self.flow_events.extend(flow_events)
        if review_item is not None:
            self.review_items.append(review_item)
        if len(self) >= FLUSH_EVERY:
            self.flush_soon()

    def due(self) -> bool:
        return bool(len(self)) and time.monotonic() - self._first >= FLUSH_SECONDS

    def flush_soon(self) -> None:
        """Write in the background; the message that filled the batch does not wait for it."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.flush())

    async def flush(self) -> int:
        async with self._lock:
            events, items = self.flow_events, self.review_items
            if not events and not items:
                return 0
            self.flow_events, self.review_items = [], []
            pipe = self.redis.pipeline(transaction=False)
            self.funnel.write(pipe, events)
            self.review.write(pipe, items)
            try:
                await pipe.execute()
            except (RedisError, OSError) as e:
                self.metrics.redis_errors.labels("events").inc()
                log.warning("could not write %d funnel/review events (%s); keeping them for the next try",
                            len(events) + len(items), e.__class__.__name__)
                self.flow_events = (events + self.flow_events)[-MAX_BUFFERED:]
                self.review_items = (items + self.review_items)[-MAX_BUFFERED:]
                return 0
            return len(events) + len(items)

    async def run_flusher(self, stop: asyncio.Event, every: float = FLUSH_SECONDS / 2) -> None:
        """Background loop for a server: writes what a quiet period left in memory."""
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), every)
            except asyncio.TimeoutError:
                pass
            if self.due():
                await self.flush()
        await self.flush()


class Observer:
    """Turns committed turns into counters, funnel events and review entries."""

    def __init__(self, metrics: Metrics, flows: Mapping[str, Any], batch: EventBatch | None) -> None:
        self.metrics = metrics
        self.flows = flows
        self.batch = batch

    def turn(self, msg: Incoming, turn: Turn, step: Step | None, seconds: float) -> None:
        m = self.metrics
        kind = "button" if msg.payload is not None else "text" if msg.text else "other"
        m.child(m.messages, msg.channel, kind).inc()
        m.child(m.turn_seconds, msg.channel).observe(seconds)
        if turn.duplicate:
            m.child(m.duplicates, msg.channel).inc()
            return
        if step is None:  # answered by a middleware (relayed to an operator): not a dialogue turn
            return
        unknown = turn.intent == "unknown"
        m.child(m.understood, "not_understood" if unknown else "understood").inc()
        events = self._flow_events(msg, step)
        item = self._review_item(msg, step) if unknown and msg.text else None
        if self.batch is not None and (events or item):
            self.batch.add(events, item)

    def _flow_events(self, msg: Incoming, step: Step) -> list[FlowEvent]:
        turn = step.turn
        flow = self.flows.get(turn.flow or "")
        if flow is None:
            return []
        command = (turn.intent or "").startswith("cmd:")  # 返回上一步 / 重新开始: moving around, not progress
        # A flow (re)starts when the session changes flow, or when the turn opens with the flow-start line —
        # which also catches starting the same errand again after its guidance.
        entered = not command and (turn.flow != step.flow or any(
            t.key == FLOW_START for r in turn.replies for t in r.texts))
        moved = entered or turn.state != step.state
        m = self.metrics
        if (not entered and not command and turn.flow == step.flow and step.state in flow.questions
                and turn.state != step.state):
            m.child(m.questions_answered, turn.flow, step.state).inc()
        if not moved:
            return []
        if entered:
            m.child(m.flows_started, turn.flow).inc()
        if turn.state in flow.questions:
            kind = "q"
        elif turn.state in flow.outcomes:
            kind = "o"
            m.child(m.outcomes, turn.flow, turn.state).inc()
        else:
            return []
        return [FlowEvent(logs.user_hash(msg.channel, msg.user_id), turn.flow, kind, turn.state, entered)]

    @staticmethod
    def _review_item(msg: Incoming, step: Step) -> dict[str, Any]:
        from bot.privacy import mask

        return {"at": round(time.time(), 3), "channel": msg.channel, "locale": step.turn.locale,
                "flow": step.flow or "", "state": step.state or "", "slots": dict(step.slots),
                "options": list(step.options), "text": mask(msg.text)[:500]}


def instrument_engine(engine: Any, observer: Observer) -> None:
    """Wrap ``engine.handle`` (the adapters' one entry point) with logging context, timing and observation."""
    inner = engine.handle

    async def handle(msg: Incoming, **kw: Any) -> Turn:  # kw: Engine.handle's options (claim=…)
        box: list[Step] = []
        step_token = _step.set(box)
        log_token = logs.bind(msg.channel, msg.message_id, msg.user_id)
        t0 = time.perf_counter()
        try:
            turn = await inner(msg, **kw)
        except (RedisError, OSError):
            observer.metrics.redis_errors.labels("engine").inc()
            raise
        finally:
            _step.reset(step_token)
            logs.unbind(log_token)
        observer.turn(msg, turn, box[0] if box else None, time.perf_counter() - t0)
        return turn

    handle.__wrapped__ = inner  # type: ignore[attr-defined]
    engine.handle = handle


def instrument_handoff(service: Any, metrics: Metrics) -> None:
    """Count tickets opened / claimed / closed and time each ticket's first operator reply.

    Operator actions are rare, so reading a ticket's status before a claim costs nothing that matters;
    the first reply is marked with HSETNX on the ticket, so two operators replying count one first reply.
    """
    open_, claim, reply, close = service.open, service.claim, service.reply, service.close
    from bot.keys import ticket as ticket_key  # the key names bot.handoff uses (with their cluster hash tag)

    # *args/**kwargs: the wrappers pass through whatever the service's methods take (they evolve).
    async def opened(*args: Any, **kwargs: Any) -> Any:
        started = service.clock()
        ticket, position = await open_(*args, **kwargs)
        if ticket.created_at >= started:
            metrics.handoff_tickets.labels("opened").inc()
        return ticket, position

    async def claimed(ticket_id: str, *args: Any, **kwargs: Any) -> str:
        before = await service.redis.hget(ticket_key(ticket_id), "status")
        result = await claim(ticket_id, *args, **kwargs)
        if result == "ok" and before == "queued":
            metrics.handoff_tickets.labels("claimed").inc()
        return result

    async def replied(ticket_id: str, *args: Any, **kwargs: Any) -> str:
        result = await reply(ticket_id, *args, **kwargs)
        if result in ("delivered", "queued_outbox"):
            now = service.clock()
            key = ticket_key(ticket_id)
            if await service.redis.hsetnx(key, "first_reply_at", repr(now)):
                created = await service.redis.hget(key, "created_at")
                if created:
                    metrics.handoff_first_reply.observe(max(0.0, now - float(created)))
        return result

    async def closed(*args: Any, **kwargs: Any) -> Any:
        done = await close(*args, **kwargs)
        if done:  # "" / False: nothing was open to close
            metrics.handoff_tickets.labels("closed").inc()
        return done

    service.open, service.claim, service.reply, service.close = opened, claimed, replied, closed

"""Prometheus metrics (prometheus-client), one `CollectorRegistry` per app/worker — never the global one —
so tests and several apps in one process keep separate counts.

Everything here is in-process: counting costs no Redis round trip. The web app serves its registry at
``/metrics`` (bot/status.py); the announcement worker serves its own (`WorkerMetrics`, ANNOUNCE_METRICS_PORT).
"""
from __future__ import annotations

import logging
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, start_http_server

log = logging.getLogger(__name__)

TURN_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# An operator's first answer takes minutes to hours.
REPLY_BUCKETS = (15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 43200, 86400)


class Metrics:
    """The bot's counters. Names follow Prometheus conventions (``_total`` is added to counters)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = r = registry or CollectorRegistry()
        self._children: dict[tuple, Any] = {}
        self.messages = Counter("yibao_messages", "Inbound messages by channel and kind (text, button, other)",
                                ["channel", "kind"], registry=r)
        self.duplicates = Counter("yibao_duplicate_deliveries",
                                  "Platform re-deliveries answered from the stored turn (the flow did not advance)",
                                  ["channel"], registry=r)
        self.turn_seconds = Histogram("yibao_turn_seconds", "Time to handle one inbound message (lock, dialogue, save)",
                                      ["channel"], buckets=TURN_BUCKETS, registry=r)
        self.understood = Counter("yibao_understood",
                                  "Dialogue turns by whether the message was understood (intent 'unknown' = not)",
                                  ["result"], registry=r)
        self.flows_started = Counter("yibao_flows_started", "Errand flows entered", ["flow"], registry=r)
        self.questions_answered = Counter("yibao_questions_answered", "Flow questions answered, by question state",
                                          ["flow", "question"], registry=r)
        self.outcomes = Counter("yibao_outcomes", "Guidance outcomes reached", ["flow", "outcome"], registry=r)
        self.handoff_tickets = Counter("yibao_handoff_tickets", "Operator tickets by event (opened, claimed, closed)",
                                       ["event"], registry=r)
        self.handoff_first_reply = Histogram("yibao_handoff_first_reply_seconds",
                                             "From a ticket's creation to its operator's first reply",
                                             buckets=REPLY_BUCKETS, registry=r)
        self.redis_errors = Counter("yibao_redis_errors", "Redis commands that failed, by where", ["where"],
                                    registry=r)
        for result in ("understood", "not_understood"):
            self.understood.labels(result)  # both series exist from the start (rate() needs a zero)
        for event in ("opened", "claimed", "closed"):
            self.handoff_tickets.labels(event)

    def child(self, metric: Any, *labels: str) -> Any:
        """``metric.labels(*labels)``, cached: labels() takes a lock and builds a key on every call."""
        key = (id(metric), labels)
        got = self._children.get(key)
        if got is None:
            got = self._children[key] = metric.labels(*labels)
        return got

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class WorkerMetrics:
    """The announcement worker's own registry: sends by result (sent, failed, unknown, retried)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = r = registry or CollectorRegistry()
        self.sends = Counter("yibao_announcement_sends", "Announcement deliveries by result", ["result"], registry=r)
        for result in ("sent", "failed", "unknown", "retried"):
            self.sends.labels(result)
        self.redis_errors = Counter("yibao_redis_errors", "Redis commands that failed, by where", ["where"],
                                    registry=r)
        self.started = time.time()

    def count_error(self, error: BaseException, where: str) -> None:
        """Count ``error`` when it is Redis failing (connection lost, timeout, refused command)."""
        from redis.exceptions import RedisError

        if isinstance(error, (RedisError, ConnectionError, TimeoutError)):
            self.redis_errors.labels(where).inc()

    def serve(self, port: int, addr: str = "0.0.0.0") -> Any:
        """Serve /metrics on ``port`` from a daemon thread (prometheus-client's own server); returns it."""
        server, _thread = start_http_server(port, addr=addr, registry=self.registry)
        log.info("announcement worker metrics at http://%s:%d/metrics", addr, server.server_port)
        return server

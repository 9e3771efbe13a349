"""Conversation funnels: per flow, how many residents entered, reached each question, stopped where, and
which outcomes they got, over a period.

Events are compact and derived from what the engine already knows (bot/observe.py): reached a question
state or an outcome state, and whether that step entered the flow, with a hashed user id — at most one
event per message. They live in one Redis Stream, ``bot:funnel`` (fields ``u`` user hash, ``f`` flow,
``k`` q|o, ``s`` state, ``e`` "1" on entry); the entry id carries the time, so a period is an XRANGE. Bounded both ways: XADD … MAXLEN ~ FUNNEL_MAX_EVENTS, and XTRIM MINID ~
(now − FUNNEL_RETENTION_DAYS) on every write.

The chart is an SVG drawn with pygal (pure Python: matplotlib would pull numpy into every process, and
fakeredis imports numpy whenever it is installed). Labels are state ids — the ids the flow code and
diagrams use, readable without a CJK font.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from bot import keys

KEY = keys.funnel()
_PERIOD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_period(text: str) -> float:
    """"7d", "12h", "30m", "2w" → seconds."""
    m = _PERIOD.match(text or "")
    if not m:
        raise ValueError(f"cannot read period {text!r}; use e.g. 7d, 12h, 30m")
    return float(m.group(1)) * _UNITS[m.group(2)]


class FunnelStore:
    def __init__(self, redis: Any, *, max_events: int = 200_000, retention_days: float = 30.0,
                 key: str = KEY) -> None:
        self.redis = redis
        self.key = key
        self.max_events = max_events
        self.retention = retention_days * 86400

    def write(self, pipe: Any, events: Iterable[Any]) -> None:
        """Queue XADDs for ``events`` (FlowEvent) and the age trim on ``pipe``; the caller executes it."""
        n = 0
        for e in events:
            fields = {"u": e.user, "f": e.flow, "k": e.kind, "s": e.state}
            if e.entered:
                fields["e"] = "1"
            pipe.xadd(self.key, fields, maxlen=self.max_events, approximate=True)
            n += 1
        if n:
            pipe.xtrim(self.key, minid=f"{int((time.time() - self.retention) * 1000)}-0", approximate=True)
            pipe.expire(self.key, int(self.retention))  # with no event for that long, all of it is stale

    async def events(self, since: float, until: float | None = None, chunk: int = 5000) -> list[tuple[float, dict]]:
        """(unix time, fields) of the events in [since, until], oldest first."""
        lo = f"{int(since * 1000)}-0"
        hi = f"{int(until * 1000)}-18446744073709551615" if until else "+"
        out: list[tuple[float, dict]] = []
        while True:
            batch = await self.redis.xrange(self.key, min=lo, max=hi, count=chunk)
            for entry_id, fields in batch:
                out.append((int(entry_id.split("-")[0]) / 1000, fields))
            if len(batch) < chunk:
                return out
            ms, seq = batch[-1][0].split("-")
            lo = f"{ms}-{int(seq) + 1}"


@dataclass
class FlowFunnel:
    flow: str
    questions: list[str]  # in the flow's order
    entered: set[str] = field(default_factory=set)
    reached: dict[str, set[str]] = field(default_factory=dict)
    stopped: dict[str, set[str]] = field(default_factory=dict)  # left without guidance, at this question
    outcomes: dict[str, set[str]] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, str, int, int]]:
        """(kind, state, residents, stopped there) in display order."""
        rows = [("entered", "", len(self.entered), 0)]
        for q in self.questions:
            if q in self.reached:
                rows.append(("question", q, len(self.reached[q]), len(self.stopped.get(q, ()))))
        for o, users in sorted(self.outcomes.items(), key=lambda kv: -len(kv[1])):
            rows.append(("outcome", o, len(users), 0))
        return rows


@dataclass
class FunnelReport:
    since: float
    until: float
    flows: dict[str, FlowFunnel]
    events: int

    def table(self) -> str:
        def ts(t: float) -> str:
            return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

        lines = [f"conversation funnels {ts(self.since)} → {ts(self.until)} ({self.events} events; "
                 "counts are residents)"]
        if not any(f.entered or f.reached for f in self.flows.values()):
            lines.append("no flow was entered in this period")
            return "\n".join(lines)
        for f in self.flows.values():
            if not (f.entered or f.reached):
                continue
            lines.append("")
            lines.append(f"{f.flow}")
            lines.append(f"  {'step':<9} {'state':<28} {'residents':>9} {'stopped here':>12}")
            for kind, state, n, stopped in f.rows():
                lines.append(f"  {kind:<9} {state:<28} {n:>9} {stopped if kind == 'question' else '':>12}")
            done = sum(len(u) for u in f.outcomes.values())
            lines.append(f"  guidance reached: {len(set().union(*f.outcomes.values())) if f.outcomes else 0} "
                         f"of {len(f.entered)} residents who entered ({done} outcomes)")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since, "until": self.until, "events": self.events,
            "flows": {name: [{"kind": k, "state": s, "residents": n, "stopped": st} for k, s, n, st in f.rows()]
                      for name, f in self.flows.items() if f.entered or f.reached},
        }


def build_report(events: list[tuple[float, dict]], flows: Mapping[str, Any], since: float,
                 until: float) -> FunnelReport:
    """Follow each resident through each flow: a run starts at an entry, collects the questions it reached, ends
    at an outcome or when the resident enters again. A resident whose last run in a flow got no outcome
    stopped at the last question that run reached."""
    result = {name: FlowFunnel(name, list(flow.questions)) for name, flow in flows.items()}
    last_run: dict[tuple[str, str], dict[str, Any]] = {}  # (user, flow) → {"last": state, "done": bool}
    for _, e in events:
        f = result.get(e.get("f", ""))
        if f is None:
            continue  # a flow this deployment no longer has
        user, kind, state = e.get("u", ""), e.get("k", ""), e.get("s", "")
        run = last_run.get((user, f.flow))
        if e.get("e") == "1" or run is None:
            run = last_run[(user, f.flow)] = {"last": None, "done": False}
            f.entered.add(user)
        if kind == "q":
            f.reached.setdefault(state, set()).add(user)
            run["last"] = state
        elif kind == "o":
            f.outcomes.setdefault(state, set()).add(user)
            run["done"] = True
    for (user, flow), run in last_run.items():
        if not run["done"] and run["last"]:
            result[flow].stopped.setdefault(run["last"], set()).add(user)
    return FunnelReport(since, until, result, len(events))


async def report(store: FunnelStore, flows: Mapping[str, Any], period: float, now: float | None = None) -> FunnelReport:
    until = now or time.time()
    since = until - period
    return build_report(await store.events(since, until), flows, since, until)


def chart(rep: FunnelReport) -> bytes:
    """The funnel as one SVG (pygal): a horizontal stacked bar per step of each flow — residents who went on
    (blue), who stopped there without guidance (orange), who got that outcome (green)."""
    import pygal
    from pygal.style import Style

    shown = [f for f in rep.flows.values() if f.entered or f.reached]
    labels, went_on, stopped, got = [], [], [], []
    for f in shown:
        for kind, state, n, st in f.rows():
            labels.append(f"{f.flow} · " + ("entered" if kind == "entered" else
                                            f"{'Q' if kind == 'question' else '→'} {state}"))
            went_on.append(None if kind == "outcome" else n - st)
            stopped.append(st or None)
            got.append(n if kind == "outcome" else None)
    days = (rep.until - rep.since) / 86400
    style = Style(colors=("#4c72b0", "#dd8452", "#55a868"), background="white", plot_background="white",
                  font_family="sans-serif", label_font_size=11, major_label_font_size=11)
    bar = pygal.HorizontalStackedBar(
        style=style, width=900, height=max(240, 26 * len(labels) + 140), js=[], print_values=True,
        legend_at_bottom=True, truncate_label=-1, title=f"Conversation funnels, last {days:g} days (residents)",
        no_data_text="no flow was entered in this period", value_formatter=lambda v: f"{v:g}" if v else "",
    )
    # pygal draws a horizontal chart's first label at the bottom: reverse, so each flow reads top-down.
    bar.x_labels = labels[::-1]
    bar.add("went on", went_on[::-1])
    bar.add("stopped here (no guidance)", stopped[::-1])
    bar.add("got this outcome", got[::-1])
    return bar.render()

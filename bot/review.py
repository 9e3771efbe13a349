"""The review queue: messages the bot did not understand, kept (masked) so people can label them and grow
the vocabulary from real use.

Each entry (written by bot/observe.py, in the same pipelined batch as funnel events) holds the masked text,
the time, the channel and where the conversation was: flow, state (the question it answered), the slots and
the options on screen — enough to replay the step. Stored in the sorted set ``bot:review`` scored by time;
bounded by REVIEW_MAX_ITEMS (oldest dropped) and REVIEW_MAX_AGE_DAYS.

``review export`` writes TSV — one line per entry, with the question as the resident saw it and an empty
``label`` column. A label is what the bot should have done: an intent (refund, transfer, family,
reactivation, faq, out_of_scope, handoff), ``faq:<id>``, or the answer value of the question (e.g. 居民).
``review check FILE`` replays each line through the dialogue in-process and prints what the bot does now.
"""
from __future__ import annotations

import csv
import json
import secrets
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import IO, Any, Iterable

from bot import keys
from bot.conversation import Session
from bot.i18n import Translator
from bot.messages import Incoming, Text, Turn

KEY = keys.review()
COLUMNS = ("id", "time", "channel", "locale", "flow", "state", "question", "text", "label", "context")


class ReviewQueue:
    def __init__(self, redis: Any, *, max_items: int = 5000, max_age_days: float = 30.0, key: str = KEY) -> None:
        self.redis = redis
        self.key = key
        self.max_items = max_items
        self.max_age = max_age_days * 86400

    def write(self, pipe: Any, items: Iterable[dict[str, Any]]) -> None:
        """Queue the ZADD and both trims on ``pipe``; the caller executes it."""
        members = {}
        for item in items:
            item = {"id": secrets.token_hex(4), **item}
            members[json.dumps(item, ensure_ascii=False, separators=(",", ":"))] = item["at"]
        if members:
            pipe.zadd(self.key, members)
            pipe.zremrangebyscore(self.key, "-inf", time.time() - self.max_age)
            pipe.zremrangebyrank(self.key, 0, -self.max_items - 1)
            pipe.expire(self.key, int(self.max_age))  # with no item for that long, all of it is stale

    async def items(self) -> list[dict[str, Any]]:
        """Entries still within the age limit, oldest first."""
        raw = await self.redis.zrangebyscore(self.key, time.time() - self.max_age, "+inf")
        return [json.loads(x) for x in raw]


def _question(tr: Translator, flows: dict, item: dict[str, Any]) -> str:
    flow = flows.get(item.get("flow") or "")
    q = flow.questions.get(item.get("state") or "") if flow else None
    if q is None:
        return "(menu)" if item.get("state") in ("", "menu", "faq", "closed") else f"({item.get('state')})"
    return tr.text(Text(q.prompt), item.get("locale") or tr.default).replace("\n", " ")


def export(items: list[dict[str, Any]], out: IO[str], tr: Translator, flows: dict) -> int:
    w = csv.writer(out, dialect="excel-tab", lineterminator="\n")
    w.writerow(COLUMNS)
    for it in items:
        context = {"slots": it.get("slots") or {}, "options": it.get("options") or []}
        w.writerow([it.get("id", ""), datetime.fromtimestamp(it["at"], timezone.utc).isoformat(timespec="seconds"),
                    it.get("channel", ""), it.get("locale", ""), it.get("flow", ""), it.get("state", ""),
                    _question(tr, flows, it), it.get("text", "").replace("\t", " ").replace("\n", " "), "",
                    json.dumps(context, ensure_ascii=False, separators=(",", ":"))])
    return len(items)


@dataclass
class Checked:
    line: int
    text: str
    label: str
    turn: Turn
    answer: str | None  # the value the question got, when it was answered
    verdict: str  # ok | differs | unlabelled

    def describe(self) -> str:
        t = self.turn
        now = f"intent={t.intent} flow={t.flow or '-'} state={t.state or '-'}"
        if self.answer is not None:
            now += f" answer={self.answer}"
        return f"{self.line:>4}  {self.verdict:<10} {self.text!r:<30} label={self.label or '-':<14} now: {now}"


def _faq_ids(turn: Turn) -> set[str]:
    from flows.dialogue import faq_by_id

    keys = {t.key for r in turn.replies for t in r.texts}
    return {fid for fid, entry in faq_by_id().items() if entry.answer and entry.answer[0] in keys}


def check_rows(rows: Iterable[dict[str, str]], dialogue: Any) -> list[Checked]:
    """Replay each row's message from its saved place in the conversation; compare with its label."""
    out = []
    for n, row in enumerate(rows, start=2):  # line 1 is the header
        text = row.get("text") or ""
        if not text.strip():
            continue
        context = json.loads(row.get("context") or "{}")
        state = row.get("state") or None
        s = Session(locale=row.get("locale") or "zh-CN", flow=row.get("flow") or None,
                    state=state, slots=dict(context.get("slots") or {}), options=list(context.get("options") or []))
        question = None
        flow = dialogue.flows.get(s.flow or "")
        if flow is not None:
            question = flow.questions.get(s.state or "")
        turn = dialogue.handle(s, Incoming("review", "review", "review", f"review-{n}", text))
        answer = None
        if question is not None and turn.slots.get(question.slot) != (context.get("slots") or {}).get(question.slot):
            answer = turn.slots.get(question.slot)
        label = (row.get("label") or "").strip()
        if not label:
            verdict = "unlabelled"
        else:
            said = {turn.intent, turn.flow, turn.state, answer} | {f"faq:{i}" for i in _faq_ids(turn)}
            verdict = "ok" if label in said else "differs"
        out.append(Checked(n, text, label, turn, answer, verdict))
    return out


def check_file(path: str, dialogue: Any, out: IO[str] | None = None) -> tuple[int, int, int]:
    """Print what the bot now does with each line; returns (labelled, ok, differs)."""
    out = out or sys.stdout
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, dialect="excel-tab"))
    results = check_rows(rows, dialogue)
    for r in results:
        print(r.describe(), file=out)
    labelled = [r for r in results if r.verdict != "unlabelled"]
    ok = sum(r.verdict == "ok" for r in labelled)
    print(f"{len(labelled)} labelled line(s): {ok} handled as labelled, {len(labelled) - ok} differ; "
          f"{len(results) - len(labelled)} unlabelled", file=out)
    return len(labelled), ok, len(labelled) - ok

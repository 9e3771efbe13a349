"""Blind evaluation of understanding (issue 10, point 5): first messages and mid-flow answers.

Not a pytest module (no test_ prefix): a script that prints figures.

    .venv/bin/python tests/eval_blind10.py [--verbose] [--json PATH]

The DialogueManager is built in-process exactly as the app builds it (bot.runtime.build_dialogue with default
Settings and the real Translator); each row gets a fresh Session, so no store is needed.

First messages (tests/data/blind10_first.tsv): the label is the flow the turn started, else its intent
(faq / out_of_scope / handoff / unknown …); correct when it equals `label` or `alt_label`. Slot prefill is
reported separately: the expected `k=v` pairs must all be among the turn's slots.

Answers (tests/data/blind10_answers.tsv): a fresh session starts `flow` with `prior_slots` as prefill, the
way an option such as 「办理转移接续」 starts a flow with what is already known, and must settle at `state`
(otherwise the row is a harness error, printed and counted as a miss). Then `answer` is sent and judged by
recorded slot values, never by option positions, so new choices in the flows do not break the sets:
  value          the question's slot holds value afterwards
  slot=value     that slot holds value afterwards (a correction of an earlier answer)
  @switch:FLOW   a flow FLOW started, or a 是/否 confirmation offering FLOW is pending
  @handoff       the turn's intent is handoff, or it carries a handoff effect
  @reask         the same question is asked again and its slot stays empty
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import OrderedDict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.conversation import Session  # noqa: E402
from bot.i18n import Translator  # noqa: E402
from bot.messages import Incoming, Turn  # noqa: E402
from bot.runtime import build_dialogue  # noqa: E402
from flows.base import flow_value  # noqa: E402
from flows.dialogue import DialogueManager  # noqa: E402

DATA = ROOT / "tests" / "data"
FIRST = DATA / "blind10_first.tsv"
ANSWERS = DATA / "blind10_answers.tsv"


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [{k: (v or "").strip() for k, v in r.items()} for r in rows]


def parse_slots(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, _, value = part.partition("=")
        out[key.strip()] = value.strip()
    return out


def build() -> DialogueManager:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    return build_dialogue(settings, Translator(default=settings.default_locale))


class Runner:
    def __init__(self, dialogue: DialogueManager) -> None:
        self.d = dialogue
        self.n = 0

    def send(self, s: Session, text: str = "", *, payload: str | None = None, locale: str | None = None) -> Turn:
        self.n += 1
        msg = Incoming(channel="console", user_id="blind10", chat_id="blind10", message_id=str(self.n),
                       text=text, payload=payload, locale=locale)
        return self.d.handle(s, msg)

    def session(self, locale: str | None) -> Session:
        return self.d.new_session(Incoming(channel="console", user_id="blind10", chat_id="blind10",
                                           message_id="0", locale=locale))


def label_of(turn: Turn) -> str:
    if turn.flow:
        return turn.flow
    return turn.intent or "unknown"


def run_first(r: Runner, rows: list[dict[str, str]]) -> dict[str, Any]:
    cats: dict[str, dict[str, int]] = OrderedDict()
    misses: list[str] = []
    for row in rows:
        s = r.session(None)
        turn = r.send(s, row["utterance"])
        got = label_of(turn)
        ok = got in {row["label"], row["alt_label"]} - {""}
        want_slots = parse_slots(row["slots"])
        slot_ok = all(turn.slots.get(k) == v for k, v in want_slots.items())
        c = cats.setdefault(row["category"], {"n": 0, "correct": 0, "slot_n": 0, "slot_correct": 0})
        c["n"] += 1
        c["correct"] += ok
        if want_slots:
            c["slot_n"] += 1
            c["slot_correct"] += slot_ok
        if not ok or (want_slots and not slot_ok):
            what = []
            if not ok:
                want = row["label"] + (f"|{row['alt_label']}" if row["alt_label"] else "")
                what.append(f"label {got} (want {want})")
            if want_slots and not slot_ok:
                what.append(f"slots {dict(turn.slots)} (want {want_slots})")
            misses.append(f"{row['id']} [{row['category']}] {row['utterance']!r}: " + "; ".join(what))
    return {"categories": cats, "misses": misses}


def judge_answer(turn: Turn, s: Session, flow: str, state: str, slot: str, expected: str) -> tuple[bool, str]:
    did = f"flow={turn.flow} state={turn.state} intent={turn.intent} slots={dict(turn.slots)}"
    if s.pending:
        did += f" pending={s.pending}"
    if expected == "@handoff":
        ok = turn.intent == "handoff" or any(e.get("type") == "handoff_requested" for e in turn.effects)
    elif expected.startswith("@switch:"):
        target = expected.split(":", 1)[1]
        ok = (turn.flow == target and target != flow) or bool(s.pending and s.pending.get("flow") == target)
    elif expected == "@reask":
        ok = turn.flow == flow and turn.state == state and slot not in turn.slots and not s.pending
    elif "=" in expected:
        k, _, v = expected.partition("=")
        ok = turn.slots.get(k) == v and not s.pending
    else:
        ok = turn.flow == flow and turn.slots.get(slot) == expected
    return ok, did


def run_answers(r: Runner, rows: list[dict[str, str]]) -> dict[str, Any]:
    cats: dict[str, dict[str, int]] = OrderedDict()
    misses: list[str] = []
    errors: list[str] = []
    for row in rows:
        c = cats.setdefault(row["category"], {"n": 0, "correct": 0, "harness_errors": 0})
        c["n"] += 1
        flow, state = row["flow"], row["state"]
        prior = parse_slots(row["prior_slots"])
        locale = row["locale"] or "zh-CN"
        s = r.session(locale)
        opened = r.send(s, payload=flow_value(flow, prior) if prior else flow_value(flow), locale=locale)
        fl = r.d.flows.get(flow)
        if fl is None or opened.flow != flow or opened.state != state or state not in fl.questions:
            c["harness_errors"] += 1
            errors.append(f"{row['id']}: could not settle at {flow}/{state} with {prior}: "
                          f"got flow={opened.flow} state={opened.state}")
            continue
        slot = fl.questions[state].slot
        turn = r.send(s, row["answer"], locale=locale)
        ok, did = judge_answer(turn, s, flow, state, slot, row["expected"])
        c["correct"] += ok
        if not ok:
            misses.append(f"{row['id']} [{row['category']}] {flow}/{state} {row['answer']!r} "
                          f"want {row['expected']}: {did}")
    return {"categories": cats, "misses": misses, "harness_errors": errors}


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:5.1f}%" if b else "    -"


def table(title: str, cats: dict[str, dict[str, int]], slots: bool) -> list[str]:
    head = f"{'category':<15}{'n':>5}{'correct':>9}{'%':>8}"
    if slots:
        head += f"{'slot n':>9}{'slot ok':>9}{'slot %':>8}"
    lines = [title, head]
    tot: dict[str, int] = {}
    for name, c in cats.items():
        line = f"{name:<15}{c['n']:>5}{c['correct']:>9}{pct(c['correct'], c['n']):>8}"
        if slots:
            line += f"{c['slot_n']:>9}{c['slot_correct']:>9}{pct(c['slot_correct'], c['slot_n']):>8}"
        lines.append(line)
        for k, v in c.items():
            tot[k] = tot.get(k, 0) + v
    line = f"{'TOTAL':<15}{tot['n']:>5}{tot['correct']:>9}{pct(tot['correct'], tot['n']):>8}"
    if slots:
        line += f"{tot['slot_n']:>9}{tot['slot_correct']:>9}{pct(tot['slot_correct'], tot['slot_n']):>8}"
    lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="list every miss with what the bot did")
    ap.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    args = ap.parse_args(argv)

    r = Runner(build())
    first = run_first(r, read_tsv(FIRST))
    answers = run_answers(r, read_tsv(ANSWERS))

    print("\n".join(table("== first messages (blind10_first.tsv) ==", first["categories"], slots=True)))
    print()
    print("\n".join(table("== mid-flow answers (blind10_answers.tsv) ==", answers["categories"], slots=False)))
    if answers["harness_errors"]:
        print(f"\nHARNESS ERRORS ({len(answers['harness_errors'])}): rows that could not be put at their question")
        for e in answers["harness_errors"]:
            print("  " + e)
    if args.verbose:
        print(f"\n-- first-message misses ({len(first['misses'])}) --")
        print("\n".join("  " + m for m in first["misses"]))
        print(f"\n-- answer misses ({len(answers['misses'])}) --")
        print("\n".join("  " + m for m in answers["misses"]))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "first": first["categories"], "answers": answers["categories"],
            "harness_errors": answers["harness_errors"],
        }, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if answers["harness_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

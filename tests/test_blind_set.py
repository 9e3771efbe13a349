"""The blind set (tests/data/blind_set.tsv): 150 utterances written and committed before the understanding
rules were read, labelled the way domain.md §11 labels the dev set (label, optional alt label, slots that
must be prefilled). Each is the first message of a new conversation, run in-process.

Measured through `chat --jsonl` before any fix: label 88.7 %, alt-aware 93.3 %, slots 79.8 % (67/84).
After the general fixes made from its misses: label 99.3 %, alt-aware 100 %, slots 98.8 % (83/84). The
second figure is no longer a blind estimate (the set was used to find the fixes); the first one is.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from tests.conftest import Chat

BLIND_SET = Path(__file__).resolve().parent / "data" / "blind_set.tsv"
LABELS = {"refund", "transfer", "family", "reactivation", "faq", "out_of_scope", "handoff"}
REACHED = 99.3  # label % reached after the fixes; the floor below leaves a small margin
FLOOR = math.floor(REACHED) - 3


def load() -> list[tuple[str, str, str | None, dict[str, str]]]:
    rows = []
    lines = BLIND_SET.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["utterance", "label", "alt", "slots"]
    for line in lines[1:]:
        text, label, alt, slots = line.split("\t")
        rows.append((text, label, alt or None, json.loads(slots)))
    return rows


def label(record: dict) -> str | None:
    if record.get("intent") in ("faq", "out_of_scope", "handoff"):
        return record["intent"]
    return record.get("flow")


def test_blind_set_is_well_formed():
    rows = load()
    assert len(rows) == 150
    assert len({r[0] for r in rows}) == 150
    for text, want, alt, slots in rows:
        assert want in LABELS and (alt is None or alt in LABELS), text
        assert isinstance(slots, dict), text


async def test_blind_set_in_process(memory_services):
    rows = load()
    main = alt_ok = slots_ok = slots_n = 0
    misses = []
    for text, want, alt, want_slots in rows:
        rec = await Chat(memory_services)(text)  # a new user per utterance
        got = label(rec)
        main += got == want
        alt_ok += got in (want, alt)
        if want_slots:
            slots_n += 1
            ok = all((rec.get("slots") or {}).get(k) == v for k, v in want_slots.items())
            slots_ok += ok
            if not ok:
                misses.append(f"slots  {text}: want {want_slots}, got {rec.get('slots')}")
        if got != want:
            misses.append(f"{'alt ok' if got == alt else 'label '} {text}: want {want} (alt {alt}), got {got}")
    n = len(rows)
    label_pct, alt_pct, slot_pct = 100 * main / n, 100 * alt_ok / n, 100 * slots_ok / slots_n
    print(f"\nblind set in-process: label {label_pct:.1f}% (alt-aware {alt_pct:.1f}%), "
          f"slots prefilled {slot_pct:.1f}% of {slots_n} utterances with labelled slots")
    for miss in misses:
        print("  miss:", miss)
    assert label_pct >= FLOOR, misses
    assert alt_pct >= label_pct
    assert slot_pct >= 90, misses

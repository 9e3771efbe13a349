"""CPU per free-text message spent understanding it, new code vs the baseline rules (commit 3b93e7a), in one run.

    .venv/bin/python bench/understanding.py [--rounds 5]

"Understanding a message" is what the dialogue asks of the understander for one free-text message:
- a first message: command? option number? a menu label? the errand (intent + slots);
- an answer at a question: command? option number? which choice? the errand (to notice a switch)? a request?
  the other slots it states.
The baseline is loaded from `git show 3b93e7a:flows/understanding.py` and its data into a temporary package and
asked the same things (it re-normalises the text for every call; the new code reads it once into an Utterance).
Messages: the first messages of tests/data/blind_set.tsv and blind10_first.tsv, and the answers of
tests/data/blind10_answers.tsv at their questions (a built-in list when that file is absent). Also prints the start-up and first-call cost
of the lazily loaded tables (pinyin table, gazetteer, cn2an). 2 shared cores: absolute figures drift, the
ratio holds.
"""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASELINE = "3b93e7a"

from bot.i18n import Translator  # noqa: E402
from bot.messages import Text  # noqa: E402
from flows import MENU, build_flows  # noqa: E402

ANSWERS = [  # (slot, answer) — the kinds of answers issue 10 names, for when no answer set is on disk
    ("used", "没有去看过"), ("used", "在医院拿过药"), ("used", "用过了"), ("used", "I have not used it"),
    ("ins_type", "城乡那个"), ("ins_type", "每年自己在村里交"), ("ins_type", "单位给交的"), ("ins_type", "职工医宝"),
    ("relation", "我家那口子"), ("relation", "我妈"), ("over_65", "七十多岁了"), ("over_65", "刚满六十"),
    ("lapse", "差不多半年"), ("lapse", "四五个月"), ("lapse", "仨月"), ("cross_province", "从安徽到浙江"),
    ("cross_province", "都在江苏"), ("same_area", "同一个区的"), ("same_area", "他在老家"), ("channel", "不在网上办"),
    ("channel", "手机上弄"), ("reason", "I paid by mistake"), ("reason", "交重复了"), ("reason", "no"),
    ("ins_pair", "原来那边是新农合,这边公司交职工医保"), ("situation", "换工作了"), ("card_received", "还没拿到"),
    ("enrolled_new", "已经交了"), ("both_records", "两边都有"), ("fam_intent", "想让我老婆用"),
]


def load_baseline(tmp: Path):
    """The understanding module and data of the baseline commit, importable from a temporary package."""
    pkg = tmp / "baseline_flows"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    for rel in ("flows/understanding.py", "flows/data/intents.toml", "flows/data/commands.toml"):
        src = subprocess.run(["git", "show", f"{BASELINE}:{rel}"], cwd=ROOT, capture_output=True, check=True).stdout
        (pkg / rel.removeprefix("flows/")).write_bytes(src)
    spec = importlib.util.spec_from_file_location("baseline_flows.understanding", pkg / "understanding.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.Understander(pkg / "data")


def workload(tr: Translator):
    flows = build_flows()
    data = ROOT / "tests" / "data"
    firsts = [line.split("\t")[0] for line in (data / "blind_set.tsv").read_text("utf-8").splitlines()[1:]]
    extra = data / "blind10_first.tsv"
    if extra.exists():
        firsts += [line.split("\t")[0] for line in extra.read_text("utf-8").splitlines()[1:] if line.strip()]
    def labelled(q):
        return [(c.value, [tr.text(Text(c.label), loc) for loc in ("zh-CN", "en")]) for c in q.choices]

    by_slot = {}
    for flow in flows.values():
        for q in flow.questions.values():
            by_slot.setdefault(q.slot, (flow.name, labelled(q)))
    answers = []
    answer_file = data / "blind10_answers.tsv"
    if answer_file.exists():
        lines = answer_file.read_text("utf-8").splitlines()
        head = lines[0].split("\t")
        for line in lines[1:]:
            row = dict(zip(head, line.split("\t"), strict=False))  # trailing empty columns may be cut
            q = flows[row["flow"]].questions.get(row["state"]) if row.get("flow") in flows else None
            if q is not None and row.get("answer"):
                answers.append((row["answer"], q.slot, row["flow"], labelled(q)))
    if not answers:
        answers = [(text, slot, *by_slot[slot]) for slot, text in ANSWERS if slot in by_slot]
    menu = [(f"flow:{m.key}", [tr.text(Text(m.label), loc) for loc in ("zh-CN", "en")]) for m in MENU]
    return firsts, answers, menu


def first_message(nlu, text, menu, new: bool):
    u = nlu.read(text) if new else text
    nlu.command(u)
    nlu.ordinal(u)
    nlu.match_choice(u, "_menu", menu)
    nlu.understand(u)


def answer(nlu, text, slot, flow, choices, new: bool):
    u = nlu.read(text) if new else text
    nlu.command(u)
    nlu.ordinal(u)
    nlu.match_choice(u, slot, choices)
    nlu.understand(u)
    nlu.is_request(u)
    nlu.slots_in(u, flow)


def measure(nlu, firsts, answers, menu, new: bool, rounds: int) -> tuple[float, float]:
    for text in firsts:  # warm: lazy tables and caches that live for the process
        first_message(nlu, text, menu, new)
    for text, slot, flow, choices in answers:
        answer(nlu, text, slot, flow, choices, new)
    t0 = time.process_time()
    for _ in range(rounds):
        for text in firsts:
            first_message(nlu, text, menu, new)
    t1 = time.process_time()
    for _ in range(rounds):
        for text, slot, flow, choices in answers:
            answer(nlu, text, slot, flow, choices, new)
    t2 = time.process_time()
    return (t1 - t0) / (rounds * len(firsts)) * 1e6, (t2 - t1) / (rounds * len(answers)) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    tr = Translator()
    firsts, answers, menu = workload(tr)

    t0 = time.perf_counter()
    from flows.understanding import Understander
    new = Understander()
    t_init = time.perf_counter() - t0
    t0 = time.perf_counter()
    new.understand("依宝腿费怎么弄")  # loads the pinyin table
    t_sound = time.perf_counter() - t0
    t0 = time.perf_counter()
    new.match_choice("从安徽到浙江", "cross_province", [("省内", ["省内"]), ("跨省", ["跨省"])])  # the gazetteer
    t_places = time.perf_counter() - t0
    t0 = time.perf_counter()
    new.lapse_in("断了一百二十天", need_marker=False)  # cn2an (numbers of a hundred and more)
    t_cn2an = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        base = load_baseline(Path(tmp))
        b_first, b_answer = measure(base, firsts, answers, menu, False, args.rounds)
    n_first, n_answer = measure(new, firsts, answers, menu, True, args.rounds)
    n = len(firsts) + len(answers)
    b_all = (b_first * len(firsts) + b_answer * len(answers)) / n
    n_all = (n_first * len(firsts) + n_answer * len(answers)) / n
    print(f"understanding CPU per free-text message ({len(firsts)} first messages, {len(answers)} answers, "
          f"{args.rounds} rounds)")
    print(f"{'':22}{'baseline ' + BASELINE:>18}{'new':>10}{'new/base':>10}")
    for name, b, v in (("first message", b_first, n_first), ("answer at a question", b_answer, n_answer),
                       ("all free text", b_all, n_all)):
        print(f"{name:22}{b:15.0f} µs{v:7.0f} µs{v / b:9.2f}x")
    print(f"target: ≤300 µs per free-text message → {'met' if max(n_first, n_answer) <= 300 else 'NOT met'}")
    print(f"start-up (new): Understander() {t_init * 1e3:.1f} ms (vocabulary shared by later instances); "
          f"first loads — pinyin table {t_sound * 1e3:.1f} ms, gazetteer {t_places * 1e3:.1f} ms, "
          f"cn2an {t_cn2an * 1e3:.1f} ms")


if __name__ == "__main__":
    main()

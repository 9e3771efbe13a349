"""Walk every path of every flow: each state is reachable, each leaf renders real guidance in both locales."""
from __future__ import annotations

from typing import Any

import pytest

from bot.i18n import Translator
from bot.messages import Text
from flows import MENU, build_flows
from flows.base import Flow
from flows.faq import BY_ID

FLOWS = build_flows()
LOCALES = ("zh-CN", "en")


@pytest.fixture(scope="module")
def tr() -> Translator:
    return Translator()


def walk(flow: Flow, *, hints: bool = False) -> tuple[set[str], list[tuple[str, dict[str, Any]]]]:
    """Every state reached from the start by answering every visible choice; the leaves with their slots.
    ``hints``: also take the choices that carry a hint (不清楚 …) as answers, as the dialogue records them."""
    seen: set[str] = set()
    leaves: list[tuple[str, dict[str, Any]]] = []
    stack: list[tuple[str, dict[str, Any]]] = [(flow.start, {})]
    while stack:
        state, slots = stack.pop()
        seen.add(state)
        if flow.is_outcome(state):
            leaves.append((state, slots))
            continue
        q = flow.questions[state]
        for choice in q.visible(slots):
            if choice.hint and not hints:
                continue  # by default only the choices without a hint (with one: recorded, and on)
            answered = {**slots, q.slot: choice.value}
            stack.append((flow.step(state, answered), answered))
    return seen, leaves


def keys(item: Any) -> list[str]:
    """Every locale id inside a Text, its nested Text params included."""
    if isinstance(item, Text):
        return [item.key, *(k for v in item.params.values() for k in keys(v))]
    if isinstance(item, (list, tuple)):
        return [k for v in item for k in keys(v)]
    return []


def test_all_four_flows_are_built():
    assert set(FLOWS) == {"refund", "transfer", "family", "reactivation"}


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_every_state_is_reachable(name):
    flow = FLOWS[name]
    seen, leaves = walk(flow)
    assert seen == set(flow.questions) | set(flow.outcomes), f"unreachable: {set(flow.questions) | set(flow.outcomes) - seen}"
    assert {state for state, _ in leaves} == set(flow.outcomes)


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_every_question_and_choice_has_text(name, tr):
    flow = FLOWS[name]
    for loc in LOCALES:
        for q in flow.questions.values():
            assert tr.has(q.prompt, loc), (loc, q.prompt)
            for c in q.choices:
                assert tr.has(c.label, loc), (loc, c.label)
                assert c.hint is None or tr.has(c.hint, loc), (loc, c.hint)
        assert tr.has(flow.title, loc)


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_every_leaf_renders_guidance_in_both_locales(name, tr):
    flow = FLOWS[name]
    _, leaves = walk(flow)
    assert leaves
    for state, slots in leaves:
        texts = list(flow.outcomes[state].render(slots))
        assert len(texts) >= 2, f"{name}.{state} gives too little guidance for {slots}"
        options = list(flow.outcomes[state].options(slots))
        for loc in LOCALES:
            for key in keys(texts) + keys([o.label for o in options]):
                assert tr.has(key, loc), f"{name}.{state}: missing {key} in {loc}"
            rendered = "\n".join(tr.text(t, loc) for t in texts)
            assert len(rendered) > 80 and "{" not in rendered, (name, state, loc, rendered)
        for o in options:
            if o.value.startswith("flow:"):
                assert o.value[5:].partition("?")[0] in FLOWS.keys() | {m.key for m in MENU}, o.value
            if o.value.startswith("faq:"):
                assert o.value[4:] in BY_ID, o.value


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_every_path_is_short_enough(name):
    """A user never answers more than seven questions to reach guidance."""
    flow = FLOWS[name]
    _, leaves = walk(flow)
    assert max(len(slots) for _, slots in leaves) <= 7


async def test_each_leaf_is_reachable_in_a_conversation(services):
    """One conversation per leaf of the new flows, driven by option values like a pressed button. Over the real
    Redis: the embedded store (fakeredis) interprets the session scripts' Lua in Python, five times the CPU of
    these hundreds of turns (12-19 s of the suite); the store has its own tests on both."""
    from tests.conftest import Chat

    for name in ("refund", "transfer", "family", "reactivation"):
        flow = FLOWS[name]
        _, leaves = walk(flow)
        for state, slots in leaves:
            chat = Chat(services)
            turn = await chat(payload=f"flow:{name}", button_step=None)
            while turn["state"] != state:
                q = flow.questions[turn["state"]]
                turn = await chat(payload=slots[q.slot], button_step=turn["step"])
            assert turn["flow"] == name and "以当地医保部门的规定为准" in turn["text"]


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_diagram_has_every_state_and_route(name, tr):
    from flows.diagram import mermaid

    flow = FLOWS[name]
    graph = mermaid(flow, tr)
    assert graph.startswith("flowchart TD")
    for state in [*flow.questions, *flow.outcomes]:
        assert f"    {state}(" in graph
    edges = [line for line in graph.splitlines() if "-->" in line and not line.lstrip().startswith("start")]
    assert len(edges) == len(flow.routes)
    for route in flow.routes:
        assert any(e.lstrip().startswith(route.source + " ") and e.endswith(" " + route.dest) for e in edges), route


def test_flows_diagram_cli_regenerates_docs(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "flows.md"
    readme = tmp_path / "README.md"
    readme.write_text((root / "README.md").read_text(encoding="utf-8").replace("flowchart TD", "OUTDATED-DIAGRAM"), "utf-8")
    # the one-flow command (checked at the end) runs alongside: two interpreter start-ups at once
    one_proc = subprocess.Popen([sys.executable, "-m", "bot", "flows", "diagram", "transfer"],
                                cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    proc = subprocess.run([sys.executable, "-m", "bot", "flows", "diagram", "--out", str(out), "--readme", str(readme)],
                          cwd=root, capture_output=True, text=True, timeout=60)
    one_out, _ = one_proc.communicate(timeout=60)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("```mermaid") == len(FLOWS)
    assert text == (root / "docs" / "flows.md").read_text(encoding="utf-8"), "run `python -m bot flows diagram`"
    # the README shows the same diagrams, refreshed by the same command
    shown = readme.read_text(encoding="utf-8")
    assert shown == (root / "README.md").read_text(encoding="utf-8"), "run `python -m bot flows diagram`"
    assert shown.count("```mermaid") == len(FLOWS) and "OUTDATED-DIAGRAM" not in shown
    assert one_proc.returncode == 0 and one_out.startswith("flowchart TD") and "done_dup_emp_res" in one_out

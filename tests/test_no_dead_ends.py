"""No dead ends: every question of every flow, in both locales, answered with 不清楚, with nonsense, with
every option pressed and with every option's label typed, reaches guidance or a person within a bounded
number of turns — and 不清楚 never gets the same question again.

Runs the dialogue in process (pure and synchronous), so the whole walk takes a few seconds."""
from __future__ import annotations

import itertools
from typing import Any

import pytest

from bot.config import Settings
from bot.i18n import Translator
from bot.messages import Incoming, Text, Turn
from bot.runtime import build_dialogue
from flows.base import Flow
from flows.base import flow_value

LOCALES = ("zh-CN", "en")
UNSURE = {"zh-CN": "不清楚", "en": "not sure"}
NONSENSE = {"zh-CN": "啊吧啊吧 qwz", "en": "blorp zzk qwz"}
MAX_TURNS = 12  # a question path is at most 7 answers; the rest is the probe and its recovery
_ids = itertools.count()


@pytest.fixture(scope="module")
def tr() -> Translator:
    return Translator()


@pytest.fixture(scope="module")
def dialogue(tr):
    return build_dialogue(Settings(_env_file=None), tr)


def questions_with_paths(flow: Flow) -> list[tuple[str, dict[str, Any]]]:
    """Every question state with the answers that lead to it (the first path found)."""
    seen: dict[str, dict[str, Any]] = {}
    stack: list[tuple[str, dict[str, Any]]] = [(flow.start, {})]
    while stack:
        state, slots = stack.pop()
        if flow.is_outcome(state) or state in seen:
            continue
        seen[state] = slots
        q = flow.questions[state]
        for choice in q.visible(slots):
            answered = {**slots, q.slot: choice.value}
            stack.append((flow.step(state, answered), answered))
    return sorted(seen.items())


class Talk:
    def __init__(self, dialogue, locale: str) -> None:
        self.d = dialogue
        self.locale = locale
        self.session = None
        self.turns: list[Turn] = []

    def __call__(self, text: str = "", payload: str | None = None) -> Turn:
        msg = Incoming(channel="console", user_id="walker", chat_id="walker", message_id=str(next(_ids)),
                       text=text, payload=payload, locale=self.locale,
                       button_step=self.turns[-1].step if self.turns and payload else None)
        if self.session is None:
            self.session = self.d.new_session(msg)
        turn = self.d.handle(self.session, msg)
        self.turns.append(turn)
        return turn


def values(turn: Turn) -> list[str]:
    return [o.value for o in turn.replies[-1].options]


def reached_guidance(dialogue, turn: Turn) -> bool:
    flow = dialogue.flows.get(turn.flow or "")
    return bool(flow and flow.is_outcome(turn.state))


def asked_person(turn: Turn) -> bool:
    return any(e.get("type") == "handoff_requested" for e in turn.effects)


def finish(talk: Talk, dialogue) -> Turn:
    """Answer every further question with its first option until guidance."""
    turn = talk.turns[-1]
    while not reached_guidance(dialogue, turn) and len(talk.turns) < MAX_TURNS:
        assert turn.flow and turn.state in dialogue.flows[turn.flow].questions, (turn.flow, turn.state, turn.intent)
        turn = talk(payload=values(turn)[0])
    return turn


def start_at(talk: Talk, name: str, state: str, slots: dict[str, Any]) -> Turn:
    turn = talk(payload=flow_value(name, slots))
    assert (turn.flow, turn.state) == (name, state), (name, state, slots, turn.state)
    return turn


CASES = [(name, state, slots, loc)
         for name, flow in sorted(build_dialogue(Settings(_env_file=None), Translator()).flows.items())
         for state, slots in questions_with_paths(flow) for loc in LOCALES]


@pytest.mark.parametrize("name,state,slots,loc", CASES, ids=lambda v: v if isinstance(v, str) else "")
def test_every_question_has_no_dead_end(dialogue, tr, name, state, slots, loc):
    flow = dialogue.flows[name]
    q = flow.questions[state]
    offered = [c.value for c in q.visible(slots)]

    # 不清楚: the unsure option (if offered) moves on; otherwise the options come back with 转人工.
    talk = Talk(dialogue, loc)
    start_at(talk, name, state, slots)
    turn = talk(UNSURE[loc])
    unsure = next((v for v in offered if v in ("不清楚", "不确定")), None)
    if unsure is not None:
        assert turn.state != state and talk.session.slots.get(q.slot) == unsure, (name, state, loc, turn.state)
    else:
        assert turn.state == state and "cmd:handoff" in values(turn), (name, state, loc, values(turn))
        assert set(offered) <= set(values(turn))
    turn = finish(talk, dialogue)
    assert reached_guidance(dialogue, turn), (name, state, loc, "不清楚")

    # Nonsense twice: the options with one line of explanation and 转人工; pressing it asks for a person.
    talk = Talk(dialogue, loc)
    start_at(talk, name, state, slots)
    first = talk(NONSENSE[loc])
    assert first.state == state and first.intent == "unknown" and set(offered) <= set(values(first))
    second = talk(NONSENSE[loc] + " xyzzy")
    assert second.state == state and "cmd:handoff" in values(second) and set(offered) <= set(values(second))
    explained = [t.key for t in second.replies[-1].texts]
    assert "dialogue-options-explain" in explained, explained
    assert asked_person(talk(payload="cmd:handoff"))
    assert len(talk.turns) <= MAX_TURNS

    # Every option, pressed and typed as its label, is recorded and leads on to guidance.
    for choice in q.visible(slots):
        for how in ("press", "type"):
            talk = Talk(dialogue, loc)
            start_at(talk, name, state, slots)
            if how == "press":
                turn = talk(payload=choice.value)
            else:
                turn = talk(tr.text(Text(choice.label), loc))
            assert talk.session.slots.get(q.slot) == choice.value, (name, state, loc, how, choice.value, turn.intent)
            assert turn.state != state, (name, state, loc, how, choice.value)
            turn = finish(talk, dialogue)
            assert reached_guidance(dialogue, turn), (name, state, loc, how, choice.value)
            assert len(talk.turns) <= MAX_TURNS

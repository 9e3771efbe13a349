"""Declarative conversation flows on `transitions`.

A flow is data: `Question`s (states that fill one slot), `Guidance` leaves (its outcomes: states that render
guidance) and ordered `Route`s (the first whose condition holds wins). Each flow builds ONE `Machine(model=None)`
at start-up with one tiny `_Model` attached; every step restores that model to the saved state name and
the message's slots, fires ``next`` and reads the new state. (The transitions README's add_model/remove_model
per step did the same, but binding a model costs a method per state and event: 70% of a step's CPU.
Steps are synchronous and never nest, so one model per machine is never shared by two steps at once.)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence
from urllib.parse import urlencode

from transitions import Machine

from bot.messages import Option, Text

Slots = Mapping[str, Any]


class Cond:
    """A named predicate over the slots; named so that diagrams and errors read well."""

    def __init__(self, name: str, test: Callable[[Slots], bool]) -> None:
        self.__name__ = name
        self._test = test

    def __call__(self, event_or_slots: Any) -> bool:
        slots = event_or_slots.model.slots if hasattr(event_or_slots, "model") else event_or_slots
        return bool(self._test(slots))

    def __repr__(self) -> str:
        return self.__name__

    def __invert__(self) -> "Cond":
        return Cond(f"not({self.__name__})", lambda s: not self._test(s))

    def __and__(self, other: "Cond") -> "Cond":
        return Cond(f"{self.__name__} and {other.__name__}", lambda s: self._test(s) and other._test(s))

    def __or__(self, other: "Cond") -> "Cond":
        return Cond(f"{self.__name__} or {other.__name__}", lambda s: self._test(s) or other._test(s))


def slot_is(slot: str, *values: Any) -> Cond:
    """True when ``slot`` holds one of ``values``."""
    return Cond(f"{slot}={'|'.join(map(str, values))}", lambda s: s.get(slot) in values)


@dataclass(frozen=True)
class Choice:
    """An answer button. ``when`` hides it unless the slots match. Its value is ALWAYS recorded when it is
    chosen; a ``hint`` is said first and the flow then moves on (for 不清楚: the hint tells what to check, and
    the routes give a safe general answer for the value) — the same question is never asked again."""

    value: str
    label: str
    when: Cond | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Question:
    state: str
    slot: str
    prompt: str
    choices: tuple[Choice, ...]

    def visible(self, slots: Slots) -> list[Choice]:
        return [c for c in self.choices if c.when is None or c.when(slots)]


def ins_type_choices(*, resident_first: bool) -> tuple[Choice, ...]:
    """职工医保 / 城乡居民医保 / 不清楚 (with the hint telling them apart), asked by several flows."""
    resident, employee = Choice("居民", "opt-ins-resident"), Choice("职工", "opt-ins-employee")
    pair = (resident, employee) if resident_first else (employee, resident)
    return (*pair, Choice("不清楚", "opt-unknown", hint="hint-ins-type"))


def flow_value(flow: str, prefill: Mapping[str, Any] | None = None) -> str:
    """The option value that starts ``flow`` with some slots already known (``flow:<name>?<slot>=<value>&…``;
    flows.dialogue reads it back)."""
    return f"flow:{flow}" + (f"?{urlencode(dict(prefill))}" if prefill else "")


DETAIL_PREFIX = "more:"  # option value of a detail section: "more:<key>"


@dataclass(frozen=True)
class Detail:
    """One section of an outcome shown on request (材料, 步骤, 注意事项, 时限 …), one tap away.

    ``label`` is the locale id of its button; ``render`` returns nothing when the section has nothing to
    say for these slots, and then the section is not offered."""

    key: str
    label: str
    render: Callable[[Slots], Sequence[Text]]

    @property
    def value(self) -> str:
        return DETAIL_PREFIX + self.key


@dataclass(frozen=True)
class Guidance:
    """A leaf: one outcome of the flow. ``render`` is the first screen: the verdict, where to go and the first
    steps, short enough for one phone screen. Everything else sits in ``details``, each offered as an option
    with the outcome; then ``options`` (the errand to do next, …). ``health`` marks guidance where health
    or treatment comes up: only then does the no-medical-advice note follow it."""

    state: str
    render: Callable[[Slots], Sequence[Text]]
    options: Callable[[Slots], Sequence[Option]] = lambda slots: ()
    details: tuple[Detail, ...] = ()
    health: bool = False

    def sections(self, slots: Slots) -> list[tuple[Detail, list[Text]]]:
        """The detail sections that have something to say for these slots, in order."""
        return [(d, texts) for d in self.details if (texts := list(d.render(slots)))]

    def section(self, key: str, slots: Slots) -> list[Text]:
        """One detail section's texts ([] when it has none or no such section exists)."""
        return next((texts for d, texts in self.sections(slots) if d.key == key), [])

    def detail_options(self, slots: Slots, shown: str | None = None) -> list[Option]:
        """A button for every section with content, except the one just shown."""
        return [Option(d.value, Text(d.label)) for d, _ in self.sections(slots) if d.key != shown]


# What every outcome offers after its own next steps.
AFTER_GUIDANCE = (Option("cmd:menu", Text("opt-menu")), Option("cmd:handoff", Text("opt-handoff")))


def follow_up(*first: Option) -> Callable[[Slots], list[Option]]:
    """Guidance options: ``first`` (e.g. the errand to do next), then 主菜单 and 转人工."""
    def options(slots: Slots) -> list[Option]:
        return [*first, *AFTER_GUIDANCE]
    return options


@dataclass(frozen=True)
class Route:
    source: str
    dest: str
    when: Cond | None = None


@dataclass
class _Model:
    slots: Slots
    state: str = field(default="")


class FlowError(RuntimeError):
    pass


class Flow:
    def __init__(
        self,
        name: str,
        title: str,
        start: str,
        questions: Iterable[Question],
        outcomes: Iterable[Guidance],
        routes: Iterable[Route],
    ) -> None:
        self.name = name
        self.title = title
        self.start = start
        self.questions = {q.state: q for q in questions}
        self.outcomes = {o.state: o for o in outcomes}
        self.routes = tuple(routes)
        overlap = set(self.questions) & set(self.outcomes)
        if overlap:
            raise FlowError(f"{name}: states both question and outcome: {overlap}")
        for o in self.outcomes.values():
            keys = [d.key for d in o.details]
            if len(keys) != len(set(keys)):
                raise FlowError(f"{name}: {o.state} has two detail sections with one key: {keys}")
        states = [*self.questions, *self.outcomes]
        for r in self.routes:
            if r.source not in self.questions or r.dest not in states:
                raise FlowError(f"{name}: bad route {r}")
        self.machine = Machine(
            model=None,
            states=states,
            transitions=[
                {"trigger": "next", "source": r.source, "dest": r.dest, "conditions": [r.when] if r.when else []}
                for r in self.routes
            ],
            initial=None,
            send_event=True,
            auto_transitions=False,
            name=name,
        )
        self._model = _Model({})
        self.machine.add_model(self._model, initial=self.start)

    def step(self, state: str, slots: Slots) -> str:
        """The state after ``state`` given the slots (first route whose condition holds)."""
        model = self._model
        model.slots = slots
        self.machine.set_state(state, model)
        try:
            if not model.trigger("next"):
                raise FlowError(f"{self.name}: no route out of {state} for {dict(slots)}")
            return model.state
        finally:
            model.slots = {}  # hold no message's slots between steps

    def settle(self, state: str, slots: Slots) -> str:
        """From ``state``, skip every question the slots already answer; return the first open state."""
        seen = 0
        while state in self.questions:
            q = self.questions[state]
            if q.slot not in slots or slots[q.slot] not in {c.value for c in q.visible(slots)}:
                return state
            state = self.step(state, slots)
            seen += 1
            if seen > len(self.questions):
                raise FlowError(f"{self.name}: route loop at {state}")
        return state

    def is_outcome(self, state: str | None) -> bool:
        return state in self.outcomes

"""The dialogue manager: one step of a conversation, pure and synchronous.

Given the saved `Session` and one `Incoming`, decide what the message means — a global command, a
pressed option, an answer to the current question, a new errand — update the session and return a
`Turn`. Order of precedence: stale buttons, privacy guard, global commands, option values/numbers,
answers by meaning, then free-text understanding. No I/O happens here; the engine saves the session.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import parse_qsl

from bot.conversation import Session
from bot.i18n import Translator, normalize_locale
from bot.messages import Incoming, Option, Reply, Text, Turn
from bot.privacy import contains_sensitive_number
from flows.base import AFTER_GUIDANCE, DETAIL_PREFIX, Flow, Guidance, Question, flow_value
from flows.faq import BY_ID
from flows.understanding import Understander, Understanding, Utterance

log = logging.getLogger(__name__)

MENU_STATE = "menu"
CLOSED_STATE = "closed"
FAQ_STATE = "faq"  # an FAQ answer was just shown; its slots stay as context for the next errand
FAQ_LIST = "faq:list"
# Understandings scored below this are guesses ("no rule matched"); mid-flow they are not acted on.
CONFIDENT = 1.0


@dataclass(frozen=True)
class MenuEntry:
    key: str  # value "flow:<key>" in the menu
    label: str
    flow: str
    prefill: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class _Out:
    texts: list[Text] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    intent: str | None = None
    effects: list[dict[str, Any]] = field(default_factory=list)

    def say(self, key: str, **params: Any) -> None:
        self.texts.append(Text(key, params))


class DialogueManager:
    """Decides each step of a conversation; the engine (bot/engine.py) calls it through its `Dialogue` protocol."""

    def __init__(
        self,
        flows: Mapping[str, Flow],
        translator: Translator,
        understander: Understander | None = None,
        *,
        menu: tuple[MenuEntry, ...] = (),
        history_limit: int = 20,
        default_locale: str = "zh-CN",
        hotline: str = "12333",
    ) -> None:
        self.flows = dict(flows)
        self.tr = translator
        self.nlu = understander or Understander()
        self.menu = tuple(m for m in menu if m.flow in self.flows)
        self.history_limit = history_limit
        self.default_locale = default_locale
        self.hotline = hotline

    # -- entry points -----------------------------------------------------------------------------
    def new_session(self, msg: Incoming) -> Session:
        return Session(locale=normalize_locale(msg.locale) or self.default_locale, state=None)

    def handle(self, s: Session, msg: Incoming) -> Turn:
        shown_at = s.step
        s.step += 1
        out = _Out()
        reset = s.data.pop("reset", None)  # set by the engine when it replaced a damaged stored value
        first_contact = s.state is None
        if first_contact:
            s.state = MENU_STATE
        else:
            self._check_known(s)
        if reset is not None:
            out.say("common-session-damaged" if reset == "damaged" else "common-handoff-lost")
        if self._lost(s, msg, shown_at, first_contact and reset is None):
            # Redis lost this conversation (restarted empty, failed over, restored from an older copy):
            # an answer meant for a question we no longer know must not be taken as a menu choice.
            log.warning("%s user's session was lost (button of step %s, session at step %s); starting over",
                        msg.channel, msg.button_step, shown_at)
            out.intent = "expired"
            out.say("common-session-expired")
            s.flow, s.slots, s.pending, s.history = None, {}, None, []
            self._show_menu(s, out)
        elif reset == "damaged" and (msg.payload is not None and not msg.payload.startswith("cmd:")
                                    or self.nlu.ordinal(msg.text or "") is not None):
            out.intent = "expired"  # an answer to a question of the damaged session: start from the menu
            self._show_menu(s, out)
        elif (msg.payload is not None and msg.button_step is not None and msg.button_step != shown_at
                and not self._detail_button_current(s, msg)):
            out.intent = "stale"
            out.say("common-stale-button")
            self._reprompt(s, out)
        elif contains_sensitive_number(msg.text):
            out.intent = "privacy"
            out.say("common-privacy-warning")
            self._reprompt(s, out)
        else:
            self._dispatch(s, msg, out, first_contact)
        return Turn(
            replies=(Reply(tuple(out.texts), tuple(out.options)),),
            locale=s.locale,
            step=s.step,
            flow=s.flow,
            state=s.state,
            slots=dict(s.slots),
            intent=out.intent,
            handoff=s.handoff is not None,
            effects=tuple(out.effects),
        )

    def _lost(self, s: Session, msg: Incoming, shown_at: int, fresh: bool) -> bool:
        """Whether this message answers a conversation the store no longer has: a button drawn at a step
        the session never reached, or — to a brand-new session — a bare option number or a pressed answer."""
        if msg.button_step is not None and msg.button_step > shown_at:
            return True
        if not fresh:
            return False
        if msg.payload is not None:
            return not msg.payload.startswith(("cmd:", "flow:", "faq:"))
        return self.nlu.ordinal(msg.text or "") is not None

    def _check_known(self, s: Session) -> None:
        """A flow or state this deployment does not have (renamed or removed since the session was
        saved): log it once and go back to the menu (the reset session is saved, so it is not seen again)."""
        flow = self.flows.get(s.flow or "")
        if s.flow is None:
            known = s.state in (MENU_STATE, CLOSED_STATE, FAQ_STATE)
        else:
            known = flow is not None and (s.state in flow.questions or s.state in flow.outcomes)
        if s.pending is not None and s.pending.get("flow") not in self.flows:
            known = False  # a proposed switch to a flow that is gone
        if not known:
            log.warning("session in unknown flow/state %r/%r (changed by a deploy?); reset to the menu",
                        s.flow, s.state)
            s.flow, s.state, s.slots, s.pending = None, MENU_STATE, {}, None
        s.history = [h for h in s.history if h.get("flow") is None or h.get("flow") in self.flows]

    # -- dispatch -----------------------------------------------------------------------------------
    def _dispatch(self, s: Session, msg: Incoming, out: _Out, first_contact: bool) -> None:
        if msg.payload is not None:
            return self._choose(s, msg.payload, out)
        text = self.nlu.read(msg.text or "")  # normalised once; every reading below shares it
        cmd = self.nlu.command(text)
        if cmd:
            return self._command(s, cmd, out)
        value = self._option_by_number(s, text)
        if value is not None:
            return self._choose(s, value, out)
        if self._outcome(s) is not None and not s.pending:
            value = self.nlu.match_choice(text, "_detail", self._labelled_details(s))
            if value is not None:
                return self._choose(s, value, out)
        if s.pending:
            yes_no = self.nlu.match_choice(text, "_confirm", self._labelled(s, ["yes", "no"]))
            if yes_no is not None:
                return self._choose(s, yes_no, out)
            s.pending = None
        question = self._question(s)
        if self.nlu.is_correction(text) and self._correct(s, text, out):
            return None
        if question is not None:
            value = self.nlu.match_choice(text, question.slot, self._labelled_choices(s, question))
            u = self.nlu.understand(text)
            if value is not None and not self._asks_for_other_errand(s, text, u):
                return self._answer(s, question, value, out, text)
            return self._free_text_in_flow(s, text, out, u)
        return self._free_text_idle(s, text, out, first_contact)

    def _correct(self, s: Session, text: Utterance, out: _Out) -> bool:
        """「刚才选错了,应该是职工」「不是重复交,是交错了」: change an earlier answer of this errand — the most
        recent one the correction gives another value for — and go on from there; or answer this question.
        False when the correction names no such value; the message is then read as usual."""
        flow = self.flows.get(s.flow or "")
        if flow is None:
            return False
        said = self.nlu.without_correction(text)
        current = self._question(s)
        for q in self._answered_questions(s, flow):
            value = self.nlu.match_choice(said, q.slot, self._labelled_choices(s, q, s.slots))
            if value is not None and value != s.slots.get(q.slot):
                self._push(s)
                slots = {**s.slots, q.slot: value}
                s.slots = self._on_path(flow, slots)
                s.misunderstood = 0
                out.intent = s.flow
                out.say("dialogue-corrected")
                self._enter(s, flow.settle(flow.start, s.slots), out)
                return True
        if current is not None:
            value = self.nlu.match_choice(said, current.slot, self._labelled_choices(s, current))
            if value is not None:
                self._answer(s, current, value, out, said)
                return True
        return False

    @staticmethod
    def _answered_questions(s: Session, flow: Flow) -> list[Question]:
        """The questions of this errand already answered, the most recent first (history order, then the
        facts the errand started with, latest question first)."""
        seen: list[Question] = []
        for snap in reversed(s.history):
            if snap["flow"] != s.flow:
                break
            q = flow.questions.get(snap["state"] or "")
            if q is not None and q.slot in s.slots and q not in seen:
                seen.append(q)
        for q in reversed(list(flow.questions.values())):
            if q.slot in s.slots and q not in seen and q.state != s.state:
                seen.append(q)
        return seen

    @staticmethod
    def _on_path(flow: Flow, slots: dict[str, Any]) -> dict[str, Any]:
        """Slots after a correction: answers to questions the new path no longer asks are dropped."""
        asked = {q.slot for q in flow.questions.values()}
        keep = {k: v for k, v in slots.items() if k not in asked}
        state = flow.start
        while state in flow.questions:
            q = flow.questions[state]
            if q.slot not in slots or slots[q.slot] not in {c.value for c in q.visible(slots)}:
                break
            keep[q.slot] = slots[q.slot]
            state = flow.step(state, slots)
        ahead, todo = set(), [state]  # questions that may still be asked keep what is already known for them
        while todo:
            st = todo.pop()
            if st in ahead or st not in flow.questions:
                continue
            ahead.add(st)
            todo += [r.dest for r in flow.routes if r.source == st]
        keep.update({flow.questions[st].slot: slots[flow.questions[st].slot] for st in ahead
                     if flow.questions[st].slot in slots})
        return keep

    def _option_by_number(self, s: Session, text: Utterance) -> str | None:
        n = self.nlu.ordinal(text)
        if n is not None and 1 <= n <= len(s.options):
            return s.options[n - 1]
        return None

    def _choose(self, s: Session, value: str, out: _Out) -> None:
        """Act on an option value (pressed button, number, or recognised label)."""
        if value.startswith("cmd:"):
            return self._command(s, value[4:], out)
        if value.startswith("faq:"):
            return self._faq(s, value[4:], out)
        if value.startswith(DETAIL_PREFIX):
            return self._detail(s, value[len(DETAIL_PREFIX):], out)
        if value.startswith("flow:"):
            name, _, query = value[5:].partition("?")
            # Slots an FAQ question already revealed ("断交两个月…") carry over into the errand it offers.
            context = dict(s.slots) if s.state == FAQ_STATE else {}
            entry = next((m for m in self.menu if m.key == name), None)
            if entry is not None:
                return self._start_flow(s, entry.flow, {**context, **entry.prefill, **dict(parse_qsl(query))}, out,
                                        title=entry.label)
            if name in self.flows:
                return self._start_flow(s, name, {**context, **dict(parse_qsl(query))}, out)
        if value in ("yes", "no") and s.pending:
            pending, s.pending = s.pending, None
            if value == "yes":
                return self._start_flow(s, pending["flow"], pending.get("slots", {}), out)
            out.intent = s.flow
            return self._reprompt(s, out)
        question = self._question(s)
        if question is not None and value in {c.value for c in question.visible(s.slots)}:
            return self._answer(s, question, value, out)
        # A value that is not on offer any more (old keyboard, typed label of another step).
        out.intent = "stale"
        out.say("common-stale-button")
        self._reprompt(s, out)

    # -- flows --------------------------------------------------------------------------------------
    def _question(self, s: Session) -> Question | None:
        flow = self.flows.get(s.flow or "")
        return flow.questions.get(s.state or "") if flow else None

    def _start_flow(self, s: Session, name: str, prefill: Mapping[str, Any], out: _Out,
                    title: str | None = None) -> None:
        """Start ``name`` (``title``: the menu entry's own name, e.g. 医保卡激活 rather than the flow's)."""
        flow = self.flows[name]
        self._push(s)
        s.flow, s.slots, s.pending, s.misunderstood = name, dict(prefill), None, 0
        if title is None:  # typed, not pressed: name the errand as its menu entry does, the most specific one
            fits = [m for m in self.menu if m.flow == name and all(s.slots.get(k) == v for k, v in m.prefill.items())]
            title = max(fits, key=lambda m: len(m.prefill)).label if fits else None
        s.data["answered"] = 0
        out.intent = name
        state = flow.settle(flow.start, s.slots)
        if state in flow.questions:  # guidance reached at once is the whole first screen: no "I will ask…"
            out.say("common-flow-start", title=Text(title or flow.title))
        self._enter(s, state, out)

    def _answer(self, s: Session, q: Question, value: str, out: _Out, text: Utterance | str = "") -> None:
        flow = self.flows[s.flow]  # type: ignore[index]
        out.intent = s.flow
        choice = next(c for c in q.visible(s.slots) if c.value == value)
        s.misunderstood = 0
        if choice.hint:  # said, then on with the value recorded (不清楚 never asks the same question again)
            out.say(choice.hint)
        self._push(s)
        s.slots[q.slot] = value
        s.data["answered"] = s.data.get("answered", 0) + 1
        # "职工医保,断了两个月" answers this question and the next one: keep what else it says.
        for slot, extra in self._slots_for(s.flow, text).items():
            s.slots.setdefault(slot, extra)
        self._enter(s, flow.settle(flow.step(q.state, s.slots), s.slots), out)

    def _slots_for(self, flow: str | None, text: Utterance | str) -> dict[str, Any]:
        if not text or flow is None:
            return {}
        return self.nlu.slots_in(text, flow)

    def _enter(self, s: Session, state: str, out: _Out) -> None:
        """Make ``state`` current in the session's flow and say what it needs."""
        flow = self.flows[s.flow]  # type: ignore[index]
        s.state = state
        if state in flow.questions:
            return self._ask(s, flow.questions[state], out)
        # The first screen: verdict, where to go, first steps; the rest is one tap away (details).
        outcome = flow.outcomes[state]
        s.data["outcome_at"] = [s.flow, state, s.step]  # buttons drawn from now on belong to this guidance
        out.texts.extend(outcome.render(s.slots))
        out.say("common-local-rules")
        if outcome.health:
            out.say("common-footer")
        self._offer(s, self._after_outcome(flow, s), out)

    def _after_outcome(self, flow: Flow, s: Session, shown: str | None = None) -> list[Option]:
        """The detail sections not on screen, then the outcome's own options (by default 主菜单 and 转人工)."""
        outcome = flow.outcomes[s.state]  # type: ignore[index]
        return [*outcome.detail_options(s.slots, shown), *(outcome.options(s.slots) or AFTER_GUIDANCE)]

    def _outcome(self, s: Session) -> Guidance | None:
        """The guidance on screen, when the session is at an outcome."""
        flow = self.flows.get(s.flow or "")
        return flow.outcomes.get(s.state or "") if flow else None

    def _detail(self, s: Session, key: str, out: _Out) -> None:
        """Show one section of the guidance on screen; the state, slots and history stay as they are,
        so the same tap twice shows the same section twice and never moves the conversation on."""
        outcome = self._outcome(s)
        texts = outcome.section(key, s.slots) if outcome is not None else []
        if not texts:  # a section of guidance that is no longer on screen
            out.intent = "stale"
            out.say("common-stale-button")
            return self._reprompt(s, out)
        out.intent = s.flow
        s.misunderstood = 0
        out.texts.extend(texts)
        self._offer(s, self._after_outcome(self.flows[s.flow], s, shown=key), out)  # type: ignore[index]

    def _detail_button_current(self, s: Session, msg: Incoming) -> bool:
        """A detail button of the guidance still on screen stays good after other details were opened
        (a tap only shows text), so an older keyboard of the same guidance is not stale."""
        at = s.data.get("outcome_at")
        return (bool(msg.payload) and msg.payload.startswith(DETAIL_PREFIX) and isinstance(at, list)
                and at[:2] == [s.flow, s.state] and msg.button_step is not None and msg.button_step >= at[2])

    def _ask(self, s: Session, q: Question, out: _Out, with_handoff: bool = False) -> None:
        out.say(q.prompt)
        options = [Option(c.value, Text(c.label)) for c in q.visible(s.slots)]
        if with_handoff:  # no dead end: the options again, and a person
            options.append(Option("cmd:handoff", Text("opt-handoff")))
        self._offer(s, options, out)

    def _offer(self, s: Session, options: list[Option], out: _Out) -> None:
        options = [o for o in options if self._available(o.value)]
        out.options = options
        s.options = [o.value for o in options]

    def _asks_for_other_errand(self, s: Session, text: Utterance, u: Understanding) -> bool:
        """"新农合如何重新参保" at "您参加的是哪种医保?" asks for another errand rather than answering."""
        return u.intent in self.flows and u.intent != s.flow and u.score >= CONFIDENT and self.nlu.is_request(text)

    def _free_text_in_flow(self, s: Session, text: Utterance, out: _Out, u: Understanding) -> None:
        """Free text that is not an answer: another errand (ask before switching), more slots of this
        one, an FAQ or an out-of-scope question (answer, then ask the same question again)."""
        flow = self.flows[s.flow]  # type: ignore[index]
        if u.intent in self.flows and u.intent != s.flow:
            if not s.data.get("answered"):  # nothing the user said here would be lost: just switch
                return self._start_flow(s, u.intent, u.slots, out)
            s.pending = {"flow": u.intent, "slots": u.slots}
            out.intent = u.intent
            out.say("common-confirm-switch", title=Text(self.flows[u.intent].title))
            return self._offer(s, [Option("yes", Text("opt-yes")), Option("no", Text("opt-no"))], out)
        if u.intent == s.flow:
            return self._same_errand(s, flow, u, out)
        if u.intent == "handoff":
            return self._command(s, "handoff", out)
        dropped = self.nlu.drops_errand(text, flow.name)  # "不想转了…", "算了不退了…"
        if u.intent == "faq" and u.faq:
            if dropped and u.faq in faq_by_id():  # the errand is given up: answer, and offer what follows
                return self._faq(s, u.faq, out)
            self._say_faq(u.faq, out)
            out.say("oos-in-flow")
            return self._reprompt(s, out)
        if dropped and u.intent is None or dropped and u.score < CONFIDENT:
            out.say("dialogue-errand-dropped", title=Text(flow.title))
            s.misunderstood = 0
            out.intent = "cmd:menu"
            return self._show_menu(s, out)
        if u.intent == "out_of_scope" and u.score >= CONFIDENT:
            self._say_out_of_scope(u, out)
            out.say("oos-in-flow")
            return self._reprompt(s, out)
        self._not_an_answer(s, text, out)

    def _not_an_answer(self, s: Session, text: Utterance, out: _Out) -> None:
        """Free text that answers nothing at a question. A bare 是/不是/yes/no at an option question, or
        "不清楚" where the question has no such option, shows the options with what to do; the second
        misunderstanding at the same question shows them with one line of explanation and 转人工."""
        q = self._question(s)
        assert q is not None
        out.intent = "unknown"
        s.misunderstood += 1
        if self.nlu.is_unsure(text):
            out.say("dialogue-unsure-no-option", hotline=self.hotline)
            return self._ask(s, q, out, with_handoff=True)
        if self.nlu.is_bare(text):
            out.say("dialogue-pick-option")
            return self._ask(s, q, out, with_handoff=s.misunderstood >= 2)
        if s.misunderstood >= 2:
            out.say("dialogue-options-explain")
            return self._ask(s, q, out, with_handoff=True)
        out.say("common-not-understood-answer", hotline=self.hotline)
        self._ask(s, q, out)

    def _same_errand(self, s: Session, flow: Flow, u: Understanding, out: _Out) -> None:
        """The user restates the errand we are in: take new facts; contradicting ones → offer a restart."""
        out.intent = s.flow
        said = dict(u.slots)
        if any(k in s.slots and s.slots[k] != v for k, v in said.items()):
            if not s.data.get("answered"):  # only prefilled facts so far: take the new ones outright
                return self._start_flow(s, flow.name, said, out)
            s.pending = {"flow": flow.name, "slots": said}
            out.say("dialogue-confirm-restart", title=Text(flow.title))
            return self._offer(s, [Option("yes", Text("opt-yes")), Option("no", Text("opt-no"))], out)
        new = {k: v for k, v in said.items() if k not in s.slots}
        if new:
            self._push(s)
            s.slots.update(new)
            return self._enter(s, flow.settle(s.state, s.slots), out)  # type: ignore[arg-type]
        out.say("dialogue-same-errand", title=Text(flow.title))
        self._reprompt(s, out)

    def _free_text_idle(self, s: Session, text: Utterance, out: _Out, first_contact: bool) -> None:
        value = self.nlu.match_choice(text, "_menu", self._labelled_menu(s))
        if value is not None:
            return self._choose(s, value, out)
        u = self.nlu.understand(text)
        if u.intent in self.flows:
            return self._start_flow(s, u.intent, u.slots, out)
        if u.intent == "handoff":
            return self._command(s, "handoff", out)
        if u.intent == "faq" and u.faq in faq_by_id():
            return self._faq(s, u.faq, out, u.slots)
        if u.intent == "out_of_scope":
            self._say_out_of_scope(u, out)
            s.misunderstood = 0
            return self._show_menu(s, out)
        out.intent = u.intent or "unknown"
        if first_contact:
            out.say("common-welcome")
        else:
            self._not_understood(s, out, "common-not-understood-idle")
        self._show_menu(s, out)

    # -- FAQ and out of scope -------------------------------------------------------------------
    def _faq(self, s: Session, faq_id: str, out: _Out, context: Mapping[str, Any] | None = None) -> None:
        """Answer one FAQ (or list them all for ``list``) and offer the errand it leads to."""
        faqs = faq_by_id()
        out.intent = "faq"
        if s.flow is not None:
            self._push(s)
        s.flow, s.pending, s.misunderstood = None, None, 0
        if faq_id not in faqs:  # "list", or an id from an old keyboard
            s.state, s.slots = MENU_STATE, {}
            out.say("faq-list-prompt")
            options = [Option(f"faq:{f.id}", f.question) for f in faqs.values()]
            return self._offer(s, [*options, Option("cmd:menu", Text("opt-menu"))], out)
        s.state, s.slots = FAQ_STATE, dict(context or {})
        self._say_faq(faq_id, out)
        out.say("common-local-rules")
        if faqs[faq_id].health:
            out.say("common-footer")
        self._offer(s, [*faqs[faq_id].follow_up, Option(FAQ_LIST, Text("opt-faq-more")),
                        Option("cmd:menu", Text("opt-menu")), Option("cmd:handoff", Text("opt-handoff"))], out)

    def _say_faq(self, faq_id: str, out: _Out) -> None:
        entry = faq_by_id()[faq_id]
        out.intent = "faq"
        out.say("faq-intro", question=entry.question)
        for key in entry.answer:
            out.say(key)

    def _say_out_of_scope(self, u: Understanding, out: _Out) -> None:
        """domain.md §10: say what the bot does; group A → ask the local office / hotline; health → no advice."""
        out.intent = "out_of_scope"
        out.say("oos-reply")
        if u.topic == "social":  # pension, work injury, unemployment, maternity: 社保/人社, 12333
            out.say("oos-social")
        elif u.topic == "housing_fund":  # 公积金: 12329
            out.say("oos-housing-fund")
        elif u.topic == "insurance":
            out.say("oos-ask-local", hotline=self.hotline)
        else:
            if u.topic == "health":
                out.say("oos-health")
            out.say("oos-other", hotline=self.hotline)

    def _not_understood(self, s: Session, out: _Out, key: str) -> None:
        s.misunderstood += 1
        out.say(key, hotline=self.hotline)
        if s.misunderstood >= 2:
            out.say("common-offer-handoff")

    def _available(self, value: str) -> bool:
        """False for options that start a flow this deployment does not have."""
        if not value.startswith("flow:"):
            return True
        name = value[5:].partition("?")[0]
        return name in self.flows or any(m.key == name for m in self.menu)

    # -- commands -----------------------------------------------------------------------------------
    def _command(self, s: Session, cmd: str, out: _Out) -> None:
        out.intent = f"cmd:{cmd}"
        s.pending = None
        if cmd == "back":
            return self._back(s, out)
        if cmd == "restart":
            s.flow, s.state, s.slots, s.history, s.misunderstood = None, MENU_STATE, {}, [], 0
            out.say("common-restarted")
            return self._show_menu(s, out)
        if cmd in ("menu", "greet"):
            if s.flow is not None:
                self._push(s)
            s.flow, s.state, s.slots = None, MENU_STATE, {}
            if cmd == "greet":
                out.say("common-welcome")
            return self._show_menu(s, out)
        if cmd == "help":
            out.say("common-help")
            return self._reprompt(s, out)
        if cmd == "exit":
            s.flow, s.state, s.slots, s.history, s.misunderstood = None, CLOSED_STATE, {}, [], 0
            out.say("common-goodbye", hotline=self.hotline)
            out.say("common-local-rules")
            return self._offer(s, [Option("cmd:menu", Text("opt-menu"))], out)
        if cmd == "handoff":
            out.intent = "handoff"
            out.effects.append({"type": "handoff_requested", "flow": s.flow, "state": s.state})
            out.say("common-handoff-unavailable", hotline=self.hotline)
            return self._reprompt(s, out)
        if cmd in ("lang_en", "lang_zh"):
            s.locale = "en" if cmd == "lang_en" else "zh-CN"
            out.say("common-language-set")
            return self._reprompt(s, out)
        # A command this deployment does not know (an old keyboard, a custom-menu key): like a stale button.
        out.intent = "stale"
        out.say("common-stale-button")
        self._reprompt(s, out)

    def _back(self, s: Session, out: _Out) -> None:
        if not s.history:
            out.say("common-nothing-to-undo")
            return self._reprompt(s, out)
        snap = s.history.pop()
        s.flow, s.state, s.slots = snap["flow"], snap["state"], dict(snap["slots"])
        out.say("common-went-back")
        self._reprompt(s, out)

    def _push(self, s: Session) -> None:
        s.history.append({"flow": s.flow, "state": s.state, "slots": dict(s.slots)})
        del s.history[: -self.history_limit]

    # -- showing where we are ---------------------------------------------------------------------
    def _reprompt(self, s: Session, out: _Out) -> None:
        flow = self.flows.get(s.flow or "")
        if flow is None or s.state not in flow.questions and s.state not in flow.outcomes:
            return self._show_menu(s, out)
        if s.state in flow.questions:
            return self._ask(s, flow.questions[s.state], out)
        out.say("common-anything-else")
        self._offer(s, self._after_outcome(flow, s), out)

    def _show_menu(self, s: Session, out: _Out) -> None:
        if s.flow is not None:
            self._push(s)  # so that 返回上一步 can come back from the menu
        s.flow, s.state, s.slots = None, MENU_STATE, {}
        out.say("menu-prompt")
        options = [Option(flow_value(m.key), Text(m.label)) for m in self.menu]
        options.append(Option(FAQ_LIST, Text("menu-faq")))
        options.append(Option("cmd:handoff", Text("opt-handoff")))
        self._offer(s, options, out)

    # -- labels for free-text matching ------------------------------------------------------------
    def _labelled(self, s: Session, values: list[str]) -> list[tuple[str, list[str]]]:
        return [(v, [self.tr.text(Text(f"opt-{v}"), s.locale)]) for v in values]

    def _labelled_choices(self, s: Session, q: Question,
                          slots: Mapping[str, Any] | None = None) -> list[tuple[str, list[str]]]:
        return [
            (c.value, [self.tr.text(Text(c.label), loc) for loc in (s.locale, self.default_locale)])
            for c in q.visible(s.slots if slots is None else slots)
        ]

    def _labelled_details(self, s: Session) -> list[tuple[str, list[str]]]:
        outcome = self._outcome(s)
        if outcome is None:
            return []
        return [
            (d.value, [self.tr.text(Text(d.label), loc) for loc in (s.locale, self.default_locale)])
            for d, _ in outcome.sections(s.slots)
        ]

    def _labelled_menu(self, s: Session) -> list[tuple[str, list[str]]]:
        entries = [(flow_value(m.key), m.label) for m in self.menu] + [(FAQ_LIST, "menu-faq")]
        return [
            (value, [self.tr.text(Text(label), loc) for loc in (s.locale, self.default_locale)])
            for value, label in entries
        ]


def faq_by_id() -> Mapping[str, Any]:
    return BY_ID

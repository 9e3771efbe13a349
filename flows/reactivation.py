"""断缴补缴 / 重新参保 / 医保卡激活 (domain.md §6).

Slot values follow the public dev-set labels (react_task=补缴/重新参保/卡激活, ins_type=居民/职工,
lapse=≤3个月/>3个月, channel=线上/线下). Exactly three months counts as ≤3个月 (domain.md §8 C4).
Every visible choice, 不清楚 included, leads on: an unknown 险种 gets both rules, an unknown lapse is told how to
check it and sees both outcomes, an unknown card part is told what the two accounts are.
"""
from __future__ import annotations

from typing import Callable

from bot.messages import Option, Text
from flows.base import Choice, Flow, Outcome, Question, Route, Slots, follow_up, ins_type_choices, slot_is
from flows.dialogue import flow_value

BACKPAY, REENROL, CARD = "补缴", "重新参保", "卡激活"
RESIDENT, EMPLOYEE, UNSURE = "居民", "职工", "不清楚"
SHORT, LONG = "≤3个月", ">3个月"
WHERE = (("医院药店", "hospital"), ("医保窗口", "window"), ("手机APP", "app"), ("电话", "phone"),
         ("银行网点", "bank"), ("人在外地", "elsewhere"))
TITLES = {BACKPAY: "react-title-backpay", REENROL: "react-title-reenrol", CARD: "react-title-card"}

is_card = slot_is("react_task", CARD)

QUESTIONS = (
    Question("ask_task", "react_task", "react-ask-task", (
        Choice(BACKPAY, "react-task-backpay"),
        Choice(REENROL, "react-task-reenrol"),
        Choice(CARD, "react-task-card"),
    )),
    Question("ask_ins_type", "ins_type", "react-ask-ins-type", ins_type_choices(resident_first=False)),
    Question("ask_lapse", "lapse", "react-ask-lapse", (
        Choice(SHORT, "react-lapse-short"),
        Choice(LONG, "react-lapse-long"),
        Choice(UNSURE, "react-lapse-unsure"),
    )),
    Question("ask_over_65", "over_65", "react-ask-over-65", (
        Choice("是", "opt-yes"),
        Choice("否", "opt-no"),
    )),
    Question("ask_channel", "channel", "ask-channel", (
        Choice("线上", "opt-online"),
        Choice("线下", "opt-offline"),
    )),
    Question("ask_card_part", "card_part", "react-ask-card-part", (
        Choice("就医结算", "react-card-part-medical"),
        Choice("银行卡", "react-card-part-bank"),
        Choice("电子凭证", "react-card-part-ecert"),
        Choice(UNSURE, "opt-unknown", hint="react-card-part-hint"),
    )),
    Question("ask_for_whom", "for_whom", "react-ask-for-whom", (
        Choice("本人", "react-for-self"),
        Choice("代办", "react-for-family"),
        Choice("新生儿", "react-for-newborn"),
    )),
    Question("ask_card_received", "card_received", "react-ask-card-received", (
        Choice("已拿到", "react-card-received-yes"),
        Choice("没拿到", "react-card-received-no"),
    )),
    Question("ask_where", "activate_where", "react-ask-where",
             tuple(Choice(value, f"react-where-{suffix}") for value, suffix in WHERE)),
)

ROUTES = (
    Route("ask_task", "ask_card_part", is_card),
    Route("ask_task", "ask_ins_type"),
    Route("ask_ins_type", "ask_over_65", slot_is("ins_type", RESIDENT)),
    Route("ask_ins_type", "ask_lapse"),  # 职工, or 不清楚 (the outcome then gives both rules)
    Route("ask_lapse", "done_employee_unknown", slot_is("lapse", UNSURE)),
    Route("ask_lapse", "ask_channel"),
    Route("ask_over_65", "ask_channel"),
    Route("ask_channel", "done_resident", slot_is("ins_type", RESIDENT)),
    Route("ask_channel", "done_employee_long", slot_is("lapse", LONG)),
    Route("ask_channel", "done_employee_short"),
    # The electronic certificate is activated in the app: no card to wait for, nobody to bring (defect 11).
    Route("ask_card_part", "done_card_ecert", slot_is("card_part", "电子凭证")),
    Route("ask_card_part", "ask_for_whom"),
    Route("ask_for_whom", "done_card_newborn", slot_is("for_whom", "新生儿")),
    Route("ask_for_whom", "ask_card_received"),
    Route("ask_card_received", "done_card_status", slot_is("card_received", "没拿到")),
    Route("ask_card_received", "done_card_bank", slot_is("card_part", "银行卡")),
    Route("ask_card_received", "ask_where"),
    *(Route("ask_where", f"done_card_{suffix}", slot_is("activate_where", value)) for value, suffix in WHERE[:-1]),
    Route("ask_where", "done_card_elsewhere"),
)

Render = Callable[[Slots], list[Text]]


def title(slots: Slots) -> str:
    """The errand's own name for the greeting: 医保卡激活 when that is what was tapped."""
    return TITLES.get(slots.get("react_task", ""), "flow-reactivation")


# -- lapse guidance ------------------------------------------------------------------------------
def _online(slots: Slots) -> bool:
    return slots.get("channel") == "线上"


def _type_unknown(slots: Slots) -> list[Text]:
    return [Text("react-type-unknown")] if slots.get("ins_type") == UNSURE else []


def _employee_short(slots: Slots) -> list[Text]:
    out = [*_type_unknown(slots), Text("react-emp-short-verdict")]
    if slots.get("react_task") == REENROL:
        out.append(Text("react-emp-short-no-reenrol"))
    return [*out, Text("react-emp-pay-online" if _online(slots) else "react-emp-pay-offline")]


def _employee_long(slots: Slots) -> list[Text]:
    # Re-enrolment, not back-payment: its own channel text (defect 4).
    return [*_type_unknown(slots), Text("react-emp-long-verdict"),
            Text("react-emp-reenrol-online" if _online(slots) else "react-emp-reenrol-offline")]


def _employee_unknown(slots: Slots) -> list[Text]:
    return [*_type_unknown(slots), Text("react-emp-unknown-check"), Text("react-emp-unknown-both"),
            Text("react-emp-unknown-where")]


def _resident(slots: Slots) -> list[Text]:
    out = [Text("react-res-verdict")]
    if slots.get("over_65") == "是":
        out.append(Text("react-res-over-65"))
    return [*out, Text("react-res-wait"), Text("react-res-pay-online" if _online(slots) else "react-res-pay-offline")]


def _resident_details(slots: Slots) -> dict[str, list[Text]]:
    details: dict[str, list[Text]] = {}
    if slots.get("react_task") == REENROL:
        details["materials"] = [Text("react-res-conditions"), Text("react-res-materials")]
    if _online(slots):
        details["steps"] = [Text("react-res-pay-online-more")]
    details["notes"] = [Text("react-res-example"), Text("react-new-enrollee-wait"), Text("react-res-merged"), Text("react-gap-effect-res"),
                        Text("react-contact")]
    return details


# -- card guidance -------------------------------------------------------------------------------
def _card(how: str, *, proxy: bool = False, medical_too: bool = False) -> Render:
    """First screen of a card outcome: what the two accounts are (after 不清楚), how, and the proxy papers
    where someone goes in person for the card holder (window and bank only, defect 12)."""
    def essentials(slots: Slots) -> list[Text]:
        out = [Text("react-card-part-explain")] if slots.get("card_part") == UNSURE else []
        out.append(Text(how))
        if medical_too and slots.get("card_part") != "银行卡":
            out.append(Text("react-card-bank-medical"))
        if proxy and slots.get("for_whom") == "代办":
            out.append(Text("react-card-proxy"))
        return out
    return essentials


_CARD_NOTES = [Text("react-card-after"), Text("react-card-check-made"), Text("react-card-deadline"),
               Text("react-card-elsewhere-tip"), Text("react-card-contact")]


def _card_again(slots: Slots) -> list[Option]:
    """「卡已拿到,继续激活」 keeps what was already answered, so it goes straight to 去哪激活 (defect 15)."""
    known = {k: slots[k] for k in ("card_part", "for_whom") if k in slots}
    value = flow_value("reactivation", {"react_task": CARD, **known, "card_received": "已拿到"})
    return [Option(value, Text("opt-card-got-it")), *follow_up()(slots)]


_lapse_faq = Option("faq:lapse_effects", Text("opt-faq-lapse-effects"))
_wait_faq = Option("faq:new_6m", Text("opt-faq-new-6m"))


def _fixed(*texts: Text) -> Callable[[Slots], list[Text]]:
    return lambda slots: list(texts)


# state -> (first screen, details by key, options)
GUIDANCE: dict[str, tuple[Render, Callable[[Slots], dict[str, list[Text]]], Callable[[Slots], list[Option]]]] = {
    "done_employee_short": (
        _employee_short,
        lambda s: {"materials": [Text("react-emp-short-materials")],
                   "notes": [Text("react-emp-late-fee"), Text("react-emp-short-effects"), Text("react-contact")]},
        follow_up(_lapse_faq)),
    "done_employee_long": (
        _employee_long,
        lambda s: {"notes": [Text("react-emp-long-wait"), Text("react-emp-long-bridge"), Text("react-gap-effect-emp"),
                             Text("react-contact")]},
        follow_up(_lapse_faq)),
    "done_employee_unknown": (
        _employee_unknown,
        lambda s: {"materials": [Text("react-emp-short-materials")],
                   "notes": [Text("react-emp-long-wait"), Text("react-emp-late-fee"), Text("react-contact")]},
        follow_up(_lapse_faq)),
    "done_resident": (_resident, _resident_details, follow_up(_wait_faq, _lapse_faq)),
    "done_card_status": (_fixed(Text("react-card-status")),
                         lambda s: {"notes": [Text("react-card-deadline"), Text("react-card-contact")]},
                         _card_again),
    "done_card_newborn": (_fixed(Text("react-card-newborn")),
                          lambda s: {"notes": _CARD_NOTES}, follow_up()),
    "done_card_ecert": (_fixed(Text("react-card-ecert")),
                        lambda s: {"notes": [Text("react-card-contact")]}, follow_up()),
    "done_card_bank": (_card("react-card-bank", proxy=True, medical_too=True),
                       lambda s: {"materials": [Text("react-card-materials")],
                                  "notes": [Text("react-card-deadline"), Text("react-card-contact")]},
                       follow_up()),
    "done_card_window": (_card("react-card-window", proxy=True),
                         lambda s: {"materials": [Text("react-card-materials")], "notes": _CARD_NOTES},
                         follow_up()),
    "done_card_hospital": (_card("react-card-hospital"), lambda s: {"notes": _CARD_NOTES}, follow_up()),
    "done_card_app": (_card("react-card-app"), lambda s: {"notes": _CARD_NOTES}, follow_up()),
    "done_card_phone": (_card("react-card-phone"), lambda s: {"notes": _CARD_NOTES}, follow_up()),
    "done_card_elsewhere": (_card("react-card-elsewhere"), lambda s: {"notes": _CARD_NOTES}, follow_up()),
}


def _outcome(state: str) -> Outcome:
    essentials, details, options = GUIDANCE[state]

    def render(slots: Slots) -> list[Text]:
        return [*essentials(slots), *(t for texts in details(slots).values() for t in texts)]
    return Outcome(state, render, options)


OUTCOMES = tuple(_outcome(state) for state in GUIDANCE)


def build() -> Flow:
    return Flow("reactivation", "flow-reactivation", "ask_task", QUESTIONS, OUTCOMES, ROUTES)

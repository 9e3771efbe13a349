"""断缴补缴 / 重新参保 / 医保卡激活 (domain.md §6).

Slot values follow the public dev-set labels (react_task=补缴/重新参保/卡激活, ins_type=居民/职工,
lapse=≤3个月/>3个月, channel=线上/线下). Exactly three months counts as ≤3个月 (domain.md §8 C4).
Every visible choice, 不清楚 included, leads on: an unknown 险种 gets both rules, an unknown lapse is told how to
check it and sees both outcomes, an unknown card part is told what the two accounts are.
"""
from __future__ import annotations

from typing import Callable

from bot.messages import Option, Text
from flows.base import (
    Choice, Detail, Flow, Guidance, Question, Route, Slots, flow_value, follow_up, ins_type_choices, slot_is,
)

BACKPAY, REENROL, CARD = "补缴", "重新参保", "卡激活"
RESIDENT, EMPLOYEE, UNSURE = "居民", "职工", "不清楚"
SHORT, LONG = "≤3个月", ">3个月"
WHERE = (("医院药店", "hospital"), ("医保窗口", "window"), ("手机APP", "app"), ("电话", "phone"),
         ("银行网点", "bank"), ("人在外地", "elsewhere"))

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
        Choice(UNSURE, "react-card-part-unsure", hint="react-card-part-hint"),
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


# -- card guidance -------------------------------------------------------------------------------
def _card(*how: str, proxy: bool = False, medical_too: bool = False) -> Render:
    """First screen of a card outcome: what the two accounts are (after 不清楚), how, and the proxy papers
    where someone goes in person for the card holder (window and bank only, defect 12)."""
    def essentials(slots: Slots) -> list[Text]:
        # After 不清楚: say what the two accounts are (at the bank, its own text and the medical line do).
        out = [Text("react-card-part-explain")] if slots.get("card_part") == UNSURE and not medical_too else []
        out += [*(Text(k) for k in how), Text("react-card-deadline")]
        if medical_too and slots.get("card_part") != "银行卡":
            out.append(Text("react-card-bank-medical"))
        if proxy and slots.get("for_whom") == "代办":
            out.append(Text("react-card-proxy"))
        return out
    return essentials


def _texts(*keys: str) -> Callable[[Slots], list[Text]]:
    return lambda slots: [Text(k) for k in keys]


def _card_again(slots: Slots) -> list[Option]:
    """「卡已拿到,继续激活」 keeps what was already answered, so it goes straight to 去哪激活 (defect 15)."""
    known = {k: slots[k] for k in ("card_part", "for_whom") if k in slots}
    # Through the 医保卡激活 menu entry, so that the greeting names this errand.
    value = flow_value("card", {"react_task": CARD, **known, "card_received": "已拿到"})
    return [Option(value, Text("opt-card-got-it")), *follow_up()(slots)]


def _resident_materials(slots: Slots) -> list[Text]:
    if slots.get("react_task") == REENROL:
        return [Text("react-res-conditions"), Text("react-res-materials")]
    return []


_lapse_faq = Option("faq:lapse_effects", Text("opt-faq-lapse-effects"))
_wait_faq = Option("faq:new_6m", Text("opt-faq-new-6m"))

CONTACT = Detail("contact", "detail-contact", _texts("react-contact"))
CARD_CONTACT = Detail("contact", "detail-contact", _texts("react-card-contact"))
BACKPAY_MATERIALS = Detail("materials", "detail-materials", _texts("react-emp-short-materials"))
CARD_MATERIALS = Detail("materials", "detail-materials", _texts("react-card-materials"))
CARD_AFTER = Detail("after", "react-detail-after", _texts("react-card-after"))
CARD_NOTES = Detail("notes", "detail-notes",
                    _texts("react-card-check-made", "react-card-elsewhere-tip"))
CARD_DETAILS = (CARD_AFTER, CARD_NOTES, CARD_CONTACT)

OUTCOMES = (
    Guidance("done_employee_short", _employee_short, follow_up(_lapse_faq), details=(
        BACKPAY_MATERIALS,
        Detail("notes", "detail-notes", _texts("react-emp-late-fee", "react-emp-short-effects")),
        CONTACT)),
    Guidance("done_employee_long", _employee_long, follow_up(_lapse_faq), details=(
        Detail("wait", "react-detail-wait", _texts("react-emp-long-wait", "react-emp-long-bridge")),
        Detail("notes", "detail-notes", _texts("react-gap-effect-emp")),
        CONTACT)),
    Guidance("done_employee_unknown", _employee_unknown, follow_up(_lapse_faq), details=(
        BACKPAY_MATERIALS,
        Detail("wait", "react-detail-wait", _texts("react-emp-long-wait", "react-emp-long-bridge")),
        Detail("notes", "detail-notes", _texts("react-emp-late-fee", "react-gap-effect-emp")),
        CONTACT)),
    Guidance("done_resident", _resident, follow_up(_wait_faq, _lapse_faq), details=(
        Detail("materials", "react-detail-conditions", _resident_materials),
        Detail("steps", "detail-steps", lambda s: [Text("react-res-pay-online-more")] if _online(s) else []),
        Detail("wait", "react-detail-wait", _texts("react-new-enrollee-wait")),
        Detail("notes", "detail-notes", _texts("react-res-example", "react-res-merged", "react-gap-effect-res")),
        CONTACT)),
    Guidance("done_card_status", _texts("react-card-status", "react-card-deadline"), _card_again,
            details=(CARD_CONTACT,)),
    Guidance("done_card_newborn", _texts("react-card-newborn", "react-card-deadline"), details=CARD_DETAILS),
    Guidance("done_card_ecert", _texts("react-card-ecert", "react-card-contact")),
    Guidance("done_card_bank", _card("react-card-bank", proxy=True, medical_too=True), details=(
        CARD_MATERIALS, Detail("notes", "detail-notes", _texts("react-card-check-made")), CARD_CONTACT)),
    Guidance("done_card_window", _card("react-card-window", "react-card-materials", proxy=True), details=CARD_DETAILS),
    # Activation at the first visit to a hospital, and treatment in another city: health comes up.
    Guidance("done_card_hospital", _card("react-card-hospital"), details=CARD_DETAILS, health=True),
    Guidance("done_card_app", _card("react-card-app"), details=CARD_DETAILS),
    Guidance("done_card_phone", _card("react-card-phone"), details=CARD_DETAILS),
    Guidance("done_card_elsewhere", _card("react-card-elsewhere"), details=CARD_DETAILS, health=True),
)


def build() -> Flow:
    return Flow("reactivation", "flow-reactivation", "ask_task", QUESTIONS, OUTCOMES, ROUTES)

"""断缴补缴 / 重新参保 / 医保卡激活 (domain.md §6).

Slot values follow the public dev-set labels (react_task=补缴/重新参保/卡激活, ins_type=居民/职工,
lapse=≤3个月/>3个月, channel=线上/线下). Exactly three months counts as ≤3个月 (domain.md §8 C4).
"""
from __future__ import annotations

from bot.messages import Option, Text
from flows.base import Choice, Flow, Outcome, Question, Route, Slots, follow_up, ins_type_choices, slot_is
from flows.dialogue import flow_value

BACKPAY, REENROL, CARD = "补缴", "重新参保", "卡激活"
RESIDENT, EMPLOYEE = "居民", "职工"
SHORT, LONG = "≤3个月", ">3个月"
WHERE = (("医院药店", "hospital"), ("医保窗口", "window"), ("手机APP", "app"), ("电话", "phone"),
         ("人在外地", "elsewhere"))

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
        Choice("不清楚", "opt-unknown"),
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
        Choice("不清楚", "opt-unknown", hint="react-card-part-hint"),
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
    Route("ask_ins_type", "ask_lapse", slot_is("ins_type", EMPLOYEE)),
    Route("ask_ins_type", "ask_over_65"),
    Route("ask_lapse", "done_employee_unknown", slot_is("lapse", "不清楚")),
    Route("ask_lapse", "ask_channel"),
    Route("ask_over_65", "ask_channel"),
    Route("ask_channel", "done_resident", slot_is("ins_type", RESIDENT)),
    Route("ask_channel", "done_employee_long", slot_is("lapse", LONG)),
    Route("ask_channel", "done_employee_short"),
    Route("ask_card_part", "ask_for_whom"),
    Route("ask_for_whom", "done_card_newborn", slot_is("for_whom", "新生儿")),
    Route("ask_for_whom", "ask_card_received"),
    Route("ask_card_received", "done_card_status", slot_is("card_received", "没拿到")),
    Route("ask_card_received", "done_card_bank", slot_is("card_part", "银行卡")),
    Route("ask_card_received", "done_card_ecert", slot_is("card_part", "电子凭证")),
    Route("ask_card_received", "ask_where"),
    *(Route("ask_where", f"done_card_{suffix}", slot_is("activate_where", value)) for value, suffix in WHERE[:-1]),
    Route("ask_where", "done_card_elsewhere"),
)


# -- lapse guidance ------------------------------------------------------------------------------
def _channel(slots: Slots, online: str, offline: str) -> Text:
    return Text(online if slots.get("channel") == "线上" else offline)


def _employee_short(slots: Slots) -> list[Text]:
    out = [Text("react-emp-short-verdict")]
    if slots.get("react_task") == REENROL:
        out.append(Text("react-emp-short-no-reenrol"))
    return [*out, Text("react-emp-short-effects"), Text("react-emp-short-materials"), Text("react-emp-late-fee"),
            _channel(slots, "react-emp-pay-online", "react-emp-pay-offline"), Text("react-boundary-hurry"),
            Text("react-contact")]


def _employee_long(slots: Slots) -> list[Text]:
    return [Text("react-emp-long-verdict"), Text("react-emp-long-wait"), Text("react-emp-long-bridge"),
            _channel(slots, "react-emp-pay-online", "react-emp-pay-offline"), Text("react-contact")]


def _employee_unknown(slots: Slots) -> list[Text]:
    return [Text("react-emp-unknown-check"), Text("react-emp-short-verdict"), Text("react-emp-long-verdict"),
            Text("react-emp-long-wait"), Text("react-contact")]


def _resident(slots: Slots) -> list[Text]:
    out = [Text("react-res-verdict"), Text("react-res-period")]
    if slots.get("react_task") == REENROL:
        out += [Text("react-res-conditions"), Text("react-res-materials"), Text("react-new-enrollee-wait")]
    if slots.get("over_65") == "是":
        out.append(Text("react-res-over-65"))
    out.append(Text("react-res-merged"))
    out.append(_channel(slots, "react-res-pay-online", "react-res-pay-offline"))
    return [*out, Text("react-gap-effect"), Text("react-contact")]


# -- card guidance -------------------------------------------------------------------------------
def _card(*keys: str):
    def render(slots: Slots) -> list[Text]:
        out = [Text("react-card-check-made"), *(Text(k) for k in keys)]
        if slots.get("for_whom") == "代办":
            out.append(Text("react-card-proxy"))
        if slots.get("card_part") != "银行卡":
            out.append(Text("react-card-elsewhere-tip"))
        return [*out, Text("react-card-after"), Text("react-card-contact")]
    return render



_card_again = Option(flow_value("reactivation", {"react_task": CARD, "card_received": "已拿到"}),
                     Text("opt-card-got-it"))
_lapse_faq = Option("faq:lapse_effects", Text("opt-faq-lapse-effects"))
_wait_faq = Option("faq:new_6m", Text("opt-faq-new-6m"))

OUTCOMES = (
    Outcome("done_employee_short", _employee_short, follow_up(_lapse_faq)),
    Outcome("done_employee_long", _employee_long, follow_up(_lapse_faq)),
    Outcome("done_employee_unknown", _employee_unknown, follow_up(_lapse_faq)),
    Outcome("done_resident", _resident, follow_up(_wait_faq)),
    Outcome("done_card_status", lambda s: [Text("react-card-status"), Text("react-card-status-deadline"),
                                           Text("react-card-contact")], follow_up(_card_again)),
    Outcome("done_card_newborn", lambda s: [Text("react-card-newborn"), Text("react-card-after"),
                                            Text("react-card-contact")]),
    Outcome("done_card_bank", _card("react-card-bank")),
    Outcome("done_card_ecert", _card("react-card-ecert")),
    Outcome("done_card_hospital", _card("react-card-hospital")),
    Outcome("done_card_window", _card("react-card-window", "react-card-materials")),
    Outcome("done_card_app", _card("react-card-app")),
    Outcome("done_card_phone", _card("react-card-phone")),
    Outcome("done_card_elsewhere", _card("react-card-elsewhere")),
)


def build() -> Flow:
    return Flow("reactivation", "flow-reactivation", "ask_task", QUESTIONS, OUTCOMES, ROUTES)

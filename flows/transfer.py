"""转移接续 / 两地重复参保: move the 医保 relationship to a new place, or keep one of two (domain.md §4).

Slot values follow the public dev-set labels (situation=换地转移/两地重复, lapse=≤3个月/>3个月, channel=线上/线下).
What the guidance says depends on the pair of schemes: 职工医保 years add up across regions, 居民医保
generally is not merged ([004]) — so a 居民 duplicate is cancelled rather than merged.
"""
from __future__ import annotations

from bot.messages import Option, Text
from flows.base import AFTER_GUIDANCE, Choice, Detail, Flow, Guidance, Question, Route, Slots, flow_value, slot_is

MOVE, DUPLICATE, STOP_OLD, UNSURE = "换地转移", "两地重复", "停掉原来", "不清楚"
EMPLOYEE, RESIDENT, MIXED = "职工", "居民", "职工和居民"
ONLINE = "线上"

is_duplicate = slot_is("situation", DUPLICATE) | slot_is("both_records", "有")

QUESTIONS = (
    Question("ask_situation", "situation", "transfer-ask-situation", (
        Choice(MOVE, "transfer-situation-move"),
        Choice(DUPLICATE, "transfer-situation-duplicate"),
        Choice(STOP_OLD, "transfer-situation-stop-old"),
        Choice(UNSURE, "opt-unknown"),
    )),
    Question("ask_both_records", "both_records", "transfer-ask-both-records", (
        Choice("有", "transfer-both-records-yes"),
        Choice("没有", "transfer-both-records-no"),
    )),
    Question("ask_ins_pair", "ins_pair", "transfer-ask-ins-pair", (
        Choice(EMPLOYEE, "transfer-pair-employee"),
        Choice(RESIDENT, "transfer-pair-resident"),
        Choice(MIXED, "transfer-pair-mixed"),
        Choice(UNSURE, "opt-unknown"),
    )),
    Question("ask_cross_province", "cross_province", "transfer-ask-cross-province", (
        Choice("省内", "transfer-province-same"),
        Choice("跨省", "transfer-province-cross"),
        Choice(UNSURE, "opt-unknown"),
    )),
    Question("ask_enrolled_new", "enrolled_new", "transfer-ask-enrolled-new", (
        Choice("已参保", "transfer-enrolled-yes"),
        Choice("还没有", "transfer-enrolled-no"),
    )),
    Question("ask_lapse", "lapse", "transfer-ask-lapse", (
        Choice("没断", "transfer-lapse-none"),
        Choice("≤3个月", "transfer-lapse-short"),
        Choice(">3个月", "transfer-lapse-long"),
    )),
    Question("ask_channel", "channel", "ask-channel", (
        Choice(ONLINE, "opt-online"),
        Choice("线下", "opt-offline"),
    )),
)

ROUTES = (
    Route("ask_situation", "ask_both_records", slot_is("situation", UNSURE)),
    Route("ask_situation", "ask_channel", slot_is("situation", STOP_OLD)),
    Route("ask_situation", "ask_ins_pair"),
    Route("ask_both_records", "ask_ins_pair"),
    Route("ask_ins_pair", "done_dup_emp_res", is_duplicate & slot_is("ins_pair", MIXED)),
    Route("ask_ins_pair", "ask_cross_province"),
    Route("ask_cross_province", "ask_channel", is_duplicate),
    Route("ask_cross_province", "ask_enrolled_new"),
    Route("ask_enrolled_new", "ask_lapse"),
    Route("ask_lapse", "ask_channel"),  # a long gap too: it still needs the channel (defect 15)
    Route("ask_channel", "done_cancel_old", slot_is("situation", STOP_OLD)),
    Route("ask_channel", "done_dup", is_duplicate),
    Route("ask_channel", "done_long_gap", slot_is("lapse", ">3个月")),
    Route("ask_channel", "done_move"),
)


# -- the first screen ------------------------------------------------------------------------------------
_MOVE_VERDICT = {EMPLOYEE: "transfer-verdict-move-employee", RESIDENT: "transfer-verdict-move-resident",
                 MIXED: "transfer-verdict-move-mixed"}


def _online(slots: Slots) -> bool:
    return slots.get("channel") == ONLINE


def _how_to_move(slots: Slots) -> list[Text]:
    out = [Text("transfer-enrol-first")] if slots.get("enrolled_new") == "还没有" else []
    return [*out, Text("transfer-online" if _online(slots) else "transfer-offline")]


def _move(slots: Slots) -> list[Text]:
    return [Text(_MOVE_VERDICT.get(slots.get("ins_pair"), "transfer-verdict-move-unsure")), *_how_to_move(slots)]


def _long_gap(slots: Slots) -> list[Text]:
    return [Text("transfer-verdict-long-gap"), *_how_to_move(slots)]


def _dup(slots: Slots) -> list[Text]:
    """Both 职工: merge by transferring. Otherwise 居民 is generally not merged: cancel the other one."""
    if slots.get("ins_pair") == EMPLOYEE:
        return [Text("transfer-verdict-duplicate"), Text("transfer-dup-merge-employee"),
                Text("transfer-online" if _online(slots) else "transfer-offline")]
    which = "transfer-dup-cancel-resident" if slots.get("ins_pair") == RESIDENT else "transfer-dup-pair-unsure"
    return [Text("transfer-verdict-duplicate"), Text(which),
            Text("transfer-cancel-online" if _online(slots) else "transfer-cancel-offline")]


def _cancel_old(slots: Slots) -> list[Text]:
    return [Text("transfer-verdict-cancel"), Text("transfer-cancel-online" if _online(slots) else "transfer-cancel-offline"),
            Text("transfer-cancel-warning")]


# -- one tap away ----------------------------------------------------------------------------------------
def _steps(slots: Slots) -> list[Text]:
    if slots.get("situation") == STOP_OLD or (is_duplicate(slots) and slots.get("ins_pair") == RESIDENT):
        return []
    return [Text("transfer-steps-resident" if slots.get("ins_pair") == RESIDENT else "transfer-steps-standard")]


def _notes(slots: Slots) -> list[Text]:
    out = []
    if slots.get("lapse") == "≤3个月":
        out.append(Text("transfer-short-gap"))
    if slots.get("ins_pair") == UNSURE:
        out.append(Text("transfer-note-pair-unsure"))
    if slots.get("cross_province") in ("跨省", UNSURE):
        out.append(Text("transfer-note-cross-province"))
    if is_duplicate(slots):
        out.append(Text("transfer-dup-refund"))
    elif slots.get("situation") != STOP_OLD:
        out.append(Text("transfer-tips"))
        if slots.get("ins_pair") != RESIDENT:  # the law's years-add-up rule is about moving for work
            out.append(Text("transfer-legal-basis"))
    return out


STEPS = Detail("steps", "detail-steps", _steps)
NOTES = Detail("notes", "detail-notes", _notes)
CONTACT = Detail("contact", "detail-contact", lambda s: [Text("transfer-contact")])
DETAILS = (STEPS, NOTES, CONTACT)


def _to_refund(dup_scope: str):
    """Refund of the duplicate part, with what we know already (the refund flow asks the rest)."""
    def options(slots: Slots) -> list[Option]:
        prefill = {"reason": "重复缴费", "dup_scope": dup_scope}
        if slots.get("ins_pair") in (EMPLOYEE, RESIDENT):
            prefill["ins_type"] = slots["ins_pair"]
        return [Option(flow_value("refund", prefill), Text("opt-go-refund")), *AFTER_GUIDANCE]
    return options


def _to_reactivation(slots: Slots) -> list[Option]:
    prefill = {"react_task": "补缴", "lapse": ">3个月"}
    if slots.get("ins_pair") in (EMPLOYEE, RESIDENT):
        prefill["ins_type"] = slots["ins_pair"]
    return [Option(flow_value("reactivation", prefill), Text("opt-go-reactivation")), *AFTER_GUIDANCE]


OUTCOMES = (
    Guidance("done_move", _move, details=DETAILS),
    Guidance("done_long_gap", _long_gap, _to_reactivation, details=DETAILS),
    Guidance("done_dup", _dup, _to_refund("两地区"), details=DETAILS),
    Guidance("done_dup_emp_res", lambda s: [Text("transfer-verdict-emp-res"), Text("transfer-emp-res-years"),
                                           Text("transfer-emp-res-refund"), Text("transfer-emp-res-cancel")],
            _to_refund(MIXED), details=(CONTACT,)),
    Guidance("done_cancel_old", _cancel_old, details=(CONTACT,)),
)


def build() -> Flow:
    return Flow("transfer", "flow-transfer", "ask_situation", QUESTIONS, OUTCOMES, ROUTES)

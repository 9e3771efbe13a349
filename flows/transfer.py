"""转移接续 / 两地重复参保: move the 医保 relationship to a new place, or keep one of two (domain.md §4).

Slot values follow the public dev-set labels (situation=换地转移/两地重复, lapse=≤3个月/>3个月, channel=线上/线下).
"""
from __future__ import annotations

from bot.messages import Option, Text
from flows.base import AFTER_GUIDANCE, Choice, Flow, Outcome, Question, Route, Slots, slot_is
from flows.dialogue import flow_value

MOVE, DUPLICATE, STOP_OLD, UNSURE = "换地转移", "两地重复", "停掉原来", "不清楚"

is_duplicate = slot_is("situation", DUPLICATE) | slot_is("both_records", "有")
is_cross_province = slot_is("cross_province", "跨省")

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
        Choice("职工", "transfer-pair-employee"),
        Choice("居民", "transfer-pair-resident"),
        Choice("职工和居民", "transfer-pair-mixed"),
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
        Choice("线上", "opt-online"),
        Choice("线下", "opt-offline"),
    )),
)

ROUTES = (
    Route("ask_situation", "ask_both_records", slot_is("situation", UNSURE)),
    Route("ask_situation", "ask_channel", slot_is("situation", STOP_OLD)),
    Route("ask_situation", "ask_ins_pair"),
    Route("ask_both_records", "ask_ins_pair"),
    Route("ask_ins_pair", "done_dup_emp_res", is_duplicate & slot_is("ins_pair", "职工和居民")),
    Route("ask_ins_pair", "ask_cross_province"),
    Route("ask_cross_province", "ask_channel", is_duplicate),
    Route("ask_cross_province", "ask_enrolled_new"),
    Route("ask_enrolled_new", "ask_lapse"),
    Route("ask_lapse", "done_long_gap", slot_is("lapse", ">3个月")),
    Route("ask_lapse", "ask_channel"),
    Route("ask_channel", "done_cancel_old", slot_is("situation", STOP_OLD)),
    Route("ask_channel", "done_dup_online", is_duplicate & slot_is("channel", "线上")),
    Route("ask_channel", "done_dup_offline", is_duplicate),
    Route("ask_channel", "done_move_online", slot_is("channel", "线上")),
    Route("ask_channel", "done_move_offline"),
)


# -- guidance building blocks --------------------------------------------------------------------
def _notes(slots: Slots) -> list[Text]:
    out = []
    if slots.get("ins_pair") == "职工":
        out.append(Text("transfer-note-employee-years"))
    elif slots.get("ins_pair") == "居民":
        out.append(Text("transfer-note-resident"))
    elif slots.get("ins_pair") == UNSURE:
        out.append(Text("hint-ins-type-short"))
    if slots.get("cross_province") in ("跨省", UNSURE):
        out.append(Text("transfer-note-cross-province"))
    return out


def _steps(slots: Slots) -> list[Text]:
    steps = [Text("transfer-steps-standard")]
    if slots.get("enrolled_new") == "还没有":
        steps.insert(0, Text("transfer-enrol-first"))
    return steps


def _move(online: bool):
    def render(slots: Slots) -> list[Text]:
        out = [Text("transfer-verdict-move"), *_steps(slots)]
        out.append(Text("transfer-online" if online else "transfer-offline"))
        if slots.get("lapse") == "≤3个月":
            out.append(Text("transfer-short-gap"))
        return [*out, *_notes(slots), Text("transfer-tips"), Text("transfer-legal-basis"), Text("transfer-contact")]
    return render


def _duplicate(online: bool):
    def render(slots: Slots) -> list[Text]:
        return [Text("transfer-verdict-duplicate"), Text("transfer-keep-main"), *_steps(slots),
                Text("transfer-online" if online else "transfer-offline"), Text("transfer-dup-refund"),
                *_notes(slots), Text("transfer-contact")]
    return render


def _long_gap(slots: Slots) -> list[Text]:
    return [Text("transfer-verdict-long-gap"), *_steps(slots), *_notes(slots), Text("transfer-tips"),
            Text("transfer-contact")]


def _cancel_old(slots: Slots) -> list[Text]:
    key = "transfer-cancel-online" if slots.get("channel") == "线上" else "transfer-cancel-offline"
    return [Text("transfer-verdict-cancel"), Text(key), Text("transfer-cancel-warning"), Text("transfer-contact")]


def _to_refund(dup_scope: str):
    """Refund of the duplicate part, with what we know already (the refund flow asks the rest)."""
    def options(slots: Slots) -> list[Option]:
        prefill = {"reason": "重复缴费", "dup_scope": dup_scope}
        if slots.get("ins_pair") in ("职工", "居民"):
            prefill["ins_type"] = slots["ins_pair"]
        return [Option(flow_value("refund", prefill), Text("opt-go-refund")), *AFTER_GUIDANCE]
    return options


def _to_reactivation(slots: Slots) -> list[Option]:
    prefill = {"react_task": "补缴", "lapse": ">3个月"}
    if slots.get("ins_pair") in ("职工", "居民"):
        prefill["ins_type"] = slots["ins_pair"]
    return [Option(flow_value("reactivation", prefill), Text("opt-go-reactivation")), *AFTER_GUIDANCE]


OUTCOMES = (
    Outcome("done_move_online", _move(True)),
    Outcome("done_move_offline", _move(False)),
    Outcome("done_dup_online", _duplicate(True), _to_refund("两地区")),
    Outcome("done_dup_offline", _duplicate(False), _to_refund("两地区")),
    Outcome("done_dup_emp_res", lambda s: [Text("transfer-verdict-emp-res"), Text("transfer-emp-res-years"),
                                           Text("transfer-emp-res-refund"), Text("transfer-contact")],
            _to_refund("职工和居民")),
    Outcome("done_long_gap", _long_gap, _to_reactivation),
    Outcome("done_cancel_old", _cancel_old),
)


def build() -> Flow:
    return Flow("transfer", "flow-transfer", "ask_situation", QUESTIONS, OUTCOMES, ROUTES)

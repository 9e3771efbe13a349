"""退费: can a paid 医保 premium be refunded, and if so where, with what, how long (domain.md §3).

Slot values follow the public dev-set labels (ins_type=居民/职工, reason=重复缴费, channel=线上/线下 …).
Every online route in the seeds is a 城乡居民 one, so 职工 refunds go to the window (or through the
employer) and are never asked about platforms; 不清楚 gets the resident routes with a line saying so.
"""
from __future__ import annotations

from bot.messages import Option, Text
from flows.base import (
    AFTER_GUIDANCE, Choice, Detail, Flow, Guidance, Question, Route, Slots, flow_value, ins_type_choices, slot_is,
)

RESIDENT, EMPLOYEE, UNSURE = "居民", "职工", "不清楚"
DUPLICATE, ERROR = "重复缴费", "缴错多缴"
is_employee = slot_is("ins_type", EMPLOYEE)
# C11: for a duplicate or an overpayment, benefits used this year are a caveat, not a refusal.
is_duplicate_or_error = slot_is("reason", DUPLICATE, ERROR)

QUESTIONS = (
    Question("ask_ins_type", "ins_type", "refund-ask-ins-type", ins_type_choices(resident_first=True)),
    Question("ask_reason", "reason", "refund-ask-reason", (
        Choice(DUPLICATE, "refund-reason-duplicate"),
        Choice(ERROR, "refund-reason-error"),
        Choice("已参加职工医保", "refund-reason-joined-employee"),
        Choice("参保人去世", "refund-reason-death"),
        Choice("户籍迁出", "refund-reason-moved"),
        Choice("服刑", "refund-reason-prison"),
        Choice("退休后多缴", "refund-reason-retired", when=is_employee),
        Choice("失业期间重复", "refund-reason-unemployed", when=is_employee),
        Choice("主动停保", "refund-reason-voluntary"),
    )),
    Question("ask_dup_scope", "dup_scope", "refund-ask-dup-scope", (
        Choice("同地区", "refund-dup-same"),
        Choice("两地区", "refund-dup-two-regions"),
        Choice("职工和居民", "refund-dup-emp-res"),
        Choice("两个单位", "refund-dup-two-employers"),
    )),
    Question("ask_death_timing", "death_timing", "refund-ask-death-timing", (
        Choice("待遇期前", "refund-death-before"),
        Choice("待遇期内", "refund-death-during"),
        Choice(UNSURE, "opt-unknown"),
    )),
    Question("ask_used", "used", "refund-ask-used", (
        Choice("用过", "refund-used-yes"),
        Choice("没用过", "refund-used-no"),
        Choice("不确定", "opt-not-sure"),
    )),
    Question("ask_channel", "channel", "ask-channel", (
        Choice("线上", "opt-online"),
        Choice("线下", "opt-offline"),
    )),
    Question("ask_platform", "platform", "refund-ask-platform", (
        Choice("医保公众号", "refund-platform-insurance"),
        Choice("税务", "refund-platform-tax"),
        Choice("小程序", "refund-platform-miniapp"),
    )),
)

ROUTES = (
    Route("ask_ins_type", "ask_reason"),
    Route("ask_reason", "done_not_refundable", slot_is("reason", "主动停保")),
    Route("ask_reason", "ask_dup_scope", slot_is("reason", DUPLICATE)),
    Route("ask_reason", "ask_death_timing", slot_is("reason", "参保人去世")),
    Route("ask_reason", "done_retired", slot_is("reason", "退休后多缴")),
    Route("ask_reason", "done_unemployed", slot_is("reason", "失业期间重复")),
    Route("ask_reason", "ask_used"),
    Route("ask_dup_scope", "done_dup_two_employers", slot_is("dup_scope", "两个单位")),
    Route("ask_dup_scope", "done_employee", slot_is("dup_scope", "两地区") & is_employee),
    Route("ask_dup_scope", "ask_channel", slot_is("dup_scope", "两地区")),  # keep one, then apply (defect 1)
    Route("ask_dup_scope", "ask_used"),
    Route("ask_death_timing", "done_death"),
    Route("ask_used", "done_used", slot_is("used", "用过") & ~is_duplicate_or_error),
    Route("ask_used", "done_employee", is_employee),
    Route("ask_used", "done_special_case", slot_is("reason", "服刑")),
    Route("ask_used", "ask_channel"),
    Route("ask_channel", "ask_platform", slot_is("channel", "线上")),
    Route("ask_channel", "done_offline"),
    Route("ask_platform", "done_online"),
)


# -- the first screen: verdict, caveats that change the answer, where to go ------------------------------
def _verdict(slots: Slots) -> Text:
    reason, scope, employee = slots.get("reason"), slots.get("dup_scope"), slots.get("ins_type") == EMPLOYEE
    if reason == DUPLICATE:
        return Text({"职工和居民": "refund-verdict-dup-emp-res", "两地区": "refund-verdict-dup-two-regions"}
                    .get(scope, "refund-verdict-dup-same"))
    if reason == ERROR:
        return Text("refund-verdict-error-employee" if employee else "refund-verdict-error")
    key = {"户籍迁出": "refund-verdict-moved", "已参加职工医保": "refund-verdict-joined-employee",
           "服刑": "refund-verdict-prison"}[reason]
    # The seeds give 户籍迁出 and 服刑 as grounds for 城乡居民 refunds only; for 职工 the window decides.
    return Text(key + "-employee" if employee else key)


def _caveats(slots: Slots) -> list[Text]:
    out = []
    if slots.get("used") == "用过":  # only duplicates and overpayments get here (C11)
        out.append(Text("refund-caveat-used-duplicate"))
    elif slots.get("used") == "不确定":
        out.append(Text("refund-caveat-used-unsure"))
    if slots.get("ins_type") == UNSURE:
        out.append(Text("refund-note-type-unsure"))
    return out


_PLATFORM = {"医保公众号": "refund-steps-insurance", "税务": "refund-steps-tax", "小程序": "refund-steps-miniapp"}


def _online(slots: Slots) -> list[Text]:
    return [_verdict(slots), *_caveats(slots), Text(_PLATFORM[slots["platform"]])]


def _offline(slots: Slots) -> list[Text]:
    return [_verdict(slots), *_caveats(slots), Text("refund-steps-offline")]


def _employee(slots: Slots) -> list[Text]:
    return [_verdict(slots), *_caveats(slots), Text("refund-steps-offline-employee")]


def _death(slots: Slots) -> list[Text]:
    timing = {"待遇期前": "refund-death-verdict-before", "待遇期内": "refund-death-verdict-during"}
    return [Text("refund-death-verdict"), Text(timing.get(slots.get("death_timing"), "refund-death-verdict-unknown"))]


# -- one tap away ----------------------------------------------------------------------------------------
def _materials(slots: Slots) -> list[Text]:
    items = ["mat-id-card", "mat-insurance-card", "mat-payment-proof", "mat-bank-card"]
    reason, scope = slots.get("reason"), slots.get("dup_scope")
    if reason == DUPLICATE and scope != "两地区":
        items.append("mat-stop-payment-proof")
    if scope == "两地区":
        items.append("mat-other-region-proof")
    if reason == ERROR:
        items.append("mat-enrolment-record")
    if reason == "户籍迁出":
        items += ["mat-household-register", "mat-moved-out-proof"]
    if reason == "参保人去世":
        items += ["mat-household-register", "mat-death-certificate"]
    if slots.get("ins_type") != EMPLOYEE:
        items.append("mat-subsidy-proof")
    return [Text("refund-materials", {"items": [Text(i) for i in items]}), Text("refund-proxy")]


def _steps(slots: Slots) -> list[Text]:
    return [Text("refund-steps-online-generic")] if slots.get("channel") == "线上" else []


def _form(slots: Slots) -> list[Text]:
    return [] if slots.get("channel") == "线上" else [Text("refund-steps-offline-form")]


def _notes(slots: Slots) -> list[Text]:
    out = []
    if slots.get("dup_scope") == "两地区":
        out.append(Text("refund-note-city-pooling"))
    if slots.get("reason") == "已参加职工医保" and slots.get("ins_type") != EMPLOYEE:
        out.append(Text("refund-note-preferential"))
    if slots.get("reason") == "参保人去世" and slots.get("ins_type") == EMPLOYEE:
        out.append(Text("refund-note-death-account"))
    if slots.get("ins_type") != EMPLOYEE:
        out.append(Text("refund-note-subsidy"))
    if slots.get("channel") == "线上":
        out.append(Text("refund-note-true-materials"))
    return out


def _timing(slots: Slots) -> list[Text]:
    return [Text("refund-money-path"), Text("refund-timing")]


def _contact(slots: Slots) -> list[Text]:
    return [Text("refund-contact")]


STEPS = Detail("steps", "detail-steps", _steps)
FORM = Detail("form", "detail-form", _form)
MATERIALS = Detail("materials", "detail-materials", _materials)
TIMING = Detail("timing", "detail-timing", _timing)
NOTES = Detail("notes", "detail-notes", _notes)
CONTACT = Detail("contact", "detail-contact", _contact)
APPLY = (STEPS, FORM, MATERIALS, TIMING, NOTES, CONTACT)


def _with(*first: Option):
    def options(slots: Slots) -> list[Option]:
        return [*first, *AFTER_GUIDANCE]
    return options


def _apply_options(slots: Slots) -> list[Option]:
    """After a two-region duplicate: merging years and accounts is the transfer errand."""
    if slots.get("dup_scope") == "两地区":
        prefill = {"situation": "两地重复"}
        if slots.get("ins_type") in (RESIDENT, EMPLOYEE):
            prefill["ins_pair"] = slots["ins_type"]
        return [Option(flow_value("transfer", prefill), Text("opt-go-transfer")), *AFTER_GUIDANCE]
    return list(AFTER_GUIDANCE)


_lapse_faq = Option("faq:lapse_effects", Text("opt-faq-lapse-effects"))
_reactivation = Option(flow_value("reactivation"), Text("opt-go-reactivation"))

OUTCOMES = (
    Guidance("done_not_refundable", lambda s: [Text("refund-no-voluntary"), Text("refund-no-voluntary-next")],
            _with(_lapse_faq, _reactivation), details=(CONTACT,)),
    Guidance("done_used", lambda s: [Text("refund-no-used"), Text("refund-no-used-dispute")],
            details=(CONTACT,)),
    Guidance("done_dup_two_employers", lambda s: [Text("refund-dup-two-employers-verdict"),
                                                 Text("refund-dup-two-employers-next")],
            details=(CONTACT,)),
    Guidance("done_retired", lambda s: [Text("refund-retired-verdict"), Text("refund-steps-offline-employee")],
            details=(MATERIALS, TIMING, CONTACT)),
    Guidance("done_unemployed", lambda s: [Text("refund-unemployed-verdict"), Text("refund-steps-offline-employee")],
            details=(MATERIALS, TIMING, CONTACT)),
    Guidance("done_employee", _employee, _apply_options, details=(MATERIALS, TIMING, NOTES, CONTACT)),
    Guidance("done_death", _death, details=(MATERIALS, NOTES, TIMING, CONTACT)),
    Guidance("done_special_case", _offline, details=APPLY),
    Guidance("done_online", _online, _apply_options, details=APPLY),
    Guidance("done_offline", _offline, _apply_options, details=APPLY),
)


def build() -> Flow:
    return Flow("refund", "flow-refund", "ask_ins_type", QUESTIONS, OUTCOMES, ROUTES)

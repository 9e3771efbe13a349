"""退费: can a paid 医保 premium be refunded, and if so where, with what, how long (domain.md §3).

Slot values follow the public dev-set labels (ins_type=居民/职工, reason=重复缴费, channel=线上/线下 …).
"""
from __future__ import annotations

from bot.messages import Option, Text
from flows.base import Choice, Detail, Flow, Outcome, Question, Route, Slots, follow_up, ins_type_choices, slot_is
from flows.dialogue import flow_value

RESIDENT, EMPLOYEE = "居民", "职工"
is_employee = slot_is("ins_type", EMPLOYEE)

QUESTIONS = (
    Question("ask_ins_type", "ins_type", "refund-ask-ins-type", ins_type_choices(resident_first=True)),
    Question("ask_reason", "reason", "refund-ask-reason", (
        Choice("重复缴费", "refund-reason-duplicate"),
        Choice("缴错多缴", "refund-reason-error"),
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
        Choice("不清楚", "opt-unknown"),
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
    Route("ask_reason", "ask_dup_scope", slot_is("reason", "重复缴费")),
    Route("ask_reason", "ask_death_timing", slot_is("reason", "参保人去世")),
    Route("ask_reason", "done_retired", slot_is("reason", "退休后多缴")),
    Route("ask_reason", "done_unemployed", slot_is("reason", "失业期间重复")),
    Route("ask_reason", "ask_used"),
    Route("ask_dup_scope", "done_dup_two_regions", slot_is("dup_scope", "两地区")),
    Route("ask_dup_scope", "done_dup_two_employers", slot_is("dup_scope", "两个单位")),
    Route("ask_dup_scope", "ask_used"),
    Route("ask_death_timing", "done_death"),
    Route("ask_used", "done_used", slot_is("used", "用过")),
    Route("ask_used", "done_special_case", slot_is("reason", "服刑")),
    Route("ask_used", "ask_channel"),
    Route("ask_channel", "ask_platform", slot_is("channel", "线上")),
    Route("ask_channel", "done_offline"),
    Route("ask_platform", "done_online"),
)


# -- guidance building blocks --------------------------------------------------------------------
def _verdict(slots: Slots) -> Text:
    reason = slots.get("reason")
    if reason == "重复缴费":
        return Text("refund-verdict-dup-emp-res" if slots.get("dup_scope") == "职工和居民" else "refund-verdict-dup-same")
    if reason == "缴错多缴":
        return Text("refund-verdict-error-employee" if slots.get("ins_type") == EMPLOYEE else "refund-verdict-error")
    return Text({
        "已参加职工医保": "refund-verdict-joined-employee",
        "户籍迁出": "refund-verdict-moved",
        "服刑": "refund-verdict-prison",
    }[reason])


def _materials(slots: Slots) -> Text:
    items = ["mat-id-card", "mat-insurance-card", "mat-payment-proof", "mat-bank-card"]
    reason, scope = slots.get("reason"), slots.get("dup_scope")
    if reason == "重复缴费":
        items.append("mat-stop-payment-proof")
    if reason == "缴错多缴":
        items.append("mat-enrolment-record")
    if reason == "已参加职工医保" or scope == "职工和居民":
        items.append("mat-employee-enrolment-proof")
    if reason == "户籍迁出":
        items += ["mat-household-register", "mat-moved-out-proof"]
    if reason == "参保人去世":
        items += ["mat-death-certificate", "mat-household-register", "mat-heir-id"]
    if slots.get("ins_type") == RESIDENT:
        items.append("mat-subsidy-proof")
    return Text("refund-materials", {"items": [Text(i) for i in items]})


def _caveats(slots: Slots) -> list[Text]:
    out = []
    if slots.get("used") == "不确定":
        out.append(Text("refund-caveat-used-unsure"))
    return out


def _notes(slots: Slots) -> list[Text]:
    return [Text("refund-note-subsidy")] if slots.get("ins_type") == RESIDENT else []


def _closing(slots: Slots) -> list[Text]:
    return [_materials(slots), Text("refund-proxy"), Text("refund-money-path"), Text("refund-timing"),
            Text("refund-contact")]


def _online(slots: Slots) -> list[Text]:
    platform = {"医保公众号": "refund-steps-insurance", "税务": "refund-steps-tax", "小程序": "refund-steps-miniapp"}
    return [_verdict(slots), *_caveats(slots), Text(platform[slots["platform"]])]


def _offline(slots: Slots) -> list[Text]:
    return [_verdict(slots), *_caveats(slots), Text("refund-steps-offline")]


APPLY_DETAILS = (
    Detail("steps", "detail-steps", lambda s: [Text("refund-steps-online-generic")] if s.get("channel") == "线上" else []),
    Detail("materials", "detail-materials", lambda s: [_materials(s), Text("refund-proxy")]),
    Detail("timing", "detail-timing", lambda s: [Text("refund-money-path"), Text("refund-timing")]),
    Detail("notes", "detail-notes", _notes),
    Detail("contact", "detail-contact", lambda s: [Text("refund-contact")]),
)


def _death(slots: Slots) -> list[Text]:
    timing = {"待遇期前": "refund-death-verdict-before", "待遇期内": "refund-death-verdict-during"}
    return [Text("refund-death-verdict"), Text(timing.get(slots.get("death_timing"), "refund-death-verdict-unknown")),
            Text("refund-steps-offline"), *_closing(slots)]


def _employee_window(key: str):
    def render(slots: Slots) -> list[Text]:
        return [Text(key), Text("refund-steps-offline-employee"), *_closing(slots)]
    return render



OUTCOMES = (
    Outcome("done_not_refundable", lambda s: [Text("refund-no-voluntary"), Text("refund-no-voluntary-next")],
            follow_up(Option(flow_value("reactivation"), Text("opt-go-reactivation")))),
    Outcome("done_used", lambda s: [Text("refund-no-used"), Text("refund-no-used-dispute")],
            follow_up()),
    Outcome("done_dup_two_regions", lambda s: [Text("refund-dup-two-regions"), Text("refund-dup-two-regions-next")],
            follow_up(Option(flow_value("transfer", {"situation": "两地重复"}), Text("opt-go-transfer")))),
    Outcome("done_dup_two_employers", _employee_window("refund-dup-two-employers-verdict")),
    Outcome("done_retired", _employee_window("refund-retired-verdict")),
    Outcome("done_unemployed", _employee_window("refund-unemployed-verdict")),
    Outcome("done_death", _death),
    Outcome("done_special_case", _offline, details=APPLY_DETAILS),
    Outcome("done_online", _online, details=APPLY_DETAILS),
    Outcome("done_offline", _offline, details=APPLY_DETAILS),
)


def build() -> Flow:
    return Flow("refund", "flow-refund", "ask_ins_type", QUESTIONS, OUTCOMES, ROUTES)

"""家庭共济 / 亲情账户: let close family use the personal account legally, never by lending the card
(domain.md §5). Slot values follow the public dev-set labels (fam_intent=给家人用/绑定后使用, ins_type=居民/职工).

The seeds' conditions for sharing are 职工医保 and 同一统筹区 ([000›家庭共济医保是刷自己的么]): the ✅ verdict is
given only when both are known to hold; 居民医保, 不清楚 and an unsure region get a ⚠ verdict saying what to check.
"""
from __future__ import annotations

from typing import Callable

from bot.messages import Option, Text
from flows.base import (
    Choice, Detail, Flow, Guidance, Question, Route, Slots, flow_value, follow_up, ins_type_choices, slot_is,
)

SHARE, USE, LEND, BORROW = "给家人用", "绑定后使用", "借卡", "用别人的"
UNSURE = "不清楚"
CHANNELS = (("国家医保APP", "app"), ("微信公众号", "wechat"), ("支付宝", "alipay"), ("线下窗口", "offline"))
_REL = {"配偶": "spouse", "父母": "parent", "子女": "child", "其他亲属": "other"}

QUESTIONS = (
    Question("ask_intent", "fam_intent", "family-ask-intent", (
        Choice(SHARE, "family-intent-share"),
        Choice(USE, "family-intent-use"),
        Choice(LEND, "family-intent-lend"),
        Choice(BORROW, "family-intent-borrow"),
    )),
    Question("ask_ins_type", "ins_type", "family-ask-ins-type", ins_type_choices(resident_first=False)),
    Question("ask_relation", "relation", "family-ask-relation", (
        Choice("配偶", "family-relation-spouse"),
        Choice("父母", "family-relation-parent"),
        Choice("子女", "family-relation-child"),
        Choice("其他亲属", "family-relation-other"),
    )),
    Question("ask_same_area", "same_area", "family-ask-same-area", (
        Choice("同一地区", "family-area-same"),
        Choice("不同地区", "family-area-different"),
        Choice(UNSURE, "family-area-unsure"),
    )),
    Question("ask_bind_channel", "bind_channel", "family-ask-channel",
             tuple(Choice(value, f"family-channel-{suffix}") for value, suffix in CHANNELS)),
)

ROUTES = (
    Route("ask_intent", "done_no_lending", slot_is("fam_intent", LEND, BORROW)),
    Route("ask_intent", "done_use", slot_is("fam_intent", USE)),
    Route("ask_intent", "ask_ins_type"),
    Route("ask_ins_type", "ask_relation"),  # 居民 / 不清楚 go on too: the outcome says what to check
    Route("ask_relation", "done_other_relative", slot_is("relation", "其他亲属")),
    Route("ask_relation", "ask_same_area"),
    Route("ask_same_area", "done_other_area", slot_is("same_area", "不同地区")),
    Route("ask_same_area", "ask_bind_channel"),
    *(Route("ask_bind_channel", f"done_bind_{suffix}", slot_is("bind_channel", value))
      for value, suffix in CHANNELS[:-1]),
    Route("ask_bind_channel", "done_bind_offline"),
)


def sharing_confirmed(slots: Slots) -> bool:
    """Both seed conditions known to hold: the user has 职工医保 and the relative is in the same 统筹区."""
    return slots.get("ins_type") == "职工" and slots.get("same_area") == "同一地区"


def _verdict(slots: Slots) -> list[Text]:
    if sharing_confirmed(slots):
        relation = Text(f"family-relation-name-{_REL.get(slots.get('relation', ''), 'other')}")
        return [Text("family-verdict-ok", {"relation": relation})]
    out = [Text("family-verdict-check")]
    if slots.get("ins_type") == "居民":
        out.append(Text("family-caveat-resident"))
    elif slots.get("ins_type") != "职工":
        out.append(Text("family-caveat-type-unsure"))
    if slots.get("same_area") != "同一地区":
        out.append(Text("family-caveat-area-unsure"))
    return out


def _bind(suffix: str):
    def essentials(slots: Slots) -> list[Text]:
        return [*_verdict(slots), Text(f"family-steps-{suffix}")]
    return essentials


def _texts(*keys: str) -> Callable[[Slots], list[Text]]:
    return lambda slots: [Text(k) for k in keys]


CONTACT = Detail("contact", "detail-contact", _texts("family-contact"))


def _bind_details(suffix: str) -> tuple[Detail, ...]:
    # Nothing is uploaded at the counter: the window gets its own materials, the online routes the upload note.
    materials = (_texts("family-offline-materials", "family-relation-check") if suffix == "offline"
                 else _texts("family-upload-note"))
    steps = (Detail("steps", "detail-steps", _texts("family-steps-wechat-local")),) if suffix == "wechat" else ()
    return (*steps, Detail("materials", "detail-materials", materials),
            Detail("notes", "detail-notes", _texts("family-after-binding", "family-use-pay")), CONTACT)


_learn_sharing = Option(flow_value("family", {"fam_intent": SHARE}), Text("opt-go-family"))
_how_to_bind = Option(flow_value("family", {"fam_intent": SHARE}), Text("opt-go-family-bind"))

OUTCOMES = (
    Guidance("done_no_lending", _texts("family-no-lending", "family-no-lending-alternative"),
            follow_up(_learn_sharing),
            details=(Detail("why", "family-detail-why", _texts("family-no-lending-penalty")), CONTACT)),
    # Paying for a relative's treatment at the hospital: the no-medical-advice note belongs here.
    Guidance("done_use", _texts("family-use-what", "family-use-pay"), follow_up(_how_to_bind),
            details=(Detail("notes", "detail-notes", _texts("family-no-lending-short", "family-what-is-shared")),
                     CONTACT), health=True),
    Guidance("done_other_relative", _texts("family-other-relative", "family-what-is-shared"), details=(CONTACT,)),
    Guidance("done_other_area", _texts("family-other-area", "family-what-is-shared"), details=(CONTACT,)),
    *(Guidance(f"done_bind_{suffix}", _bind(suffix), details=_bind_details(suffix)) for _, suffix in CHANNELS),
)


def build() -> Flow:
    return Flow("family", "flow-family", "ask_intent", QUESTIONS, OUTCOMES, ROUTES)

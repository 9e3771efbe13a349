"""家庭共济 / 亲情账户: let close family use the personal account legally, never by lending the card
(domain.md §5). Slot values follow the public dev-set labels (fam_intent=给家人用/绑定后使用, ins_type=居民/职工).
"""
from __future__ import annotations

from bot.messages import Option, Text
from flows.base import Choice, Flow, Outcome, Question, Route, Slots, follow_up, ins_type_choices, slot_is
from flows.dialogue import flow_value

SHARE, USE, LEND, BORROW = "给家人用", "绑定后使用", "借卡", "用别人的"
CHANNEL_STEPS = {"国家医保APP": "family-steps-app", "微信公众号": "family-steps-wechat",
                 "支付宝": "family-steps-alipay", "线下窗口": "family-steps-offline"}

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
        Choice("不清楚", "opt-unknown"),
    )),
    Question("ask_bind_channel", "bind_channel", "family-ask-channel", tuple(
        Choice(value, f"family-channel-{suffix}")
        for value, suffix in (("国家医保APP", "app"), ("微信公众号", "wechat"), ("支付宝", "alipay"),
                              ("线下窗口", "offline"))
    )),
)

ROUTES = (
    Route("ask_intent", "done_no_lending", slot_is("fam_intent", LEND, BORROW)),
    Route("ask_intent", "done_use", slot_is("fam_intent", USE)),
    Route("ask_intent", "ask_ins_type"),
    Route("ask_ins_type", "ask_relation"),
    Route("ask_relation", "done_other_relative", slot_is("relation", "其他亲属")),
    Route("ask_relation", "ask_same_area"),
    Route("ask_same_area", "done_other_area", slot_is("same_area", "不同地区")),
    Route("ask_same_area", "ask_bind_channel"),
    *(Route("ask_bind_channel", f"done_bind_{suffix}", slot_is("bind_channel", value))
      for value, suffix in (("国家医保APP", "app"), ("微信公众号", "wechat"), ("支付宝", "alipay"))),
    Route("ask_bind_channel", "done_bind_offline"),
)


def _caveats(slots: Slots) -> list[Text]:
    out = []
    if slots.get("ins_type") == "居民":
        out.append(Text("family-caveat-resident"))
    if slots.get("same_area") == "不清楚":
        out.append(Text("family-caveat-area-unsure"))
    return out


def _bind(slots: Slots) -> list[Text]:
    return [Text("family-verdict-ok", {"relation": Text(f"family-relation-name-{_REL[slots.get('relation', '子女')]}")}),
            *_caveats(slots), Text(CHANNEL_STEPS[slots["bind_channel"]]), Text("family-upload-note"),
            Text("family-after-binding"), Text("family-contact")]


_REL = {"配偶": "spouse", "父母": "parent", "子女": "child", "其他亲属": "other"}



_learn_sharing = Option(flow_value("family", {"fam_intent": SHARE}), Text("opt-go-family"))
_how_to_bind = Option(flow_value("family", {"fam_intent": SHARE}), Text("opt-go-family-bind"))

OUTCOMES = (
    Outcome("done_no_lending", lambda s: [Text("family-no-lending"), Text("family-no-lending-penalty"),
                                          Text("family-no-lending-alternative")],
            follow_up(_learn_sharing)),
    Outcome("done_use", lambda s: [Text("family-use-what"), Text("family-use-pay"),
                                   Text("family-no-lending-short"), Text("family-contact")],
            follow_up(_how_to_bind)),
    Outcome("done_other_relative", lambda s: [Text("family-other-relative"), Text("family-what-is-shared"),
                                              Text("family-contact")]),
    Outcome("done_other_area", lambda s: [Text("family-other-area"), Text("family-what-is-shared"),
                                          Text("family-contact")]),
    *(Outcome(f"done_bind_{suffix}", _bind) for suffix in ("app", "wechat", "alipay", "offline")),
)


def build() -> Flow:
    return Flow("family", "flow-family", "ask_intent", QUESTIONS, OUTCOMES, ROUTES)

"""Issue 11, the family / reactivation / FAQ part: one test per content defect, plus the 不清楚 contract
(every visible choice leads on to a next question or to guidance that says what to check)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from bot.i18n import Translator
from bot.messages import Text
from flows import build_flows
from flows.base import Flow
from flows.faq import FAQS

ROOT = Path(__file__).resolve().parent.parent
FLOWS = build_flows()
MINE = ("family", "reactivation")


@pytest.fixture(scope="module")
def tr() -> Translator:
    return Translator()


def every_path(flow: Flow) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every leaf with its slots, answering EVERY visible choice — 不清楚 with a hint included, since its
    value is recorded when chosen (the contract with the dialogue): no choice may be a dead end."""
    stack: list[tuple[str, dict[str, Any]]] = [(flow.start, {})]
    while stack:
        state, slots = stack.pop()
        if flow.is_outcome(state):
            yield state, slots
            continue
        q = flow.questions[state]
        for choice in q.visible(slots):
            answered = {**slots, q.slot: choice.value}
            stack.append((flow.step(state, answered), answered))


def first_screen(tr: Translator, flow: Flow, state: str, slots: dict, loc: str = "zh-CN") -> str:
    return "\n".join(tr.text(t, loc) for t in flow.outcomes[state].render(slots))


def everything(tr: Translator, flow: Flow, state: str, slots: dict, loc: str = "zh-CN") -> str:
    """The first screen and every detail section behind it."""
    outcome = flow.outcomes[state]
    texts = [*outcome.render(slots), *(t for _, section in outcome.sections(slots) for t in section)]
    return "\n".join(tr.text(t, loc) for t in texts)


def ftl_messages(path: Path) -> dict[str, str]:
    """id -> value of the single-line messages of one .ftl file (comments excluded)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"([a-z][a-z0-9-]*) = (.*)", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


# -- the 不清楚 contract ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", MINE)
def test_every_visible_choice_leads_on_even_unknown(name, tr):
    leaves = list(every_path(FLOWS[name]))
    assert {state for state, _ in leaves} == set(FLOWS[name].outcomes)
    for state, slots in leaves:
        assert len(first_screen(tr, FLOWS[name], state, slots)) > 40, (state, slots)


def test_unknown_insurance_type_in_reactivation_gets_both_rules(tr):
    flow = FLOWS["reactivation"]
    slots = {"react_task": "补缴", "ins_type": "不清楚"}
    assert flow.step("ask_ins_type", slots) == "ask_lapse"
    text = first_screen(tr, flow, "done_employee_long", {**slots, "lapse": ">3个月", "channel": "线下"})
    assert "按月交" in text and "每年自己交一次" in text and "重新参保" in text


def test_unknown_lapse_says_how_to_check_then_shows_both_outcomes(tr):
    flow = FLOWS["reactivation"]
    slots = {"react_task": "补缴", "ins_type": "职工", "lapse": "不清楚"}
    assert flow.step("ask_lapse", slots) == "done_employee_unknown"
    text = first_screen(tr, flow, "done_employee_unknown", slots)
    assert "缴费记录" in text and "最后一次" in text
    assert "3个月以内" in text and "超过3个月" in text and "重新参保" in text


def test_unknown_card_part_explains_the_two_accounts(tr):
    flow = FLOWS["reactivation"]
    slots = {"react_task": "卡激活", "card_part": "不清楚", "for_whom": "本人", "card_received": "已拿到",
             "activate_where": "医院药店"}
    text = first_screen(tr, flow, "done_card_hospital", slots)
    assert "医保账户" in text and "金融账户" in text and "银行网点" in text


# -- defects -------------------------------------------------------------------------------------------
async def test_defect_03_resident_lapse_carries_waiting_period_caveat(chat, tr):
    turn = await chat.walk("合作医疗断交还能交吗", "否", "去窗口办")
    assert turn["state"] == "done_resident" and turn["slots"]["react_task"] == "补缴"
    assert "没关系" not in turn["text"]
    assert "等待期" in turn["text"] and "3到6个月" in turn["text"]
    for state, slots in every_path(FLOWS["reactivation"]):
        if state == "done_resident":
            text = everything(tr, FLOWS["reactivation"], state, slots)
            assert "没关系" not in text and "等待期" in first_screen(tr, FLOWS["reactivation"], state, slots)


async def test_defect_04_long_lapse_gives_a_reenrolment_channel_not_backpay(chat, tr):
    flow = FLOWS["reactivation"]
    for channel in ("线上", "线下"):
        slots = {"react_task": "补缴", "ins_type": "职工", "lapse": ">3个月", "channel": channel}
        text = everything(tr, flow, "done_employee_long", slots)
        assert "申请补缴" not in text and "补缴」入口" not in text, channel
        assert "重新参保" in first_screen(tr, flow, "done_employee_long", slots)
    turn = await chat.walk("医保停交半年了怎么办", "职工", "线下")
    assert turn["state"] == "done_employee_long" and "重新参保登记" in turn["text"]


async def test_defect_09_family_tick_only_for_employee_in_same_area(chat, tr):
    flow = FLOWS["family"]
    bind_leaves = [(s, slots) for s, slots in every_path(flow) if s.startswith("done_bind_")]
    assert {slots["same_area"] for _, slots in bind_leaves} == {"同一地区", "不清楚"}
    assert {slots["ins_type"] for _, slots in bind_leaves} == {"职工", "居民", "不清楚"}
    for state, slots in bind_leaves:
        text = first_screen(tr, flow, state, slots)
        confirmed = slots["ins_type"] == "职工" and slots["same_area"] == "同一地区"
        assert ("✅" in text) == confirmed, (state, slots)
        if slots["same_area"] == "不清楚":
            assert "在哪里参保" in text
        if slots["ins_type"] == "居民":
            assert "居民医保能不能办" in text
    # in a conversation: 不清楚 at the same-area question is not answered with an unconditional ✅
    turn = await chat.walk("家庭共济怎么开通", "职工医保", "我妈", "不清楚", "支付宝")
    assert turn["state"] == "done_bind_alipay" and "✅" not in turn["text"] and "⚠" in turn["text"]


async def test_defect_11_ecert_activation_is_not_invented_and_skips_the_card_question(chat):
    seen = [await chat(payload="flow:card", button_step=None)]
    seen.append(await chat("医保电子凭证"))
    last = seen[-1]
    assert last["state"] == "done_card_ecert"
    assert all(t["state"] != "ask_card_received" for t in seen)
    assert "在官方医保APP里按提示激活\uff0c具体入口以当地为准" in last["text"]
    assert "实名认证" not in last["text"]


def test_defect_12_proxy_papers_only_at_window_and_bank(tr):
    flow = FLOWS["reactivation"]
    proxy = tr.text(Text("react-card-proxy"), "zh-CN")
    for state, slots in every_path(flow):
        if not state.startswith("done_card_"):
            continue
        text = everything(tr, flow, state, slots)
        expected = slots.get("for_whom") == "代办" and state in ("done_card_window", "done_card_bank")
        assert (proxy in text) == expected, (state, slots)


def test_defect_13_no_unseeded_facts_in_family_reactivation_faq(tr):
    zh = ROOT / "locales" / "zh-CN"
    text = "\n".join(v for name in ("family", "reactivation", "faq") for v in ftl_messages(zh / f"{name}.ftl").values())
    for phrase in ("单位经办人", "代为办理", "乡镇、街道", "甲类", "乙类"):
        assert phrase not in text, phrase
    # conflict C7: no 居民医保 个人账户 claims anywhere in the resident guidance
    flow = FLOWS["reactivation"]
    for state, slots in every_path(flow):
        if state == "done_resident":
            assert "个人账户" not in everything(tr, flow, state, slots), slots


async def test_defect_14_text_slips(chat, tr):
    messages = ftl_messages(ROOT / "locales" / "zh-CN" / "reactivation.ftl")
    assert "医保卡本人" not in "".join(messages.values())
    assert "医保卡原件" in messages["react-card-materials"]
    cash = ftl_messages(ROOT / "locales" / "zh-CN" / "faq.ftl")["faq-cash-out-a"]
    assert "洛阳" in cash and "用到用完" in cash and "以洛阳为例" not in cash
    counter = FLOWS["family"]
    for state, slots in every_path(counter):
        if state == "done_bind_offline":
            assert "上传" not in everything(tr, counter, state, slots)
    menu = await chat("菜单")
    card = await chat(payload="flow:card", button_step=menu["step"])
    assert "「医保卡激活」" in card["text"] and "补缴/重新参保/医保卡激活" not in card["text"]


@pytest.mark.parametrize("typed,title", [("医保断了怎么补交", "「断缴补缴/重新参保」"), ("我想重新参保", "「断缴补缴/重新参保」"),
                                         ("医保卡怎么激活", "「医保卡激活」"), ("医保交重复了怎么退", "「医保退费」")])
async def test_an_errand_started_by_typing_is_named_as_its_menu_entry(chat, typed, title):
    """Typed, an errand is greeted by the name the menu gives it — not by the flow's umbrella name that lists
    all three reactivation errands when the resident asked for one."""
    turn = await chat(typed)
    assert title in turn["text"] and "补缴/重新参保/医保卡激活" not in turn["text"]


async def test_defect_15_bank_branch_activation_and_card_received_goes_straight_on(chat):
    await chat.walk("医保卡激活", "看病结算", "替家人代办")
    status = await chat("还没拿到")
    assert status["state"] == "done_card_status"
    again = next(v for v in status["values"] if v.startswith("flow:card"))
    where = await chat(payload=again, button_step=status["step"])
    assert where["state"] == "ask_where" and where["slots"]["for_whom"] == "代办"
    assert "「医保卡激活」" in where["text"] and "去卡面上印的银行网点" in where["options"]
    bank = await chat("去卡面上印的银行网点")
    assert bank["state"] == "done_card_bank"
    assert "金融账户" in bank["text"] and "授权委托书" in bank["text"]
    assert "看病结算功能" in bank["text"]  # the part they asked for is not silently dropped


def test_defect_17_english_keeps_chinese_names_and_says_no_sources(tr):
    flow = FLOWS["family"]
    app = first_screen(tr, flow, "done_bind_app", {"ins_type": "职工", "relation": "父母", "same_area": "同一地区",
                                                    "bind_channel": "国家医保APP"}, "en")
    assert "亲情账户" in app and "国家医保服务平台" in app and "✅" in app
    react = FLOWS["reactivation"]
    ecert = first_screen(tr, react, "done_card_ecert", {"react_task": "卡激活", "card_part": "电子凭证"}, "en")
    assert "医保电子凭证" in ecert
    for name in ("family", "reactivation", "faq"):
        for key, value in ftl_messages(ROOT / "locales" / "en" / f"{name}.ftl").items():
            assert "source" not in value.lower(), key
        for key, value in ftl_messages(ROOT / "locales" / "zh-CN" / f"{name}.ftl").items():
            assert "现有资料" not in value, key  # the same "sources" wording in Chinese
    # 不清楚 is answered in the words of its question, not a generic "Not sure which"
    labels = [c.label for f in MINE for q in FLOWS[f].questions.values() for c in q.choices if c.value == "不清楚"]
    assert "family-area-unsure" in labels and "react-lapse-unsure" in labels
    assert tr.text(Text("family-area-unsure"), "en") != "Not sure which"


async def test_defect_18_faq_answers_end_with_where_to_ask(chat, tr):
    for faq in FAQS:
        last = tr.text(Text(faq.answer[-1]), "zh-CN")
        assert "12333" in last and "医保窗口" in last and "医保公众号" in last, faq.id
    turn = await chat("攀枝花附属医院是几级医院")
    assert "教您办" in turn["text"] and "帮您办理" not in turn["text"]
    answer = await chat("医保买药是全额报销吗")
    assert answer["intent"] == "faq" and "12333" in answer["text"]


def test_chinese_text_uses_full_width_punctuation():
    """Plain words for phones: no ASCII , ; : ? ! ( ) in the Chinese messages of these flows (placeables aside)."""
    for name in ("family", "reactivation", "faq"):
        for key, value in ftl_messages(ROOT / "locales" / "zh-CN" / f"{name}.ftl").items():
            text = re.sub(r"\{[^}]*\}", "", value)
            assert not re.search(r"[,;:?!()]", text), (name, key, text)


@pytest.mark.parametrize("name", MINE)
def test_first_screens_fit_one_phone_screen(name, tr):
    """The first reply of every leaf (不清楚 paths included), as the dialogue shows it — guidance, the
    local-rules line and the footer where health comes up — is at most 300 characters in Chinese."""
    flow = FLOWS[name]
    for state, slots in every_path(flow):
        outcome = flow.outcomes[state]
        texts = [*outcome.render(slots), Text("common-local-rules"), *([Text("common-footer")] * outcome.health)]
        reply = "\n\n".join(tr.text(t, "zh-CN") for t in texts)
        assert len(reply) <= 300, (state, slots, len(reply))


async def test_bank_branch_is_understood_when_typed(chat, chat_en):
    turn = await chat.walk("医保卡激活", "看病结算", "我本人", "拿到了", "去银行办")
    assert turn["state"] == "done_card_bank"
    turn = await chat_en.walk("how do I activate my insurance card", "1", "1", "1", "at the bank")
    assert turn["state"] == "done_card_bank" and "金融账户" in turn["text"]


JARGON = ("统筹区", "统筹地区", "经办机构", "划转", "等待期", "统筹基金", "参保地", "待遇享受期")


@pytest.mark.parametrize("name", MINE)
def test_jargon_is_explained_where_an_outcome_first_uses_it(name, tr):
    """The first time a leaf's guidance (first screen, then its sections in order) uses a jargon word, a
    plain-words explanation follows it in brackets — 统筹区（…）, 经办机构（…）."""
    flow = FLOWS[name]
    for state, slots in every_path(flow):
        whole = everything(tr, flow, state, slots)
        for word in JARGON:
            at = whole.find(word)
            if at >= 0:
                assert whole[at + len(word):].startswith(("\uff08", "」\uff08")), f"{state}: 「{word}」 first used without explanation: " \
                                                        f"…{whole[max(0, at - 20): at + 30]}…"

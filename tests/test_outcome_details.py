"""Essentials first: an outcome's first reply is the verdict, where to go and the first steps; every other
section (材料, 步骤, 时限 …) is one tap away, and a tap shows text without moving the conversation on."""
from __future__ import annotations

import pytest

from bot.messages import Option, Text
from flows.base import Detail, Flow, FlowError, Guidance, Question, Choice, Route


async def _offline_refund(chat) -> dict:
    # 城乡居民 → 缴错多缴 → 没用过 → 去窗口办
    turn = await chat.walk("我想退医保", "1", "缴错了/多缴了", "没用过", "去窗口办")
    assert turn["state"] == "done_offline"
    return turn


async def test_first_reply_has_the_essentials_and_offers_the_sections(chat):
    turn = await _offline_refund(chat)
    text = turn["text"]
    assert "可以申请退费" in text and "退保申请表" in text  # verdict, where to go, first steps
    assert "身份证原件" not in text and "20个工作日" not in text  # materials and timing wait behind a tap
    assert turn["values"][:5] == ["more:form", "more:materials", "more:timing", "more:notes", "more:contact"]
    assert turn["options"][-2:] == ["主菜单", "转人工"]


async def test_a_detail_tap_shows_that_section_and_stays_at_the_guidance(chat):
    first = await _offline_refund(chat)
    turn = await chat(payload="more:materials", button_step=first["step"])
    assert "身份证原件和复印件" in turn["text"] and "委托书" in turn["text"]
    assert (turn["flow"], turn["state"], turn["slots"]) == (first["flow"], first["state"], first["slots"])
    assert "more:materials" not in turn["values"] and "more:timing" in turn["values"]
    assert turn["options"][-2:] == ["主菜单", "转人工"]
    # the same button again, from the first keyboard: the same section again, nothing else changes
    again = await chat(payload="more:materials", button_step=first["step"])
    assert again["intent"] == "refund" and again["text"] == turn["text"]
    assert (again["state"], again["slots"]) == (first["state"], first["slots"])
    # other sections from the first keyboard still work
    timing = await chat(payload="more:timing", button_step=first["step"])
    assert "20个工作日" in timing["text"] and timing["state"] == "done_offline"
    # back still goes to the question before the guidance: opening sections left no history behind
    back = await chat("返回")
    assert back["state"] == "ask_channel" and "channel" not in back["slots"]


async def test_a_section_opens_by_number_and_by_its_name(chat):
    await _offline_refund(chat)
    turn = await chat("3")  # third option: 多久到账
    assert "20个工作日" in turn["text"] and turn["state"] == "done_offline"
    turn = await chat("要带的材料")
    assert "身份证原件和复印件" in turn["text"] and turn["state"] == "done_offline"


async def test_sections_of_guidance_no_longer_on_screen_are_stale(chat):
    first = await _offline_refund(chat)
    await chat("菜单")
    turn = await chat(payload="more:materials", button_step=first["step"])
    assert turn["intent"] == "stale" and turn["state"] == "menu" and "身份证原件" not in turn["text"]
    # a detail key this guidance does not have, pressed on the current keyboard
    again = await _offline_refund(chat)
    turn = await chat(payload="more:nonsense", button_step=again["step"])
    assert turn["intent"] == "stale" and turn["state"] == "done_offline"


async def test_detail_taps_are_idempotent_under_platform_retries(chat):
    first = await _offline_refund(chat)
    msg_id = "retry-1"
    one = await chat(payload="more:materials", button_step=first["step"], message_id=msg_id)
    two = await chat(payload="more:materials", button_step=first["step"], message_id=msg_id)
    assert one["text"] == two["text"] and one["step"] == two["step"]


async def test_english_sections(chat_en):
    await chat_en.walk("I want a refund", "1", "Paid by mistake / paid too much", "No, never used", "At a service window")
    turn = await chat_en("2")
    assert "ID card (original and copy)" in turn["text"] and turn["state"] == "done_offline"


def test_flow_rejects_two_sections_with_one_key():
    same = (Detail("a", "detail-steps", lambda s: [Text("x")]), Detail("a", "detail-notes", lambda s: [Text("y")]))
    with pytest.raises(FlowError):
        Flow("f", "flow-refund", "q", [Question("q", "x", "p", (Choice("1", "opt-yes"),))],
             [Guidance("done", lambda s: [Text("x")], details=same)], [Route("q", "done")])


def test_sections_without_content_are_not_offered():
    outcome = Guidance("done", lambda s: [Text("x")], details=(
        Detail("a", "detail-steps", lambda s: [Text("a")] if s.get("k") else []),
        Detail("b", "detail-notes", lambda s: [Text("b")]),
    ))
    assert [o.value for o in outcome.detail_options({})] == ["more:b"]
    assert [o.value for o in outcome.detail_options({"k": 1}, shown="b")] == ["more:a"]
    assert outcome.section("a", {}) == [] and outcome.section("b", {}) == [Text("b")]
    assert isinstance(outcome.detail_options({"k": 1})[0], Option)


async def test_defect_16_no_medical_note_on_refunds_only_where_health_comes_up(chat):
    turn = await _offline_refund(chat)
    assert "不提供看病用药" not in turn["text"]
    dental = await chat("拔牙补牙可以报医疗保险吗")
    assert dental["intent"] == "faq" and "不提供看病用药" in dental["text"]
    bye = await chat("不办了")
    assert "不提供看病用药" not in bye["text"] and "以当地医保部门的规定为准" in bye["text"]


async def test_defect_14_card_menu_entry_is_greeted_as_card_activation(chat):
    await chat("菜单")
    turn = await chat(payload="flow:card", button_step=chat.last["step"])
    assert "「医保卡激活」" in turn["text"] and "补缴/重新参保/医保卡激活" not in turn["text"]


async def test_guidance_reached_straight_from_the_question_is_not_announced_as_questions(chat):
    turn = await chat("职工医保交了5年不交可以退吗")
    assert turn["state"] == "done_not_refundable"
    assert "我会问您几个简单的问题" not in turn["text"]


async def test_defect_18_out_of_scope_reply_says_the_bot_teaches_the_errand(chat, chat_en):
    turn = await chat("攀枝花附属医院是几级医院")
    assert turn["intent"] == "out_of_scope"
    assert "教您办" in turn["text"] and "帮您办理" not in turn["text"]
    en = await chat_en("which hospital is best for headaches")
    assert "show you step by step how to do these errands yourself" in en["text"]
    await chat("菜单")
    lost = await chat("xq")
    assert lost["intent"] == "unknown" and "教您办" in lost["text"] and "帮您办" not in lost["text"], lost

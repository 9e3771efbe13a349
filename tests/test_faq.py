"""FAQ answers (domain.md §9) and out-of-scope replies (§10) through the console channel."""
from __future__ import annotations

import pytest

from bot.i18n import Translator
from flows.faq import FAQS


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_every_faq_has_a_question_and_an_answer(locale):
    tr = Translator()
    for faq in FAQS:
        assert tr.has(faq.question.key, locale), faq.id
        for key in faq.answer:
            assert tr.has(key, locale), key


async def test_card_for_family_is_an_faq_that_leads_to_family_sharing(chat):
    turn = await chat("医保卡可以跟家人一起用吗")
    assert turn["intent"] == "faq" and turn["flow"] is None
    assert "家庭共济" in turn["text"] and "只能本人使用" in turn["text"]
    assert "以当地医保部门的规定为准" in turn["text"]
    go = next(v for v in turn["values"] if v.startswith("flow:family"))
    nxt = await chat(payload=go, button_step=turn["step"])
    assert nxt["flow"] == "family" and nxt["state"] == "ask_ins_type"


async def test_lending_penalty_and_dental_answers_carry_the_facts(chat):
    turn = await chat("医保卡可以给别人付费用吗")
    assert turn["intent"] == "faq" and "2到5倍" in turn["text"] and "3到12个月" in turn["text"]
    dental = await chat("拔牙补牙可以报医疗保险吗")
    assert dental["intent"] == "faq"
    assert "种植牙" in dental["text"] and "根管治疗" in dental["text"]


async def test_slots_in_an_faq_question_carry_into_the_errand_it_offers(chat):
    turn = await chat("医保断交两个月后不补会怎样")
    assert turn["intent"] == "faq" and turn["slots"] == {"lapse": "≤3个月"}
    assert "3到6个月" in turn["text"]
    go = next(v for v in turn["values"] if v.startswith("flow:reactivation"))
    nxt = await chat(payload=go, button_step=turn["step"])
    assert nxt["flow"] == "reactivation" and nxt["slots"] == {"react_task": "补缴", "lapse": "≤3个月"}


async def test_faq_menu_entry_lists_every_question(chat):
    menu = await chat("菜单")
    assert "faq:list" in menu["values"] and "常见问题" in menu["options"]
    listing = await chat("常见问题")
    assert listing["intent"] == "faq"
    assert [v for v in listing["values"] if v.startswith("faq:")] == [f"faq:{f.id}" for f in FAQS]
    answer = await chat("1")
    assert answer["intent"] == "faq" and "不能" in answer["text"]


async def test_faq_mid_flow_answers_then_asks_the_same_question_again(chat):
    start = await chat("我想退医保")
    assert start["state"] == "ask_ins_type"
    turn = await chat("体检能用医保卡吗")
    assert turn["intent"] == "faq" and turn["flow"] == "refund" and turn["state"] == "ask_ins_type"
    assert "统筹基金不报销" in turn["text"] and turn["values"] == start["values"]


async def test_out_of_scope_offers_menu_handoff_and_hotline(chat):
    turn = await chat("攀枝花附属医院是几级医院")
    assert turn["intent"] == "out_of_scope" and turn["flow"] is None
    assert "不在本助手的服务范围内" in turn["text"] and "12333" in turn["text"]
    assert "不提供医疗建议" in turn["text"]
    assert "cmd:handoff" in turn["values"] and "flow:refund" in turn["values"]


async def test_insurance_adjacent_out_of_scope_points_to_the_local_office(chat):
    turn = await chat("成都门特报销额度")
    assert turn["intent"] == "out_of_scope" and "当地医保部门" in turn["text"]
    pension = await chat("城镇居民可以交农村养老保险")
    assert pension["intent"] == "out_of_scope" and pension["flow"] is None


async def test_out_of_scope_mid_flow_keeps_the_errand(chat):
    await chat("医保卡怎么激活")
    turn = await chat("2025年江西萍乡治疗反复头痛什么医院好")
    assert turn["intent"] == "out_of_scope"
    assert turn["flow"] == "reactivation" and turn["state"] == "ask_card_part"


async def test_faq_and_out_of_scope_in_english(chat_en):
    faq = await chat_en("can I lend my insurance card to my mother")
    assert faq["intent"] == "faq" and "family sharing" in faq["text"]
    oos = await chat_en("what's the best hospital in Chengdu")
    assert oos["intent"] == "out_of_scope" and "12333" in oos["text"] and "medical advice" in oos["text"]


async def test_handoff_request_in_free_text(chat):
    turn = await chat("我想找人工客服问一下退费的事")
    assert turn["intent"] == "handoff" and "12333" in turn["text"]


async def test_every_faq_answer_fits_one_phone_screen(chat):
    """An FAQ answer as shown — its heading, the facts, the local-rules lines and the health note where it
    applies — is at most 300 characters in Chinese, like the first screen of every errand's guidance."""
    menu = await chat("常见问题")
    for value in [v for v in menu["values"] if v.startswith("faq:")]:
        turn = await chat(payload=value, button_step=menu["step"])
        assert turn["state"] == "faq" and len(turn["text"]) <= 300, (value, len(turn["text"]))
        menu = await chat("常见问题")

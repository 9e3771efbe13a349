"""Issue 10: answers in words at every question, negation, numbers, places, sound-alikes, dialect, yes/no only
at yes/no questions, corrections and switches mid-flow, handoff and out-of-scope neighbours, and the named bugs.
Sentences here are paraphrases written for these tests, not the blind sets."""
from __future__ import annotations

import pytest

from bot.i18n import Translator
from bot.messages import Text
from flows import build_flows
from flows.soundalike_table import TABLE, build, render, words_from
from flows.understanding import Understander, cn_range

NLU = Understander()
TR = Translator()
FLOWS = build_flows()


def choices(flow: str, state: str):
    q = FLOWS[flow].questions[state]
    return q.slot, [(c.value, [TR.text(Text(c.label), loc) for loc in ("zh-CN", "en")]) for c in q.choices]


def answer(flow: str, state: str, text: str):
    slot, offered = choices(flow, state)
    return NLU.match_choice(text, slot, offered)


@pytest.mark.parametrize("flow,state,text,value", [
    # the kinds issue 10 lists
    ("refund", "ask_used", "没有去看过", "没用过"),
    ("refund", "ask_used", "在医院拿过药", "用过"),
    ("refund", "ask_used", "从来没去过医院", "没用过"),
    ("refund", "ask_used", "I have not used it", "没用过"),
    ("refund", "ask_ins_type", "城乡那个", "居民"),
    ("refund", "ask_ins_type", "每年自己在村里交", "居民"),
    ("refund", "ask_ins_type", "公司每个月从工资里扣", "职工"),
    ("refund", "ask_reason", "I paid by mistake", "缴错多缴"),
    ("family", "ask_relation", "我家那口子", "配偶"),
    ("family", "ask_relation", "俺闺女", "子女"),
    ("family", "ask_same_area", "同一个区的", "同一地区"),
    ("family", "ask_same_area", "他在老家", "不同地区"),
    ("family", "ask_same_area", "我在杭州她在宁波", "不同地区"),
    ("family", "ask_same_area", "都在上海", "同一地区"),
    ("reactivation", "ask_over_65", "七十多岁了", "是"),
    ("reactivation", "ask_over_65", "六十七八", "是"),
    ("reactivation", "ask_over_65", "刚满六十", "否"),
    ("reactivation", "ask_lapse", "差不多半年", ">3个月"),
    ("reactivation", "ask_lapse", "四五个月", ">3个月"),
    ("reactivation", "ask_lapse", "小半年", ">3个月"),
    ("reactivation", "ask_lapse", "两年多", ">3个月"),
    ("reactivation", "ask_lapse", "仨月", "≤3个月"),
    ("transfer", "ask_cross_province", "从安徽到浙江", "跨省"),
    ("transfer", "ask_cross_province", "从合肥到芜湖", "省内"),
    ("transfer", "ask_cross_province", "都在江苏", "省内"),
    ("transfer", "ask_ins_pair", "原来那边是新农合,这边公司交职工医保", "职工和居民"),
    # negation scope
    ("refund", "ask_channel", "不在网上办", "线下"),
    ("refund", "ask_channel", "不想跑窗口", "线上"),
    ("refund", "ask_channel", "我不会用手机", "线下"),
    ("refund", "ask_ins_type", "不是居民,是职工", "职工"),
    ("refund", "ask_used", "上个月还住了院", "用过"),
    ("refund", "ask_ins_type", "学校给孩子交的", "居民"),
    ("refund", "ask_channel", "我不太会弄手机", "线下"),
    ("family", "ask_relation", "我老伴", "配偶"),
    ("family", "ask_relation", "其他", "其他亲属"),
    ("reactivation", "ask_over_65", "六十出头", "否"),
    ("transfer", "ask_lapse", "断了两个来月", "≤3个月"),
    ("reactivation", "ask_for_whom", "帮我闺女弄", "代办"),
    ("transfer", "ask_cross_province", "从成都到绵阳", "省内"),
    ("family", "ask_same_area", "她在苏州我在无锡", "不同地区"),
    # dialect
    ("reactivation", "ask_card_received", "冇拿到", "没拿到"),
    ("transfer", "ask_enrolled_new", "莫得", "还没有"),
])
def test_answers_in_words(flow, state, text, value):
    assert answer(flow, state, text) == value


@pytest.mark.parametrize("text", ["no", "not", "other", "是", "不是", "有", "没有", "yes"])
def test_bare_yes_no_does_not_answer_an_option_question(text):
    assert answer("refund", "ask_reason", text) is None


@pytest.mark.parametrize("text,value", [("是", "是"), ("不是", "否"), ("yes", "是"), ("no", "否")])
def test_bare_yes_no_answers_a_yes_no_question(text, value):
    assert answer("reactivation", "ask_over_65", text) == value


@pytest.mark.parametrize("text,rng", [("四五", (4, 5)), ("六十七八", (67, 68)), ("三四十", (30, 40)), ("十二", (12, 12)),
                                      ("仨", (3, 3)), ("一百", (100, 100)), ("七十", (70, 70))])
def test_numeral_ranges(text, rng):
    assert cn_range(text) == rng


@pytest.mark.parametrize("text,intent,slots", [
    ("依宝腿费怎么弄", "refund", {}),
    ("一饱腿费", "refund", {}),
    ("工记怎么开通", "family", {}),
    ("急活医保卡", "reactivation", {"react_task": "卡激活"}),
    ("医保专移怎么办", "transfer", {}),
    ("yibao tuifei", "refund", {}),
    ("ybtf", "refund", {}),
    ("不是补缴,是激活", "reactivation", {"react_task": "卡激活"}),
    ("冇医保卡点样激活", "reactivation", {"react_task": "卡激活"}),
    ("佢嘅医保系唔系可以退", "refund", {}),
    ("医保断了咋个办", "reactivation", {}),
    ("从安徽到浙江上班医保怎么转", "transfer", {"cross_province": "跨省"}),
    # out-of-scope neighbours and requests for a person
    ("养老金资格认证怎么弄", "out_of_scope", {}),
    ("产假工资怎么领", "out_of_scope", {}),
    ("工伤保险报销流程", "out_of_scope", {}),
    ("失业登记在哪办", "out_of_scope", {}),
    ("公积金贷款能贷多少", "out_of_scope", {}),
    ("门诊能报多少", "out_of_scope", {}),
    ("附近的药店在哪", "out_of_scope", {}),
    ("我要投诉你们", "handoff", {}),
    ("能不能给我回个电话", "handoff", {}),
    ("让真人来跟我说", "handoff", {}),
    ("我要找你们经理", "handoff", {}),
    ("给我打个电话说吧", "handoff", {}),
])
def test_first_messages(text, intent, slots):
    u = NLU.understand(text)
    assert u.intent == intent, (text, u)
    for k, v in slots.items():
        assert u.slots.get(k) == v, (text, u.slots)


def test_already_claimed_is_not_a_sound_alike_of_yibao():
    assert NLU.understand("已报销过").intent != "refund"
    assert "医保" not in NLU._repaired(NLU.read("已报销过"))


def test_a_message_is_normalised_once(monkeypatch):
    """Every reading the dialogue makes of one message shares its Utterance: the text is cleaned once."""
    calls = []
    real = NLU.d.clean
    monkeypatch.setattr(NLU.d, "clean", lambda text: calls.append(text) or real(text))
    u = NLU.read("医保交重复了怎么退")
    NLU.command(u), NLU.ordinal(u), NLU.understand(u), NLU.is_request(u), NLU.slots_in(u, "refund")
    NLU.match_choice(u, "ins_type", choices("refund", "ask_ins_type")[1])
    assert calls.count("医保交重复了怎么退") == 1, calls


def test_soundalike_table_is_current():
    assert TABLE.read_text(encoding="utf-8") == render(build(*words_from())), "run `python -m flows.soundalike_table`"


@pytest.mark.parametrize("text,topic,number", [("养老金资格认证怎么弄", "social", "12333"),
                                               ("公积金贷款能贷多少", "housing_fund", "12329")])
async def test_out_of_scope_neighbours_say_where_to_go(chat, text, topic, number):
    assert NLU.understand(text).topic == topic
    turn = await chat(text)
    assert turn["intent"] == "out_of_scope" and turn["flow"] is None and number in turn["text"]


# -- the named bugs, as conversations ---------------------------------------------------------------
async def test_unsure_at_insurance_type_moves_on(chat):
    await chat("我想退医保")
    turn = await chat("不清楚")
    assert turn["state"] == "ask_reason" and turn["slots"]["ins_type"] == "不清楚"


async def test_english_no_at_refund_reason_reasks_instead_of_recording_prison(chat_en):
    await chat_en("I want a refund")
    await chat_en("1")
    for text in ("no", "not", "other"):
        turn = await chat_en(text)
        assert turn["state"] == "ask_reason" and "reason" not in turn["slots"], text
        assert turn["values"][:7] == ["重复缴费", "缴错多缴", "已参加职工医保", "参保人去世", "户籍迁出", "服刑", "主动停保"]
    turn = await chat_en("I paid by mistake")
    assert turn["slots"]["reason"] == "缴错多缴"
    turn = await chat_en("I have not used it")
    assert turn["slots"]["used"] == "没用过"


async def test_transfer_answer_naming_both_insurances_is_an_answer(chat):
    first = await chat("我从老家到上海上班了医保怎么转过来")
    assert first["flow"] == "transfer" and first["slots"]["situation"] == "换地转移"
    turn = await chat("原来那边是新农合，这边公司交职工医保")
    assert turn["intent"] == "transfer" and "好的,我们来办" not in turn["text"]
    assert turn["slots"]["situation"] == "换地转移" and turn["slots"]["ins_pair"] == "职工和居民"
    assert turn["state"] != "ask_ins_pair"


async def test_changing_errand_mid_refund_asks_then_switches(chat):
    await chat.walk("我想退医保", "1")
    ask = await chat("算了不退了，我想问问家庭共济怎么弄")
    assert ask["flow"] == "refund" and ask["values"] == ["yes", "no"]
    turn = await chat("是")
    assert turn["flow"] == "family" and turn["slots"]["fam_intent"] == "给家人用"


async def test_correcting_the_last_answer(chat):
    await chat.walk("我想退医保", "1")
    turn = await chat("刚才选错了，应该是职工")
    assert turn["state"] == "ask_reason" and turn["slots"]["ins_type"] == "职工"
    assert "退休后还在缴费" in turn["text"] or "退休后多缴" in turn["values"]
    back = await chat("返回")  # a correction is one step, undone like any other
    assert back["state"] == "ask_reason" and back["slots"]["ins_type"] == "居民"


async def test_not_this_but_that_corrects_the_previous_answer(chat):
    await chat.walk("我想退医保", "1")
    turn = await chat("不是居民，是职工")
    assert turn["state"] == "ask_reason" and turn["slots"]["ins_type"] == "职工"


async def test_negation_at_the_channel_question(chat):
    await chat.walk("居民医保交错了能退吗", "没用过")
    assert chat.last["state"] == "ask_channel"
    turn = await chat("不在网上办")
    assert turn["slots"]["channel"] == "线下"


async def test_second_miss_shows_options_with_handoff(chat):
    await chat.walk("我想退医保", "1")
    first = await chat("嗯嗯嗯那个啥")
    assert "转人工" not in first["options"]
    second = await chat("就那个呗")
    assert second["state"] == "ask_reason" and second["options"][-1] == "转人工"
    assert "最接近的一项" in second["text"]


async def test_giving_up_the_errand_for_a_question_answers_it_and_leaves_the_errand(chat):
    await chat.walk("我从老家到上海上班了医保怎么转过来", "1")
    turn = await chat("不想转了，我想问家人能不能用我的医保")
    assert turn["intent"] == "faq" and turn["flow"] is None
    assert any(v.startswith("flow:family") for v in turn["values"])  # what follows is offered
    back = await chat("返回")
    assert back["flow"] == "transfer"


async def test_giving_up_the_errand_alone_shows_the_menu(chat):
    await chat.walk("医保卡怎么激活")
    turn = await chat("不激活了")
    assert turn["flow"] is None and turn["state"] == "menu" and "先不办了" in turn["text"]

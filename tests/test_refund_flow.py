"""退费 transcripts: read like a conversation, through the same engine every channel uses."""
from __future__ import annotations

from tests.conftest import Chat


async def test_full_refund_by_numbers_ends_in_guidance(chat):
    turn = await chat("我想退医保")
    assert (turn["flow"], turn["state"]) == ("refund", "ask_ins_type")
    assert turn["options"] == ["城乡居民医保（含新农合）", "职工医保", "不清楚"]
    turn = await chat("1")
    assert turn["state"] == "ask_reason" and turn["slots"] == {"ins_type": "居民"}
    turn = await chat.walk("1", "1", "2", "1", "2")  # 重复缴费 → 同地区 → 没用过 → 手机 → 税务
    assert turn["state"] == "done_online"
    text = await chat.guidance()
    for expected in ("可以申请退费", "税务", "缴费凭证", "终止缴费证明", "20个工作日", "以当地医保部门的规定为准", "12333"):
        assert expected in text, expected
    assert turn["slots"]["platform"] == "税务" and turn["slots"]["channel"] == "线上"


async def test_answers_by_label_text(chat):
    await chat("退费")
    turn = await chat.walk("职工医保", "退休后还在缴费(多缴)")
    assert turn["state"] == "done_retired"
    assert "多交的月份可以退" in turn["text"]


async def test_back_restores_previous_question_and_answer(chat):
    await chat.walk("我想退医保", "1", "1")
    assert chat.last["state"] == "ask_dup_scope"
    turn = await chat("返回上一步")
    assert turn["state"] == "ask_reason"
    assert turn["slots"] == {"ins_type": "居民"}
    assert "您想退费的原因" in turn["text"]
    turn = await chat("返回")
    assert turn["state"] == "ask_ins_type" and turn["slots"] == {}
    turn = await chat("返回")  # back out of the flow entirely
    assert turn["flow"] is None and turn["state"] == "menu"
    turn = await chat("返回")
    assert turn["state"] == "menu" and "没有上一步" in turn["text"]


async def test_back_from_guidance_reopens_last_question(chat):
    await chat.walk("我想退医保", "2", "不想交了/想停保退钱")
    assert chat.last["state"] == "done_not_refundable"
    turn = await chat("上一步")
    assert turn["state"] == "ask_reason" and "reason" not in turn["slots"]


async def test_restart_returns_to_menu_and_clears_slots(chat):
    await chat.walk("我想退医保", "1", "1")
    turn = await chat("重新开始")
    assert turn["flow"] is None and turn["state"] == "menu" and turn["slots"] == {}
    assert "医保退费" in turn["options"]
    turn = await chat("返回")
    assert turn["state"] == "menu"  # restart wipes history too


async def test_menu_command_then_back_resumes_the_flow(chat):
    await chat.walk("我想退医保", "1")
    turn = await chat("菜单")
    assert turn["state"] == "menu"
    turn = await chat("返回")
    assert (turn["flow"], turn["state"], turn["slots"]) == ("refund", "ask_reason", {"ins_type": "居民"})


async def test_unknown_insurance_type_gives_hint_and_moves_on(chat):
    await chat("我想退医保")
    turn = await chat("3")
    assert turn["state"] == "ask_reason" and turn["slots"]["ins_type"] == "不清楚"
    assert "单位代扣代缴" in turn["text"]
    again = await chat("不清楚")  # 不清楚 never gets the same question again: here it is not an option
    assert again["state"] == "ask_reason" and "cmd:handoff" in again["values"]


async def test_employee_only_reasons_hidden_for_residents(chat):
    await chat("我想退医保")
    residents = (await chat("1"))["options"]
    await chat("返回")
    employees = (await chat("2"))["options"]
    assert "退休后还在缴费（多缴）" not in residents
    assert "退休后还在缴费（多缴）" in employees and "领失业金期间又自己交了" in employees


async def test_used_benefits_is_not_refundable(chat):
    turn = await chat.walk("我想退医保", "1", "户口迁出/出国定居", "用过")
    assert turn["state"] == "done_used"
    assert "当年的保费不退" in turn["text"] and "转人工" in turn["options"]


async def test_unsure_about_usage_adds_caveat(chat):
    turn = await chat.walk("我想退医保", "1", "2", "不确定", "去窗口办")
    assert turn["state"] == "done_offline"
    assert "已经享受过医保待遇" in turn["text"] and "退保申请表" in turn["text"]


async def test_prefilled_slots_skip_questions(chat):
    turn = await chat("城乡居民医保交重复了怎么退")
    assert turn["flow"] == "refund"
    assert turn["slots"] == {"ins_type": "居民", "reason": "重复缴费"}
    assert turn["state"] == "ask_dup_scope"


async def test_prefill_straight_to_verdict(chat):
    turn = await chat("职工医保交了5年不交可以退吗")
    assert turn["state"] == "done_not_refundable"
    assert "不能" in turn["text"]




async def test_death_outcome_needs_certificate(chat):
    turn = await chat.walk("我想退医保", "1", "参保人去世", "待遇期内")
    assert turn["state"] == "done_death"
    assert "死亡证明" in turn["text"] and "继承人" in turn["text"]


async def test_invalid_answer_reprompts_without_changing_state(chat):
    await chat.walk("我想退医保", "1")
    before = chat.last
    for junk in ("9", "asdf", "🙂", "0", "-1"):
        turn = await chat(junk)
        assert turn["state"] == "ask_reason" and turn["slots"] == before["slots"], junk
        # the same options; from the second miss on, with 转人工 after them (no dead end)
        assert turn["options"][: len(before["options"])] == before["options"]
        assert turn["options"][len(before["options"]):] in ([], ["转人工"])


async def test_id_number_in_chat_is_refused_and_not_stored(chat, memory_services):
    await chat.walk("我想退医保", "1")
    turn = await chat("我的身份证是110101199003074578")
    assert turn["intent"] == "privacy" and "不要在聊天里发身份证号" in turn["text"]
    assert turn["state"] == "ask_reason"
    raw = await memory_services.redis.get(f"bot:{{console:{chat.user}}}:session")
    assert "110101199003074578" not in raw


async def test_exit_closes_with_disclaimer(chat):
    await chat.walk("我想退医保", "1")
    turn = await chat("不办了")
    assert turn["state"] == "closed" and turn["flow"] is None
    assert "以当地医保部门的规定为准" in turn["text"]
    turn = await chat("1")  # the only option offered after closing: the menu
    assert turn["state"] == "menu"


async def test_help_keeps_the_question(chat):
    await chat.walk("我想退医保", "1")
    turn = await chat("帮助")
    assert "重新开始" in turn["text"] and turn["state"] == "ask_reason"


async def test_handoff_before_it_exists_gives_hotline(chat):
    await chat.walk("我想退医保", "1")
    turn = await chat("我要转人工")
    assert "12333" in turn["text"] and turn["state"] == "ask_reason"


async def test_english_transcript(chat_en):
    turn = await chat_en("I want a refund")
    assert turn["flow"] == "refund" and "Which kind" in turn["text"]
    turn = await chat_en.walk("1", "Paid by mistake / paid too much", "No, never used", "At a service window")
    assert turn["state"] == "done_offline"
    assert "local medical-insurance office has the final word" in turn["text"]
    text = await chat_en.guidance()
    assert "refund application form" in text and "20 working days" in text


async def test_stale_button_does_not_transition(chat):
    first = await chat("我想退医保")
    await chat("1")
    turn = await chat(payload="职工", button_step=first["step"])
    assert turn["intent"] == "stale" and turn["state"] == "ask_reason"
    assert turn["slots"] == {"ins_type": "居民"}


async def test_button_payload_of_current_step_applies(chat):
    first = await chat("我想退医保")
    turn = await chat(payload="职工", button_step=first["step"])
    assert turn["slots"] == {"ins_type": "职工"}


async def test_language_switch_mid_flow(chat):
    await chat.walk("我想退医保", "1")
    turn = await chat("english")
    assert turn["state"] == "ask_reason" and "Why do you want a refund" in turn["text"]


async def test_same_flow_over_real_redis(services):
    chat = Chat(services)
    turn = await chat.walk("我想退医保", "1", "1", "1", "2", "2")
    assert turn["state"] == "done_offline"


# -- issue 11 defects ---------------------------------------------------------------------------------
from flows import build_flows  # noqa: E402
from tests.test_all_paths import walk  # noqa: E402

REFUND = build_flows()["refund"]


def _all_text(tr, outcome, slots, loc="zh-CN") -> str:
    parts = [outcome.render(slots), *(texts for _, texts in outcome.sections(slots))]
    return "\n".join(tr.text(t, loc) for part in parts for t in part)


async def test_defect_01_two_region_duplicate_gives_guidance_and_no_loop(chat):
    turn = await chat.walk("我想退医保", "1", "重复缴费（交重复了）", "两个地方各交了一份")
    assert turn["state"] == "ask_channel"  # not a dead end: on to how to apply
    turn = await chat("去窗口办")
    assert turn["state"] == "done_offline"
    assert "保留主要的参保关系，取消其他重复的参保关系" in turn["text"] and "退保申请表" in turn["text"]
    assert "两个地方各交了一份：" in turn["text"]  # the verdict, not the button label on its own
    go_transfer = next(v for v in turn["values"] if v.startswith("flow:transfer"))
    assert "参保凭证" in await chat.guidance()
    materials = await chat(payload="more:materials", button_step=chat.last["step"])
    assert "另一地医保经办机构开的参保凭证" in materials["text"]
    # transfer offers the refund, the refund offers the transfer: each goes forward, never back to a label
    moved = await chat(payload=go_transfer, button_step=materials["step"])
    assert moved["flow"] == "transfer" and moved["state"] == "ask_cross_province"
    done = await chat.walk("省内", "去窗口办")
    assert done["state"] == "done_dup"
    back = await chat(payload=next(v for v in done["values"] if v.startswith("flow:refund")), button_step=done["step"])
    assert (back["flow"], back["state"]) == ("refund", "ask_channel")


async def test_defect_02_employee_refunds_get_no_resident_forms_or_menus(chat, memory_services):
    turn = await chat.walk("我想退医保", "职工医保", "缴错了/多缴了", "没用过")
    assert turn["state"] == "done_employee"  # no phone/window or platform question
    assert "参保单位或本人都可以申请" in turn["text"]
    from bot.i18n import Translator

    tr = Translator()
    for state, slots in walk(REFUND)[1]:
        if slots.get("ins_type") == "职工":
            assert "platform" not in slots and "channel" not in slots, (state, slots)
            text = _all_text(tr, REFUND.outcomes[state], slots)
            for resident_only in ("退保申请表", "城乡居民退费登记", "城乡居民医保退费", "资助"):
                assert resident_only not in text, (state, slots, resident_only)


async def test_defect_05_used_benefits_is_a_caveat_for_duplicates_and_overpayments(chat):
    turn = await chat.walk("我想退医保", "1", "重复缴费（交重复了）", "同一个地方交了两次", "用过")
    assert turn["state"] == "ask_channel"
    turn = await chat("去窗口办")
    assert turn["state"] == "done_offline" and "❌" not in turn["text"]
    assert "重复或多交的部分一般还能申请退" in turn["text"] and "以当地审核为准" in turn["text"]
    turn = await chat.walk("重新开始", "我想退医保", "1", "缴错了/多缴了", "用过")
    assert turn["state"] == "ask_channel"
    turn = await chat.walk("重新开始", "我想退医保", "1", "户口迁出/出国定居", "用过")
    assert turn["state"] == "done_used"  # other reasons: used benefits still mean no refund


async def test_defect_06_subsidy_note_says_what_the_seed_says(chat):
    await chat.walk("我想退医保", "1", "缴错了/多缴了", "没用过", "去窗口办")
    notes = await chat(payload="more:notes", button_step=chat.last["step"])
    assert "资助参保的人员" in notes["text"] and "要先结清应缴的金额，再申请退费" in notes["text"]
    assert "应退还的资助部分" not in notes["text"] and "低保" not in notes["text"]


async def test_defect_08_joined_employee_is_hedged_like_the_other_overlap(chat):
    turn = await chat.walk("我想退医保", "1", "已经参加了职工医保", "没用过", "去窗口办")
    assert turn["state"] == "done_offline"
    assert "✅" not in turn["text"] and "以当地审核为准" in turn["text"] and "有的地方规定不退" in turn["text"]


async def test_defect_10_two_employers_have_no_refund_closing_block(chat):
    turn = await chat.walk("我想退医保", "职工医保", "重复缴费（交重复了）", "两个单位都给交了")
    assert turn["state"] == "done_dup_two_employers"
    assert "单位交的那部分不退" in turn["text"] and "合并" in turn["text"]
    whole = await chat.guidance()
    for closing in ("20个工作日", "原路退回", "要带的材料", "委托书", "退保申请表"):
        assert closing not in whole, closing


async def test_defect_13_refund_says_nothing_the_seeds_do_not():
    from bot.i18n import Translator

    tr = Translator()
    for state, slots in walk(REFUND, hints=True)[1]:
        text = _all_text(tr, REFUND.outcomes[state], slots)
        assert "通过单位" not in text and "低保" not in text and "继承人身份证" not in text, (state, slots)
        if slots.get("ins_type") != "职工":  # C7: no claims about a 居民医保 personal-account balance
            assert "余额" not in text, (state, slots)


async def test_defect_15_not_refundable_offers_the_lapse_effects(chat):
    turn = await chat.walk("我想退医保", "1", "不想交了/想停保退钱")
    assert turn["state"] == "done_not_refundable" and "faq:lapse_effects" in turn["values"]
    faq = await chat(payload="faq:lapse_effects", button_step=turn["step"])
    assert faq["intent"] == "faq" and "断缴" in faq["text"]


def test_unknown_insurance_type_is_routed_to_a_safe_general_answer():
    """不清楚 is recorded like any answer (contract with the understanding work): the routes go on, and
    the guidance says which scheme its channels belong to and what to do otherwise."""
    from bot.i18n import Translator

    tr = Translator()
    slots = {"ins_type": "不清楚", "reason": "缴错多缴", "used": "没用过", "channel": "线上", "platform": "税务"}
    state = "ask_ins_type"
    while state in REFUND.questions:
        state = REFUND.step(state, slots)
    assert state == "done_online"
    text = _all_text(tr, REFUND.outcomes[state], slots)
    assert "如果其实是职工医保，请到当地医保窗口申请" in text
    assert {s for s, sl in walk(REFUND, hints=True)[1] if sl.get("ins_type") == "不清楚"} >= {
        "done_online", "done_offline", "done_death", "done_not_refundable"}

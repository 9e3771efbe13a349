"""退费 transcripts: read like a conversation, through the same engine every channel uses."""
from __future__ import annotations

from tests.conftest import Chat


async def test_full_refund_by_numbers_ends_in_guidance(chat):
    turn = await chat("我想退医保")
    assert (turn["flow"], turn["state"]) == ("refund", "ask_ins_type")
    assert turn["options"] == ["城乡居民医保(含新农合)", "职工医保", "不清楚"]
    turn = await chat("1")
    assert turn["state"] == "ask_reason" and turn["slots"] == {"ins_type": "居民"}
    turn = await chat.walk("1", "1", "2", "1", "2")  # 重复缴费 → 同地区 → 没用过 → 手机 → 税务
    assert turn["state"] == "done_online"
    text = turn["text"]
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
    assert "退休后还在缴费(多缴)" not in residents
    assert "退休后还在缴费(多缴)" in employees and "领失业金期间又自己交了" in employees


async def test_used_benefits_is_not_refundable(chat):
    turn = await chat.walk("我想退医保", "1", "2", "用过")
    assert turn["state"] == "done_used"
    assert "不予退还" in turn["text"] and "转人工" in turn["options"]


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


async def test_two_regions_offers_transfer(chat):
    turn = await chat.walk("我想退医保", "1", "1", "2")
    assert turn["state"] == "done_dup_two_regions"
    assert "参保凭证" in turn["text"]


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
    assert "refund application form" in turn["text"] and "20 working days" in turn["text"]
    assert "local medical-insurance office has the final word" in turn["text"]


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

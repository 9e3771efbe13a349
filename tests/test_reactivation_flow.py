"""断缴补缴 / 重新参保 / 医保卡激活 transcripts through the console channel (zh-CN and en)."""


async def test_employee_short_lapse_prefilled_from_the_first_message(chat):
    first = await chat("职工医保断了两个月,可以补交吗")
    assert first["flow"] == "reactivation"
    assert first["slots"] == {"react_task": "补缴", "ins_type": "职工", "lapse": "≤3个月"}
    assert first["state"] == "ask_channel"
    last = await chat("去窗口")
    assert last["state"] == "done_employee_short"
    assert "可以补缴" in last["text"] and "经办机构" in last["text"]
    notes = await chat(payload="more:notes", button_step=last["step"])
    assert "100元" in notes["text"] and notes["state"] == "done_employee_short"
    contact = await chat(payload="more:contact", button_step=notes["step"])
    assert "12333" in contact["text"]


async def test_exactly_three_months_counts_as_short_but_warns(chat):
    first = await chat("医保断了3个月可以补交吗")
    assert first["slots"]["lapse"] == "≤3个月"
    await chat("职工医保")
    last = await chat("网上")
    assert last["state"] == "done_employee_short" and "临界点" in last["text"]


async def test_employee_long_lapse_gives_the_waiting_period_range(chat):
    await chat("医保停交半年了怎么办")
    await chat("职工")
    last = await chat("线下")
    assert last["state"] == "done_employee_long"
    assert "3个月" in last["text"] and "6个月" in last["text"] and "以当地规定为准" in last["text"]


async def test_resident_reenrolment_over_65(chat):
    first = await chat("新农合如何重新参保")
    assert first["slots"] == {"react_task": "重新参保", "ins_type": "居民"}
    assert first["state"] == "ask_over_65"
    await chat("是的")
    last = await chat("手机上办")
    assert last["state"] == "done_resident"
    assert "65岁以上" in last["text"] and "等待期" in last["text"] and "支付宝" in last["text"]
    materials = await chat(payload="more:materials", button_step=last["step"])
    assert "断缴证明" in materials["text"] and "18岁以上" in materials["text"]
    wait = await chat(payload="more:wait", button_step=materials["step"])
    assert "50%" in wait["text"]


async def test_card_activation_newborn_and_status(chat):
    first = await chat("新生儿医保卡怎么激活")
    assert first["slots"]["react_task"] == "卡激活" and first["slots"]["for_whom"] == "新生儿"
    assert first["state"] == "ask_card_part"
    last = await chat("看病结算功能")
    assert last["state"] == "done_card_newborn" and "出生证明" in last["text"]


async def test_card_not_received_then_other_city(chat):
    await chat("医保卡激活")
    await chat("看病结算")
    await chat("我本人")
    status = await chat("还没拿到")
    assert status["state"] == "done_card_status" and "制卡" in status["text"]
    again = next(v for v in status["values"] if v.startswith("flow:card"))
    nxt = await chat(payload=again, button_step=status["step"])
    assert nxt["state"] == "ask_where"  # what was already answered is kept
    last = await chat("人在外地")
    assert last["state"] == "done_card_elsewhere" and "参保地" in last["text"]


async def test_unknown_card_part_explains_both_accounts(chat):
    await chat("社保卡怎么激活")
    hint = await chat("不知道")
    assert hint["slots"]["react_task"] == "卡激活" and "金融账户" in hint["text"] and "医保账户" in hint["text"]
    assert hint["state"] == "ask_for_whom" and hint["slots"]["card_part"] == "不清楚"


async def test_reactivation_in_english(chat_en):
    first = await chat_en("my insurance lapsed for 2 months, can I back-pay")
    assert first["flow"] == "reactivation" and first["slots"]["lapse"] == "≤3个月"
    assert first["state"] == "ask_ins_type"
    await chat_en("Employee insurance")
    last = await chat_en("online")
    assert last["state"] == "done_employee_short"
    assert "back-pay" in last["text"] and "补缴" in last["text"]
    notes = await chat_en(payload="more:notes", button_step=last["step"])
    assert "100 yuan" in notes["text"]
    card = await chat_en("how do I activate my insurance card")
    assert card["flow"] == "reactivation" and card["slots"]["react_task"] == "卡激活"

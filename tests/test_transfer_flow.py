"""转移接续 transcripts through the console channel (zh-CN and en)."""


async def test_move_to_new_city_by_free_text_and_numbers(chat):
    first = await chat("换工作了,医保怎么转过去")
    assert first["intent"] == "transfer" and first["flow"] == "transfer"
    assert first["slots"]["situation"] == "换地转移"
    assert first["state"] == "ask_ins_pair"  # the situation question was skipped
    assert (await chat("两边都是职工医保"))["state"] == "ask_cross_province"
    assert (await chat("跨省"))["state"] == "ask_enrolled_new"
    assert (await chat("还没有"))["state"] == "ask_lapse"
    assert (await chat("断了两个月"))["slots"]["lapse"] == "≤3个月"
    last = await chat("去窗口办")
    assert last["state"] == "done_move_offline"
    text = last["text"]
    assert "先在新的地方参保" in text  # not enrolled yet → enrol first
    assert "跨省转移可能有前提条件" in text
    assert "补缴" in text and "追溯" in text  # short gap
    assert "以当地医保部门的规定为准" in text and "不提供看病用药方面的建议" not in text  # defect 16


async def test_duplicate_in_two_regions_offers_refund_with_prefill(chat):
    first = await chat("一个地区交了医保另一个地区怎么退")
    assert first["flow"] == "transfer"
    assert first["slots"] == {"situation": "两地重复", "reason": "重复缴费", "dup_scope": "两地区"}
    await chat("都是居民医保")
    last = await chat("省内")
    assert last["state"] == "ask_channel"  # duplicates skip the enrolment and gap questions
    last = await chat("1")
    assert last["state"] == "done_dup_online"
    assert "只能享受其中一份待遇" in last["text"] and "参保凭证" in last["text"]
    refund = next(v for v in last["values"] if v.startswith("flow:refund"))
    after = await chat(payload=refund, button_step=last["step"])
    assert after["flow"] == "refund" and after["slots"]["dup_scope"] == "两地区"
    assert after["state"] == "done_dup_two_regions"


async def test_employee_and_resident_overlap_is_the_conflict_wording(chat):
    await chat("两个地方都交了医保怎么办")
    last = await chat("一边职工医保、一边居民医保")
    assert last["state"] == "done_dup_emp_res"
    assert "只能选一种保留" in last["text"] and "以当地审核为准" in last["text"]


async def test_unsure_situation_asks_about_payment_records(chat):
    await chat("转移接续")
    assert (await chat("不清楚"))["state"] == "ask_both_records"
    last = await chat("是,两边都有")
    assert last["state"] == "ask_ins_pair" and last["slots"]["both_records"] == "有"
    await chat("都是居民医保")
    await chat("省内")
    assert (await chat("线下"))["state"] == "done_dup_offline"


async def test_long_gap_hands_over_to_reactivation(chat):
    await chat("医保转移接续怎么办理")
    await chat("都是职工医保")
    await chat("省内")
    await chat("已经参保了")
    last = await chat("超过3个月")
    assert last["state"] == "done_long_gap"
    go = next(v for v in last["values"] if v.startswith("flow:reactivation"))
    nxt = await chat(payload=go, button_step=last["step"])
    assert nxt["flow"] == "reactivation" and nxt["slots"]["lapse"] == ">3个月"
    assert nxt["slots"]["ins_type"] == "职工" and nxt["state"] == "ask_channel"


async def test_transfer_in_english(chat_en):
    first = await chat_en("how do I transfer my medical insurance to a new city")
    assert first["flow"] == "transfer" and first["state"] == "ask_ins_pair"
    assert "each side" in first["text"]
    await chat_en("Employee insurance on both sides")
    await chat_en("same province")
    await chat_en("1")
    await chat_en("no gap")
    last = await chat_en("2")
    assert last["state"] == "done_move_offline"
    assert "stop the cover" in last["text"] and "local medical-insurance office" in last["text"]

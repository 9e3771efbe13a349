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
    assert last["state"] == "done_move"
    assert "先在新地方参保" in last["text"]  # not enrolled yet → enrol first, on the first screen
    assert "以当地医保部门的规定为准" in last["text"] and "不提供看病用药方面的建议" not in last["text"]  # defect 16
    text = await chat.guidance()
    assert "跨省转移可能有前提条件" in text
    assert "补缴" in text and "追溯" in text  # short gap


async def test_duplicate_in_two_regions_offers_refund_with_prefill(chat):
    first = await chat("一个地区交了医保另一个地区怎么退")
    assert first["flow"] == "transfer"
    assert first["slots"] == {"situation": "两地重复", "reason": "重复缴费", "dup_scope": "两地区"}
    await chat("都是居民医保")
    last = await chat("省内")
    assert last["state"] == "ask_channel"  # duplicates skip the enrolment and gap questions
    last = await chat("1")
    assert last["state"] == "done_dup"
    assert "只能享受一份待遇" in last["text"] and "取消" in last["text"]
    assert "参保凭证" in await chat.guidance()
    last = chat.last  # the keyboard of the last section opened
    refund = next(v for v in last["values"] if v.startswith("flow:refund"))
    after = await chat(payload=refund, button_step=last["step"])
    assert after["flow"] == "refund" and after["slots"]["dup_scope"] == "两地区"
    assert after["state"] == "ask_channel"  # straight on to how to apply: no loop back to the transfer


async def test_employee_and_resident_overlap_is_the_conflict_wording(chat):
    await chat("两个地方都交了医保怎么办")
    last = await chat("一边职工医保、一边居民医保")
    assert last["state"] == "done_dup_emp_res"
    assert "选一种保留" in last["text"] and "以当地审核为准" in last["text"]


async def test_unsure_situation_asks_about_payment_records(chat):
    await chat("转移接续")
    assert (await chat("不清楚"))["state"] == "ask_both_records"
    last = await chat("是，两边都有")
    assert last["state"] == "ask_ins_pair" and last["slots"]["both_records"] == "有"
    await chat("都是居民医保")
    await chat("省内")
    last = await chat("线下")
    assert last["state"] == "done_dup" and last["slots"]["channel"] == "线下"


async def test_long_gap_hands_over_to_reactivation(chat):
    await chat("医保转移接续怎么办理")
    await chat("都是职工医保")
    await chat("省内")
    await chat("已经参保了")
    await chat("超过3个月")
    last = await chat("去窗口办")
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
    assert last["state"] == "done_move"
    assert "stop the cover" in last["text"] and "local medical-insurance office" in last["text"]


# -- issue 11 defects ---------------------------------------------------------------------------------
async def _move(chat, pair: str) -> dict:
    await chat("换工作了,医保怎么转过去")
    await chat.walk(pair, "省内", "已经参保了", "没有断")
    return await chat("去窗口办")


async def test_defect_07_transfer_verdict_depends_on_the_pair_of_schemes(chat, memory_services):
    employee = await _move(chat, "两边都是职工医保")
    assert "缴费年限累计计算" in employee["text"] and "一般不做两地合并" not in employee["text"]
    resident = await _chat_at(memory_services, "两边都是居民医保")
    assert "一般不做两地合并" in resident.last["text"]
    # nothing else in the resident guidance promises that years or accounts carry over
    whole = (await resident.guidance()).replace("不像职工医保那样累计缴费年限", "")
    assert "累计" not in whole and "个人账户" not in whole, whole
    mixed = await _chat_at(memory_services, "一边职工医保、一边居民医保")
    assert "居民医保那几年一般接不到职工医保的年限上" in mixed.last["text"]


async def _chat_at(services, pair: str):
    from tests.conftest import Chat

    c = Chat(services)
    await _move(c, pair)
    return c


async def test_defect_13_transfer_says_nothing_the_seeds_do_not(chat, memory_services):
    texts = []
    for pair in ("两边都是职工医保", "两边都是居民医保", "一边职工医保、一边居民医保", "不清楚"):
        c = await _chat_at(memory_services, pair)
        texts.append(await c.guidance())
    await chat("两个地方都交了医保怎么办")
    await chat("一边职工医保、一边居民医保")
    texts.append(await chat.guidance())
    whole = "\n".join(texts)
    for invented in ("户籍地或居住地", "更划算", "待遇通常更高"):
        assert invented not in whole, invented


async def test_defect_15_long_gap_still_asks_phone_or_window(chat):
    await chat("医保转移接续怎么办理")
    await chat.walk("都是居民医保", "跨省", "还没有")
    asked = await chat("超过3个月")
    assert asked["state"] == "ask_channel"
    online = await chat("手机上办")
    assert online["state"] == "done_long_gap" and "国家医保服务平台" in online["text"]
    assert "重新参保" in online["text"] and "先在新地方参保" in online["text"]

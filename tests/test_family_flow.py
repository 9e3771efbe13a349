"""家庭共济 transcripts through the console channel (zh-CN and en)."""


async def test_bind_parent_by_free_text(chat):
    first = await chat("想让我妈用我的医保")
    assert first["flow"] == "family" and first["intent"] == "family"
    assert first["slots"]["fam_intent"] == "给家人用" and first["slots"]["relation"] == "父母"
    assert first["state"] == "ask_ins_type"
    assert (await chat("职工医保"))["state"] == "ask_same_area"  # relation already known
    assert (await chat("同一个城市"))["state"] == "ask_bind_channel"
    last = await chat("支付宝")
    assert last["state"] == "done_bind_alipay"
    assert "医保家庭共济" in last["text"] and "父母" in last["text"]
    assert "以当地医保部门的规定为准" in last["text"]


async def test_lending_the_card_is_refused_with_penalties(chat):
    first = await chat("我想把医保卡借给我弟用")
    assert first["state"] == "done_no_lending"
    assert "2到5倍" in first["text"] and "3到12个月" in first["text"]
    learn = next(v for v in first["values"] if v.startswith("flow:family"))
    nxt = await chat(payload=learn, button_step=first["step"])
    assert nxt["state"] == "ask_ins_type" and nxt["slots"]["fam_intent"] == "给家人用"


async def test_after_binding_does_not_invent_a_payment_method(chat):
    first = await chat("家庭共济绑定后家人去医院怎么刷卡")
    assert first["state"] == "done_use"
    assert "请咨询就诊医院或当地医保部门" in first["text"]


async def test_other_relative_and_other_region_are_sent_to_the_local_office(chat):
    await chat("家庭共济怎么开通")
    await chat("职工")
    last = await chat("我哥哥")
    assert last["state"] == "done_other_relative" and "配偶、父母、子女" in last["text"]
    chat2 = chat.__class__(chat.services)
    await chat2("怎么绑定亲情账户")
    await chat2("1")
    await chat2("老公")
    last = await chat2("不在同一个地方")
    assert last["state"] == "done_other_area" and "同一个统筹区" in last["text"]


async def test_resident_insurance_and_unknown_region_get_what_to_check(chat):
    turn = await chat.walk("家庭共济", "1", "居民医保", "孩子", "不清楚", "线下窗口")
    assert turn["state"] == "done_bind_offline" and "✅" not in turn["text"]
    assert "居民医保能不能办" in turn["text"] and "同一个统筹区" in turn["text"]


async def test_unknown_insurance_type_gets_the_hint(chat):
    await chat.walk("家庭共济", "1")
    hint = await chat("不清楚")  # said, then the flow goes on with 不清楚 recorded (never the same question again)
    assert "职工医保" in hint["text"] and "城乡居民医保" in hint["text"]
    assert hint["state"] == "ask_relation" and hint["slots"]["ins_type"] == "不清楚"


async def test_family_in_english(chat_en):
    first = await chat_en("how can my wife use my medical insurance account")
    assert first["flow"] == "family" and first["slots"]["relation"] == "配偶"
    assert first["state"] == "ask_ins_type" and first["slots"]["fam_intent"] == "给家人用"
    await chat_en("employee insurance")
    await chat_en("same place")
    last = await chat_en("the app")
    assert last["state"] == "done_bind_app"
    assert "spouse" in last["text"] and "National Medical Insurance Service Platform" in last["text"]

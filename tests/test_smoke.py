async def test_refund_reaches_guidance_by_numbers(chat):
    first = await chat("我想退医保")
    assert first["flow"] == "refund" and first["state"] == "ask_ins_type"
    last = await chat.walk("1", "1", "1", "2", "1", "1")
    assert last["state"] == "done_online"
    assert "缴费凭证" in last["text"] and "公众号" in last["text"]

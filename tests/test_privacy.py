from bot.privacy import contains_sensitive_number, mask


def test_masks_resident_id_bank_card_and_phone():
    assert mask("身份证110101199003074578") == "身份证110101********4578"
    assert mask("身份证11010119900307457X") == "身份证110101********457X"
    assert mask("卡号6222021234567890123") == "卡号6222***********0123"
    assert mask("手机13812345678") == "手机138****5678"
    assert mask("6222 0212 3456 7890 123") == "6222 **** **** 123"


def test_leaves_ordinary_numbers_alone():
    for text in ("断了3个月", "2024年交了380元", "交了5年", "12333", "退1200元", "2025年12月31日"):
        assert mask(text) == text
        assert not contains_sensitive_number(text)


def test_detects_sensitive_numbers():
    assert contains_sensitive_number("我的卡号是 6222021234567890123")
    assert not contains_sensitive_number(None)


def test_log_formatter_masks_messages_and_tracebacks():
    import logging

    from bot.privacy import MaskingFormatter

    try:
        raise ValueError("user sent 110101199003074578")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "text %s", ("13812345678",), sys.exc_info())
    out = MaskingFormatter("%(message)s").format(record)
    assert "138****5678" in out and "110101********4578" in out
    assert "13812345678" not in out and "110101199003074578" not in out

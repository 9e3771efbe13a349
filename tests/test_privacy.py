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

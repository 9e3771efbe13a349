import pytest

from bot.privacy import carry_of, contains_sensitive_number, mask


def test_masks_resident_id_bank_card_and_phone():
    assert mask("身份证110101199003074578") == "身份证110101********4578"
    assert mask("身份证11010119900307457X") == "身份证110101********457X"
    assert mask("卡号6222021234567890123") == "卡号6222***********0123"
    assert mask("手机13812345678") == "手机138****5678"
    assert mask("6222 0212 3456 7890 123") == "6222 **** **** ***0 123"


def test_leaves_ordinary_numbers_alone():
    for text in ("断了3个月", "2024年交了380元", "交了5年", "12333", "退1200元", "2025年12月31日", "2025-12-31",
                 "交了1,200.50元", "2023 2024 2025 三年", "拨打12333或010-12345678", "１２３３３", "1949年出生"):
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


@pytest.mark.parametrize("text, masked", [
    ("身份证 110105 19491231 002X", "身份证 110105 ******** 002X"),
    ("110105-19491231-002x", "110105-********-002x"),
    ("电话138 0013 8000", "电话138 **** 8000"),
    ("电话138-0013-8000", "电话138-****-8000"),
    ("+8613800138000", "+86138****8000"),
    ("86 138 0013 8000", "86 138 **** 8000"),
    ("１３８００１３８０００", "138****8000"),  # full-width digits, NFKC first
    ("＋８６ １３８００１３８０００", "+86 138****8000"),
])
def test_pii_masking_spaced_hyphenated_and_international_forms(text, masked):
    assert mask(text) == masked
    assert contains_sensitive_number(text)


def test_pii_masking_id_split_over_two_messages():
    first, second = "我的身份证是110105194912", "31002X"
    assert mask(first) == "我的身份证是110105******"  # an ID's start (region + birth year) is masked alone
    carry = carry_of(first)
    assert carry == 12  # a length, not the digits
    assert mask(second, carry) == "**002X"
    assert mask("310021", carry) == "**0021"  # no X: only the previous message tells it is an ID's end
    assert mask("1231 002X") == "**** 002X"  # an ID's end with X is masked even without the context
    assert mask("138 0013 8000", carry_of("电话")) == "138 **** 8000"
    # … and a mobile number typed in two goes
    assert mask("0138000", carry_of("我的电话是1380")) == "***8000"


def test_pii_carry_does_not_over_mask_ordinary_numbers():
    for previous in ("交了380元", "2024", "拨打12333", "手机13812345678", "2025-12-31", "12333"):
        for text in ("12333", "2024年", "380", "退1200元"):
            assert mask(text, carry_of(previous)) == text, (previous, text)

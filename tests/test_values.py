"""Values as staff type them: what is read, what is missing, what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gkxl.formats import Kind
from gkxl.values import parse_value

C, S, A = Kind.COUNT, Kind.SIGNED, Kind.AMOUNT


@pytest.mark.parametrize(
    "kind, raw, value",
    [
        (C, "5", 5), (C, " 5 ", 5), (C, "５", 5), (C, "１２", 12), (C, "1,234", 1234), (C, "1 234", 1234),
        (C, "5.0", 5), (C, 7, 7), (C, Decimal("3"), 3), (C, "0", 0), (S, "-3", -3), (S, "－３", -3),
        (A, "151.598", Decimal("151.598")), (A, "0.0001", Decimal("0.0001")), (A, "１５．５", Decimal("15.5")),
        (A, Decimal("2.50000"), Decimal("2.50000")),
        # 万元 to the 分: six places (a published report prints 4166.241619).
        (A, "4166.241619", Decimal("4166.241619")), (A, "0.000001", Decimal("0.000001")), (A, "1.2345600", Decimal("1.2345600")),
    ],
)
def test_accepted_forms(kind, raw, value):
    parsed = parse_value(kind, raw)
    assert parsed.ok and parsed.value == value and type(parsed.value) is type(value)


@pytest.mark.parametrize("raw", [None, "", "  ", "/", "—", "-", "无", "——", "\u3000"])
def test_placeholders_are_missing_not_zero(raw):
    parsed = parse_value(C, raw)
    assert parsed.value is None and parsed.missing and not parsed.problem


@pytest.mark.parametrize(
    "kind, raw, problem",
    [
        (C, "5件", "含有数字以外的文字或单位，请只填写数字"), (C, "约5", "含有数字以外的文字或单位，请只填写数字"),
        (C, "1.5", "应为整数，不能有小数"), (C, "-1", "不能为负数"), (C, "abc", "不是数字"), (C, 1.0, "不是数字"),
        (C, True, "不是数字"), (C, "1,23", "含有数字以外的文字或单位，请只填写数字"), (A, "-0.5", "金额不能为负数"),
        (A, "1.2345678", "小数位数超过6位"), (A, "0.0000001", "小数位数超过6位"), (A, "12万元", "含有数字以外的文字或单位，请只填写数字"), (S, "2.5", "应为整数，不能有小数"),
    ],
)
def test_refused_forms_say_why_and_give_no_number(kind, raw, problem):
    parsed = parse_value(kind, raw)
    assert parsed.value is None and not parsed.missing and parsed.problem == problem


TOO_LARGE = "数值过大（超过15位有效数字，电子表格无法精确保存）"


@pytest.mark.parametrize(
    "kind, raw",
    [
        (C, "12345678901234567"), (C, 12345678901234567), (C, "1234567890123456"), (S, "-1234567890123456"),
        (C, 10**20), (C, "9" * 5000), (C, 10**5000), (C, Decimal("1E+999999999")),
        (A, "12345678901234567890123456789.00001"), (A, "123456789012.3456"), (A, Decimal("9" * 40 + ".5")),
    ],
    ids=lambda v: (repr(v)[:20] if not isinstance(v, int) or v < 10**30 else "huge-int"),
)
def test_more_than_15_significant_digits_is_refused_never_rounded_or_raised(kind, raw):
    parsed = parse_value(kind, raw)
    assert parsed.value is None and not parsed.missing and parsed.problem == TOO_LARGE


@pytest.mark.parametrize(
    "kind, raw, value",
    [
        (C, "999999999999999", 999999999999999), (C, 10**14, 10**14), (S, "-123456789012345", -123456789012345),
        (A, "12345678901.2345", Decimal("12345678901.2345")), (A, "1.50000", Decimal("1.50000")),
    ],
)
def test_up_to_15_significant_digits_is_kept_exactly(kind, raw, value):
    parsed = parse_value(kind, raw)
    assert parsed.ok and parsed.value == value and type(parsed.value) is type(value)

import datetime as dt

import pytest

from gkxl.deadline import is_late, on_time_rate, parse_deadline


def test_deadline_includes_its_whole_day():
    d = parse_deadline("2026-01-26")
    assert not is_late(dt.datetime(2026, 1, 26, 23, 59), d)
    assert is_late(dt.datetime(2026, 1, 27, 0, 0), d)
    assert not is_late(dt.datetime(2030, 1, 1), None)


@pytest.mark.parametrize("text", ["2026-01-26", "2026/1/26", "2026年1月26日", " 2026.01.26 "])
def test_deadline_forms(text):
    assert parse_deadline(text) == dt.date(2026, 1, 26)


def test_bad_deadline_is_a_chinese_message():
    with pytest.raises(ValueError, match="截止日期“1月26”无法识别"):
        parse_deadline("1月26")


def test_on_time_rate_counts_missing_as_not_on_time():
    d = dt.date(2026, 1, 26)
    assert on_time_rate([dt.datetime(2026, 1, 20), dt.datetime(2026, 1, 28), None], d) == (1, 3)

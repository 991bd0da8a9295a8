"""The contract JSON: round trip, Decimal money, and refusal of what is not the contract."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkxl.errors import InputError
from gkxl.model import Report, report_from_json, report_to_json
from gkxl.formats import Kind, all_formats

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@st.composite
def reports(draw):
    spec = draw(st.sampled_from(all_formats()))
    values = {}
    for cid in draw(st.lists(st.sampled_from(spec.inputs), unique=True, max_size=40)):
        kind = spec.fields[cid].kind
        if kind is Kind.AMOUNT:
            values[cid] = draw(st.decimals(min_value=0, max_value=10**7, places=draw(st.integers(0, 4)), allow_nan=False, allow_infinity=False))
        else:
            values[cid] = draw(st.integers(-99 if kind is Kind.SIGNED else 0, 10**6))
    narrative = {sid: draw(text.filter(bool)) for sid in draw(st.lists(st.sampled_from(spec.section_ids), unique=True))}
    meta = {}
    if draw(st.booleans()):
        meta["issuer"] = draw(text.filter(str.strip))
    if draw(st.booleans()):
        meta["issued_on"] = draw(st.dates()).isoformat()
    if draw(st.booleans()):
        meta["fee_yuan"] = str(draw(st.decimals(min_value=0, max_value=10**5, places=2, allow_nan=False, allow_infinity=False)))
    explanations = {f"R-MISSING.{c}": draw(text) for c in draw(st.lists(st.sampled_from(spec.inputs), unique=True, max_size=3))}
    return Report(spec.id, draw(st.integers(2021, 2030)) if spec.id == "2021" else draw(st.sampled_from([2019, 2020])),
                  draw(text), values, narrative, explanations, meta)


@settings(max_examples=80, deadline=None)
@given(reports())
def test_json_round_trip_is_exact(report):
    back, found = report_from_json(report_to_json(report, totals=False))
    assert found == []
    assert back == report
    for cid, v in back.values.items():
        assert type(v) is type(report.values[cid])


def test_fee_is_written_as_a_string_and_read_as_decimal():
    r = Report("2021", 2023, "示例局", {"sec2.fees.amount_wan": Decimal("0.1000")})
    doc = json.loads(report_to_json(r))
    assert doc["values"]["sec2.fees.amount_wan"] == "0.1000"
    back, _ = report_from_json(report_to_json(r))
    assert back.values["sec2.fees.amount_wan"] == Decimal("0.1000")


@pytest.mark.parametrize(
    "doc, message",
    [
        ('{"year": 2023, "values": {"sec9.x": 1}}', "2021格式中没有这些单元格编号：sec9.x"),
        ('{"year": 2023, "format": "2030"}', "不支持的格式“2030”"),
        ('{"year": "明年"}', "年度“明年”无效"),
        ('{"schema": "other/1", "year": 2023}', "不支持的数据版本“other/1”"),
        ('{"year": 2023, "narrative": {"intro": "x"}}', "没有这些正文章节编号：intro"),
        ('{"year": 2023, "issued_on": "2024-13-01"}', "落款日期“2024-13-01”无效"),
        ("[1, 2]", "JSON 顶层应为对象"),
        ("{", "不是有效的 JSON 文件"),
    ],
)
def test_structural_problems_are_refused_with_a_chinese_message(doc, message):
    with pytest.raises(InputError) as exc:
        report_from_json(doc, source="a.json")
    assert message in str(exc.value) and "a.json" in str(exc.value)


def test_wrong_value_types_become_r_value_with_the_raw_text():
    report, found = report_from_json('{"year": 2023, "values": {"sec3.granted.business": "5", "sec3.granted.research": 2.5, "sec3.granted.nonprofit": -1}}')
    assert report.values == {}
    assert sorted((f.key, f.raw) for f in found) == [
        ("R-VALUE.sec3.granted.business", "5"), ("R-VALUE.sec3.granted.nonprofit", "-1"), ("R-VALUE.sec3.granted.research", "2.5")]


def test_a_json_integer_of_thousands_of_digits_is_unusable_input_not_a_crash():
    doc = '{"year": 2023, "values": {"sec3.granted.business": ' + "9" * 5000 + "}}"
    with pytest.raises(InputError) as exc:
        report_from_json(doc, source="大数.json")
    assert "大数.json" in str(exc.value) and "位数过多" in str(exc.value)


def test_a_huge_value_is_an_r_value_finding_quoting_it():
    report, found = report_from_json('{"year": 2023, "values": {"sec3.granted.business": 12345678901234567, '
                                     '"sec2.fees.amount_wan": "12345678901234567890123456789.00001"}}')
    assert report.values == {}
    assert {f.key: f.raw for f in found} == {
        "R-VALUE.sec3.granted.business": "12345678901234567",
        "R-VALUE.sec2.fees.amount_wan": "12345678901234567890123456789.00001",
    }
    assert all("数值过大（超过15位有效数字" in f.message for f in found)


@pytest.mark.parametrize("year", [2010, 2018])
def test_a_year_before_the_formats_says_so_not_an_unknown_format(year):
    with pytest.raises(InputError) as exc:
        report_from_json(f'{{"year": {year}}}', source="旧.json")
    text = str(exc.value)
    assert "旧.json" in text and f"年度 {year} 早于2019年" in text and "None" not in text

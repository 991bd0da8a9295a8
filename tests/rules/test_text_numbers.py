"""R-TEXT-NUMBER: well-defined phrases of the narrative against the tables; exact finding key, cells and numbers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gkxl.findings import Severity
from gkxl.model import Report
from gkxl.rules import run_rules
from gkxl.rules.text_numbers import cn_number
from gkxl.formats import all_formats

ORGS = tuple(f"sec3.new_received.{c}" for c in ("business", "research", "nonprofit", "legal_service", "other_org"))


def text_findings(report: Report):
    return [f for f in run_rules(report) if f.rule == "R-TEXT-NUMBER"]


def with_text(report: Report, section: str, text: str) -> Report:
    return replace(report, narrative={**report.narrative, section: text})


def test_demo_narrative_agrees_with_its_tables(demo_report):
    assert "收到政府信息公开申请5件" in demo_report.narrative["overview.requests"]
    assert text_findings(demo_report) == []


@pytest.mark.parametrize(
    ("old", "new", "quoted", "cells", "expected", "actual"),
    [
        ("收到政府信息公开申请5件", "收到政府信息公开申请6件", "共收到政府信息公开申请6件", ("sec3.new_received.total",), 5, 6),
        ("自然人提出4件", "自然人提出3件", "自然人提出3件", ("sec3.new_received.natural_person",), 4, 3),
        ("法人或其他组织提出1件", "法人或其他组织提出2件", "法人或其他组织提出2件", ORGS, 1, 2),
        ("收到政府信息公开申请5件", "收到政府信息公开申请七件", "共收到政府信息公开申请七件", ("sec3.new_received.total",), 5, 7),
    ],
)
def test_a_mutated_sentence_is_one_finding(demo_report, old, new, quoted, cells, expected, actual):
    text = demo_report.narrative["overview.requests"]
    assert old in text
    found = text_findings(with_text(demo_report, "overview.requests", text.replace(old, new)))
    assert len(found) == 1
    f = found[0]
    assert f.key == "R-TEXT-NUMBER.overview.requests"
    assert f.severity is Severity.VERIFY
    assert (f.cells, f.expected, f.actual) == (cells, expected, actual)
    assert f.message == f"正文“一、总体情况（二）依申请公开”：写有“{quoted}”，表格中为 {expected}"


def test_chinese_numerals():
    assert [cn_number(x) for x in ("五", "十", "十二", "二十", "一百零五", "两千", "12", "许多")] == [5, 10, 12, 20, 105, 2000, 12, None]


def test_a_mismatch_in_the_table_is_found_from_the_same_sentence(demo_report):
    values = dict(demo_report.values, **{"sec3.new_received.natural_person": 5})
    found = text_findings(replace(demo_report, values=values))
    assert sorted((f.cells[0], f.expected, f.actual) for f in found) == [
        ("sec3.new_received.natural_person", 5, 4),
        ("sec3.new_received.total", 6, 5),
    ]


def test_carried_over_forward_review_and_litigation(demo_report):
    text = "上年结转政府信息公开申请2件，结转下年度继续办理1件。因政府信息公开被申请行政复议3件、提起行政诉讼1件。"
    found = text_findings(with_text(demo_report, "overview.oversight", text))
    assert sorted((f.cells, f.expected, f.actual) for f in found) == [
        (("sec3.carried_forward.total",), 0, 1),
        (("sec3.carried_over.total",), 0, 2),
        (("sec4.litigation_direct.total", "sec4.litigation_after_review.total"), 0, 1),
        (("sec4.review.total",), 0, 3),
    ]
    assert {f.key for f in found} == {"R-TEXT-NUMBER.overview.oversight"}
    assert all(f.message.startswith("正文“一、总体情况（五）监督保障”：写有“") for f in found)


def test_including_carried_over_compares_new_plus_carried(demo_report):
    values = dict(demo_report.values, **{"sec3.carried_over.natural_person": 2})
    report = replace(demo_report, values=values)
    ok = "本年共收到政府信息公开申请7件（含上年结转2件）。"
    assert text_findings(with_text(report, "overview.requests", ok)) == []
    found = text_findings(with_text(report, "overview.requests", "本年共收到政府信息公开申请5件（含上年结转2件）。"))
    assert [(f.cells, f.expected, f.actual) for f in found] == [(("sec3.new_received.total", "sec3.carried_over.total"), 7, 5)]


def test_ambiguous_sentences_are_skipped(demo_report):
    # the applicants of a sentence that mixes in 结转 may count either year: not compared
    text = "本年共收到政府信息公开申请9件，其中自然人8件，另有上年结转申请0件。"
    found = text_findings(with_text(demo_report, "overview.requests", text))
    assert [f.cells for f in found] == []
    # a count of lawsuits after review alone is not the 行政诉讼 total
    assert text_findings(with_text(demo_report, "overview.requests", "复议后提起行政诉讼3件。")) == []
    # counts that are not about information disclosure
    assert text_findings(with_text(demo_report, "overview.oversight", "全年办理行政复议案件35件，应诉行政诉讼12件。")) == []
    assert text_findings(with_text(demo_report, "overview.oversight", "全年收到申请300件。")) == []
    # 主动公开…条 has no table cell in the 2021 format
    assert text_findings(with_text(demo_report, "overview.active", "本年主动公开政府信息620条。")) == []


def test_no_review_or_litigation_sentence(demo_report):
    values = dict(demo_report.values, **{"sec4.review.upheld": 1, "sec4.review.total": 1})
    found = text_findings(replace(demo_report, values=values))
    assert [(f.cells, f.expected, f.actual) for f in found] == [(("sec4.review.total",), 1, 0)]
    assert "未发生因政府信息公开引起的行政复议和行政诉讼" in found[0].message


def test_missing_table_value_is_not_compared(demo_report):
    values = {k: v for k, v in demo_report.values.items() if k != "sec3.new_received.business"}
    found = text_findings(replace(demo_report, values=values))
    assert found == []  # the total and the organisations' sum are unknown; the natural person's 4 agrees


@pytest.mark.parametrize("spec", all_formats(), ids=lambda f: f.id)
def test_both_formats(spec):
    values = {cid: 0 for cid in spec.inputs}
    values["sec3.new_received.natural_person"] = 2
    values["sec3.granted.natural_person"] = 2
    report = Report(spec.id, 2020 if spec.id == "2019" else 2023, "示例局", values, {"overview.requests": "共收到政府信息公开申请3件。"})
    found = text_findings(report)
    assert [(f.key, f.cells, f.expected, f.actual) for f in found] == [
        ("R-TEXT-NUMBER.overview.requests", ("sec3.new_received.total",), 2, 3)
    ]


def test_filled_workbook_is_checked_alike(demo_report, tmp_path):
    from gkxl.excel.writer import build_workbook
    from gkxl.intake import check_path

    text = demo_report.narrative["overview.requests"].replace("自然人提出4件", "自然人提出3件")
    p = tmp_path / "filled.xlsx"
    p.write_bytes(build_workbook(with_text(demo_report, "overview.requests", text), lock_agency=True))
    result, _ = check_path(p)
    found = [f for f in result.findings if f.rule == "R-TEXT-NUMBER"]
    assert [(f.key, f.cells, f.expected, f.actual) for f in found] == [
        ("R-TEXT-NUMBER.overview.requests", ("sec3.new_received.natural_person",), 4, 3)
    ]

"""The real published sample, as copied from the web, as an HTML page and as a Word file: exactly its table values."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gkxl.importers import import_file
from gkxl.rules import run_rules
from importers.published_helpers import SAMPLE_VALUES, replace_once, sample_narrative, to_docx, to_html

TITLE = "示例市示例区人力资源和社会保障局2023年政府信息公开工作年度报告"


@pytest.fixture
def sample_file(sample_text, tmp_path):
    p = tmp_path / "上年报告.txt"
    p.write_text(sample_text, encoding="utf-8")
    return p


def test_sample_imports_exactly_its_table_values(sample_file):
    r = import_file(sample_file)
    assert r.report.values == SAMPLE_VALUES
    assert (r.report.format, r.report.year) == ("2021", 2023)
    assert r.unreadable == [] and r.findings == [] and r.blank == 0
    # The sample has no title line: the agency is left empty and the user told, never invented.
    assert r.report.agency == ""
    assert any("未能从标题识别机关全称" in n for n in r.notes)
    # Every value is traced to its line of the sample.
    assert set(r.trace) == set(SAMPLE_VALUES)
    assert r.trace["sec2.fees.amount_wan"].raw == "151.598"
    lines = sample_file.read_text(encoding="utf-8").splitlines()
    line_no = int(r.trace["sec2.licensing.decisions"].origin.removeprefix("第").removesuffix("行"))
    assert lines[line_no - 1].startswith("405")


def test_sample_variants_are_reported(sample_file):
    variants = "\n".join(import_file(sample_file).variants)
    assert "标题“五、存在的主要问题及下步改进情况”按“五、存在的主要问题及改进情况”识别" in variants
    assert "“第二十条第(一)项”→“第二十条第（一）项”" in variants  # half-width parentheses
    assert "标签内有空格或换行" in variants and "“结果纠正”" in variants  # "结 果 纠 正"


def test_sample_narrative_sections(sample_file, sample_text):
    n = import_file(sample_file).report.narrative
    assert set(n) == {
        "preamble", "overview.active", "overview.requests", "overview.management", "overview.platforms",
        "overview.oversight", "problems", "improvements", "other_matters",
    }
    # each section exactly as published; a subsection's heading sentence is its heading, not part of its text
    for sid, text in sample_narrative(sample_text).items():
        assert n[sid] == text, sid
    assert "统计期限为2023年1月1日" in n["preamble"] and "自然人4件" in n["overview.requests"]


def test_sample_checks_clean_and_its_sentence_agrees_with_the_table(sample_file):
    r = import_file(sample_file)
    assert run_rules(r.report, found=r.findings) == []
    # The sentence is really compared: the same text against a table that says otherwise is a finding.
    values = dict(r.report.values)
    values["sec3.new_received.business"] = 2
    values["sec3.new_received.total"] = 6
    found = [f for f in run_rules(replace(r.report, values=values)) if f.rule == "R-TEXT-NUMBER"]
    assert sorted((f.cells[0], f.expected, f.actual) for f in found) == [
        ("sec3.new_received.business", 2, 1),  # 法人1件: the five organisation columns add up to 2
        ("sec3.new_received.total", 6, 5),  # 收到政府信息公开申请5件
    ]
    assert {f.key for f in found} == {"R-TEXT-NUMBER.overview.requests"}


def test_sample_as_html_with_spans(sample_text, tmp_path):
    p = tmp_path / "上年报告.html"
    p.write_bytes(to_html(sample_text, title=TITLE + "_示例区人民政府", encoding="gb2312"))
    r = import_file(p)
    assert r.report.values == SAMPLE_VALUES
    assert r.unreadable == []
    assert (r.report.agency, r.report.year, r.report.format) == ("示例市示例区人力资源和社会保障局", 2023, "2021")
    # origins are grid positions with the row- and colspans expanded
    assert r.trace["sec3.new_received.natural_person"].origin == "表格2 第4行第4列"
    assert r.trace["sec3.refused.prohibited_by_law.natural_person"].origin == "表格2 第9行第4列"
    assert r.trace["sec4.litigation_after_review.total"].origin == "表格3 第4行第15列"
    # the page around the report is not narrative
    assert "首页" not in r.report.narrative["preamble"]
    assert r.report.narrative["other_matters"] == sample_narrative(sample_text)["other_matters"]
    assert run_rules(r.report, found=r.findings) == []


def test_sample_as_docx_with_merged_cells(sample_text, tmp_path):
    p = to_docx(sample_text, tmp_path / "上年报告.docx", title=TITLE)
    r = import_file(p)
    assert r.report.values == SAMPLE_VALUES
    assert r.unreadable == []
    assert (r.report.agency, r.report.year, r.report.format) == ("示例市示例区人力资源和社会保障局", 2023, "2021")
    assert r.trace["sec3.refused.prohibited_by_law.natural_person"].origin == "表格2 第9行第4列"
    assert r.trace["sec2.licensing.decisions"].origin == "表格1 第7行第2列"
    assert r.report.narrative["overview.requests"] == sample_narrative(sample_text)["overview.requests"]


def test_html_title_agency_and_year_overridden(sample_text, tmp_path):
    p = tmp_path / "r.html"
    p.write_bytes(to_html(sample_text, title=TITLE))
    r = import_file(p, agency="另一个局", year=2024)
    assert (r.report.agency, r.report.year) == ("另一个局", 2024)


def test_blank_cell_is_missing_not_zero(sample_text, tmp_path):
    text = replace_once(sample_text, "0 |", " |", after="规章 |")
    p = tmp_path / "blank.txt"
    p.write_text(text, encoding="utf-8")
    r = import_file(p)
    expected = dict(SAMPLE_VALUES)
    del expected["sec2.regulations.issued"]
    assert r.report.values == expected
    assert r.unreadable == [] and r.blank == 1
    assert r.trace["sec2.regulations.issued"].raw == ""
    assert [f.key for f in run_rules(r.report, found=r.findings)] == ["R-MISSING.sec2.regulations.issued"]


def test_slash_and_dash_cells_are_missing_not_zero(sample_text, tmp_path):
    text = replace_once(sample_text, "规章 |\n0 |\n0 |\n0 |", "规章 |\n/ |\n/ |\n／ |")
    text = replace_once(text, "0 | ||", "— | ||", after="行政强制 |")
    p = tmp_path / "slash.txt"
    p.write_text(text, encoding="utf-8")
    r = import_file(p)
    gone = {"sec2.regulations.issued", "sec2.regulations.repealed", "sec2.regulations.in_force", "sec2.coercion.decisions"}
    assert r.report.values == {k: v for k, v in SAMPLE_VALUES.items() if k not in gone}
    assert r.unreadable == [] and r.blank == 4
    assert sorted(f.key for f in run_rules(r.report, found=r.findings)) == sorted(f"R-MISSING.{c}" for c in gone)


@pytest.mark.parametrize("joined", ["41 |", "4 1 |", "4　1 |"])
def test_cells_run_together_are_unreadable_with_raw_text(sample_text, tmp_path, joined):
    text = replace_once(sample_text, "4 |\n1 |", joined, after="一、本年新收政府信息公开申请数量")
    p = tmp_path / "run.txt"
    p.write_text(text, encoding="utf-8")
    r = import_file(p)
    row = {f"sec3.new_received.{c}" for c in ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total")}
    assert r.report.values == {k: v for k, v in SAMPLE_VALUES.items() if k not in row}
    assert len(r.unreadable) == 1
    what, raw, origin = r.unreadable[0]
    assert what == "表三 一、本年新收政府信息公开申请数量：应有7个数值，读到6个（单元格缺失或连在一起）"
    assert raw.startswith("一、本年新收政府信息公开申请数量 | " + joined.removesuffix(" |"))
    assert origin.startswith("第") and "至" in origin
    assert sorted(f.scope for f in r.findings) == sorted(row)
    assert {f.rule for f in r.findings} == {"R-VALUE"}


def test_a_missing_cell_is_unreadable(sample_text, tmp_path):
    text = replace_once(sample_text, "5 |\n1 |\n8 |", "5 |\n8 |")
    p = tmp_path / "missing.txt"
    p.write_text(text, encoding="utf-8")
    r = import_file(p)
    row = {"sec2.normative_docs.issued", "sec2.normative_docs.repealed", "sec2.normative_docs.in_force"}
    assert r.report.values == {k: v for k, v in SAMPLE_VALUES.items() if k not in row}
    assert [u.what for u in r.unreadable] == ["表二 第二十条第（一）项 行政规范性文件：应有3个数值，读到2个（单元格缺失或连在一起）"]
    assert r.unreadable[0].raw == "行政规范性文件 | 5 | 8"


def test_check_names_the_errors_of_a_report_that_does_not_add_up(sample_text, tmp_path):
    """What a careful person adding up the published tables would find, and nothing else."""
    text = replace_once(sample_text, "4 |", "3 |", after="(七)总计 |")  # （七）总计 自然人 4 → 3
    lines = text.splitlines()
    v = lines.index("五、存在的主要问题及下步改进情况")
    assert all(x.startswith("0 |") for x in lines[v - 15 : v])
    lines[v - 11] = "1 |"  # 行政复议 总计 1, though its four result columns are 0
    p = tmp_path / "r.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    r = import_file(p)
    assert r.unreadable == []
    found = run_rules(r.report, found=r.findings)
    assert sorted((f.key, f.expected, f.actual) for f in found) == [
        ("R-BALANCE.natural_person", 4, 3),  # 一 + 二 = 4, 三（七）+ 四 = 3
        ("R-RESULTS-SUM.natural_person", 4, 3),  # 1 + 2 + 1 handled, （七）总计 3
        ("R-ROW-TOTAL.results_total", 4, 5),  # 3 + 1 + 0…, 总计 5
        ("R-SEC4-TOTAL.review", 0, 1),
        ("R-TEXT-NUMBER.overview.requests", 1, 0),  # "未因政府信息公开引起行政复议和行政诉讼", but the table says 1
    ]

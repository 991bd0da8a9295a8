"""`gkxl import` and `gkxl check --previous <published report>` from the command line: outputs, messages, exit codes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.model import report_to_json
from importers.published_helpers import SAMPLE_VALUES, replace_once, sample_narrative, to_docx, to_html


def cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def sample_file(sample_text, tmp_path):
    p = tmp_path / "上年报告.txt"
    p.write_text(sample_text, encoding="utf-8")
    return p


def _contract_values(values: dict) -> dict:
    return {k: (format(v, "f") if isinstance(v, Decimal) else v) for k, v in values.items()}


def test_import_to_json(sample_file, sample_text, tmp_path):
    out = tmp_path / "本年.json"
    r = cli("import", sample_file, "-o", out)
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (doc["schema"], doc["format"], doc["year"], doc["agency"]) == ("gkxl.report/1", "2021", 2023, "")
    assert doc["values"] == _contract_values(SAMPLE_VALUES)
    assert doc["narrative"]["overview.requests"] == sample_narrative(sample_text)["overview.requests"]
    assert "格式：国办公开办函〔2021〕30号（2021）" in r.stdout
    assert "读出数值：200个（表格共200格）" in r.stdout
    assert "标题“五、存在的主要问题及下步改进情况”按“五、存在的主要问题及改进情况”识别" in r.stdout
    assert "未能从标题识别机关全称" in r.stdout
    # the imported JSON checks clean
    c = cli("check", "--json", out)
    assert c.exit_code == 0 and json.loads(c.stdout)["files"][0]["findings"] == []


def test_never_overwrites_without_force(sample_file, tmp_path):
    out = tmp_path / "r.json"
    out.write_text("keep", encoding="utf-8")
    r = cli("import", sample_file, "-o", out)
    assert r.exit_code == 2 and "输出文件已存在" in r.stderr
    assert out.read_text(encoding="utf-8") == "keep"
    assert cli("import", sample_file, "-o", out, "--force").exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["year"] == 2023


def test_trace_names_the_line_and_text(sample_file, sample_text):
    lines = sample_text.splitlines()
    label = lines.index("一、本年新收政府信息公开申请数量 |")
    r = cli("import", sample_file, "--trace", "--agency", "示例局")
    assert r.exit_code == 0
    row = next(x for x in r.stdout.splitlines() if x.strip().startswith("sec3.new_received.natural_person"))
    assert f"第{label + 2}行" in row and "“4”" in row and "自然人" in row
    assert "机关：示例局" in r.stdout


def test_unreadable_row_exits_1_and_quotes_the_text(sample_text, tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(replace_once(sample_text, "4 |\n1 |", "41 |", after="一、本年新收"), encoding="utf-8")
    out = tmp_path / "r.json"
    r = cli("import", p, "-o", out)
    assert r.exit_code == 1
    assert "无法读取（1处" in r.stdout
    assert "表三 一、本年新收政府信息公开申请数量：应有7个数值，读到6个" in r.stdout
    assert "原文“一、本年新收政府信息公开申请数量 | 41 | 0 | 0 | 0 | 0 | 5”" in r.stdout
    # what could be read is written; the unreadable row is left out, not guessed
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert not any(k.startswith("sec3.new_received.") for k in doc["values"])


def test_import_to_a_filled_workbook(sample_file, sample_text, tmp_path):
    from gkxl.intake import load

    out = tmp_path / "本年.xlsx"
    r = cli("import", sample_file, "-o", out, "--agency", "示例市示例区人力资源和社会保障局")
    assert r.exit_code == 0, r.output
    loaded = load(out)
    spec = loaded.report.spec
    assert loaded.report.agency == "示例市示例区人力资源和社会保障局" and loaded.locked_agency
    assert {k: v for k, v in loaded.report.values.items() if k in spec.inputs} == {
        k: v for k, v in SAMPLE_VALUES.items() if k in spec.inputs
    }
    assert loaded.report.narrative["improvements"] == sample_narrative(sample_text)["improvements"]


def test_unusable_input_is_one_line_exit_2(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("这不是年度报告。\n", encoding="utf-8")
    r = cli("import", p)
    assert r.exit_code == 2
    assert r.stderr.startswith("错误：") and "未找到年度报告的章节标题" in r.stderr and "Traceback" not in r.output
    assert cli("import", tmp_path / "none.html").exit_code == 2
    assert cli("import", p, "-o", tmp_path / "x.csv").exit_code == 2


def test_check_previous_published_html(sample_text, demo_report, tmp_path):
    """`gkxl check --previous 上年报告.html 本年.json`: last year's published page feeds the cross-year rules."""
    last_year = sample_text.replace("统计期限为2023年1月1日至2023年12月31日", "统计期限为2022年1月1日至2022年12月31日")
    last_year = replace_once(last_year, "0 |", "1 |", after="四、结转下年度继续办理 |")  # 1 application carried forward
    previous = tmp_path / "上年报告.html"
    previous.write_bytes(to_html(last_year, title="示例市示例区人力资源和社会保障局2022年政府信息公开工作年度报告"))
    current = tmp_path / "本年.json"
    current.write_text(report_to_json(demo_report), encoding="utf-8")
    r = cli("check", "--json", "--previous", previous, current)
    assert r.exit_code == 1, r.output
    findings = json.loads(r.stdout)["files"][0]["findings"]
    assert sorted((f["key"], f["expected"], f["actual"]) for f in findings) == [
        ("R-XYEAR-CARRIED.natural_person", 1, 0),  # 上年结转 0, but last year's report carried 1 forward
        ("R-XYEAR-INFORCE.normative_docs", 12, 8),  # 8 in force last year + 5 issued − 1 repealed
    ]


def test_check_reads_a_published_word_report_directly(sample_text, tmp_path):
    """A .docx is a zip like a workbook: it must reach the importer, not the workbook reader."""
    p = to_docx(sample_text, tmp_path / "上年报告.docx", title="示例局2023年政府信息公开工作年度报告")
    r = cli("check", "--json", p)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)["files"][0]
    assert (doc["agency"], doc["year"], doc["passed"]) == ("示例局", 2023, True)


@pytest.mark.parametrize("year, words", [("1", "年度 1 无效"), ("2018", "应不早于2019"), ("2999", "不能晚于今年")])
def test_import_year_is_checked_like_the_template_year(demo_report, tmp_path, year, words):
    from gkxl.word.writer import build_report

    published = tmp_path / "已发布.docx"
    published.write_bytes(build_report(demo_report))
    out = tmp_path / "out.json"
    r = cli("import", published, "--year", year, "-o", out)
    assert r.exit_code == 2 and r.stderr.startswith("错误：") and words in r.stderr
    assert not out.exists()
    assert cli("import", published, "--year", "2023", "-o", out).exit_code == 0

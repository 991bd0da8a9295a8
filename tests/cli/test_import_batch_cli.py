"""`gkxl import FOLDER -o OUT` (one JSON per report, a summary table, --jobs) and `gkxl check` on published files
(imported in memory; what could not be read is listed and the verdict says so); .doc through LibreOffice."""

from __future__ import annotations

import csv
import json
import random
from dataclasses import replace
from decimal import Decimal

import pytest
from importers.shapes import flattened, report_html
from typer.testing import CliRunner
from word.word_reports import demo, make_report

from gkxl.cli.app import app
from gkxl.office import convert, find_soffice
from gkxl.word.writer import build_report


def cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _contract(values: dict) -> dict:
    return {k: (format(v, "f") if isinstance(v, Decimal) else v) for k, v in values.items()}


@pytest.fixture
def reports():
    clean = demo()
    # 表二's rows have no equation: run together in flattened text they are read only where one split alone is
    # possible ("007"; the demo's "518" could also be 51, 8 and a blank cell, so it is rightly not read)
    clean.values.update({"sec2.normative_docs.issued": 0, "sec2.normative_docs.repealed": 0, "sec2.normative_docs.in_force": 7})
    clean = replace(clean, values=clean.with_totals())
    return {"clean": clean, "distinct": make_report("2021")}


@pytest.fixture
def folder(tmp_path, reports):
    d = tmp_path / "年报"
    (d / "区县").mkdir(parents=True)
    (d / "甲局.txt").write_text(flattened(reports["clean"], rng=random.Random(1)), encoding="gb18030")
    (d / "区县" / "乙局.html").write_bytes(report_html(reports["distinct"], meta_charset="gbk").encode("gbk"))
    (d / "不是报告.html").write_text("<p>通知公告</p>", encoding="utf-8")
    (d / "说明.xyz").write_text("x", encoding="utf-8")
    return d


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_import_folder_writes_one_json_per_report_and_a_summary(folder, tmp_path, reports, jobs):
    out = tmp_path / "导入结果"
    r = cli("import", folder, "-o", out, "--jobs", jobs)
    assert r.exit_code == 2, r.output  # one file is no report
    assert json.loads((out / "甲局.txt.json").read_text(encoding="utf-8"))["values"] == _contract(reports["clean"].values)
    assert json.loads((out / "区县／乙局.html.json").read_text(encoding="utf-8"))["values"] == _contract(reports["distinct"].values)
    with open(out / "导入汇总.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {row["文件"]: row for row in csv.DictReader(fh)}
    assert set(rows) == {"甲局.txt", "区县/乙局.html", "不是报告.html"}
    assert rows["甲局.txt"]["读出数值"] == "200" and rows["甲局.txt"]["无法读取的单元格"] == "0"
    assert rows["甲局.txt"]["类型"] == "网页文本" and "连在一起" in rows["甲局.txt"]["遇到的写法差异"]
    assert rows["区县/乙局.html"]["类型"] == "网页" and rows["区县/乙局.html"]["机关"] == reports["distinct"].agency
    assert "章节标题" in rows["不是报告.html"]["无法使用的原因"]
    assert "未读取：说明.xyz" in r.output
    assert not (out / "不是报告.html.json").exists()


def test_import_folder_refuses_an_existing_output_without_force(folder, tmp_path):
    out = tmp_path / "导入结果"
    out.mkdir()
    (out / "旧.txt").write_text("旧", encoding="utf-8")
    r = cli("import", folder, "-o", out)
    assert r.exit_code == 2 and "--force" in r.output
    assert (out / "旧.txt").exists()
    r = cli("import", folder, "-o", out, "--force")  # a folder gkxl import did not write is never replaced
    assert r.exit_code == 2 and "不是 gkxl import 生成的" in r.output, r.output
    assert (out / "旧.txt").exists() and not (out / "导入汇总.csv").exists()
    fresh = tmp_path / "导入结果二"
    assert cli("import", folder, "-o", fresh).exit_code == 2  # exit 2: one file of the folder is no report
    (fresh / "旧.txt").write_text("旧", encoding="utf-8")
    r = cli("import", folder, "-o", fresh, "--force")
    assert (fresh / "导入汇总.csv").exists() and not (fresh / "旧.txt").exists(), r.output


def test_import_folder_needs_an_output_folder(folder):
    r = cli("import", folder)
    assert r.exit_code == 2 and "-o" in r.output


def test_check_published_files_directly(tmp_path, reports):
    clean = tmp_path / "甲局.txt"
    clean.write_text(flattened(reports["clean"]), encoding="utf-8")
    # a published report whose results do not add up, and one row that cannot be read for certain
    values = dict(reports["clean"].values)
    values["sec3.granted.natural_person"] += 2
    values["sec3.granted.total"] += 2
    broken_report = replace(reports["clean"], values=values)
    broken = tmp_path / "乙局.html"
    page = report_html(broken_report)
    broken.write_text(page.replace("class='value'>6</td>", "class='value'>6<br>1</td>", 1), encoding="utf-8")
    r = cli("check", clean, broken)
    assert r.exit_code == 1, r.output
    first, second = r.output.split("文件：" + str(broken))
    assert "结论：通过" in first
    assert "R-RESULTS-SUM.natural_person" in second
    assert "未能读取" in second and "6 1" in second
    assert "只读出部分数值：1个单元格未能读取" in second and "结论：通过" not in second
    doc = json.loads(cli("check", clean, broken, "--json").output)
    assert doc["files"][0]["passed"] is True and doc["files"][0]["unread_cells"] == []
    assert doc["files"][1]["passed"] is False and doc["files"][1]["unread_cells"] == ["sec2.penalty.decisions"]
    assert doc["files"][1]["unreadable"][0]["raw"] == "6\n1"


def test_doc_without_libreoffice_is_a_clear_message(tmp_path, monkeypatch):
    p = tmp_path / "旧版.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    monkeypatch.setenv("PATH", str(tmp_path))
    r = cli("import", p)
    assert r.exit_code == 2
    assert "LibreOffice" in r.output and "旧版.doc" in r.output


def test_doc_through_libreoffice(tmp_path, reports):
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui")
    src = tmp_path / "报告.docx"
    src.write_bytes(build_report(reports["clean"]))
    doc = convert(src, "doc", tmp_path / "doc")
    out = tmp_path / "报告.json"
    r = cli("import", doc, "-o", out)
    assert r.exit_code == 0, r.output
    assert "Word 97-2003" in r.output
    assert json.loads(out.read_text(encoding="utf-8"))["values"] == _contract(reports["clean"].values)


def test_check_of_a_folder_names_the_published_reports_it_does_not_check(folder):
    r = CliRunner().invoke(app, ["check", str(folder)])
    assert r.exit_code == 2  # no workbook or report data in it
    assert "3个已发布报告类文件" in r.output and "gkxl check" in r.output

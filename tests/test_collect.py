"""gkxl collect on an inbox with every situation an office meets: the status of each unit, the 汇总, the inbox untouched."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.excel.writer import build_workbook
from gkxl.intake import load
from gkxl.model import Report

runner = CliRunner()
ROSTER = ["甲局", "乙局", "丙局", "丁局", "戊局", "己局", "=1+1局"]


def unit_report(base: Report, agency: str, year: int = 2023, **changes: int) -> Report:
    values = dict(base.values)
    values.update(changes)
    return dataclasses.replace(base, agency=agency, year=year, values=values, explanations={})


def write(path: Path, report: Report, mtime: float | None = None) -> Path:
    path.write_bytes(build_workbook(report, lock_agency=True))
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def round_(tmp_path, demo_report, demo_previous):
    inbox, previous = tmp_path / "收件箱", tmp_path / "上年"
    inbox.mkdir()
    previous.mkdir()
    now = time.time()
    passing = {
        "甲局": unit_report(demo_report, "甲局", **{"sec2.licensing.decisions": 7}),
        "丙局": unit_report(demo_report, "丙局", **{"sec2.penalty.decisions": 3}),
        # 丁局 carried over 2 applications that its own last-year report did not carry forward: a 核实 item with a 说明
        "丁局": unit_report(demo_report, "丁局", **{"sec3.carried_over.nonprofit": 2, "sec3.granted.nonprofit": 2}),
        "=1+1局": unit_report(demo_report, "=1+1局"),
    }
    passing["丁局"].explanations = {"R-XYEAR-CARRIED.nonprofit": "上年两件申请在年底补正后转入本年办理"}
    passing["丁局"].explanations["R-XYEAR-CARRIED.total"] = "同上，两件申请补正后转入本年办理"
    write(inbox / "随便起的名字.xlsx", passing["甲局"])  # renamed: matched by the embedded identity
    write(inbox / "丙局-第一次.xlsx", unit_report(demo_report, "丙局", **{"sec3.new_received.business": 9}), now - 3600)
    write(inbox / "丙局-改正后.xlsx", passing["丙局"], now)  # the newer of two files is used
    write(inbox / "丁局.xlsx", passing["丁局"])
    write(inbox / "formula.xlsx", passing["=1+1局"])
    write(inbox / "乙局.xlsx", unit_report(demo_report, "乙局", **{"sec3.new_received.business": 3}))  # 强制: unbalanced
    (inbox / "戊局的报告.xlsx").write_bytes(b"this is not a workbook")  # unreadable, named after its unit
    write(inbox / "己局.xlsx", unit_report(demo_previous, "己局", year=2022))  # last year's workbook
    write(inbox / "庚局.xlsx", unit_report(demo_report, "庚局"))  # not on the roster
    roster = tmp_path / "单位名单.csv"
    roster.write_text("单位名称\n" + "\n".join(ROSTER) + "\n", encoding="utf-8-sig")
    for unit in ("甲局", "丙局", "丁局"):
        write(previous / f"{unit}.xlsx", unit_report(demo_previous, unit, year=2022))
    return tmp_path, inbox, previous, roster, passing


def test_status_summary_and_reports_say_exactly_what_happened(round_):
    tmp_path, inbox, previous, roster, passing = round_
    before = digest(inbox)
    out = tmp_path / "结果"
    res = runner.invoke(app, ["collect", str(inbox), "--roster", str(roster), "-o", str(out), "--year", "2023",
                              "--agency", "示例市示例区", "--previous", str(previous), "--jobs", "2"])
    assert res.exit_code == 1, res.output  # some units need attention
    assert digest(inbox) == before

    ws = openpyxl.load_workbook(out / "汇总" / "状态.xlsx")["报送状态"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert {u: rows[u]["状态"] for u in ROSTER} == {
        "甲局": "通过", "乙局": "有强制错误", "丙局": "通过", "丁局": "通过", "戊局": "无法读取",
        "己局": "模板不符（年度或单位）", "=1+1局": "通过",
    }
    assert rows["甲局"]["所用文件"] == "随便起的名字.xlsx"
    assert rows["丙局"]["所用文件"] == "丙局-改正后.xlsx" and "丙局-第一次.xlsx" in rows["丙局"]["备注"]
    assert rows["丁局"]["已说明"] == 2 and rows["丁局"]["待核实"] == 0
    assert rows["乙局"]["强制错误"] == 2 and "商业企业" in rows["乙局"]["主要问题（前三条）"]
    assert "2022年" in rows["己局"]["主要问题（前三条）"]
    assert rows["甲局"]["SHA-256"] == hashlib.sha256((inbox / "随便起的名字.xlsx").read_bytes()).hexdigest()
    # a unit's name beginning with "=" is text in the status workbook, never a formula
    cell = next(c for c in ws["A"] if c.value == "=1+1局")
    assert cell.data_type == "s"
    extra = openpyxl.load_workbook(out / "汇总" / "状态.xlsx")["名单外文件"]
    assert [r[:2] for r in extra.iter_rows(min_row=2, values_only=True)] == [("庚局.xlsx", "庚局")]

    summary = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
    assert summary["statuses"] == {"通过": 4, "待核实": 0, "有强制错误": 1, "模板不符（年度或单位）": 1, "无法读取": 1, "未提交": 0}
    assert sorted(summary["included"]) == sorted(passing)

    # one Word report for each unit that passed, and none for the others
    assert sorted(p.stem for p in (out / "单位报告").iterdir()) == sorted(["甲局", "丙局", "丁局", "=1+1局"])

    # the 汇总 equals the cell-by-cell sums of the passing units, added up here independently
    total = load(out / "汇总" / "汇总数据.xlsx")
    assert total.found == [] and total.report.agency == "示例市示例区" and total.report.year == 2023
    expected = {}
    for r in passing.values():
        for cid, v in r.values.items():
            expected[cid] = expected.get(cid, 0) + v
    assert total.report.values == expected
    units_sheet = openpyxl.load_workbook(out / "汇总" / "汇总数据.xlsx")["汇总单位"]
    assert sorted(c.value for c in units_sheet["A"][1:]) == sorted(passing)
    assert (out / "汇总" / "汇总报告.docx").stat().st_size > 0


def test_a_unit_that_sent_nothing_and_a_second_run_without_force(round_):
    tmp_path, inbox, _, roster, _ = round_
    roster.write_text("单位名称\n甲局\n辛局\n", encoding="utf-8")
    out = tmp_path / "结果"
    first = runner.invoke(app, ["collect", str(inbox), "--roster", str(roster), "-o", str(out), "--year", "2023", "--jobs", "1"])
    assert first.exit_code == 1
    summary = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
    assert [(u["unit"], u["status"]) for u in summary["units"]] == [("甲局", "通过"), ("辛局", "未提交")]
    stamp = (out / "汇总" / "summary.json").read_bytes()
    again = runner.invoke(app, ["collect", str(inbox), "--roster", str(roster), "-o", str(out), "--year", "2023"])
    assert again.exit_code == 2 and "--force" in again.output
    forced = runner.invoke(app, ["collect", str(inbox), "--roster", str(roster), "-o", str(out), "--year", "2023", "--force", "--jobs", "2"])
    assert forced.exit_code == 1
    assert (out / "汇总" / "summary.json").read_bytes() == stamp  # the same inbox gives the same outputs
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left behind


def run(*args):
    return runner.invoke(app, ["collect", *map(str, args)])


def test_an_output_folder_that_is_the_inbox_or_not_a_collect_output_is_never_replaced(round_, monkeypatch):
    tmp_path, inbox, previous, roster, _ = round_
    before = digest(inbox)
    for target in (inbox, tmp_path, previous, inbox / "结果"):
        res = run(inbox, "--roster", roster, "-o", target, "--year", 2023, "--previous", previous, "--force")
        assert res.exit_code == 2 and "输出文件夹不能是" in res.output, target
    other = tmp_path / "我的文件"
    other.mkdir()
    (other / "重要.docx").write_bytes(b"keep")
    res = run(inbox, "--roster", roster, "-o", other, "--year", 2023, "--force")
    assert res.exit_code == 2 and "不是 gkxl collect 的输出" in res.output
    assert (other / "重要.docx").read_bytes() == b"keep"
    (tmp_path / "空").mkdir()
    monkeypatch.chdir(tmp_path / "空")
    res = run(inbox, "--roster", roster, "-o", ".", "--year", 2023, "--force")
    assert res.exit_code == 2 and "当前文件夹" in res.output
    assert digest(inbox) == before


def test_units_whose_report_files_would_share_a_name_are_refused(round_):
    tmp_path, inbox, _, roster, _ = round_
    roster.write_text("单位名称\n甲/乙局\n甲_乙局\n", encoding="utf-8")
    res = run(inbox, "--roster", roster, "-o", tmp_path / "结果", "--year", 2023)
    assert res.exit_code == 2 and "甲/乙局" in res.output and "甲_乙局" in res.output
    assert not (tmp_path / "结果").exists()


def test_the_newest_file_is_used_even_when_it_cannot_be_read(round_):
    tmp_path, inbox, _, roster, _ = round_
    (inbox / "甲局-更正.xlsx").write_bytes(b"PK\x03\x04 truncated")  # newer than 随便起的名字.xlsx
    out = tmp_path / "结果"
    assert run(inbox, "--roster", roster, "-o", out, "--year", 2023).exit_code == 1
    unit = next(u for u in json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))["units"] if u["unit"] == "甲局")
    assert unit["status"] == "无法读取" and unit["used"]["file"] == "甲局-更正.xlsx"
    assert "随便起的名字.xlsx" in unit["note"] and unit["report"] is None


def test_each_unit_is_checked_against_its_own_last_year_and_wrong_years_are_set_aside(round_, demo_previous):
    tmp_path, inbox, previous, roster, _ = round_
    # 甲局 carried 1 forward last year (business) but reports 0 carried over; 丙局's last year matches.
    prev_jia = unit_report(demo_previous, "甲局", year=2022, **{"sec3.new_received.business": 1, "sec3.carried_forward.business": 1})
    write(previous / "甲局.xlsx", prev_jia)
    write(previous / "甲局-2021.xlsx", unit_report(demo_previous, "甲局", year=2021))  # another year: not used
    (previous / "丁局.xlsx").unlink()  # 丁局 has no last year: said, not guessed
    out = tmp_path / "结果"
    run(inbox, "--roster", roster, "-o", out, "--year", 2023, "--previous", previous)
    summary = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
    units = {u["unit"]: u for u in summary["units"]}
    jia = {f["key"] for f in units["甲局"]["used"]["findings"]}
    assert {"R-XYEAR-CARRIED.business", "R-XYEAR-CARRIED.total"} <= jia and units["甲局"]["status"] == "待核实"
    assert not [f for f in units["丙局"]["used"]["findings"] if f["rule"].startswith("R-XYEAR")]
    assert "未做跨年度检查" in units["丁局"]["note"] and units["丁局"]["status"] == "通过"
    assert {"file": "甲局-2021.xlsx", "reason": "是2021年的报告，不是2022年的"} in summary["previous_ignored"]


def test_a_cell_a_passing_unit_left_blank_stays_blank_in_the_summary(round_):
    tmp_path, inbox, _, roster, passing = round_
    blank = unit_report(passing["甲局"], "甲局", **{"sec2.licensing.decisions": 7})
    del blank.values["sec2.penalty.decisions"]
    blank.explanations = {"R-MISSING.sec2.penalty.decisions": "本局无行政处罚职能，不适用"}
    write(inbox / "随便起的名字.xlsx", blank)
    out = tmp_path / "结果"
    run(inbox, "--roster", roster, "-o", out, "--year", 2023)
    summary = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
    assert next(u for u in summary["units"] if u["unit"] == "甲局")["status"] == "通过"
    assert summary["incomplete_cells"] == ["sec2.penalty.decisions"]
    total = load(out / "汇总" / "汇总数据.xlsx").report
    assert "sec2.penalty.decisions" not in total.values  # never a sum of the units that did fill it in
    assert total.values["sec2.licensing.decisions"] == sum(p.values["sec2.licensing.decisions"] for p in passing.values())

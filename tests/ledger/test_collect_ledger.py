"""`gkxl collect` with units' registers beside their workbooks: the same findings as `gkxl check --ledger`, one function."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.excel.writer import build_workbook
from gkxl.model import Report

runner = CliRunner()


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


def workbook(unit: str, values: dict) -> bytes:
    return build_workbook(Report("2021", 2025, unit, values=values), lock_agency=True)


REGISTER = ("编号,收到日期,申请人类型,办理结果,答复日期\n"
            "1,2025-03-01,自然人,予以公开,2025-03-09\n"
            "2,2025-04-01,自然人,予以公开,2025-04-09\n")


def test_collect_checks_each_units_tables_against_its_register(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n甲局\n乙局\n丙局\n", encoding="utf-8")
    # 甲局 typed one application where its register has two; 乙局's register has a row that cannot be counted
    (inbox / "甲局.xlsx").write_bytes(workbook("甲局", {"sec3.new_received.natural_person": 1, "sec3.granted.natural_person": 1}))
    (inbox / "甲局_依申请台账.csv").write_text(REGISTER, encoding="utf-8")
    (inbox / "乙局.xlsx").write_bytes(workbook("乙局", {}))
    (inbox / "乙局台账.csv").write_text(REGISTER + "3,2025-05-01,法人,予以公开,2025-05-09\n", encoding="gb18030")
    (inbox / "台账.csv").write_text(REGISTER, encoding="utf-8")  # a register of no unit
    out = tmp_path / "结果"
    r = cli("collect", inbox, "--roster", roster, "--year", 2025, "-o", out, "--jobs", 1)
    assert r.exit_code == 1, r.output
    doc = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
    units = {u["unit"]: u for u in doc["units"]}
    jia = units["甲局"]
    ledger = [f for f in jia["used"]["findings"] if f["rule"] == "R-LEDGER"]
    assert [(f["scope"], f["actual"], f["expected"]) for f in ledger] == [
        ("sec3.new_received.natural_person", 1, 2), ("sec3.granted.natural_person", 1, 2)]
    assert "依申请台账（甲局_依申请台账.csv）：表三、表四已与之核对" in jia["note"]
    yi = units["乙局"]
    rows = [f for f in yi["used"]["findings"] if f["rule"] == "R-LEDGER-ROW"]
    assert [f["scope"] for f in rows] == ["乙局台账.csv:4"] and "法人" in rows[0]["message"]
    assert yi["status"] == "有强制错误" and "其中1行不能计数" in yi["note"]
    assert "没有可与之核对的工作簿" in units["丙局"]["note"] or units["丙局"]["status"] == "未提交"
    unused = {u["file"]: u["reason"] for u in doc["unused"]}
    assert "依申请台账" in unused["台账.csv"] and "不知属于哪个单位" in unused["台账.csv"]
    # the same findings as gkxl check --ledger gives for 甲局's workbook
    checked = json.loads(cli("check", inbox / "甲局.xlsx", "--ledger", inbox / "甲局_依申请台账.csv", "--json").output)
    assert sorted(f["key"] for f in checked["files"][0]["findings"] if f["rule"].startswith("R-LEDGER")) == sorted(f["key"] for f in ledger)

"""The 汇总 across levels (issue 12 §5): roster 类型, a lower level's 汇总数据.xlsx as that unit's submission,
不完整 naming the missing units in every output, subtotals per type, and --deadline with the 按时提交率.

Two counties collect their own units; the city collects the counties' 汇总s with its departments' workbooks.
Every expected number is added up here from the unit reports themselves."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time

import openpyxl
from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.intake import load

from collect_helpers import consistent, roster_csv, write

runner = CliRunner()
YEAR = 2023
DEADLINE = dt.datetime(2024, 1, 31, 23, 59)
ON_TIME = time.mktime(dt.datetime(2024, 1, 30, 10, 0).timetuple())
LATE = time.mktime(dt.datetime(2024, 2, 1, 0, 0).timetuple())  # the next day after the deadline: 逾期


def collect(*args):
    return runner.invoke(app, ["collect", *map(str, args)])


def sums(reports) -> dict:
    out: dict = {}
    for r in reports:
        for cid, v in r.values.items():
            out[cid] = out.get(cid, 0) + v
    return out


def county(tmp_path, name, units, seed, *, absent=()):
    box = tmp_path / f"{name}收件箱"
    box.mkdir()
    reports = {}
    for i, (unit, _) in enumerate(units):
        reports[unit] = consistent(unit, seed + i)
        if unit not in absent:
            write(box / f"{unit}.xlsx", reports[unit])
    roster = roster_csv(tmp_path / f"{name}名单.csv", [u for u, _ in units], [t for _, t in units])
    out = tmp_path / f"{name}汇总"
    res = collect(box, "--roster", roster, "-o", out, "--year", YEAR, "--agency", name, "--jobs", 1)
    assert res.exit_code == (1 if absent else 0), res.output
    return out, {u: r for u, r in reports.items() if u not in absent}


def test_a_city_collects_its_counties_summaries_with_its_departments(tmp_path):
    county1, units1 = county(tmp_path, "示例县", [("示例县人民政府办公室", "本级政府办公室"), ("示例县教育局", "部门"), ("甲镇", "乡镇（街道）")], 10)
    county2, units2 = county(tmp_path, "示例二县", [("示例二县教育局", "部门"), ("乙镇", "乡镇"), ("丙镇", "乡镇（街道）")], 20, absent=("丙镇",))

    # the county that lacks 丙镇 says so in every output
    c2 = json.loads((county2 / "汇总" / "summary.json").read_text(encoding="utf-8"))
    assert c2["complete"] is False and c2["missing_units"] == ["丙镇"]
    assert c2["by_type"]["乡镇（街道）"]["statuses"]["未提交"] == 1 and c2["by_type"]["部门"]["included"] == ["示例二县教育局"]
    sheet = openpyxl.load_workbook(county2 / "汇总" / "汇总数据.xlsx")["汇总单位"]
    assert sheet["B1"].value.startswith("不完整") and sheet["B2"].value == "丙镇"
    info = {r[0]: r[1] for r in openpyxl.load_workbook(county2 / "汇总" / "状态.xlsx")["汇总情况"].iter_rows(values_only=True)}
    assert info["汇总是否完整"] == "不完整" and "丙镇" in info["未纳入的单位"]
    narrative = load(county2 / "汇总" / "汇总数据.xlsx").report.narrative
    assert any("本汇总不完整" in t and "丙镇" in t for t in narrative.values())
    c1 = json.loads((county1 / "汇总" / "summary.json").read_text(encoding="utf-8"))
    assert c1["complete"] is True and c1["missing_units"] == []

    # the county's subtotals per type equal the sums of its units of that type
    c1_town = load(county1 / "汇总" / "分类汇总" / "乡镇（街道）.xlsx").report
    assert c1_town.values == sums([units1["甲镇"]])
    assert c1_town.agency == "示例县（乡镇（街道））"

    city_box = tmp_path / "市收件箱"
    city_box.mkdir()
    shutil.copy(county1 / "汇总" / "汇总数据.xlsx", city_box / "示例县2023年汇总.xlsx")
    shutil.copy(county2 / "汇总" / "汇总数据.xlsx", city_box / "二县.xlsx")  # matched by identity, not by name
    depts = {"市教育局": consistent("市教育局", 31), "市财政局": consistent("市财政局", 32)}
    write(city_box / "市教育局.xlsx", depts["市教育局"], ON_TIME)
    write(city_box / "市财政局.xlsx", depts["市财政局"], LATE)
    for f in ("示例县2023年汇总.xlsx", "二县.xlsx"):
        import os

        os.utime(city_box / f, (ON_TIME, ON_TIME))
    names = ["市教育局", "示例县", "市财政局", "示例二县", "市开发区"]
    types = ["部门", "下级政府", "部门", "下级政府", "开发区"]
    roster = roster_csv(tmp_path / "市名单.csv", names, types)
    out = tmp_path / "市汇总"
    res = collect(city_box, "--roster", roster, "-o", out, "--year", YEAR, "--agency", "示例市", "--jobs", 2,
                  "--deadline", DEADLINE.date().isoformat())
    assert res.exit_code == 1, res.output  # 市开发区 sent nothing
    summary = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
    units = {u["unit"]: u for u in summary["units"]}
    assert {u: units[u]["status"] for u in names} == {
        "市教育局": "通过", "示例县": "通过", "市财政局": "通过", "示例二县": "通过", "市开发区": "未提交"}
    assert units["示例县"]["used"]["file"] == "示例县2023年汇总.xlsx"
    assert units["示例县"]["used"]["summary_of"] == list(units1)
    assert units["示例二县"]["used"]["summary_missing"] == ["丙镇"] and "丙镇" in units["示例二县"]["note"]

    # the city's 汇总 is every unit's report of both levels, added up here
    everything = [*units1.values(), *units2.values(), *depts.values()]
    total = load(out / "汇总" / "汇总数据.xlsx")
    assert total.report.agency == "示例市" and total.report.values == sums(everything)
    assert load(out / "汇总" / "分类汇总" / "下级政府.xlsx").report.values == sums([*units1.values(), *units2.values()])
    assert load(out / "汇总" / "分类汇总" / "部门.xlsx").report.values == sums(depts.values())
    assert not (out / "汇总" / "分类汇总" / "开发区.xlsx").exists()
    for kind, reports in (("下级政府", [*units1.values(), *units2.values()]), ("部门", list(depts.values()))):
        expected = sums(reports)
        got = summary["by_type"][kind]["subtotal"]
        assert all(got[cid] == (v if isinstance(v, int) else str(v)) for cid, v in expected.items())

    # 不完整 everywhere, naming the unit missing here and the one missing below
    assert summary["complete"] is False
    assert summary["missing_units"] == ["市开发区"] and summary["lower_level_missing"] == {"示例二县": ["丙镇"]}
    sheet = openpyxl.load_workbook(out / "汇总" / "汇总数据.xlsx")["汇总单位"]
    assert [c.value for c in sheet["B"] if c.value][1:] == ["市开发区", "示例二县：丙镇"]
    wb = openpyxl.load_workbook(out / "汇总" / "状态.xlsx")
    info = {r[0]: r[1] for r in wb["汇总情况"].iter_rows(values_only=True)}
    assert info["汇总是否完整"] == "不完整" and "市开发区" in info["未纳入的单位"] and "丙镇" in info["未纳入的单位"]
    assert "本汇总不完整" in res.output and "市开发区" in res.output and "丙镇" in res.output

    # the deadline: 市财政局 came the day after; 3 of 5 units on time
    assert summary["late"] == ["市财政局"] and units["市财政局"]["late"] is True
    assert summary["on_time"] == {"units": 3, "of": 5, "rate": "60.00%"}
    assert info["按时提交率"] == "60.00%（3/5）" and info["逾期提交"] == "市财政局"
    assert "按时提交率 60.00%" in res.output
    ws = wb["报送状态"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    # grouped by type, roster order within a type
    assert [(r["单位名称"], r["类型"]) for r in rows] == [
        ("市教育局", "部门"), ("市财政局", "部门"), ("示例县", "下级政府"), ("示例二县", "下级政府"), ("市开发区", "开发区")]
    assert {r["单位名称"]: r["是否按时"] for r in rows} == {"市教育局": "按时", "市财政局": "逾期", "示例县": "按时", "示例二县": "按时", "市开发区": "未提交"}
    groups = {r[0]: r for r in wb["按类型统计"].iter_rows(min_row=2, values_only=True)}
    assert groups["部门"][1] == 2 and groups["开发区"][1] == 1


def test_a_summary_lacking_units_has_its_sum_rules_verified_not_mandatory(demo_report):
    from gkxl.collect import mark_incomplete
    from gkxl.findings import CheckResult, Finding, Severity

    check = CheckResult("汇总", findings=[
        Finding("R-BALANCE", "total", Severity.MANDATORY, "表三 总计不平衡"),
        Finding("R-VALUE", "x", Severity.MANDATORY, "数值无效"),
    ])
    settled = mark_incomplete(check, 2)
    assert [(f.rule, f.severity) for f in settled.findings] == [("R-BALANCE", Severity.VERIFY), ("R-VALUE", Severity.MANDATORY)]
    assert "缺少2个单位" in settled.findings[0].message
    assert mark_incomplete(check, 0) is check


def test_a_bad_deadline_is_one_line(tmp_path):
    box = tmp_path / "箱"
    box.mkdir()
    roster = roster_csv(tmp_path / "名单.csv", ["甲局"])
    res = collect(box, "--roster", roster, "-o", tmp_path / "o", "--deadline", "明年")
    assert res.exit_code == 2 and "截止日期“明年”无法识别" in res.output


def test_every_output_of_a_typed_incomplete_round_passes_the_ooxml_validator(tmp_path):
    import shutil as sh
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    exe = Path(sys.executable).with_name("openxml-audit")
    if not exe.exists() and not sh.which("openxml-audit"):
        pytest.skip("openxml-audit is not installed (pip install '.[test]')")
    out, _ = county(tmp_path, "示例县", [("办公室", "本级政府办公室"), ("教育局", "部门"), ("甲镇", "乡镇（街道）")], 40, absent=("甲镇",))
    files = sorted(p for p in out.rglob("*") if p.suffix in (".xlsx", ".docx"))
    assert {p.name for p in files} >= {"状态.xlsx", "汇总数据.xlsx", "汇总报告.docx", "部门.xlsx", "本级政府办公室.xlsx"}
    for p in files:
        res = subprocess.run([str(exe if exe.exists() else "openxml-audit"), str(p)], capture_output=True, text=True)
        assert res.returncode == 0 and "Errors: 0" in res.stdout, (p.name, res.stdout[-2000:])


def test_a_late_file_whose_workbook_was_saved_before_the_deadline_is_late_with_a_note(tmp_path):
    import os
    import re

    from workbook_helpers import rezip

    from gkxl.drafting import report_with_draft

    box = tmp_path / "箱"
    box.mkdir()
    plain = write(tmp_path / "原.xlsx", consistent("甲局", 1))

    def saved_by_excel(xml: bytes) -> bytes:
        xml = xml.replace(b"<cp:lastModifiedBy>gkxl</cp:lastModifiedBy>", "<cp:lastModifiedBy>张三</cp:lastModifiedBy>".encode())
        xml = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", xml)
        return xml.replace(b"</cp:coreProperties>",
                           b'<dcterms:modified xsi:type="dcterms:W3CDTF">2024-01-29T02:00:00Z</dcterms:modified></cp:coreProperties>')

    rezip(plain, box / "甲局.xlsx", edit={"docProps/core.xml": saved_by_excel})
    write(box / "乙局.xlsx", consistent("乙局", 2))  # written by gkxl: its document dates say nothing
    for f in ("甲局.xlsx", "乙局.xlsx"):
        os.utime(box / f, (LATE, LATE))  # e.g. downloaded from the mail after the deadline
    roster = roster_csv(tmp_path / "名单.csv", ["甲局", "乙局"])
    out = tmp_path / "o"
    res = collect(box, "--roster", roster, "-o", out, "--year", YEAR, "--deadline", "2024-01-31", "--jobs", 1)
    assert res.exit_code == 0, res.output
    units = {u["unit"]: u for u in json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))["units"]}
    assert units["甲局"]["late"] is True and "保存时间为2024-01-29" in units["甲局"]["note"] and "请核实是否逾期" in units["甲局"]["note"]
    assert units["甲局"]["used"]["saved"] == "2024-01-29T02:00:00+00:00"
    # no note about the time: only the one that its report's empty （二） was drafted from the tables
    drafted = report_with_draft(consistent("乙局", 2))[1]
    assert drafted and units["乙局"]["late"] is True and units["乙局"]["note"] == drafted and units["乙局"]["used"]["saved"] is None

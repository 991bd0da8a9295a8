"""The live 校验 sheet must not pass what `gkxl check` rejects: values pasted past data validation (negatives,
decimals, text, too many places, a 落款日期 inside the report year) that balance each other, recalculated by
LibreOffice, make 校验 say so; and a clean file says 全部通过 where check finds nothing 强制."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from workbook_helpers import check_json, openpyxl_edit, write_workbook

from gkxl.excel.checks import COL_STATUS, FAIL, PASS
from gkxl.formats.layout import CHECKS_FIRST_ROW, CHECKS_SHEET, field_address, info_address
from gkxl.office import convert

pytestmark = pytest.mark.render

# Two cells on the two sides of the 自然人 column's 勾稽关系: the same change to both keeps every equation balanced.
LEFT, RIGHT = "sec3.new_received.natural_person", "sec3.granted.natural_person"


def pasted(demo_report, tmp_path: Path, edits) -> tuple[dict, dict]:
    """The demo workbook with `edits(wb, values)` applied by openpyxl (as a paste would, past validation),
    recalculated and saved by LibreOffice: (the 校验 sheet as LibreOffice computed it, gkxl check's document)."""
    demo_report.narrative.clear()
    path = write_workbook(demo_report, tmp_path / "模板.xlsx")
    spec = demo_report.spec

    def edit(wb):
        def put(cid, value):
            addr = field_address(spec, cid)
            wb[addr.sheet][addr.a1] = value

        edits(wb, put, demo_report.values)

    source = openpyxl_edit(path, tmp_path / "粘贴.xlsx", edit)
    saved = convert(source, "xlsx", tmp_path / "lo")
    ws = openpyxl.load_workbook(saved, data_only=True)[CHECKS_SHEET]
    lines = {}
    for row in ws.iter_rows(min_row=CHECKS_FIRST_ROW + 1, values_only=True):
        if row[0]:
            lines[f"{row[0]}:{row[1]}"] = row[COL_STATUS]
    code, doc = check_json(saved)
    return {"summary": ws.cell(1, COL_STATUS + 1).value, "lines": lines}, doc


def mandatory(doc) -> list[str]:
    return [f["key"] for f in doc["files"][0]["findings"] if f["severity"] == "强制"]


def shift(put, values, delta):
    put(LEFT, values[LEFT] + delta)
    put(RIGHT, values[RIGHT] + delta)


def test_a_clean_file_passes_both(tmp_path, soffice, demo_report):
    sheet, doc = pasted(demo_report, tmp_path, lambda wb, put, values: None)
    assert mandatory(doc) == [] and sheet["summary"] == "全部通过"
    assert set(sheet["lines"].values()) == {PASS}


@pytest.mark.parametrize("name, edits, line, rule", [
    ("negative", lambda wb, put, v: shift(put, v, -v[LEFT] - 1), "R-VALUE:表三：负数或过大", "R-VALUE"),
    ("decimal", lambda wb, put, v: shift(put, v, Decimal("0.5")), "R-VALUE:表三：小数", "R-VALUE"),
    ("text", lambda wb, put, v: (put(LEFT, f"{v[LEFT]}件"), None), "R-VALUE:表三：不是数字", "R-VALUE"),
    ("places", lambda wb, put, v: put("sec2.fees.amount_wan", Decimal("1.2345678")), "R-VALUE:表二：金额小数位数", "R-VALUE"),
    ("count in 表四", lambda wb, put, v: (put("sec4.review.upheld", v["sec4.review.upheld"] + Decimal("0.5")),
                                          put("sec4.review.pending", v["sec4.review.pending"] - Decimal("0.5"))), "R-VALUE:表四：小数", "R-VALUE"),
    ("date", lambda wb, put, v: wb["基本信息"].__setitem__(info_address("issued_on").a1, dt.datetime(2023, 12, 1)),
     "R-DATE.issued_on:基本信息：落款日期", "R-DATE"),
])
def test_pasted_values_that_check_rejects_never_show_all_passed(tmp_path, soffice, demo_report, name, edits, line, rule):
    sheet, doc = pasted(demo_report, tmp_path, edits)
    assert any(k.startswith(rule) for k in mandatory(doc)), (name, mandatory(doc))
    assert sheet["lines"][line] == FAIL, (name, sheet["lines"])
    assert sheet["summary"] != "全部通过" and "数值无效" in sheet["summary"], (name, sheet["summary"])
    # the equations still balance: before the validity lines, this file said 全部通过 (text aside, which counted as blank)
    eq = {k: s for k, s in sheet["lines"].items() if k.startswith(("R-BALANCE", "R-RESULTS-SUM", "R-ROW-TOTAL", "R-SEC4-TOTAL"))}
    if name != "text":
        assert set(eq.values()) == {PASS}, (name, {k: s for k, s in eq.items() if s != PASS})


@pytest.mark.parametrize("typed, status", [(None, "—"), (2020, FAIL), (2024, PASS)])
def test_the_year_of_a_blank_template(tmp_path, soffice, demo_report, typed, status):
    """A blank template's year: open until typed, ✘ for a year of the other format (R-IDENTITY.format), ✔ else."""
    from gkxl.model import Report

    report = Report("2021", 2021, "示例局", dict(demo_report.values))
    path = write_workbook(report, tmp_path / "空白.xlsx", lock_agency=False, lock_year=False)
    year = info_address("year")
    source = openpyxl_edit(path, tmp_path / "年度.xlsx", lambda wb: wb[year.sheet].__setitem__(year.a1, typed))
    saved = convert(source, "xlsx", tmp_path / "lo")
    ws = openpyxl.load_workbook(saved, data_only=True)[CHECKS_SHEET]
    lines = {row[0]: row[COL_STATUS] for row in ws.iter_rows(min_row=CHECKS_FIRST_ROW + 1, values_only=True) if row[0]}
    summary = ws.cell(1, COL_STATUS + 1).value
    assert lines["R-IDENTITY.format"] == status
    assert summary == {"—": "尚未填完", FAIL: "有1项数值无效", PASS: "全部通过"}[status]
    if typed is not None:
        code, doc = check_json(saved)
        assert ("R-IDENTITY.format" in mandatory(doc)) == (status == FAIL)
        assert (mandatory(doc) == []) == (summary == "全部通过")

"""A real spreadsheet engine: fill a template with openpyxl, let LibreOffice recalculate and re-save it, read it back.

The totals and the live 校验 lines must equal what Python computes, for a balanced, an unbalanced and an
unfinished report, in both formats. And a look at the printed tables (PDF and PNG previews in tests/_artifacts).
"""

from __future__ import annotations

import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from reports import balance, random_values

from gkxl.excel.writer import build_workbook
from gkxl.model import Report
from gkxl.office import convert
from gkxl.rules import run_rules
from gkxl.formats import all_formats, get_format
from gkxl.formats.layout import CHECKS_FIRST_ROW, CHECKS_SHEET, field_address, table_sheet

pytestmark = pytest.mark.render
FORMATS = [f.id for f in all_formats()]
YEAR = {"2021": 2023, "2019": 2020}
EQUATION_RULES = ("R-BALANCE", "R-RESULTS-SUM", "R-ROW-TOTAL", "R-SEC4-TOTAL")


def balanced_values(fmt: str, seed: int) -> dict:
    """Random inputs of every kind, balanced in every column (the official note)."""
    spec = get_format(fmt)
    rng = random.Random(seed)
    values = random_values(
        spec,
        count=lambda: rng.randint(0, 6),
        signed=lambda: rng.randint(-5, 5),
        amount=lambda: Decimal(rng.randint(0, 9_999_999)).scaleb(-4),
    )
    report = balance(Report(fmt, YEAR[fmt], values=values))
    assert not [f for f in run_rules(report) if f.rule in EQUATION_RULES]
    return report.values


def fill_and_recalculate(fmt: str, values: dict, tmp_path: Path) -> openpyxl.Workbook:
    """The blank template filled cell by cell with openpyxl, recalculated and saved by LibreOffice, read back."""
    spec = get_format(fmt)
    template = tmp_path / "template.xlsx"
    template.write_bytes(build_workbook(Report(fmt, YEAR[fmt], "示例市示例区测试局"), lock_agency=True))
    wb = openpyxl.load_workbook(template)
    for cid, value in values.items():
        addr = field_address(spec, cid)
        wb[addr.sheet][addr.a1] = value
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)  # openpyxl keeps the formulas but no results: only a recalculation can give them
    out = convert(filled, "xlsx", tmp_path / "lo")
    return openpyxl.load_workbook(out, data_only=True)


def python_lines(fmt: str, values: dict) -> list[tuple]:
    """(rule, scope, difference, status) per 校验 line, computed here from the rule engine's own view of the data."""
    spec = get_format(fmt)
    report = Report(fmt, YEAR[fmt], values=values)
    known = report.with_totals()
    failing = {(f.rule, f.scope) for f in run_rules(report) if f.rule in EQUATION_RULES}
    eqs = [e for e in spec.equations if e.rule == "R-BALANCE"] + [e for e in spec.equations if e.rule != "R-BALANCE"]
    out = []
    for eq in eqs:
        if all(c in known for c in eq.cells):
            diff = sum(known[c] for c in eq.lhs) - sum(known[c] for c in eq.rhs)
            status = "✘" if diff else "✔"
            assert (status == "✘") == ((eq.rule, eq.scope) in failing)
            out.append((eq.rule, eq.scope, diff, status))
        else:
            out.append((eq.rule, eq.scope, None, "未填完"))
    return out


def assert_matches_python(fmt: str, values: dict, wb: openpyxl.Workbook) -> list[tuple]:
    spec = get_format(fmt)
    known = Report(fmt, YEAR[fmt], values=values).with_totals()
    for cid in spec.fields:
        addr = field_address(spec, cid)
        got = wb[addr.sheet][addr.a1].value
        if cid in known:
            assert got is not None and Decimal(str(got)) == known[cid], (cid, got, known[cid])
    ws = wb[CHECKS_SHEET]
    lines = python_lines(fmt, values)
    for i, (rule, scope, diff, status) in enumerate(lines):
        row = [ws.cell(CHECKS_FIRST_ROW + i + 1, c).value for c in range(1, 8)]
        assert (row[0], row[6]) == (f"{rule}.{scope}", status), row
        if diff is not None:
            assert row[5] == diff, row
    missing = [c for c in spec.inputs if c not in values]
    blank_line = [ws.cell(CHECKS_FIRST_ROW + len(lines) + 1, c).value for c in range(1, 8)]
    assert blank_line[0] == "R-MISSING" and blank_line[5] == len(missing)
    assert blank_line[6] == ("✔" if not missing else "未填完")
    return lines


@pytest.mark.parametrize("fmt", FORMATS)
def test_balanced_report_recalculated_by_libreoffice(fmt, soffice, tmp_path, demo_report):
    values = dict(demo_report.values) if fmt == demo_report.format else balanced_values(fmt, seed=1)
    values = {k: v for k, v in values.items() if get_format(fmt).fields[k].is_input}
    wb = fill_and_recalculate(fmt, values, tmp_path)
    lines = assert_matches_python(fmt, values, wb)
    assert {status for *_, status in lines} == {"✔"}
    assert wb[CHECKS_SHEET]["G1"].value == "全部通过"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unbalanced_report_recalculated_by_libreoffice(fmt, soffice, tmp_path):
    values = balanced_values(fmt, seed=2)
    values["sec3.new_received.natural_person"] += 2
    values["sec3.carried_forward.research"] += 1
    wb = fill_and_recalculate(fmt, values, tmp_path)
    lines = assert_matches_python(fmt, values, wb)
    failing = {(rule, scope): diff for rule, scope, diff, status in lines if status == "✘"}
    # 自然人: the right side grew by 2; 科研机构: the left side by 1; the 总计 column by both.
    assert failing == {("R-BALANCE", "natural_person"): -2, ("R-BALANCE", "research"): 1, ("R-BALANCE", "total"): -1}
    assert wb[CHECKS_SHEET]["G1"].value == "有3项不平衡"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unfinished_report_recalculated_by_libreoffice(fmt, soffice, tmp_path):
    values = balanced_values(fmt, seed=3)
    del values["sec3.granted.business"]
    del values["sec4.review.upheld"]
    wb = fill_and_recalculate(fmt, values, tmp_path)
    lines = assert_matches_python(fmt, values, wb)
    unfinished = {(rule, scope) for rule, scope, _, status in lines if status == "未填完"}
    assert ("R-BALANCE", "business") in unfinished and ("R-SEC4-TOTAL", "review") in unfinished
    assert wb[CHECKS_SHEET]["G1"].value == "尚未填完"


@pytest.mark.parametrize("fmt", FORMATS)
def test_printed_tables_look_like_the_official_ones(fmt, soffice, tmp_path, artifacts, demo_report):
    """PDF of a prefilled workbook, pages rendered to PNG in tests/_artifacts for a person to look at."""
    pdfplumber = pytest.importorskip("pdfplumber")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    spec = get_format(fmt)
    values = demo_report.values if fmt == demo_report.format else balanced_values(fmt, seed=4)
    report = Report(fmt, YEAR[fmt], "示例市示例区测试局", values=values)
    src = tmp_path / f"template_{fmt}.xlsx"
    src.write_bytes(build_workbook(report, lock_agency=True))
    pdf = convert(src, "pdf", tmp_path)
    for old in artifacts.glob(f"template_{fmt}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(artifacts / f"template_{fmt}")], check=True, timeout=120)
    assert list(artifacts.glob(f"template_{fmt}-*.png"))
    with pdfplumber.open(pdf) as doc:
        pages = [p.extract_text() or "" for p in doc.pages]
    for t in spec.tables:
        # Each table on its own page(s), heading, unit line and its first and last column together (one page wide).
        page = next(p for p in pages if p.lstrip().startswith(t.heading))
        assert "填报单位：示例市示例区测试局" in page and f"年度：{YEAR[fmt]}" in page
        first = min(t.labels, key=lambda lb: (lb.row, lb.col))
        last_header = max((lb for lb in t.labels if lb.row == 0), key=lambda lb: lb.col)
        assert first.text[:6] in page.replace("\n", "") and last_header.text[:4] in page.replace("\n", ""), table_sheet(t)
    sec3 = next(p for p in pages if p.lstrip().startswith(spec.table("sec3").heading)).replace("\n", "")
    assert "（七）总计" in sec3 and "四、结转下年度继续办理" in sec3

"""A real spreadsheet engine: workbooks filled with openpyxl, recalculated and saved by LibreOffice, read back.

The workbook's live 校验 lines (as LibreOffice computes them) and `gkxl check` agree, balanced or not; the
LibreOffice-saved file (shared strings, cached values) and the openpyxl-saved one (no cached values) both read.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from reports import balance
from workbook_helpers import check_json, findings_of, openpyxl_edit, sheet_part, write_workbook

from gkxl.excel.checks import COL_STATUS, FAIL, OPEN, PASS
from gkxl.excel.reader import read_workbook
from gkxl.model import Report
from gkxl.office import convert
from gkxl.formats import get_format
from gkxl.formats.layout import CHECKS_FIRST_ROW, CHECKS_SHEET, field_address

pytestmark = pytest.mark.render


def report_2019() -> Report:
    spec = get_format("2019")
    values = {cid: (i % 5 if spec.fields[cid].kind.value != "signed" else -(i % 3)) for i, cid in enumerate(spec.inputs)}
    return balance(Report("2019", 2020, "试行格式测试局", values))


def scenarios(demo: Report) -> dict[str, tuple[Report, dict]]:
    """name → (the report written by gkxl, the edits a filer then makes with another program)."""
    return {
        "balanced": (demo, {}),
        "unbalanced": (demo, {"sec3.new_received.business": 9, "sec4.review.upheld": 5}),
        "blank": (demo, {"sec3.granted.natural_person": None}),
        "2019": (report_2019(), {"sec3.other_handling.research": 7}),
    }


def filled_by_openpyxl(report: Report, edits: dict, folder: Path) -> tuple[Path, Report]:
    path = write_workbook(report, folder / "模板.xlsx")
    spec = report.spec

    def edit(wb):
        for cid, value in edits.items():
            addr = field_address(spec, cid)
            wb[addr.sheet][addr.a1] = value

    expected = dict(report.values)
    for cid, value in edits.items():
        if value is None:
            expected.pop(cid, None)
        else:
            expected[cid] = value
    return openpyxl_edit(path, folder / "填报.xlsx", edit), Report(report.format, report.year, report.agency, expected)


def status_lines(path: Path) -> dict[str, str]:
    """The 校验 sheet as LibreOffice computed it: finding key → ✔ / ✘ / 未填完."""
    import openpyxl

    ws = openpyxl.load_workbook(path, data_only=True)[CHECKS_SHEET]
    out = {}
    for row in ws.iter_rows(min_row=CHECKS_FIRST_ROW + 1, values_only=True):
        if row[0] and row[1]:
            # Column A holds the key (rule.scope); the table validity lines share one (R-VALUE): add their 检查项.
            out[row[0] if row[0] != "R-VALUE" else f"{row[0]}:{row[1]}"] = row[COL_STATUS]
    return out


@pytest.mark.parametrize("name", ["balanced", "unbalanced", "blank", "2019"])
def test_live_checks_and_gkxl_check_agree(tmp_path, soffice, demo_report, name):
    demo_report.narrative.clear()  # table rules only: the 校验 sheet knows nothing of the text
    report, edits = scenarios(demo_report)[name]
    source, expected = filled_by_openpyxl(report, edits, tmp_path)
    saved = convert(source, "xlsx", tmp_path / "lo")
    _, doc = check_json(saved)
    found = findings_of(doc)
    assert not [k for k in found if k.startswith(("R-CACHED-TOTAL", "R-VALUE", "R-LAYOUT"))]  # LibreOffice's totals are Python's
    lines = status_lines(saved)
    spec = report.spec
    validity = {k: v for k, v in lines.items() if k.startswith(("R-VALUE", "R-IDENTITY", "R-DATE"))}
    declarations = {k: v for k, v in lines.items() if k.startswith("R-DECLARATION.")}  # 零报告 not declared: ✔
    assert len(lines) == len(spec.equations) + 1 + len(validity) + len(declarations) and len(validity) >= 3 * len(spec.tables)
    assert declarations == {f"R-DECLARATION.{d.key}": PASS for d in spec.declarations}
    assert set(validity.values()) == {PASS}  # every value typed is a number of its kind
    for eq in spec.equations:
        key = f"{eq.rule}.{eq.scope}"
        assert lines[key] in (PASS, FAIL, OPEN)
        assert (lines[key] == FAIL) == (key in found), key
    missing = [k for k in found if k.startswith("R-MISSING.")]
    assert (lines["R-MISSING"] == PASS) == (not missing)
    assert (FAIL in lines.values()) == (name in ("unbalanced", "2019"))
    # what LibreOffice saved reads back as what was typed, totals recomputed
    assert read_workbook(saved).report.values == expected.values
    assert read_workbook(source).report.values == expected.values  # openpyxl-saved: formulas without cached values


def test_a_libreoffice_file_is_excel_style(tmp_path, soffice, demo_report):
    source, expected = filled_by_openpyxl(demo_report, {}, tmp_path)
    saved = convert(source, "xlsx", tmp_path / "lo")
    with zipfile.ZipFile(saved) as z:
        names = z.namelist()
        sheet = z.read(sheet_part(saved, "表三")).decode()
    assert "xl/sharedStrings.xml" in names and 't="s"' in sheet
    total = field_address(demo_report.spec, "sec3.results_total.total").a1
    cached = re.search(rf'<c r="{total}"[^>]*><f[^>]*>[^<]+</f><v>(\d+)</v>', sheet)  # a formula with its cached result
    assert cached and int(cached.group(1)) == demo_report.with_totals()["sec3.results_total.total"]
    loaded = read_workbook(saved)
    assert loaded.found == [] and loaded.report.values == expected.values
    assert loaded.report.narrative == demo_report.narrative and loaded.report.meta == demo_report.meta


@pytest.mark.parametrize("to, words", [("xls", "这是 .xls 格式"), ("ods", ".ods")])
def test_real_xls_and_ods_files_get_a_resave_message(tmp_path, soffice, demo_report, to, words):
    path = write_workbook(demo_report, tmp_path / "年报.xlsx")
    other = convert(path, to, tmp_path / "lo")
    code, doc = check_json(other)
    assert code == 2 and words in doc["files"][0]["error"] and "另存为 .xlsx" in doc["files"][0]["error"]

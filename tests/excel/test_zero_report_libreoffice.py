"""零报告 in a real spreadsheet engine: a filer opens gkxl's template in another program, chooses 是 in 基本信息 and
leaves 表三/表四 blank (or types a number there); LibreOffice recalculates the live 校验 sheet, which must agree with
`gkxl check` of the saved file, line by line, and say that the declared table's blanks count as 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from workbook_helpers import check_json, findings_of, openpyxl_edit, write_workbook

from gkxl.excel.checks import COL_STATUS, FAIL, OPEN, PASS
from gkxl.formats import get_format
from gkxl.formats.layout import CHECKS_FIRST_ROW, CHECKS_SHEET, declaration_address, field_address
from gkxl.model import Report
from gkxl.office import convert

pytestmark = pytest.mark.render

YEARS = {"2021": 2023, "2019": 2020}


def sheet(path: Path) -> dict[str, tuple]:
    """The 校验 sheet as LibreOffice computed it: key (R-VALUE lines by their 检查项) → (检查项, left, status); and
    the summary in G1 under "summary"."""
    import openpyxl

    ws = openpyxl.load_workbook(path, data_only=True)[CHECKS_SHEET]
    out: dict[str, tuple] = {"summary": (ws.cell(1, COL_STATUS + 1).value,)}
    for row in ws.iter_rows(min_row=CHECKS_FIRST_ROW + 1, values_only=True):
        if row[0] and row[1]:
            key = row[0] if row[0] != "R-VALUE" else f"{row[0]}:{row[1]}"
            out[key] = (row[1], row[3], row[COL_STATUS])
    return out


def filled_elsewhere(fmt: str, folder: Path, name: str, declare: dict[str, str | None], typed: dict[str, object]) -> Path:
    """gkxl's template for the unit; 表二 typed (0), the declarations chosen, `typed` cells of 表三/表四 typed."""
    spec = get_format(fmt)
    template = write_workbook(Report(fmt, YEARS[fmt], "某某镇人民政府"), folder / f"{name}-模板.xlsx")

    def edit(wb):
        for cid in spec.inputs:
            if cid.startswith("sec2."):
                addr = field_address(spec, cid)
                wb[addr.sheet][addr.a1] = 0
        for key, answer in declare.items():
            addr = declaration_address(spec, key)
            wb[addr.sheet][addr.a1] = answer
        for cid, value in typed.items():
            addr = field_address(spec, cid)
            wb[addr.sheet][addr.a1] = value

    return openpyxl_edit(template, folder / f"{name}.xlsx", edit)


BOTH = {"no_applications": "是", "no_appeals": "是"}
SCENARIOS = {
    # name: (format, declarations, typed cells, gkxl's open keys expected (beyond R-MISSING), summary)
    "declared": ("2021", BOTH, {}, set(), "全部通过"),
    "declared-2019": ("2019", BOTH, {}, set(), "全部通过"),
    "declared-typed-zeros": ("2021", BOTH, {"sec3.new_received.natural_person": 0, "sec4.review.pending": 0}, set(), "全部通过"),
    "contradicted": ("2021", BOTH, {"sec3.new_received.natural_person": 1, "sec3.granted.natural_person": 1},
                     {"R-DECLARATION.no_applications"}, "有1项与零报告声明矛盾"),
    "appeals-only": ("2021", {"no_appeals": "是"}, {}, set(), "尚未填完"),
    "undeclared": ("2021", {"no_applications": "否"}, {}, set(), "尚未填完"),
    "spaced": ("2021", {"no_applications": " 是 ", "no_appeals": "是\u3000"}, {}, {"R-VALUE.no_appeals"}, "有1项与零报告声明矛盾"),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_live_declaration_lines_and_gkxl_check_agree(tmp_path, soffice, name):
    fmt, declare, typed, expected_open, summary = SCENARIOS[name]
    spec = get_format(fmt)
    source = filled_elsewhere(fmt, tmp_path, name, declare, typed)
    saved = convert(source, "xlsx", tmp_path / "lo")
    _, doc = check_json(saved)
    found = findings_of(doc)
    lines = sheet(saved)
    assert lines["summary"] == (summary,), name

    declared = {k for k, v in declare.items() if v.strip(" ") == "是"}  # TRIM's spaces only; 是 + U+3000 is no answer
    for d in spec.declarations:
        item, left, status = lines[f"R-DECLARATION.{d.key}"]
        table = spec.table(d.table).name
        contradicted = f"R-DECLARATION.{d.key}" in found
        invalid = f"R-VALUE.{d.key}" in found  # neither 是, 否 nor blank: one problem, no declaration
        assert (status == FAIL) == (contradicted or invalid) and status in (PASS, FAIL), (name, d.key)
        assert left == (len(found[f"R-DECLARATION.{d.key}"]["cells"]) if contradicted else int(invalid))
        assert item == (f"{table}：已声明零报告，空白按 0 计" if d.key in declared else f"{table}：未声明零报告"), item
    assert {k for k in found if k.startswith(("R-DECLARATION", "R-VALUE"))} == expected_open

    # the equations: ✘ exactly where gkxl finds them unbalanced; 未填完 only where an undeclared table has blanks
    for eq in spec.equations:
        key = f"{eq.rule}.{eq.scope}"
        status = lines[key][2]
        assert (status == FAIL) == (key in found), key
        blank_undeclared = any(f"R-MISSING.{c}" in found for c in spec.leaves(eq.cells))
        assert (status == OPEN) == blank_undeclared, key

    # the blank count: what gkxl finds missing, no more (a declared table's blanks count as filled)
    missing = [k for k in found if k.startswith("R-MISSING.")]
    _, filled, status = lines["R-MISSING"]
    assert filled == len(spec.inputs) - len(missing)
    assert (status == PASS) == (not missing)
    if declared == {"no_applications", "no_appeals"}:
        assert not missing and all(lines[f"{eq.rule}.{eq.scope}"][2] == PASS for eq in spec.equations
                                   if not {c for c in eq.cells} & set(typed))
    # the live draft beside 正文 agrees too (its formula reads the same declaration)
    from gkxl.drafting import REQUESTS, section_drafts
    from gkxl.excel.draft_formula import DRAFT_COL
    from gkxl.excel.reader import read_workbook
    from gkxl.formats.layout import NARRATIVE_SHEET, narrative_address
    import openpyxl

    ws = openpyxl.load_workbook(saved, data_only=True)[NARRATIVE_SHEET]
    shown = ws.cell(narrative_address(spec, REQUESTS).row + 1, DRAFT_COL + 1).value
    assert shown == section_drafts(read_workbook(saved).report)[REQUESTS], name

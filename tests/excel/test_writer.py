"""The locked input workbook: official labels and spans, protection, validation, formulas, identity, determinism."""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from official import HEADINGS, SEC4_INPUTS, SEC4_TOTALS, official

from gkxl.errors import InputError
from gkxl.excel.checks import FAIL, OPEN, PASS
from gkxl.excel.writer import build_workbook
from gkxl.model import Report
from gkxl.rules import run_rules
from gkxl.formats import METADATA, Kind, all_formats, get_format
from gkxl.formats.layout import (
    CHECKS_FIRST_ROW,
    CHECKS_SHEET,
    EXPLAIN_ROWS,
    IDENTITY_KEYS,
    IDENTITY_SHEET,
    INFO_SHEET,
    NARRATIVE_SHEET,
    TABLE_TOP,
    explain_address,
    field_address,
    declaration_address,
    fingerprint,
    info_address,
    narrative_address,
    sheet_order,
    table_sheet,
)
ROOT = Path(__file__).resolve().parents[2]

FORMATS = [f.id for f in all_formats()]
YEAR = {"2021": 2023, "2019": 2020}


def open_wb(data: bytes, **kw) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), **kw)


def blank(fmt: str, *, agency: str = "", lock: bool = False, **kw) -> bytes:
    return build_workbook(Report(fmt, YEAR[fmt], agency), lock_agency=lock, **kw)


# The official tables are typed in tests/official.py (from official-format.md, not from gkxl.formats). A label there is
# (text, row, col, rowspan, colspan), grid-relative (row 0 = the table's first row, below heading and unit line).


def test_typed_lists_have_the_official_sizes():
    """The typed lists themselves: 25 × 7 and 23 × 7 cells in table 三, 15 in table 四 (official-format.md §5)."""
    for fmt, rows in (("2021", 25), ("2019", 23)):
        _, inputs, totals = official(fmt)["表三"]
        assert len(inputs) + len(totals) == rows * 7
    assert len(SEC4_INPUTS) + len(SEC4_TOTALS) == 15


def _merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def _rng(row: int, col: int, rowspan: int, colspan: int) -> str:
    from openpyxl.utils import get_column_letter as L

    r, c = TABLE_TOP + row + 1, col + 1
    return f"{L(c)}{r}:{L(c + colspan - 1)}{r + rowspan - 1}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_table_labels_and_spans_are_the_official_ones(fmt):
    wb = open_wb(blank(fmt))
    for sheet, (labels, inputs, totals) in official(fmt).items():
        ws = wb[sheet]
        assert ws["A1"].value == HEADINGS[sheet]
        seen = set()
        for text, row, col, rowspan, colspan in labels:
            cell = ws.cell(TABLE_TOP + row + 1, col + 1)
            # the official text; a long label is written in lines (where they may end: test_table_label_lines_libreoffice)
            assert cell.value.replace("\n", "") == text, f"{sheet}!{cell.coordinate}"
            if rowspan > 1 or colspan > 1:
                assert _rng(row, col, rowspan, colspan) in _merged(ws), f"{sheet}: {text} should span {rowspan}×{colspan}"
            seen.add((row, col))
        # Nothing else in the grid is text: every other non-empty cell is a number cell (input or total).
        data = {(r, c) for r, c, _ in inputs} | set(totals)
        n_rows = 1 + max(r for _, r, _, rs, _ in labels for r in [r + rs - 1])
        n_rows = max(n_rows, 1 + max(r for r, _ in data))
        for row in range(n_rows):
            for col in range(ws.max_column):
                value = ws.cell(TABLE_TOP + row + 1, col + 1).value
                if (row, col) not in seen and value is not None:
                    assert (row, col) in data and not isinstance(value, str) or str(value).startswith("=SUM("), (sheet, row, col, value)
        # Merged ranges of the grid: exactly the label spans and the wide input cells.
        expected = {_rng(*lb[1:]) for lb in labels if lb[3] > 1 or lb[4] > 1}
        expected |= {_rng(r, c, 1, span) for r, c, span in inputs if span > 1}
        grid = {m for m in _merged(ws) if range_boundaries(m)[1] > TABLE_TOP}
        assert grid == expected, sheet


@pytest.mark.parametrize("fmt", FORMATS)
def test_inputs_and_totals_sit_where_the_official_table_has_them(fmt):
    wb = open_wb(blank(fmt))
    for sheet, (_, inputs, totals) in official(fmt).items():
        ws = wb[sheet]
        unlocked = {(c.row - 1 - TABLE_TOP, c.column - 1) for row in ws.iter_rows() for c in row
                    if not c.protection.locked and c.coordinate not in _merged_tails(ws)}
        assert unlocked == {(r, c) for r, c, _ in inputs}, sheet
        for r, c in totals:
            cell = ws.cell(TABLE_TOP + r + 1, c + 1)
            assert cell.protection.locked and str(cell.value).startswith("=SUM("), (sheet, cell.coordinate)


def _merged_tails(ws) -> set[str]:
    """Cells of merged ranges other than their top-left one."""
    out = set()
    for m in ws.merged_cells.ranges:
        for row in ws.iter_rows(min_row=m.min_row, max_row=m.max_row, min_col=m.min_col, max_col=m.max_col):
            out |= {c.coordinate for c in row[1:]} if row[0].row == m.min_row else {c.coordinate for c in row}
    return out


# --- Protection and validation ------------------------------------------------------------------------------------


def expected_unlocked(fmt: str, *, lock_agency: bool, lock_year: bool = True) -> dict[str, set[tuple[int, int]]]:
    """Per sheet, the 0-based (row, col) cells a filer may type in, from the spec and the layout."""
    spec = get_format(fmt)
    out: dict[str, set] = {name: set() for name in sheet_order(spec)}
    for cid in spec.inputs:
        addr, span = field_address(spec, cid), spec.fields[cid].colspan
        out[addr.sheet] |= {(addr.row, addr.col + k) for k in range(span)}
    for m in METADATA:
        if (m.key == "agency" and lock_agency) or (m.key == "year" and lock_year):
            continue
        addr = info_address(m.key)
        out[addr.sheet].add((addr.row, addr.col))
    for d in spec.declarations:  # 零报告: 是 / 否
        addr = declaration_address(spec, d.key)
        out[addr.sheet].add((addr.row, addr.col))
    for s in spec.sections:
        addr = narrative_address(spec, s.id)
        out[addr.sheet].add((addr.row, addr.col))
    for i in range(EXPLAIN_ROWS):
        for addr in explain_address(i):
            out[addr.sheet].add((addr.row, addr.col))
    return out


def unlocked_cells(ws) -> set[tuple[int, int]]:
    return {(c.row - 1, c.column - 1) for row in ws.iter_rows() for c in row if not c.protection.locked}


def validated_cells(ws) -> set[tuple[int, int]]:
    out = set()
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out |= {(r - 1, c - 1) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)}
    return out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lock_agency,lock_year", [(False, True), (True, True), (False, False)])
def test_only_input_cells_are_unlocked_and_validated(fmt, lock_agency, lock_year):
    data = blank(fmt, agency="示例局" if lock_agency else "", lock=lock_agency, lock_year=lock_year)
    wb = open_wb(data)
    expected = expected_unlocked(fmt, lock_agency=lock_agency, lock_year=lock_year)
    assert set(wb.sheetnames) == set(expected)
    for ws in wb.worksheets:
        assert unlocked_cells(ws) == expected[ws.title], ws.title
        assert validated_cells(ws) == expected[ws.title], ws.title
        for dv in ws.data_validations.dataValidation:  # a short Chinese prompt on every validated cell
            assert dv.showInputMessage and dv.prompt and len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255
            assert re.search(r"[\u4e00-\u9fff]", dv.prompt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_validation_rule_follows_the_kind_of_each_input(fmt):
    spec = get_format(fmt)
    wb = open_wb(blank(fmt))
    for cid in spec.inputs:
        addr = field_address(spec, cid)
        ws = wb[addr.sheet]
        rules = [dv for dv in ws.data_validations.dataValidation if addr.a1 in dv.sqref]
        assert len(rules) == 1, cid
        dv = rules[0]
        assert dv.showErrorMessage and dv.errorStyle in (None, "stop") and dv.error
        kind = spec.fields[cid].kind
        if kind is Kind.COUNT:
            assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0"), cid
        elif kind is Kind.SIGNED:
            assert dv.type == "whole" and dv.operator in (None, "between") and int(dv.formula1) < 0 < int(dv.formula2), cid
        else:
            assert dv.type == "custom", cid
            assert dv.formula1 == f"AND(ISNUMBER({addr.a1}),{addr.a1}>=0,ROUND({addr.a1},6)={addr.a1})", cid  # 万元 to the 分
    assert {spec.fields[c].kind for c in spec.inputs} >= ({Kind.COUNT, Kind.AMOUNT} | ({Kind.SIGNED} if fmt == "2019" else set()))


def _sheet_xml(data: bytes) -> dict[str, str]:
    """Sheet name → its worksheet XML, read from the package itself (not through openpyxl)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    book = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels)) | {
        a: b for b, a in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)
    }
    out = {}
    for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+"(?: state="\w+")? r:id="(rId\d+)"', book):
        out[name] = z.read("xl/" + targets[rid].lstrip("/").removeprefix("xl/")).decode()
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_sheet_is_protected_allowing_select_and_row_and_column_format_only(fmt):
    data = blank(fmt)
    xml = _sheet_xml(data)
    assert set(xml) == set(sheet_order(get_format(fmt)))
    for name, text in xml.items():
        prot = re.search(r"<sheetProtection([^>]*)/>", text)
        assert prot, name
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', prot.group(1)))
        assert attrs.get("sheet") == "1" and "password" not in attrs
        # Row heights and column widths allowed (0 = not protected); cell formats (a number format could make an
        # input show another number than it holds) and inserting/deleting rows and columns forbidden (absent = protected).
        assert attrs.get("formatColumns") == attrs.get("formatRows") == "0", name
        for forbidden in ("formatCells", "insertRows", "insertColumns", "deleteRows", "deleteColumns", "sort", "autoFilter"):
            assert forbidden not in attrs, (name, forbidden)
        assert "selectLockedCells" not in attrs and "selectUnlockedCells" not in attrs
    wb = open_wb(data)
    for ws in wb.worksheets:
        assert ws.protection.sheet and ws.protection.formatCells and ws.protection.insertRows and ws.protection.deleteColumns
        assert not ws.protection.formatRows and not ws.protection.formatColumns
    assert wb.security is not None and wb.security.lockStructure


@pytest.mark.parametrize("fmt", FORMATS)
def test_sheets_in_layout_order_and_identity_very_hidden(fmt):
    spec = get_format(fmt)
    data = blank(fmt, agency="示例市示例区教育局", lock=True)
    wb = open_wb(data)
    assert tuple(wb.sheetnames) == sheet_order(spec)
    assert {ws.title: ws.sheet_state for ws in wb.worksheets if ws.sheet_state != "visible"} == {IDENTITY_SHEET: "veryHidden"}
    ident = wb[IDENTITY_SHEET]
    assert [ident.cell(i + 1, 1).value for i in range(len(IDENTITY_KEYS))] == list(IDENTITY_KEYS)
    values = {ident.cell(i + 1, 1).value: ident.cell(i + 1, 2).value for i in range(len(IDENTITY_KEYS))}
    assert values == {
        "schema": "gkxl.workbook/1", "format": fmt, "template_version": "1", "agency": "示例市示例区教育局",
        "year": str(YEAR[fmt]), "fingerprint": fingerprint(spec), "locked": "1",
    }
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props == {"gkxl_format": fmt, "gkxl_year": str(YEAR[fmt]), "gkxl_agency": "示例市示例区教育局"}
    info = wb[INFO_SHEET]
    agency, year = info[info_address("agency").a1], info[info_address("year").a1]
    assert (agency.value, agency.protection.locked) == ("示例市示例区教育局", True)
    assert (year.value, year.protection.locked) == (YEAR[fmt], True)
    # Each table says for whom and which year, following 基本信息.
    for t in spec.tables:
        line = wb[table_sheet(t)]["A2"].value
        assert line.startswith('="填报单位："&') and "'基本信息'!$B$" in line


def test_blank_template_unlocked_agency_says_locked_0():
    wb = open_wb(blank("2021"))
    ident = wb[IDENTITY_SHEET]
    assert ident.cell(IDENTITY_KEYS.index("locked") + 1, 2).value == "0"
    assert not wb[INFO_SHEET][info_address("agency").a1].protection.locked


def test_committed_year_free_template_has_no_year_in_identity():
    wb = open_wb(blank("2021", lock_year=False))
    assert wb[IDENTITY_SHEET].cell(IDENTITY_KEYS.index("year") + 1, 2).value in (None, "")
    year = wb[INFO_SHEET][info_address("year").a1]
    assert year.value is None and not year.protection.locked
    dv = next(dv for dv in wb[INFO_SHEET].data_validations.dataValidation if year.coordinate in dv.sqref)
    assert (dv.type, dv.formula1, dv.formula2) == ("whole", "2021", "2099")
    wb19 = open_wb(blank("2019", lock_year=False))
    dv = next(dv for dv in wb19[INFO_SHEET].data_validations.dataValidation if year.coordinate in dv.sqref)
    assert (dv.formula1, dv.formula2) == ("2019", "2020")


# --- Formulas and prefilled values --------------------------------------------------------------------------------


def _cells_of(formula: str, here: str) -> set[tuple[str, int, int]]:
    """(sheet, row, col) of every cell a SUM/COUNT formula refers to (ranges expanded)."""
    out = set()
    for sheet, rng in re.findall(r"(?:'([^']+)'!)?(\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)", formula.split("(", 1)[1]):
        c0, r0, c1, r1 = range_boundaries(rng.replace("$", ""))
        out |= {(sheet or here, r - 1, c - 1) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_total_is_a_sum_of_exactly_its_terms(fmt):
    spec = get_format(fmt)
    wb = open_wb(blank(fmt))
    for cid in spec.totals:
        addr = field_address(spec, cid)
        formula = wb[addr.sheet][addr.a1].value
        assert formula.startswith("=SUM("), cid
        terms = {(field_address(spec, t).sheet, field_address(spec, t).row, field_address(spec, t).col) for t in spec.fields[cid].terms}
        assert _cells_of(formula, addr.sheet) == terms, cid


def test_prefilled_values_and_cached_totals(demo_report):
    spec = demo_report.spec
    data = build_workbook(demo_report, lock_agency=True)
    cached = open_wb(data, data_only=True)
    expected = demo_report.with_totals()
    for cid in spec.fields:
        addr = field_address(spec, cid)
        value = cached[addr.sheet][addr.a1].value
        assert Decimal(str(value)) == expected[cid], cid
    info = cached[INFO_SHEET]
    assert info[info_address("issued_on").a1].value.date().isoformat() == demo_report.meta["issued_on"]
    assert info[info_address("issued_on").a1].number_format == "yyyy-mm-dd"
    assert Decimal(str(info[info_address("fee_yuan").a1].value)) == Decimal(demo_report.meta["fee_yuan"])
    assert info[info_address("issuer").a1].value == demo_report.meta["issuer"]
    narrative = cached[NARRATIVE_SHEET]
    for sid, text in demo_report.narrative.items():
        assert narrative[narrative_address(spec, sid).a1].value == text
    # A blank template caches 0 for its totals: what Excel shows before anything is typed.
    empty = open_wb(blank("2021"), data_only=True)
    addr = field_address(spec, spec.totals[0])
    assert empty[addr.sheet][addr.a1].value == 0


def test_text_beginning_with_equals_stays_text():
    report = Report("2021", 2023, "=HYPERLINK(\"http://x\")", narrative={"problems": "=SUM(A1:A9)", "improvements": "+1 -2"},
                    explanations={"R-MISSING.sec2.fees.amount_wan": "=本年度未收费，按规定填 0"}, meta={"issuer": "=1+1"})
    data = build_workbook(report, lock_agency=False)
    wb = open_wb(data)
    spec = report.spec
    for sheet, a1, text in (
        (NARRATIVE_SHEET, narrative_address(spec, "problems").a1, "=SUM(A1:A9)"),
        (NARRATIVE_SHEET, narrative_address(spec, "improvements").a1, "+1 -2"),
        (INFO_SHEET, info_address("agency").a1, report.agency),
        (INFO_SHEET, info_address("issuer").a1, "=1+1"),
        ("说明", explain_address(0)[1].a1, "=本年度未收费，按规定填 0"),
    ):
        cell = wb[sheet][a1]
        assert cell.value == text and cell.data_type == "s", (sheet, a1)
        xml = _sheet_xml(data)[sheet]
        raw = re.search(rf'<c r="{a1}"[^>]*?(?:/>|>.*?</c>)', xml).group(0)
        assert 't="s"' in raw and "<f>" not in raw, raw


def test_word_line_breaks_become_newlines_and_control_characters_are_refused():
    report = Report("2021", 2023, "示例局", narrative={"problems": "第一段\x0b第二段\r\n第三段"})
    wb = open_wb(build_workbook(report, lock_agency=True))
    assert wb[NARRATIVE_SHEET][narrative_address(report.spec, "problems").a1].value == "第一段\n第二段\n第三段"
    bad = Report("2021", 2023, "示例局", narrative={"overview.active": "本年\x01发布"})
    with pytest.raises(InputError) as exc:
        build_workbook(bad, lock_agency=True)
    assert "控制字符" in str(exc.value) and "一、总体情况（一）主动公开" in str(exc.value) and "U+0001" in str(exc.value)
    with pytest.raises(InputError, match="长度上限"):
        build_workbook(Report("2021", 2023, "示例局", narrative={"problems": "字" * 40000}), lock_agency=True)
    with pytest.raises(InputError, match="最多容纳"):
        build_workbook(Report("2021", 2023, explanations={f"R-MISSING.{i}": "原因说明文字" for i in range(EXPLAIN_ROWS + 1)}), lock_agency=False)


# --- The 校验 sheet -----------------------------------------------------------------------------------------------


def check_rows(ws, spec) -> list[list]:
    n = len(spec.equations) + 1
    return [[ws.cell(CHECKS_FIRST_ROW + i + 1, c + 1).value for c in range(7)] for i in range(n)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_checks_sheet_one_line_per_equation_balance_first(fmt):
    spec = get_format(fmt)
    wb = open_wb(blank(fmt))
    rows = check_rows(wb[CHECKS_SHEET], spec)
    eqs = [e for e in spec.equations if e.rule == "R-BALANCE"] + [e for e in spec.equations if e.rule != "R-BALANCE"]
    # Column A holds the finding key to copy into 说明; column B says the scope in the official words, no English id.
    assert [r[0] for r in rows[:-1]] == [f"{e.rule}.{e.scope}" for e in eqs]
    for e, r in zip(eqs, rows):
        fix = spec.fields[e.fix]
        assert r[1] in (fix.col_labels[-1], fix.row_text) and not re.search(r"[a-z_]{3}", r[1]), r
    assert rows[-1][0] == "R-MISSING"
    assert all(r[2].startswith(("表三勾稽关系", "办理结果合计", "申请人合计", "复议诉讼合计")) for r in rows[:-1])
    for eq, row in zip(eqs, rows):
        left, right = row[3], row[4]
        addr = {(field_address(spec, c).sheet, field_address(spec, c).row, field_address(spec, c).col) for c in eq.lhs}
        assert _cells_of(left, CHECKS_SHEET) == addr
        addr = {(field_address(spec, c).sheet, field_address(spec, c).row, field_address(spec, c).col) for c in eq.rhs}
        assert _cells_of(right, CHECKS_SHEET) == addr
    # Conditional formats colour ✔, ✘ and 未填完.
    rules = [r for cf in wb[CHECKS_SHEET].conditional_formatting for r in cf.rules]
    formulas = {f for r in rules for f in (r.formula or [])}
    assert {f'"{PASS}"', f'"{FAIL}"', f'"{OPEN}"'} <= formulas


def test_checks_sheet_cached_results_equal_python(demo_report):
    spec = demo_report.spec
    bad = Report(demo_report.format, demo_report.year, demo_report.agency, dict(demo_report.values))
    bad.values["sec3.new_received.natural_person"] += 3
    bad.values["sec4.review.total"] = 99  # a given total is not written: the formula computes it
    del bad.values["sec3.carried_forward.business"]
    ws = open_wb(build_workbook(bad, lock_agency=True), data_only=True)[CHECKS_SHEET]
    rows = check_rows(ws, spec)
    inputs = {k: v for k, v in bad.values.items() if spec.fields[k].is_input}
    values = Report(bad.format, bad.year, values=inputs).with_totals()
    findings = run_rules(Report(bad.format, bad.year, values=inputs))
    failing = {(f.rule, f.scope) for f in findings if f.rule in ("R-BALANCE", "R-ROW-TOTAL", "R-RESULTS-SUM", "R-SEC4-TOTAL")}
    eqs = [e for e in spec.equations if e.rule == "R-BALANCE"] + [e for e in spec.equations if e.rule != "R-BALANCE"]
    for eq, row in zip(eqs, rows):
        if all(c in values for c in eq.cells):
            diff = sum(values[c] for c in eq.lhs) - sum(values[c] for c in eq.rhs)
            assert row[5] == diff and row[6] == (PASS if diff == 0 else FAIL), (eq.rule, eq.scope)
            assert (row[6] == FAIL) == ((eq.rule, eq.scope) in failing)
        else:
            assert row[6] == OPEN, (eq.rule, eq.scope)
    # The 总计 column's balance depends on the blank 商业企业 cell: not evaluated, as the rule engine does not.
    assert {r[0] for r in rows if r[6] == FAIL} == {"R-BALANCE.natural_person"}
    assert {r[0] for r in rows if r[6] == OPEN} >= {"R-BALANCE.business", "R-BALANCE.total"}
    assert rows[-1][5] == 1 and rows[-1][6] == OPEN
    assert ws["G1"].value == "有1项不平衡"


# --- Printing, determinism, committed templates -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_tables_print_on_a4_one_page_wide_with_repeated_headers(fmt):
    spec = get_format(fmt)
    wb = open_wb(blank(fmt))
    for t in spec.tables:
        ws = wb[table_sheet(t)]
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.print_area == f"'{ws.title}'!$A$1:${_col(t.n_cols)}${TABLE_TOP + t.n_rows}"
        assert ws.print_title_rows == f"$1:${TABLE_TOP + t.header_rows}"


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_input_gives_the_same_bytes(fmt):
    assert blank(fmt, agency="示例局", lock=True) == blank(fmt, agency="示例局", lock=True)
    assert blank(fmt, agency="示例局", lock=True) != blank(fmt, agency="示例局二", lock=True)


def test_committed_blank_templates_are_current():
    spec_ = importlib.util.spec_from_file_location("workbook_templates_build", ROOT / "workbook_templates" / "build.py")
    module = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(module)
    built = module.blank_templates()
    assert set(built) == {f"空白模板_{f}格式.xlsx" for f in FORMATS}
    for name, data in built.items():
        path = ROOT / "workbook_templates" / name
        assert path.exists(), f"{name} missing: run python workbook_templates/build.py"
        assert path.read_bytes() == data, f"{name} is stale: run python workbook_templates/build.py"


# --- The text sheets ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_narrative_sheet_one_input_per_section_with_what_it_must_contain(fmt):
    spec = get_format(fmt)
    ws = open_wb(blank(fmt))[NARRATIVE_SHEET]
    titles = []
    for s in spec.sections:
        addr = narrative_address(spec, s.id)
        titles.append(ws.cell(addr.row + 1, 1).value)
        assert ws.cell(addr.row + 1, 3).value == s.hint
        assert ws[addr.a1].alignment.wrap_text and ws.row_dimensions[addr.row + 1].height >= 100
    # The six official headings, typed from official-format.md §1.3, name the sections a filer writes.
    assert titles[0].startswith("开头段")
    assert titles[1] == "一、总体情况（一）主动公开" and titles[5] == "一、总体情况（五）监督保障"
    assert titles[6].startswith("五、存在的主要问题及改进情况") and titles[8] == "六、其他需要报告的事项"
    six = ws.cell(narrative_address(spec, "other_matters").row + 1, 3).value
    assert ("信息处理费" in six) == (fmt == "2021")


@pytest.mark.parametrize("fmt", FORMATS)
def test_guide_and_info_sheets(fmt):
    wb = open_wb(blank(fmt))
    guide = " ".join(str(c.value) for row in wb["填报说明"].iter_rows() for c in row if c.value)
    for needle in ("1月31日", "2月20日", "3月10日", "填 0", "空白表示“未填写”，不等于 0", "核实", "说明", get_format(fmt).document):
        assert needle in guide, needle
    assert ("可以为负数" in guide) == (fmt == "2019")
    info = wb[INFO_SHEET]
    assert [info.cell(info_address(m.key).row + 1, 1).value for m in METADATA] == [m.label for m in METADATA]
    assert info.cell(info_address("agency").row + 1, 1).value == "机关全称"
    assert info.cell(info_address("year").row + 1, 1).value == "年度"

"""The locked input workbook: `build_workbook(report)` writes a blank template or a prefilled one, in memory.

Protection is a guard-rail against slips, not security (no password; xlsxwriter only has the legacy hash):
the reader re-validates every value and recomputes every total.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Sequence

from xlsxwriter.workbook import Workbook

from ..formats.layout import (
    CHECKS_SHEET,
    EXPLAIN_SHEET,
    GUIDE_SHEET,
    IDENTITY_KEYS,
    IDENTITY_SHEET,
    INFO_SHEET,
    NARRATIVE_SHEET,
    TEMPLATE_VERSION,
    UNITS_SHEET,
    fingerprint,
    identity_address,
    sheet_order,
    table_sheet,
)
from ..model import Report
from ..rules.pack import Pack
from .cells import clean_text, sheet_values
from .checks import write_checks
from .context import Build
from .forms import write_explanations, write_guide, write_info, write_narrative
from .styles import Styles
from .tables import write_table

SCHEMA = "gkxl.workbook/1"

# Sheet protection: True = the filer may still do it (xlsxwriter semantics, checked against the XML in the tests).
# Cell formats are protected: a number format on an input cell could make it show another number than it holds
# (the reader refuses such a cell). Row heights and column widths stay free, so a long 正文 can be made readable.
PROTECTION = {
    "select_locked_cells": True,
    "select_unlocked_cells": True,
    "format_cells": False,
    "format_columns": True,
    "format_rows": True,
    "insert_rows": False,
    "insert_columns": False,
    "delete_rows": False,
    "delete_columns": False,
    "insert_hyperlinks": False,
    "sort": False,
    "autofilter": False,
    "objects": False,
    "scenarios": False,
}


class _LockedWorkbook(Workbook):
    """A Workbook whose structure is protected: no sheet can be added, deleted, renamed, moved or unhidden.

    xlsxwriter has no option for it; <workbookProtection lockStructure="1"/> is written right after
    <workbookPr>, where the schema (CT_Workbook) puts it. No password: it only prevents slips.
    """

    def _write_workbook_pr(self) -> None:
        super()._write_workbook_pr()
        self._xml_empty_tag("workbookProtection", [("lockStructure", 1)])


def identity(report: Report, *, lock_agency: bool, lock_year: bool = True) -> dict[str, str]:
    """The identity block, key → text, in IDENTITY_KEYS order: what tells a gkxl workbook, its format and its unit."""
    spec = report.spec
    values = {
        "schema": SCHEMA,
        "format": spec.id,
        "template_version": TEMPLATE_VERSION,
        "agency": report.agency,
        "year": str(report.year) if lock_year else "",
        "fingerprint": fingerprint(spec),
        "locked": "1" if lock_agency else "0",
    }
    return {k: values[k] for k in IDENTITY_KEYS}


MISSING_MARK = "不完整："  # on the 汇总单位 sheet: the units a 汇总 lacks follow this line


def build_workbook(
    report: Report, *, lock_agency: bool, lock_year: bool = True, units: Sequence[str] = (), missing: Sequence[str] = (),
    requirements: Pack | None = None,
) -> bytes:
    """The whole workbook as .xlsx bytes; the same report always gives the same bytes.

    report: a blank template is a Report without values; `gkxl fill` passes values, narrative, metadata and
    说明 to prefill. Only input values are written: totals are formulas (their cached results computed
    here from the inputs, blanks counting as 0, as a spreadsheet does).
    lock_agency: the unit is prefilled and locked (a template made for one unit).
    lock_year: the year is prefilled and locked (default); False leaves it a blank input (the committed
    blank templates, which serve any year of their format).
    units: for a 汇总 workbook, the units whose data it sums (listed on their own sheet before the identity);
    missing: the units it lacks (a 汇总 不完整), listed there in column B under a heading beginning with MISSING_MARK.
    requirements: a requirement pack whose items the 正文 sheet lists beside their sections, with a live check.
    """
    spec = report.spec
    agency = clean_text(report.agency, where="机关全称", sheet=INFO_SHEET)
    report = dataclasses.replace(report, agency=agency)
    inputs = {cid: v for cid, v in report.values.items() if cid in spec.fields and spec.fields[cid].is_input}
    buf = io.BytesIO()
    wb = _LockedWorkbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    # Fixed document dates keep the output byte-identical for the same input (zip entries are dated 1980 anyway).
    created = dt.datetime(report.year + 1, 1, 1) if lock_year else dt.datetime(2021, 1, 1)
    wb.set_properties({
        "title": f"{agency or '空白'} {report.year if lock_year else ''}年度政府信息公开工作年度报告填报模板",
        "subject": spec.title,
        "author": "gkxl",
        "company": agency,
        "comments": f"{spec.document}；gkxl 模板版本 {TEMPLATE_VERSION}",
        "created": created,
    })
    wb.set_custom_property("gkxl_format", spec.id, "text")
    wb.set_custom_property("gkxl_year", str(report.year) if lock_year else "", "text")
    wb.set_custom_property("gkxl_agency", agency, "text")
    wb.set_calc_mode("auto")

    b = Build(wb, Styles(wb), spec, report, inputs, sheet_values(spec, inputs), lock_agency, lock_year, requirements)
    writers = {INFO_SHEET: lambda: write_info(b)}
    for table in spec.tables:
        writers[table_sheet(table)] = lambda t=table: write_table(b, t)
    writers.update({
        NARRATIVE_SHEET: lambda: write_narrative(b),
        EXPLAIN_SHEET: lambda: write_explanations(b),
        CHECKS_SHEET: lambda: write_checks(b),
        GUIDE_SHEET: lambda: write_guide(b),
        IDENTITY_SHEET: lambda: _write_identity(b),
    })
    for name in sheet_order(spec):
        if name == IDENTITY_SHEET and units:
            _write_units(b, units, missing)
        writers[name]()
    for ws in wb.worksheets():
        ws.protect("", PROTECTION)
    wb.worksheets()[0].activate()
    wb.close()
    return buf.getvalue()


def _write_identity(b: Build) -> None:
    ws = b.wb.add_worksheet(IDENTITY_SHEET)
    for key, value in identity(b.report, lock_agency=b.lock_agency, lock_year=b.lock_year).items():
        addr = identity_address(key)
        ws.write_string(addr.row, 0, key, b.st.identity)
        ws.write_string(addr.row, addr.col, value, b.st.identity)
    ws.set_column(0, 1, 24)
    ws.very_hidden()


def _write_units(b: Build, units: Sequence[str], missing: Sequence[str] = ()) -> None:
    ws = b.wb.add_worksheet(UNITS_SHEET)
    ws.set_column(0, 0, 50)
    ws.write_string(0, 0, f"本汇总数据由以下{len(units)}个单位的报告逐格相加得出", b.st.identity)
    for row, unit in enumerate(units, 1):
        ws.write_string(row, 0, clean_text(unit, where="单位名称", sheet=UNITS_SHEET), b.st.identity)
    if missing:  # beside the units: column A stays the list of units summed
        ws.set_column(1, 1, 50)
        ws.write_string(0, 1, f"{MISSING_MARK}以下{len(missing)}个单位的数据未纳入本汇总", b.st.identity)
        for row, unit in enumerate(missing, 1):
            ws.write_string(row, 1, clean_text(unit, where="单位名称", sheet=UNITS_SHEET), b.st.identity)

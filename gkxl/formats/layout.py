"""Where everything sits in the input workbook: the only place where a cell id becomes a sheet and an A1 address.

The workbook writer places cells here and the reader looks for them here; the fingerprint of this layout
is stored in the workbook, so a reader can tell a workbook laid out by another template version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from .common import HEADINGS, METADATA, SECTION_PART
from .schema import Format, Section, Table

TEMPLATE_VERSION = "1"

INFO_SHEET = "基本信息"
NARRATIVE_SHEET = "正文"
CHECKS_SHEET = "校验"
EXPLAIN_SHEET = "说明"
GUIDE_SHEET = "填报说明"
IDENTITY_SHEET = "_gkxl"
UNITS_SHEET = "汇总单位"  # only in a 汇总 workbook: the units whose data it sums

TABLE_TOP = 2  # sheet row (0-based) of a table's first grid row: row 0 is its heading, row 1 unit and year
INFO_FIRST_ROW = 1  # row 0 holds the column headers 项目 / 内容 / 说明
NARRATIVE_FIRST_ROW = 1
EXPLAIN_FIRST_ROW = 1
EXPLAIN_ROWS = 40  # how many 说明 lines a filer can give
CHECKS_FIRST_ROW = 2  # row 0 title, row 1 column headers
VALUE_COL = 1  # column B holds the values of 基本信息, the text of 正文 and the 说明 of 说明

# The identity block (very hidden sheet _gkxl): key in column A, value in column B, one key a row.
IDENTITY_KEYS = ("schema", "format", "template_version", "agency", "year", "fingerprint", "locked")


@dataclass(frozen=True)
class Address:
    sheet: str
    row: int  # 0-based
    col: int  # 0-based

    @property
    def a1(self) -> str:
        return a1(self.row, self.col)

    def __str__(self) -> str:
        return f"{self.sheet}!{self.a1}"


def column_letter(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def a1(row: int, col: int) -> str:
    return f"{column_letter(col)}{row + 1}"


def table_sheet(table: Table) -> str:
    return table.name


def field_address(spec: Format, cell_id: str) -> Address:
    fld = spec.fields[cell_id]
    return Address(table_sheet(spec.table_of[cell_id]), TABLE_TOP + fld.row, fld.col)


def info_address(key: str) -> Address:
    keys = [m.key for m in METADATA]
    return Address(INFO_SHEET, INFO_FIRST_ROW + keys.index(key), VALUE_COL)


def declaration_address(spec: Format, key: str) -> Address:
    """The 是/否 cell of a 零报告 declaration: 基本信息, the rows below the metadata, in the format's order."""
    keys = [d.key for d in spec.declarations]
    return Address(INFO_SHEET, INFO_FIRST_ROW + len(METADATA) + keys.index(key), VALUE_COL)


def info_rows(spec: Format) -> int:
    """How many rows of 基本信息 hold an item (metadata, then declarations) below the column headers."""
    return len(METADATA) + len(spec.declarations)


def narrative_address(spec: Format, section_id: str) -> Address:
    return Address(NARRATIVE_SHEET, NARRATIVE_FIRST_ROW + spec.section_ids.index(section_id), VALUE_COL)


def section_title(section: Section) -> str:
    """How a narrative section is named to a filer, e.g. "一、总体情况（一）主动公开"."""
    part = SECTION_PART[section.id]
    if part < 0:
        return "开头段（报告依据和统计期限）"
    return HEADINGS[part] + section.heading


def explain_address(index: int) -> tuple[Address, Address]:
    """The (key, 说明) cells of the index-th 说明 line."""
    row = EXPLAIN_FIRST_ROW + index
    return Address(EXPLAIN_SHEET, row, 0), Address(EXPLAIN_SHEET, row, VALUE_COL)


def identity_address(key: str) -> Address:
    return Address(IDENTITY_SHEET, IDENTITY_KEYS.index(key), VALUE_COL)


def sheet_order(spec: Format) -> tuple[str, ...]:
    return (INFO_SHEET, *(table_sheet(t) for t in spec.tables), NARRATIVE_SHEET, EXPLAIN_SHEET, CHECKS_SHEET, GUIDE_SHEET, IDENTITY_SHEET)


@lru_cache(maxsize=None)
def fingerprint(spec: Format, *, declarations: bool = True) -> str:
    """A digest of everything a reader relies on: sheets, labels and spans, cell ids and their addresses.

    declarations=False: the digest of the templates made before 基本信息 had the 零报告 declarations (gkxl's first
    rounds). The reader still reads such a workbook, with no declaration made: its 基本信息 rows are unchanged.
    """
    h = hashlib.sha256()

    def put(*parts: object) -> None:
        h.update(("\x1f".join(map(str, parts)) + "\x1e").encode("utf-8"))

    put("gkxl-layout", spec.id, TEMPLATE_VERSION, *sheet_order(spec))
    for t in spec.tables:
        put(t.key, t.name, t.heading, t.n_rows, t.n_cols)
        for lb in t.labels:
            put("L", lb.text, TABLE_TOP + lb.row, lb.col, lb.rowspan, lb.colspan)
        for f in t.fields:
            put("F", f.id, TABLE_TOP + f.row, f.col, f.colspan, f.kind.value, *f.terms)
    for m in METADATA:
        put("M", m.key, info_address(m.key))
    if declarations:
        for d in spec.declarations:
            put("D", d.key, d.table, declaration_address(spec, d.key))
    for s in spec.sections:
        put("S", s.id, narrative_address(spec, s.id))
    put("X", EXPLAIN_FIRST_ROW, EXPLAIN_ROWS)
    return h.hexdigest()[:16]

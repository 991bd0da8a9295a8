"""Small pieces the workbook writer shares: cell references, rectangles of cells, totals as a spreadsheet computes them, safe text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from ..errors import InputError
from ..formats import Format
from ..formats.layout import Address, a1, field_address

Number = int | Decimal

# Excel keeps at most 32 767 UTF-16 units in a cell; xlsxwriter would cut a longer text silently.
MAX_CELL_TEXT = 32767
# Characters XML 1.0 cannot hold (Excel, WPS and Word refuse a file with them), except the two below.
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Word writes a manual line break as \x0b and a page break as \x0c: both mean "new line" in a cell.
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def clean_text(text: str, *, where: str, sheet: str = "", cell: str = "") -> str:
    """Text as a cell can hold it: line ends as \\n, Word's line and page breaks as \\n.

    Any other control character is refused (never dropped silently): the filer is told where it is.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_BREAKS)
    bad = _ILLEGAL.search(text)
    if bad:
        code = f"U+{ord(bad.group()):04X}"
        raise InputError(f"{where}第{bad.start() + 1}个字符是不可见的控制字符（{code}），Excel 无法保存，请删除后重试", sheet=sheet, cell=cell)
    if len(text.encode("utf-16-le")) // 2 > MAX_CELL_TEXT:
        raise InputError(f"{where}超过 Excel 单元格的长度上限（{MAX_CELL_TEXT} 字），请精简或分段", sheet=sheet, cell=cell)
    return text


def ref(addr: Address, here: str, *, absolute: bool = False) -> str:
    """A1 reference to addr from a formula on sheet `here`; the sheet name quoted where it is another sheet."""
    cell = addr.a1
    if absolute:
        letters = cell.rstrip("0123456789")
        cell = f"${letters}${cell[len(letters):]}"
    return cell if addr.sheet == here else f"'{addr.sheet}'!{cell}"


def rectangles(cells: Iterable[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Cover a set of (row, col) cells with few rectangles (first_row, first_col, last_row, last_col), exactly."""
    by_col: dict[int, list[int]] = {}
    for row, col in set(cells):
        by_col.setdefault(col, []).append(row)
    runs: list[tuple[int, int, int]] = []  # (first_row, last_row, col)
    for col, rows in by_col.items():
        rows.sort()
        start = prev = rows[0]
        for row in rows[1:]:
            if row != prev + 1:
                runs.append((start, prev, col))
                start = row
            prev = row
        runs.append((start, prev, col))
    # Vertical runs with the same rows in adjacent columns become one rectangle.
    runs.sort()
    out: list[tuple[int, int, int, int]] = []
    for first, last, col in runs:
        if out and out[-1][0] == first and out[-1][2] == last and out[-1][3] == col - 1:
            out[-1] = (first, out[-1][1], last, col)
        else:
            out.append((first, col, last, col))
    return sorted(out)


def a1_range(rect: tuple[int, int, int, int]) -> str:
    r0, c0, r1, c1 = rect
    return a1(r0, c0) if (r0, c0) == (r1, c1) else f"{a1(r0, c0)}:{a1(r1, c1)}"


def refs(addrs: Iterable[Address], here: str) -> list[str]:
    """References covering these cells (per sheet, as few ranges as possible), for SUM/COUNT arguments."""
    by_sheet: dict[str, list[tuple[int, int]]] = {}
    for ad in addrs:
        by_sheet.setdefault(ad.sheet, []).append((ad.row, ad.col))
    out = []
    for sheet, cells in by_sheet.items():
        for rect in rectangles(cells):
            text = a1_range(rect)
            out.append(text if sheet == here else f"'{sheet}'!{text}")
    return out


def sum_formula(spec: Format, ids: Iterable[str], here: str) -> str:
    return "SUM(" + ",".join(refs((field_address(spec, i) for i in ids), here)) + ")"


def leaves(spec: Format, ids: Iterable[str]) -> list[str]:
    """The input cells these cells are computed from (Format.leaves)."""
    return list(spec.leaves(ids))


def sheet_values(spec: Format, inputs: Mapping[str, Number]) -> dict[str, Number]:
    """Every cell as a spreadsheet shows it: the inputs given, a blank as 0 in a total (SUM ignores blanks).

    Where all terms of a total are given this is the total Report.with_totals() computes.
    """
    out: dict[str, Number] = {}

    def value(cid: str) -> Number:
        if cid in out:
            return out[cid]
        fld = spec.fields[cid]
        v = sum((value(t) for t in fld.terms), 0) if fld.terms else inputs.get(cid, 0)
        out[cid] = v
        return v

    for cid in spec.fields:
        value(cid)
    return out

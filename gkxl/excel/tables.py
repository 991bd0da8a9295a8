"""The sheets 表二, 表三, 表四: the official grid (labels, spans), input cells, total formulas, validation, printing."""

from __future__ import annotations

import math
from collections import defaultdict

from ..formats import Field, Kind, Label, Table
from ..formats import lines as label_breaks
from ..formats.layout import TABLE_TOP, a1, field_address, info_address, table_sheet
from .cells import a1_range, rectangles, ref, sum_formula
from .context import PT_PER_MM, PX_PER_MM, Build, number_validation
from .styles import SIZE, SMALL

LINE_PT = 1.35  # line height as a multiple of the font size
PAD_MM = 1.6  # cell padding left and right, taken off the width available to text
SLACK = 0.2  # characters kept free on a label's line besides PAD_MM (Excel's padding is less; LibreOffice's cells
# are wider than their nominal width)


def text_width_mm(text: str, size: float) -> float:
    """Printed width of a text: a CJK or full-width character is one em wide, ASCII half of it."""
    em = size / PT_PER_MM
    return sum(em if ord(ch) > 0x2000 else em * 0.55 for ch in text)


def lines_needed(text: str, width_mm: float, size: float) -> int:
    per_line = max(width_mm - PAD_MM, 1.0)
    return max(1, sum(math.ceil(text_width_mm(part, size) / per_line) or 1 for part in text.split("\n")))


def label_text(lb: Label, width_mm: float, size: float) -> str:
    """A label as written in its cell: explicit line breaks only between words (gkxl.formats.lines, as in the Word
    tables), so the spreadsheet never wraps it inside a word; one that fits stays one line."""
    room = (width_mm - PAD_MM) / (size / PT_PER_MM) - SLACK
    return "\n".join(label_breaks.label_lines(lb.text, room))


def unit_line(b: Build, here: str) -> tuple[str, str]:
    """Formula and cached text of the 填报单位/年度 line under a table heading; it follows 基本信息."""
    agency, year = info_address("agency"), info_address("year")
    formula = f'="填报单位："&{ref(agency, here, absolute=True)}&"　　　　年度："&{ref(year, here, absolute=True)}'
    shown_year = str(b.report.year) if b.lock_year else ""
    return formula, f"填报单位：{b.report.agency}　　　　年度：{shown_year}"


def write_table(b: Build, table: Table) -> None:
    ws = b.wb.add_worksheet(table_sheet(table))
    st, small = b.st, table.small
    size = SMALL if small else SIZE
    widths = table.col_widths_mm
    for col, mm in enumerate(widths):
        ws.set_column_pixels(col, col, round(mm * PX_PER_MM))
    last_col = table.n_cols - 1
    ws.merge_range(0, 0, 0, last_col, table.heading, st.heading)
    formula, cached = unit_line(b, ws.name)
    ws.merge_range(1, 0, 1, last_col, None, st.unit_line)
    ws.write_formula(1, 0, formula, st.unit_line, cached)
    ws.set_row(0, 26)
    ws.set_row(1, 20)

    heights = _row_heights(table, size)
    for r, h in enumerate(heights):
        ws.set_row(TABLE_TOP + r, h)

    for lb in table.labels:
        role, width = lb.role, sum(widths[lb.col : lb.col + lb.colspan])
        vertical = role == "label" and _stacked(lb.text, lb.rowspan, width, size)
        fmt = st.table("vertical" if vertical else role, small)
        text = lb.text if vertical else label_text(lb, width, size)
        r0, c0 = TABLE_TOP + lb.row, lb.col
        if lb.rowspan > 1 or lb.colspan > 1:
            ws.merge_range(r0, c0, r0 + lb.rowspan - 1, c0 + lb.colspan - 1, text, fmt)
        else:
            ws.write_string(r0, c0, text, fmt)

    by_kind: dict = defaultdict(list)
    for fld in table.fields:
        _write_field(b, ws, fld, small)
        addr = field_address(b.spec, fld.id)
        if fld.is_input and fld.kind is Kind.AMOUNT:
            # A custom formula is relative to its range, and the message names the unit: one rule per amount cell.
            options = number_validation(fld.kind, addr.a1, fld.col_labels)
            ws.data_validation(addr.row, addr.col, addr.row, addr.col + fld.colspan - 1, options)
        elif fld.is_input:
            by_kind[fld.kind].append((addr.row, addr.col, addr.col + fld.colspan - 1))
    for kind, spans in by_kind.items():
        cells = [(r, c) for r, c0, c1 in spans for c in range(c0, c1 + 1)]
        rects = rectangles(cells)
        opts = number_validation(kind, a1(rects[0][0], rects[0][1]))
        if len(rects) > 1:
            opts["multi_range"] = " ".join(a1_range(r) for r in rects)
        ws.data_validation(*rects[0], opts)

    first_input_col = min(f.col for f in table.fields)
    ws.freeze_panes(TABLE_TOP + table.header_rows, first_input_col if table.header_rows else 0)
    _print_setup(ws, table)


def _write_field(b: Build, ws, fld: Field, small: bool) -> None:
    addr = field_address(b.spec, fld.id)
    fmt = b.st.table("input" if fld.is_input else "total", small)
    if fld.colspan > 1:
        ws.merge_range(addr.row, addr.col, addr.row, addr.col + fld.colspan - 1, None, fmt)
    if fld.is_total:
        # Locked formula; its cached result is what the sheet computes, so readers and viewers that do not
        # recalculate show the right number.
        ws.write_formula(addr.row, addr.col, "=" + sum_formula(b.spec, fld.terms, ws.name), fmt, _number(b.shown[fld.id]))
    elif fld.id in b.inputs:
        ws.write_number(addr.row, addr.col, _number(b.inputs[fld.id]), fmt)
    else:
        ws.write_blank(addr.row, addr.col, None, fmt)


def _number(value) -> int | float:
    # The xlsx file stores IEEE doubles: every value parse_value accepts (at most 15 significant digits) is read
    # back exactly, as the reader rounds to Excel's 15 digits.
    return value if isinstance(value, int) else float(value)


def _stacked(text: str, rowspan: int, width_mm: float, size: float) -> bool:
    """A label tall and narrow enough to be printed one character under the other, as the official table does."""
    em = size / PT_PER_MM
    return rowspan >= 3 and width_mm - PAD_MM < 3 * em and len(text) > 2


def _row_heights(table: Table, size: float) -> list[float]:
    """Row heights (points) tall enough for every wrapped label: Excel does not grow rows for merged cells."""
    line = size * LINE_PT
    heights = [line + 6.0] * table.n_rows
    widths = table.col_widths_mm
    spanning = []
    for lb in table.labels:
        width = sum(widths[lb.col : lb.col + lb.colspan])
        if lb.role == "label" and _stacked(lb.text, lb.rowspan, width, size):
            need = len(lb.text) * line * 0.9 + 6
        else:
            need = lines_needed(label_text(lb, width, size), width, size) * line + 6
        if lb.rowspan == 1:
            heights[lb.row] = max(heights[lb.row], need)
        else:
            spanning.append((lb.row, lb.rowspan, need))
    for row, span, need in spanning:  # grow the spanned rows evenly where they are together too short
        have = sum(heights[row : row + span])
        if have < need:
            for r in range(row, row + span):
                heights[r] += (need - have) / span
    return [round(h, 1) for h in heights]


def _print_setup(ws, table: Table) -> None:
    ws.set_paper(9)  # A4
    ws.set_portrait()
    ws.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    ws.center_horizontally()
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, TABLE_TOP + table.n_rows - 1, table.n_cols - 1)
    ws.repeat_rows(0, TABLE_TOP + table.header_rows - 1)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.print_black_and_white()  # the fills guide the filer on screen; the printed table looks like the official one
    ws.hide_gridlines(2)

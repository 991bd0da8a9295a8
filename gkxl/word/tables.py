"""The official tables as WordprocessingML: one skeleton per format (labels, merges, widths), copied and filled per report.

Everything comes from gkxl.formats: the grid, the label texts and spans, the data cells and the column widths.
A skeleton is built once per process and format; a report only deep-copies it and writes its numbers.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from ..formats import Field, Format, Label, Table
from ..formats import lines as label_breaks
from ..values import format_number
from . import styles as st
from .ooxml import el, mm_to_twips, pt_to_twips, sub, w

LEFT_ALIGN_MM = 30.0  # a row label in a cell at least this wide is set flush left; narrower ones are centred
SHORT_TABLE_ROWS = 16  # tables up to this many rows get roomier rows; longer ones (表三) stay compact


@dataclass
class Skeleton:
    """A table ready to copy: the element, and where each field's number goes (row, cell child indices)."""

    table: Table
    element: etree._Element
    slots: dict[str, tuple[int, int]]


def _style_for(table: Table, item: Label | Field) -> str:
    small = table.small
    if isinstance(item, Field):
        return st.S_TABLE_SMALL if small else st.S_TABLE
    if item.role in ("caption", "header"):
        return st.S_TABLE_HEAD_SMALL if small else st.S_TABLE_HEAD
    if item.role == "note":
        return st.S_TABLE_NOTE_SMALL if small else st.S_TABLE_NOTE
    return st.S_TABLE_SMALL if small else st.S_TABLE


SLACK = 0.4  # characters kept free on a line: the renderer's glyphs are a little wider than their nominal size


def label_lines(text: str, width_twips: int, size_pt: float) -> list[str]:
    """A label in as few lines as fit the cell, each ending between words (gkxl.formats.lines, shared with the
    workbook's tables): never inside a word, never one character alone."""
    return label_breaks.label_lines(text, (width_twips - 2 * st.CELL_MARGIN_TWIPS) / (size_pt * 20) - SLACK)


def _paragraph(style: str, text: str, fonts: dict[str, str], jc: str | None = None, lines: list[str] | None = None) -> etree._Element:
    p = el("p")
    ppr = sub(p, "pPr")
    sub(ppr, "pStyle", {"val": style})
    if jc:
        sub(ppr, "jc", {"val": jc})
    if text:
        lines = lines or [text]
        r = text_run(lines[0], fonts)
        for line in lines[1:]:  # explicit line breaks between words (label_lines)
            sub(r, "br")
            t = sub(r, "t")
            t.text = line
        p.append(r)
    return p


def text_run(text: str, fonts: dict[str, str] | None) -> etree._Element:
    """A run of Chinese text carrying its style's fonts explicitly (w:eastAsia included) and the East Asian hint."""
    r = el("r")
    if fonts:
        rpr = sub(r, "rPr")
        attrs = {w(k): v for k, v in fonts.items()}
        attrs[w("hint")] = "eastAsia"
        etree.SubElement(rpr, w("rFonts"), attrs)
    t = sub(r, "t")
    t.text = text
    if text[:1].isspace() or text[-1:].isspace():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def _cover(table: Table) -> dict[tuple[int, int], Label | Field]:
    """Which label or field occupies each grid position."""
    grid: dict[tuple[int, int], Label | Field] = {}
    for item in (*table.labels, *table.fields):
        rowspan = getattr(item, "rowspan", 1)
        for r in range(item.row, item.row + rowspan):
            for c in range(item.col, item.col + item.colspan):
                grid[(r, c)] = item
    return grid


def build_skeleton(table: Table, run_fonts: dict[str, dict[str, str]]) -> Skeleton:
    """The table with its labels and merges and empty data cells, from the spec grid."""
    # Rounded cumulatively: fifteen 10.4 mm columns rounded one by one would exceed the 156 mm text width.
    edges = [mm_to_twips(sum(table.col_widths_mm[:i])) for i in range(len(table.col_widths_mm) + 1)]
    widths = [b - a for a, b in zip(edges, edges[1:])]
    tbl = el("tbl")
    tblpr = sub(tbl, "tblPr")
    sub(tblpr, "tblStyle", {"val": st.S_TABLE_GRID})
    sub(tblpr, "tblW", {"w": sum(widths), "type": "dxa"})
    sub(tblpr, "jc", {"val": "center"})
    sub(tblpr, "tblLayout", {"type": "fixed"})
    # Cell margins on the table itself too: LibreOffice does not take them from the table style.
    mar = sub(tblpr, "tblCellMar")
    for side, v in (("top", 0), ("left", st.CELL_MARGIN_TWIPS), ("bottom", 0), ("right", st.CELL_MARGIN_TWIPS)):
        sub(mar, side, {"w": v, "type": "dxa"})
    sub(tblpr, "tblLook", {"val": "0000", "firstRow": 0, "lastRow": 0, "firstColumn": 0, "lastColumn": 0, "noHBand": 1, "noVBand": 1})
    grid = sub(tbl, "tblGrid")
    for wd in widths:
        sub(grid, "gridCol", {"w": wd})
    cover = _cover(table)
    size = st.TABLE_SMALL_PT if table.small else st.TABLE_PT
    line = st.TABLE_SMALL_LINE if table.small else st.TABLE_LINE
    min_height = round(line * (1.6 if table.n_rows <= SHORT_TABLE_ROWS else 1.1))
    char = pt_to_twips(size)
    # Caption and header rows keep with the row below them: a block of 表二 never leaves its title at a page foot.
    keep = {lab.row for lab in table.labels if lab.role in ("caption", "header", "note")}
    slots: dict[str, tuple[int, int]] = {}
    for r in range(table.n_rows):
        tr = sub(tbl, "tr")
        trpr = sub(tr, "trPr")
        sub(trpr, "cantSplit")  # a row is never split across pages
        sub(trpr, "trHeight", {"val": min_height, "hRule": "atLeast"})
        if r < table.header_rows:
            sub(trpr, "tblHeader")  # repeated at the top of every page the table runs onto
        c = 0
        while c < table.n_cols:
            item = cover.get((r, c))
            span = item.colspan if item is not None else 1
            tc = sub(tr, "tc")
            tcpr = sub(tc, "tcPr")
            width = sum(widths[c : c + span])
            sub(tcpr, "tcW", {"w": width, "type": "dxa"})
            if span > 1:
                sub(tcpr, "gridSpan", {"val": span})
            rowspan = getattr(item, "rowspan", 1) if item is not None else 1
            if rowspan > 1:
                sub(tcpr, "vMerge", {"val": "restart"} if item.row == r else None)
            if isinstance(item, Label) and rowspan >= 3 and span == 1 and width < 2 * char + 2 * st.CELL_MARGIN_TWIPS + char // 2:
                # A tall narrow label (三、本年度办理结果) reads top to bottom: margins that leave room for one character.
                side = max(st.CELL_MARGIN_TWIPS, (width - round(char * 1.4)) // 2)
                mar = sub(tcpr, "tcMar")
                sub(mar, "left", {"w": side, "type": "dxa"})
                sub(mar, "right", {"w": side, "type": "dxa"})
            sub(tcpr, "vAlign", {"val": "center"})
            style = _style_for(table, item) if item is not None else (st.S_TABLE_SMALL if table.small else st.S_TABLE)
            if isinstance(item, Label) and item.row == r:
                jc = "left" if item.role == "label" and width >= mm_to_twips(LEFT_ALIGN_MM) else None
                vertical = tcpr.find(w("tcMar")) is not None  # a tall narrow label reads top to bottom
                lines = None if vertical else label_lines(item.text, width, size)
                tc.append(_paragraph(style, item.text, run_fonts.get(style, {}), jc, lines))
            else:
                tc.append(_paragraph(style, "", {}))
                if isinstance(item, Field):
                    slots[item.id] = (len(tbl) - 1, len(tr) - 1)
            c += span
        if r in keep:
            for ppr in tr.iter(w("pPr")):
                ppr.insert(1, el("keepNext"))
    return Skeleton(table, tbl, slots)


def skeletons(spec: Format, run_fonts: dict[str, dict[str, str]], cache: dict) -> list[Skeleton]:
    """The format's table skeletons, built on first use and kept in `cache` (one per reference document)."""
    key = ("tables", spec.id)
    if key not in cache:
        cache[key] = [build_skeleton(t, run_fonts) for t in spec.tables]
    return cache[key]


def filled(skeleton: Skeleton, values: dict) -> etree._Element:
    """A copy of the skeleton with the report's numbers: 0 as 0, decimals as filed, a missing value left empty."""
    tbl = copy.deepcopy(skeleton.element)
    for fid, (ri, ci) in skeleton.slots.items():
        value = values.get(fid)
        if value is None:
            continue
        r = el("r")
        sub(r, "t").text = format_number(value)
        tbl[ri][ci][-1].append(r)
    return tbl

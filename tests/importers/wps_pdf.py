"""PDFs drawn the way WPS 文字 exports a report, made from the project's own reports (for the import tests).

What WPS does differently from Word and LibreOffice, as seen in the published PDFs it exports:
- a white box (filled, not stroked) behind every line of text and every table cell: boxes stacked line on
  line look like a ruled table to a reader of rules, with the headings ("二、主动公开政府信息情况") inside it;
- each column rule drawn in one stroke down the table's part on a page (not cell by cell), no rule under the
  last row before a page break (the column rules run on to the page foot), caption rows shaded blue;
- the single （六）其他处理 row of the 2019 trial format kept inside a 2021 table, its label cell either spanning
  the sub-item column or beside an empty sub-item cell (and the same empty cell beside （七）总计);
- a table continued on the next page with or without its header rows repeated, a merged label cell split by
  the break with its text on one part or on both ("（四）无" | "法提供").

The page is laid out here (lines, rows, page breaks) and drawn as SVG inside an HTML page that headless
Chromium prints to PDF: SVG lines print as stroked paths and SVG rectangles as filled boxes, as WPS draws them.
"""

from __future__ import annotations

import html
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from importers.shapes import _text, narrative_lines, title

from gkxl.formats import Label
from gkxl.model import Report

PAGE_W, PAGE_H = 595.3, 841.9  # A4, points
LEFT, RIGHT, TOP, FOOT = 79.4, 515.9, 72.0, 770.0  # the text area
BODY = 15.0  # body type size
PITCH = 27.0  # WPS: exact line pitch of the body text
BLUE = "#c6d9f1"


@dataclass
class Options:
    """How the report is exported. Every shape seen in the WPS PDFs is a switch."""

    white_boxes: bool = True  # a white box behind every text line and every table cell
    one_row_other: str = ""  # "" (three sub-items), "span" (label over the sub-item column), "blank" (empty cell beside)
    blank_total: bool = False  # an empty cell beside （七）总计 (instead of its label spanning two columns)
    repeat_header: bool = False  # the continuation of 表三 repeats its header rows
    close_break: bool = False  # a rule under the last row before a page break (WPS draws none)
    space_before: dict[str, float] = field(default_factory=dict)  # heading → extra space above it (moves the breaks)
    cell_size: float = 9.0  # type size in the tables
    cont_shift: float = 0.0  # on the pages 表三 continues on, the tables stand this much further left


@dataclass
class _Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    caption: bool = False


class _Pages:
    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]
        self.y = TOP
        self.breaks: list[tuple[str, int]] = []  # (table key, the last grid row before a page break)
        self.shifted: set[int] = set()  # pages where tables stand Options.cont_shift further left

    def new(self) -> None:
        self.pages.append([])
        self.y = TOP

    def add(self, svg: str) -> None:
        self.pages[-1].append(svg)


def _chars(text: str, width: float, size: float) -> list[str]:
    """Text broken into lines of at most `width` points (a CJK character is `size` wide, a digit or Latin half)."""
    lines, cur, w = [], "", 0.0
    for ch in text:
        cw = size if ord(ch) > 0x2000 else size * 0.55
        if cur and w + cw > width:
            lines.append(cur)
            cur, w = "", 0.0
        cur += ch
        w += cw
    if cur or not lines:
        lines.append(cur)
    return lines


def _text_svg(x: float, y: float, text: str, size: float, *, bold: bool = False, anchor: str = "start") -> str:
    weight = " font-weight='bold'" if bold else ""
    return (f"<text x='{x:.2f}' y='{y + size * 0.88:.2f}' font-size='{size}'{weight} text-anchor='{anchor}'>"
            f"{html.escape(text)}</text>")


def _box(x0: float, top: float, x1: float, bottom: float, fill: str = "#ffffff") -> str:
    return f"<rect x='{x0:.2f}' y='{top:.2f}' width='{x1 - x0:.2f}' height='{bottom - top:.2f}' fill='{fill}' stroke='none'/>"


def _rule(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"<line x1='{x0:.2f}' y1='{y0:.2f}' x2='{x1:.2f}' y2='{y1:.2f}' stroke='#000' stroke-width='0.96'/>"


def _line(pages: _Pages, text: str, opts: Options, *, size: float = BODY, x: float = LEFT, bold: bool = False,
          center: bool = False) -> None:
    if pages.y + PITCH > FOOT:
        pages.new()
    if opts.white_boxes:  # as WPS: a box a little wider than the text area, touching the next line's box
        pages.add(_box(LEFT - 5, pages.y, RIGHT + 5, pages.y + PITCH))
    top = pages.y + (PITCH - size) / 2
    if center:
        pages.add(_text_svg((LEFT + RIGHT) / 2, top, text, size, bold=bold, anchor="middle"))
    else:
        pages.add(_text_svg(x, top, text, size, bold=bold))
    pages.y += PITCH


def _paragraph(pages: _Pages, text: str, opts: Options) -> None:
    lines = _chars("\u3000\u3000" + text, RIGHT - LEFT, BODY)
    for ln in lines:
        _line(pages, ln, opts)


def _cells(report: Report, table, opts: Options) -> tuple[list[_Cell], int]:
    """The table's printed cells (grid positions after the shape's changes) and its number of rows."""
    items = sorted([*table.labels, *table.fields], key=lambda x: (x.row, x.col))
    cells: list[_Cell] = []
    group = next((x for x in table.labels if x.text == "（六）其他处理"), None) if opts.one_row_other else None
    extra = group.rowspan - 1 if group is not None else 0
    for x in items:
        row = x.row
        if group is not None and x.row > group.row:
            if x.row < group.row + group.rowspan:
                continue  # the second and third sub-items are not printed
            row -= extra
        if isinstance(x, Label):
            rs, cs = x.rowspan, x.colspan
            if group is not None and x.row == group.row and x.col > group.col:
                continue  # the first sub-item's label: no label, as in the 2019 format
            if group is not None and x is group:
                rs = 1
                if opts.one_row_other == "span":
                    cs += 1
                else:
                    cells.append(_Cell("", row, x.col + 1))
            elif group is not None and rs > 1 and x.row <= group.row < x.row + rs and x.col < group.col:
                rs -= extra
            if opts.blank_total and x.text == "（七）总计":
                cells.append(_Cell(x.text, row, x.col, rs, cs - 1))
                cells.append(_Cell("", row, x.col + cs - 1))
                continue
            cells.append(_Cell(x.text, row, x.col, rs, cs, caption=x.role == "caption"))
        else:
            cells.append(_Cell(_text(report, x.id), row, x.col, 1, x.colspan))
    return cells, table.n_rows - extra


def _table(pages: _Pages, report: Report, table, opts: Options) -> None:
    cells, n_rows = _cells(report, table, opts)
    size = opts.cell_size
    total = sum(table.col_widths_mm)
    xs = [LEFT]
    for w in table.col_widths_mm:
        xs.append(xs[-1] + (RIGHT - LEFT) * w / total)
    heights = [18.0] * n_rows
    for c in cells:
        if c.rowspan == 1:
            n = len(_chars(c.text, xs[c.col + c.colspan] - xs[c.col] - 4, size))
            heights[c.row] = max(heights[c.row], n * size * 1.3 + 6)
    header = table.header_rows if opts.repeat_header else 0
    # Rows to pages: a row that does not fit goes to the next page (with the header rows again where asked).
    placed: list[tuple[int, int, float, bool]] = []  # (row, page, top, a repeated header row)
    for r in range(n_rows):
        if pages.y + heights[r] > FOOT:
            pages.new()
            if r:
                pages.breaks.append((table.key, r - 1))
            for h in range(header if r >= header else 0):
                placed.append((h, len(pages.pages) - 1, pages.y, True))
                pages.y += heights[h]
        placed.append((r, len(pages.pages) - 1, pages.y, False))
        pages.y += heights[r]
    last_page = placed[-1][1]
    if opts.cont_shift and table.key == "sec3" and last_page != placed[0][1]:  # 表三 and what follows it
        pages.shifted.update(range(placed[0][1] + 1, last_page + 1))
    for p in sorted({x[1] for x in placed}):
        rows = [(r, top, rep) for r, q, top, rep in placed if q == p]
        seen = [r for r, _, _ in rows]
        hs: list[tuple[float, float, float]] = []
        vs: list[tuple[float, float, float]] = []
        svg: list[str] = []
        for c in cells:
            span = range(c.row, c.row + c.rowspan)
            # a header cell drawn again on a continuation page, or the part of a cell on this page
            again = [(r, top) for r, top, rep in rows if rep and r in span]
            here_tops = again or [(r, top) for r, top, rep in rows if not rep and r in span]
            if not here_tops:
                continue
            here = [r for r, _ in here_tops]
            tops = dict(here_tops)
            x0, x1 = xs[c.col], xs[c.col + c.colspan]
            if c.col == 0 and p in pages.shifted:
                x0 -= opts.cont_shift  # a rule laid out a few points apart on the next page
            top = tops[here[0]]
            bottom = tops[here[-1]] + heights[here[-1]]
            if opts.white_boxes or c.caption:
                svg.append(_box(x0, top, x1, bottom, BLUE if c.caption else "#ffffff"))
            starts, ends = here[0] == c.row, here[-1] == c.row + c.rowspan - 1
            if starts or here[0] == seen[0]:  # the continuation's first row is closed at its top
                hs.append((top, x0, x1))
            if ends and (p == last_page or here[-1] != seen[-1] or opts.close_break):
                hs.append((bottom, x0, x1))
            vs.append((x0, top, bottom))
            vs.append((x1, top, bottom))
            # The text, centred in the whole cell (all its rows), drawn on whichever part of it each line falls.
            lines = _chars(c.text, xs[c.col + c.colspan] - xs[c.col] - 4, size)
            full = sum(heights[r] for r in span)
            offset = (full - len(lines) * size * 1.3) / 2
            line_h = size * 1.3
            at = offset
            for ln in lines:  # `at`: the line's top, from the cell's top over all its rows
                acc = 0.0
                for r in span:
                    if at < acc + heights[r]:
                        if at + line_h > acc + heights[r] + 0.5 and r != span[-1]:
                            at = acc + heights[r]  # a line never straddles two rows: it goes down to the next
                        elif r in here:
                            y = tops[r] + (at - acc)
                            if c.text and all(ch.isdigit() or ch in ".-" for ch in c.text):
                                svg.append(_text_svg((x0 + x1) / 2, y, ln, size, anchor="middle"))
                            else:
                                svg.append(_text_svg(x0 + 2, y, ln, size))
                            break
                        else:
                            break
                    acc += heights[r]
                at += line_h
        for seg in _merge(hs):
            y, a, b = seg
            svg.append(_rule(a, y, b, y))
        for seg in _merge(vs):
            x, a, b = seg
            svg.append(_rule(x, a, x, b))  # one stroke per column rule and run of rows, as WPS draws them
        pages.pages[p].extend(svg)


def _merge(segs: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear segments that touch or overlap, joined into one."""
    out: list[tuple[float, float, float]] = []
    for at, a, b in sorted(segs, key=lambda s: (round(s[0], 1), s[1])):
        if out and abs(out[-1][0] - at) < 0.05 and a <= out[-1][2] + 0.05:
            out[-1] = (out[-1][0], out[-1][1], max(out[-1][2], b))
        else:
            out.append((at, a, b))
    return out


def layout(report: Report, opts: Options) -> _Pages:
    """The report laid out on pages: a list of SVG elements per page, and where the tables break."""
    pages = _Pages()
    pages.y = TOP + 30
    for t in title(report, two_lines=True):
        _line(pages, t, opts, size=22, center=True)
    pages.y += 10
    _paragraph(pages, f"本报告依据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限为{report.year}年1月1日至{report.year}年12月31日。", opts)
    spec = report.spec
    for heading in spec.headings:
        pages.y += opts.space_before.get(heading, 0)
        _line(pages, heading, opts, x=LEFT + 2 * BODY, bold=True)
        tables = [t for t in spec.tables if t.heading == heading]
        if not tables:
            for text in narrative_lines(report, heading):
                _paragraph(pages, text, opts)
        for t in tables:
            _table(pages, report, t, opts)
            pages.y += 12
    _line(pages, report.meta.get("issuer", report.agency), opts, x=RIGHT - 12 * BODY)
    for n, page in enumerate(pages.pages, 1):  # the page number, as WPS prints it
        page.append(_text_svg((LEFT + RIGHT) / 2, 800, f"- {n} -", 10.5, anchor="middle"))
    return pages


def space_for(report: Report, opts: Options, heading: str, key: str, row: int, step: float = 2.0) -> float | None:
    """The extra space above `heading` that makes table `key` break right after its grid row `row`."""
    at = 0.0
    while at < FOOT - TOP:
        spaced = Options(**{**opts.__dict__, "space_before": {**opts.space_before, heading: at}})
        if (key, row) in layout(report, spaced).breaks:
            return at
        at += step
    return None


def to_html(pages: list[list[str]]) -> str:
    body = "".join(
        f"<div class='page'><svg xmlns='http://www.w3.org/2000/svg' width='{PAGE_W}pt' height='{PAGE_H}pt' "
        f"viewBox='0 0 {PAGE_W} {PAGE_H}'>{''.join(p)}</svg></div>"
        for p in pages
    )
    css = ("@page{size:A4;margin:0} html,body{margin:0;padding:0} .page{width:210mm;height:297mm;overflow:hidden;"
           "page-break-after:always;break-after:page} svg{display:block;font-family:'Noto Serif CJK SC',serif}")
    return f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{body}</body></html>"


def print_pdf(exe: str, report: Report, opts: Options, out: Path, profile: Path) -> Path:
    """The report drawn as WPS exports it, printed to `out` by headless Chromium."""
    src = out.with_suffix(".html")
    src.write_text(to_html(layout(report, opts).pages), encoding="utf-8")
    subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", "--no-pdf-header-footer",
         f"--print-to-pdf={out}", src.as_uri()],
        capture_output=True, timeout=120, check=False,
    )
    return out



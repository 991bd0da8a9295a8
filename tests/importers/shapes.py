"""Published shapes made from the project's own reports, for the import tests: flattened copied text, HTML as
real CMSs mark it up (Word-pasted, hidden and superscript text), GBK pages, and PDFs rendered by LibreOffice
and Chromium.

The renderings walk the format's grid (labels and cells in reading order, as a reader sees the printed table);
the values they carry come from the report given, and the tests compare what is imported with those values.
"""

from __future__ import annotations

import html
import random

from gkxl.formats import Label
from gkxl.model import Report
from gkxl.values import format_number


def _items(table):
    return sorted([*table.labels, *table.fields], key=lambda x: (x.row, x.col))


def _text(report: Report, cid: str) -> str:
    v = report.values.get(cid)
    return "" if v is None else format_number(v)


def title(report: Report, *, two_lines: bool = False, nian_du: bool = False) -> list[str]:
    suffix = ("年度" if nian_du else "年") + "政府信息公开工作年度报告"
    if two_lines:
        return [report.agency, f"{report.year}{suffix}"]
    return [f"{report.agency}{report.year}{suffix}"]


def narrative_lines(report: Report, heading: str) -> list[str]:
    spec = report.spec
    out = []
    for s in spec.sections:
        from gkxl.formats import SECTION_PART

        part = SECTION_PART[s.id]
        if part >= 0 and spec.headings[part] == heading:
            if s.level == 2 and s.heading:
                out.append(s.heading)
            out.extend(x for x in report.narrative.get(s.id, "示例文字。").splitlines() if x.strip())
    return out or ["示例文字。"]


def flattened(report: Report, *, rng: random.Random | None = None, same_line: bool = False, titled: bool = True) -> str:
    """The report as text copied from a page whose table cells ran together: every label on its line, each
    table row's values one run of digits (with a stray space here and there), optionally on the label's line."""
    rng = rng or random.Random(0)
    spec = report.spec
    lines = title(report) if titled else []
    lines.append(f"本报告中所列数据的统计期限为{report.year}年1月1日至{report.year}年12月31日。")
    for heading in spec.headings:
        lines.append(heading)
        tables = [t for t in spec.tables if t.heading == heading]
        if not tables:
            lines.extend(narrative_lines(report, heading))
        for t in tables:
            row_text, row = "", None
            for item in _items(t):
                if isinstance(item, Label):
                    if row_text:
                        lines.append(row_text)
                        row_text = ""
                    lines.append(item.text)
                    continue
                if row is not None and item.row != row and row_text:
                    lines.append(row_text)
                    row_text = ""
                row = item.row
                piece = _text(report, item.id)
                if row_text and rng.random() < 0.2:
                    piece = " " + piece
                row_text += piece
            if row_text:
                lines.append(row_text)
    if same_line:  # a row label and its digits on one line
        joined: list[str] = []
        for line in lines:
            if joined and line.replace(" ", "").isdigit() and not joined[-1].replace(" ", "").isdigit():
                joined[-1] = joined[-1] + " " + line
            else:
                joined.append(line)
        lines = joined
    return "\n".join(lines) + "\n"


def table_html(report: Report, table, *, cell=None, one_row_other: bool = False) -> str:
    """One official table as HTML with its rowspans and colspans; cell(text, is_label) marks a cell's text up.

    one_row_other: the 2019 trial way of publishing （六）其他处理 as one row inside a 2021 table (the group label
    over the three columns of sub-items, one row of values)."""
    cell = cell or (lambda text, is_label: html.escape(text))
    items = _items(table)
    skip: set[str] = set()
    group = None
    if one_row_other:
        group = next(x for x in table.labels if x.text == "（六）其他处理")
        subs = [x for x in items if group.row <= x.row < group.row + group.rowspan and x.col > group.col]
        first_row = [x for x in subs if x.row == group.row and not isinstance(x, Label)]
        skip = {id(x) for x in subs if x not in first_row}
    rows: dict[int, list[str]] = {}
    for x in items:
        if id(x) in skip:
            continue
        if isinstance(x, Label):
            rs, cs = x.rowspan, x.colspan
            if group is not None and x is group:
                rs, cs = 1, x.colspan + 1
            elif group is not None and rs > 1 and x.row <= group.row < x.row + rs and x.col < group.col:
                rs -= group.rowspan - 1  # the merged label above the group loses the group's extra rows
            rows.setdefault(x.row, []).append(f"<td rowspan='{rs}' colspan='{cs}' class='label'>{cell(x.text, True)}</td>")
        else:
            rows.setdefault(x.row, []).append(f"<td colspan='{x.colspan}' class='value'>{cell(_text(report, x.id), False)}</td>")
    return "<table>" + "".join(f"<tr>{''.join(rows[r])}</tr>" for r in sorted(rows)) + "</table>"


def report_html(report: Report, *, css: str = "", title_lines: list[str] | None = None, cell=None,
                one_row_other: bool = False, body_only: bool = False, meta_charset: str | None = "utf-8") -> str:
    """The whole report as a web page: title, headings, narrative paragraphs and the three tables."""
    spec = report.spec
    parts = [f"<h1>{html.escape(x)}</h1>" for x in (title_lines if title_lines is not None else title(report))]
    parts.append(f"<p>本报告中所列数据的统计期限为{report.year}年1月1日至{report.year}年12月31日。</p>")
    for heading in spec.headings:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        tables = [t for t in spec.tables if t.heading == heading]
        if not tables:
            parts.extend(f"<p>{html.escape(x)}</p>" for x in narrative_lines(report, heading))
        for t in tables:
            parts.append(table_html(report, t, cell=cell, one_row_other=one_row_other and t.key == "sec3"))
    body = "\n".join(parts)
    if body_only:
        return body
    meta = f"<meta charset='{meta_charset}'>" if meta_charset else ""
    return f"<html><head>{meta}<style>{css}</style></head><body>{body}</body></html>"


# --- Shapes of plain text real reports come in (issue 16): run-on, Markdown/OCR, pdftotext -layout ---------------


def _rows(table):
    """The table in reading order as rows: (labels of the row, fields of the row), grid row by grid row."""
    rows: dict[int, tuple[list, list]] = {}
    for x in _items(table):
        labels, fields = rows.setdefault(x.row, ([], []))
        (labels if isinstance(x, Label) else fields).append(x)
    return [rows[r] for r in sorted(rows)]


def runon(report: Report, *, rng: random.Random | None = None, spaced: float = 0.2) -> str:
    """The whole report on one line, as web archives and "select all" give a page: title, headings, narrative,
    table labels and cells run together; a space between two cells with probability `spaced`."""
    rng = rng or random.Random(0)
    spec = report.spec
    out = [title(report)[0], " ", f"本报告中所列数据的统计期限为{report.year}年1月1日至{report.year}年12月31日。"]
    for heading in spec.headings:
        out.append(heading)
        tables = [t for t in spec.tables if t.heading == heading]
        if not tables:
            out.extend(narrative_lines(report, heading))
        for t in tables:
            prev_field = False
            for x in _items(t):
                if isinstance(x, Label):
                    out.append(x.text + (" " if rng.random() < 0.1 else ""))
                    prev_field = False
                else:
                    sep = " " if prev_field and rng.random() < spaced else ""
                    out.append(sep + _text(report, x.id))
                    prev_field = True
    return "".join(out) + "\n"


def _split(text: str, rng: random.Random, parts: int) -> list[str]:
    if len(text) < parts * 3:
        return [text]
    cuts = sorted(rng.sample(range(2, len(text) - 1), parts - 1))
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]


def markdown(report: Report, *, rng: random.Random | None = None, headed: bool = False, br: float = 0.5) -> str:
    """The report as PDF-to-Markdown converters give it: "#" headings, tables as "|" rows after a header row the
    converter made up ("| 类别 | 数据1 | …") and its "|---|" rule, long labels broken by "<br>" inside their cell.

    headed: each row under a "###" heading of its own label, its "|" row repeating the label without its number
    (as some converters write table 三)."""
    rng = rng or random.Random(0)
    spec = report.spec
    lines = ["# " + title(report)[0], "", f"本报告中所列数据的统计期限为{report.year}年1月1日至{report.year}年12月31日。", ""]
    for heading in spec.headings:
        lines += ["## " + heading, ""]
        tables = [t for t in spec.tables if t.heading == heading]
        if not tables:
            lines += [x for y in narrative_lines(report, heading) for x in (y, "")]
        for t in tables:
            width = max(len(labels) + len(fields) for labels, fields in _rows(t))
            ruled = False
            for labels, fields in _rows(t):
                if headed and fields and labels and labels[-1].role == "label":
                    lines += ["### " + labels[-1].text, "| 类别 | " + " | ".join(f"数据{i + 1}" for i in range(len(fields))) + " |",
                              "|" + "---|" * (len(fields) + 1)]
                    bare = labels[-1].text.split("）", 1)[-1] if labels[-1].text.startswith("（") else labels[-1].text
                    lines.append("| " + bare + " | " + " | ".join(_text(report, f.id) for f in fields) + " |")
                    continue
                cells = ["<br>".join(_split(x.text, rng, 2)) if len(x.text) > 12 and rng.random() < br else x.text for x in labels]
                cells += [_text(report, f.id) for f in fields]
                if not ruled:
                    lines += ["| " + " | ".join(f"数据{i + 1}" for i in range(width)) + " |", "|" + "---|" * width]
                    ruled = True
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
    return "\n".join(lines) + "\n"


def layout(report: Report, *, rng: random.Random | None = None, wrap: float = 0.5, breaks: float = 0.15) -> str:
    """The report as `pdftotext -layout` gives a PDF: columns set by spaces, a long row label wrapped over the
    lines above and below its numbers (with probability `wrap`), a group label printed down the side beside its
    rows, page numbers ("- 3 -") and form feeds between rows (with probability `breaks`)."""
    rng = rng or random.Random(0)
    spec = report.spec
    page = [1]
    lines = [title(report)[0], f"本报告中所列数据的统计期限为{report.year}年1月1日至{report.year}年12月31日。"]

    def page_break():
        page[0] += 1
        lines.extend(["", " " * 40 + f"- {page[0]} -", "", "\f"])

    for heading in spec.headings:
        lines.append("     " + heading)
        tables = [t for t in spec.tables if t.heading == heading]
        if not tables:
            lines.extend(narrative_lines(report, heading))
        for t in tables:
            side: list[str] = []  # characters of a group label still to print down the side
            for labels, fields in _rows(t):
                if not fields:
                    lines.append("        " + "    ".join(x.text for x in labels))
                    continue
                groups = [x for x in labels if x.role == "label" and x.rowspan > 1]
                if groups:
                    side = list(groups[-1].text)
                label = next((x for x in reversed(labels) if x.role == "label"), None)
                numbers = "    ".join(_text(report, f.id) or " " for f in fields)
                pad = lambda s: s + " " * max(2, 40 - 2 * len(s))  # noqa: E731
                prefix = (side.pop(0) if side else " ") + "      "
                if label is None:  # a table whose cells follow its header (表四)
                    lines.append(prefix + numbers)
                elif len(label.text) > 10 and rng.random() < wrap:
                    pieces = _split(label.text, rng, rng.choice([2, 3]))
                    if len(pieces) == 3:
                        lines += [prefix + pieces[0], "       " + pad(pieces[1]) + numbers, "       " + pieces[2]]
                    else:
                        lines += [prefix + pieces[0], "       " + pad(pieces[1]) + numbers]
                else:
                    lines.append(prefix + pad(label.text) + numbers)
                if rng.random() < breaks:
                    page_break()
            while side:
                lines.append(side.pop(0))
    return "\n".join(lines) + "\n"

"""Published shapes made from the project's own reports, for the import tests: flattened copied text, HTML as
real CMSs mark it up (Word-pasted, hidden and superscript text), GBK pages, and PDFs rendered by LibreOffice
and Chromium.

The renderings walk the format's grid (labels and cells in reading order, as a reader sees the printed table);
the values they carry come from the report given, and the tests compare what is imported with those values.
"""

from __future__ import annotations

import html
import random
from decimal import Decimal
from pathlib import Path

from gkxl.formats import Label, format_for_year, get_format
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

"""Test helpers for published reports: the sample's table values typed by hand, and renderings derived from the sample.

The sample's text is never stored in the repository: every variant is derived from it at test time. The
expected values and the table geometry below were typed from the sample and from official-format.md, not
taken from gkxl.formats.
"""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

SEC3_COLUMNS = ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total")
SEC4_GROUPS = ("review", "litigation_direct", "litigation_after_review")
SEC4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

# Table 三 of the sample, typed from it: row id → the seven published numbers.
_SAMPLE_SEC3 = {
    "new_received": (4, 1, 0, 0, 0, 0, 5),
    "carried_over": (0, 0, 0, 0, 0, 0, 0),
    "granted": (1, 1, 0, 0, 0, 0, 2),
    "partly_granted": (2, 0, 0, 0, 0, 0, 2),
    **{f"refused.{r}": (0,) * 7 for r in (
        "state_secret", "prohibited_by_law", "three_safeties", "third_party",
        "internal_affairs", "process_info", "enforcement_file", "query_service",
    )},
    "unable.not_held": (1, 0, 0, 0, 0, 0, 1),
    "unable.needs_creation": (0,) * 7,
    "unable.still_unclear": (0,) * 7,
    **{f"not_processed.{r}": (0,) * 7 for r in ("petition", "duplicate", "publication", "excessive", "confirmation")},
    **{f"other.{r}": (0,) * 7 for r in ("no_correction", "unpaid_fee", "other")},
    "results_total": (4, 1, 0, 0, 0, 0, 5),
    "carried_forward": (0,) * 7,
}

SAMPLE_VALUES: dict[str, int | Decimal] = {
    "sec2.regulations.issued": 0, "sec2.regulations.repealed": 0, "sec2.regulations.in_force": 0,
    "sec2.normative_docs.issued": 5, "sec2.normative_docs.repealed": 1, "sec2.normative_docs.in_force": 8,
    "sec2.licensing.decisions": 405,
    "sec2.penalty.decisions": 6, "sec2.coercion.decisions": 0,
    "sec2.fees.amount_wan": Decimal("151.598"),
    **{f"sec3.{row}.{col}": v for row, values in _SAMPLE_SEC3.items() for col, v in zip(SEC3_COLUMNS, values)},
    **{f"sec4.{g}.{c}": 0 for g in SEC4_GROUPS for c in SEC4_COLUMNS},
}
assert len(SAMPLE_VALUES) == 10 + 25 * 7 + 15

# The 2021 tables' geometry, typed from official-format.md §1.4–1.6: per table, per row, the (rowspan, colspan)
# of each cell that starts in that row, in order.
_ONE, _WIDE = (1, 1), (1, 3)
GEOMETRY_2021 = (
    # 表二: four blocks, each a full-width caption row, a header row and data rows.
    [[(1, 4)], [_ONE] * 4, [_ONE] * 4, [_ONE] * 4,
     [(1, 4)], [_ONE, _WIDE], [_ONE, _WIDE],
     [(1, 4)], [_ONE, _WIDE], [_ONE, _WIDE], [_ONE, _WIDE],
     [(1, 4)], [_ONE, _WIDE], [_ONE, _WIDE]],
    # 表三: 3 header rows, then 25 data rows under merged row labels.
    [[(3, 3), (1, 7)], [(2, 1), (1, 5), (2, 1)], [_ONE] * 5,
     [(1, 3)] + [_ONE] * 7, [(1, 3)] + [_ONE] * 7,
     [(22, 1), (1, 2)] + [_ONE] * 7, [(1, 2)] + [_ONE] * 7,
     [(8, 1), _ONE] + [_ONE] * 7, *([[_ONE] + [_ONE] * 7] * 7),
     [(3, 1), _ONE] + [_ONE] * 7, *([[_ONE] + [_ONE] * 7] * 2),
     [(5, 1), _ONE] + [_ONE] * 7, *([[_ONE] + [_ONE] * 7] * 4),
     [(3, 1), _ONE] + [_ONE] * 7, *([[_ONE] + [_ONE] * 7] * 2),
     [(1, 2)] + [_ONE] * 7, [(1, 3)] + [_ONE] * 7],
    # 表四: 行政复议 | 行政诉讼, their groups and columns, one data row of 15.
    [[(1, 5), (1, 10)], [(2, 1)] * 5 + [(1, 5), (1, 5)], [_ONE] * 10, [_ONE] * 15],
)


def sample_narrative(text: str) -> dict[str, str]:
    """Some narrative sections as the sample words them, found in it by their headings (so no text is stored here)."""
    lines = [x.strip() for x in text.splitlines() if x.strip()]

    def after(prefix: str, k: int = 1) -> str:
        return lines[next(i for i, x in enumerate(lines) if x.startswith(prefix)) + k]

    def body(line: str) -> str:  # a subsection paragraph without its heading sentence "（二）依申请公开情况。"
        return line.split("。", 1)[1]

    return {
        "preamble": lines[0],
        "overview.requests": body(next(x for x in lines if x.startswith("(二)依申请公开"))),
        "overview.oversight": body(next(x for x in lines if x.startswith("(五)监督保障"))),
        "problems": body(after("五、")),
        "improvements": body(after("五、", 2)),
        "other_matters": after("六、"),
    }


def blocks(text: str) -> list[tuple[str, object]]:
    """The sample as ("p", paragraph) and ("table", [cell texts]) blocks: consecutive "|" lines form a table."""
    out: list[tuple[str, object]] = []
    for line in text.splitlines():
        if "|" in line:
            cell = line.split("|")[0].strip()
            if out and out[-1][0] == "table":
                out[-1][1].append(cell)
            else:
                out.append(("table", [cell]))
        elif line.strip():
            out.append(("p", line.strip()))
    return out


def _placed(geometry, cells):
    """(row, col, rowspan, colspan, text) of each cell, columns found as a browser lays out a table."""
    texts = iter(cells)
    occupied: set[tuple[int, int]] = set()
    for r, row in enumerate(geometry):
        c = 0
        for rs, cs in row:
            while (r, c) in occupied:
                c += 1
            occupied.update((r + i, c + j) for i in range(rs) for j in range(cs))
            yield r, c, rs, cs, next(texts)
            c += cs
    assert next(texts, None) is None, "the sample's cells do not fill the typed geometry"


def to_rows(text: str, *, sep: str = " | ", geometry=GEOMETRY_2021) -> str:
    """The report as some sites' text reads: one table row per line, cells joined by sep and ended by it; a cell
    covered by a merged cell from the rows above is an empty cell leading the line."""
    lines: list[str] = []
    tables = iter(geometry)
    for kind, payload in blocks(text):
        if kind == "p":
            lines.append(payload)
            continue
        rows: dict[int, list[str]] = {}
        first_col: dict[int, int] = {}
        for r, c, _rs, _cs, cell in _placed(next(tables), payload):
            rows.setdefault(r, []).append(cell)
            first_col.setdefault(r, c)
        for r, cells in sorted(rows.items()):
            lines.append(sep.join([""] * first_col[r] + cells) + sep.rstrip(" "))
    return "\n".join(lines) + "\n"


def _cell_html(text: str) -> str:
    """How government pages mark up cells: labels split over <br> and <span>s (official-format.md §1.4, §5.2)."""
    t = html.escape(text)
    if len(text) == 4 and not text.isdigit():
        return f"{t[:2]}<br>{t[2:]}"
    if len(text) > 5:
        return f"<span>{t[:3]}</span><span style='x'>{t[3:]}</span>"
    return t


def to_html(text: str, *, title: str = "", encoding: str = "utf-8", geometry=GEOMETRY_2021) -> bytes:
    """An HTML page of the report: real tables with rowspan/colspan, inside a layout table, with page chrome."""
    body: list[str] = []
    tables = iter(geometry)
    for kind, payload in blocks(text):
        if kind == "p":
            body.append(f"<p style='text-indent:2em'>{html.escape(payload)}</p>")
            continue
        rows: dict[int, list[str]] = {}
        for r, _c, rs, cs, cell in _placed(next(tables), payload):
            span = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            rows.setdefault(r, []).append(f"<td{span}>{_cell_html(cell)}</td>")
        trs = "".join(f"<tr>{''.join(tds)}</tr>" for _, tds in sorted(rows.items()))
        body.append(f"<table border='1'><tbody>{trs}</tbody></table>")
    page = (
        f"<!DOCTYPE html><html><head><meta http-equiv='Content-Type' content='text/html; charset={encoding}'>"
        f"<title>{html.escape(title)}</title><script>var x = '一、总体情况';</script></head><body>"
        "<div class='nav'>首页 &gt; 政务公开 &gt; 年度报告</div>"
        f"<table class='layout'><tr><td><h1>{html.escape(title)}</h1>{''.join(body)}</td></tr></table>"
        "<div class='footer'>主办单位：示例&nbsp;网站</div></body></html>"
    )
    return page.encode(encoding)


def to_docx(text: str, path: Path, *, title: str = "", geometry=GEOMETRY_2021) -> Path:
    """A Word report: paragraphs and tables whose merged cells are made with python-docx (gridSpan / vMerge)."""
    import docx

    document = docx.Document()
    if title:
        document.add_paragraph(title)
    tables = iter(geometry)
    for kind, payload in blocks(text):
        if kind == "p":
            document.add_paragraph(payload)
            continue
        geo = next(tables)
        n_cols = sum(cs for _, cs in geo[0])
        table = document.add_table(rows=len(geo), cols=n_cols)
        for r, c, rs, cs, cell_text in list(_placed(geo, payload)):
            cell = table.cell(r, c)
            if rs > 1 or cs > 1:
                cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
            cell.text = cell_text
    document.save(str(path))
    return path


def replace_once(text: str, old: str, new: str, *, after: str = "") -> str:
    """text with the first occurrence of old (after the first occurrence of `after`) replaced; old must be there."""
    start = text.index(after) if after else 0
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old):]

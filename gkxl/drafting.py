"""The statistics paragraphs drafted from the tables, declared once as a small template tree.

The same tree is rendered here in Python (`gkxl draft`, `gkxl report` for an empty （二）) and compiled into a
spreadsheet formula by gkxl/excel/draft_formula.py (the 正文 sheet's live draft), so both give the same text.
Every label comes from gkxl.formats; the draft always says 新收 and 结转 explicitly, never a bare 收到.

Pure: stdlib only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Union

from .formats import Format, Table
from .formats.common import ORGANISATIONS
from .formats.layout import section_title
from .model import Report

REQUESTS = "overview.requests"  # （二）依申请公开: the 表三 and 表四 paragraphs
MANAGEMENT = "overview.management"  # （三）政府信息管理: the 表二 sentence on 规章 and 规范性文件

# Template nodes ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lit:
    """Fixed wording."""

    text: str


@dataclass(frozen=True)
class Count:
    """The sum of these cells, as a whole number."""

    cells: tuple[str, ...]


@dataclass(frozen=True)
class Share:
    """sum(cells) as a percentage of sum(of), to two decimals (rounded half away from zero, as ROUND does)."""

    cells: tuple[str, ...]
    of: tuple[str, ...]


@dataclass(frozen=True)
class Cat:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class IfZero:
    """`zero` where sum(cells) is 0, else `other`."""

    cells: tuple[str, ...]
    zero: Node
    other: Node


@dataclass(frozen=True)
class Items:
    """The items whose cells are not all 0, joined by sep (nothing where all are 0)."""

    sep: str
    items: tuple[tuple[tuple[str, ...], Node], ...]


Node = Union[Lit, Count, Share, Cat, IfZero, Items]


def cat(*parts: Node | str) -> Cat:
    return Cat(tuple(Lit(p) if isinstance(p, str) else p for p in parts))


@dataclass(frozen=True)
class Piece:
    """One drafted paragraph: the section it belongs to, the table it is drafted from, its template."""

    section: str
    table: Table
    node: Node
    leaves: tuple[str, ...]  # the input cells it needs: all filled, or the paragraph says the table is incomplete
    declaration: str | None = None  # the 零报告 declaration of its table: made, its blanks read as 0 (complete)

    @property
    def incomplete(self) -> str:
        name = self.table.name
        return f"（{name}尚未填完，无法起草：填完{name}的全部输入单元格后，此处显示依表格起草的文字）"


# Labels, derived from the format --------------------------------------------------------------------------

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
_NOTE = re.compile(r"（[^（）]*）$")


def _bare(label: str) -> str:
    """An official label without its numbering and trailing note: "（二）部分公开（区分处理的…）" → "部分公开"."""
    return _NOTE.sub("", _ORDINAL.sub("", label))


def _count_label(label: str) -> str:
    """A row label as prose before a count: "一、本年新收政府信息公开申请数量" → "本年新收政府信息公开申请"."""
    return _bare(label).removesuffix("数量")


def _rows(table: Table) -> list[list]:
    return [list(row) for row in table.rows]


def _total(row: list) -> str:
    return row[-1].id  # the 总计 column


def _requests(spec: Format) -> Node:
    """表三: 本年新收 (by applicant), 上年结转, 办理结果 by group with its share of （七）总计, 结转下年度."""
    rows = _rows(spec.table("sec3"))
    new, carried, forward = rows[0], rows[1], rows[-1]
    results_total = next(r for r in rows if r[0].is_total)  # the row whose 自然人 cell is a total: （七）总计
    results = [r for r in rows if r[0].row_labels[0] == results_total[0].row_labels[0] and r is not results_total]
    person = new[0]
    orgs = tuple(f.id for f in new if f.col_labels[0] == ORGANISATIONS)
    groups: dict[str, list[str]] = {}
    for r in results:
        groups.setdefault(r[0].row_labels[1], []).append(_total(r))
    total = (_total(results_total),)
    applicants = Items("、", (
        ((person.id,), cat(person.col_labels[-1], Count((person.id,)), "件")),
        (orgs, cat(ORGANISATIONS, Count(orgs), "件")),
    ))
    shares = Items("；", tuple(
        (tuple(ids), cat(_bare(label), Count(tuple(ids)), "件，占", Share(tuple(ids), total), "%"))
        for label, ids in groups.items()
    ))
    results_label = _bare(results_total[0].row_labels[0]) + _bare(results_total[0].row_labels[1])
    every = (_total(new), _total(carried)) + total + (_total(forward),)
    return IfZero(every, Lit(_declaration(spec, "sec3").sentence), cat(
        _count_label(new[0].row_labels[0]), Count((_total(new),)), "件",
        IfZero((_total(new),), Lit(""), cat("，其中", applicants)),
        "；", _count_label(carried[0].row_labels[0]), Count((_total(carried),)), "件。",
        results_label, Count(total), "件",
        IfZero(total, Lit(""), cat("，其中", shares)),
        "。", _count_label(forward[0].row_labels[0]), Count((_total(forward),)), "件。",
    ))


def _declaration(spec: Format, table: str):
    """The 零报告 declaration of a table: its sentence is the draft wherever the table is all 0, declared or typed."""
    return next(d for d in spec.declarations if d.table == table)


def _appeals(spec: Format) -> Node:
    """表四: 行政复议 and 行政诉讼 (未经复议直接起诉 + 复议后起诉) with their results, or the sentence that there were none."""
    table = spec.table("sec4")
    fields = sorted(table.fields, key=lambda f: f.col)
    groups: dict[tuple[str, ...], list] = {}
    for f in fields:
        groups.setdefault(f.row_labels, []).append(f)
    (review_labels, review), *litigation = groups.items()
    review_name = review_labels[-1]
    litigation_name = litigation[0][0][0]
    lit_totals = tuple(next(f.id for f in g if f.is_total) for _, g in litigation)
    review_total = (next(f.id for f in review if f.is_total),)
    results = [f for f in review if not f.is_total]

    def outcomes(groups_fields: list[list]) -> Items:
        return Items("、", tuple(
            (ids, cat(label, Count(ids), "件"))
            for label, ids in (
                (r.col_labels[-1], tuple(g[i].id for g in groups_fields)) for i, r in enumerate(results)
            )
        ))

    lit_groups = [g for _, g in litigation]
    by_way = Items("、", tuple(((t,), cat(labels[-1], Count((t,)), "件")) for (labels, _), t in zip(litigation, lit_totals)))
    return IfZero(
        review_total + lit_totals,
        Lit(_declaration(spec, "sec4").sentence),
        cat(
            f"本年度因政府信息公开被申请{review_name}", Count(review_total), "件",
            IfZero(review_total, Lit(""), cat("（", outcomes([review]), "）")),
            f"，被提起{litigation_name}", Count(lit_totals), "件",
            IfZero(lit_totals, Lit(""), cat("（其中", by_way, "；", outcomes(lit_groups), "）")),
            "。",
        ),
    )


def _management(spec: Format) -> Node:
    """表二's first block (第二十条第（一）项): each row's counts, e.g. "规章本年制发0件、本年废止0件、现行有效0件"."""
    table = spec.table("sec2")
    caption = next(lb.text for lb in table.labels if lb.role == "caption")
    rows = [r for r in _rows(table) if r[0].row_labels[0] == caption]
    parts: list[Node | str] = []
    for i, row in enumerate(rows):
        parts.append(("；" if i else "") + row[0].row_labels[-1])
        for j, f in enumerate(row):
            parts += [("、" if j else "") + f.col_labels[-1].removesuffix("件数"), Count((f.id,)), "件"]
    return cat(*parts, "。")


def _leaves(spec: Format, node: Node) -> tuple[str, ...]:
    """The input cells a drafted paragraph depends on, in order, once."""
    out: dict[str, None] = {}

    def walk_cell(cid: str) -> None:
        for leaf in spec.leaves((cid,)):
            out.setdefault(leaf)

    def walk(n: Node) -> None:
        if isinstance(n, (Count, Share)):
            for c in n.cells + (n.of if isinstance(n, Share) else ()):
                walk_cell(c)
        elif isinstance(n, Cat):
            for p in n.parts:
                walk(p)
        elif isinstance(n, IfZero):
            for c in n.cells:
                walk_cell(c)
            walk(n.zero)
            walk(n.other)
        elif isinstance(n, Items):
            for cells, p in n.items:
                for c in cells:
                    walk_cell(c)
                walk(p)

    walk(node)
    return tuple(out)


@lru_cache(maxsize=None)
def pieces(spec: Format) -> tuple[Piece, ...]:
    """The drafted paragraphs of a format, in the order of the report."""
    made = [
        (REQUESTS, spec.table("sec3"), _requests(spec)),
        (REQUESTS, spec.table("sec4"), _appeals(spec)),
        (MANAGEMENT, spec.table("sec2"), _management(spec)),
    ]
    declared = {d.table: d.key for d in spec.declarations}
    return tuple(Piece(section, table, node, _leaves(spec, node), declared.get(table.key)) for section, table, node in made)


# Rendering in Python -------------------------------------------------------------------------------------


def _sum(values: dict, cells: tuple[str, ...]):
    return sum((values[c] for c in cells), 0)


def render(node: Node, values: dict) -> str:
    """The text of a template with these values (every cell it names must be known)."""
    if isinstance(node, Lit):
        return node.text
    if isinstance(node, Count):
        return str(int(_sum(values, node.cells)))
    if isinstance(node, Share):
        pct = Decimal(_sum(values, node.cells)) * 100 / Decimal(_sum(values, node.of))
        return format(pct.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    if isinstance(node, Cat):
        return "".join(render(p, values) for p in node.parts)
    if isinstance(node, IfZero):
        return render(node.zero if _sum(values, node.cells) == 0 else node.other, values)
    if isinstance(node, Items):
        return node.sep.join(render(p, values) for cells, p in node.items if _sum(values, cells) != 0)
    raise TypeError(node)


@dataclass(frozen=True)
class Drafted:
    piece: Piece
    text: str
    complete: bool


def draft(report: Report) -> list[Drafted]:
    """Every drafted paragraph of the report; one whose table is not filled in says so instead."""
    values = report.with_totals()
    out = []
    for piece in pieces(report.spec):
        complete = all(c in values for c in piece.leaves)  # a declared 零报告's blanks are in values, as 0
        text = render(piece.node, values) if complete else piece.incomplete
        out.append(Drafted(piece, text, complete))
    return out


def section_drafts(report: Report) -> dict[str, str]:
    """Section id → the drafted text (its paragraphs separated by a line break), as the 正文 sheet shows it."""
    out: dict[str, list[str]] = {}
    for d in draft(report):
        out.setdefault(d.piece.section, []).append(d.text)
    return {sid: "\n".join(texts) for sid, texts in out.items()}


def fill_requests(report: Report) -> tuple[Report, bool]:
    """The report with an empty （二）依申请公开 filled with the draft of its complete tables; True if it was filled."""
    if (report.narrative.get(REQUESTS) or "").strip():
        return report, False
    texts = [d.text for d in draft(report) if d.piece.section == REQUESTS and d.complete]
    if not texts:
        return report, False
    return replace(report, narrative={**report.narrative, REQUESTS: "\n".join(texts)}), True


def report_with_draft(report: Report) -> tuple[Report, str]:
    """The report as its Word document is written (`gkxl report`, and each passing unit's in `gkxl collect`): an
    empty （二）依申请公开 filled with the draft, and the note saying so ("" when the section is left as written)."""
    filled, drafted = fill_requests(report)
    if not drafted:
        return report, ""
    where = section_title(next(s for s in report.spec.sections if s.id == REQUESTS))
    return filled, f"正文“{where}”未填写，已按表格数据自动起草（与 gkxl draft 的文字相同），请核对"


# The longest text a draft can show -----------------------------------------------------------------------

COUNT_DIGITS = 7  # a count the draft names is below ten million (a province's 汇总 of a year's applications is far less)
LONGEST_SHARE = "100.00"  # a group's share of （七）总计, to two decimals


def longest(node: Node, count_digits: int = COUNT_DIGITS) -> str:
    """The longest text this template can give: every item named, the longer branch of every choice, each count
    `count_digits` wide, each share 100.00 (a bound for sizing the cell that shows it, not a text to show)."""
    if isinstance(node, Lit):
        return node.text
    if isinstance(node, Count):
        return "9" * count_digits
    if isinstance(node, Share):
        return LONGEST_SHARE
    if isinstance(node, Cat):
        return "".join(longest(p, count_digits) for p in node.parts)
    if isinstance(node, IfZero):
        return max(longest(node.zero, count_digits), longest(node.other, count_digits), key=len)
    if isinstance(node, Items):
        return node.sep.join(longest(p, count_digits) for _, p in node.items)
    raise TypeError(node)


def longest_section_drafts(spec: Format, count_digits: int = COUNT_DIGITS) -> dict[str, str]:
    """Section id → the longest drafted text it can show (each paragraph the longer of its draft and the note that
    its table is not filled in), as the 正文 sheet shows it: paragraphs separated by a line break."""
    out: dict[str, list[str]] = {}
    for piece in pieces(spec):
        out.setdefault(piece.section, []).append(max(longest(piece.node, count_digits), piece.incomplete, key=len))
    return {sid: "\n".join(texts) for sid, texts in out.items()}

"""The vocabulary in which the official formats are declared: tables, labels, fields, equations, sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property


class Kind(str, Enum):
    """What a field may hold."""

    COUNT = "count"  # a non-negative whole number (件, 条, 项)
    SIGNED = "signed"  # a whole number that may be negative (2019: 本年增/减)
    AMOUNT = "amount"  # a non-negative decimal with at most AMOUNT_PLACES (6) places (万元 to the 分)


AMOUNT_PLACES = 6  # 万元 to the 分 (published reports print e.g. 4166.241619)


@dataclass(frozen=True)
class Label:
    """A printed label cell of an official table, at its grid position (0-based) with its spans."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    role: str = "label"  # "caption" (full-width block title), "header", "label" (row label), "note" (勾稽 note)


@dataclass(frozen=True)
class Field:
    """A data cell of an official table: its contract id, grid position and, for a total, its terms."""

    id: str
    row: int
    col: int
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]
    colspan: int = 1
    kind: Kind = Kind.COUNT
    terms: tuple[str, ...] = ()  # a total is the sum of these ids

    @property
    def is_total(self) -> bool:
        return bool(self.terms)

    @property
    def is_input(self) -> bool:
        return not self.terms

    @property
    def row_text(self) -> str:
        """The row labels in words, e.g. "三、本年度办理结果（三）不予公开 1.属于国家秘密"."""
        row = self.row_labels[0]
        for part in self.row_labels[1:]:
            row += part if part.startswith("（") else " " + part
        return row

    def describe(self) -> str:
        """The official labels in words, e.g. "三、本年度办理结果（七）总计 / 自然人"."""
        return self.row_text + " / " + " ".join(self.col_labels)


@dataclass(frozen=True)
class Table:
    """One official table, as a grid of labels and fields."""

    key: str  # "sec2", "sec3", "sec4"
    name: str  # "表二": how the workbook and messages refer to it
    heading: str  # the section heading it belongs to, e.g. "二、主动公开政府信息情况"
    n_rows: int
    n_cols: int
    header_rows: int  # leading rows repeated on every printed page
    col_widths_mm: tuple[float, ...]  # printed widths; they add up to at most the 156 mm text width
    labels: tuple[Label, ...]
    fields: tuple[Field, ...]
    small: bool = False  # a dense table printed one size smaller (小五)

    @cached_property
    def rows(self) -> tuple[tuple[Field, ...], ...]:
        """The data fields row by row, top to bottom, each row left to right (its 总计 last where it has one)."""
        rows: dict[int, list[Field]] = {}
        for f in self.fields:
            rows.setdefault(f.row, []).append(f)
        return tuple(tuple(sorted(rows[r], key=lambda f: f.col)) for r in sorted(rows))


@dataclass(frozen=True)
class Equation:
    """A 勾稽关系: sum(lhs) == sum(rhs). The rule id and scope name the finding it gives.

    A finding reports sum(lhs) as the actual value and sum(rhs) as the expected one.
    """

    rule: str
    scope: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    fix: str  # the cell a filer should look at first

    @property
    def cells(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


@dataclass(frozen=True)
class Section:
    """A narrative section of the contract: where it goes and what it must contain."""

    id: str
    heading: str  # the heading printed before it ("" for the preamble and 五's second part)
    hint: str  # what the section must contain (official-format.md §1.3)
    level: int = 1  # 1: 一、…; 2: （一）…


@dataclass(frozen=True)
class Metadata:
    """An optional metadata key of the contract beside agency and year."""

    key: str
    label: str
    hint: str
    kind: str = "text"  # "text", "date", "amount"


@dataclass(frozen=True)
class Declaration:
    """A 零报告 declaration of 基本信息 (data-contract.md: `no_applications`, `no_appeals`): 是 says that nothing
    happened that its table counts, so every input of that table left blank reads as 0, and a non-zero count typed
    there contradicts it (R-DECLARATION). Absent, 否 or blank: not declared, a blank stays unfilled (R-MISSING)."""

    key: str  # the contract key, e.g. "no_applications"
    table: str  # the key of the table it covers, e.g. "sec3"
    statement: str  # the declaration as the filer reads it (基本信息 column A)
    hint: str  # what 是 means (基本信息 column C, the drop-down's message)
    sentence: str  # the drafted text where the table is all 0 (drafting.py), e.g. "本年度未收到政府信息公开申请。"


YES, NO = "是", "否"  # the two answers to a declaration (the drop-down of 基本信息)


@dataclass(frozen=True)
class Format:
    """One official format (2021 or the 2019 trial format), declared as data."""

    id: str
    document: str  # the notice that defines it
    title: str
    tables: tuple[Table, ...]
    equations: tuple[Equation, ...]
    sections: tuple[Section, ...]
    headings: tuple[str, ...]  # the six 一级标题, in order
    carried: tuple[tuple[str, str], ...]  # (this year's id, last year's id): R-XYEAR-CARRIED, scope = column
    in_force: tuple[tuple[str, str, str, str], ...] = ()  # (scope, in_force, issued, repealed): R-XYEAR-INFORCE
    fee_note: str = ""  # the 信息处理费 sentence section 六 must hold ("" where the format asks for none)
    markers: tuple[str, ...] = ()  # labels that tell this format from the others when importing
    sec3_columns: tuple[tuple[str, str], ...] = field(default=())
    declarations: tuple[Declaration, ...] = ()  # 零报告 declarations of 基本信息 (common.DECLARATIONS)

    @cached_property
    def fields(self) -> dict[str, Field]:
        return {f.id: f for t in self.tables for f in t.fields}

    @cached_property
    def table_of(self) -> dict[str, Table]:
        return {f.id: t for t in self.tables for f in t.fields}

    @cached_property
    def inputs(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.fields.values() if f.is_input)

    @cached_property
    def totals(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.fields.values() if f.is_total)

    def leaves(self, ids) -> tuple[str, ...]:
        """The input cells these cells are computed from (a total stands for its terms, recursively), in order, once."""
        out: dict[str, None] = {}

        def walk(cid: str) -> None:
            terms = self.fields[cid].terms
            if not terms:
                out.setdefault(cid)
            for t in terms:
                walk(t)

        for cid in ids:
            walk(cid)
        return tuple(out)

    def declaration(self, key: str) -> Declaration:
        return next(d for d in self.declarations if d.key == key)

    @cached_property
    def declared_inputs(self) -> dict[str, tuple[str, ...]]:
        """Declaration key → the input cells a 是 reads as 0 where they are blank (its table's inputs, in order)."""
        return {d.key: tuple(f.id for f in self.table(d.table).fields if f.is_input) for d in self.declarations}

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    @cached_property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)

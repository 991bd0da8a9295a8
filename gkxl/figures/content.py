"""What a 一图读懂 shows, decided from the report alone: every number is a cell of its tables (or, for the 汇总, a
figure of the collect round) and every label comes from gkxl.formats. Pure: stdlib only, no drawing.

The drawing part (draw.py) lays out these blocks; nothing it draws is not in here, so a test can compare the
picture's text with the report's values without trusting the layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..drafting import _bare, _count_label
from ..formats import TITLE_SUFFIX, Format
from ..formats.common import APPLICANTS, ORGANISATIONS
from ..model import Report
from ..values import format_number

FIGURE_TITLE = "一图读懂"
DRAFT_MARK = "草稿"
DRAFT_NOTE = "草稿：报告未通过检查，图中数字以改正后的报告为准，请勿发布"
MISSING = "—"  # a cell not filled in (a 草稿 may have them): never drawn as 0
MINUS = "\u2212"  # the typographic minus of "较上年 −3"
MAX_PREVIOUS = 5  # earlier years a trend shows beside this one (six bars fit a half-width chart)


@dataclass(frozen=True)
class Item:
    """A number with its label: `key` names it in the SVG (the cell id, or what it is for the 汇总)."""

    key: str
    label: str
    value: str
    change: str = ""  # "较上年 +3", "较上年 −3", "与上年持平"; "" without last year's value


@dataclass(frozen=True)
class Band:
    """A row of numbers under an optional heading (表二's rows, the key counts of 表三, the 汇总's round)."""

    key: str
    heading: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Grid:
    """Rows of numbers under shared column labels (表二: 规章 and 行政规范性文件 × 制发/废止/现行有效). Each row is a
    Band headed by its row label; its items' labels are the columns'."""

    key: str
    columns: tuple[tuple[str, str], ...]  # (key, column label)
    rows: tuple[Band, ...]


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    text: str
    indent: bool = False  # one of a group named by the caption above it (法人或其他组织)


@dataclass(frozen=True)
class Bars:
    """Horizontal bars with their values (applicants by type; the 汇总's 新收 by 类型)."""

    key: str
    heading: str
    bars: tuple[Bar, ...]
    captions: tuple[tuple[int, str], ...] = ()  # (index of the first bar of a group, its caption)


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    count: str
    share: str  # "62.5%": the largest-remainder share, one decimal
    tenths: int  # the share in tenths of a percent (the shares add up to exactly 1000)


@dataclass(frozen=True)
class Shares:
    """The 办理结果 as shares of （七）总计: a 100 % bar and its legend."""

    key: str
    heading: str
    total: Item
    shares: tuple[Share, ...]


@dataclass(frozen=True)
class Appeal:
    """One group of 表四: its 总计 and its four results."""

    key: str
    heading: str
    total: Item
    results: tuple[Item, ...]


@dataclass(frozen=True)
class Appeals:
    key: str
    groups: tuple[Appeal, ...]


@dataclass(frozen=True)
class Series:
    key: str
    name: str
    points: tuple[tuple[int, int | None], ...]  # (year, value or None where that year's table does not hold it)


@dataclass(frozen=True)
class Trend:
    key: str
    heading: str
    series: tuple[Series, ...]


@dataclass(frozen=True)
class Note:
    """A sentence in place of a chart ("本年度未收到政府信息公开申请")."""

    key: str
    text: str


Block = Band | Grid | Bars | Shares | Appeals | Trend | Note


@dataclass(frozen=True)
class Part:
    key: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Content:
    agency: str
    year: int
    parts: tuple[Part, ...]
    draft: bool = False
    footer: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The picture's title: "{机关}{年度}年政府信息公开工作年度报告 一图读懂"."""
        return f"{self.agency}{self.year}{TITLE_SUFFIX} {FIGURE_TITLE}"

    @property
    def subtitle(self) -> str:
        return f"{self.year}{TITLE_SUFFIX}"

    def texts(self) -> dict[str, str]:
        """Every text the picture draws, by its key in the SVG (what the tests read back)."""
        return dict(_texts(self))


# Numbers as drawn -------------------------------------------------------------------------------------------


def number_text(value: int | Decimal | None) -> str:
    """A value as the report prints it: counts as whole numbers, 万元 as written (no float); not filled: —."""
    if value is None:
        return MISSING
    return format_number(value)


def one_line(text: str) -> str:
    """A text as one line: a line break, tab or other control character in a name (JSON may hold them) is a space."""
    return "".join(" " if ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029" else ch for ch in text)


def change_text(now: int | Decimal | None, before: int | Decimal | None) -> str:
    """Against last year: "较上年 +3" / "较上年 −3" / "与上年持平"; "" where either year lacks the value."""
    if now is None or before is None:
        return ""
    diff = now - before
    if diff == 0:
        return "与上年持平"
    sign = "+" if diff > 0 else MINUS
    return f"较上年 {sign}{format_number(abs(diff))}"


def largest_remainder(counts: list[int], places: int = 1) -> list[int]:
    """Shares of sum(counts) in units of 10**-places percent that add up to exactly 100 %: each share rounded down,
    the units left over given to the largest remainders (ties: the earlier item). All zero when the sum is 0."""
    total = sum(counts)
    whole = 100 * 10**places
    if total <= 0:
        return [0] * len(counts)
    floors = [c * whole // total for c in counts]
    rest = whole - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-(counts[i] * whole % total), i))
    for i in order[:rest]:
        floors[i] += 1
    return floors


def percent_text(tenths: int) -> str:
    return f"{tenths // 10}.{tenths % 10}%"


# Reading the format -----------------------------------------------------------------------------------------


def _appeal_groups(spec: Format) -> list[tuple[tuple[str, ...], list]]:
    """表四's groups in order (行政复议, then the two 行政诉讼), each with its fields left to right (总计 among them)."""
    groups: dict[tuple[str, ...], list] = {}
    for f in sorted(spec.table("sec4").fields, key=lambda f: f.col):
        groups.setdefault(f.row_labels, []).append(f)
    return list(groups.items())


def no_applications_text(spec: Format) -> str:
    """What the picture says where 新收 and 上年结转 are both 0: the sentence drafting uses (formats: declarations)."""
    return spec.declaration("no_applications").sentence.rstrip("。")


def new_total_id(spec: Format) -> str:
    """表三's 一、本年新收 总计 cell (its first row's last field)."""
    return spec.table("sec3").rows[0][-1].id


def _heading(spec: Format, key: str) -> str:
    """A table's section heading without its numbering: "二、主动公开政府信息情况" → "主动公开政府信息情况"."""
    return _bare(spec.table(key).heading)


class _Values:
    """This year's values (with totals), last year's for the changes."""

    def __init__(self, report: Report, last: Report | None):
        self.now = report.with_totals()
        self.before = last.with_totals() if last is not None else None
        self.last_spec = last.spec if last is not None else None

    def get(self, cid: str):
        return self.now.get(cid)

    def item(self, cid: str, label: str, *, key: str = "") -> Item:
        value = self.now.get(cid)
        before = self.before.get(cid) if self.before is not None and cid in self.last_spec.fields else None
        return Item(key or cid, label, number_text(value), change_text(value, before))


def _disclosure(spec: Format, v: _Values) -> Part:
    """表二: a row of several columns (规章: 制发/废止/现行有效) is a band headed by its row label; consecutive rows of
    one column under the same column label (许可, 处罚, 强制: 本年处理决定数量) share a band headed by that label."""
    table = spec.table("sec2")
    blocks: list[Block] = []
    singles: list[Item] = []
    single_head = ""
    grid: list[Band] = []

    def flush() -> None:
        nonlocal singles, single_head, grid
        if singles:
            blocks.append(Band(f"band:{singles[0].key}", single_head, tuple(singles)))
        if grid:
            columns = tuple((f"col:{it.key}", it.label) for it in grid[0].items)
            blocks.append(Grid(f"grid:{grid[0].items[0].key}", columns, tuple(grid)))
        singles, single_head, grid = [], "", []

    for row in table.rows:
        if len(row) == 1:
            f = row[0]
            head = f.col_labels[-1]
            if grid or (singles and head != single_head):
                flush()
            single_head = head
            singles.append(v.item(f.id, f.row_labels[-1]))
            continue
        band = Band(f"row:{row[0].id}", row[0].row_labels[-1], tuple(v.item(f.id, f.col_labels[-1]) for f in row))
        if singles or (grid and [it.label for it in grid[0].items] != [it.label for it in band.items]):
            flush()
        grid.append(band)
    flush()
    return Part("part:sec2", _heading(spec, "sec2"), tuple(blocks))


def _applications(spec: Format, v: _Values) -> Part:
    """表三: 新收, 上年结转 and 结转下年度; the new applications by applicant; the 办理结果 as shares of （七）总计."""
    rows = spec.table("sec3").rows
    new, carried, forward = rows[0], rows[1], rows[-1]
    results_total = next(r for r in rows if r[0].is_total)
    results = [r for r in rows if r[0].row_labels[0] == results_total[0].row_labels[0] and r is not results_total]
    blocks: list[Block] = [Band("band:sec3", "", tuple(
        v.item(r[-1].id, _count_label(r[0].row_labels[0])) for r in (new, carried, forward)
    ))]
    new_total, carried_total = v.get(new[-1].id), v.get(carried[-1].id)
    if new_total == 0 and carried_total == 0:
        blocks.append(Note("note:sec3", no_applications_text(spec)))
        return Part("part:sec3", _heading(spec, "sec3"), tuple(blocks))

    # Applicants of the new applications: 自然人, then the five 法人或其他组织 under their caption.
    applicants = new[:-1]
    if new_total and all(v.get(f.id) is not None for f in applicants):
        bars = tuple(Bar(f.id, f.col_labels[-1], int(v.get(f.id)), number_text(v.get(f.id)), indent=f.col_labels[0] == ORGANISATIONS)
                     for f in applicants)
        first_org = next(i for i, f in enumerate(applicants) if f.col_labels[0] == ORGANISATIONS)
        blocks.append(Bars("bars:applicants", f"{_count_label(new[0].row_labels[0])}：{APPLICANTS}", bars, ((first_org, ORGANISATIONS),)))

    # 办理结果 by group ((一)予以公开 … (六)其他处理), each the sum of its rows' 总计.
    groups: dict[str, list[str]] = {}
    for r in results:
        groups.setdefault(r[0].row_labels[1], []).append(r[-1].id)
    total_id = results_total[-1].id
    total_label = _bare(results_total[0].row_labels[0])
    total_item = v.item(total_id, results_total[0].row_labels[1])
    sums: list[tuple[str, int | None]] = []
    for label, ids in groups.items():
        vals = [v.get(c) for c in ids]
        sums.append((label, None if any(x is None for x in vals) else int(sum(vals))))
    counts = [s for _, s in sums]
    if v.get(total_id) == 0:
        blocks.append(Note("note:results", f"{total_label}{results_total[0].row_labels[1]}为0件"))
    elif None not in counts and sum(counts) > 0:
        tenths = largest_remainder(counts)
        shares = tuple(Share(f"share:{_bare(label)}", _bare(label), str(c), percent_text(t), t)
                       for (label, c), t in zip(sums, tenths))
        blocks.append(Shares("shares:results", total_label, total_item, shares))
    return Part("part:sec3", _heading(spec, "sec3"), tuple(blocks))


def _appeals(spec: Format, v: _Values) -> Part:
    """表四: 行政复议 and the two 行政诉讼 groups, each its 总计 and four results; or the sentence that there were none."""
    out: list[Appeal] = []
    for labels, fields in _appeal_groups(spec):
        heading = labels[0] if len(labels) == 1 else f"{labels[0]}（{labels[1]}）"
        total = next(f for f in fields if f.is_total)
        out.append(Appeal(f"appeal:{total.id}", heading, v.item(total.id, total.col_labels[-1]),
                          tuple(v.item(f.id, f.col_labels[-1]) for f in fields if not f.is_total)))
    if all(v.get(a.total.key) == 0 for a in out):  # the sentence drafting uses where 表四 is all 0 (formats: declarations)
        return Part("part:sec4", _heading(spec, "sec4"), (Note("note:sec4", spec.declaration("no_appeals").sentence.rstrip("。")),))
    return Part("part:sec4", _heading(spec, "sec4"), (Appeals("appeals", tuple(out)),))


def trend_series(spec: Format, reports: list[Report]) -> tuple[Trend, Trend]:
    """新收 by year; 行政复议 and 行政诉讼 (both groups) by year. Ids shared by both formats, so 2020 sits beside 2021."""
    new_id = new_total_id(spec)
    (review_labels, review), *litigation = _appeal_groups(spec)
    review_total = next(f.id for f in review if f.is_total)
    lit_totals = [next(f.id for f in g if f.is_total) for _, g in litigation]
    ordered = sorted(reports, key=lambda r: r.year)

    def point(r: Report, ids: list[str]) -> tuple[int, int | None]:
        vals = r.with_totals()
        got = [vals.get(c) for c in ids]
        return r.year, None if any(x is None for x in got) else int(sum(got))

    new_label = _count_label(spec.fields[new_id].row_labels[0])
    new = Trend("trend:new", f"{new_label}（件）", (Series("series:new", new_label, tuple(point(r, [new_id]) for r in ordered)),))
    review_name, lit_name = review_labels[-1], litigation[0][0][0]
    appeals = Trend("trend:appeals", f"{review_name}、{lit_name}（件）", (
        Series("series:review", review_name, tuple(point(r, [review_total]) for r in ordered)),
        Series("series:litigation", lit_name, tuple(point(r, lit_totals) for r in ordered)),
    ))
    return new, appeals


def footer(report: Report) -> tuple[str, ...]:
    spec = report.spec
    return (f"数据来源：{report.agency}{report.year}{TITLE_SUFFIX}统计表（{spec.document}规定的格式）",)


def report_content(report: Report, previous: list[Report] | tuple[Report, ...] = (), *, draft: bool = False,
                   extra: tuple[Part, ...] = ()) -> Content:
    """The picture of one report. `previous`: earlier years' reports (the one of year−1 gives the changes; all
    give the trend); `extra`: parts shown first (the 汇总's round)."""
    spec = report.spec
    last = next((p for p in previous if p.year == report.year - 1), None)
    v = _Values(report, last)
    parts = list(extra) + [_disclosure(spec, v), _applications(spec, v), _appeals(spec, v)]
    if previous:
        new, appeals = trend_series(spec, [*previous, report])
        parts.append(Part("part:trend", "历年情况", (new, appeals)))
    lines = footer(report) + ((DRAFT_NOTE,) if draft else ())
    return Content(one_line(report.agency), report.year, tuple(parts), draft=draft, footer=tuple(one_line(x) for x in lines))


# The 汇总 ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    """What the 汇总's picture shows of the round besides the summed tables (from collect's result)."""

    roster: int
    included: int
    missing: int  # roster units not summed, plus units a lower level's 汇总 lacks
    on_time: str | None  # 按时提交率 as collect gives it ("87.50%"), None without a deadline
    new_by_type: tuple[tuple[str, int | None], ...] = ()  # 类型 → 新收 of its summed units (roster with types only)


def round_part(rnd: Round, new_label: str) -> Part:
    items = [Item("round:included", "纳入汇总的单位", str(rnd.included)), Item("round:roster", "名单中的单位", str(rnd.roster))]
    if rnd.on_time is not None:
        items.append(Item("round:on_time", "按时提交率", rnd.on_time))
    blocks: list[Block] = [Band("band:round", "", tuple(items))]
    if rnd.missing:
        blocks.append(Note("note:incomplete", f"汇总不完整：{rnd.missing}个单位的数据未纳入（见报送状态表）"))
    if rnd.new_by_type:
        bars = tuple(Bar(f"type:{kind}", kind, int(n or 0), number_text(n)) for kind, n in rnd.new_by_type)
        blocks.append(Bars("bars:types", f"{new_label}：按单位类型", bars))
    return Part("part:round", "汇总情况", tuple(blocks))


def summary_content(total: Report, rnd: Round, previous: list[Report] | tuple[Report, ...] = (), *, draft: bool = False) -> Content:
    new_id = new_total_id(total.spec)
    extra = (round_part(rnd, _count_label(total.spec.fields[new_id].row_labels[0])),)
    return report_content(total, previous, draft=draft, extra=extra)


# What is drawn, by key ----------------------------------------------------------------------------------------


def _texts(c: Content):
    if c.agency.strip():
        yield "title:agency", c.agency
    yield "title:subtitle", c.subtitle
    yield "title:figure", FIGURE_TITLE
    if c.draft:
        yield "title:draft", DRAFT_MARK
    for part in c.parts:
        yield part.key, part.heading
        for b in part.blocks:
            if isinstance(b, Band):
                if b.heading:
                    yield b.key, b.heading
                for it in b.items:
                    yield from _item(it)
            elif isinstance(b, Grid):
                for key, label in b.columns:
                    yield key, label
                for row in b.rows:
                    yield row.key, row.heading
                    for it in row.items:
                        yield f"value:{it.key}", it.value
                        if it.change:
                            yield f"change:{it.key}", it.change
            elif isinstance(b, Bars):
                yield b.key, b.heading
                for i, cap in b.captions:
                    yield f"{b.key}:caption{i}", cap
                for bar in b.bars:
                    yield f"label:{bar.key}", bar.label
                    yield f"value:{bar.key}", bar.text
            elif isinstance(b, Shares):
                yield b.key, b.heading
                yield from _item(b.total)
                for s in b.shares:
                    yield f"label:{s.key}", s.label
                    yield f"value:{s.key}", f"{s.count}件"
                    yield f"pct:{s.key}", s.share
            elif isinstance(b, Appeals):
                for g in b.groups:
                    yield g.key, g.heading
                    yield from _item(g.total)
                    for it in g.results:
                        yield from _item(it)
            elif isinstance(b, Trend):
                yield b.key, b.heading
                for s in b.series:
                    if len(b.series) > 1:
                        yield f"legend:{s.key}", s.name
                    for year, value in s.points:
                        yield f"value:{s.key}:{year}", number_text(value)
                for year, _ in b.series[0].points:
                    yield f"year:{b.key}:{year}", f"{year}年"
            elif isinstance(b, Note):
                yield b.key, b.text
    for i, line in enumerate(c.footer):
        yield f"footer:{i}", line


def _item(it: Item):
    yield f"label:{it.key}", it.label
    yield f"value:{it.key}", it.value
    if it.change:
        yield f"change:{it.key}", it.change

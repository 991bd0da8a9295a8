"""R-TREND (a hint, with last year's report): a key count that changed more than fivefold, or fell to 0 from 10 or more.

The watched cells are found by the tables' structure, once, for every format: table 三's 一、本年新收 总计; table 二's
处理决定数量 of each row under 第二十条第（五）项 and 第（六）项 (行政许可, 行政处罚, 行政强制; the 2019 trial format also has
其他对外管理服务事项 there); table 四's three 总计 (行政复议, and 行政诉讼 未经复议直接起诉 and 复议后起诉).
Table 四 is compared only with last year's table 四: cases of earlier years' applications are no error when table 三 is 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from ..formats import Format
from ..formats.common import CLAUSE_5, CLAUSE_6
from ..values import format_number
from .context import make

if TYPE_CHECKING:
    from ..findings import Finding
    from .context import Context

FACTOR = 5  # more than fivefold up or down
FLOOR = 10  # the larger of the two years must be at least this (1 → 6 applications is no trend)


@lru_cache(maxsize=None)
def watched(spec: Format) -> tuple[str, ...]:
    sec3 = spec.table("sec3")
    first = min(f.row for f in sec3.fields)
    new_total = max((f for f in sec3.fields if f.row == first), key=lambda f: f.col).id
    decisions = []
    sec2 = spec.table("sec2")
    for row in sorted({f.row for f in sec2.fields if f.row_labels[0] in (CLAUSE_5, CLAUSE_6)}):
        decisions.append(max((f for f in sec2.fields if f.row == row), key=lambda f: f.col).id)
    appeals = [f.id for f in sorted(spec.table("sec4").fields, key=lambda f: f.col) if f.is_total]
    return (new_total, *decisions, *appeals)


def changed(current, previous) -> bool:
    high, low = max(current, previous), min(current, previous)
    return high >= FLOOR and high > FACTOR * low


def trend_findings(ctx: Context) -> Iterator[Finding]:
    if ctx.previous is None:
        return
    for cid in watched(ctx.spec):
        if cid not in ctx.values or cid not in ctx.previous_values:
            continue
        cur, prev = ctx.values[cid], ctx.previous_values[cid]
        if not changed(cur, prev):
            continue
        if cur == 0:
            how = "降为 0"
        elif prev == 0:
            how = "由 0 增加"
        elif cur > prev:
            how = f"为上年的 {_one_place(Decimal(cur) / Decimal(prev))} 倍"
        else:
            how = f"仅为上年的 {_one_place(Decimal(cur) * 100 / Decimal(prev))}%"
        note = f"本年为 {format_number(cur)}，上年为 {format_number(prev)}，{how}（变化超过{FACTOR}倍）；请核实是否填错（漏填、多填或单位不对）"
        yield make("R-TREND", cid, ctx.spec, cells=(cid,), expected=prev, actual=cur, note=note)


def _one_place(x: Decimal) -> str:
    return format_number(x.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

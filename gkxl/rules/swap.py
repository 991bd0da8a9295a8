"""R-APPLICANT-SWAP: two applicant columns that fail R-BALANCE by +n and −n while the 总计 column balances.

That is one application (or n) counted under one applicant type in some rows and under another in the others: one
finding naming both columns and the likely cause replaces their two unexplained R-BALANCE findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..values import format_number
from .context import make

if TYPE_CHECKING:
    from ..findings import Finding
    from ..formats import Equation
    from .context import Context


def _differences(ctx: Context) -> list[tuple[Equation, object]]:
    """(equation, lhs − rhs) of every R-BALANCE equation whose cells are all known, in the format's column order."""
    out = []
    for eq in ctx.spec.equations:
        if eq.rule == "R-BALANCE" and all(c in ctx.values for c in eq.cells):
            diff = sum((ctx.values[c] for c in eq.lhs), 0) - sum((ctx.values[c] for c in eq.rhs), 0)
            out.append((eq, diff))
    return out


def swapped(ctx: Context) -> tuple[Equation, Equation] | None:
    """The two applicant columns' equations when exactly two fail, by +n and −n, and the 总计 column balances."""
    diffs = _differences(ctx)
    total = [d for eq, d in diffs if ctx.spec.fields[eq.fix].is_total]  # the 总计 column: its cells are totals
    if len(total) != 1 or total[0] != 0:
        return None
    failing = [(eq, d) for eq, d in diffs if d != 0 and not ctx.spec.fields[eq.fix].is_total]
    if len(failing) == 2 and failing[0][1] == -failing[1][1]:
        return failing[0][0], failing[1][0]
    return None


def swapped_scopes(ctx: Context) -> frozenset[str]:
    """The R-BALANCE scopes a swap finding stands for (their own R-BALANCE findings are not given)."""
    pair = swapped(ctx)
    return frozenset(eq.scope for eq in pair) if pair else frozenset()


def applicant_swap_findings(ctx: Context) -> Iterator[Finding]:
    pair = swapped(ctx)
    if pair is None:
        return
    spec = ctx.spec
    a, b = pair
    diff = {eq.scope: sum((ctx.values[c] for c in eq.lhs), 0) - sum((ctx.values[c] for c in eq.rhs), 0) for eq in pair}
    name = {eq.scope: spec.fields[eq.fix].col_labels[-1] for eq in pair}
    total = next(spec.fields[eq.fix].col_labels[-1] for eq in spec.equations if eq.rule == "R-BALANCE" and spec.fields[eq.fix].is_total)
    n = abs(diff[a.scope])

    def signed(v) -> str:
        return ("+" if v > 0 else "") + format_number(v)

    table = spec.table_of[a.fix]
    official = next(lb.text for lb in table.labels if lb.role == "note").strip("（）").split("：", 1)[-1]  # the 勾稽 note
    note = (
        f"{table.name}“{name[a.scope]}”列与“{name[b.scope]}”列的勾稽关系（{official}）"
        f"分别相差 {signed(diff[a.scope])} 和 {signed(diff[b.scope])}，而“{total}”列平衡：很可能有{format_number(n)}件申请"
        f"在一些行计入了“{name[a.scope]}”、在另一些行计入了“{name[b.scope]}”（申请人类型前后不一致），请核对这两列各行的件数"
    )
    cells = (a.fix, b.fix) + tuple(c for c in a.cells + b.cells if c not in (a.fix, b.fix))
    yield make("R-APPLICANT-SWAP", f"{a.scope}+{b.scope}", spec, cells=cells, note=note)

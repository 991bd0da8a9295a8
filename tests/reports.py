"""Consistent reports for the tests and the benchmark: random inputs of every kind, then 表三 balanced.

The balance is made from the format's own R-BALANCE equations (their cell to fix is 四、结转下年度继续办理), so no
row or column id is written here and the 2019 format needs nothing of its own. No test framework is imported:
callers pass how to draw a number (hypothesis or random.Random).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from gkxl.model import Report
from gkxl.formats import Format, Kind


def random_values(spec: Format, *, count: Callable[[], int], signed: Callable[[], int], amount: Callable[[], Decimal]) -> dict:
    """A value for every input cell, drawn by kind."""
    draw = {Kind.COUNT: count, Kind.SIGNED: signed, Kind.AMOUNT: amount}
    return {cid: draw[spec.fields[cid].kind]() for cid in spec.inputs}


def balance(report: Report) -> Report:
    """The report with every R-BALANCE equation holding: each equation's input to fix set to what balances it.

    Where that would be negative, the first input of the other side is raised instead and the fix set to 0.
    Other cells are left as they are; the balance needs its own cells filled.
    """
    spec = report.spec
    values = dict(report.values)
    for eq in spec.equations:
        if eq.rule != "R-BALANCE" or not spec.fields[eq.fix].is_input:
            continue
        full = Report(report.format, report.year, report.agency, values).with_totals()
        need = sum(full[c] for c in eq.rhs) - sum(full[c] for c in eq.lhs if c != eq.fix)
        if need < 0:
            raise_ = next(c for c in eq.rhs if spec.fields[c].is_input)
            values[raise_] += -need
            need = 0
        values[eq.fix] = need
    return Report(report.format, report.year, report.agency, values, dict(report.narrative), dict(report.explanations), dict(report.meta))

"""Mutation, the workbook version: in a consistent workbook, changing one input cell by ±k (with openpyxl) makes
exactly the rules fail whose equation holds that cell, once totals are expanded into their inputs; each finding
located at the sheet and A1 cell of the equation's cell to fix.

In a workbook the totals are formulas, recomputed from the inputs: a changed input keeps its row's 总计 and its
column's （七）总计 right, so only the equations where the cell does not cancel out (the 勾稽关系) can fail.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reports import balance, random_values
from workbook_helpers import openpyxl_edit, write_workbook

from gkxl.intake import check_path
from gkxl.model import Report
from gkxl.formats import Format, Kind, all_formats
from gkxl.formats.layout import field_address

FORMATS = all_formats()


def expand(spec: Format, ids: tuple[str, ...]) -> Counter:
    """The inputs a side of an equation adds up, with multiplicity (a total counts as its terms)."""
    out: Counter = Counter()
    for cid in ids:
        terms = spec.fields[cid].terms
        out.update(expand(spec, terms) if terms else {cid: 1})
    return out


def expected_keys(spec: Format, cid: str) -> list[str]:
    return sorted(f"{eq.rule}.{eq.scope}" for eq in spec.equations if expand(spec, eq.lhs)[cid] != expand(spec, eq.rhs)[cid])


@st.composite
def consistent(draw) -> Report:
    spec = draw(st.sampled_from(FORMATS))
    values = random_values(
        spec,
        count=lambda: draw(st.integers(0, 60)),
        signed=lambda: draw(st.integers(-50, 50)),
        amount=lambda: draw(st.decimals(min_value=0, max_value=10**5, places=2, allow_nan=False, allow_infinity=False)),
    )
    return balance(Report(spec.id, 2023 if spec.id == "2021" else 2020, "变异测试局", values))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=consistent(), data=st.data())
def test_one_changed_input_cell_fails_exactly_its_rules(report, data):
    spec = report.spec
    cid = data.draw(st.sampled_from(spec.inputs))
    k = data.draw(st.integers(1, 9) | st.integers(-9, -1))
    value = report.values[cid] + (Decimal(k) if spec.fields[cid].kind is Kind.AMOUNT else k)
    if spec.fields[cid].kind is not Kind.SIGNED and value < 0:
        value = report.values[cid] + abs(k)
    addr = field_address(spec, cid)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(report, Path(tmp) / "a.xlsx")
        assert check_path(path)[0].findings == []
        changed = openpyxl_edit(path, Path(tmp) / "b.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, value))
        result, _ = check_path(changed)
    assert sorted(f.key for f in result.findings) == expected_keys(spec, cid), cid
    for f in result.findings:
        eq = next(e for e in spec.equations if (e.rule, e.scope) == (f.rule, f.scope))
        fix = field_address(spec, eq.fix)
        assert (f.file, f.sheet, f.cell) == (str(changed), fix.sheet, fix.a1)
        assert f.actual - f.expected == f.difference != 0


def test_the_expansion_finds_the_official_identity():
    """Sanity of the oracle: a 表三 result cell unbalances its column and the 总计 column, nothing else."""
    spec = FORMATS[0]
    assert expected_keys(spec, "sec3.granted.business") == ["R-BALANCE.business", "R-BALANCE.total"]
    assert expected_keys(spec, "sec4.review.upheld") == []
    assert expected_keys(spec, "sec2.penalty.decisions") == []

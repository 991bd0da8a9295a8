"""Property: in a consistent report, changing one cell by k fails exactly the rules whose equations hold that cell."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reports import balance, random_values

from gkxl.model import Report
from gkxl.rules import run_rules
from gkxl.formats import Kind, all_formats

FORMATS = all_formats()


@st.composite
def consistent_reports(draw):
    """A random report whose given totals and balance all hold (totals written out explicitly)."""
    spec = draw(st.sampled_from(FORMATS))
    values = random_values(
        spec,
        count=lambda: draw(st.integers(0, 500)),
        signed=lambda: draw(st.integers(-50, 50)),
        amount=lambda: draw(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)),
    )
    report = balance(Report(spec.id, 2023 if spec.id == "2021" else 2020, "示例局", values))
    return Report(spec.id, report.year, report.agency, report.with_totals())  # every total given explicitly


@settings(max_examples=60, deadline=None)
@given(report=consistent_reports(), data=st.data())
def test_one_changed_cell_fails_exactly_the_rules_that_hold_it(report, data):
    assert run_rules(report) == []
    spec = report.spec
    cid = data.draw(st.sampled_from(sorted(report.values)))
    k = data.draw(st.integers(1, 9) | st.integers(-9, -1))
    mutated = Report(report.format, report.year, report.agency, dict(report.values))
    mutated.values[cid] = report.values[cid] + k
    if spec.fields[cid].kind is Kind.COUNT and mutated.values[cid] < 0:
        mutated.values[cid] = report.values[cid] + abs(k)
    expected = sorted(f"{eq.rule}.{eq.scope}" for eq in spec.equations if cid in eq.cells)
    got = sorted(f.key for f in run_rules(mutated))
    assert got == expected, cid

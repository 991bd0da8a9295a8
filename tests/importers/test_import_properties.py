"""Properties over both formats: any values round-trip through a published rendering, and a damaged row is never guessed.

The published text is rendered here from the spec's grid (labels and cells in reading order), with random values
and random label noise (half-width punctuation, spaces); what matters is that the importer recovers exactly the
values, whatever they are, and places nothing it is not sure of.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkxl.importers import import_file
from gkxl.formats import Kind, Label, all_formats

FORMATS = all_formats()
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_HALF = str.maketrans("（），：“”", "(),:\"\"")


def _value(kind: Kind):
    if kind is Kind.AMOUNT:
        return st.decimals(min_value=0, max_value=99999, places=3, allow_nan=False, allow_infinity=False).map(lambda d: format(d, "f"))
    if kind is Kind.SIGNED:
        return st.integers(-99, 99).map(str)
    return st.one_of(st.integers(0, 5000).map(str), st.sampled_from(["/", "—", ""]))


def _noisy(draw, text: str) -> str:
    how = draw(st.sampled_from(["as is", "half-width", "space"]))
    if how == "half-width":
        return text.translate(_HALF)
    if how == "space" and len(text) > 2:
        at = draw(st.integers(1, len(text) - 1))
        return text[:at] + " " + text[at:]
    return text


def render(draw, spec, year: int) -> tuple[list[str], dict[str, str], list[int]]:
    """The report as copied-from-web lines; the raw text of each cell; the line numbers of value cells."""
    raws: dict[str, str] = {}
    lines = [f"示例局{year}年政府信息公开工作年度报告", f"本报告中所列数据的统计期限为{year}年1月1日至{year}年12月31日。"]
    value_lines: list[int] = []
    for heading in spec.headings:
        lines.append(heading)
        tables = [t for t in spec.tables if t.heading == heading]
        if not tables:
            lines.append("示例文字。")
        for t in tables:
            for item in sorted([*t.labels, *t.fields], key=lambda x: (x.row, x.col)):
                if isinstance(item, Label):
                    lines.append(_noisy(draw, item.text) + " |")
                else:
                    raws[item.id] = draw(_value(item.kind))
                    value_lines.append(len(lines))
                    lines.append(raws[item.id] + " |")
    return lines, raws, value_lines


def _expected(spec, raws: dict[str, str]) -> dict:
    out = {}
    for cid, raw in raws.items():
        if raw in ("/", "—", ""):
            continue
        out[cid] = Decimal(raw) if spec.fields[cid].kind is Kind.AMOUNT else int(raw)
    return out


@pytest.mark.parametrize("spec", FORMATS, ids=lambda f: f.id)
@SETTINGS
@given(data=st.data())
def test_any_values_round_trip(spec, data, tmp_path):
    year = 2020 if spec.id == "2019" else 2024
    lines, raws, _ = render(data.draw, spec, year)
    p = tmp_path / "r.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    r = import_file(p)
    assert r.report.format == spec.id and r.report.year == year and r.report.agency == "示例局"
    assert r.unreadable == []
    assert r.report.values == _expected(spec, raws)
    assert r.blank == sum(1 for v in raws.values() if v in ("/", "—", ""))
    assert set(r.trace) == set(spec.fields)


@pytest.mark.parametrize("spec", FORMATS, ids=lambda f: f.id)
@SETTINGS
@given(data=st.data())
def test_a_lost_or_run_together_cell_is_never_guessed(spec, data, tmp_path):
    year = 2020 if spec.id == "2019" else 2024
    lines, raws, value_lines = render(data.draw, spec, year)
    at = data.draw(st.sampled_from(value_lines))
    how = data.draw(st.sampled_from(["delete", "join", "join with space"]))
    if how == "delete" or at + 1 not in value_lines:
        del lines[at]
    else:
        glue = " " if how == "join with space" else ""
        lines[at : at + 2] = [lines[at].removesuffix(" |") + glue + lines[at + 1]]
    p = tmp_path / "r.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    r = import_file(p)
    assert r.unreadable, "a damaged row must be listed as unreadable"
    expected = _expected(spec, raws)
    # every value that was placed is the one published in that cell: nothing shifted into a neighbour
    assert {c: v for c, v in r.report.values.items()} == {c: expected[c] for c in r.report.values}
    assert all(f.rule == "R-VALUE" for f in r.findings)
    # and nothing published is silently lost: a value not placed has its finding
    assert set(expected) - set(r.report.values) <= {f.scope for f in r.findings}

"""Flattened copied text (a row's cells run together): decoded by the equations the row itself carries, never by
the column rules; random valid reports come back exactly or as "unreadable", and with one arithmetic error
injected the rows still decode the same way and `gkxl check` names the broken rule."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importers.shapes import flattened
from reports import balance, random_values
from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.formats import all_formats, get_format
from gkxl.importers import import_file
from gkxl.importers.flat import MAX_STEPS, decode_row
from gkxl.model import Report

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _row(spec, table: str, row_id: str):
    return [f for f in spec.table(table).fields if f.id.startswith(f"{table}.{row_id}.")]


# The issue's own examples, typed here: 表三's first row, 表四's fifteen digits, 表二's runs.
def test_sec3_row_fixed_by_its_total():
    spec = get_format("2021")
    d = decode_row(spec, _row(spec, "sec3", "granted"), "230000023")
    assert d.values == (23, 0, 0, 0, 0, 0, 23) and d.readings == 1
    assert [eq.rule for eq in d.equations] == ["R-ROW-TOTAL"]


def test_sec4_fifteen_digits_fixed_by_the_three_group_totals():
    spec = get_format("2021")
    d = decode_row(spec, list(spec.table("sec4").fields), "10203120001200000")
    assert d.values == (1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)
    assert sorted(eq.scope for eq in d.equations) == ["litigation_after_review", "litigation_direct", "review"]


def test_sec2_row_without_equation_only_when_one_split():
    spec = get_format("2021")
    row = _row(spec, "sec2", "regulations")
    assert decode_row(spec, row, "000").values == (0, 0, 0)
    d = decode_row(spec, row, "3960181")
    assert d.values is None and d.readings > 1 and d.equations == ()


def test_column_rules_are_never_used():
    """The equations a row may use lie within the row; R-BALANCE and R-RESULTS-SUM (columns) never do."""
    for spec in all_formats():
        for t in spec.tables:
            rows: dict[int, list] = {}
            for f in t.fields:
                rows.setdefault(f.row, []).append(f)
            for fields in rows.values():
                d = decode_row(spec, fields, "0" * len(fields))
                assert {eq.rule for eq in d.equations} <= {"R-ROW-TOTAL", "R-SEC4-TOTAL"}


def test_a_long_run_is_bounded_and_unreadable():
    spec = get_format("2021")
    d = decode_row(spec, _row(spec, "sec3", "granted"), "1" * 80)
    assert d.values is None and d.readings in (-1, 0)
    assert MAX_STEPS <= 100_000


def test_unreadable_row_keeps_raw_text_and_number_of_readings(tmp_path):
    spec = get_format("2021")
    report = Report("2021", 2023, "示例局", {c: 0 for c in spec.fields})
    text = flattened(report).replace("\n000\n", "\n3960181\n", 1)  # 表二 规章
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    r = import_file(p)
    row = [u for u in r.unreadable if u.raw == "3960181"]
    assert row and "种可能的读法" in row[0].what
    assert not any(c.startswith("sec2.regulations.") for c in r.report.values)


def _report(draw, spec) -> Report:
    hi = draw(st.sampled_from([2, 9, 60, 400]))
    rnd = random.Random(draw(st.integers(0, 2**32)))
    zero = draw(st.floats(0.2, 0.9))
    values = random_values(
        spec,
        count=lambda: 0 if rnd.random() < zero else rnd.randint(0, hi),
        signed=lambda: rnd.randint(-hi, hi),
        amount=lambda: Decimal(rnd.randint(0, 10**7)) / 1000,
    )
    year = 2020 if spec.id == "2019" else 2024
    report = balance(Report(spec.id, year, "示例市示例局", values))
    return replace(report, values=report.with_totals())


def _check_flattened(report, tmp_path, *, same_line=False, seed=0):
    p = tmp_path / "flat.txt"
    p.write_text(flattened(report, rng=random.Random(seed), same_line=same_line), encoding="utf-8")
    result = import_file(p)
    got = result.report.values
    # exactly the values, or not at all: no other number
    assert {c: report.values[c] for c in got} == got
    unread = set(report.values) - set(got)
    assert unread <= {f.scope for f in result.findings if f.rule == "R-VALUE"}, "a cell not read is listed"
    for u in result.unreadable:
        assert u.raw, "an unreadable row shows its raw text"
    return result, p


@pytest.mark.parametrize("spec", all_formats(), ids=lambda f: f.id)
@SETTINGS
@given(data=st.data())
def test_random_valid_reports_flattened_decode_exactly_or_unreadable(spec, data, tmp_path):
    report = _report(data.draw, spec)
    result, _ = _check_flattened(report, tmp_path, same_line=data.draw(st.booleans()), seed=data.draw(st.integers(0, 99)))
    # a row decoded by its equation says so in its trace
    for cid, t in result.trace.items():
        if "数字连在一起" in t.note and "等式" in t.note:
            assert "不能作为这些单元格的检查依据" in t.note


def _inject_column_error(draw, report: Report) -> tuple[Report, str]:
    """One result cell (and its row total, so the row still adds up) raised: 表三's column sums break."""
    spec = report.spec
    results = [f for f in spec.table("sec3").fields if f.is_input and any(
        f.id in spec.fields[t].terms for t in spec.totals if t.startswith("sec3.results_total."))]
    cell = draw(st.sampled_from(results))
    delta = draw(st.integers(1, 30))
    row_total = next(t for t in spec.totals if cell.id in spec.fields[t].terms and spec.fields[t].row == cell.row)
    values = dict(report.values)
    values[cell.id] += delta
    values[row_total] += delta
    return replace(report, values=values), cell.id


@pytest.mark.parametrize("spec", all_formats(), ids=lambda f: f.id)
@SETTINGS
@given(data=st.data())
def test_an_arithmetic_error_is_still_read_and_named_by_check(spec, data, tmp_path):
    broken, cid = _inject_column_error(data.draw, _report(data.draw, spec))
    result, path = _check_flattened(broken, tmp_path, seed=data.draw(st.integers(0, 99)))
    row = [f.id for f in spec.table("sec3").fields if f.row == spec.fields[cid].row]
    column = cid.rsplit(".", 1)[1]
    equation = next(eq for eq in spec.equations if eq.rule == "R-RESULTS-SUM" and eq.scope == column)
    res = CliRunner().invoke(app, ["check", str(path), "--json"])
    assert res.exit_code == 1, res.output
    doc = json.loads(res.output)["files"][0]
    if all(c in result.report.values for c in row):
        # the row was decoded by its own total, exactly as published: the column error did not choose it
        assert all(result.report.values[c] == broken.values[c] for c in row)
    if all(c in result.report.values for c in equation.cells):
        assert any(f["rule"] == "R-RESULTS-SUM" and f["scope"] == column for f in doc["findings"]), "check names it"
    else:
        # a cell of that column could not be read: listed, and the verdict says the report was partly read
        assert set(equation.cells) & set(doc["unread_cells"])
        assert "只读出部分数值" in doc["verdict"] and not doc["passed"]


def _brute(spec, fields, digits: str, spaces: frozenset = frozenset()) -> list[tuple[int, ...]]:
    """Every reading, by trying every split (small rows only), kept where the row's equations hold."""
    from itertools import combinations

    from gkxl.importers.flat import row_equations

    n = len(fields)
    index = {f.id: i for i, f in enumerate(fields)}
    out = []
    for cuts in combinations(range(1, len(digits)), n - 1):
        parts = [digits[a:b] for a, b in zip((0, *cuts), (*cuts, len(digits)))]
        if any(len(p) > 1 and p[0] == "0" for p in parts) or not spaces <= set(cuts):
            continue
        values = [int(p) for p in parts]
        if all(sum(values[index[c]] for c in eq.lhs) == sum(values[index[c]] for c in eq.rhs) for eq in row_equations(spec, fields)):
            out.append(tuple(values))
    return out


@settings(max_examples=300, deadline=None)
@given(row=st.sampled_from(["granted", "results_total", "sec4", "sec2"]), digits=st.text("0123456789", min_size=3, max_size=16),
       zeros=st.booleans(), spaces=st.sets(st.integers(1, 15), max_size=4))
def test_the_search_finds_exactly_the_readings_a_brute_force_finds(row, digits, zeros, spaces):
    spec = get_format("2021")
    if row == "sec4":
        fields = list(spec.table("sec4").fields)
    elif row == "sec2":
        fields = _row(spec, "sec2", "regulations")
    else:
        fields = _row(spec, "sec3", row)
    if zeros:
        digits = "".join("0" if d in "3456789" else d for d in digits)
    if len(digits) < len(fields):
        digits = digits + "0" * (len(fields) - len(digits))
    spaces = frozenset(x for x in spaces if x < len(digits))
    brute = _brute(spec, fields, digits, spaces)
    cuts = sorted(spaces)
    pieces = [digits[a:b] for a, b in zip((0, *cuts), (*cuts, len(digits)))]
    d = decode_row(spec, fields, digits, pieces)
    from gkxl.importers.flat import BLANK_POSSIBLE, fewest

    if row == "sec2" and len(brute) == 1 and fewest(pieces) < len(fields):  # blank cells could explain it too
        assert d.readings == BLANK_POSSIBLE and d.values is None
        return
    assert d.readings == len(brute)
    assert d.values == (brute[0] if len(brute) == 1 else None)


def test_spaces_are_where_cells_end():
    """A row whose total is wrong as published, copied with a space between cells: read as written (the check
    then names R-ROW-TOTAL), never re-split into numbers that happen to add up (138 139 1401 41 1421 4 3144)."""
    spec = get_format("2021")
    row = _row(spec, "sec3", "refused.state_secret")
    assert decode_row(spec, row, "138139140141142143144").values == (138, 139, 1401, 41, 1421, 4, 3144)  # without spaces
    pieces = "138 139 140 141 142 143 144".split()
    assert decode_row(spec, row, "".join(pieces), pieces).values is None  # one split only, and it does not add up
    assert decode_row(spec, row, "230000023", ["230", "000023"]).values == (23, 0, 0, 0, 0, 0, 23)


def test_a_row_with_a_wrong_total_copied_with_spaces_is_read_as_written(tmp_path):
    spec = get_format("2021")
    values = {c: 0 for c in spec.fields}
    row = _row(spec, "sec3", "granted")
    for i, f in enumerate(row):
        values[f.id] = 10 + i  # the total (16) is not the sum: a published error
    text = flattened(Report("2021", 2023, "示例局", values), same_line=True)
    text = text.replace("101112131415" + "16", "10 11 12 13 14 15 16")
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    r = import_file(p)
    assert [r.report.values[f.id] for f in row] == [10, 11, 12, 13, 14, 15, 16]
    res = CliRunner().invoke(app, ["check", str(p), "--json"])
    assert any(f["rule"] == "R-ROW-TOTAL" and f["scope"] == "granted" for f in json.loads(res.output)["files"][0]["findings"])


def test_sec2_row_without_equation_not_read_when_blank_cells_could_explain_it():
    """"300" for three cells splits only as 3, 0, 0 — or is blank, blank, 300: a row without an equation is read
    only when its digits cannot be fewer cells ("000", "007": every zero stands alone)."""
    from gkxl.importers.flat import BLANK_POSSIBLE, fewest

    spec = get_format("2021")
    row = _row(spec, "sec2", "regulations")
    assert decode_row(spec, row, "300").values is None and decode_row(spec, row, "300").readings == BLANK_POSSIBLE
    assert decode_row(spec, row, "007").values == (0, 0, 7)
    assert decode_row(spec, row, "000").values == (0, 0, 0)
    assert fewest(["300"]) == 1 and fewest(["007"]) == 3 and fewest(["0300", "5"]) == 3

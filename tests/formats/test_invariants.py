"""Spec invariants: the contract's cell ids exactly, unique positions, totals that refer to existing inputs."""

from __future__ import annotations

import pytest
from official import SEC3_COLUMNS, ids

from gkxl.formats import Kind, all_formats, format_for_year, get_format

@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_ids_are_exactly_the_contract_ids(fmt):
    assert list(get_format(fmt).fields) == ids(fmt)


@pytest.mark.parametrize("spec", all_formats(), ids=lambda f: f.id)
def test_grid_positions_are_unique_and_inside_the_table(spec):
    for t in spec.tables:
        taken: dict[tuple[int, int], str] = {}
        for item, span in [(lb, lb.rowspan) for lb in t.labels] + [(f, 1) for f in t.fields]:
            for r in range(item.row, item.row + span):
                for c in range(item.col, item.col + item.colspan):
                    assert (r, c) not in taken, (t.key, r, c)
                    assert 0 <= r < t.n_rows and 0 <= c < t.n_cols
                    taken[(r, c)] = getattr(item, "id", getattr(item, "text", ""))
        assert len(taken) == t.n_rows * t.n_cols, f"{t.key}: every grid cell is covered"
        assert sum(t.col_widths_mm) <= 156.0 + 1e-6 and len(t.col_widths_mm) == t.n_cols


@pytest.mark.parametrize("spec", all_formats(), ids=lambda f: f.id)
def test_totals_sum_existing_cells_and_carried_forward_stays_an_input(spec):
    for tid in spec.totals:
        assert all(t in spec.fields for t in spec.fields[tid].terms)
    assert all(spec.fields[f"sec3.carried_forward.{c}"].is_input for c in SEC3_COLUMNS[:-1])
    assert spec.fields["sec3.carried_forward.total"].is_total
    assert {tid.rsplit(".", 1)[0] for tid in spec.totals if tid.startswith("sec4")} == {
        "sec4.review", "sec4.litigation_direct", "sec4.litigation_after_review"}


def test_kinds_money_is_decimal_and_2019_change_may_be_negative():
    assert get_format("2021").fields["sec2.fees.amount_wan"].kind is Kind.AMOUNT
    f19 = get_format("2019").fields
    assert f19["sec2.licensing.change"].kind is Kind.SIGNED and f19["sec2.fees.change"].kind is Kind.SIGNED
    assert f19["sec2.procurement.amount"].kind is Kind.AMOUNT


def test_format_by_year():
    assert format_for_year(2019).id == "2019" and format_for_year(2020).id == "2019"
    assert format_for_year(2021).id == "2021" and format_for_year(2025).id == "2021"
    with pytest.raises(ValueError):
        format_for_year(2018)

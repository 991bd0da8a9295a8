"""The spec's labels and spans equal the official tables, compared with the lists typed in tests/official.py."""

from __future__ import annotations

import pytest
from official import SECTION_HEADINGS, official

from gkxl.formats import get_format


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("table", ["sec2", "sec3", "sec4"])
def test_table_labels_and_spans_equal_the_official_table(fmt, table):
    spec_table = get_format(fmt).table(table)
    got = [(lb.text, lb.row, lb.col, lb.rowspan, lb.colspan) for lb in spec_table.labels]
    expected = official(fmt)[spec_table.name][0]
    assert sorted(got, key=lambda x: (x[1], x[2])) == sorted(expected, key=lambda x: (x[1], x[2]))


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("table", ["sec2", "sec3", "sec4"])
def test_inputs_and_totals_sit_where_the_official_table_has_them(fmt, table):
    spec_table = get_format(fmt).table(table)
    _, inputs, totals = official(fmt)[spec_table.name]
    assert sorted((f.row, f.col, f.colspan) for f in spec_table.fields if f.is_input) == sorted(inputs)
    assert sorted((f.row, f.col) for f in spec_table.fields if f.is_total) == sorted(totals)


def test_results_block_spans_22_rows_in_2021_and_20_in_2019():
    for fmt, rows in (("2021", 22), ("2019", 20)):
        results = next(lb for lb in get_format(fmt).table("sec3").labels if lb.text == "三、本年度办理结果")
        assert results.rowspan == rows


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_headings_are_the_six_official_headings(fmt):
    assert list(get_format(fmt).headings) == SECTION_HEADINGS

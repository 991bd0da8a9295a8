"""Generated fixtures of the plain-text shapes real reports come in (issue 16), from our own reports: the whole
report on one line (run-on), Markdown/OCR output ("#" headings, "|" tables with a made-up header row, "<br>" in
cells, rows under "###" headings of their own), and `pdftotext -layout` text (columns set by spaces, labels
wrapped over the lines above and below their numbers, group labels down the side, page numbers and form feeds
between rows). Whatever the values, every value read is the one the source carries, and a cell not read is said.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importers.shapes import layout, markdown, runon
from reports import balance, random_values

from gkxl.formats import all_formats
from gkxl.importers import import_file
from gkxl.model import Report
from gkxl.rules import run_rules

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ARITHMETIC = ("R-BALANCE", "R-RESULTS-SUM", "R-ROW-TOTAL", "R-SEC4-TOTAL")


def _report(draw, spec) -> Report:
    hi = draw(st.sampled_from([2, 9, 60, 400, 90000]))
    rnd = random.Random(draw(st.integers(0, 2**32)))
    zero = draw(st.floats(0.1, 0.9))
    values = random_values(
        spec,
        count=lambda: 0 if rnd.random() < zero else rnd.randint(0, hi),
        signed=lambda: rnd.randint(-hi, hi),
        amount=lambda: Decimal(rnd.randint(0, 10**7)) / 1000,
    )
    report = balance(Report(spec.id, 2020 if spec.id == "2019" else 2024, "示例市示例局", values))
    return replace(report, values=report.with_totals())


def _import(tmp_path, text: str):
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    return import_file(p)


def _never_wrong(report: Report, result) -> set[str]:
    """Every value read is the source's; every cell not read has its finding; returns the cells not read."""
    got = result.report.values
    assert {c: report.values[c] for c in got if c in report.values} == {c: v for c, v in got.items() if c in report.values}
    assert set(got) <= set(report.values)
    unread = set(report.values) - set(got)
    listed = {f.scope for f in result.findings if f.rule == "R-VALUE"}
    listed |= {c for f in result.findings if f.rule == "R-LAYOUT" for c in f.cells}  # a table not found at all
    assert unread <= listed, "a cell not read is listed"
    assert all(u.raw or "未找到" in u.what for u in result.unreadable), "an unreadable row shows its raw text"
    return unread


@pytest.mark.parametrize("spec", all_formats(), ids=lambda f: f.id)
@SETTINGS
@given(data=st.data())
def test_runon_text_reads_rows_exactly_or_not_at_all(spec, data, tmp_path):
    report = _report(data.draw, spec)
    rng = random.Random(data.draw(st.integers(0, 999)))
    result = _import(tmp_path, runon(report, rng=rng, spaced=data.draw(st.sampled_from([0.0, 0.3]))))
    assert result.report.agency == "示例市示例局" and result.report.year == report.year
    _never_wrong(report, result)
    # the tables whose rows carry their own equation (表三, 表四) are found and read by the row-equation decoder
    assert any(c.startswith("sec3.") for c in result.report.values)


@pytest.mark.parametrize("spec", all_formats(), ids=lambda f: f.id)
@SETTINGS
@given(data=st.data())
def test_runon_text_with_a_space_between_cells_reads_everything(spec, data, tmp_path):
    report = _report(data.draw, spec)
    result = _import(tmp_path, runon(report, rng=random.Random(data.draw(st.integers(0, 999))), spaced=1.0))
    assert _never_wrong(report, result) == set()
    assert result.report.values == report.values


@pytest.mark.parametrize("spec", all_formats(), ids=lambda f: f.id)
@SETTINGS
@given(data=st.data())
def test_markdown_text_reads_everything(spec, data, tmp_path):
    report = _report(data.draw, spec)
    text = markdown(report, rng=random.Random(data.draw(st.integers(0, 999))), headed=data.draw(st.booleans()))
    result = _import(tmp_path, text)
    assert _never_wrong(report, result) == set()
    assert result.report.values == report.values


@pytest.mark.parametrize("spec", all_formats(), ids=lambda f: f.id)
@SETTINGS
@given(data=st.data())
def test_layout_text_reads_everything(spec, data, tmp_path):
    report = _report(data.draw, spec)
    text = layout(report, rng=random.Random(data.draw(st.integers(0, 999))), wrap=data.draw(st.sampled_from([0.0, 0.5, 1.0])))
    result = _import(tmp_path, text)
    assert _never_wrong(report, result) == set()
    assert result.report.values == report.values


@pytest.mark.parametrize("shape", ["runon", "markdown", "layout"])
def test_an_arithmetic_error_printed_is_found_in_every_shape(shape, tmp_path):
    """One cell of 表三 raised with its row total (the row still adds up): the column sum breaks, and the check
    says so whatever shape the text came in."""
    spec = all_formats()[-1]
    report = balance(Report(spec.id, 2024, "示例市示例局", {c: 1 for c in spec.inputs}))
    values = report.with_totals()
    values["sec3.granted.natural_person"] += 5
    values["sec3.granted.total"] += 5
    bad = replace(report, values=values)
    render = {"runon": lambda r: runon(r, spaced=1.0), "markdown": markdown, "layout": layout}[shape]
    result = _import(tmp_path, render(bad))
    assert result.report.values == values
    keys = {f.key for f in run_rules(result.report, found=result.findings) if f.rule in ARITHMETIC}
    assert keys and all(k.startswith("R-RESULTS-SUM.") or k.startswith("R-BALANCE.") for k in keys)


@pytest.mark.parametrize("render", [runon, markdown, layout], ids=["runon", "markdown", "layout"])
def test_the_demo_report_in_every_shape(render, demo_report, tmp_path):
    report = replace(demo_report, values=demo_report.with_totals())
    result = _import(tmp_path, render(report))
    assert result.report.agency == report.agency and result.report.year == report.year
    _never_wrong(report, result)
    if render is not runon:
        assert result.report.values == report.values


def test_a_row_label_torn_from_its_numbers_is_not_read(tmp_path):
    """Markdown where a row's label stands apart from its numbers, another row's numbers in between: neither
    row is placed by counting."""
    spec = all_formats()[-1]
    report = balance(Report(spec.id, 2024, "示例市示例局", {c: 1 for c in spec.inputs}))
    report = replace(report, values=report.with_totals())
    text = markdown(report, br=0.0)
    a = "| 2.其他法律行政法规禁止公开 |"
    b = "| 3.危及“三安全一稳定” |"
    lines = text.splitlines()
    ia = next(i for i, x in enumerate(lines) if x.startswith(a))
    ib = next(i for i, x in enumerate(lines) if x.startswith(b))
    # the two rows' labels printed above both rows of numbers, as OCR of a PDF table sometimes does
    nums_a = "| " + lines[ia][len(a):].strip()
    nums_b = "| " + lines[ib][len(b):].strip()
    assert ib == ia + 1
    lines[ia:ib + 1] = ["2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", nums_a, nums_b]
    result = _import(tmp_path, "\n".join(lines))
    _never_wrong(report, result)
    assert not any(c.startswith(("sec3.refused.prohibited_by_law.", "sec3.refused.three_safeties.")) for c in result.report.values)


def test_converted_text_keeps_the_agency_as_printed_and_says_so(tmp_path):
    """OCR misreads names (a 沐 for a 沭): the agency is kept as printed, the user is told to check it, and
    --agency (agency=) overrides it."""
    spec = all_formats()[-1]
    report = balance(Report(spec.id, 2024, "沐阳县示例局", {c: 1 for c in spec.inputs}))
    report = replace(report, values=report.with_totals())
    p = tmp_path / "r.txt"
    p.write_text(markdown(report), encoding="utf-8")
    r = import_file(p)
    assert r.report.agency == "沐阳县示例局"
    assert any("按原文读取为“沐阳县示例局”" in n and "--agency" in n for n in r.notes)
    r = import_file(p, agency="沭阳县示例局")
    assert r.report.agency == "沭阳县示例局" and not any("按原文读取" in n for n in r.notes)
    assert r.report.values == report.values


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "unclosed"])
@pytest.mark.parametrize("spec", all_formats(), ids=lambda f: f.id)
def test_html_tables_inside_text_are_read(spec, tmp_path, closed):
    """A converter's text with the tables left as HTML (<table>, rowspan/colspan, <br> in a cell); HTML may leave
    </td> and </tr> out, and a cell then still begins where its <td> opens."""
    from importers.shapes import narrative_lines, table_html, title

    rng = random.Random(7)
    report = _report_fixed(spec, rng)
    lines = [title(report)[0], f"本报告中所列数据的统计期限为{report.year}年1月1日至{report.year}年12月31日。"]
    for heading in spec.headings:
        lines.append(heading)
        tables = [t for t in spec.tables if t.heading == heading]
        if not tables:
            lines.extend(narrative_lines(report, heading))
        for t in tables:
            html = table_html(report, t, cell=lambda text, is_label: text.replace("，", "，<br>") if is_label else text)
            html = html.replace("<tr>", "\n<tr>")
            lines.append(html if closed else re.sub(r"</t[dhr]>", "", html))
    result = _import(tmp_path, "\n".join(lines))
    assert _never_wrong(report, result) == set()
    assert result.report.values == report.values


def _report_fixed(spec, rng: random.Random) -> Report:
    values = random_values(spec, count=lambda: rng.randint(0, 300), signed=lambda: rng.randint(-30, 30),
                           amount=lambda: Decimal(rng.randint(0, 10**6)) / 100)
    report = balance(Report(spec.id, 2020 if spec.id == "2019" else 2024, "示例市示例局", values))
    return replace(report, values=report.with_totals())


def test_runon_headings_are_found_in_running_text_typo_included(tmp_path):
    """A heading run into the text around it, one with a typo (行政法复议), and the headings' words mentioned
    without their numbers in the preamble (not taken for headings)."""
    spec = all_formats()[-1]
    report = _report_fixed(spec, random.Random(3))
    text = runon(report, spaced=1.0)
    text = text.replace("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政法复议、行政诉讼情况")
    text = text.replace("本报告中所列数据", "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六个部分。本报告中所列数据", 1)
    r = _import(tmp_path, text)
    assert r.report.values == report.values
    assert any("行政法复议" in v for v in r.variants)

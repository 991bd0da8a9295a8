"""Round trip, property-based: random valid reports → fill → export give back exactly the same report."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbook_helpers import cli, digest, write_workbook

from gkxl.excel.reader import read_workbook
from gkxl.excel.writer import build_workbook
from gkxl.model import Report, report_from_json, report_to_json
from gkxl.formats import Kind, all_formats, format_for_year
from gkxl.values import format_number

FORMATS = {f.id: f for f in all_formats()}
YEARS = {"2019": (2019, 2020), "2021": (2021, 2030)}

# Chinese text, ASCII, full-width punctuation, spaces of all kinds; no control characters (a cell cannot hold them).
LETTERS = st.characters(categories=("Lo", "Lu", "Ll", "Nd", "Po", "Ps", "Pe", "Sm", "Zs"), max_codepoint=0x9FFF)
CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
ONE_LINE = st.text(st.one_of(CHINESE, LETTERS, st.sampled_from("，。、“”（）_-")), min_size=1, max_size=40).map(str.strip).filter(bool)
PARAGRAPHS = st.text(st.one_of(CHINESE, LETTERS, st.sampled_from("，。、“”\n\n　=_")), min_size=1, max_size=200).filter(str.strip)
NARRATIVE_TEXT = st.one_of(PARAGRAPHS, PARAGRAPHS.map(lambda t: "=" + t), st.just("=SUM(A1:A3)\n第二段"))


def value_of(kind: Kind):
    if kind is Kind.AMOUNT:
        return st.decimals(min_value=0, max_value=10**8, places=4, allow_nan=False, allow_infinity=False)
    if kind is Kind.SIGNED:
        return st.integers(-(10**6), 10**6)
    return st.integers(0, 10**7)


@st.composite
def reports(draw) -> Report:
    spec = FORMATS[draw(st.sampled_from(sorted(FORMATS)))]
    year = draw(st.integers(*YEARS[spec.id]))
    assert format_for_year(year) is spec
    values = {}
    for cid in spec.inputs:
        if draw(st.integers(0, 9)):  # one cell in ten left blank
            values[cid] = draw(value_of(spec.fields[cid].kind))
    narrative = {s.id: draw(NARRATIVE_TEXT) for s in spec.sections if draw(st.booleans())}
    keys = st.from_regex(r"R-[A-Z]{2,10}\.[a-z_]{1,12}(\.[a-z_]{1,12})?", fullmatch=True)
    explanations = draw(st.dictionaries(keys, PARAGRAPHS.map(str.strip).filter(bool), max_size=5))
    meta = {}
    if draw(st.booleans()):
        meta["issuer"] = draw(ONE_LINE)
    if draw(st.booleans()):
        meta["issued_on"] = draw(st.dates(min_value=__import__("datetime").date(2019, 1, 1), max_value=__import__("datetime").date(2031, 12, 31))).isoformat()
    if draw(st.booleans()):
        fee = draw(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False))
        meta["fee_yuan"] = format_number(fee.normalize()) if fee else "0"
    return Report(spec.id, year, draw(ONE_LINE), values, narrative, explanations, meta)


def assert_same(got: Report, want: Report) -> None:
    assert (got.format, got.year, got.agency) == (want.format, want.year, want.agency)
    assert got.values == want.values
    for cid, value in want.values.items():  # 万元 stays a Decimal, never a float
        assert type(got.values[cid]) is type(value)
    assert got.narrative == want.narrative
    assert got.explanations == want.explanations
    assert got.meta == want.meta


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(), locked=st.booleans())
def test_write_then_read_gives_the_report_back(report, locked):
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(report, Path(tmp) / "a.xlsx", lock_agency=locked)
        loaded = read_workbook(path)
    assert loaded.found == [] and loaded.locked_agency is locked
    assert_same(loaded.report, report)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(), locked=st.booleans(), template_agency=ONE_LINE)
def test_fill_then_export_gives_the_report_back(report, locked, template_agency):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # a template for this unit (locked) or for anyone (the data's unit is taken)
        agency = report.agency if locked else template_agency
        template = tmp / "模板.xlsx"
        template.write_bytes(build_workbook(Report(report.format, report.year, agency), lock_agency=locked))
        data = tmp / "数据.json"
        data.write_text(report_to_json(report), encoding="utf-8")
        before = (digest(template), digest(data))
        filled = tmp / "已填.xlsx"
        result = cli("fill", template, "--data", data, "-o", filled)
        assert result.exit_code == 0, result.stdout + result.stderr
        exported = tmp / "导出.json"
        result = cli("export", filled, "-o", exported)
        assert result.exit_code == 0, result.stdout + result.stderr
        assert (digest(template), digest(data)) == before
        back, found = report_from_json(exported.read_text(encoding="utf-8"))
    assert found == []
    want = Report(report.format, report.year, report.agency, report.with_totals(), report.narrative, report.explanations, report.meta)
    assert_same(back, want)


def test_escapes_and_special_text_survive(tmp_path):
    report = Report(
        "2021", 2023, "某局_x0041_",
        {"sec2.fees.amount_wan": Decimal("0.0001"), "sec2.licensing.decisions": 10**7},
        {"preamble": "a_x0041_b\n=1+1\n\n　全角空格 ", "problems": "@SUM(1)"},
        {"R-MISSING.sec2.regulations.issued": "_x000D_ 不是回车"},
        {"fee_yuan": "0.01"},
    )
    assert_same(read_workbook(write_workbook(report, tmp_path / "a.xlsx")).report, report)

"""一图读懂: every number and label drawn is the report's (read back from the SVG's text), shares add up to 100.0 %,
and the hard cases (no applications, 6-digit counts, a 40-character agency, the 2019 format, 草稿, five earlier
years) render with no two texts overlapping and none outside the canvas (matplotlib's own text boxes).

PNGs of the hard cases are written to tests/_artifacts/figures/ for a person to look at.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from figure_helpers import assert_figure_matches, assert_no_overlap, shown, svg_texts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkxl.errors import InputError
from gkxl.figures import fonts
from gkxl.figures.content import largest_remainder, report_content
from gkxl.figures.draw import PNG_DPI, W, a4_figures, figure, render
from gkxl.formats import Kind, get_format
from gkxl.model import Report

from conftest import ARTIFACTS  # noqa: E402 (tests/conftest.py)
from reports import balance

try:
    FONT = fonts.find_font()
except InputError:
    FONT = None
pytestmark = pytest.mark.skipif(FONT is None, reason="no CJK font on this machine: install fonts-noto-cjk (.ci/run does)")

AGENCY_CHARS = "示例市区县人力资源和社会保障局政府办公室生态环境住房城乡建设委员会街道乡镇（）·ABC12$^_\\&<>\"'{}%"


def make(format_id: str, year: int, agency: str, number, *, signed=lambda: 0, amount=lambda: Decimal("12.5")) -> Report:
    spec = get_format(format_id)
    draw = {Kind.COUNT: number, Kind.SIGNED: signed, Kind.AMOUNT: amount}
    values = {cid: draw[spec.fields[cid].kind]() for cid in spec.inputs}
    return balance(Report(format_id, year, agency, values))


@st.composite
def reports(draw, year: int | None = None, format_id: str | None = None):
    if format_id is None:
        format_id = draw(st.sampled_from(["2021", "2019"]))
    if year is None:
        year = draw(st.integers(2021, 2026)) if format_id == "2021" else draw(st.sampled_from([2019, 2020]))
    spec = get_format(format_id)
    count = st.one_of(st.just(0), st.integers(0, 30), st.integers(0, 999_999))
    values = {}
    for cid in spec.inputs:
        kind = spec.fields[cid].kind
        if kind is Kind.AMOUNT:
            values[cid] = draw(st.decimals(min_value=0, max_value=999_999, places=draw(st.integers(0, 6)), allow_nan=False, allow_infinity=False))
        elif kind is Kind.SIGNED:
            values[cid] = draw(st.integers(-999, 999))
        else:
            values[cid] = draw(count)
    agency = draw(st.text(alphabet=AGENCY_CHARS, min_size=1, max_size=40))
    report = balance(Report(format_id, year, agency, values))
    for cid in draw(st.lists(st.sampled_from(spec.inputs), unique=True, max_size=4)):  # cells left blank (a 草稿)
        del report.values[cid]
    return report


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_number_and_label_drawn_is_the_reports(data):
    report = data.draw(reports())
    last = None
    if data.draw(st.booleans()):
        prev_year = report.year - 1
        last = data.draw(reports(year=prev_year, format_id="2021" if prev_year >= 2021 else "2019")) if prev_year >= 2019 else None
        if last is not None:
            last = Report(last.format, last.year, report.agency, last.values)
    content = report_content(report, [last] if last else [])
    texts = svg_texts(render(content, FONT, "svg"))
    assert_figure_matches(report, texts, last=last)
    if last is not None:  # the trend: each year's 新收 as its table holds it
        for r in (last, report):
            assert texts[f"value:series:new:{r.year}"] == shown(r.with_totals().get("sec3.new_received.total"))
            assert texts[f"year:trend:new:{r.year}"] == f"{r.year}年"
            # 行政复议 and 行政诉讼 (the two groups summed) as the year's 表四 holds them
            v = r.with_totals()
            totals = [f.id for f in r.spec.table("sec4").fields if f.is_total]  # 行政复议, then the two 行政诉讼
            lit = [v.get(c) for c in totals[1:]]
            assert texts[f"value:series:review:{r.year}"] == shown(v.get(totals[0]))
            assert texts[f"value:series:litigation:{r.year}"] == shown(None if None in lit else sum(lit))
    else:
        assert not any(k.startswith("change:") for k in texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=8))
def test_largest_remainder_adds_up_to_exactly_100_percent(counts):
    tenths = largest_remainder(counts)
    total = sum(counts)
    if total == 0:
        assert tenths == [0] * len(counts)
        return
    assert sum(tenths) == 1000
    for c, t in zip(counts, tenths):
        assert abs(Decimal(t) - Decimal(c) * 1000 / total) < 1


def test_known_shares():
    assert largest_remainder([1, 1, 1]) == [334, 333, 333]  # 33.4 + 33.3 + 33.3
    assert largest_remainder([2, 2, 0, 1, 0, 0]) == [400, 400, 0, 200, 0, 0]
    assert largest_remainder([0, 0]) == [0, 0]


# The hard cases: rendered, no overlap, inside the canvas; the PNG kept for a person to look at -------------------

def _zero(fmt="2021", year=2024):
    r = make(fmt, year, "示例县交通运输局", lambda: 0)
    return r


def _six_digits():
    return make("2021", 2024, "示例市示例区人力资源和社会保障局", lambda: 999_999, amount=lambda: Decimal("999999.999999"))


def _long_agency():
    agency = "示例省示例市示例区人民政府办公室示例街道办事处综合行政执法大队示例社区居民委员会"
    assert len(agency) == 40
    return make("2021", 2024, agency, lambda: 7)


def _format_2019():
    return make("2019", 2020, "示例市示例区人力资源和社会保障局", lambda: 123456, signed=lambda: -99)


CASES = {
    "zero-applications": (_zero, 0, False),
    "six-digits": (_six_digits, 0, False),
    "agency-40": (_long_agency, 0, False),
    "format-2019": (_format_2019, 0, False),
    "draft-five-years-six-digits": (_six_digits, 5, True),
    "zero-2019": (lambda: _zero("2019", 2020), 1, False),
}


def _previous(report: Report, n: int) -> list[Report]:
    out = []
    for k in range(1, n + 1):
        y = report.year - k
        fmt = "2021" if y >= 2021 else "2019"
        out.append(make(fmt, y, report.agency, lambda: 999_999 - k))
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_hard_cases_render_without_overlap(case):
    build, n_prev, draft = CASES[case]
    report = build()
    previous = _previous(report, n_prev)
    content = report_content(report, previous, draft=draft)
    fig = figure(content, FONT)
    assert fig.get_size_inches()[0] * 96 == pytest.approx(W)
    n = assert_no_overlap(fig)
    assert n > 30
    pages = a4_figures(content, FONT)
    assert any(t.get_gid().startswith("part:") for t in pages[0].axes[0].texts)  # never the header alone on page 1
    for page in pages:  # the PDF's pages too
        assert tuple(round(x, 2) for x in page.get_size_inches()) == (8.27, 11.69)
        assert_no_overlap(page)
    texts = svg_texts(render(content, FONT, "svg"))
    assert_figure_matches(report, texts, last=next((p for p in previous if p.year == report.year - 1), None))
    if draft:
        assert texts["title:draft"] == "草稿"
    if case.startswith("zero"):
        assert texts["note:sec3"] == "本年度未收到政府信息公开申请，无上年结转申请"  # drafting's sentence, from the format
        assert not any(k.startswith("pct:") for k in texts)
    folder = ARTIFACTS / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    png = render(content, FONT, "png")
    (folder / f"{case}.png").write_bytes(png)
    import struct

    width, _height = struct.unpack(">II", png[16:24])
    assert width == W * PNG_DPI // 96 == 2160


def test_results_without_applications_this_year_are_not_called_none():
    """Applications carried over and none new: the figure does not say 未收到 (it would be untrue)."""
    spec = get_format("2021")
    values = {cid: 0 for cid in spec.inputs}
    values["sec3.carried_over.natural_person"] = 3
    values["sec3.granted.natural_person"] = 3
    report = Report("2021", 2024, "示例局", values)
    texts = svg_texts(render(report_content(report), FONT, "svg"))
    assert "note:sec3" not in texts
    assert texts["pct:share:予以公开"] == "100.0%"
    assert_figure_matches(report, texts)


def test_missing_cells_are_drawn_as_dashes_never_as_zero():
    spec = get_format("2021")
    report = make("2021", 2024, "示例局", lambda: 2)
    del report.values["sec2.penalty.decisions"]
    texts = svg_texts(render(report_content(report, draft=True), FONT, "svg"))
    assert texts["value:sec2.penalty.decisions"] == "—"
    assert texts["title:draft"] == "草稿"
    assert any("草稿" in v for k, v in texts.items() if k.startswith("footer:"))
    assert spec.fields["sec2.penalty.decisions"]


def test_svg_keeps_text_as_text_with_cjk_fallbacks():
    report = make("2021", 2024, "示例局", lambda: 5)
    svg = render(report_content(report), FONT, "svg").decode()
    assert "<path" in svg and "<text" in svg
    assert 'width="810pt"' in svg  # 1080 CSS px
    families = re.findall(r"font-family: ([^;\"]+)", svg)
    assert families and all(f.startswith(f"'{FONT.family}'") and f.endswith("sans-serif") for f in families)
    assert "Microsoft YaHei" in families[0]
    from lxml import etree

    root = etree.fromstring(svg.encode())
    assert root[0].tag.endswith("title") and root[0].text == "示例局2024年政府信息公开工作年度报告 一图读懂"


def test_no_cjk_font_is_one_line_naming_what_to_install():
    with pytest.raises(InputError) as exc:
        fonts.find_font(("No Such Font Family",))
    assert "fonts-noto-cjk" in exc.value.message and "\n" not in exc.value.message


def test_fonts_without_chinese_glyphs_are_not_used():
    with pytest.raises(InputError):
        fonts.find_font(("DejaVu Sans",))  # installed with matplotlib; no Chinese glyphs: would draw boxes


def test_the_overlap_check_sees_an_overlap():
    """The check above would fail on a picture with two texts on one another (it is not vacuous)."""
    fig = figure(report_content(_long_agency()), FONT)
    ax = fig.axes[0]
    first = ax.texts[0]
    ax.text(*first.get_position(), first.get_text(), fontsize=first.get_fontsize(), family=FONT.family, ha=first.get_ha(), va="top", gid="extra")
    with pytest.raises(AssertionError, match="overlaps"):
        assert_no_overlap(fig)
    ax.text(W - 5, 10, "画布之外的文字", fontsize=30, family=FONT.family, gid="outside")
    with pytest.raises(AssertionError):
        assert_no_overlap(fig)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_random_reports_render_without_overlap(data):
    report = data.draw(reports())
    n_prev = data.draw(st.integers(0, 3))
    previous = [Report("2021" if report.year - k >= 2021 else "2019", report.year - k, report.agency,
                       data.draw(reports(year=report.year - k, format_id="2021" if report.year - k >= 2021 else "2019")).values)
                for k in range(1, n_prev + 1) if report.year - k >= 2019]
    content = report_content(report, previous, draft=data.draw(st.booleans()))
    assert_no_overlap(figure(content, FONT))


def test_a_line_break_in_the_name_does_not_break_the_layout():
    report = make("2021", 2024, "示例市\n示例局\t（\r\n）", lambda: 3)
    content = report_content(report)
    assert content.agency == "示例市 示例局 （  ）"
    assert_no_overlap(figure(content, FONT))


def test_the_content_part_is_pure():
    """What the picture shows is decided without matplotlib or any I/O library (the drawing is the adapter)."""
    import subprocess
    import sys

    code = ("import sys, gkxl.figures.content, gkxl.figures.summary;"
            "print(','.join(m for m in ('matplotlib', 'PIL', 'openpyxl', 'xlsxwriter', 'docx', 'typer', 'rich', 'lxml') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == ""

"""Web pages as government CMSs publish them (TRS, ucap, Word pasted into an editor), made from the project's own
reports: attributes on every tag, <o:p>, <span style>, &nbsp;, paragraphs inside cells, rowspan/colspan, GBK and
GB2312 pages with and without a declared charset, the article body alone; and only what a browser shows counts
(issue 10: 405 beside a hidden "1" must never become 4051)."""

from __future__ import annotations

import html
import re

import pytest
from importers.shapes import report_html
from word.word_reports import make_report

from gkxl.importers import import_file


def word_pasted(text: str, is_label: bool) -> str:
    """A cell as Word pasted into a CMS editor leaves it: a paragraph per line, styled spans, <o:p>, &nbsp;."""
    t = html.escape(text)
    span = "<span lang=EN-US style='font-size:10.5pt;font-family:仿宋_GB2312;mso-bidi-font-family:宋体'>{}</span>"
    if is_label and len(text) > 6:
        half = len(t) // 2
        return "".join(f"<p class=MsoNormal align=center style='text-align:center;line-height:15.0pt'>{span.format(x)}<o:p></o:p></p>"
                       for x in (t[:half], t[half:]))
    return f"<p class=MsoNormal align=center style='text-align:center'>&nbsp;{span.format(t)}&nbsp;<o:p></o:p></p>"


def _trs(body: str, charset: str | None = "utf-8") -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return (
        f'<!DOCTYPE html><html><head>{meta}<title>政府信息公开工作年度报告_某某网</title>'
        '<script type="text/javascript">var pageNum = 17; document.write("1");</script>'
        "<style type='text/css'>.hid{display:none} .TRS_Editor P{margin-top:5px}</style></head>"
        '<body><div class="header" id="top"><a href="/">首页</a></div>'
        '<div class="main"><div class="TRS_Editor" id="zoom"><!-- 正文开始 -->'
        f"{body}"
        '<!-- 正文结束 --></div></div><div class="footer"><p>主办单位：某某市人民政府办公室</p></div></body></html>'
    )


@pytest.fixture
def report():
    return make_report("2021")


def _write(tmp_path, text: str, encoding: str = "utf-8", name: str = "r.html"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def _cms_cells(doc: str) -> str:
    """Attributes on every table tag, as TRS and ucap editors write them."""
    doc = doc.replace("<table>", '<table class="MsoNormalTable" border=1 cellspacing=0 cellpadding=0 width=600 style="border-collapse:collapse;border:none">')
    doc = doc.replace("<tr>", '<tr style="height:20.0pt">')
    return doc.replace("<td ", '<td valign=middle style="border:solid windowtext 1.0pt;padding:0cm 5.4pt" ')


def test_word_pasted_trs_page_imports_exactly(report, tmp_path):
    body = _cms_cells(report_html(report, cell=word_pasted, body_only=True))
    r = import_file(_write(tmp_path, _trs(body)))
    assert r.unreadable == []
    assert r.report.values == report.values
    assert r.report.agency == report.agency and r.report.year == report.year


@pytest.mark.parametrize("encoding,declared", [("gbk", "gb2312"), ("gb18030", "GBK"), ("gbk", None)])
def test_gbk_pages_declared_or_not(report, tmp_path, encoding, declared):
    body = _cms_cells(report_html(report, cell=word_pasted, body_only=True))
    r = import_file(_write(tmp_path, _trs(body, declared), encoding))
    assert r.unreadable == []
    assert r.report.values == report.values
    assert r.report.agency == report.agency


def test_article_body_without_title(report, tmp_path):
    """The article body alone: no title, the year only in the 统计期限, the agency unknown and said so."""
    body = report_html(report, title_lines=[], body_only=True)
    r = import_file(_write(tmp_path, f"<div>{body}</div>", name="正文.htm"))
    assert r.report.year == report.year
    assert r.report.agency == ""
    assert any("机关全称" in n for n in r.notes)
    assert r.report.values == report.values


@pytest.mark.parametrize("nian_du,two_lines", [(True, False), (False, True), (True, True)])
def test_titles_as_published(report, tmp_path, nian_du, two_lines):
    from importers.shapes import title

    lines = title(report, nian_du=nian_du, two_lines=two_lines)
    r = import_file(_write(tmp_path, report_html(report, title_lines=lines)))
    assert r.report.agency == report.agency and r.report.year == report.year


# Only visible text: (markup around the value 105, what a browser shows)
HIDDEN = {
    "display:none": '105<span style="display:none">1</span>',
    "visibility:hidden": '105<span style="VISIBILITY: hidden">1</span>',
    "class rule": '105<span class="hid">1</span>',
    "hidden attribute": "105<span hidden>1</span>",
    "sup mark": "105<sup>1</sup>",
    "sub mark": "105<sub>1</sub>",
    "deleted": "<del>7</del>105",
    "struck": "<s>7</s><strike>8</strike>105",
    "comment": "10<!-- 1 -->5",
    "script": "105<script>document.write('1')</script>",
    "mso-hide": "105<span style='mso-hide:all'>1</span>",
}


@pytest.mark.parametrize("case", list(HIDDEN))
def test_only_visible_text_counts(report, tmp_path, case):
    cid = next(c for c, v in report.values.items() if v == 105)
    page = _trs(report_html(report, body_only=True)).replace(">105<", f">{HIDDEN[case]}<", 1)
    assert HIDDEN[case] in page
    r = import_file(_write(tmp_path, page))
    assert r.report.values[cid] == 105
    assert r.report.values == report.values
    if case not in ("comment", "script"):
        assert any("未读入" in n for n in r.notes), "what was left out is said"


@pytest.mark.parametrize("markup", ["105<p>1</p>", "105<br>1", "105&nbsp;1", "105 <span>1</span>"])
def test_a_cell_showing_two_numbers_is_unreadable_with_its_text(report, tmp_path, markup):
    cid = next(c for c, v in report.values.items() if v == 105)
    page = report_html(report).replace(">105<", f">{markup}<", 1)
    r = import_file(_write(tmp_path, page))
    assert cid not in r.report.values  # never 1051, never 105
    assert any(re.sub(r"\s", "", u.raw) == "1051" and "105" in u.raw for u in r.unreadable)
    others = {c: v for c, v in report.values.items() if c != cid}
    assert {c: r.report.values[c] for c in others if c in r.report.values} == {c: v for c, v in others.items() if c in r.report.values}
    assert len(r.report.values) == len(report.values) - 1


def test_fee_to_the_fen_is_read_exactly_or_listed(report, tmp_path):
    """4166.241619 万元 (to the 分, as published): exact once the fee holds 6 places; never rounded."""
    from decimal import Decimal

    from gkxl.formats import AMOUNT_PLACES

    fee = report.values["sec2.fees.amount_wan"]
    page = report_html(report).replace(f">{fee}<", ">4166.241619<", 1)
    r = import_file(_write(tmp_path, page))
    if AMOUNT_PLACES >= 6:
        assert r.report.values["sec2.fees.amount_wan"] == Decimal("4166.241619")
        assert str(r.report.values["sec2.fees.amount_wan"]) == "4166.241619"
    else:
        assert "sec2.fees.amount_wan" not in r.report.values
        assert any(u.raw == "4166.241619" for u in r.unreadable)

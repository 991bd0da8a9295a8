"""The .docx re-opened: page setup, fonts on every style and run, headings in order, and the three official tables
(grid, merges, labels, numbers) for both formats. Expected labels and layouts are typed here from
official-format.md and data-contract.md, independently of gkxl.formats."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import docx
import pytest
from word_reports import make_report
from wordgrid import NS, Docx, grid, grid_size, q, style_of, text_of
from official import (
    NOTE, NOT_PROCESSED, OTHER_2021, REFUSED, SEC2_IDS, SEC3_COLUMNS, SEC3_ROWS, SEC4_COLUMNS, SEC4_IDS,
    SECTION_HEADINGS, UNABLE, official,
)

from gkxl.values import format_number
from gkxl.word import styles as st
from gkxl.word.reference import build_reference, bundled_reference
from gkxl.word.text import title_lines, warnings_for
from gkxl.word.writer import build_report

SUBHEADINGS = ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障",
               "（一）存在的主要问题", "（二）改进情况"]
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]")

# 表二, row by row: (label text, colspan) for a label, (None, colspan) for a number; from the typed official grid.
V = None


def _rows(fmt: str) -> list[list[tuple[str | None, int]]]:
    labels, inputs, _ = official(fmt)["表二"]
    cells = {(r, c): (t, cs) for t, r, c, _, cs in labels} | {(r, c): (V, cs) for r, c, cs in inputs}
    n_rows = max(r for r, _ in cells) + 1
    return [[cells[k] for k in sorted(k for k in cells if k[0] == r)] for r in range(n_rows)]


SEC2 = {fmt: _rows(fmt) for fmt in ("2021", "2019")}
ITEMS = REFUSED + UNABLE + NOT_PROCESSED

TWIPS_PER_MM = 1440 / 25.4


@pytest.fixture
def doc(report) -> Docx:
    return Docx(build_report(report))


def _paragraphs_and_tables(d: Docx) -> list[tuple[str, str]]:
    out = []
    for e in d.body:
        if e.tag == q("p"):
            out.append((style_of(e) or "", text_of(e)))
        elif e.tag == q("tbl"):
            out.append(("TABLE", ""))
    return out


# ------------------------------------------------------------------------------------------------- page and fonts


def test_page_size_margins_and_grid(doc):
    sp = doc.sect_pr
    size = sp.find("w:pgSz", NS)
    assert (int(size.get(q("w"))), int(size.get(q("h")))) == (11906, 16838)  # A4 in twips
    mar = sp.find("w:pgMar", NS)
    got = {k: int(mar.get(q(k))) / TWIPS_PER_MM for k in ("top", "bottom", "left", "right")}
    assert got == pytest.approx({"top": 37, "bottom": 35, "left": 28, "right": 26}, abs=0.1)
    grid_el = sp.find("w:docGrid", NS)
    assert grid_el.get(q("linePitch")) == "579"  # 28.95 pt: 22 lines in the 225 mm text height
    # Exact line spacing of the body: 22 lines of 579 twips fit the text height.
    assert doc.resolved("Normal", "w:pPr/w:spacing/@w:line") == "579"
    assert doc.resolved("Normal", "w:pPr/w:spacing/@w:lineRule") == "exact"
    assert 22 * 579 <= (297 - 37 - 35) * TWIPS_PER_MM


def test_python_docx_reads_it_back(doc):
    d = docx.Document(io.BytesIO(doc.data))
    sec = d.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    assert d.settings.odd_and_even_pages_header_footer is True
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 1"] == SECTION_HEADINGS


def test_every_used_style_has_east_asian_fonts_and_no_theme_fonts(doc):
    used = set()
    for name, data in doc.parts.items():
        if name.endswith(".xml") and name.startswith("word/") and b"pStyle" in data:
            used |= {e.get(q("val")) for e in doc.xml(name).iter(q("pStyle"))}
    assert {"Normal", "Heading1", "Heading2", "DocTitle", "TableText", "TableHeader", "TableNote", "TableTextSmall",
            "TableHeaderSmall", "PageNumber", "Signature"} <= used
    for sid in used:
        assert doc.style(sid) is not None, f"style {sid} is used but not defined"
        assert doc.resolved(sid, "w:rPr/w:rFonts/@w:eastAsia"), f"style {sid} has no East Asian font"
        assert doc.resolved(sid, "w:rPr/w:rFonts/@w:ascii"), f"style {sid} has no Latin font"
    for name, data in doc.parts.items():
        assert b"Theme=" not in data and b"cstheme" not in data, f"theme font reference left in {name}"
    assert doc.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(q("eastAsia")) == "zh-CN"
    theme = doc.parts["word/theme/theme1.xml"].decode()
    assert 'script="Jpan"' not in theme and "ＭＳ" not in theme  # no Japanese fallback faces (python-docx #1601)


def test_every_run_with_chinese_names_its_east_asian_font(doc):
    parts = ["word/document.xml"] + [n for n in doc.parts if re.match(r"word/(footer|header)", n)]
    checked = 0
    for name in parts:
        for r in doc.xml(name).iter(q("r")):
            text = "".join(t.text or "" for t in r.iter(q("t")))
            if CJK.search(text):
                fonts = r.find("w:rPr/w:rFonts", NS)
                assert fonts is not None and fonts.get(q("eastAsia")), f"run “{text}” in {name} has no w:eastAsia"
                checked += 1
    assert checked > 50


def test_styles_follow_gbt9704(doc):
    def size(sid):
        return int(doc.resolved(sid, "w:rPr/w:sz/@w:val")) / 2

    def east(sid):
        return doc.resolved(sid, "w:rPr/w:rFonts/@w:eastAsia")

    assert (size("Normal"), east("Normal")) == (16, "仿宋_GB2312")  # 3号 仿宋
    assert (size("DocTitle"), east("DocTitle")) == (22, "方正小标宋简体")  # 2号 小标宋
    assert (size("Heading1"), east("Heading1")) == (16, "黑体")
    assert (size("Heading2"), east("Heading2")) == (16, "楷体_GB2312")
    assert (size("PageNumber"), east("PageNumber")) == (14, "宋体")  # 4号 宋体
    assert size("TableText") == 10.5 and size("TableTextSmall") == 9  # 五号, 小五
    assert doc.resolved("Heading1", "w:rPr/w:b/@w:val") == "0"  # 黑体 carries its weight; no Word bold
    # Body paragraphs: two characters of first-line indent, justified.
    assert doc.resolved("Normal", "w:pPr/w:ind/@w:firstLineChars") == "200"
    assert doc.resolved("Normal", "w:pPr/w:ind/@w:firstLine") == "640"
    assert doc.resolved("Normal", "w:pPr/w:jc/@w:val") == "both"
    # Styles that must not inherit the indent reset it.
    for sid in ("DocTitle", "TableText", "PageNumber", "Signature"):
        assert doc.resolved(sid, "w:pPr/w:ind/@w:firstLine") == "0", sid
    assert doc.style("Heading1").find("w:pPr/w:outlineLvl", NS).get(q("val")) == "0"  # navigation pane


def test_footers_hold_page_fields_right_on_odd_and_left_on_even(doc):
    settings = doc.xml("word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    for kind, jc in (("default", "right"), ("even", "left")):
        ftr = doc.footer(kind)
        instr = "".join(e.text or "" for e in ftr.iter(q("instrText")))
        simple = [e.get(q("instr")) for e in ftr.iter(q("fldSimple"))]
        assert "PAGE" in instr or any("PAGE" in s for s in simple), kind
        p = ftr.find("w:p", NS)
        assert p.find("w:pPr/w:jc", NS).get(q("val")) == jc
        assert text_of(p) == "— 1 —"  # em dashes (U+2014) around the number
        ind = p.find("w:pPr/w:ind", NS)
        assert ind.get(q("rightChars" if jc == "right" else "leftChars")) == "100"  # 空一字
        assert style_of(p) == "PageNumber"


# ------------------------------------------------------------------------------------------------- content order


def test_headings_and_tables_in_the_official_order(doc, report):
    seq = [(s, t) for s, t in _paragraphs_and_tables(doc) if s in ("DocTitle", "Heading1", "Heading2", "TABLE", "Signature")]
    expected = [("DocTitle", "示例市示例区人力资源和社会保障局" + str(report.year) + "年政府信息公开工作年度报告")]
    expected += [("Heading1", SECTION_HEADINGS[0])] + [("Heading2", h) for h in SUBHEADINGS[:5]]
    expected += [("Heading1", SECTION_HEADINGS[1]), ("TABLE", ""), ("Heading1", SECTION_HEADINGS[2]), ("TABLE", ""),
                 ("Heading1", SECTION_HEADINGS[3]), ("TABLE", "")]
    expected += [("Heading1", SECTION_HEADINGS[4]), ("Heading2", SUBHEADINGS[5]), ("Heading2", SUBHEADINGS[6])]
    expected += [("Heading1", SECTION_HEADINGS[5]), ("Signature", "示例市示例区人力资源和社会保障局"), ("Signature", "2024年1月20日")]
    assert seq == expected


def test_narrative_paragraphs_under_their_headings(doc, report):
    seq = _paragraphs_and_tables(doc)
    texts = [t for _, t in seq]
    # The preamble stands between the title and 一、, one paragraph per line of the narrative.
    assert texts[1:3] == ["本报告依据《中华人民共和国政府信息公开条例》编制。", "数据统计期限为报告年度1月1日至12月31日。"]
    i = texts.index("（一）主动公开")
    assert texts[i + 1 : i + 3] == ["主动公开段落一。", "主动公开段落二。"]
    i = texts.index("（一）存在的主要问题")
    assert texts[i + 1 : i + 4] == ["一是问题一。", "二是问题二。", "（二）改进情况"]
    i = texts.index(SECTION_HEADINGS[5])
    six = texts[i + 1 : i + 3]
    if report.format == "2021":  # 信息处理费: the 2021 format asks for it in 六; the text did not state it
        assert six == ["本年度无其他需要报告的事项。", "本年度未收取信息处理费。"]
    else:
        assert six == ["本年度无其他需要报告的事项。", ""]
    assert all(s == "Normal" for s, t in seq if t.startswith(("一是", "二是", "主动公开段落")))


def test_title_is_one_paragraph_in_balanced_lines(doc):
    title = doc.body.find("w:p", NS)
    assert style_of(title) == "DocTitle"
    lines = []
    for r in title.iter(q("r")):
        if r.find("w:br", NS) is not None:
            lines.append("")
        elif text_of(r):
            if not lines:
                lines.append("")
            lines[-1] += text_of(r)
    assert lines[0] == "示例市示例区人力资源和社会保障局"
    assert lines[1].endswith("年政府信息公开工作年度报告") and lines[1][:4].isdigit()


# ------------------------------------------------------------------------------------------------- tables


def _sec(doc, i):
    return doc.tables()[i]


def test_table_two_grid_labels_and_merges(doc, report):
    tbl = _sec(doc, 0)
    expected = SEC2[report.format]
    assert grid_size(tbl) == (len(expected), 4)
    cells = grid(tbl)
    numbers = []
    for r, row in enumerate(expected):
        got = sorted((c for c in cells.values() if c.row == r), key=lambda c: c.col)
        assert [c.colspan for c in got] == [span for _, span in row], f"row {r}"
        for cell, (text, _) in zip(got, row):
            if text is None:
                numbers.append(cell.text)
            else:
                assert cell.text == text
    values = report.with_totals()
    assert numbers == [format_number(values[i]) for i in SEC2_IDS[report.format]]


def test_table_three_grid_merges_and_labels(doc, report):
    tbl = _sec(doc, 1)
    rows = SEC3_ROWS[report.format]
    assert grid_size(tbl) == (3 + len(rows), 10)
    cells = grid(tbl)

    def at(r, c):
        return cells[(r, c)]

    note = at(0, 0)
    assert (note.text, note.rowspan, note.colspan) == (NOTE, 3, 3)
    assert (at(0, 3).text, at(0, 3).colspan) == ("申请人情况", 7)
    assert (at(1, 3).text, at(1, 3).rowspan) == ("自然人", 2)
    assert (at(1, 4).text, at(1, 4).colspan) == ("法人或其他组织", 5)
    assert (at(1, 9).text, at(1, 9).rowspan) == ("总计", 2)
    assert [at(2, c).text for c in range(4, 9)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert (at(3, 0).text, at(3, 0).colspan) == ("一、本年新收政府信息公开申请数量", 3)
    assert (at(4, 0).text, at(4, 0).colspan) == ("二、上年结转政府信息公开申请数量", 3)
    results = at(5, 0)
    assert results.text == "三、本年度办理结果"
    assert results.rowspan == (22 if report.format == "2021" else 20)  # official HTML: rowspan 22 (2021), 20 (2019)
    assert (at(5, 1).text, at(5, 1).colspan) == ("（一）予以公开", 2)
    assert (at(6, 1).text, at(6, 1).colspan) == ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2)
    assert (at(7, 1).text, at(7, 1).rowspan) == ("（三）不予公开", 8)
    assert (at(15, 1).text, at(15, 1).rowspan) == ("（四）无法提供", 3)
    assert (at(18, 1).text, at(18, 1).rowspan) == ("（五）不予处理", 5)
    assert [at(r, 2).text for r in range(7, 23)] == ITEMS
    if report.format == "2021":
        assert (at(23, 1).text, at(23, 1).rowspan, at(23, 1).colspan) == ("（六）其他处理", 3, 1)
        assert [at(r, 2).text for r in range(23, 26)] == OTHER_2021
    else:
        assert (at(23, 1).text, at(23, 1).rowspan, at(23, 1).colspan) == ("（六）其他处理", 1, 2)  # one row in 2019
    last = 3 + len(rows) - 1
    assert (at(last - 1, 1).text, at(last - 1, 1).colspan) == ("（七）总计", 2)
    assert (at(last, 0).text, at(last, 0).colspan) == ("四、结转下年度继续办理", 3)
    # Every number where its row and column labels say it belongs.
    values = report.with_totals()
    for i, row in enumerate(rows):
        for j, col in enumerate(SEC3_COLUMNS):
            assert at(3 + i, 3 + j).text == format_number(values[f"sec3.{row}.{col}"]), (row, col)


def test_table_four_grid_merges_and_labels(doc, report):
    tbl = _sec(doc, 2)
    assert grid_size(tbl) == (4, 15)
    cells = grid(tbl)
    assert [(c.text, c.colspan) for c in sorted((c for c in cells.values() if c.row == 0), key=lambda c: c.col)] == [
        ("行政复议", 5), ("行政诉讼", 10)]
    row1 = sorted((c for c in cells.values() if c.row == 1), key=lambda c: c.col)
    assert [(c.text, c.rowspan, c.colspan) for c in row1] == [(t, 2, 1) for t in SEC4_COLUMNS] + [
        ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)]
    assert [cells[(2, c)].text for c in range(5, 15)] == SEC4_COLUMNS * 2
    values = report.with_totals()
    assert [cells[(3, c)].text for c in range(15)] == [format_number(values[i]) for i in SEC4_IDS]


def test_tables_widths_header_rows_and_rows_kept_whole(doc, report):
    limit = 156 * TWIPS_PER_MM
    for i, tbl in enumerate(doc.tables()):
        cols = [int(g.get(q("w"))) for g in tbl.findall("w:tblGrid/w:gridCol", NS)]
        assert sum(cols) <= limit + 1, f"table {i} wider than the text area"
        assert tbl.find("w:tblPr/w:tblLayout", NS).get(q("type")) == "fixed"
        for c in grid(tbl).values():
            tcw = int(c.element.find("w:tcPr/w:tcW", NS).get(q("w")))
            assert tcw == sum(cols[c.col : c.col + c.colspan])
        rows = tbl.findall(q("tr"))
        assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in rows)
        header = [tr.find("w:trPr/w:tblHeader", NS) is not None for tr in rows]
        n = {0: 0, 1: 3, 2: 3}[i]  # 表三 and 表四 repeat their three header rows; 表二 has none
        assert header == [True] * n + [False] * (len(rows) - n)


def test_table_text_sizes_and_centred_numbers(doc, report):
    values = report.with_totals()
    for i, tbl in enumerate(doc.tables()):
        cells = grid(tbl)
        expected_size = "18" if i == 2 else "21"  # 小五 for the 15-column table, else 五号
        for c in cells.values():
            p = c.element.find("w:p", NS)
            assert doc.resolved(style_of(p), "w:rPr/w:sz/@w:val") == expected_size
        numbers = {format_number(v) for k, v in values.items() if k.startswith(("sec2", "sec3", "sec4")[i])}
        for c in cells.values():
            if c.text in numbers:
                p = c.element.find("w:p", NS)
                assert doc.resolved(style_of(p), "w:pPr/w:jc/@w:val") == "center"
                assert p.find("w:pPr/w:jc", NS) is None


def test_zero_as_zero_decimals_as_filed_and_missing_as_empty(fmt):
    report = make_report(fmt)
    spec = report.spec
    amount = next(f for f in spec.fields.values() if f.kind.value == "amount")
    count = next(f for f in spec.fields.values() if f.kind.value == "count" and f.is_input)
    values = dict(report.values)
    values[amount.id] = Decimal("151.5980")
    values[count.id] = 0
    gone = "sec4.review.upheld"
    values.pop(gone)
    values.pop("sec4.review.total")  # its term is missing: the total cannot be computed either
    report.values = values
    d = Docx(build_report(report))
    texts = {text_of(tc) for tbl in d.tables() for tc in tbl.iter(q("tc"))}
    assert "151.5980" in texts and "0" in texts
    sec4 = grid(d.tables()[2])
    assert sec4[(3, 0)].text == "" and sec4[(3, 4)].text == ""
    assert any("未填写" in w for w in warnings_for(report))


# ------------------------------------------------------------------------------------------------- text rules


def test_fee_sentence(fmt):
    def six(report):
        texts = [t for _, t in _paragraphs_and_tables(Docx(build_report(report)))]
        i = texts.index(SECTION_HEADINGS[5])
        return texts[i + 1 : texts.index("示例市示例区人力资源和社会保障局", i)]

    r = make_report(fmt, meta={"fee_yuan": "380.50", "issuer": "示例市示例区人力资源和社会保障局"})
    if fmt == "2019":  # the trial format asks nothing about 信息处理费
        assert six(r) == ["本年度无其他需要报告的事项。", ""]
        return
    assert six(r) == ["本年度无其他需要报告的事项。", "本年度收取信息处理费380.50元。", ""]
    stated = make_report(fmt, narrative={**make_report(fmt).narrative, "other_matters": "本年度收取信息处理费200元。"})
    assert six(stated) == ["本年度收取信息处理费200元。", ""]
    none = make_report(fmt, meta={"issuer": "示例市示例区人力资源和社会保障局"})
    assert six(none) == ["本年度无其他需要报告的事项。", ""]
    assert any("信息处理费" in w for w in warnings_for(none))


def test_empty_section_keeps_its_heading_and_warns(fmt):
    narrative = {k: v for k, v in make_report(fmt).narrative.items() if k not in ("overview.platforms", "problems")}
    r = make_report(fmt, narrative=narrative)
    texts = [t for _, t in _paragraphs_and_tables(Docx(build_report(r)))]
    i = texts.index("（四）政府信息公开平台建设")
    assert texts[i + 1] == "（五）监督保障"
    i = texts.index("（一）存在的主要问题")
    assert texts[i + 1] == "（二）改进情况"
    warned = "\n".join(warnings_for(r))
    assert "（四）政府信息公开平台建设" in warned and "（一）存在的主要问题" in warned


def test_no_narrative_at_all_still_gives_every_heading_and_table(fmt):
    r = make_report(fmt, narrative={})
    d = Docx(build_report(r))
    seq = _paragraphs_and_tables(d)
    assert [t for s, t in seq if s == "Heading1"] == SECTION_HEADINGS
    assert [t for s, t in seq if s == "Heading2"] == SUBHEADINGS
    assert len(d.tables()) == 3
    assert any("正文各部分均为空" in w for w in warnings_for(r))


def test_control_characters_are_removed_and_reported(fmt):
    r = make_report(fmt, narrative={**make_report(fmt).narrative, "problems": "一是\x07问题\x0b一。\x00"})
    d = Docx(build_report(r))
    assert "一是问题一。" in [t for _, t in _paragraphs_and_tables(d)]
    assert any("控制字符" in w for w in warnings_for(r))


def test_draft_marks_every_page_header(report):
    plain = Docx(build_report(report))
    assert plain.sect_pr.find("w:headerReference", NS) is None
    assert not any("草稿" in text_of(plain.xml(n)) for n in plain.parts if re.match(r"word/(document|header|footer)", n))
    d = Docx(build_report(report, draft=True))
    for kind in ("default", "even"):
        hdr = d.header(kind)
        assert hdr is not None and text_of(hdr) == "草稿"
    refs = [e.tag for e in d.sect_pr][:4]
    assert refs.count(q("headerReference")) == 2 and refs.count(q("footerReference")) == 2
    docx.Document(io.BytesIO(d.data))  # still a valid package


def test_same_report_gives_the_same_bytes(report):
    assert build_report(report) == build_report(report)


# ------------------------------------------------------------------------------------------------- reference document


def test_bundled_reference_is_built_from_styles_py():
    assert bundled_reference().read_bytes() == build_reference(), "run: python docx_templates/build_reference.py"
    assert build_reference() == build_reference()


def test_font_names_are_configurable(report):
    d = Docx(build_report(report, fonts={"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}))
    assert d.resolved("Normal", "w:rPr/w:rFonts/@w:eastAsia") == "仿宋"
    assert d.resolved("Heading2", "w:rPr/w:rFonts/@w:eastAsia") == "楷体"
    everything = b"".join(d.parts.values()).decode("utf-8", "replace")
    assert "仿宋_GB2312" not in everything and "楷体_GB2312" not in everything
    runs = [r for r in d.document.iter(q("r")) if text_of(r).startswith("主动公开段落")]
    assert runs and all(r.find("w:rPr/w:rFonts", NS).get(q("eastAsia")) == "仿宋" for r in runs)


def test_a_restyled_reference_document_is_used(report, tmp_path, monkeypatch):
    # An office edits the reference: 正文 in 14 pt 仿宋. The writer takes sizes and fonts from it, not from code.
    ref = Docx(build_reference())
    styles = ref.styles
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    normal.find("w:rPr/w:sz", NS).set(q("val"), "28")
    normal.find("w:rPr/w:rFonts", NS).set(q("eastAsia"), "仿宋")
    import zipfile

    path = tmp_path / "office.docx"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in ref.parts.items():
            if name == "word/styles.xml":
                from lxml import etree

                data = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
            zf.writestr(name, data)
    d = Docx(build_report(report, reference=path))
    assert d.resolved("Normal", "w:rPr/w:sz/@w:val") == "28"
    runs = [r for r in d.document.iter(q("r")) if text_of(r) == "依申请公开情况。"]
    assert runs[0].find("w:rPr/w:rFonts", NS).get(q("eastAsia")) == "仿宋"
    monkeypatch.setenv("GKXL_REFERENCE_DOCX", str(path))
    assert Docx(build_report(report)).resolved("Normal", "w:rPr/w:sz/@w:val") == "28"


def test_a_reference_without_the_styles_is_refused(report, tmp_path):
    from gkxl.errors import InputError

    path = tmp_path / "plain.docx"
    docx.Document().save(path)
    with pytest.raises(InputError, match="缺少这些样式"):
        build_report(report, reference=path)


# ------------------------------------------------------------------------------------------------- title lines


@pytest.mark.parametrize(
    ("agency", "lines"),
    [
        ("某局", ["某局2023年政府信息公开工作年度报告"]),
        ("示例市示例区人力资源和社会保障局", ["示例市示例区人力资源和社会保障局", "2023年政府信息公开工作年度报告"]),
        ("国家发展和改革委员会", ["国家发展和改革委员会", "2023年政府信息公开工作年度报告"]),
        ("新疆维吾尔自治区伊犁哈萨克自治州霍尔果斯市市场监督管理局",
         ["新疆维吾尔自治区伊犁哈萨克自治州", "霍尔果斯市市场监督管理局", "2023年政府信息公开工作年度报告"]),
    ],
)
def test_title_line_breaks(agency, lines):
    assert title_lines(agency, 2023) == lines


def test_title_lines_property():
    from hypothesis import given
    from hypothesis import strategies as s

    from gkxl.word.text import TITLE_MAX, _width

    @given(s.text(alphabet="市区县局委员会办公室人民政府发展改革示例某某中心", min_size=0, max_size=40))
    def check(agency):
        lines = title_lines(agency, 2024)
        assert "".join(lines) == f"{agency.strip()}2024年政府信息公开工作年度报告"
        assert 1 <= len(lines) <= 3
        assert all(_width(x) <= TITLE_MAX for x in lines)  # every line fits the 156 mm text width in 2号

    check()


def test_text_width_holds_28_condensed_characters():
    # 28 characters of 16 pt condensed by 0.25 pt must fit the 156 mm line (word-layout.md §1.3, §3.5).
    assert 28 * (st.BODY_PT + st.BODY_CONDENSE / 20) <= st.TEXT_WIDTH_MM / 25.4 * 72

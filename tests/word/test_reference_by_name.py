"""A reference document edited elsewhere: styles are found by their names (LibreOffice renumbers the ids), tolerant
of case, spaces and the Chinese names of built-in styles; every refusal names the file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner
from wordgrid import NS, Docx, q, style_of, text_of

from gkxl.cli.app import app
from gkxl.errors import InputError
from gkxl.office import convert, find_soffice
from gkxl.word import styles as st
from gkxl.word.reference import build_reference, bundled_reference
from gkxl.word.writer import build_report

DEMO = Path(__file__).resolve().parents[2] / "gkxl" / "data" / "demo_2023.json"


def _style_by_id(d: Docx, sid: str) -> etree._Element:
    found = d.style(sid)
    assert found is not None, f"the report uses style {sid!r}, which its styles.xml does not define"
    return found


def assert_styles_used(d: Docx, fonts: dict[str, str], sizes: dict[str, str]) -> None:
    """Every paragraph's style is defined; title, headings, body, table text and table heads have their fonts/sizes."""
    used = {style_of(p) for p in d.body.iter(q("p"))}
    for sid in used:
        _style_by_id(d, sid)
    title = d.body.find(q("p"))
    assert style_of(title) == st.S_TITLE
    for sid, east in fonts.items():
        assert d.resolved(sid, "w:rPr/w:rFonts/@w:eastAsia") == east, sid
    for sid, size in sizes.items():
        assert d.resolved(sid, "w:rPr/w:sz/@w:val") == size, sid
    # The paragraphs carry the styles: a heading 一、 is Heading1, a table head cell is TableHeader.
    heads = [p for p in d.body.iter(q("p")) if text_of(p) == "一、总体情况"]
    assert heads and style_of(heads[0]) == st.S_H1
    cells = [p for t in d.tables() for p in t.iter(q("p")) if text_of(p) == "信息内容"]
    assert cells and style_of(cells[0]) == st.S_TABLE_HEAD
    # Table borders come from Table Grid: the tables still name a defined table style.
    for t in d.tables():
        assert _style_by_id(d, t.find("w:tblPr/w:tblStyle", NS).get(q("val"))).get(q("type")) == "table"


EXPECTED_FONTS = {st.S_TITLE: "方正小标宋简体", st.S_H1: "黑体", st.S_H2: "楷体_GB2312", st.S_NORMAL: "仿宋_GB2312",
                  st.S_TABLE_HEAD: "黑体", st.S_TABLE: "仿宋_GB2312", st.S_TABLE_NOTE: "楷体_GB2312"}
EXPECTED_SIZES = {st.S_TITLE: "44", st.S_H1: "32", st.S_NORMAL: "32", st.S_TABLE: "21", st.S_TABLE_SMALL: "18"}


@pytest.fixture(scope="module")
def libreoffice_reference(tmp_path_factory) -> Path:
    """docx_templates/reference.docx opened and saved again by LibreOffice (soffice --convert-to docx)."""
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui")
    tmp = tmp_path_factory.mktemp("lo-ref")
    src = tmp / "样式参考.docx"
    src.write_bytes(bundled_reference().read_bytes())
    out = convert(src, "docx:MS Word 2007 XML", tmp / "out")
    ids = {s.get(q("styleId")) for s in Docx(out.read_bytes()).styles.iter(q("style"))}
    assert st.S_TITLE not in ids and st.S_TABLE_HEAD not in ids, "LibreOffice kept the ids: the test would prove nothing"
    return out


def test_a_reference_saved_by_libreoffice_is_used_by_its_style_names(libreoffice_reference, tmp_path):
    target = tmp_path / "报告.docx"
    result = CliRunner().invoke(app, ["report", str(DEMO), "-o", str(target), "--reference", str(libreoffice_reference)])
    assert result.exit_code == 0, result.output
    assert_styles_used(Docx(target.read_bytes()), EXPECTED_FONTS, EXPECTED_SIZES)


def test_an_edit_made_in_libreoffice_reaches_the_report(libreoffice_reference, tmp_path):
    """The office changes 正文 to 14 pt and the 一级标题 font in its LibreOffice copy: the report follows."""
    with zipfile.ZipFile(libreoffice_reference) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    styles = etree.fromstring(parts["word/styles.xml"])
    by_name = {s.find(q("name")).get(q("val")): s for s in styles.iter(q("style"))}
    by_name["Normal"].find("w:rPr/w:sz", NS).set(q("val"), "28")
    by_name["Heading 1"].find("w:rPr/w:rFonts", NS).set(q("eastAsia"), "方正黑体简体")
    parts["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
    edited = tmp_path / "改过的样式.docx"
    with zipfile.ZipFile(edited, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    d = Docx(build_report(_demo(), reference=edited))
    assert d.resolved(st.S_NORMAL, "w:rPr/w:sz/@w:val") == "28"
    assert d.resolved(st.S_H1, "w:rPr/w:rFonts/@w:eastAsia") == "方正黑体简体"
    runs = [r for p in d.body.iter(q("p")) if text_of(p) == "一、总体情况" for r in p.iter(q("r"))]
    assert runs and all(r.find("w:rPr/w:rFonts", NS).get(q("eastAsia")) == "方正黑体简体" for r in runs)


def _demo():
    from gkxl.model import report_from_json

    report, _ = report_from_json(DEMO.read_text(encoding="utf-8"))
    return report


def _rewritten(tmp_path: Path, name: str, change) -> Path:
    ref = Docx(build_reference())
    styles = ref.styles
    change(styles)
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        for part, data in ref.parts.items():
            if part == "word/styles.xml":
                data = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
            zf.writestr(part, data)
    return path


def _renumber(styles: etree._Element, names: dict[str, str] | None = None) -> None:
    """Every style gets another id (as LibreOffice and WPS do), references follow; some names changed as given."""
    remap = {}
    for i, s in enumerate(styles.iter(q("style"))):
        remap[s.get(q("styleId"))] = f"a{i}"
    for e in styles.iter():
        key = q("styleId") if e.tag == q("style") else q("val") if e.tag in (q("basedOn"), q("next")) else None
        if key and e.get(key) in remap:
            e.set(key, remap[e.get(key)])
    for s in styles.iter(q("style")):
        name = s.find(q("name"))
        if names and name.get(q("val")) in names:
            name.set(q("val"), names[name.get(q("val"))])


def test_names_are_matched_across_case_spaces_and_chinese_built_in_names(tmp_path):
    """WPS in Chinese writes 标题 1 and 正文; a hand edit writes "HEADING  1" or a full-width space; ids are other."""
    path = _rewritten(tmp_path, "WPS样式.docx", lambda s: _renumber(s, {
        "Normal": "正文", "heading 1": "标题 1", "heading 2": "HEADING\u30002", "公文标题": " 公文标题 ", "Table Grid": "网格型",
    }))
    assert_styles_used(Docx(build_report(_demo(), reference=path)), EXPECTED_FONTS, EXPECTED_SIZES)


def test_a_style_whose_id_another_style_holds_is_still_found_by_name(tmp_path):
    """The reference's 落款 has id a5 while another style is called "Signature": gkxl's Signature is the 落款."""

    def change(styles):
        _renumber(styles)
        extra = etree.SubElement(styles, q("style"), {q("type"): "paragraph", q("styleId"): st.S_SIGNATURE})
        etree.SubElement(extra, q("name"), {q("val"): "Signature Block"})
        etree.SubElement(etree.SubElement(extra, q("pPr")), q("jc"), {q("val"): "left"})

    d = Docx(build_report(_demo(), reference=_rewritten(tmp_path, "冲突.docx", change)))
    signature = d.style(st.S_SIGNATURE)
    assert signature.find(q("name")).get(q("val")) == "落款"
    assert signature.find("w:pPr/w:jc", NS).get(q("val")) == "right"
    ids = [s.get(q("styleId")) for s in d.styles.iter(q("style"))]
    assert len(ids) == len(set(ids))  # the other style moved out of the way, none lost
    assert any(s.find(q("name")).get(q("val")) == "Signature Block" for s in d.styles.iter(q("style")))


def test_every_reference_error_names_the_file(tmp_path):
    renamed = _rewritten(tmp_path, "缺样式.docx", lambda s: _renumber(s, {"表头": "我的表头"}))
    with pytest.raises(InputError, match="缺少这些样式：表头") as exc:
        build_report(_demo(), reference=renamed)
    assert "缺样式.docx" in str(exc.value)
    broken = tmp_path / "坏的.docx"
    broken.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError) as exc:
        build_report(_demo(), reference=broken)
    assert "坏的.docx" in str(exc.value) and "样式参考文档" in str(exc.value)
    no_styles = tmp_path / "无样式.docx"
    with zipfile.ZipFile(bundled_reference()) as zin, zipfile.ZipFile(no_styles, "w") as zout:
        for n in zin.namelist():
            if n != "word/styles.xml":
                zout.writestr(n, zin.read(n))
    with pytest.raises(InputError, match="样式部分") as exc:
        build_report(_demo(), reference=no_styles)
    assert "无样式.docx" in str(exc.value)
    result = CliRunner().invoke(app, ["report", str(DEMO), "-o", str(tmp_path / "r.docx"), "--reference", str(tmp_path / "没有.docx")])
    assert result.exit_code == 2 and "没有.docx" in result.output and "样式参考文档" in result.output


def test_a_reference_that_is_no_regular_file_is_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "管道.docx"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="不是普通文件") as exc:
        build_report(_demo(), reference=fifo)
    assert "管道.docx" in str(exc.value)
    with pytest.raises(InputError, match="不是普通文件"):
        build_report(_demo(), reference=tmp_path)

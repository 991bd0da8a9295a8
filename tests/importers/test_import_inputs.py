"""Unusable or hostile input: encodings, sizes, entities, zip bombs, files that are not reports — one Chinese message."""

from __future__ import annotations

import zipfile

import pytest

import gkxl.importers.from_docx as from_docx
import gkxl.importers.tokens as tokens
from gkxl.errors import InputError
from gkxl.importers import import_file
from importers.published_helpers import SAMPLE_VALUES, to_docx


def test_gb18030_text_without_bom(sample_text, tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes(sample_text.encode("gb18030"))
    assert import_file(p).report.values == SAMPLE_VALUES


def test_utf8_with_bom_and_crlf(sample_text, tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + sample_text.replace("\n", "\r\n").encode("utf-8"))
    assert import_file(p).report.values == SAMPLE_VALUES


def test_too_large_is_refused_before_reading(sample_text, tmp_path, monkeypatch):
    monkeypatch.setattr(tokens, "MAX_BYTES", 1000)
    p = tmp_path / "big.txt"
    p.write_text(sample_text, encoding="utf-8")
    with pytest.raises(InputError, match="文件过大"):
        import_file(p)


def test_html_entities_and_network_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容XYZ", encoding="utf-8")
    page = (
        f'<!DOCTYPE html [<!ENTITY e SYSTEM "file://{secret}">]><html><head>'
        '<link rel="stylesheet" href="http://example.invalid/x.css"></head><body>'
        "<p>示例局2023年政府信息公开工作年度报告</p><p>一、总体情况</p><p>&e;正文</p></body></html>"
    )
    p = tmp_path / "e.html"
    p.write_text(page, encoding="utf-8")
    r = import_file(p)
    assert "机密内容" not in repr(r.report.narrative)


def test_deeply_nested_html_is_refused_or_read_without_crash(tmp_path):
    p = tmp_path / "deep.html"
    p.write_text("<div>" * 5000 + "一、总体情况" + "</div>" * 5000, encoding="utf-8")
    with pytest.raises(InputError):
        import_file(p)  # either too deep, or no report in it: a message, never a crash


def test_docx_that_is_not_a_zip(tmp_path):
    p = tmp_path / "x.docx"
    p.write_bytes(b"not a zip at all")
    with pytest.raises(InputError, match="不是有效的 .docx 文件"):
        import_file(p)


def test_docx_zip_without_document_part(tmp_path):
    p = tmp_path / "x.docx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="没有正文部分"):
        import_file(p)


def test_docx_declared_size_is_checked_before_unpacking(sample_text, tmp_path, monkeypatch):
    p = to_docx(sample_text, tmp_path / "r.docx")
    monkeypatch.setattr(from_docx, "MAX_UNPACKED", 10_000)
    with pytest.raises(InputError, match="解压后过大"):
        import_file(p)


def test_unsupported_suffix(tmp_path):
    p = tmp_path / "r.wps"
    p.write_bytes(b"%PDF")
    with pytest.raises(InputError, match="只能导入"):
        import_file(p)


def test_damaged_pdf_is_one_clear_message(tmp_path):
    p = tmp_path / "r.pdf"
    p.write_bytes(b"%PDF")
    with pytest.raises(InputError, match="PDF") as exc:
        import_file(p)
    assert exc.value.file == str(p)


def test_text_that_is_not_a_report(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("今天天气很好。\n2023年1月1日至2023年12月31日\n", encoding="utf-8")
    with pytest.raises(InputError, match="未找到年度报告的章节标题"):
        import_file(p)


def test_year_that_cannot_be_found_must_be_given(sample_text, tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(sample_text.replace("统计期限为2023年1月1日至2023年12月31日", "统计期限为上一年度"), encoding="utf-8")
    with pytest.raises(InputError, match="--year"):
        import_file(p)
    assert import_file(p, year=2023).report.values == SAMPLE_VALUES


def test_intake_loads_published_reports(sample_text, tmp_path):
    from gkxl.intake import check_path

    p = tmp_path / "r.txt"
    p.write_text(sample_text, encoding="utf-8")
    result, loaded = check_path(p)
    assert loaded.kind == "published" and loaded.report.values == SAMPLE_VALUES
    assert result.passed and result.year == 2023


def test_tables_published_as_pictures_are_said_not_guessed(sample_text, tmp_path):
    """A page framed by a layout table whose tables are pictures: the text is read, every table is named as unread."""
    import html

    from importers.published_helpers import blocks, sample_narrative

    paragraphs = "".join(f"<p>{html.escape(x)}</p>" for kind, x in blocks(sample_text) if kind == "p")
    page = (
        "<html><body><table><tr><td>导航 首页</td><td><p>示例局2023年政府信息公开工作年度报告</p>"
        f"{paragraphs}<img src='table.png'></td></tr></table></body></html>"
    )
    p = tmp_path / "pictures.html"
    p.write_text(page, encoding="utf-8")
    r = import_file(p)
    assert r.report.values == {}
    assert [u.what for u in r.unreadable] == [
        "表二：未找到表二的表格，表中数值均未读取",
        "表三：未找到表三的表格，表中数值均未读取",
        "表四：未找到表四的表格，表中数值均未读取",
    ]
    assert sorted(f.key for f in r.findings) == ["R-LAYOUT.表三", "R-LAYOUT.表二", "R-LAYOUT.表四"]
    assert r.report.narrative["overview.requests"] == sample_narrative(sample_text)["overview.requests"]

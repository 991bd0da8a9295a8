"""The workbook on paper and on screen, as LibreOffice prints it: a 900-character 正文 is there whole, the 说明
sheet takes one page (no empty pages), and 基本信息 prints at a legible size. PNG previews in tests/_artifacts."""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest
from workbook_helpers import openpyxl_edit, write_workbook

from gkxl.excel.annotate import annotate
from gkxl.excel.forms import narrative_row_height
from gkxl.formats.layout import NARRATIVE_SHEET, narrative_address
from gkxl.office import convert

pytestmark = pytest.mark.render
END = "这是九百字正文的结尾标记"


def long_text(n: int = 900) -> str:
    para = "本机关坚持以公开为常态、不公开为例外，围绕重点领域信息公开持续发力，"
    return (para * (n // len(para) + 1))[: n - len(END)] + END


def pdf_pages(path, tmp_path) -> list:
    pdfplumber = pytest.importorskip("pdfplumber")
    pdf = convert(path, "pdf", tmp_path / "pdf")
    with pdfplumber.open(pdf) as doc:
        return [(p.extract_text() or "", [c["size"] for c in p.chars if c["text"] in "机关全称"]) for p in doc.pages], pdf


def test_a_900_character_section_is_printed_whole(tmp_path, soffice, demo_report, artifacts):
    demo_report.narrative["overview.active"] = long_text()
    path = write_workbook(demo_report, tmp_path / "长正文.xlsx")
    addr = narrative_address(demo_report.spec, "overview.active")
    ws = openpyxl.load_workbook(path)[NARRATIVE_SHEET]
    assert ws.row_dimensions[addr.row + 1].height == narrative_row_height(long_text()) > 120
    pages, pdf = pdf_pages(path, tmp_path)
    text = "".join(t for t, _ in pages).replace("\n", "")
    assert END in text
    if shutil.which("pdftoppm"):
        for old in artifacts.glob("workbook_print-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(artifacts / "workbook_print")], check=True, timeout=120)


def test_a_long_text_typed_in_another_program_is_sized_in_the_annotated_copy(tmp_path, soffice, demo_report):
    path = write_workbook(demo_report, tmp_path / "模板.xlsx")
    addr = narrative_address(demo_report.spec, "problems")
    typed = openpyxl_edit(path, tmp_path / "填写.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, long_text()))
    assert openpyxl.load_workbook(typed)[NARRATIVE_SHEET].row_dimensions[addr.row + 1].height < narrative_row_height(long_text())
    out = tmp_path / "标注.xlsx"
    annotate(typed, [], out)
    assert openpyxl.load_workbook(out)[NARRATIVE_SHEET].row_dimensions[addr.row + 1].height == narrative_row_height(long_text())
    pages, _ = pdf_pages(out, tmp_path)
    assert END in "".join(t for t, _ in pages).replace("\n", "")


def test_explanations_print_on_one_page_and_basic_info_is_legible(tmp_path, soffice, demo_report):
    path = write_workbook(demo_report, tmp_path / "打印.xlsx")
    pages, _ = pdf_pages(path, tmp_path)
    explain = [t for t, _ in pages if t.lstrip().startswith("问题编号（规则编号")]
    assert len(explain) == 1  # 40 lines on one page, not two or three pages of empty lines
    (info,) = [sizes for t, sizes in pages if t.lstrip().startswith("基本信息")]
    assert min(info) >= 11  # 小四 (12 pt) on the page, not shrunk to fit


def test_a_large_reports_live_draft_is_shown_whole(tmp_path, soffice, artifacts):
    """Column D of 正文 holds the draft, as long as the draft of a large report gets (every group named, counts of
    seven digits): its rows are tall enough for it. Column D is not printed (the print shows what the filer wrote),
    so the print area is widened to D here, in the file only, to see the cells as LibreOffice lays them out."""
    import re
    import zipfile

    from gkxl.drafting import longest_section_drafts, section_drafts
    from gkxl.excel.draft_formula import HEADER
    from gkxl.formats import get_format
    from gkxl.model import Report

    pdfplumber = pytest.importorskip("pdfplumber")
    spec = get_format("2021")
    values = {c: 10_000 if c.startswith("sec3") else 100_000 if c.startswith("sec4") else 1_000_000 for c in spec.inputs}
    drafts = section_drafts(Report("2021", 2023, "大量申请测试局", values))
    bound = longest_section_drafts(spec)
    assert all(0.9 * len(bound[sid]) <= len(text) <= len(bound[sid]) for sid, text in drafts.items())  # near the longest
    path = write_workbook(Report("2021", 2023, "大量申请测试局", values), tmp_path / "大量申请.xlsx")

    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    area = re.escape(NARRATIVE_SHEET.encode()) + rb"!\$A\$1:\$C(\$\d+)"
    parts["xl/workbook.xml"], n = re.subn(area, NARRATIVE_SHEET.encode() + rb"!$A$1:$D\1", parts["xl/workbook.xml"])
    assert n == 1  # 正文 prints A–C as built
    wide = tmp_path / "打印到D列.xlsx"
    with zipfile.ZipFile(wide, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)

    pdf = convert(wide, "pdf", tmp_path / "pdf")
    column, shown = "", []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            if HEADER not in (page.extract_text() or "").replace("\n", ""):
                continue
            shown.append(page.page_number)
            chars = "".join(c["text"] for c in page.chars)
            start = chars.find(drafts["overview.requests"][:8])
            left = page.chars[start]["x0"] - 1 if start >= 0 else page.chars[chars.find(HEADER[:6])]["x0"] - 1
            column += (page.crop((left, 0, page.width, page.height)).extract_text() or "").replace("\n", "")
    for sid, text in drafts.items():
        assert text.replace("\n", "") in column, sid
    if shutil.which("pdftoppm"):
        first, last = str(shown[0]), str(shown[-1])
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", first, "-l", last, str(pdf), str(artifacts / "workbook_draft")], check=True, timeout=120)

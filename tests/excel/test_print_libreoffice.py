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

"""The report rendered by LibreOffice (fonts mapped by tests/word/fonts.conf) and measured in the PDF: pages, lines,
edges, page numbers, table widths, every number. PNG previews go to tests/_artifacts for a person to look at."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest
from faces import require_faces
from word_reports import demo, make_report

from gkxl.model import Report
from gkxl.office import convert, find_soffice
from gkxl.values import format_number
from gkxl.word.writer import build_report

pytestmark = pytest.mark.render

HERE = Path(__file__).resolve().parent
FONTS_CONF = HERE / "fonts.conf"
MM = 72 / 25.4  # points per millimetre
LEFT, RIGHT, TEXT_BOTTOM = 28.0, 184.0, 262.0  # text area edges in mm (210 − 26; 297 − 35)
ONE_CHAR_4HAO = 14 / MM  # 空一字 beside the page number: one 4号 character
HANGING = set("，。、；：！？”’）》")
LONG = "政府信息公开工作坚持以公开为常态不公开为例外的原则持续推进决策执行管理服务结果公开"  # pure CJK, no digits


def _tools() -> None:
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui")
    for tool in ("pdffonts", "pdftoppm"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (poppler-utils)")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Report, Path]]:
    """The demo report, a long one (full pages of text), a draft, and each format with a distinct number in every cell."""
    _tools()
    tmp = tmp_path_factory.mktemp("render")
    long_report = demo()
    long_report.narrative["overview.active"] = "\n".join(LONG * 2 for _ in range(12))
    cases = {
        "demo-2021": (demo(), False),
        "long-2021": (long_report, False),
        "draft-2021": (demo(), True),
        "distinct-2021": (make_report("2021"), False),
        "distinct-2019": (make_report("2019"), False),
    }
    out = {}
    for name, (report, draft) in cases.items():
        src = tmp / f"{name}.docx"
        src.write_bytes(build_report(report, draft=draft))
        out[name] = (report, convert(src, "pdf", tmp, env={"FONTCONFIG_FILE": str(FONTS_CONF)}))
    return out


def _lines(page, size: float) -> dict[int, list[dict]]:
    """Characters of one size outside tables, grouped into lines by their top."""
    lines: dict[int, list[dict]] = defaultdict(list)
    for c in page.chars:
        if abs(c["size"] - size) < 0.3 and c["text"].strip():
            lines[round(c["top"])].append(c)
    return lines


def test_aliases_took_effect(rendered):
    require_faces("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN")
    _, pdf = rendered["demo-2021"]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts  # 仿宋_GB2312, 宋体, 方正小标宋简体
    assert "NotoSansCJK" in fonts  # 黑体
    assert "UKai" in fonts  # 楷体_GB2312
    assert "DejaVu" not in fonts, "a font name fell through to fontconfig's default:\n" + fonts


def test_pages_lines_edges_and_page_numbers(rendered, artifacts):
    for name in ("demo-2021", "long-2021", "distinct-2021", "distinct-2019"):
        _, pdf_path = rendered[name]
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf_path), str(artifacts / f"report-{name}")], check=True)
        with pdfplumber.open(pdf_path) as pdf:
            n = len(pdf.pages)
            assert 3 <= n <= 8, f"{name}: {n} pages"
            left_edges = []
            for i, page in enumerate(pdf.pages, 1):
                assert (round(page.width / MM), round(page.height / MM)) == (210, 297)
                body = _lines(page, 16)
                assert len(body) <= 22, f"{name} page {i}: {len(body)} body lines"
                for chars in body.values():
                    left_edges.append(min(c["x0"] for c in chars) / MM)
                    # Only a closing punctuation mark may hang into the margin (Word and LibreOffice both allow it).
                    inner = sorted(chars, key=lambda c: c["x0"])
                    if inner[-1]["text"] in HANGING:
                        inner = inner[:-1]
                    assert max(c["x1"] for c in inner) / MM <= RIGHT + 1.5, f"{name} page {i}: a line runs into the margin"
                    assert max(c["bottom"] for c in chars) / MM <= TEXT_BOTTOM + 1, f"{name} page {i}: below the text area"
                number = [c for c in page.chars if abs(c["size"] - 14) < 0.3]
                assert "".join(c["text"] for c in number).replace(" ", "") == f"—{i}—", f"{name} page {i}"
                x0, x1 = min(c["x0"] for c in number) / MM, max(c["x1"] for c in number) / MM
                if i % 2:  # odd pages: right, one character in
                    assert x1 == pytest.approx(RIGHT - ONE_CHAR_4HAO, abs=2), f"{name} page {i}"
                else:  # even pages: left, one character in
                    assert x0 == pytest.approx(LEFT + ONE_CHAR_4HAO, abs=2), f"{name} page {i}"
                dash = next(c for c in number if c["text"] == "—")
                # The dash line 7 mm below the text area (GB/T 9704 7.5).
                assert (dash["top"] + dash["bottom"]) / 2 / MM == pytest.approx(TEXT_BOTTOM + 7, abs=2)
                for e in page.rects + page.lines:
                    assert e["x0"] / MM >= LEFT - 1 and e["x1"] / MM <= RIGHT + 1, f"{name} page {i}: table wider than the text"
            assert min(left_edges) >= LEFT - 2, f"{name}: text left of the 28 mm margin"
            if name in ("demo-2021", "long-2021"):  # paragraphs that wrap: their second lines start at the margin
                assert min(left_edges) == pytest.approx(LEFT, abs=2)


def test_full_pages_hold_22_lines_of_28_characters(rendered):
    _, pdf_path = rendered["long-2021"]
    with pdfplumber.open(pdf_path) as pdf:
        counts = [len(_lines(p, 16)) for p in pdf.pages]
        widths = [len(chars) for p in pdf.pages for chars in _lines(p, 16).values()]
    assert 22 in counts, counts  # a page of running text is filled to the grid's 22 lines
    assert max(widths) == 28  # GB/T 9704: 28 characters a line (not 27, not 14 as with the char grid in LibreOffice)


def test_every_table_number_is_printed(rendered):
    for name in ("distinct-2021", "distinct-2019", "demo-2021"):
        report, pdf_path = rendered[name]
        with pdfplumber.open(pdf_path) as pdf:
            words = {w["text"] for p in pdf.pages for w in p.extract_words(keep_blank_chars=False)}
        values = report.with_totals()
        missing = {fid: format_number(v) for fid, v in values.items() if format_number(v) not in words}
        assert not missing, f"{name}: not printed {missing}"


def test_draft_is_marked_on_every_page(rendered, artifacts):
    _, pdf_path = rendered["draft-2021"]
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(pdf_path), str(artifacts / "report-draft-2021")], check=True)
    with pdfplumber.open(pdf_path) as pdf:
        assert all("草稿" in (p.extract_text() or "") for p in pdf.pages)
    _, plain = rendered["demo-2021"]
    with pdfplumber.open(plain) as pdf:
        assert not any("草稿" in (p.extract_text() or "") for p in pdf.pages)


def test_title_headings_and_tables_reach_the_page(rendered):
    _, pdf_path = rendered["demo-2021"]
    with pdfplumber.open(pdf_path) as pdf:
        first = pdf.pages[0]
        title = [c for c in first.chars if abs(c["size"] - 22) < 0.3]
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace("\n", "").replace(" ", "")
    assert "".join(c["text"] for c in title) == "示例市示例区人力资源和社会保障局2023年政府信息公开工作年度报告"
    centre = (min(c["x0"] for c in title) + max(c["x1"] for c in title)) / 2 / MM
    assert centre == pytest.approx((LEFT + RIGHT) / 2, abs=3)  # centred in the text area
    for needle in ("一、总体情况", "四、结转下年度继续办理", "第二十条第（八）项", "复议后起诉", "六、其他需要报告的事项", "2024年1月20日"):
        assert needle in text

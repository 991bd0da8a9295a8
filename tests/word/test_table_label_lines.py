"""表三 (and 表四) as printed: no label line breaks inside a word, no line holds a single character.

Rendered by LibreOffice (fonts by tests/word/fonts.conf) and read per table cell with pdfplumber. A break is allowed
after punctuation or an ordinal (（三）, 一、, 1.), before an opening bracket, and at the word boundaries typed
independently of gkxl in tests/label_words.py (shared with the workbook's test). The tall 三、本年度办理结果 reads top to
bottom by design.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest
from label_words import VERTICAL, allowed_breaks
from word_reports import demo, make_report

from gkxl.formats import all_formats
from gkxl.office import convert, find_soffice
from gkxl.word.writer import build_report

pytestmark = pytest.mark.render
FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui")
    tmp = tmp_path_factory.mktemp("labels")
    out = {}
    for name, report in (("demo-2021", demo()), ("distinct-2021", make_report("2021")), ("distinct-2019", make_report("2019"))):
        src = tmp / f"{name}.docx"
        src.write_bytes(build_report(report))
        out[name] = convert(src, "pdf", tmp, env={"FONTCONFIG_FILE": str(FONTS_CONF)})
    artifacts = Path(__file__).resolve().parents[1] / "_artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "90", "-png", "-f", "3", "-l", "3", str(out["demo-2021"]), str(artifacts / "table-three")], check=True)
    return out


def cell_lines(pdf: Path) -> list[list[str]]:
    """The text lines of every table cell of the PDF, in reading order."""
    cells = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for table in page.find_tables():
                for bbox in table.cells:
                    lines: dict[int, list[dict]] = defaultdict(list)
                    for c in page.within_bbox(bbox).chars:
                        if c["text"].strip():
                            lines[round(c["top"])].append(c)
                    text = ["".join(ch["text"] for ch in sorted(v, key=lambda c: c["x0"])) for _, v in sorted(lines.items())]
                    if text:
                        cells.append(text)
    return cells


@pytest.mark.parametrize("name", ["demo-2021", "distinct-2021", "distinct-2019"])
def test_no_label_breaks_inside_a_word_or_leaves_one_character(pdfs, name):
    fmt = "2019" if name.endswith("2019") else "2021"
    spec = next(f for f in all_formats() if f.id == fmt)
    labels = {lab.text for t in spec.tables if t.name in ("表三", "表四") for lab in t.labels} - {VERTICAL}
    printed = {"".join(lines): lines for lines in cell_lines(pdfs[name])}
    missing = labels - set(printed)
    assert not missing, f"labels not found as one cell: {missing}"
    bad = []
    for text in sorted(labels):
        lines = printed[text]
        cuts, at = [], 0
        for line in lines[:-1]:
            at += len(line)
            cuts.append(at)
        wrong = [c for c in cuts if c not in allowed_breaks(text)]
        lone = [line for line in lines if len(line) == 1]
        if wrong or lone:
            bad.append(" / ".join(lines))
    assert not bad, "labels broken inside a word or leaving one character:\n" + "\n".join(bad)


def test_the_issue_examples_are_whole(pdfs):
    printed = {"".join(lines): lines for lines in cell_lines(pdfs["demo-2021"])}
    assert printed["（三）不予公开"] in (["（三）不予公开"], ["（三）", "不予公开"])
    assert printed["自然人"] == ["自然人"]
    assert printed["1.本机关不掌握相关政府信息"] == ["1.本机关不掌握相关政府信息"]
    assert printed[VERTICAL] == list(VERTICAL)  # the tall label: one character a line, top to bottom


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402

from gkxl.word.ooxml import mm_to_twips  # noqa: E402
from gkxl.word.tables import label_lines  # noqa: E402

ALL_LABELS = sorted({lab.text for f in all_formats() for t in f.tables for lab in t.labels})


@settings(max_examples=300, deadline=None)
@given(text=hs.sampled_from(ALL_LABELS), width_mm=hs.floats(min_value=8, max_value=160), size=hs.sampled_from([9.0, 10.5]))
def test_label_lines_keep_the_text_and_break_only_between_words(text, width_mm, size):
    """Whatever the cell width, the lines hold the label exactly; a label split in lines is split only where allowed,
    into lines that fit and hold two characters or more (else it is left whole to the renderer)."""
    lines = label_lines(text, mm_to_twips(width_mm), size)
    assert "".join(lines) == text
    if len(lines) > 1:
        room = (mm_to_twips(width_mm) - 2 * 57) / (size * 20)
        at = 0
        for line in lines[:-1]:
            at += len(line)
            assert at in allowed_breaks(text), (text, lines)
        assert all(len(line) >= 2 for line in lines), lines
        assert all(sum(0.5 if ord(c) < 0x2000 else 1 for c in line) <= room for line in lines), (room, lines)

"""The workbook's 表三 and 表四 as LibreOffice prints them: no label line breaks inside a word, no line holds a single
character (the Word tables' rule, tests/word/test_table_label_lines.py, with the same independently typed words).

Each label is read from its own cell: the cell grid is taken from the printed borders (one x per column edge, one y
per row edge), the label's cell from the format's grid, and its lines from the characters inside it."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from drafting_cases import report_2019
from label_words import VERTICAL, allowed_breaks
from workbook_helpers import write_workbook

from gkxl.excel.context import PT_PER_MM
from gkxl.excel.styles import SIZE, SMALL
from gkxl.excel.tables import PAD_MM
from gkxl.formats import get_format
from gkxl.formats.layout import TABLE_TOP, table_sheet
from gkxl.model import Report, report_from_json
from gkxl.office import convert, find_soffice

DEMO = Path(__file__).resolve().parents[2] / "gkxl" / "data" / "demo_2023.json"
ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"

pytestmark = pytest.mark.render


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.5:
            out.append(v)
    return out


def printed_labels(pdf, spec) -> dict[str, dict[str, list[str]]]:
    """Table name → label text → its printed lines, for 表三 and 表四."""
    pdfplumber = pytest.importorskip("pdfplumber")
    out = {}
    with pdfplumber.open(pdf) as doc:
        for table in (spec.table("sec3"), spec.table("sec4")):
            pages = [p for p in doc.pages if (p.extract_text() or "").startswith(table.heading)]
            assert len(pages) == 1, f"{table.name} is printed on one page"
            page = pages[0]
            xs = _edges([e["x0"] for e in page.edges if e["orientation"] == "v"])
            ys = _edges([e["top"] for e in page.edges if e["orientation"] == "h"])
            assert (len(xs), len(ys)) == (table.n_cols + 1, table.n_rows + 1), (table.name, xs, ys)
            labels = {}
            for lb in table.labels:
                box = (xs[lb.col], ys[lb.row], xs[lb.col + lb.colspan], ys[lb.row + lb.rowspan])
                lines: dict[int, list[dict]] = defaultdict(list)
                for c in page.chars:
                    mid_x, mid_y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
                    if c["text"].strip() and box[0] < mid_x < box[2] and box[1] < mid_y < box[3]:
                        lines[round(c["top"])].append(c)
                labels[lb.text] = ["".join(ch["text"] for ch in sorted(v, key=lambda c: c["x0"])) for _, v in sorted(lines.items())]
            out[table.name] = labels
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-calc-nogui")
    tmp = tmp_path_factory.mktemp("xlsx-labels")
    demo, _ = report_from_json(DEMO.read_text(encoding="utf-8"))
    out = {}
    for fmt, report in (("2021", demo), ("2019", report_2019())):
        pdf = convert(write_workbook(report, tmp / f"表格-{fmt}.xlsx"), "pdf", tmp / "pdf")
        out[fmt] = (pdf, printed_labels(pdf, get_format(fmt)))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "3", "-l", "4", str(out["2021"][0]), str(ARTIFACTS / "workbook_tables")],
                       check=True, timeout=120)
    return out


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_no_workbook_label_breaks_inside_a_word_or_leaves_one_character(rendered, fmt):
    _, tables = rendered[fmt]
    bad, missing = [], []
    for name, labels in tables.items():
        for text, lines in labels.items():
            if text == VERTICAL:
                continue
            if "".join(lines) != text:
                missing.append(f"{name} {text}: {lines}")
                continue
            cuts, at = [], 0
            for line in lines[:-1]:
                at += len(line)
                cuts.append(at)
            if any(c not in allowed_breaks(text) for c in cuts) or any(len(line) == 1 for line in lines):
                bad.append(f"{name} " + " / ".join(lines))
    assert not missing, "labels not printed whole in their cell:\n" + "\n".join(missing)
    assert not bad, "labels broken inside a word or leaving one character:\n" + "\n".join(bad)


def test_the_issue_examples_are_whole_in_the_workbook(rendered):
    _, tables = rendered["2021"]
    three = tables["表三"]
    assert three["（三）不予公开"] in (["（三）不予公开"], ["（三）", "不予公开"])
    assert three["自然人"] == ["自然人"]
    assert three["1.本机关不掌握相关政府信息"] == ["1.本机关不掌握相关政府信息"]
    assert three["商业企业"] in (["商业企业"], ["商业", "企业"])


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_every_label_is_written_with_breaks_only_between_words_and_fits_its_nominal_width(tmp_path, fmt):
    """In the cells as written (what Excel and WPS lay out at the nominal column widths): each line of a label ends
    where allowed, holds two characters or more, and fits the column (so the program never wraps it further)."""
    spec = get_format(fmt)
    report = report_2019() if fmt == "2019" else Report("2021", 2023, "测试局", {})
    path = write_workbook(report, tmp_path / "模板.xlsx")
    wb = openpyxl.load_workbook(path)
    for table in (spec.table("sec3"), spec.table("sec4")):
        ws = wb[table_sheet(table)]
        size = SMALL if table.small else SIZE
        for lb in table.labels:
            if lb.text == VERTICAL:
                continue
            written = ws.cell(TABLE_TOP + lb.row + 1, lb.col + 1).value
            lines = written.split("\n")
            assert "".join(lines) == lb.text
            width = sum(table.col_widths_mm[lb.col : lb.col + lb.colspan]) - PAD_MM
            at = 0
            for line in lines[:-1]:
                at += len(line)
                assert at in allowed_breaks(lb.text), (lb.text, lines)
            assert all(len(line) >= 2 for line in lines), lines
            em = size / PT_PER_MM
            assert all(sum(0.5 if ord(c) < 0x2000 else 1 for c in line) * em <= width for line in lines), (lb.text, lines)

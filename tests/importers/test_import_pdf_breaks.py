"""The page break walked through every row of 表三, in both formats (LibreOffice PDFs of gkxl's own Word reports).

A blank line of a chosen height (a paragraph of exact line height, not snapped to the document grid) stands
above 表三: as that height grows by less than a table row, the page break falls one row earlier, through the
merged label cells (三、本年度办理结果, （三）不予公开, （四）无法提供 …) up to the first row under the repeated
header. Two series: 表三 right after 表二, as the report is written (LibreOffice then lays the continuation's
columns out a point or two apart from the first part's), and 表三 starting a new page (so that the break also
falls under its last rows). Every cell holds a distinct number, so a value read from the
wrong row or glued to the next page's header cannot pass: each cell comes back exactly or is listed unreadable
with its raw text, never another number — and in these PDFs every cell comes back.

LibreOffice is slow: the PDFs of one format are made by one soffice call, and kept between runs in a cache keyed
by the .docx, the fonts configuration and the soffice binary (GKXL_TEST_CACHE, else ~/.cache/gkxl-tests).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from importers.test_import_pdf import FONTS_CONF, _long
from word.word_reports import make_report

from gkxl.formats import get_format
from gkxl.importers import import_file
from gkxl.importers.from_pdf import _Cell, _continuation, _grid, _Table
from gkxl.office import find_soffice
from gkxl.word.writer import build_report

STEP_PT = 12  # less than the lowest row of 表三 (about 15.5 pt): no row boundary is stepped over
PAGE_PT = 640  # the text area is 225 mm (638 pt) high: the last step puts 表三's header at the page foot
AFTER_PT = 300  # after 表二, 表三 starts about 270 pt above the page foot: further steps move it to the next page
SERIES = {"after": range(1, AFTER_PT, STEP_PT), "new-page": range(1, PAGE_PT, STEP_PT)}


def _spaced(data: bytes, pt: float, new_page: bool) -> bytes:
    """The report with a blank line `pt` points high above 表三 (and 表三 starting a new page where asked)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                text = body.decode("utf-8")
                header = text.index("申请人情况")  # 表三's header (both formats)
                table = text.rindex("<w:tbl>", 0, header)
                at = text.rindex("<w:p>", 0, table)  # the heading (or paragraph) just above the table
                brk = "<w:pageBreakBefore/>" if new_page else ""
                spacer = (
                    f'<w:p><w:pPr>{brk}<w:snapToGrid w:val="0"/>'
                    f'<w:spacing w:before="0" w:after="0" w:line="{round(pt * 20)}" w:lineRule="exact"/></w:pPr>'
                    '<w:r><w:rPr><w:sz w:val="2"/></w:rPr><w:t xml:space="preserve"> </w:t></w:r></w:p>'
                )
                body = (text[:at] + spacer + text[at:]).encode("utf-8")
            dst.writestr(info, body)
    return buf.getvalue()


def _cache_dir() -> Path:
    root = os.environ.get("GKXL_TEST_CACHE") or os.path.join(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "gkxl-tests")
    return Path(root) / "pdf-breaks"


def _render_all(docs: dict[str, bytes], tmp: Path) -> dict[str, Path]:
    """{name: pdf}: the cached PDF where the same .docx was rendered before, the others in one soffice call."""
    soffice = find_soffice()
    exe = Path(shutil.which(soffice) or soffice).resolve()
    salt = FONTS_CONF.read_bytes() + str(exe).encode() + str(exe.stat().st_mtime_ns).encode()
    cache = _cache_dir()
    out: dict[str, Path] = {}
    todo: dict[str, tuple[Path, Path]] = {}
    for name, data in docs.items():
        key = hashlib.sha256(salt + data).hexdigest()[:24]
        cached = cache / f"{key}.pdf"
        if cached.exists():
            out[name] = cached
            continue
        src = tmp / f"{name}.docx"
        src.write_bytes(data)
        todo[name] = (src, cached)
    if todo:
        with tempfile.TemporaryDirectory(prefix="gkxl-lo-") as profile:
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo",
                 "--nodefault", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(tmp),
                 *(str(src) for src, _ in todo.values())],
                capture_output=True, timeout=900, env=dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF)), check=False,
            )
        try:
            cache.mkdir(parents=True, exist_ok=True)
        except OSError:
            cache = None
        for name, (src, cached) in todo.items():
            pdf = src.with_suffix(".pdf")
            if not pdf.exists():
                pytest.fail(f"LibreOffice did not render {src.name}")
            if cache is not None:
                part = cached.with_suffix(f".{os.getpid()}.part")
                try:
                    shutil.copyfile(pdf, part)
                    os.replace(part, cached)  # a whole file or none: another run may read the cache
                except OSError:
                    pass  # no cache: the next run renders again
            out[name] = pdf
    return out


@pytest.fixture(scope="session")
def walked(tmp_path_factory):
    """{format: (report, {series: [pdf, …]})}, the blank line above 表三 growing by STEP_PT from one PDF to the next."""
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui")
    tmp = tmp_path_factory.mktemp("pdf-breaks")
    out = {}
    for fmt in ("2019", "2021"):
        report = _long(make_report(fmt))
        data = build_report(report)
        docs = {f"{fmt}-{name}-{pt:03d}": _spaced(data, pt, name == "new-page") for name, pts in SERIES.items() for pt in pts}
        pdfs = _render_all(docs, tmp)
        out[fmt] = (report, {name: [(f"{name} {pt}pt", pdfs[f"{fmt}-{name}-{pt:03d}"]) for pt in pts] for name, pts in SERIES.items()})
    return out


def _sec3_rows(spec) -> list[int]:
    """表三's rows that hold numbers, top to bottom (the spec's own row numbers)."""
    return sorted({f.row for cid, f in spec.fields.items() if cid.startswith("sec3.")})


def _page(origin: str) -> int:
    return int(re.match(r"第(\d+)页", origin).group(1))


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_every_page_break_in_table_three_reads_exactly(walked, fmt):
    report, series = walked[fmt]
    spec = get_format(fmt)
    expected = report.with_totals()
    rows = _sec3_rows(spec)
    breaks: dict[str, set[int]] = {}  # per series: how many of 表三's rows stand before the break, per PDF
    for name, (case, pdf) in ((n, p) for n, pdfs in series.items() for p in pdfs):
        r = import_file(pdf)
        # Never another number: every value read is the one the report holds.
        wrong = {c: (v, expected.get(c)) for c, v in r.report.values.items() if expected.get(c) != v}
        assert not wrong, (case, wrong)
        # A cell not read is listed unreadable with its raw text (an R-VALUE naming it).
        named = {c for f in r.findings if f.rule == "R-VALUE" for c in f.cells}
        assert set(r.unread_cells) <= named, (case, set(r.unread_cells) - named)
        assert all(u.raw for u in r.unreadable), case
        # And here every cell is read: the repeated header is dropped, the split label cells joined.
        assert r.unreadable == [], (case, r.unreadable)
        assert r.report.values == expected, case
        pages = {}
        for cid, t in r.trace.items():
            if cid.startswith("sec3."):
                pages.setdefault(spec.fields[cid].row, set()).add(_page(t.origin))
        assert all(len(p) == 1 for p in pages.values()), (case, "a row of 表三 on two pages")
        first = min(p for ps in pages.values() for p in ps)
        breaks.setdefault(name, set()).add(sum(1 for row in rows if pages[row] == {first}))
    # The fixture does what it says: the break fell under each of 表三's rows but the last (and the whole table
    # stood on one page), and right after 表二 at many rows too.
    walked_through = breaks["after"] | breaks["new-page"]
    assert set(range(1, len(rows) + 1)) <= walked_through, sorted(set(range(1, len(rows) + 1)) - walked_through)
    assert len(breaks["after"]) >= 8, sorted(breaks["after"])


def _cell(x0, top, x1, bottom, text, page):
    c = _Cell((x0, top, x1, bottom), [], page)
    c.text = text
    return c


def test_a_split_label_cell_never_absorbs_a_header_cell():
    """Where the continuation's header is not the first page's (another wording), it is not dropped: it stays
    cells of its own. The empty part of a split label cell above the break does not take its text."""
    head = [_cell(80, 100, 100, 130, "项目", 1), _cell(100, 100, 300, 130, "说明", 1), _cell(300, 100, 340, 130, "自然人", 1)]
    rows = [_cell(80, 130, 100, 160, "", 1), _cell(100, 130, 300, 145, "1.甲", 1), _cell(300, 130, 340, 145, "5", 1),
            _cell(100, 145, 300, 160, "2.乙", 1), _cell(300, 145, 340, 160, "6", 1)]
    first = _Table(1, 100, 160, head + rows)
    cont_head = [_cell(80, 50, 100, 80, "项目（续）", 2), _cell(100, 50, 300, 80, "说明（续）", 2), _cell(300, 50, 340, 80, "自然人", 2)]
    cont_rows = [_cell(80, 80, 100, 95, "", 2), _cell(100, 80, 300, 95, "3.丙", 2), _cell(300, 80, 340, 95, "7", 2)]
    cont = _Table(2, 50, 95, cont_head + cont_rows)
    for t in (first, cont):
        _grid(t.cells)
    out = _continuation(first, cont)
    assert rows[0].text == ""  # the label part above the break took no header text
    assert [c.text for c in out if c.text] == ["项目（续）", "说明（续）", "自然人", "3.丙", "7"]


def test_a_repeated_header_is_dropped_whatever_its_line_breaks_and_a_shift_of_its_rules():
    head = [_cell(80, 100, 300, 130, "申请人\n情况", 1), _cell(300, 100, 340, 130, "商业企业", 1)]
    rows = [_cell(80, 130, 300, 145, "1.甲", 1), _cell(300, 130, 340, 145, "5", 1)]
    first = _Table(1, 100, 145, head + rows)
    cont_head = [_cell(80, 50, 302.5, 80, "申请人情况", 2), _cell(302.5, 50, 340, 80, "商业\n企业", 2)]
    cont_rows = [_cell(80, 80, 302.5, 95, "2.乙", 2), _cell(302.5, 80, 340, 95, "6", 2)]
    cont = _Table(2, 50, 95, cont_head + cont_rows)
    for t in (first, cont):
        _grid(t.cells)
    assert [c.text for c in _continuation(first, cont)] == ["2.乙", "6"]

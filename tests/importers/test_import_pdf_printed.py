"""Real report pages printed to PDF, as people save a government web page: the corpus pages o04–o07
(../shared/corpus, skipped with the reason where absent) printed with headless Chromium and exported by LibreOffice
(Writer/Web), then imported from the PDF. Every value must come back exactly as the truth has it: the PDF is laid
out by its producer (Chromium draws a merged label cell crossing a page break down to the page foot and the
article in a frame; LibreOffice lets a row break across two pages, its numbers above the break and the rest of its
height below), and no rule of that drawing may become a row or a cell of its own.
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from importers.test_import_pdf import FONTS_CONF, _chromium

from gkxl.importers import import_file
from gkxl.office import find_soffice

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
PAGES = ["o04", "o05", "o06", "o07"]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium is not installed: .ci/run installs it")
    if not (CORPUS / "files").is_dir():
        pytest.skip("../shared/corpus 不存在（真实的年报网页及其真值）：跳过")
    tmp = tmp_path_factory.mktemp("pdf-printed")
    out = {}
    for cid in PAGES:
        found = sorted((CORPUS / "files").glob(f"{cid}_*.html"))
        if not found:
            continue
        pdf = tmp / f"{cid}.pdf"
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp / ('profile-' + cid)}",
                        "--no-pdf-header-footer", f"--print-to-pdf={pdf}", found[0].resolve().as_uri()],
                       capture_output=True, timeout=120, check=False)
        if pdf.exists():
            out[cid] = pdf
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The same pages exported to PDF by LibreOffice (one soffice call for all of them)."""
    import os
    import shutil

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui")
    if not (CORPUS / "files").is_dir():
        pytest.skip("../shared/corpus 不存在（真实的年报网页及其真值）：跳过")
    tmp = tmp_path_factory.mktemp("pdf-lo-pages")
    pages = []
    for cid in PAGES:
        found = sorted((CORPUS / "files").glob(f"{cid}_*.html"))
        if found:
            pages.append(shutil.copy(found[0], tmp / f"{cid}.html"))
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp / 'profile'}", "--headless", "--norestore", "--nologo",
                    "--convert-to", "pdf:writer_web_pdf_Export", "--outdir", str(tmp / "out"), *map(str, pages)],
                   capture_output=True, timeout=600, check=False, env=dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF)))
    return {cid: tmp / "out" / f"{cid}.pdf" for cid in PAGES if (tmp / "out" / f"{cid}.pdf").exists()}


@pytest.mark.parametrize("producer", ["chromium", "libreoffice"])
@pytest.mark.parametrize("cid", PAGES)
def test_printed_report_page_reads_exactly(request, producer, cid):
    printed = request.getfixturevalue("printed" if producer == "chromium" else "exported")
    if cid not in printed:
        pytest.skip(f"../shared/corpus 中没有 {cid} 的网页，或 {producer} 未能生成 PDF")
    truth = json.loads((CORPUS / "truth" / f"{cid}.json").read_text(encoding="utf-8"))
    # As score.py does: the year and agency from the truth where the page itself has no title line.
    r = import_file(printed[cid], year=truth["year"], agency=truth["agency"])
    want = {k: (Decimal(v) if isinstance(v, str) else v) for k, v in truth["values"].items()}
    got = {k: v for k, v in r.report.values.items() if not k.startswith("sec2.procurement.")}  # left out by the truth
    assert got == want
    assert [u.what for u in r.unreadable if "procurement" not in u.what and "采购" not in u.what] == []


# ---------------------------------------------------------------------------------------------------------------
# The project's own reports as web pages, exported by LibreOffice (Writer/Web): rows break across pages wherever
# the narrative above pushes them; every cell a distinct number.

SPACERS = [0, 3, 6, 9, 12]  # paragraphs of extra narrative above 表三: the page break walks through its rows


@pytest.fixture(scope="module")
def lo_own_pages(tmp_path_factory):
    import os
    from dataclasses import replace

    from importers.shapes import report_html
    from importers.test_import_pdf import _long
    from word.word_reports import make_report

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui")
    tmp = tmp_path_factory.mktemp("pdf-lo-own")
    base = _long(make_report("2021"))
    css = "table{border-collapse:collapse} td{border:1px solid #000;padding:2px}"
    out, pages = {}, []
    for n in SPACERS:
        narrative = dict(base.narrative)
        narrative["overview.oversight"] += "\n" + "\n".join(["本机关持续加强政务公开监督保障工作，完善考核评议和责任追究。"] * n)
        report = replace(base, narrative=narrative)
        src = tmp / f"r{n}.html"
        # LibreOffice draws the rules the table's own attributes ask for (it takes no CSS borders)
        src.write_text(report_html(report, css=css).replace("<table>", "<table border='1' cellspacing='0' cellpadding='2'>"), encoding="utf-8")
        pages.append(str(src))
        out[n] = (report.values, tmp / "out" / f"r{n}.pdf")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp / 'profile'}", "--headless", "--norestore", "--nologo",
                    "--convert-to", "pdf:writer_web_pdf_Export", "--outdir", str(tmp / "out"), *pages],
                   capture_output=True, timeout=600, check=False, env=dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF)))
    return out


@pytest.mark.parametrize("spacer", SPACERS)
def test_own_page_exported_by_libreoffice_reads_exactly(lo_own_pages, spacer):
    values, pdf = lo_own_pages[spacer]
    if not pdf.exists():
        pytest.skip("LibreOffice did not export the page to PDF")
    r = import_file(pdf)
    assert [u.what for u in r.unreadable] == []
    assert r.report.values == values

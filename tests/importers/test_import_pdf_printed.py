"""Real report pages printed to PDF by Chromium, as people save a government web page: the corpus pages o04–o07
(../shared/corpus, skipped with the reason where absent) printed with headless Chromium, then imported from the PDF.
Every value must come back exactly as the truth has it: the PDF is laid out by the browser (a merged label cell
crossing a page break is drawn down to the page foot, the article sits in a frame), and no rule of that drawing
may become a row or a cell of its own.
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from importers.test_import_pdf import _chromium

from gkxl.importers import import_file

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


@pytest.mark.parametrize("cid", PAGES)
def test_printed_report_page_reads_exactly(printed, cid):
    if cid not in printed:
        pytest.skip(f"../shared/corpus 中没有 {cid} 的网页，或 Chromium 未能打印")
    truth = json.loads((CORPUS / "truth" / f"{cid}.json").read_text(encoding="utf-8"))
    # As score.py does: the year and agency from the truth where the page itself has no title line.
    r = import_file(printed[cid], year=truth["year"], agency=truth["agency"])
    want = {k: (Decimal(v) if isinstance(v, str) else v) for k, v in truth["values"].items()}
    got = {k: v for k, v in r.report.values.items() if not k.startswith("sec2.procurement.")}  # left out by the truth
    assert got == want
    assert [u.what for u in r.unreadable if "procurement" not in u.what and "采购" not in u.what] == []

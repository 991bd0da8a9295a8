"""PDFs with a text layer, made from the project's own reports: `gkxl report` → .docx → LibreOffice → PDF (long
narrative, so tables cross page breaks with page numbers and repeated headers), the same .docx with other font
sizes and column widths, and the report as a web page printed by Chromium (another producer: other spacing, text
in merged cells centred across the break, no border where a row breaks). Every report carries a distinct number
in every cell, so a value read from the wrong column or row cannot pass. The PDFs are made once per session.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from importers.shapes import report_html
from word.word_reports import demo, make_report

from gkxl.errors import InputError
from gkxl.importers import import_file
from gkxl.office import convert, find_soffice
from gkxl.word.writer import build_report

FONTS_CONF = Path(__file__).resolve().parents[1] / "word" / "fonts.conf"
LONG = "为进一步推进政务公开工作，本机关认真落实各项要求，持续完善制度机制，不断提升公开质量和实效。" * 9


def _long(report):
    narrative = {k: v + "\n" + LONG for k, v in report.narrative.items()}
    return replace(report, narrative=narrative)


def _vary_docx(data: bytes, *, size: float, width: float) -> bytes:
    """The same report with other font sizes (styles and runs) and narrower table columns."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename in ("word/document.xml", "word/styles.xml"):
                text = body.decode("utf-8")
                text = re.sub(r'(<w:sz(?:Cs)? w:val=")(\d+)"', lambda m: f'{m.group(1)}{round(int(m.group(2)) * size)}"', text)
                if info.filename == "word/document.xml":
                    text = re.sub(r'(<w:(?:gridCol|tcW) w:w=")(\d+)"', lambda m: f'{m.group(1)}{round(int(m.group(2)) * width)}"', text)
                body = text.encode("utf-8")
            dst.writestr(info, body)
    return buf.getvalue()


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def _print_html(exe: str, html_text: str, out: Path, profile: Path) -> Path:
    src = out.with_suffix(".html")
    src.write_text(html_text, encoding="utf-8")
    subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", "--no-pdf-header-footer",
         f"--print-to-pdf={out}", src.as_uri()],
        capture_output=True, timeout=120, check=False,
    )
    if not out.exists():
        pytest.skip("Chromium did not print the page to PDF")
    return out


CSS = {
    # narrow label columns (labels wrap over 2–3 lines), a serif face
    "narrow": "body{font-family:'Noto Serif CJK SC',serif;font-size:15px;width:150mm} table{border-collapse:collapse;width:100%}"
              " td{border:1px solid #000;padding:2px;font-size:12px} td.label{width:12%}",
    # no padding, numbers pushed against the rule between two cells (right, then left aligned): set this close,
    # two neighbouring numbers look like one word to a text extractor
    "tight": "body{font-family:'Noto Sans CJK SC',sans-serif;font-size:14px;width:150mm} table{border-collapse:collapse;width:100%}"
             " td{border:0.5px solid #000;padding:0;font-size:12px} td:nth-child(odd){text-align:right}"
             " td:nth-child(even){text-align:left}",
    # every cell its own box, a gap between boxes (rules drawn side by side, as some producers do)
    "separate": "body{font-family:'Noto Serif CJK SC',serif;font-size:15px;width:155mm} table{border-collapse:separate;"
                "border-spacing:3px;width:100%} td{border:1px solid #000;padding:1px;font-size:12px}",
    # a sans face, larger, wider labels
    "wide": "body{font-family:'Noto Sans CJK SC',sans-serif;font-size:17px} table{border-collapse:collapse;width:100%}"
            " td{border:0.5pt solid #333;padding:4px 1px;font-size:14px;text-align:center} td.label{width:30%}",
}


@pytest.fixture(scope="session")
def lo_pdfs(tmp_path_factory):
    """{name: (report, pdf)} rendered by LibreOffice from gkxl's own Word reports."""
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui")
    tmp = tmp_path_factory.mktemp("pdf-lo")
    cases = {
        "demo": (_long(demo()), None),
        "distinct-2021": (_long(make_report("2021")), None),
        "distinct-2019": (_long(make_report("2019")), None),
        "bigger-narrower": (_long(make_report("2021")), (1.25, 0.8)),
    }
    out = {}
    for name, (report, vary) in cases.items():
        data = build_report(report)
        if vary:
            data = _vary_docx(data, size=vary[0], width=vary[1])
        src = tmp / f"{name}.docx"
        src.write_bytes(data)
        out[name] = (report, convert(src, "pdf", tmp, env={"FONTCONFIG_FILE": str(FONTS_CONF)}))
    return out


@pytest.fixture(scope="session")
def chromium_pdfs(tmp_path_factory):
    """{name: (report, pdf, expected values)} printed by Chromium from the report as a web page."""
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium is not installed: .ci/run installs it")
    tmp = tmp_path_factory.mktemp("pdf-chromium")
    report = _long(make_report("2021"))
    out = {}
    for name, css in CSS.items():
        out[name] = (report, _print_html(exe, report_html(report, css=css), tmp / f"{name}.pdf", tmp / f"profile-{name}"), report.values)
    # The 2019 way of publishing （六）其他处理 as one row inside a 2021 table: its zeros are every sub-item's.
    zeros = dict(report.values)
    for cid in zeros:
        if cid.startswith("sec3.other."):
            zeros[cid] = 0
    one_row = replace(report, values=zeros)
    out["one-row-other"] = (one_row, _print_html(exe, report_html(one_row, css=CSS["narrow"], one_row_other=True),
                                                 tmp / "one-row.pdf", tmp / "profile-one-row"), zeros)
    # Label typos, as published
    typo = report_html(report, css=CSS["narrow"]).replace("2.其他法律行政法规禁止公开", "其他法律行政止公开")
    out["typo"] = (report, _print_html(exe, typo, tmp / "typo.pdf", tmp / "profile-typo"), report.values)
    return out


@pytest.fixture(scope="session")
def unruled_pdfs(tmp_path_factory):
    """The report printed with tables that have no rules at all, or no outer frame: not read by position."""
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium is not installed: .ci/run installs it")
    tmp = tmp_path_factory.mktemp("pdf-unruled")
    report = _long(make_report("2021"))
    base = "body{font-family:'Noto Serif CJK SC',serif;font-size:15px;width:150mm} table{border-collapse:collapse;width:100%}"
    css = {"no rules": base + " td{border:none;padding:2px;font-size:12px}",
           "no frame": base + " table{border-style:hidden} td{border:1px solid #000;padding:2px;font-size:12px}"}
    return {name: (report, _print_html(exe, report_html(report, css=c), tmp / f"{i}.pdf", tmp / f"profile-{i}"))
            for i, (name, c) in enumerate(css.items())}


@pytest.mark.parametrize("name", ["no rules", "no frame"])
def test_unruled_tables_give_no_wrong_value(unruled_pdfs, name):
    report, pdf = unruled_pdfs[name]
    r = import_file(pdf)
    assert {c: report.values[c] for c in r.report.values} == r.report.values
    if name == "no frame":  # the frame no rule draws is closed: most cells are read by position
        assert len(r.report.values) >= 150
    assert set(report.values) - set(r.report.values) - set(r.trace) <= {f.scope for f in r.findings} | {
        c for f in r.findings if f.rule == "R-LAYOUT" for c in f.cells}


def _plain(text: str) -> str:
    """Text without spaces and punctuation (a PDF may drop a comma hanging in the margin)."""
    return re.sub(r"[^\w]", "", text)


@pytest.mark.parametrize("name", ["demo", "distinct-2021", "distinct-2019", "bigger-narrower"])
def test_libreoffice_pdf_imports_exactly(lo_pdfs, name):
    report, pdf = lo_pdfs[name]
    r = import_file(pdf)
    assert r.kind == "PDF"
    assert r.unreadable == []
    assert r.report.format == report.format and r.report.year == report.year
    assert r.report.agency == report.agency  # the title on two lines: agency above the year line
    assert r.report.values == report.with_totals()  # every cell, each a distinct number: none shifted
    assert set(r.trace) == set(report.spec.fields)
    # Narrative: every section, page numbers and page breaks gone, paragraphs joined across lines and pages
    for sid, text in report.narrative.items():  # (the report adds the fee sentence to 六)
        assert _plain(r.report.narrative[sid]).startswith(_plain(text)), sid
        assert len(_plain(r.report.narrative[sid])) < len(_plain(text)) + 40, sid
    assert r.report.meta.get("issued_on") == report.meta["issued_on"]
    assert not any(re.fullmatch(r"[—\-]+\s*\d+\s*[—\-]+", line) for line in r.lines), "a page number was read as text"


def test_a_table_crosses_a_page_break_with_repeated_header(lo_pdfs):
    report, pdf = lo_pdfs["distinct-2021"]
    r = import_file(pdf)
    pages = {t.origin.split()[0] for cid, t in r.trace.items() if cid.startswith("sec3.")}
    assert len(pages) >= 2, "the fixture should put 表三 on two pages"
    assert r.report.values == report.values


@pytest.mark.parametrize("name", list(CSS) + ["one-row-other", "typo"])
def test_chromium_pdf_imports_exactly(chromium_pdfs, name):
    report, pdf, expected = chromium_pdfs[name]
    r = import_file(pdf)
    assert r.unreadable == []
    assert r.report.values == expected
    assert r.report.agency == report.agency
    if name == "one-row-other":
        assert any("（六）其他处理" in v for v in r.variants)
    if name == "typo":
        assert any("其他法律行政止公开" in v for v in r.variants)


def test_pdf_lines_are_in_reading_order(lo_pdfs):
    report, pdf = lo_pdfs["demo"]
    r = import_file(pdf)
    heads = [next(i for i, line in enumerate(r.lines) if line.replace(" ", "") == h) for h in report.spec.headings]
    assert heads == sorted(heads)
    assert r.lines[0] == report.agency


def _pdf_without_text(path: Path, stream: bytes = b"0 0 0 RG 100 100 m 400 700 l S", flate: bool = False) -> Path:
    """A one-page PDF with a drawing and no text: what a scan gives a reader without OCR."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
    ]
    extra = b" /Filter /FlateDecode" if flate else b""
    objs.append(b"<< /Length %d%s >>\nstream\n" % (len(stream), extra) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    path.write_bytes(out.getvalue())
    return path


def test_scanned_pdf_is_one_clear_message(tmp_path):
    p = _pdf_without_text(tmp_path / "扫描件.pdf")
    with pytest.raises(InputError, match="没有文字层") as exc:
        import_file(p)
    assert exc.value.file == str(p)


def test_pdf_compression_bomb_is_refused(tmp_path):
    import zlib

    z = zlib.compressobj(9)
    chunk = b"0 " * (512 * 1024)
    stream = b"".join(z.compress(chunk) for _ in range(205)) + z.flush()  # 205 MB of content, unpacked
    p = _pdf_without_text(tmp_path / "炸弹.pdf", stream, flate=True)
    assert p.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(InputError, match="解压后超过"):
        import_file(p)


def test_fee_with_many_decimals_in_pdf_is_exact(lo_pdfs):
    report, pdf = lo_pdfs["distinct-2021"]
    r = import_file(pdf)
    fee = r.report.values["sec2.fees.amount_wan"]
    assert isinstance(fee, Decimal) and fee == report.values["sec2.fees.amount_wan"] and str(fee) == str(report.values["sec2.fees.amount_wan"])


@pytest.mark.parametrize("mode", ["-layout", "-raw", "default"])
@pytest.mark.parametrize("name", ["distinct-2021", "demo"])
def test_text_from_a_pdf_converter_gives_no_wrong_value(lo_pdfs, tmp_path, name, mode):
    """PDF-to-text converters split labels from values and run rows together: reading little is acceptable,
    a wrong value never is, and what is not read is listed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")
    report, pdf = lo_pdfs[name]
    out = tmp_path / "converted.txt"
    subprocess.run(["pdftotext", *([] if mode == "default" else [mode]), str(pdf), str(out)], check=True, timeout=60)
    try:
        r = import_file(out)
    except InputError:
        return  # nothing read at all is acceptable
    expected = report.with_totals()
    assert {c: expected[c] for c in r.report.values} == r.report.values
    assert set(expected) - set(r.report.values) - set(r.trace) <= {f.scope for f in r.findings} | set(
        c for f in r.findings if f.rule == "R-LAYOUT" for c in f.cells)


def test_encrypted_pdf_is_one_clear_message(tmp_path):
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui")
    src = tmp_path / "加密.docx"
    src.write_bytes(build_report(demo()))
    to = 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"x"}}'
    pdf = convert(src, to, tmp_path / "out", env={"FONTCONFIG_FILE": str(FONTS_CONF)})
    with pytest.raises(InputError, match="已加密") as exc:
        import_file(pdf)
    assert exc.value.file == str(pdf)


def _markdown_of(pdf: Path, *, split: bool) -> str:
    """What PDF-to-Markdown converters make of a report: page prose, then each table as Markdown rows (cells with
    line breaks as <br>); `split` puts a table's label column first and its numbers after, as some converters do."""
    import pdfplumber

    parts: list[str] = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            parts.append(page.extract_text() or "")
            for table in page.extract_tables():
                rows = [[(c or "").replace("\n", "<br>") for c in row] for row in table]
                if split:
                    parts.append("\n".join(r[0] for r in rows if r and r[0]))
                    parts.append("\n".join("| " + " | ".join(r[1:]) + " |" for r in rows))
                else:
                    head, *body = rows or [[]]
                    parts.append("\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
                                           + ["| " + " | ".join(r) + " |" for r in body]))
    return "\n\n".join(parts)


@pytest.mark.parametrize("split", [False, True], ids=["markdown-tables", "labels-apart"])
@pytest.mark.parametrize("name", ["distinct-2021", "distinct-2019"])
def test_text_from_a_markdown_converter_gives_no_wrong_value(lo_pdfs, tmp_path, name, split):
    """Issue 11 §6: Markdown converters split labels from values; reading nothing is acceptable, a wrong value never
    is, and every cell not read is either listed or has a finding."""
    report, pdf = lo_pdfs[name]
    out = tmp_path / "converted.txt"
    out.write_text(_markdown_of(pdf, split=split), encoding="utf-8")
    try:
        r = import_file(out)
    except InputError:
        return  # nothing read at all is acceptable
    expected = report.with_totals()
    assert {c: expected[c] for c in r.report.values} == r.report.values  # never another number
    assert set(expected) - set(r.report.values) - set(r.trace) <= {f.scope for f in r.findings} | set(
        c for f in r.findings if f.rule == "R-LAYOUT" for c in f.cells)

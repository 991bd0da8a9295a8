"""PDFs exported by WPS 文字: the real ones of the corpus (o01–o03) read exactly, and PDFs drawn here as WPS draws
them (wps_pdf.py: white boxes behind every line and cell, column rules in one stroke, no rule at a page break,
the single （六）其他处理 row inside a 2021 table) read exactly — every cell its value, or unread with its raw text
where it cannot be read for certain, never another number.

The corpus is read from ../shared/corpus (skipped, with the reason, where it is absent); its text is never copied.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from importers.test_import_pdf import _chromium, _long
from importers.wps_pdf import Options, layout, print_pdf, space_for
from word.word_reports import make_report

from gkxl.errors import InputError
from gkxl.importers import import_file
from gkxl.rules.engine import run_rules

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
ARITHMETIC = ("R-BALANCE", "R-RESULTS-SUM", "R-ROW-TOTAL", "R-SEC4-TOTAL")
SUB_ITEMS = ("no_correction", "unpaid_fee", "other")  # the three （六） rows of the 2021 format
HEAD_2 = "二、主动公开政府信息情况"
HEAD_3 = "三、收到和处理政府信息公开申请情况"


# ---------------------------------------------------------------------------------------------------------------
# The corpus: o01–o03 are byte-exact copies of published PDFs exported by WPS 文字.


def _corpus_file(cid: str) -> Path:
    found = sorted((CORPUS / "files").glob(f"{cid}_*.pdf")) if (CORPUS / "files").is_dir() else []
    if not found or not (CORPUS / "truth" / f"{cid}.json").exists():
        pytest.skip(f"../shared/corpus 中没有 {cid}（真实的 WPS 导出 PDF 及其真值）：跳过")
    return found[0]


def _as_imported(truth: dict) -> dict:
    """The truth's values as the 2021 contract holds them. A 2021 table that prints （六）其他处理 as one row is
    recorded by the truth under the 2019 ids `sec3.other_handling.<column>`, which the 2021 contract does not
    have: the importer gives a printed 0 to each of the three sub-items (counts are never negative), and leaves
    any other number unread (it cannot be split)."""
    out = {}
    for cid, v in truth.items():
        if cid.startswith("sec3.other_handling."):
            col = cid.rsplit(".", 1)[1]
            if v == 0:
                out.update({f"sec3.other.{s}.{col}": 0 for s in SUB_ITEMS})
            continue
        out[cid] = Decimal(v) if isinstance(v, str) else v  # amounts are written as text, to keep their places
    return out


@pytest.mark.parametrize("cid", ["o01", "o02", "o03"])
def test_wps_corpus_pdf_reads_exactly(cid):
    path = _corpus_file(cid)
    truth = json.loads((CORPUS / "truth" / f"{cid}.json").read_text(encoding="utf-8"))
    expect = json.loads((CORPUS / "truth" / f"{cid}.expect.json").read_text(encoding="utf-8"))
    r = import_file(path)
    assert r.report.format == truth["format"]
    assert r.report.year == truth["year"]
    assert r.report.values == _as_imported(truth["values"])
    assert truth.get("unreadable", []) == []  # every cell of these three can be read for certain
    assert [u.what for u in r.unreadable] == []
    wanted = {f"{v['rule']}.{v['scope']}" for v in expect.get("violations", [])}
    found = {f"{f.rule}.{f.scope}" for f in run_rules(r.report) if f.rule in ARITHMETIC}
    assert found == wanted  # every arithmetic error the printed numbers carry, and nothing else


def test_wps_corpus_headings_and_tables_are_found():
    """The page's white boxes are no table: the six headings stand in the text, 表二 is found under 二、."""
    r = import_file(_corpus_file("o01"))
    assert not any("未找到" in n for n in r.notes)
    assert "sec2.fees.amount_wan" in r.report.values
    assert r.report.narrative.get("overview.active")


# ---------------------------------------------------------------------------------------------------------------
# Generated: the project's own reports drawn as WPS exports them.


def _zeros(values: dict) -> dict:
    return {k: (0 if k.startswith("sec3.other.") else v) for k, v in values.items()}


def _cases(report):
    """name → (options, values printed, {(table, grid row): heading}: the page breaks the case must have)."""
    return {
        # o01: （六） label over the sub-item column, 表二 broken after a caption row, 表三 after （四）'s first row
        "one-row-span": (Options(one_row_other="span"), _zeros(report.values), {("sec2", 7): HEAD_2, ("sec3", 15): HEAD_3}),
        # o02: （六） and （七）总计 beside an empty cell, 表二 broken after 行政许可
        "one-row-blank": (Options(one_row_other="blank", blank_total=True), _zeros(report.values),
                          {("sec2", 6): HEAD_2, ("sec3", 15): HEAD_3}),
        # o03: the merged （四）无法提供 split by the break, its text on both parts
        "split-label": (Options(cont_shift=2.6), report.values, {("sec3", 15): HEAD_3}),
        # the break under the first row of 三、本年度办理结果, and in （五）, header repeated
        "first-result-row": (Options(), report.values, {("sec3", 5): HEAD_3}),
        "repeated-header": (Options(repeat_header=True), report.values, {("sec3", 20): HEAD_3}),
        # a rule under the last row at the break, no white boxes (Word-like rules, WPS-like strokes)
        "closed-break": (Options(white_boxes=False, close_break=True, repeat_header=True), report.values, {("sec3", 9): HEAD_3}),
        "blank-total-only": (Options(blank_total=True), report.values, {("sec3", 24): HEAD_3}),
        # the first value column left blank throughout (表二 本年制发件数, 表三 自然人): blank values, not label cells
        "blank-first-column": (Options(one_row_other="blank", blank_total=True), _blank_first(_zeros(report.values)),
                               {("sec3", 15): HEAD_3}),
    }


def _blank_first(values: dict) -> dict:
    return {k: v for k, v in values.items() if not (k.endswith(".issued") or k.endswith(".natural_person"))}


def _spaced(report, opts: Options, breaks: dict) -> Options:
    for (key, row), heading in breaks.items():
        at = space_for(report, opts, heading, key, row)
        assert at is not None, f"no space above {heading} breaks {key} after row {row}"
        opts = Options(**{**opts.__dict__, "space_before": {**opts.space_before, heading: at}})
    got = layout(report, opts).breaks
    assert all(b in got for b in breaks), (breaks, got)  # each case really has the breaks it is about
    return opts


@pytest.fixture(scope="module")
def wps_pdfs(tmp_path_factory):
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium is not installed: .ci/run installs it (the WPS-shaped PDFs are printed by it)")
    tmp = tmp_path_factory.mktemp("pdf-wps")
    base = _long(make_report("2021"))
    out = {}
    for i, (name, (opts, values, breaks)) in enumerate(_cases(base).items()):
        report = replace(base, values=values)
        opts = _spaced(report, opts, breaks)
        pdf = print_pdf(exe, report, opts, tmp / f"{i}.pdf", tmp / f"profile-{i}")
        if not pdf.exists():
            pytest.skip("Chromium did not print the page to PDF")
        out[name] = (values, pdf)
    return out


CASES = list(_cases(make_report("2021")))


@pytest.mark.parametrize("name", CASES)
def test_wps_shaped_pdf_reads_exactly(wps_pdfs, name):
    values, pdf = wps_pdfs[name]
    r = import_file(pdf)
    assert [u.what for u in r.unreadable] == []
    assert r.report.values == values
    assert not any("未找到" in n for n in r.notes)


def test_wps_shapes_are_drawn_as_wps_draws_them(wps_pdfs):
    """The generated PDFs carry what the real ones do: white boxes filled but not stroked behind the text, column
    rules as stroked lines longer than one row."""
    import pdfplumber

    _, pdf = wps_pdfs["one-row-span"]
    with pdfplumber.open(pdf) as doc:
        rects = [o for p in doc.pages for o in p.rects]
        lines = [o for p in doc.pages for o in p.lines]
    white = [o for o in rects if o.get("fill") and not o.get("stroke") and tuple(o.get("non_stroking_color") or ()) in ((1, 1, 1), (1.0, 1.0, 1.0))]
    assert len(white) > 100
    assert any(o.get("stroke") and abs(o["x0"] - o["x1"]) < 0.5 and o["bottom"] - o["top"] > 100 for o in lines)


def test_one_row_other_with_a_number_is_not_split(tmp_path):
    """A number in the single （六） row cannot be shared out between the three sub-items: unread, with its text."""
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium is not installed: .ci/run installs it")
    base = _long(make_report("2021"))
    values = _zeros(base.values)
    values.update({f"sec3.other.{s}.natural_person": v for s, v in zip(SUB_ITEMS, (7, 0, 0))})
    report = replace(base, values=values)
    opts = _spaced(report, Options(one_row_other="span"), {("sec3", 15): HEAD_3})
    # the row prints the group's sum: 7 for 自然人 (wps_pdf prints the first sub-item's value in the one row)
    r = import_file(print_pdf(exe, report, opts, tmp_path / "n.pdf", tmp_path / "profile"))
    unread = {f"sec3.other.{s}.natural_person" for s in SUB_ITEMS}
    assert r.report.values == {k: v for k, v in values.items() if k not in unread}
    assert any("其他处理" in u.what and "7" in u.raw for u in r.unreadable)


# ---------------------------------------------------------------------------------------------------------------
# The same report scanned: pages as pictures, no text layer (or only page numbers typed on them).


@pytest.mark.parametrize("numbers", [False, True], ids=["pictures-only", "with-page-numbers"])
def test_scanned_report_is_one_clear_message(wps_pdfs, tmp_path, numbers):
    import shutil
    import subprocess

    from typer.testing import CliRunner

    from gkxl.cli.app import app

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: the scan is made from the PDF's pages")
    _, pdf = wps_pdfs["one-row-span"]
    subprocess.run(["pdftoppm", "-r", "40", "-l", "3", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == 3
    pages = "".join(
        f"<div class='p'><img src='{img.as_uri()}'>" + (f"<div class='n'>- {n} -</div>" if numbers else "") + "</div>"
        for n, img in enumerate(images, 1)
    )
    css = ("@page{size:A4;margin:0} body{margin:0} .p{position:relative;width:210mm;height:297mm;break-after:page}"
           " img{width:210mm;height:297mm;display:block} .n{position:absolute;bottom:20mm;left:100mm;font-size:10pt}")
    src = tmp_path / "scan.html"
    src.write_text(f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{pages}</body></html>", encoding="utf-8")
    out = tmp_path / "扫描件.pdf"
    subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
                    "--no-pdf-header-footer", "--allow-file-access-from-files", f"--print-to-pdf={out}", src.as_uri()],
                   capture_output=True, timeout=120, check=False)
    if not out.exists():
        pytest.skip("Chromium did not print the page to PDF")
    with pytest.raises(InputError, match="扫描件") as exc:
        import_file(out)
    assert exc.value.file == str(out)
    if numbers:
        assert "第1–3页是整页图片" in str(exc.value)
    # as a user meets it: one Chinese line naming the file, exit 2, no traceback
    res = CliRunner().invoke(app, ["import", str(out), "-o", str(tmp_path / "x.json")])
    assert res.exit_code == 2
    said = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(said) == 1 and "扫描件" in said[0] and "扫描件.pdf" in said[0]
    assert "Traceback" not in res.output


# ---------------------------------------------------------------------------------------------------------------
# The page break walked down 表三 (every other row), in the WPS shapes: each cell its value, whatever the row.

WALK = [(row, shape) for row, shape in zip(range(4, 27, 2), ["span", "blank", "repeat", "plain"] * 3)]


@pytest.mark.parametrize(("row", "shape"), WALK, ids=[f"after-row-{r}-{s}" for r, s in WALK])
def test_wps_table_three_breaks_after_any_row(tmp_path, row, shape):
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium is not installed: .ci/run installs it")
    base = _long(make_report("2021"))
    opts = {"span": Options(one_row_other="span"), "blank": Options(one_row_other="blank", blank_total=True),
            "repeat": Options(repeat_header=True, cont_shift=2.6), "plain": Options(cont_shift=2.6)}[shape]
    values = _zeros(base.values) if opts.one_row_other else base.values
    report = replace(base, values=values)
    if opts.one_row_other and row >= 23:
        row -= 2  # the single （六） row has two grid rows fewer below it
    opts = _spaced(report, opts, {("sec3", row): HEAD_3})
    r = import_file(print_pdf(exe, report, opts, tmp_path / "w.pdf", tmp_path / "profile"))
    assert [u.what for u in r.unreadable] == []
    assert r.report.values == values

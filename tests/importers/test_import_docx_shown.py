"""A Word report's text as Word shows it: hidden runs, deleted revisions and superscript marks beside a value are not
part of it (the .docx twin of issue 10's 405 + hidden "1"); the report is the project's own (gkxl report)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest
from word.word_reports import demo

from gkxl.importers import import_file
from gkxl.word.writer import build_report

RUN = "<w:r><w:t>405</w:t></w:r>"
MARKUP = {
    "hidden run": RUN + '<w:r><w:rPr><w:vanish/></w:rPr><w:t>1</w:t></w:r>',
    "superscript": RUN + '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>1</w:t></w:r>',
    "deleted revision": '<w:del w:id="1" w:author="x"><w:r><w:delText>7</w:delText></w:r></w:del>' + RUN
                        + '<w:del w:id="2" w:author="x"><w:r><w:t>1</w:t></w:r></w:del>',
    "visible": RUN + "<w:r><w:t>1</w:t></w:r>",
}


def _docx(markup: str) -> bytes:
    report = demo()
    src = zipfile.ZipFile(io.BytesIO(build_report(replace(report, values=report.with_totals()))))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert text.count(RUN) == 1
                data = text.replace(RUN, markup).encode("utf-8")
            dst.writestr(info, data)
    return buf.getvalue()


@pytest.mark.parametrize("case", list(MARKUP))
def test_only_what_word_shows_counts(tmp_path, case):
    p = tmp_path / "报告.docx"
    p.write_bytes(_docx(MARKUP[case]))
    r = import_file(p)
    expected = demo().with_totals()
    if case == "visible":  # a visible "1" beside 405 in the same cell: 4051 is what Word shows
        assert r.report.values["sec2.licensing.decisions"] == 4051
    else:
        assert r.report.values["sec2.licensing.decisions"] == 405
        assert r.report.values == expected

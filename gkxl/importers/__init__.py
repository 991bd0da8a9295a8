"""Importing published reports (text copied from a web page, HTML saved from a government site, Word .docx).

Each source is read into tokens (lines and table cells with their origin); one matcher, driven by the format
spec, turns the tokens into a Report. Nothing is guessed: a value that cannot be placed with certainty is listed
as unreadable with the raw text around it (and an R-VALUE finding); blank, "/" and "—" cells are missing, not 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..findings import Finding
from ..model import Report
from ..rules.structure import structure_findings
from .result import Trace, Unreadable
from .runon import split_runon
from .tokens import CONVERTED_NOTE, Token, check_size, converted, decode, text_tokens

SUFFIXES = {
    ".txt": "网页文本", ".text": "网页文本", ".html": "网页", ".htm": "网页", ".docx": "Word 文档",
    ".doc": "Word 97-2003 文档", ".pdf": "PDF",
}


@dataclass
class ImportResult:
    """A published report read into the data contract, with everything said about how it was read."""

    report: Report
    source: str
    kind: str  # "网页文本", "网页", "Word 文档"
    findings: list[Finding] = field(default_factory=list)  # R-VALUE for each cell that could not be read; R-LAYOUT
    unreadable: list[Unreadable] = field(default_factory=list)  # (what, raw text, origin)
    variants: list[str] = field(default_factory=list)  # the label variants met, one line per kind
    trace: dict[str, Trace] = field(default_factory=dict)  # cell id → origin and raw text
    notes: list[str] = field(default_factory=list)  # what else a reader should know (agency not found, …)
    blank: int = 0  # cells published blank, "/" or "—"
    # The document's text in reading order, one entry per paragraph or line, headings included; a table cell
    # is one entry (its lines joined by a space). For checks of the report's structure (R-STRUCTURE).
    lines: list[str] = field(default_factory=list)

    @property
    def unread_cells(self) -> tuple[str, ...]:
        """Cell ids neither read nor published blank: what a verdict on this report cannot speak for."""
        from ..formats import get_format

        spec = get_format(self.report.format)
        return tuple(c for c in spec.fields if c not in self.report.values and c not in self.trace)

    @property
    def ok(self) -> bool:
        return not self.unreadable


def read_tokens(path: Path, notes: list[str] | None = None) -> tuple[list[Token], str]:
    """The tokens of a published file and the name of its kind; what was left out as not shown goes to notes.
    Unusable input raises InputError."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError("只能导入网页文本（.txt）、网页（.html/.htm）、Word 文档（.docx/.doc）或 PDF（.pdf）", file=source)
    if not path.is_file():
        raise InputError("文件不存在", file=source)
    check_size(path.stat().st_size, source)
    if suffix == ".docx":
        from .from_docx import docx_tokens

        return docx_tokens(path), SUFFIXES[suffix]
    if suffix == ".pdf":
        from .from_pdf import pdf_tokens

        return pdf_tokens(path), SUFFIXES[suffix]
    if suffix == ".doc":
        from .from_doc import doc_tokens

        return doc_tokens(path), SUFFIXES[suffix]
    data = path.read_bytes()
    if suffix in (".html", ".htm"):
        from .from_html import html_tokens

        return html_tokens(data, source, notes), SUFFIXES[suffix]
    text = decode(data, source)
    if notes is not None and converted(text):
        notes.append(CONVERTED_NOTE)
    return text_tokens(text), SUFFIXES[suffix]


def import_file(path: str | Path, *, agency: str | None = None, year: int | None = None) -> ImportResult:
    """Read a published report. agency / year, when given, override what the report's title and text say."""
    from .document import build_report

    p = Path(path)
    shown: list[str] = []
    tokens, kind = read_tokens(p, shown)
    tokens = split_runon(tokens)
    report, out = build_report(tokens, str(p), agency=agency, year=year)
    if CONVERTED_NOTE in shown and agency is None and report.agency:
        # OCR misreads names (沐阳 for 沭阳): the agency is kept as printed, and the user told to check it
        shown.append(f"机关全称按原文读取为“{report.agency}”；转换或识别可能有错字，请与原件核对，必要时用 --agency 指定")
    lines = [" ".join(t.text.split("\n")) for t in tokens if t.text.strip()]
    # R-STRUCTURE (gkxl/rules/structure.py) reads the text outside the tables: a table's labels ("三、本年度办理结果")
    # are not the report's headings.
    prose = [line for t, line in zip((t for t in tokens if t.text.strip()), lines) if not t.cell]
    findings = [f.located(file=str(p)) for f in out.findings + structure_findings(prose, report)]
    return ImportResult(
        report, str(p), kind, findings, out.unreadable, out.variants(), out.trace, shown + out.notes, out.blank, lines
    )


__all__ = ["ImportResult", "Trace", "Unreadable", "import_file", "read_tokens"]

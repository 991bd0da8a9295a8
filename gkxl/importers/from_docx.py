"""A Word (.docx) report → tokens: paragraphs as lines, table cells once each (gridSpan and vMerge merges read once)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import InputError
from ..ooxml_safe import SafeZip
from .tokens import Token

MAX_PARTS = 2000
LAYOUT_TEXT = 200  # no cell of the official tables holds this much text; a cell that does is layout
MAX_UNPACKED = 200 * 1024 * 1024  # declared uncompressed size of all parts: a bigger .docx is a zip bomb, not a report
NOT_DOCX = "不是有效的 .docx 文件（无法打开；旧版 .doc 请在 Word 或 WPS 中另存为 .docx）"


def check_zip(path: Path) -> bytes:
    """The bytes of a .docx package, refused before anything is inflated if it is no .docx or a zip bomb.

    gkxl.ooxml_safe checks every part's declared size, its compression ratio and the total from the zip's
    directory, and every XML part is parsed once safely (a DOCTYPE refused) before python-docx sees the file.
    """
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        from ..fsio import read_reason

        raise InputError(f"无法打开文件（{read_reason(exc)}）", file=source) from None
    try:
        zipfile.ZipFile(io.BytesIO(data)).close()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError):
        raise InputError(NOT_DOCX, file=source) from None
    with SafeZip(data, name=source, what="Word 文档", save_as=".docx", max_total=MAX_UNPACKED) as z:
        if len(z.names) > MAX_PARTS:
            raise InputError(f"压缩包内文件过多（{len(z.names)} 个），不是正常的 Word 文档", file=source)
        if not z.has("word/document.xml"):
            raise InputError("不是 Word 文档（.docx 中没有正文部分）", file=source)
        z.scan_all()
    return data


def docx_tokens(path: Path) -> list[Token]:
    data = check_zip(path)
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise InputError(f"无法读取 Word 文档（{type(exc).__name__}）", file=str(path)) from None

    tokens: list[Token] = []
    counters = {"p": 0, "tbl": 0}
    P, TBL, TR, TC, SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")

    def para_text(p) -> str:
        return _shown_text(p, qn).replace("\xa0", " ").strip()

    def block(el) -> None:
        if el.tag == P:
            text = para_text(el)
            if text:
                counters["p"] += 1
                tokens.append(Token(text, f"第{counters['p']}段"))
        elif el.tag == TBL:
            table(el)
        elif el.tag == SDT or el.tag == qn("w:sdtContent") or el.tag == qn("w:customXml"):
            for child in el:
                block(child)

    def table(tbl) -> None:
        rows = tbl.findall(TR)
        tcs = [tc for tr in rows for tc in tr.findall(TC)]
        if len(tcs) <= 1 or tbl.findall(f".//{TC}//{TBL}") or any(len("".join(tc.itertext())) > LAYOUT_TEXT for tc in tcs):
            # A layout table (a frame around the text, tables inside tables, a cell holding the report's text):
            # read its content in order.
            for tc in tcs:
                for child in tc:
                    block(child)
            return
        counters["tbl"] += 1
        k = counters["tbl"]
        for r, tr in enumerate(rows):
            col = _grid_before(tr, qn)
            for tc in tr.findall(TC):
                span, merged = _span_and_merge(tc, qn)
                if not merged:  # a vMerge continuation repeats the cell above: read it once, there
                    text = "\n".join(t for t in (para_text(p) for p in tc.findall(P)) if t)
                    tokens.append(Token(text, f"表格{k} 第{r + 1}行第{col + 1}列", cell=True))
                col += span

    for el in document.element.body:
        block(el)
    return tokens


def _shown_text(p, qn) -> str:
    """A paragraph's text as Word shows it: no hidden runs (w:vanish), no deleted or moved-away text, no
    superscript or subscript marks (footnote numbers beside a value are not part of it)."""
    R, T, TAB, BR, CR = qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
    gone = {qn("w:del"), qn("w:moveFrom")}
    out: list[str] = []
    for r in p.iter(R):
        parent, skip = r.getparent(), False
        while parent is not None and parent is not p:
            if parent.tag in gone:
                skip = True
                break
            parent = parent.getparent()
        rpr = r.find(qn("w:rPr"))
        if rpr is not None:
            vanish = rpr.find(qn("w:vanish"))
            if vanish is not None and vanish.get(qn("w:val"), "true") not in ("0", "false", "off"):
                skip = True
            align = rpr.find(qn("w:vertAlign"))
            if align is not None and align.get(qn("w:val")) in ("superscript", "subscript"):
                skip = True
        if skip:
            continue
        for child in r:
            if child.tag == T:
                out.append(child.text or "")
            elif child.tag == TAB:
                out.append("\t")
            elif child.tag in (BR, CR):
                out.append("\n")
    return "".join(out)


def _grid_before(tr, qn) -> int:
    el = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
    return _int(el.get(qn("w:val")) if el is not None else None, 0)


def _span_and_merge(tc, qn) -> tuple[int, bool]:
    """(grid columns the cell spans, whether it continues a vertical merge)."""
    pr = tc.find(qn("w:tcPr"))
    if pr is None:
        return 1, False
    span_el = pr.find(qn("w:gridSpan"))
    span = max(1, min(_int(span_el.get(qn("w:val")) if span_el is not None else None, 1), 100))
    vmerge = pr.find(qn("w:vMerge"))
    merged = vmerge is not None and vmerge.get(qn("w:val"), "continue") != "restart"
    return span, merged


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default

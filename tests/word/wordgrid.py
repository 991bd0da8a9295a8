"""Test helpers: re-open a .docx and read it back as a reader would (parts, paragraphs, table grids with spans)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


class Docx:
    """The parts of a .docx, parsed on demand."""

    def __init__(self, data: bytes):
        self.data = data
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.parts = {n: zf.read(n) for n in zf.namelist()}
        self._xml: dict[str, etree._Element] = {}

    def xml(self, name: str) -> etree._Element:
        if name not in self._xml:
            self._xml[name] = etree.fromstring(self.parts[name])
        return self._xml[name]

    @property
    def document(self) -> etree._Element:
        return self.xml("word/document.xml")

    @property
    def body(self) -> etree._Element:
        return self.document.find(q("body"))

    @property
    def sect_pr(self) -> etree._Element:
        return self.body.find(q("sectPr"))

    @property
    def styles(self) -> etree._Element:
        return self.xml("word/styles.xml")

    def style(self, style_id: str) -> etree._Element | None:
        return self.styles.find(f"w:style[@w:styleId='{style_id}']", NS)

    def resolved(self, style_id: str, path: str) -> str | None:
        """An attribute found along the style's basedOn chain, e.g. ("Normal", "w:rPr/w:sz/@w:val")."""
        elem_path, attr = path.rsplit("/@", 1)
        sid = style_id
        while sid:
            st = self.style(sid)
            if st is None:
                break
            e = st.find(elem_path, NS)
            if e is not None and e.get(q(attr.split(":")[1])) is not None:
                return e.get(q(attr.split(":")[1]))
            based = st.find("w:basedOn", NS)
            sid = based.get(q("val")) if based is not None else None
        d = self.styles.find("w:docDefaults/w:rPrDefault/" + elem_path, NS)
        return d.get(q(attr.split(":")[1])) if d is not None else None

    def part_of_rel(self, rid: str) -> str:
        rels = etree.fromstring(self.parts["word/_rels/document.xml.rels"])
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        return "word/" + target

    def footer(self, kind: str) -> etree._Element:
        ref = self.sect_pr.find(f"w:footerReference[@w:type='{kind}']", NS)
        return self.xml(self.part_of_rel(ref.get(f"{{{R}}}id")))

    def header(self, kind: str) -> etree._Element | None:
        ref = self.sect_pr.find(f"w:headerReference[@w:type='{kind}']", NS)
        return None if ref is None else self.xml(self.part_of_rel(ref.get(f"{{{R}}}id")))

    def tables(self) -> list[etree._Element]:
        return self.body.findall(q("tbl"))


def text_of(e: etree._Element) -> str:
    return "".join(t.text or "" for t in e.iter(q("t")))


def style_of(p: etree._Element) -> str | None:
    ps = p.find("w:pPr/w:pStyle", NS)
    return ps.get(q("val")) if ps is not None else None


@dataclass
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    element: etree._Element


def grid(tbl: etree._Element) -> dict[tuple[int, int], Cell]:
    """Origin cells of a table by (row, grid column), with spans from gridSpan and vMerge."""
    cells: dict[tuple[int, int], Cell] = {}
    open_merge: dict[int, Cell] = {}  # grid column → the cell a vMerge continues
    for r, tr in enumerate(tbl.findall(q("tr"))):
        c = 0
        for tc in tr.findall(q("tc")):
            span_el = tc.find("w:tcPr/w:gridSpan", NS)
            span = int(span_el.get(q("val"))) if span_el is not None else 1
            vm = tc.find("w:tcPr/w:vMerge", NS)
            if vm is not None and vm.get(q("val")) != "restart":
                origin = open_merge[c]
                assert origin.colspan == span, "a vMerge continuation must have the span of its origin"
                origin.rowspan += 1
            else:
                cell = Cell(r, c, 1, span, text_of(tc), tc)
                cells[(r, c)] = cell
                if vm is not None:
                    open_merge[c] = cell
                else:
                    open_merge.pop(c, None)
            c += span
    return cells


def grid_size(tbl: etree._Element) -> tuple[int, int]:
    return len(tbl.findall(q("tr"))), len(tbl.findall("w:tblGrid/w:gridCol", NS))

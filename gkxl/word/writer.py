"""build_report: a Report as a .docx in the official six-section order, typeset by the reference document's styles."""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from ..formats import SECTION_PART
from ..model import Report
from . import styles as st
from .ooxml import CT_HEADER, CT_NS, PKG_REL_NS, R_NS, REL_HEADER, el, parse, sub, to_xml, w, write_zip
from .reference import Prepared, prepared
from .tables import filled, skeletons, text_run
from .text import clean, fee_sentence, issued_on_text, paragraphs, title_lines, title_of

DRAFT_MARK = "草稿"


def build_report(report: Report, *, draft: bool = False, reference: Path | None = None, fonts: dict | None = None) -> bytes:
    """The report as .docx bytes.

    reference: a restyled copy of docx_templates/reference.docx (default: $GKXL_REFERENCE_DOCX or the bundled one);
    fonts: font names to use instead, by role or by name ({"fangsong": "仿宋"}); draft: 草稿 in every page header.
    The caller runs the checks first; a value that is missing prints as an empty cell.
    """
    prep = prepared(reference, fonts)
    body = el("body")
    for p in _content(report, prep):
        body.append(p)
    sect = copy.deepcopy(prep.sect_pr)
    body.append(sect)
    # A new root with the reference's namespaces and attributes (mc:Ignorable names prefixes Word declared).
    document = etree.Element(prep.document.tag, dict(prep.document.attrib), nsmap=prep.document.nsmap)
    document.append(body)

    entries = dict(prep.entries)
    if draft:
        _add_draft_headers(entries, prep, sect)
    entries[prep.document_part] = to_xml(document)
    if "docProps/core.xml" in entries:
        entries["docProps/core.xml"] = _core(title_of(report), clean(report.issuer)[0])
    return write_zip(entries)


def _content(report: Report, prep: Prepared) -> list[etree._Element]:
    spec = report.spec
    fonts = prep.run_fonts
    out: list[etree._Element] = []

    def para(style: str, text: str = "") -> etree._Element:
        p = el("p")
        sub(sub(p, "pPr"), "pStyle", {"val": style})
        if text:
            p.append(text_run(text, fonts.get(style)))
        out.append(p)
        return p

    # Title: one paragraph, its lines separated by line breaks so it stays one heading-like block.
    title = para(st.S_TITLE)
    for i, line in enumerate(title_lines(clean(report.agency)[0], report.year)):
        if i:
            sub(sub(title, "r"), "br")
        title.append(text_run(line, fonts.get(st.S_TITLE)))

    def narrative(section_id: str, extra: str = "") -> None:
        texts = paragraphs(report.narrative.get(section_id))
        if extra:
            texts.append(extra)
        for t in texts:
            para(st.S_NORMAL, t)

    by_part: dict[int, list] = {}
    for section in spec.sections:
        by_part.setdefault(SECTION_PART.get(section.id, -1), []).append(section)
    for section in by_part.get(-1, []):
        narrative(section.id)

    values = report.with_totals()
    tables = {sk.table.heading: sk for sk in skeletons(spec, fonts, prep.cache)}
    fee = fee_sentence(report)
    for i, heading in enumerate(spec.headings):
        para(st.S_H1, heading)
        for section in by_part.get(i, []):
            if section.heading:
                para(st.S_H2 if section.level >= 2 else st.S_H1, section.heading)
            narrative(section.id, fee if section.id == "other_matters" else "")
        if heading in tables:
            out.append(filled(tables[heading], values))
            # A paragraph must follow a table; a small gap also keeps the next heading off the table's last row.
            para(st.S_NORMAL)

    issuer = clean(report.issuer)[0].strip()
    date = issued_on_text(report)
    if issuer or date:
        # The 落款 never stands alone at the top of a page: it keeps with the report's last line.
        last = out[-1].find(w("pPr"))
        last.insert(1, el("keepNext"))
        sub(para(st.S_NORMAL).find(w("pPr")), "keepNext")
        if issuer:
            para(st.S_SIGNATURE, issuer)
        if date:
            para(st.S_SIGNATURE, date)
    return out


def _add_draft_headers(entries: dict[str, bytes], prep: Prepared, sect: etree._Element) -> None:
    """Headers with 草稿 for odd and even pages (they replace any header the reference has)."""
    base = prep.document_part.rsplit("/", 1)[0]
    rels = parse(entries[prep.rels_part]) if prep.rels_part in entries else etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
    used = {r.get("Id") for r in rels}
    ct = parse(entries["[Content_Types].xml"])
    for ref in sect.findall(w("headerReference")):
        sect.remove(ref)
    for kind in ("even", "default"):
        n = 1
        while f"{base}/gkxl_draft{n}.xml" in entries or f"rIdDraft{n}" in used:
            n += 1
        name, rid = f"gkxl_draft{n}.xml", f"rIdDraft{n}"
        hdr = st.header_xml("")
        p = hdr.find(w("p"))
        p.append(text_run(DRAFT_MARK, prep.run_fonts.get(st.S_DRAFT)))
        entries[f"{base}/{name}"] = to_xml(hdr)
        etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship", Id=rid, Type=REL_HEADER, Target=name)
        used.add(rid)
        etree.SubElement(ct, f"{{{CT_NS}}}Override", PartName=f"/{base}/{name}", ContentType=CT_HEADER)
        ref = el("headerReference", {"type": kind})
        ref.set(f"{{{R_NS}}}id", rid)
        sect.insert(0, ref)  # header and footer references open the sectPr
    entries[prep.rels_part] = to_xml(rels)
    entries["[Content_Types].xml"] = to_xml(ct)


def _core(title: str, creator: str) -> bytes:
    """Document properties: the report's title and issuer; no dates, so the same report gives the same bytes."""
    cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    dc = "http://purl.org/dc/elements/1.1/"
    root = etree.Element(f"{{{cp}}}coreProperties", nsmap={"cp": cp, "dc": dc})
    etree.SubElement(root, f"{{{dc}}}title").text = title
    etree.SubElement(root, f"{{{dc}}}creator").text = creator or "gkxl"
    return to_xml(root)


__all__ = ["build_report", "DRAFT_MARK"]

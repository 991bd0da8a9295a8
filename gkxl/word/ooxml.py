"""Small WordprocessingML helpers: namespaces, element building, unit conversion and deterministic zip packages."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
NSMAP = {"w": W_NS, "r": R_NS}

REL_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
REL_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
REL_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
REL_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
CT_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"

# The four font slots of w:rFonts, and the theme references that must never be left beside them.
FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME_SLOTS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")

# Word refuses a document holding characters XML 1.0 forbids; tab and newline are handled by the caller.
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # zip entry timestamps: the same input always gives the same bytes


def w(tag: str) -> str:
    """Clark name of a w: tag or attribute."""
    return f"{{{W_NS}}}{tag}"


def el(tag: str, attrs: dict | None = None, *children: etree._Element) -> etree._Element:
    """A w: element with w: attributes (keys without prefix) and children."""
    e = etree.Element(w(tag), nsmap=NSMAP) if attrs is None else etree.Element(w(tag), {w(k): str(v) for k, v in attrs.items()}, nsmap=NSMAP)
    for c in children:
        e.append(c)
    return e


def sub(parent: etree._Element, tag: str, attrs: dict | None = None) -> etree._Element:
    return etree.SubElement(parent, w(tag), {w(k): str(v) for k, v in (attrs or {}).items()})


def mm_to_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def pt_to_twips(pt: float) -> int:
    return round(pt * 20)


def to_xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def parse(data: bytes) -> etree._Element:
    """A part of a package gkxl reads or writes, parsed safely (no DTD, no entities: gkxl.ooxml_safe)."""
    from ..ooxml_safe import parse_xml

    return parse_xml(data)


def read_zip(data: bytes) -> dict[str, bytes]:
    """The entries of a package, in their stored order."""
    with zipfile.ZipFile(BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_zip(entries: dict[str, bytes]) -> bytes:
    """A package with fixed timestamps, [Content_Types].xml first (as Office writes it)."""
    buf = BytesIO()
    order = sorted(entries, key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", 0))
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in order:
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[name])
    return buf.getvalue()

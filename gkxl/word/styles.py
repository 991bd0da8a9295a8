"""The 公文 typesetting of the report as data (GB/T 9704, word-layout.md): page, named styles, footers, theme.

docx_templates/build_reference.py turns this into docx_templates/reference.docx; the writer then only reads
styles from that document, so an office can restyle the report by editing it in Word or WPS.

What the LibreOffice 7.4 render showed (tests/word/test_render.py), for word-layout.md's [Unverified] points:
- docGrid linesAndChars with charSpace −849 sets 14 characters a line (each glyph takes two grid cells), so the
  grid here is type="lines" with body text condensed by 0.25 pt: 28 characters and 22 lines a page in the render.
- w:firstLineChars is honoured (the indent is 32 pt); w:autoSpaceDE/DN is not (LibreOffice still puts a small
  gap between Chinese and digits; Word does not); closing punctuation hangs into the right margin, as in Word.
- Table cell margins are not taken from a table style, so each table repeats them in its own tblPr; w:keepNext
  on a row's paragraphs does keep that row with the next one; w:tblHeader rows repeat.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .ooxml import A_NS, NSMAP, el, mm_to_twips, pt_to_twips, sub

# Font roles and their default names; `--fonts` maps a role (or a font name) to another name.
FONTS = {
    "fangsong": "仿宋_GB2312",
    "kaiti": "楷体_GB2312",
    "heiti": "黑体",
    "xiaobiaosong": "方正小标宋简体",
    "songti": "宋体",
    "latin": "Times New Roman",
}
# fontTable hints (charset 86 = GB2312) and the names Windows has where the _GB2312 fonts are not installed.
ALT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}

# Page (GB/T 9704 5.1, 5.2): A4, margins 37/35/28/26 mm, text area 156 × 225 mm, 22 lines of 28 characters.
PAGE_MM = (210.0, 297.0)
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
LINE_PITCH = 579  # twips: 28.95 pt, 22 lines in 225 mm
LINES_PER_PAGE = 22
HEADER_MM = 15.0
FOOTER_MM = 24.0  # tuned in the LibreOffice render: the dash line of the page number about 7 mm below the text area
BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
PAGE_NUMBER_PT = 14.0  # 4号
TABLE_PT = 10.5  # 五号
TABLE_SMALL_PT = 9.0  # 小五
# 28 full-width 3号 characters (448 pt) do not fit the 442.2 pt line; condensing each by 0.25 pt (15.75 pt a
# character, 441 pt a line) gives 28 in Word and LibreOffice alike. Word's linesAndChars grid (charSpace −849)
# does the same in Word, but LibreOffice 7.4 then sets each character in two grid cells: 14 a line (measured).
BODY_CONDENSE = -5  # twentieths of a point
# 1 mm cell margins: the 11 mm columns of 表三 and 表四 then hold two characters a line (商业/企业, 结果/维持), as
# the official tables print them; Word's default 1.9 mm leaves room for one only.
CELL_MARGIN_TWIPS = 57


@dataclass(frozen=True)
class StyleDef:
    """A named paragraph style: fonts by role, size, alignment, indent and line spacing."""

    id: str
    name: str
    east: str  # font role for Chinese
    size_pt: float
    based_on: str | None = None
    latin: str = "latin"
    jc: str | None = None
    first_line_chars: int | None = None  # hundredths of a character; 0 to reset an inherited indent
    right_chars: int | None = None
    line_exact: int | None = None  # twips
    space_after: int | None = None
    keep_next: bool = False
    outline: int | None = None
    snap_to_grid: bool = True
    condense: int | None = None
    color: str | None = None
    alias: str | None = None
    bold: bool | None = None


S_NORMAL = "Normal"
S_TITLE = "DocTitle"
S_H1 = "Heading1"
S_H2 = "Heading2"
S_SIGNATURE = "Signature"
S_TABLE = "TableText"
S_TABLE_SMALL = "TableTextSmall"
S_TABLE_HEAD = "TableHeader"
S_TABLE_HEAD_SMALL = "TableHeaderSmall"
S_TABLE_NOTE = "TableNote"
S_TABLE_NOTE_SMALL = "TableNoteSmall"
S_PAGE_NUMBER = "PageNumber"
S_DRAFT = "DraftMark"
S_TABLE_GRID = "TableGrid"

TABLE_LINE = pt_to_twips(14)
TABLE_SMALL_LINE = pt_to_twips(12)

PARAGRAPH_STYLES: tuple[StyleDef, ...] = (
    StyleDef(S_NORMAL, "Normal", "fangsong", BODY_PT, jc="both", first_line_chars=200, line_exact=LINE_PITCH,
             space_after=0, condense=BODY_CONDENSE),
    StyleDef(S_TITLE, "公文标题", "xiaobiaosong", TITLE_PT, based_on=S_NORMAL, latin="xiaobiaosong", jc="center", first_line_chars=0,
             line_exact=pt_to_twips(35), space_after=LINE_PITCH, keep_next=True, snap_to_grid=False, condense=0),
    StyleDef(S_H1, "heading 1", "heiti", BODY_PT, based_on=S_NORMAL, keep_next=True, outline=0, alias="一级标题", bold=False),
    StyleDef(S_H2, "heading 2", "kaiti", BODY_PT, based_on=S_NORMAL, keep_next=True, outline=1, alias="二级标题", bold=False),
    StyleDef(S_SIGNATURE, "落款", "fangsong", BODY_PT, based_on=S_NORMAL, jc="right", first_line_chars=0, right_chars=200,
             keep_next=True),
    StyleDef(S_TABLE, "表格文字", "fangsong", TABLE_PT, jc="center", first_line_chars=0, line_exact=TABLE_LINE,
             space_after=0, snap_to_grid=False, condense=0),
    StyleDef(S_TABLE_SMALL, "表格文字小", "fangsong", TABLE_SMALL_PT, based_on=S_TABLE, line_exact=TABLE_SMALL_LINE),
    StyleDef(S_TABLE_HEAD, "表头", "heiti", TABLE_PT, based_on=S_TABLE),
    StyleDef(S_TABLE_HEAD_SMALL, "表头小", "heiti", TABLE_SMALL_PT, based_on=S_TABLE_SMALL),
    StyleDef(S_TABLE_NOTE, "表格说明", "kaiti", TABLE_PT, based_on=S_TABLE),
    StyleDef(S_TABLE_NOTE_SMALL, "表格说明小", "kaiti", TABLE_SMALL_PT, based_on=S_TABLE_SMALL),
    StyleDef(S_PAGE_NUMBER, "页码", "songti", PAGE_NUMBER_PT, latin="songti", first_line_chars=0, space_after=0,
             snap_to_grid=False, condense=0),
    StyleDef(S_DRAFT, "草稿标记", "heiti", BODY_PT, jc="center", first_line_chars=0, space_after=0,
             snap_to_grid=False, condense=0, color="C00000"),
)
STYLE_IDS = tuple(s.id for s in PARAGRAPH_STYLES)


def fonts_el(east: str, latin: str) -> etree._Element:
    """w:rFonts with all four slots named and the East Asian hint; never a theme reference."""
    return el("rFonts", {"ascii": latin, "hAnsi": latin, "eastAsia": east, "cs": latin, "hint": "eastAsia"})


def _ppr(s: StyleDef) -> etree._Element:
    ppr = el("pPr")
    if s.keep_next:
        sub(ppr, "keepNext")
    sub(ppr, "widowControl", {"val": "0"})  # 公文 pages are filled to 22 lines; widow control would shorten them
    # No automatic gap between Chinese and digits: a 公文 line is a plain run of full-width characters.
    sub(ppr, "autoSpaceDE", {"val": "0"})
    sub(ppr, "autoSpaceDN", {"val": "0"})
    if not s.snap_to_grid:
        sub(ppr, "snapToGrid", {"val": "0"})
    if s.line_exact is not None or s.space_after is not None:
        attrs: dict = {"before": 0}
        if s.space_after is not None:
            attrs["after"] = s.space_after
        if s.line_exact is not None:
            attrs.update(line=s.line_exact, lineRule="exact")
        sub(ppr, "spacing", attrs)
    ind: dict = {}
    if s.first_line_chars is not None:
        # Character units follow the size; the twips value is the fallback for renderers without them.
        ind.update(firstLineChars=s.first_line_chars, firstLine=round(s.first_line_chars / 100 * s.size_pt * 20))
    if s.right_chars is not None:
        ind.update(rightChars=s.right_chars, right=round(s.right_chars / 100 * s.size_pt * 20))
    if ind:
        sub(ppr, "ind", ind)
    if s.jc:
        sub(ppr, "jc", {"val": s.jc})
    if s.outline is not None:
        sub(ppr, "outlineLvl", {"val": s.outline})
    return ppr


def _rpr(s: StyleDef) -> etree._Element:
    rpr = el("rPr")
    rpr.append(fonts_el(FONTS[s.east], FONTS[s.latin]))
    if s.bold is not None:
        sub(rpr, "b", {"val": int(s.bold)})
        sub(rpr, "bCs", {"val": int(s.bold)})
    if s.color:
        sub(rpr, "color", {"val": s.color})
    if s.condense is not None:
        sub(rpr, "spacing", {"val": s.condense})
    half = round(s.size_pt * 2)
    sub(rpr, "sz", {"val": half})
    sub(rpr, "szCs", {"val": half})
    return rpr


def _style(s: StyleDef) -> etree._Element:
    attrs = {"type": "paragraph", "styleId": s.id}
    if s.id == S_NORMAL:
        attrs["default"] = "1"
    st = el("style", attrs)
    sub(st, "name", {"val": s.name})
    if s.alias:
        sub(st, "aliases", {"val": s.alias})
    if s.based_on:
        sub(st, "basedOn", {"val": s.based_on})
    if s.id in (S_H1, S_H2):
        sub(st, "next", {"val": S_NORMAL})
    sub(st, "qFormat")
    st.append(_ppr(s))
    st.append(_rpr(s))
    return st


def _table_style(style_id: str, name: str, *, default: bool, borders: bool) -> etree._Element:
    attrs = {"type": "table", "styleId": style_id}
    if default:
        attrs["default"] = "1"
    st = el("style", attrs)
    sub(st, "name", {"val": name})
    if not default:
        sub(st, "basedOn", {"val": "TableNormal"})
    tblpr = sub(st, "tblPr")
    sub(tblpr, "tblInd", {"w": 0, "type": "dxa"})
    if borders:
        b = sub(tblpr, "tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            sub(b, side, {"val": "single", "sz": 4, "space": 0, "color": "000000"})
    mar = sub(tblpr, "tblCellMar")
    for side, v in (("top", 0), ("left", CELL_MARGIN_TWIPS), ("bottom", 0), ("right", CELL_MARGIN_TWIPS)):
        sub(mar, side, {"w": v, "type": "dxa"})
    return st


def styles_xml() -> etree._Element:
    """styles.xml: docDefaults without theme fonts (eastAsia zh-CN) and every named style of the report."""
    root = el("styles")
    dd = sub(root, "docDefaults")
    rpr = sub(sub(dd, "rPrDefault"), "rPr")
    rpr.append(el("rFonts", {"ascii": FONTS["latin"], "hAnsi": FONTS["latin"], "eastAsia": FONTS["fangsong"], "cs": FONTS["latin"]}))
    sub(rpr, "kern", {"val": 2})
    sub(rpr, "sz", {"val": round(BODY_PT * 2)})
    sub(rpr, "szCs", {"val": round(BODY_PT * 2)})
    sub(rpr, "lang", {"val": "en-US", "eastAsia": "zh-CN", "bidi": "ar-SA"})
    ppr = sub(sub(dd, "pPrDefault"), "pPr")
    sub(ppr, "spacing", {"after": 0})
    for s in PARAGRAPH_STYLES:
        root.append(_style(s))
    cs = el("style", {"type": "character", "default": "1", "styleId": "DefaultParagraphFont"})
    sub(cs, "name", {"val": "Default Paragraph Font"})
    sub(cs, "uiPriority", {"val": 1})
    sub(cs, "semiHidden")
    root.append(cs)
    root.append(_table_style("TableNormal", "Normal Table", default=True, borders=False))
    root.append(_table_style(S_TABLE_GRID, "Table Grid", default=False, borders=True))
    return root


def _page_number_paragraph(odd: bool) -> etree._Element:
    """`— n —` in 4号 宋体: odd pages right, even pages left, one character in from the edge (GB/T 9704 7.5)."""
    p = el("p")
    ppr = sub(p, "pPr")
    sub(ppr, "pStyle", {"val": S_PAGE_NUMBER})
    one_char = pt_to_twips(PAGE_NUMBER_PT)
    sub(ppr, "ind", {"rightChars" if odd else "leftChars": 100, "right" if odd else "left": one_char, "firstLine": 0, "firstLineChars": 0})
    sub(ppr, "jc", {"val": "right" if odd else "left"})

    def run(*children: etree._Element) -> etree._Element:
        r = sub(p, "r")
        r.append(el("rPr", None, fonts_el(FONTS["songti"], FONTS["songti"])))
        for c in children:
            r.append(c)
        return r

    def text(t: str) -> etree._Element:
        e = el("t", None)
        e.text = t
        e.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return e

    run(text("— "))
    run(el("fldChar", {"fldCharType": "begin"}))
    instr = el("instrText", None)
    instr.text = " PAGE "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run(instr)
    run(el("fldChar", {"fldCharType": "separate"}))
    run(text("1"))
    run(el("fldChar", {"fldCharType": "end"}))
    run(text(" —"))
    return p


def footer_xml(*, odd: bool) -> etree._Element:
    ftr = el("ftr")
    ftr.append(_page_number_paragraph(odd))
    return ftr


def header_xml(text: str) -> etree._Element:
    """A header holding one 草稿标记 paragraph (empty text: an empty header)."""
    hdr = el("hdr")
    p = sub(hdr, "p")
    sub(sub(p, "pPr"), "pStyle", {"val": S_DRAFT})
    if text:
        r = sub(p, "r")
        r.append(el("rPr", None, fonts_el(FONTS["heiti"], FONTS["latin"])))
        sub(r, "t").text = text
    return hdr


def sect_pr(footer_rids: tuple[str, str]) -> etree._Element:
    """The section: footers (default = odd pages, even), A4, margins, the 22-line grid."""
    sp = el("sectPr")
    for kind, rid in zip(("default", "even"), footer_rids):
        ref = sub(sp, "footerReference", {"type": kind})
        ref.set(f"{{{NSMAP['r']}}}id", rid)
    sub(sp, "pgSz", {"w": mm_to_twips(PAGE_MM[0]), "h": mm_to_twips(PAGE_MM[1])})
    sub(sp, "pgMar", {
        "top": mm_to_twips(MARGINS_MM["top"]), "right": mm_to_twips(MARGINS_MM["right"]),
        "bottom": mm_to_twips(MARGINS_MM["bottom"]), "left": mm_to_twips(MARGINS_MM["left"]),
        "header": mm_to_twips(HEADER_MM), "footer": mm_to_twips(FOOTER_MM), "gutter": 0,
    })
    sub(sp, "cols", {"space": 425})
    sub(sp, "docGrid", {"type": "lines", "linePitch": LINE_PITCH})
    return sp


def settings_xml() -> etree._Element:
    """settings.xml in schema order: odd/even footers on, Chinese theme language, no punctuation compression."""
    root = el("settings")
    sub(root, "zoom", {"percent": 100})
    sub(root, "defaultTabStop", {"val": 420})
    sub(root, "evenAndOddHeaders")
    sub(root, "characterSpacingControl", {"val": "doNotCompress"})
    compat = sub(root, "compat")
    sub(compat, "useFELayout")
    sub(compat, "compatSetting", {"name": "compatibilityMode", "uri": "http://schemas.microsoft.com/office/word", "val": 15})
    sub(root, "themeFontLang", {"val": "en-US", "eastAsia": "zh-CN"})
    sub(root, "decimalSymbol", {"val": "."})
    sub(root, "listSeparator", {"val": ","})
    return root


def font_table_xml() -> etree._Element:
    root = el("fonts")
    for name in dict.fromkeys(FONTS.values()):
        f = sub(root, "font", {"name": name})
        if name in ALT_NAMES:
            sub(f, "altName", {"val": ALT_NAMES[name]})
        latin = name == FONTS["latin"]
        sub(f, "charset", {"val": "00" if latin else "86"})
        sub(f, "family", {"val": "roman" if latin else "modern"})
        sub(f, "pitch", {"val": "variable"})
    return root


def neutral_theme(theme: bytes) -> bytes:
    """A theme whose fonts cannot leak: named Latin and East Asian faces, no per-script (e.g. Japanese) faces."""
    root = etree.fromstring(theme)
    for tag, east in (("majorFont", FONTS["heiti"]), ("minorFont", FONTS["fangsong"])):
        for font in root.iter(f"{{{A_NS}}}{tag}"):
            for child in list(font):
                font.remove(child)
            for slot, face in (("latin", FONTS["latin"]), ("ea", east), ("cs", FONTS["latin"])):
                etree.SubElement(font, f"{{{A_NS}}}{slot}", typeface=face)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


__all__ = [
    "FONTS", "PARAGRAPH_STYLES", "STYLE_IDS", "StyleDef", "styles_xml", "settings_xml", "footer_xml", "header_xml",
    "sect_pr", "font_table_xml", "neutral_theme", "fonts_el",
]

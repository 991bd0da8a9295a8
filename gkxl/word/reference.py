"""The reference document: building it from styles.py, finding it (bundled, --reference, env), loading it once."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lxml import etree

from ..errors import InputError
from . import styles as st
from .ooxml import (
    CT_FOOTER,
    CT_NS,
    FONT_SLOTS,
    PKG_REL_NS,
    REL_FOOTER,
    REL_OFFICE_DOCUMENT,
    REL_STYLES,
    THEME_SLOTS,
    el,
    parse,
    read_zip,
    sub,
    to_xml,
    w,
    write_zip,
)

ENV_REFERENCE = "GKXL_REFERENCE_DOCX"
MAX_REFERENCE_BYTES = 50 * 1024 * 1024  # the bundled one is some 10 KB; one with a logo image a few MB

_CT = {
    "main": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "styles": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    "settings": "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
    "fontTable": "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
    "theme": "application/vnd.openxmlformats-officedocument.theme+xml",
    "core": "application/vnd.openxmlformats-package.core-properties+xml",
    "app": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

# Sample paragraphs of the reference document, one per style, so that whoever restyles it sees every style.
_SAMPLES = (
    (st.S_TITLE, "（公文标题）某某机关2024年政府信息公开工作年度报告"),
    (st.S_NORMAL, "（正文）本报告依据《中华人民共和国政府信息公开条例》编制，正文为3号仿宋，首行缩进二字，每页22行、每行28字。"),
    (st.S_H1, "一、（一级标题）黑体"),
    (st.S_H2, "（一）（二级标题）楷体"),
    (st.S_TABLE_HEAD, "（表头）黑体五号"),
    (st.S_TABLE, "（表格文字）仿宋五号"),
    (st.S_TABLE_NOTE, "（表格说明）楷体五号"),
    (st.S_TABLE_HEAD_SMALL, "（表头小）黑体小五"),
    (st.S_TABLE_SMALL, "（表格文字小）仿宋小五"),
    (st.S_TABLE_NOTE_SMALL, "（表格说明小）楷体小五"),
    (st.S_SIGNATURE, "（落款）某某机关"),
    (st.S_DRAFT, "（草稿标记）草稿"),
)


def _rels(items: list[tuple[str, str, str]]) -> etree._Element:
    root = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
    for rid, rtype, target in items:
        etree.SubElement(root, f"{{{PKG_REL_NS}}}Relationship", Id=rid, Type=rtype, Target=target)
    return root


def _content_types(overrides: dict[str, str]) -> etree._Element:
    root = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
    etree.SubElement(root, f"{{{CT_NS}}}Default", Extension="rels", ContentType="application/vnd.openxmlformats-package.relationships+xml")
    etree.SubElement(root, f"{{{CT_NS}}}Default", Extension="xml", ContentType="application/xml")
    for part, ctype in overrides.items():
        etree.SubElement(root, f"{{{CT_NS}}}Override", PartName=part, ContentType=ctype)
    return root


def _sample_document() -> etree._Element:
    doc = el("document")
    body = sub(doc, "body")
    for style_id, text in _SAMPLES:
        p = sub(body, "p")
        sub(sub(p, "pPr"), "pStyle", {"val": style_id})
        r = sub(p, "r")
        sub(r, "t").text = text
    body.append(st.sect_pr(("rIdFooterOdd", "rIdFooterEven")))
    return doc


def _theme() -> bytes:
    # python-docx's theme is a complete Office theme; only its fonts are replaced.
    import docx

    with resources.as_file(resources.files(docx) / "templates" / "default-docx-template" / "word" / "theme" / "theme1.xml") as p:
        if p.exists():
            return st.neutral_theme(p.read_bytes())
    default = Path(docx.__file__).parent / "templates" / "default.docx"
    return st.neutral_theme(read_zip(default.read_bytes())["word/theme/theme1.xml"])


def build_reference() -> bytes:
    """The reference .docx (deterministic bytes): styles, page setup, odd/even page-number footers, theme."""
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>政府信息公开工作年度报告样式参考文档</dc:title>'
        "<dc:creator>gkxl</dc:creator></cp:coreProperties>"
    ).encode()
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>gkxl</Application></Properties>"
    ).encode()
    entries = {
        "[Content_Types].xml": to_xml(_content_types({
            "/word/document.xml": _CT["main"], "/word/styles.xml": _CT["styles"], "/word/settings.xml": _CT["settings"],
            "/word/fontTable.xml": _CT["fontTable"], "/word/theme/theme1.xml": _CT["theme"],
            "/word/footer1.xml": CT_FOOTER, "/word/footer2.xml": CT_FOOTER,
            "/docProps/core.xml": _CT["core"], "/docProps/app.xml": _CT["app"],
        })),
        "_rels/.rels": to_xml(_rels([
            ("rId1", REL_OFFICE_DOCUMENT, "word/document.xml"),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
            ("rId3", _REL + "extended-properties", "docProps/app.xml"),
        ])),
        "docProps/core.xml": core,
        "docProps/app.xml": app,
        "word/document.xml": to_xml(_sample_document()),
        "word/_rels/document.xml.rels": to_xml(_rels([
            ("rIdStyles", REL_STYLES, "styles.xml"),
            ("rIdSettings", _REL + "settings", "settings.xml"),
            ("rIdFontTable", _REL + "fontTable", "fontTable.xml"),
            ("rIdTheme", _REL + "theme", "theme/theme1.xml"),
            ("rIdFooterOdd", REL_FOOTER, "footer1.xml"),
            ("rIdFooterEven", REL_FOOTER, "footer2.xml"),
        ])),
        "word/styles.xml": to_xml(st.styles_xml()),
        "word/settings.xml": to_xml(st.settings_xml()),
        "word/fontTable.xml": to_xml(st.font_table_xml()),
        "word/theme/theme1.xml": _theme(),
        "word/footer1.xml": to_xml(st.footer_xml(odd=True)),
        "word/footer2.xml": to_xml(st.footer_xml(odd=False)),
    }
    return write_zip(entries)


# ---------------------------------------------------------------------------------------------------------------
# Finding and loading


def bundled_reference() -> Path:
    try:
        return Path(str(resources.files("docx_templates") / "reference.docx"))
    except ModuleNotFoundError:  # a checkout run without installing: the folder beside the gkxl package
        return Path(__file__).resolve().parents[2] / "docx_templates" / "reference.docx"


def reference_path(explicit: str | Path | None = None) -> Path:
    """--reference, else $GKXL_REFERENCE_DOCX, else the bundled reference document."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_REFERENCE)
    return Path(env) if env else bundled_reference()


@lru_cache(maxsize=8)
def _read(path: str, mtime_ns: int, size: int) -> bytes:
    return Path(path).read_bytes()


def reference_bytes(path: str | Path | None = None) -> bytes:
    """The reference document's bytes, read once per process (per path and modification time)."""
    import stat as stat_

    p = reference_path(path)
    try:
        stat = p.stat()
    except OSError:
        raise InputError("找不到样式参考文档（.docx）", file=str(p)) from None
    if not stat_.S_ISREG(stat.st_mode):  # a folder, a FIFO or a device: never read (a FIFO would block)
        raise InputError("样式参考文档应为 .docx 文件，这不是普通文件", file=str(p))
    if stat.st_size > MAX_REFERENCE_BYTES:
        raise InputError(f"样式参考文档过大（{stat.st_size // (1024 * 1024)} MB），不是 gkxl 的样式参考文档", file=str(p))
    return _read(str(p.resolve()), stat.st_mtime_ns, stat.st_size)


# ---------------------------------------------------------------------------------------------------------------
# Font names


def parse_fonts(spec: str | None) -> dict[str, str]:
    """--fonts: "fangsong=仿宋,kaiti=楷体" (roles or font names on the left), or a .json / .toml file of the same pairs."""
    if not spec:
        return {}
    p = Path(spec)
    if p.suffix.lower() in (".json", ".toml"):
        if not p.is_file():
            raise InputError("字体配置文件不存在", file=str(p))
        try:
            if p.suffix.lower() == ".json":
                import json

                data = json.loads(p.read_text(encoding="utf-8-sig"))
            else:
                import tomllib

                data = tomllib.loads(p.read_text(encoding="utf-8-sig"))
        except ValueError as exc:
            raise InputError(f"字体配置文件无法读取（{exc}）", file=str(p)) from None
        data = data.get("fonts", data) if isinstance(data, dict) else data
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise InputError("字体配置文件应为“字体角色或字体名 = 新字体名”的对应关系", file=str(p))
        pairs = list(data.items())
    else:
        pairs = []
        for item in re.split(r"[,，;；]", spec):
            if not item.strip():
                continue
            key, sep, value = item.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise InputError(f"字体设置“{item.strip()}”格式不对，应为 fangsong=仿宋 这样的形式")
            pairs.append((key.strip(), value.strip()))
    mapping: dict[str, str] = {}
    for key, value in pairs:
        if re.fullmatch(r"[a-z_]+", key) and key not in st.FONTS:
            raise InputError(f"未知的字体角色“{key}”，可用：{'、'.join(st.FONTS)}（也可直接写原字体名，如 仿宋_GB2312=仿宋）")
        old = st.FONTS.get(key, key)
        if not value.strip():
            raise InputError(f"字体设置“{key}”的新字体名为空")
        mapping[old] = value.strip()
    return mapping


def rename_fonts(xml: bytes, mapping: dict[str, str]) -> bytes:
    """Replace font names in any part: w:rFonts slots, fontTable names, theme typefaces."""
    if not mapping:
        return xml
    root = parse(xml)
    changed = False
    for e in root.iter():
        if not isinstance(e.tag, str):
            continue
        if e.tag == w("rFonts"):
            keys = [w(s) for s in FONT_SLOTS]
        elif e.tag in (w("font"), w("altName")):
            keys = [w("name"), w("val")]
        elif e.tag.startswith("{http://schemas.openxmlformats.org/drawingml/2006/main}"):
            keys = ["typeface"]
        else:
            continue
        for k in keys:
            v = e.get(k)
            if v in mapping:
                e.set(k, mapping[v])
                changed = True
    return to_xml(root) if changed else xml


# ---------------------------------------------------------------------------------------------------------------
# The prepared reference: parts, sectPr, and the fonts each style resolves to


@dataclass
class Prepared:
    """A reference document read and ready for filling: its parts and what the writer needs from them."""

    entries: dict[str, bytes]
    document_part: str  # e.g. "word/document.xml"
    rels_part: str
    document: etree._Element  # the parsed main part (its body is replaced per report)
    sect_pr: etree._Element
    run_fonts: dict[str, dict[str, str]]  # style id → w:rFonts attributes for runs of that style
    cache: dict = field(default_factory=dict)  # table skeletons per format, built on first use


def _part_name(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = [p for p in (base.rsplit("/", 1)[0] + "/" + target).split("/") if p]
    out: list[str] = []
    for p in parts:
        if p == "..":
            out.pop() if out else None
        elif p != ".":
            out.append(p)
    return "/".join(out)


def rels_of(part: str) -> str:
    d, _, f = part.rpartition("/")
    return f"{d}/_rels/{f}.rels" if d else f"_rels/{f}.rels"


def _resolve_fonts(styles: etree._Element) -> dict[str, dict[str, str]]:
    """For each paragraph style, the font slots after following basedOn down to docDefaults."""
    defaults: dict[str, str] = {}
    dflt = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('rFonts')}")
    if dflt is not None:
        defaults = {s: dflt.get(w(s)) for s in FONT_SLOTS if dflt.get(w(s))}
    by_id = {s.get(w("styleId")): s for s in styles.iter(w("style"))}

    def own(style: etree._Element) -> dict[str, str]:
        rf = style.find(f"{w('rPr')}/{w('rFonts')}")
        return {} if rf is None else {s: rf.get(w(s)) for s in FONT_SLOTS if rf.get(w(s))}

    out: dict[str, dict[str, str]] = {}
    for sid, style in by_id.items():
        chain, seen = [], set()
        cur = style
        while cur is not None and cur.get(w("styleId")) not in seen:
            seen.add(cur.get(w("styleId")))
            chain.append(cur)
            based = cur.find(w("basedOn"))
            cur = by_id.get(based.get(w("val"))) if based is not None else None
        fonts = dict(defaults)
        for s in reversed(chain):
            fonts.update(own(s))
        out[sid] = fonts
    return out


# Names Word, WPS and LibreOffice show for the built-in styles in a Chinese interface (a reference saved there may
# carry them in w:name), and the styles' English built-in names.
LOCALIZED_NAMES = {
    st.S_NORMAL: ("Normal", "正文"),
    st.S_H1: ("heading 1", "标题 1"),
    st.S_H2: ("heading 2", "标题 2"),
    st.S_SIGNATURE: (),
    st.S_TABLE_GRID: ("Table Grid", "网格型", "表格网格"),
}
# The style references inside WordprocessingML parts that name a style by its id.
_STYLE_REFS = ("basedOn", "next", "link", "pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink")


def _name_key(name: str) -> str:
    """A style name as compared: full-width folded, spaces removed, case ignored ("Heading 1" = "heading1")."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _wanted_names() -> dict[str, set[str]]:
    """For each style gkxl writes, the names (keys) it may carry in a reference document."""
    out: dict[str, set[str]] = {}
    for s in st.PARAGRAPH_STYLES:
        names = {s.name, *LOCALIZED_NAMES.get(s.id, ())}
        if s.alias:
            names.add(s.alias)
        out[s.id] = {_name_key(n) for n in names}
    out[st.S_TABLE_GRID] = {_name_key(n) for n in LOCALIZED_NAMES[st.S_TABLE_GRID]}
    return out


def style_ids_by_name(styles: etree._Element) -> dict[str, str]:
    """gkxl's style id → the id the reference gives that style, found by its name (or aliases), else by its id.

    LibreOffice keeps the names of the styles it saves but renumbers their ids (公文标题 becomes "Style12"), Word in a
    Chinese interface may show 标题 1 for heading 1: the name is what a person edited, so the name decides.
    """
    by_key: dict[tuple[str, str], str] = {}
    ids: set[tuple[str, str]] = set()
    for style in styles.iter(w("style")):
        sid = style.get(w("styleId")) or ""
        kind = style.get(w("type")) or "paragraph"
        ids.add((kind, sid))
        keys = []
        name = style.find(w("name"))
        if name is not None and name.get(w("val")):
            keys.append(_name_key(name.get(w("val"))))
        aliases = style.find(w("aliases"))
        if aliases is not None and aliases.get(w("val")):
            keys += [_name_key(a) for a in re.split(r"[,，]", aliases.get(w("val"))) if a.strip()]
        for k in keys:
            by_key.setdefault((kind, k), sid)
    found: dict[str, str] = {}
    for our_id, keys in _wanted_names().items():
        kind = "table" if our_id == st.S_TABLE_GRID else "paragraph"
        hit = next((by_key[(kind, k)] for k in sorted(keys) if (kind, k) in by_key), None)
        if hit is None and (kind, our_id) in ids:
            hit = our_id
        if hit is not None:
            found[our_id] = hit
    return found


def _id_remap(styles: etree._Element, found: dict[str, str]) -> dict[str, str]:
    """Old id → new id so that each found style gets gkxl's id; a style in the way is moved to a free id."""
    remap = {old: new for new, old in found.items() if old != new}
    if not remap:
        return {}
    ids = {s.get(w("styleId")) for s in styles.iter(w("style"))}
    taken = set(ids) | set(found)
    for new in list(remap.values()):
        if new in ids and new not in remap:  # another style already has the id gkxl needs: give it another
            n = 1
            while f"{new}Ref{n}" in taken:
                n += 1
            remap[new] = f"{new}Ref{n}"
            taken.add(remap[new])
    return remap


def _apply_remap(root: etree._Element, remap: dict[str, str]) -> bool:
    changed = False
    refs = {w(t) for t in _STYLE_REFS}
    for e in root.iter():
        if e.tag == w("style"):
            key = w("styleId")
        elif e.tag in refs:
            key = w("val")
        else:
            continue
        v = e.get(key)
        if v in remap:
            e.set(key, remap[v])
            changed = True
    return changed


@lru_cache(maxsize=8)
def _prepare(data_key: str, data: bytes, fonts_key: tuple[tuple[str, str], ...], source: str = "") -> Prepared:
    from ..ooxml_safe import checked_parts, parse_xml

    def bad(message: str) -> InputError:
        return InputError(f"样式参考文档{message}", file=source)

    try:
        entries = checked_parts(data, name=source, what="样式参考文档")
    except InputError as exc:
        if "压缩包无法打开" in exc.message:
            raise bad("不是有效的 .docx 文件（无法打开）") from None
        raise InputError(f"样式参考文档无法使用：{exc.message}", file=source) from None
    if "_rels/.rels" not in entries:
        raise bad("不是有效的 .docx 文件（缺少 _rels/.rels）")

    def xml(part: str) -> etree._Element:
        try:
            return parse_xml(entries[part], part, source)
        except InputError as exc:
            raise InputError(f"样式参考文档无法使用：{exc.message}", file=source) from None

    root_rels = xml("_rels/.rels")
    main = next((r.get("Target") for r in root_rels if r.get("Type") == REL_OFFICE_DOCUMENT), None)
    if main is None or _part_name("", main) not in entries:
        raise bad("缺少正文部分，不是有效的 .docx 文件")
    main = _part_name("", main)
    rels_part = rels_of(main)
    rels = xml(rels_part) if rels_part in entries else _rels([])
    styles_target = next((r.get("Target") for r in rels if r.get("Type") == REL_STYLES), None)
    styles_part = _part_name(main, styles_target) if styles_target is not None else None
    if styles_part is None or styles_part not in entries:
        raise bad("没有样式部分（styles.xml）")
    folder = main.rsplit("/", 1)[0] + "/"
    wordml = [n for n in entries if n.endswith(".xml") and (n.startswith("word/") or n.startswith(folder))]

    # Styles by name: a reference re-saved by LibreOffice or WPS has other ids for the same styles.
    styles = xml(styles_part)
    found = style_ids_by_name(styles)
    missing = [s.name for s in st.PARAGRAPH_STYLES if s.id not in found]
    if missing:
        raise bad(f"缺少这些样式：{'、'.join(missing)}（请在 gkxl 生成的参考文档上修改，不要删除或改名样式）")
    remap = _id_remap(styles, found)
    if remap:
        for name in wordml:
            if name == styles_part:
                continue
            part = xml(name)
            if _apply_remap(part, remap):
                entries[name] = to_xml(part)
        _apply_remap(styles, remap)
    if st.S_TABLE_GRID not in found:  # the tables' borders: gkxl's own table style where the reference lost it
        styles.append(st.styles_xml().find(f"{w('style')}[@{w('styleId')}='{st.S_TABLE_GRID}']"))
    # A restyled reference may have picked theme fonts again; they would override the named fonts in LibreOffice.
    for rf in styles.iter(w("rFonts")):
        for t in THEME_SLOTS:
            rf.attrib.pop(w(t), None)
    entries[styles_part] = to_xml(styles)

    mapping = dict(fonts_key)
    for name in wordml:
        entries[name] = rename_fonts(entries[name], mapping)
    run_fonts = _resolve_fonts(parse_xml(entries[styles_part], styles_part, source))
    document = xml(main)
    body = document.find(w("body"))
    sect = body.find(w("sectPr")) if body is not None else None
    if sect is None:
        raise bad("缺少页面设置（sectPr）")
    return Prepared(entries, main, rels_part, document, sect, run_fonts)


def prepared(reference: str | Path | None = None, fonts: dict[str, str] | None = None) -> Prepared:
    """The reference document ready for the writer, cached per process (per file, content and font names)."""
    data = reference_bytes(reference)
    key = hashlib.sha1(data).hexdigest()
    return _prepare(key, data, tuple(sorted((fonts or {}).items())), str(reference_path(reference)))

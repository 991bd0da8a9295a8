"""A small, strict reader of the xlsx package (zip + XML): hostile input is refused before anything is inflated.

Why our own reader rather than openpyxl: openpyxl shows either the formulas or the cached values of a sheet,
never both, so checking a workbook would need two full loads; and we need strict control of hostile input
(zip bombs, XML entities, absurd sizes) before a single part is inflated. This module reads only what the
checks need, in one pass per sheet:

- the file's magic bytes first (`sniff`), then a zip is looked into (an .xlsb, an .ods, a Word document,
  or no workbook at all);
- the zip limits and the safe XML parsing are gkxl.ooxml_safe's, shared with every .docx reader: every entry's
  declared size, the total and the compression ratio are checked before anything is inflated, every part is read
  through a streaming cap, and a part declaring a DOCTYPE is refused;
- `xl/workbook.xml` (sheet names, states, targets, date1904), its rels, the shared strings (plain and rich
  text, without phonetic runs), the styles (which number formats are dates) and each needed sheet's cells:
  per cell its A1 position (also for cells written without `r`), type, text, formula and whether it shows a date.

Numbers are kept as the text of the XML; turning them into Decimal is the caller's business (never float).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..ooxml_safe import MAX_ENTRIES, MAX_PART, MAX_RATIO, MAX_TOTAL, RATIO_FLOOR, SafeZip  # noqa: F401 (limits re-exported)
from .numfmt import DATE_FORMAT_IDS, UNKNOWN_FORMAT, builtin_format, is_date_format
from .sniff import sniff

MAX_CELLS = 100_000  # cells of one sheet; the template's largest sheet has a few hundred
MAX_STRINGS = 200_000
MAX_ROW, MAX_COL = 1_048_576, 16_384

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass(frozen=True)
class Cell:
    """One `<c>` of a sheet: where it is and what the file holds for it (text, never interpreted)."""

    row: int  # 0-based
    col: int  # 0-based
    type: str  # "n" (also when absent), "s", "str", "inlineStr", "b", "e", "d"
    value: str | None  # the text shown: shared/inline string resolved, or the number / cached result as written
    formula: str | None = None  # formula text without "="; "" for a cell sharing another cell's formula
    is_date: bool = False  # a number shown with a date or time format (or a `t="d"` cell)
    numfmt: str = ""  # the code of the cell's number format: "" is General, numfmt.UNKNOWN_FORMAT an id nothing defines

    @property
    def a1(self) -> str:
        from ..formats.layout import a1

        return a1(self.row, self.col)

    @property
    def is_text(self) -> bool:
        return self.type in ("s", "str", "inlineStr")

    @property
    def blank(self) -> bool:
        return self.formula is None and (self.value is None or (self.is_text and self.value == ""))


@dataclass(frozen=True)
class SheetInfo:
    name: str
    state: str  # "visible", "hidden", "veryHidden"
    part: str | None  # zip entry name of the sheet part (None: the workbook points nowhere)


def parse_a1(ref: str) -> tuple[int, int] | None:
    """(row, col), 0-based, of an A1 reference; None if it is not one."""
    m = _A1.match(ref)
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        return None
    return row - 1, col - 1


def unescape(text: str) -> str:
    """Decode the _xHHHH_ escapes with which Excel writes characters XML cannot hold (and "_x005F_" for "_")."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rsplit("}", 1)[-1]


def _rel_id(el) -> str | None:
    """The r:id of an element, in the transitional or the strict relationships namespace."""
    for key, value in el.attrib.items():
        if key.startswith("{") and key.rsplit("}", 1)[-1] == "id":
            return value
    return None


def _text_of(el) -> str:
    """The text of a shared or inline string: its `t` and rich-text runs, without phonetic (rPh) runs."""
    parts: list[str] = []
    for child in el:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            for t in child:
                if _local(t.tag) == "t":
                    parts.append(t.text or "")
    return unescape("".join(parts))


class Package:
    """An opened xlsx package. Use `open_package(path)`; parts are inflated only when asked for."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.source = str(path)
        sniff(self.path)
        self._zip = SafeZip(self.path, name=self.source, what="工作簿", save_as=".xlsx")
        try:
            self._names = self._zip.names
            self._workbook_part = self._find_workbook()
            self.sheets, self.date1904 = self._read_workbook()
        except BaseException:
            self._zip.close()
            raise
        self._strings: list[str] | None = None
        self._date_styles: frozenset[int] | None = None
        self._style_formats: list[str] = []  # cellXfs index → number format code

    # The zip (checked and capped by gkxl.ooxml_safe) ------------------------------------------------------

    def has(self, part: str) -> bool:
        return self._zip.has(part)

    def _events(self, part: str, events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, object]]:
        """Parse one part incrementally and safely; a DOCTYPE (possible entity declarations) is refused."""
        return self._zip.events(part, events)

    def _whole(self, part: str):
        return self._zip.xml(part)

    def scan_all(self) -> None:
        """Parse every XML part once (safely), so that a later reader (openpyxl) meets no hostile XML."""
        self._zip.scan_all()

    # The workbook ---------------------------------------------------------------------------------------

    def _rels(self, part: str) -> dict[str, str]:
        """Relationship id → target part name, for the rels of `part`."""
        folder, base = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels_part):
            return {}
        out: dict[str, str] = {}
        for el in self._whole(rels_part):
            if _local(el.tag) != "Relationship" or el.get("TargetMode") == "External":
                continue
            target = (el.get("Target") or "").replace("\\", "/")
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            out[el.get("Id") or ""] = resolved
        return out

    def _find_workbook(self) -> str:
        main = None
        if self.has("_rels/.rels"):
            for el in self._whole("_rels/.rels"):
                if _local(el.tag) == "Relationship" and (el.get("Type") or "").endswith("/officeDocument"):
                    main = (el.get("Target") or "").replace("\\", "/").lstrip("/")
                    break
        if main and self.has(main) and main.lower().endswith(".xml"):
            return main
        if self.has("xl/workbook.xml"):
            return "xl/workbook.xml"
        if main and main.lower().endswith(".bin") or self.has("xl/workbook.bin"):
            raise InputError("这是 .xlsb（Excel 二进制工作簿）格式，请在 Excel、WPS 或 LibreOffice 中另存为 .xlsx 后再提交", file=self.source)
        if self.has("mimetype") or self.has("content.xml"):
            raise InputError("这是 .ods（OpenDocument 表格）格式，请在 WPS、Excel 或 LibreOffice 中另存为 .xlsx 后再提交", file=self.source)
        if self.has("word/document.xml"):
            raise InputError("这是 Word 文档（.docx），不是 Excel 工作簿", file=self.source)
        if self.has("ppt/presentation.xml"):
            raise InputError("这是 PowerPoint 演示文稿，不是 Excel 工作簿", file=self.source)
        raise InputError("压缩包中没有 Excel 工作簿（不是 .xlsx 文件）", file=self.source)

    def _read_workbook(self) -> tuple[tuple[SheetInfo, ...], bool]:
        rels = self._rels(self._workbook_part)
        root = self._whole(self._workbook_part)
        sheets: list[SheetInfo] = []
        date1904 = False
        for el in root.iter():
            name = _local(el.tag)
            if name == "workbookPr":
                date1904 = (el.get("date1904") or "").lower() in ("1", "true")
            elif name == "sheet":
                target = rels.get(_rel_id(el) or "")
                part = self._names.get(target.lower()) if target else None
                sheets.append(SheetInfo(el.get("name") or "", el.get("state") or "visible", part))
        return tuple(sheets), date1904

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sheets)

    def sheet(self, name: str) -> SheetInfo | None:
        for s in self.sheets:
            if s.name == name:
                return s
        return None

    # Strings and styles ---------------------------------------------------------------------------------

    def _shared_strings(self) -> list[str]:
        if self._strings is None:
            strings: list[str] = []
            part = self._related("sharedStrings", "xl/sharedStrings.xml")
            if part:
                for _event, el in self._events(part):
                    if _local(el.tag) != "si":
                        continue
                    strings.append(_text_of(el))
                    if len(strings) > MAX_STRINGS:
                        raise InputError(f"共享字符串超过 {MAX_STRINGS} 个，不是 gkxl 填报模板", file=self.source)
                    el.clear()
            self._strings = strings
        return self._strings

    def _related(self, kind: str, default: str) -> str | None:
        """The part of a workbook-level relationship type (sharedStrings, styles), or the usual name."""
        folder, base = posixpath.split(self._workbook_part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        if self.has(rels_part):
            for el in self._whole(rels_part):
                if _local(el.tag) == "Relationship" and (el.get("Type") or "").endswith("/" + kind):
                    target = (el.get("Target") or "").replace("\\", "/")
                    resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                    if self.has(resolved):
                        return resolved
        return default if self.has(default) else None

    def _dates(self) -> frozenset[int]:
        """Indexes of cellXfs whose number format shows a date or time."""
        if self._date_styles is None:
            out: set[int] = set()
            part = self._related("styles", "xl/styles.xml")
            if part:
                root = self._whole(part)
                custom: dict[int, str] = {}
                xfs: list[int] = []
                for el in root:
                    name = _local(el.tag)
                    if name == "numFmts":
                        for nf in el:
                            if _local(nf.tag) == "numFmt" and (nf.get("numFmtId") or "").isdigit():
                                custom[int(nf.get("numFmtId"))] = nf.get("formatCode") or ""
                    elif name == "cellXfs":
                        for xf in el:
                            if _local(xf.tag) == "xf":
                                fid = xf.get("numFmtId") or "0"
                                xfs.append(int(fid) if fid.isdigit() else 0)
                for index, fid in enumerate(xfs):
                    if fid in custom:
                        if is_date_format(custom[fid]):
                            out.add(index)
                    elif fid in DATE_FORMAT_IDS:
                        out.add(index)
                    code = custom.get(fid, builtin_format(fid))
                    self._style_formats.append("General" if code is None and fid == 0 else (code if code is not None else UNKNOWN_FORMAT))
            self._date_styles = frozenset(out)
        return self._date_styles

    # Sheets ---------------------------------------------------------------------------------------------

    def cells(self, name: str, *, max_row: int = MAX_ROW, max_col: int = MAX_COL) -> dict[tuple[int, int], Cell]:
        """Every cell of one sheet within rows < max_row and cols < max_col, keyed by (row, col), 0-based."""
        info = self.sheet(name)
        if info is None or info.part is None:
            raise InputError(f"找不到工作表“{name}”的内容（文件不完整或已损坏）", file=self.source, sheet=name)
        strings = self._shared_strings()
        dates = self._dates()
        out: dict[tuple[int, int], Cell] = {}
        row, col, seen = -1, -1, 0
        for event, el in self._events(info.part, ("start", "end")):
            tag = _local(el.tag)
            if tag == "row":
                if event == "start":
                    r = el.get("r")
                    row = int(r) - 1 if r and r.isdigit() and 0 < int(r) <= MAX_ROW else row + 1
                    col = -1
                else:
                    el.clear()
                    while el.getprevious() is not None:
                        del el.getparent()[0]
                continue
            if tag != "c" or event != "end":
                continue
            seen += 1
            if seen > MAX_CELLS:
                raise InputError(f"工作表“{name}”含有过多单元格（超过 {MAX_CELLS} 个），不是 gkxl 填报模板", file=self.source, sheet=name)
            ref = el.get("r")
            if ref:
                pos = parse_a1(ref)
                if pos is None:
                    raise InputError(f"单元格地址“{ref}”无效，文件可能已损坏", file=self.source, sheet=name)
                r_, c_ = pos
            else:
                r_, c_ = max(row, 0), col + 1
            col = c_
            if r_ < max_row and c_ < max_col:
                out[(r_, c_)] = self._cell(el, r_, c_, strings, dates, name)
            el.clear()
        return out

    def _cell(self, el, row: int, col: int, strings: list[str], dates: frozenset[int], sheet: str) -> Cell:
        ctype = el.get("t") or "n"
        formula = None
        value = None
        inline = None
        for child in el:
            name = _local(child.tag)
            if name == "f":
                formula = child.text or ""
            elif name == "v":
                value = child.text if child.text is not None else ""
            elif name == "is":
                inline = _text_of(child)
        if ctype == "s":
            if value is not None and value.strip():
                try:
                    value = strings[int(value)]
                except (ValueError, IndexError):
                    from ..formats.layout import a1

                    raise InputError("共享字符串索引无效，文件可能已损坏", file=self.source, sheet=sheet, cell=a1(row, col)) from None
            else:
                value = None
        elif ctype == "inlineStr":
            value = inline if inline is not None else value
        elif ctype == "str" and value is not None:
            value = unescape(value)
        style = el.get("s")
        is_date = ctype == "d" or (
            ctype == "n" and value not in (None, "") and style is not None and style.isdigit() and int(style) in dates
        )
        index = int(style) if style is not None and style.isdigit() else 0
        numfmt = self._style_formats[index] if index < len(self._style_formats) else ""
        return Cell(row, col, ctype, value, formula, is_date, "" if numfmt == "General" else numfmt)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_package(path: str | Path) -> Package:
    """Open an xlsx package for reading; every refusal is an InputError with a Chinese message naming the file."""
    return Package(path)

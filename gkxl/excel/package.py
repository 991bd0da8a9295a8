"""A small, strict reader of the xlsx package (zip + XML): hostile input is refused before anything is inflated.

Why our own reader rather than openpyxl: openpyxl shows either the formulas or the cached values of a sheet,
never both, so checking a workbook would need two full loads; and we need strict control of hostile input
(zip bombs, XML entities, absurd sizes) before a single part is inflated. This module reads only what the
checks need, in one pass per sheet:

- the file's magic bytes first (`sniff`), then a zip is looked into (an .xlsb, an .ods, a Word document,
  or no workbook at all);
- every zip entry's declared size, the total and the compression ratio are checked against limits, and every
  part is read through a streaming cap, so a header that lies about its size cannot inflate more;
- XML is parsed by lxml with entities never resolved, no DTD, no network; a part declaring a DOCTYPE is refused;
- `xl/workbook.xml` (sheet names, states, targets, date1904), its rels, the shared strings (plain and rich
  text, without phonetic runs), the styles (which number formats are dates) and each needed sheet's cells:
  per cell its A1 position (also for cells written without `r`), type, text, formula and whether it shows a date.

Numbers are kept as the text of the XML; turning them into Decimal is the caller's business (never float).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lxml import etree

from ..errors import InputError
from .numfmt import DATE_FORMAT_IDS, UNKNOWN_FORMAT, builtin_format, is_date_format
from .sniff import MB, sniff

MAX_PART = 20 * MB  # inflated size of any one part
MAX_TOTAL = 200 * MB  # inflated size of all parts together, as declared
MAX_RATIO = 500  # compression ratio of a part larger than RATIO_FLOOR: deflate cannot exceed ~1030
RATIO_FLOOR = 1 * MB
MAX_ENTRIES = 5000
MAX_CELLS = 100_000  # cells of one sheet; the template's largest sheet has a few hundred
MAX_STRINGS = 200_000
MAX_ROW, MAX_COL = 1_048_576, 16_384

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _parser_kwargs() -> dict:
    return dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False)


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


class _Capped:
    """A read-only stream that refuses to deliver more than `limit` bytes (the inflated size of one part)."""

    def __init__(self, raw: IO[bytes], limit: int, part: str, source: str):
        self.raw, self.limit, self.part, self.source, self.count = raw, limit, part, source, 0

    def read(self, n: int = -1) -> bytes:
        want = self.limit + 1 - self.count if n is None or n < 0 else min(n, self.limit + 1 - self.count)
        data = self.raw.read(max(want, 0)) if want > 0 else b""
        self.count += len(data)
        if self.count > self.limit:
            raise InputError(f"部件“{self.part}”解压后超过 {self.limit // MB} MB，可能是恶意文件（压缩炸弹），已拒绝读取", file=self.source)
        return data


class Package:
    """An opened xlsx package. Use `open_package(path)`; parts are inflated only when asked for."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.source = str(path)
        sniff(self.path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            raise InputError("文件不完整或已损坏（压缩包无法打开），请重新保存或重新发送", file=self.source) from None
        try:
            self._names = self._check_entries()
            self._workbook_part = self._find_workbook()
            self.sheets, self.date1904 = self._read_workbook()
        except BaseException:
            self._zip.close()
            raise
        self._strings: list[str] | None = None
        self._date_styles: frozenset[int] | None = None
        self._style_formats: list[str] = []  # cellXfs index → number format code

    # The zip --------------------------------------------------------------------------------------------

    def _check_entries(self) -> dict[str, str]:
        infos = self._zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise InputError(f"压缩包内文件过多（{len(infos)} 个），不是 gkxl 填报模板", file=self.source)
        total = 0
        names: dict[str, str] = {}
        for info in infos:
            if info.file_size > MAX_PART:
                raise InputError(
                    f"压缩包中的部件“{info.filename}”解压后过大（声明 {info.file_size // MB} MB，上限 {MAX_PART // MB} MB），"
                    "可能是恶意文件（压缩炸弹），已拒绝读取",
                    file=self.source,
                )
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise InputError(
                    f"压缩包中的部件“{info.filename}”压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
                    "可能是恶意文件（压缩炸弹），已拒绝读取",
                    file=self.source,
                )
            total += info.file_size
            names[info.filename.replace("\\", "/").lstrip("/").lower()] = info.filename
        if total > MAX_TOTAL:
            raise InputError(f"压缩包解压后总大小过大（{total // MB} MB），可能是恶意文件，已拒绝读取", file=self.source)
        return names

    def has(self, part: str) -> bool:
        return part.lstrip("/").lower() in self._names

    def _stream(self, part: str, limit: int = MAX_PART) -> _Capped:
        name = self._names.get(part.lstrip("/").lower())
        if name is None:
            raise InputError(f"工作簿缺少部件“{part}”（文件不完整或已损坏）", file=self.source)
        info = self._zip.getinfo(name)
        if info.flag_bits & 0x1:
            raise InputError("压缩包设置了密码，无法读取；请取消密码后另存为 .xlsx 再提交", file=self.source)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError(f"部件“{part}”使用了不支持的压缩方式，不是 Excel 保存的工作簿", file=self.source)
        try:
            raw = self._zip.open(info)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
            raise InputError("文件不完整或已损坏（压缩包无法打开），请重新保存或重新发送", file=self.source) from None
        return _Capped(raw, limit, part, self.source)

    def _events(self, part: str, events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, object]]:
        """Parse one part incrementally and safely; a DOCTYPE (possible entity declarations) is refused."""
        stream = self._stream(part)
        checked = False
        try:
            for event, el in etree.iterparse(stream, events=("start", *events), **_parser_kwargs()):
                if not checked:
                    checked = True
                    if el.getroottree().docinfo.doctype:
                        raise InputError(f"部件“{part}”含有不安全的 XML 实体声明（DOCTYPE），已拒绝读取", file=self.source)
                if event in events:
                    yield event, el
        except InputError:
            raise
        except etree.XMLSyntaxError as exc:
            raise InputError(f"部件“{part}”不是有效的 XML（{exc.msg}），文件可能已损坏", file=self.source) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise InputError("文件不完整或已损坏（解压失败），请重新保存或重新发送", file=self.source) from None

    def _whole(self, part: str):
        last = None
        for _event, el in self._events(part, ("end",)):
            last = el
        if last is None:
            raise InputError(f"部件“{part}”是空的", file=self.source)
        return last.getroottree().getroot()

    def scan_all(self) -> None:
        """Parse every XML part once (safely), so that a later reader (openpyxl) meets no hostile XML."""
        for lower, name in self._names.items():
            if lower.endswith((".xml", ".rels", ".vml")):
                for _ in self._events(name):
                    pass

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
            raise InputError("这是 .xlsb（Excel 二进制工作簿）格式，请在 Excel 或 WPS 中另存为 .xlsx 后再提交", file=self.source)
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

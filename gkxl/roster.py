"""The roster of reporting units (单位名单): a CSV or XLSX with a column headed 单位名称; and safe file names per unit."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from dataclasses import dataclass

from .errors import InputError
from .fsio import csv_error

HEADER = "单位名称"
TYPE_HEADER = "类型"
# The kinds of unit a 汇总 covers (issue 12 §5), in the order the status and the subtotals list them.
UNIT_TYPES = ("本级政府办公室", "部门", "乡镇（街道）", "下级政府", "开发区", "企事业单位")
NO_TYPE = "未分类"
HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common in office spreadsheets
_SPACE = " \t\u3000\u00a0\u200b\ufeff"
MAX_ROSTER_BYTES = 10 * 1024 * 1024


def _clean(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip(_SPACE + "\r\n")


def _decode(data: bytes, source: str) -> str:
    from .fsio import decode_csv

    return decode_csv(data, source, "名单文件的编码无法识别（应为 UTF-8 或 GBK 编码的 CSV）")


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from .fsio import read_regular

    text = _decode(read_regular(path, MAX_ROSTER_BYTES, "名单文件过大，不像单位名单"), str(path))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in reader:
            yield reader.line_num, [_clean(c) for c in row]
    except csv.Error as exc:
        raise InputError(f"名单文件第{reader.line_num}行无法读取（{csv_error(exc)}）", file=str(path)) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    import zipfile
    from zipfile import BadZipFile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    from .ooxml_safe import SafeZip

    if zipfile.is_zipfile(path):  # zip bombs and DTDs refused before openpyxl reads a part
        with SafeZip(path, what="名单文件") as z:
            z.scan_all()
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError) as exc:
        raise InputError(f"名单文件不是有效的 .xlsx 工作簿（{type(exc).__name__}）", file=str(path)) from None
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # WPS may store wrong dimensions; read-only mode would then see only A1
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, [_clean(c) for c in row]
    finally:
        wb.close()


@dataclass(frozen=True)
class RosterEntry:
    name: str  # as written in the roster
    type: str  # one of UNIT_TYPES, or NO_TYPE when the roster has no 类型 column or the cell is blank
    line: int  # the line (CSV) or row (XLSX) it is on


def name_key(name: str) -> str:
    """What two names are compared by: width (NFKC: （一） and (一)) and spaces ignored. Names are kept as written."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


_TYPE_KEYS = {name_key(t): t for t in UNIT_TYPES} | {"乡镇": "乡镇（街道）", "街道": "乡镇（街道）", "政府办公室": "本级政府办公室"}


def _bad_char(name: str) -> str:
    """Why a name cannot be a unit's name (a control character or a broken character), or ""."""
    for i, ch in enumerate(name, 1):
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs") or ch in "\ufffe\uffff":
            return f"第{i}个字符是不可见的控制字符或无效字符（U+{ord(ch):04X}）"
    return ""


MAX_NAME_LENGTH = 100  # characters; the longest real 机关全称 are about 40, and a workbook property holds 255


def name_problem(name: str) -> str:
    """Why a text cannot be a unit's name (too long, a control or broken character), or ""."""
    if len(name) > MAX_NAME_LENGTH:
        return f"过长（{len(name)}个字符，单位全称不超过{MAX_NAME_LENGTH}个字符）"
    return _bad_char(name)


def read_roster(path: str | Path) -> list[str]:
    """The unit names of a roster, in file order (see read_roster_entries)."""
    return [e.name for e in read_roster_entries(path)]


def read_roster_entries(path: str | Path) -> list[RosterEntry]:
    """The units of a roster, in file order, with their 类型 and line.

    A CSV (UTF-8 with or without BOM, or GBK/GB18030) or the first sheet of an .xlsx, with a header cell
    单位名称 in one of its first rows and optionally a column 类型 (one of UNIT_TYPES). Names are stripped
    of surrounding spaces; fully blank lines are ignored. Every bad line is named in one InputError, before
    anything is done with the roster: an empty name, a name given twice or twice but for width and spaces
    (甲局 / 甲 局, （一） / (一)), a control character, an unknown 类型.
    """
    from .fsio import regular_file

    p = Path(path)
    regular_file(p, "名单文件")
    suffix = p.suffix.lower()
    if suffix == ".csv" or suffix == ".txt":
        rows: Iterable[tuple[int, list[str]]] = _csv_rows(p)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(p)
    elif suffix in (".xls", ".et", ".xlsb", ".ods"):
        raise InputError("名单请另存为 .xlsx 或 .csv 格式后再使用", file=str(p))
    else:
        raise InputError("名单应为 .csv 或 .xlsx 文件", file=str(p))

    column = type_column = None
    entries: list[RosterEntry] = []
    problems: list[str] = []
    first_line: dict[str, tuple[int, str]] = {}
    seen_rows = 0
    for line, cells in rows:
        if not any(cells):
            continue
        if column is None:
            seen_rows += 1
            if HEADER in cells:
                column = cells.index(HEADER)
                type_column = cells.index(TYPE_HEADER) if TYPE_HEADER in cells else None
            elif seen_rows >= HEADER_SEARCH_ROWS:
                break
            continue
        name = cells[column] if column < len(cells) else ""
        if not name:
            problems.append(f"第{line}行的单位名称为空")
            continue
        why = name_problem(name)
        if why:
            problems.append(f"第{line}行的单位名称{why}")
            continue
        key = name_key(name)
        if key in first_line:
            other_line, other = first_line[key]
            if other == name:
                problems.append(f"第{other_line}行和第{line}行的单位名称“{name}”重复")
            else:
                problems.append(f"第{other_line}行“{other}”和第{line}行“{name}”只差全角半角或空格，应为同一单位，请只保留一行")
            continue
        first_line[key] = (line, name)
        kind = NO_TYPE
        if type_column is not None:
            raw = cells[type_column] if type_column < len(cells) else ""
            if raw:
                kind = _TYPE_KEYS.get(name_key(raw), "")
                if not kind:
                    problems.append(f"第{line}行的类型“{raw[:20]}”无效，应为{'、'.join(UNIT_TYPES)}之一")
                    continue
        entries.append(RosterEntry(name, kind, line))
    if column is None:
        raise InputError(f"名单缺少表头“{HEADER}”（应在第一行，列名为“{HEADER}”）", file=str(p))
    if problems:
        head = f"名单有{len(problems)}处问题：" if len(problems) > 1 else ""
        raise InputError(head + "；".join(problems[:20]) + ("……" if len(problems) > 20 else ""), file=str(p))
    if not entries:
        raise InputError("名单中没有单位", file=str(p))
    return entries


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# Windows device names, reserved with any extension too (CON.局.docx is the console); ¹²³ count as digits there.
_RESERVED = re.compile(r"^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$", re.IGNORECASE)
MAX_NAME_CHARS = 60  # 60 CJK characters are 180 bytes in UTF-8, below the 255-byte file name limit with a suffix


def safe_filename(name: str) -> str:
    """A file name part for a unit: no path separators or characters Windows refuses; never empty, never "..".

    Different names can give the same result ("甲/乙", "甲_乙"): a caller writing several files checks that.
    """
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" ." + _SPACE)
    if len(text) > MAX_NAME_CHARS:
        text = text[:MAX_NAME_CHARS].rstrip(" .")
    if not text:
        return "未命名单位"
    if _RESERVED.match(text.split(".")[0].rstrip(" ")):
        text = "_" + text
    return text


def file_key(name: str) -> str:
    """Two file names that are one file on Windows or macOS (letter case, NFC/NFD) have the same key."""
    return unicodedata.normalize("NFC", name).casefold()


def distinct_filenames(names: list[str], suffix: str) -> dict[str, str]:
    """A legal file name per name (safe_filename + suffix), distinct on every file system.

    Names that differ only in letter case (ABC局 / abc局) get a number (abc局（2）); names that would become the
    same file name only by replacing illegal characters (甲/乙局 and 甲_乙局) are refused: the roster should say
    which is which.
    """
    out: dict[str, str] = {}
    by_exact: dict[str, str] = {}
    by_key: dict[str, int] = {}
    for name in names:
        base = safe_filename(name)
        candidate = base + suffix
        if candidate in by_exact:
            raise InputError(f"单位“{by_exact[candidate]}”和“{name}”的文件名相同（{candidate}），请在名单中区分")
        by_exact[candidate] = name
        key = file_key(candidate)
        if key in by_key:
            n = by_key[key] + 1
            while file_key(f"{base}（{n}）{suffix}") in by_key:
                n += 1
            by_key[key] = n
            candidate = f"{base}（{n}）{suffix}"
            key = file_key(candidate)
        by_key.setdefault(key, 1)
        out[name] = candidate
    return out

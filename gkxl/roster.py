"""The roster of reporting units (单位名单): a CSV or XLSX with a column headed 单位名称; and safe file names per unit."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError

HEADER = "单位名称"
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
    """UTF-8 (with or without BOM), else GB18030: Excel on Chinese Windows saves "CSV" in the ANSI code page (GBK)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError("名单文件的编码无法识别（应为 UTF-8 或 GBK 编码的 CSV）", file=source) from None


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    if path.stat().st_size > MAX_ROSTER_BYTES:
        raise InputError("名单文件过大，不像单位名单", file=str(path))
    text = _decode(path.read_bytes(), str(path))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in reader:
            yield reader.line_num, [_clean(c) for c in row]
    except csv.Error as exc:
        raise InputError(f"名单文件第{reader.line_num}行无法读取（{exc}）", file=str(path)) from None


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


def read_roster(path: str | Path) -> list[str]:
    """The unit names of a roster, in file order.

    A CSV (UTF-8 with or without BOM, or GBK/GB18030) or the first sheet of an .xlsx, with a header cell
    单位名称 in one of its first rows. Names are stripped of surrounding spaces; fully blank lines are
    ignored. An empty name or a name given twice is refused with InputError naming the line(s).
    """
    p = Path(path)
    if not p.exists():
        raise InputError("名单文件不存在", file=str(p))
    suffix = p.suffix.lower()
    if suffix == ".csv" or suffix == ".txt":
        rows: Iterable[tuple[int, list[str]]] = _csv_rows(p)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(p)
    elif suffix in (".xls", ".et", ".xlsb", ".ods"):
        raise InputError("名单请另存为 .xlsx 或 .csv 格式后再使用", file=str(p))
    else:
        raise InputError("名单应为 .csv 或 .xlsx 文件", file=str(p))

    column = None
    names: list[str] = []
    first_line: dict[str, int] = {}
    seen_rows = 0
    for line, cells in rows:
        if not any(cells):
            continue
        if column is None:
            seen_rows += 1
            if HEADER in cells:
                column = cells.index(HEADER)
            elif seen_rows >= HEADER_SEARCH_ROWS:
                break
            continue
        name = cells[column] if column < len(cells) else ""
        if not name:
            raise InputError(f"第{line}行的单位名称为空", file=str(p))
        if name in first_line:
            raise InputError(f"第{first_line[name]}行和第{line}行的单位名称“{name}”重复", file=str(p))
        first_line[name] = line
        names.append(name)
    if column is None:
        raise InputError(f"名单缺少表头“{HEADER}”（应在第一行，列名为“{HEADER}”）", file=str(p))
    if not names:
        raise InputError("名单中没有单位", file=str(p))
    return names


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)
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
    if _RESERVED.match(text):
        text = "_" + text
    return text

"""Reading registers (依申请台账, 复议诉讼台账): gkxl's register workbook, or a unit's own Excel or CSV in its own layout.

Columns are found by their header's name and its variants (HEADERS), in the first rows of each sheet (a title row
above, a header in two merged rows, extra columns: all allowed); the mapping found is returned so it can be printed.
Values in the unit's own words map through gkxl/ledger/vocabulary.py; dates are real dates or text dates
(2025-01-03, 2025/1/3, 2025.1.3, 2025年1月3日, 20250103). Anything else is an R-LEDGER-ROW finding naming the row
and cell, with the text as typed — never a guess. xlsx is read through gkxl's safe reader (zip bombs, entities).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..formats.layout import a1
from .counting import APPLICATIONS, CASES, Application, Case, Register, row_finding
from .vocabulary import norm, vocabulary

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
HEADER_ROWS = 10  # a header is looked for in the first rows of a sheet

# column key → (what it is called in messages, exact header names, a pattern for the rest); matched after norm()
HEADERS: dict[str, dict[str, tuple[str, tuple[str, ...], str]]] = {
    APPLICATIONS: {
        "number": ("编号", ("编号", "序号", "申请编号", "登记编号", "受理编号", "登记号", "流水号", "申请序号"), r"^(申请|登记|受理)?(编号|序号)$"),
        "received": ("收到日期", ("收到日期", "受理日期", "申请日期", "申请时间", "收到时间", "受理时间", "登记日期", "接收日期", "收件日期"),
                     r"^(收到|受理|申请|登记|接收|收件)(申请)?(的)?(日期|时间)$"),
        "applicant": ("申请人类型", ("申请人类型", "申请人性质", "申请人类别", "申请主体类型", "申请人身份", "申请人分类"), r"^申请(人|主体)(的)?(类型|性质|类别|身份|分类)$"),
        "result": ("办理结果", ("办理结果", "处理结果", "答复结果", "答复类型", "答复情况", "办理情况", "答复意见", "办理结果类型"),
                   r"^(办理|处理|答复)(结果|类型|情况|意见)(类型)?$"),
        "answered": ("答复日期", ("答复日期", "办结日期", "答复时间", "办结时间", "告知日期", "答复告知日期", "出具答复日期"),
                     r"^(出具)?(答复|办结|告知|答复告知)(书)?(的)?(日期|时间)$"),
        "summary": ("申请内容摘要", ("申请内容摘要", "申请内容", "摘要", "申请事项", "申请公开的内容"), r"^申请(内容|事项)(摘要)?$"),
        "note": ("备注", ("备注", "说明"), r"^备注$"),
    },
    CASES: {
        "number": ("编号", ("编号", "案号", "序号", "案件编号"), r"^(案件)?(编号|案号|序号)$"),
        "group": ("类型", ("类型", "案件类型", "类别", "案件类别", "案由类型"), r"^(案件)?(类型|类别)$"),
        "opened": ("收到或立案日期", ("收到或立案日期", "立案日期", "收到日期", "受理日期", "申请日期", "起诉日期", "立案时间", "收到时间"),
                   r"^(收到或立案|立案|收到|受理|申请|起诉)(日期|时间)$"),
        "outcome": ("结果", ("结果", "审理结果", "案件结果", "复议结果", "裁判结果", "处理结果", "审结结果", "结案结果"), r"^(审理|案件|复议|裁判|处理|审结|结案)?结果$"),
        "closed": ("结案日期", ("结案日期", "审结日期", "办结日期", "决定日期", "判决日期", "裁定日期", "结案时间"), r"^(结案|审结|办结|决定|判决|裁定)(日期|时间)$"),
        "note": ("备注", ("备注", "说明"), r"^备注$"),
    },
}
REQUIRED = {APPLICATIONS: ("received", "applicant", "result", "answered"), CASES: ("group", "opened", "outcome", "closed")}


@dataclass
class ReadRegister:
    register: Register
    mapping: list[str] = field(default_factory=list)  # "申请台账：收到日期 ← “受理日期”（C列）", …
    unused: list[str] = field(default_factory=list)  # sheets not read, and why


def _header_key(kind: str, text: str) -> str | None:
    t = norm(text)
    if not t:
        return None
    for key, (_, exact, pattern) in HEADERS[kind].items():
        if t in {norm(e) for e in exact} or re.match(pattern, t):
            return key
    return None


def _map(kind: str, header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, text in enumerate(header):
        key = _header_key(kind, text)
        if key and key not in found:
            found[key] = col
    return found


def find_header(rows: list[list[str]]) -> tuple[str, int, dict[str, int], list[str]] | None:
    """(kind, index of the header row, column of each key, the header texts) of the first row, alone or under the row
    above it (a header in two rows: its merged upper cells filled rightwards), that names every required column."""
    for r in range(min(HEADER_ROWS, len(rows))):
        candidates = [rows[r]]
        if r:
            above, filled, last = rows[r - 1], [], ""
            for col in range(max(len(above), len(rows[r]))):
                last = (above[col] if col < len(above) else "") or last
                filled.append(last)
            below = rows[r]
            candidates.append([(below[c] if c < len(below) else "") or filled[c] for c in range(len(filled))])
        for header in candidates:
            for kind in (APPLICATIONS, CASES):
                cols = _map(kind, header)
                if all(k in cols for k in REQUIRED[kind]):
                    return kind, r, cols, header
    return None


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(text: str, *, serial: bool = False, date1904: bool = False) -> dt.date | None:
    """A date typed or stored; None where it is not one for certain (the caller names the cell)."""
    text = (text or "").strip()
    if serial:
        try:
            days = float(text)
        except ValueError:
            return None
        if not (1 <= days < 2_958_466):
            return None
        base = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
        return base + dt.timedelta(days=int(days))
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    m = _DATE.match(text) or _COMPACT.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _rows_xlsx(path: Path) -> tuple[list[tuple[str, list[list[str]], list[list[bool]]]], bool, list[str]]:
    """Each visible sheet: (name, its texts by row, which cells show dates), date1904, hidden sheets."""
    from ..excel.package import open_package

    out, hidden = [], []
    with open_package(path) as pkg:
        for info in pkg.sheets:
            if info.state != "visible":
                hidden.append(info.name)
                continue
            if info.part is None:
                continue
            cells = pkg.cells(info.name, max_row=MAX_ROWS + HEADER_ROWS, max_col=64)
            n_rows = max((r for r, _ in cells), default=-1) + 1
            n_cols = max((c for _, c in cells), default=-1) + 1
            texts = [["" for _ in range(n_cols)] for _ in range(n_rows)]
            dates = [[False] * n_cols for _ in range(n_rows)]
            for (r, c), cell in cells.items():
                texts[r][c] = (cell.value or "").strip()
                dates[r][c] = cell.is_date
            out.append((info.name, texts, dates))
        return out, pkg.date1904, hidden


def _rows_csv(path: Path) -> list[list[str]]:
    from ..fsio import csv_error, decode_csv, read_regular

    data = read_regular(path, MAX_BYTES, "台账文件过大（超过 50 MB），不像依申请台账")
    text = decode_csv(data, str(path), "台账文件的编码无法识别（应为 UTF-8 或 GBK/GB18030 编码的 CSV）")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    try:
        for row in reader:
            rows.append([c.strip() for c in row])
            if len(rows) > MAX_ROWS + HEADER_ROWS:
                raise InputError(f"台账超过 {MAX_ROWS} 行，不像一个单位一年的依申请台账", file=str(path))
    except csv.Error as exc:
        raise InputError(f"台账第{reader.line_num}行无法读取（{csv_error(exc)}）", file=str(path)) from None
    return rows


def read_register(path: str | Path, *, format_id: str = "2021") -> ReadRegister:
    """Read one register file (.xlsx or .csv): every sheet whose header names a register's columns."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        sheets, date1904, hidden = [(path.name, _rows_csv(path), None)], False, []
        is_csv = True
    elif suffix == ".xlsx":
        sheets, date1904, hidden = _rows_xlsx(path)
        is_csv = False
    else:
        raise InputError("台账应为 .xlsx 工作簿或 .csv 文件（.xls 请先在 Excel、WPS 或 LibreOffice 中另存为 .xlsx）", file=str(path))
    vocab = vocabulary(format_id)
    result = ReadRegister(Register())
    result.unused += [f"工作表“{h}”是隐藏的，未读取" for h in hidden if h != "选项"]
    for name, rows, dates in sheets:
        if name in ("填写说明", "选项") and not is_csv:  # the register workbook's own sheets
            continue
        found = find_header(rows)
        if found is None:
            if any(any(c for c in row) for row in rows):
                result.unused.append(f"工作表“{name}”中没有找到台账的表头，未读取" if not is_csv else "")
            continue
        kind, header_row, cols, header = found
        where = name if not is_csv else path.name
        result.mapping.append(f"{where}（{kind}，表头在第{header_row + 1}行）：" + "，".join(
            f"{HEADERS[kind][key][0]} ← {_col_letter(col)}列“{header[col]}”" for key, col in cols.items()))
        for r in range(header_row + 1, len(rows)):
            row = rows[r]

            def text(key: str, row=row) -> str:
                col = cols.get(key)
                return row[col].strip() if col is not None and col < len(row) else ""

            if not any(text(k) for k in HEADERS[kind] if k not in ("number", "summary", "note")):
                continue  # a blank row (or one with only a 编号, as a prepared register has)
            cells = tuple((k, a1(r, c)) for k, c in cols.items())
            bad: list = []

            def date_of(key: str, words: str, row=row, r=r, bad=bad) -> dt.date | None:
                raw = text(key)
                if not raw:
                    return None
                col = cols[key]
                serial = dates is not None and dates[r][col]
                d = parse_date(raw, serial=serial, date1904=date1904)
                if d is None:
                    shown = raw if not re.fullmatch(r"\d+(\.\d+)?", raw) or serial else f"{raw}（一个数，不是日期格式）"
                    bad.append(row_finding(where, r + 1, f"{words}“{shown}”不是日期", cell=a1(r, col), file=str(path), sheet=not is_csv))
                return d

            def choice(key: str, choices, words: str, r=r, bad=bad):
                raw = text(key)
                if not raw:
                    return None
                c, why = vocab.match(choices, raw)
                if c is None:
                    bad.append(row_finding(where, r + 1, f"{words}{why}", cell=a1(r, cols[key]), file=str(path), sheet=not is_csv))
                    return None
                return c.id

            file = str(path)
            if kind == APPLICATIONS:
                item = Application(where, r + 1, text("number"), date_of("received", "收到日期"), choice("applicant", vocab.applicants, "申请人类型"),
                                   choice("result", vocab.results, "办理结果"), date_of("answered", "答复日期"), cells, file,
                                   not is_csv, text("summary"), text("note"))
                target = result.register.applications
            else:
                item = Case(where, r + 1, text("number"), choice("group", vocab.groups, "类型"), date_of("opened", "收到或立案日期"),
                            choice("outcome", vocab.outcomes, "结果"), date_of("closed", "结案日期"), cells, file, not is_csv, text("note"))
                target = result.register.cases
            if bad:
                result.register.findings.extend(bad)
            else:
                target.append(item)
    result.unused = [u for u in result.unused if u]
    if not result.mapping:
        looked = "；".join(f"{kind}：{'、'.join(HEADERS[kind][k][0] for k in REQUIRED[kind])}" for kind in HEADERS)
        raise InputError(f"没有找到依申请台账或复议诉讼台账的表头（在每个工作表的前 {HEADER_ROWS} 行中查找这些列：{looked}）", file=str(path))
    return result


def _col_letter(col: int) -> str:
    return re.sub(r"\d+", "", a1(0, col))


def read_registers(paths, *, format_id: str = "2021") -> ReadRegister:
    """Several register files as one (rows split between files count as if in one)."""
    total = ReadRegister(Register())
    for p in paths:
        one = read_register(p, format_id=format_id)
        total.register = total.register + one.register
        total.mapping += [f"{Path(p).name}：{m}" if not m.startswith(Path(p).name) else m for m in one.mapping]
        total.unused += [f"{Path(p).name}：{u}" for u in one.unused]
    return total

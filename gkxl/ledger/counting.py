"""表三 and 表四 counted from the registers, one rule for every cell; the rows that cannot be counted; reconciliation of
typed tables with the count. Pure: no I/O (the registers are read by gkxl/ledger/reader.py).

The counting rules (README "依申请台账", with their sources):
- 表三, for the report year Y. An application received in Y is 一、本年新收; one received before Y and not answered
  before 1 January of Y is 二、上年结转 (its count equals last year's 四: 国办公开办函〔2021〕30号's 勾稽关系 across years).
  It counts under its 办理结果 in the year it is answered, once ("区分处理的，只计这一情形": one result per application).
  One not answered by 31 December of Y is 四、结转下年度继续办理. Its column is its 申请人类型.
  So every column balances by construction: 一 + 二 = 三（七）总计 + 四.
- 表四: a case closed in Y counts under its 结果; a case open on 31 December of Y (whenever it began) is 尚未审结.
  Cases closed before Y, and cases begun after Y, are not this year's. "行政复议机关作为共同被告的行政诉讼案件，只计算原
  行为主体的案件数量" is the register keeper's rule: such a case is entered once, by the original body (the register's
  instructions say so).
- A row that cannot be counted for certain (an unknown type or result, an answer before its receipt, a result without
  an answer date or the reverse, a date outside Y−5…Y+1, a 编号 given twice) is not counted: it is an R-LEDGER-ROW
  finding naming the register, row and cell, never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ..findings import Finding, Severity
from ..formats import get_format
from .vocabulary import PENDING

ROW_RULE, CELL_RULE = "R-LEDGER-ROW", "R-LEDGER"
APPLICATIONS, CASES = "申请台账", "复议诉讼台账"


@dataclass(frozen=True)
class Application:
    where: str  # the register's sheet (申请台账) or, for a CSV, its file name
    line: int  # the row as the user sees it, 1-based
    number: str  # 编号 ("" when blank)
    received: dt.date | None
    applicant: str | None  # a 表三 column id
    result: str | None  # a 表三 result row id; None: not answered yet
    answered: dt.date | None
    cells: tuple[tuple[str, str], ...] = ()  # (column key, A1) for messages: number, received, applicant, result, answered
    file: str = ""  # the register file's path
    in_sheet: bool = True  # where is a sheet of an xlsx (False: a CSV, where is its file name)
    summary: str = ""  # 申请内容摘要, 备注: carried into next year's register, not counted
    note: str = ""


@dataclass(frozen=True)
class Case:
    where: str
    line: int
    number: str
    group: str | None  # a 表四 group id
    opened: dt.date | None
    outcome: str | None  # a 表四 column id (upheld, corrected, other, pending); None: blank
    closed: dt.date | None
    cells: tuple[tuple[str, str], ...] = ()
    file: str = ""
    in_sheet: bool = True
    note: str = ""


@dataclass
class Register:
    """What was read from one or more register files; `findings` are the rows the reader could not take."""

    applications: list[Application] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def __add__(self, other: Register) -> Register:
        return Register(self.applications + other.applications, self.cases + other.cases, self.findings + other.findings)


@dataclass
class Counted:
    format: str
    year: int
    values: dict[str, int]  # every input cell of 表三 and 表四
    trace: dict[str, list[str]]  # cell id → the register rows counted in it, in words
    findings: list[Finding]  # R-LEDGER-ROW

    @property
    def ok(self) -> bool:
        return not self.findings


def row_words(where: str, line: int, number: str = "") -> str:
    return f"{where}第{line}行" + (f"（{number}）" if number else "")


def row_finding(where: str, line: int, message: str, *, cell: str = "", file: str = "", sheet: bool = True) -> Finding:
    return Finding(ROW_RULE, f"{where}:{line}", Severity.MANDATORY, f"{where}第{line}行：{message}", file=file,
                   sheet=where if sheet else "", cell=cell)


def _cell(cells: tuple[tuple[str, str], ...], key: str) -> str:
    return dict(cells).get(key, "")


def _in_year(d: dt.date, year: int) -> bool:
    return d.year == year


def check_row_dates(item, year: int, dates: tuple[tuple[str, str], ...]) -> list[Finding]:
    """Dates outside year−5…year+1 (typing errors: 2052 for 2025, a 1900 serial)."""
    out = []
    for key, words in dates:
        d = getattr(item, key)
        if d is not None and not (year - 5 <= d.year <= year + 1):
            out.append(row_finding(item.where, item.line, f"{words}“{d.isoformat()}”不在{year - 5}年至{year + 1}年之间，请核对",
                                   cell=_cell(item.cells, key), file=item.file, sheet=item.in_sheet))
    return out


@dataclass(frozen=True)
class _Rows:
    """What one register's rows hold, by the fields of Application / Case, and the words of its messages."""

    begin: str  # the date it came in
    begin_words: str
    end: str  # the date it was answered or closed
    end_words: str
    kind: str  # applicant type / case type
    kind_missing: str
    result: str
    result_without_end: str
    end_without_result: str


APPLICATION_ROWS = _Rows("received", "收到日期", "answered", "答复日期", "applicant", "没有申请人类型", "result",
                         "有办理结果而没有答复日期", "有答复日期而没有办理结果")
CASE_ROWS = _Rows("opened", "收到或立案日期", "closed", "结案日期", "group", "没有类型（行政复议、未经复议直接起诉或复议后起诉）", "outcome",
                  "有结果而没有结案日期", "有结案日期而结果为空或“尚未审结”")


def _problems(item, rows: _Rows, year: int, seen: dict[str, str]) -> list[Finding]:
    """Why a register row cannot be counted (none: it can); `seen` holds the 编号 met so far, and gets this one."""

    def bad(message: str, key: str) -> Finding:
        return row_finding(item.where, item.line, message, cell=_cell(item.cells, key), file=item.file, sheet=item.in_sheet)

    out = check_row_dates(item, year, ((rows.begin, rows.begin_words), (rows.end, rows.end_words)))
    begin, end = getattr(item, rows.begin), getattr(item, rows.end)
    if getattr(item, rows.kind) is None:
        out.append(bad(rows.kind_missing, rows.kind))
    if begin is None:
        out.append(bad(f"没有{rows.begin_words}", rows.begin))
    if end is not None and begin is not None and end < begin:
        out.append(bad(f"{rows.end_words} {end.isoformat()} 早于{rows.begin_words} {begin.isoformat()}", rows.end))
    decided = getattr(item, rows.result) not in (None, PENDING)
    if decided != (end is not None):
        out.append(bad(rows.result_without_end, rows.end) if end is None else bad(rows.end_without_result, rows.result))
    if item.number:
        if item.number in seen:
            out.append(bad(f"编号“{item.number}”与{seen[item.number]}重复", "number"))
        else:
            seen[item.number] = row_words(item.where, item.line)
    return out


def count(register: Register, *, year: int, format_id: str | None = None, previous: Register | None = None) -> Counted:
    """表三 and 表四 of `year` from the register; `previous`: last year's register, to confirm each 上年结转 row."""
    from ..formats import format_for_year

    spec = get_format(format_id) if format_id else format_for_year(year)
    inputs = [cid for cid in spec.inputs if cid.startswith(("sec3.", "sec4."))]
    values: dict[str, int] = {cid: 0 for cid in inputs}
    trace: dict[str, list[str]] = defaultdict(list)
    findings = list(register.findings)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def add(cid: str, words: str) -> None:
        values[cid] += 1
        trace[cid].append(words)

    open_last_year = None if previous is None else {a.number for a in previous.applications
                                                     if a.number and a.received is not None and a.received <= dt.date(year - 1, 12, 31)
                                                     and (a.answered is None or a.answered >= start)}
    seen: dict[str, str] = {}
    for a in register.applications:
        bad = _problems(a, APPLICATION_ROWS, year, seen)
        if bad:
            findings.extend(bad)
            continue
        if a.received > end or (a.answered is not None and a.answered < start):
            continue  # another year's application
        words, col = row_words(a.where, a.line, a.number), a.applicant
        if a.received >= start:
            add(f"sec3.new_received.{col}", words)
        else:
            if open_last_year is not None and a.number not in open_last_year:
                findings.append(row_finding(a.where, a.line, f"作为上年结转计入，但上年台账中没有编号为“{a.number}”且在上年末未办结的申请",
                                            cell=_cell(a.cells, "number"), file=a.file, sheet=a.in_sheet))
            add(f"sec3.carried_over.{col}", words)
        add(f"sec3.{a.result}.{col}" if a.answered is not None and a.answered <= end else f"sec3.carried_forward.{col}", words)

    seen = {}
    for c in register.cases:
        bad = _problems(c, CASE_ROWS, year, seen)
        if bad:
            findings.extend(bad)
            continue
        if c.opened > end or (c.closed is not None and c.closed < start):
            continue  # closed before the year, or begun after it
        decided = c.closed is not None and c.closed <= end
        add(f"sec4.{c.group}.{c.outcome if decided else PENDING}", row_words(c.where, c.line, c.number))
    return Counted(spec.id, year, values, dict(trace), findings)


def still_open(register: Register, year: int) -> Register:
    """The applications and cases of `register` open on 31 December of `year`: next year's register starts with them."""
    end = dt.date(year, 12, 31)
    apps = [a for a in register.applications if a.received is not None and a.received <= end and (a.answered is None or a.answered > end)]
    cases = [c for c in register.cases if c.opened is not None and c.opened <= end and (c.closed is None or c.closed > end)]
    return Register(apps, cases, [])


def reconcile(values: dict, counted: Counted) -> list[Finding]:
    """R-LEDGER: each typed cell of 表三/表四 that differs from the register's count (核实), with both numbers and the
    register rows. A total is compared only where none of its input cells differs (a total typed over)."""
    spec = get_format(counted.format)
    from ..model import Report

    typed = values
    full = Report(counted.format, counted.year, values=dict(counted.values)).with_totals()
    out: list[Finding] = []
    differing: set[str] = set()
    for cid in spec.inputs:
        if not cid.startswith(("sec3.", "sec4.")) or cid not in typed:
            continue
        if typed[cid] != full[cid]:
            differing.add(cid)
            out.append(_cell_finding(spec, cid, typed[cid], full[cid], counted.trace.get(cid, [])))
    for cid in spec.totals:
        if not cid.startswith(("sec3.", "sec4.")) or cid not in typed or typed[cid] == full.get(cid):
            continue
        if differing.intersection(spec.leaves([cid])):
            continue
        rows = [w for leaf in spec.leaves([cid]) for w in counted.trace.get(leaf, [])]
        out.append(_cell_finding(spec, cid, typed[cid], full[cid], rows))
    return out


def _cell_finding(spec, cid: str, typed, counted_value: int, rows: list[str]) -> Finding:
    f = spec.fields[cid]
    table = spec.table_of[cid].name
    shown = "、".join(rows[:5]) + (f"等{len(rows)}行" if len(rows) > 5 else "")
    where = f"（{shown}）" if rows else "（台账中没有计入这一格的行）"
    return Finding(CELL_RULE, cid, Severity.VERIFY, f"{table} {f.describe()}：表中为 {typed}，台账计得 {counted_value}{where}",
                   cells=(cid,), labels=f.describe(), expected=counted_value, actual=typed)

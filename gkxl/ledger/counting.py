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

    seen: dict[str, str] = {}
    open_last_year = None if previous is None else {a.number for a in previous.applications
                                                     if a.number and a.received is not None and a.received <= dt.date(year - 1, 12, 31)
                                                     and (a.answered is None or a.answered >= start)}
    for a in register.applications:
        bad = check_row_dates(a, year, (("received", "收到日期"), ("answered", "答复日期")))
        sheet = a.in_sheet
        if a.received is None:
            bad.append(row_finding(a.where, a.line, "没有收到日期", cell=_cell(a.cells, "received"), file=a.file, sheet=sheet))
        if a.answered is not None and a.received is not None and a.answered < a.received:
            bad.append(row_finding(a.where, a.line, f"答复日期 {a.answered.isoformat()} 早于收到日期 {a.received.isoformat()}",
                                   cell=_cell(a.cells, "answered"), file=a.file, sheet=sheet))
        if (a.result is None) != (a.answered is None):
            what = "有办理结果而没有答复日期" if a.answered is None else "有答复日期而没有办理结果"
            bad.append(row_finding(a.where, a.line, what, cell=_cell(a.cells, "answered" if a.answered is None else "result"),
                                   file=a.file, sheet=sheet))
        if a.number:
            if a.number in seen:
                bad.append(row_finding(a.where, a.line, f"编号“{a.number}”与{seen[a.number]}重复", cell=_cell(a.cells, "number"),
                                       file=a.file, sheet=sheet))
            else:
                seen[a.number] = row_words(a.where, a.line)
        if a.applicant is None:
            bad.append(row_finding(a.where, a.line, "没有申请人类型", cell=_cell(a.cells, "applicant"), file=a.file, sheet=sheet))
        if bad:
            findings.extend(bad)
            continue
        words = row_words(a.where, a.line, a.number)
        col = a.applicant
        if a.received > end or (a.answered is not None and a.answered < start):
            continue  # another year's application
        if a.received >= start:
            add(f"sec3.new_received.{col}", words)
        else:
            if open_last_year is not None and a.number not in open_last_year:
                findings.append(row_finding(a.where, a.line, f"作为上年结转计入，但上年台账中没有编号为“{a.number}”且在上年末未办结的申请",
                                            cell=_cell(a.cells, "number"), file=a.file, sheet=sheet))
            add(f"sec3.carried_over.{col}", words)
        if a.answered is not None and a.answered <= end:
            add(f"sec3.{a.result}.{col}", words)
        else:
            add(f"sec3.carried_forward.{col}", words)

    seen_cases: dict[str, str] = {}
    for c in register.cases:
        bad = check_row_dates(c, year, (("opened", "收到或立案日期"), ("closed", "结案日期")))
        sheet = c.in_sheet
        if c.group is None:
            bad.append(row_finding(c.where, c.line, "没有类型（行政复议、未经复议直接起诉或复议后起诉）", cell=_cell(c.cells, "group"),
                                   file=c.file, sheet=sheet))
        if c.opened is None:
            bad.append(row_finding(c.where, c.line, "没有收到或立案日期", cell=_cell(c.cells, "opened"), file=c.file, sheet=sheet))
        if c.closed is not None and c.opened is not None and c.closed < c.opened:
            bad.append(row_finding(c.where, c.line, f"结案日期 {c.closed.isoformat()} 早于收到或立案日期 {c.opened.isoformat()}",
                                   cell=_cell(c.cells, "closed"), file=c.file, sheet=sheet))
        decided = c.outcome not in (None, PENDING)
        if decided != (c.closed is not None):
            what = "有结果而没有结案日期" if c.closed is None else "有结案日期而结果为空或“尚未审结”"
            bad.append(row_finding(c.where, c.line, what, cell=_cell(c.cells, "closed" if c.closed is None else "outcome"),
                                   file=c.file, sheet=sheet))
        if c.number:
            if c.number in seen_cases:
                bad.append(row_finding(c.where, c.line, f"编号“{c.number}”与{seen_cases[c.number]}重复", cell=_cell(c.cells, "number"),
                                       file=c.file, sheet=sheet))
            else:
                seen_cases[c.number] = row_words(c.where, c.line)
        if bad:
            findings.extend(bad)
            continue
        if c.opened > end or (c.closed is not None and c.closed < start):
            continue
        words = row_words(c.where, c.line, c.number)
        if c.closed is not None and c.closed <= end:
            add(f"sec4.{c.group}.{c.outcome}", words)
        else:
            add(f"sec4.{c.group}.{PENDING}", words)
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

"""What a collect round produces, as plain data: each file's outcome, each unit's status, the whole round.

Kept apart from collect.py so the writers of its outputs (gkxl/outputs.py, excel/status.py, the web app) depend on
the data, not on the runner. A round is decided as a `Plan` (collect.plan_round, pure) before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .findings import CheckResult, Severity
from .model import Report

SUMMARY_JSON = "summary.json"  # in SUMMARY_DIR: the round as data, and what marks a folder as collect's output
SUMMARY_DIR = "汇总"  # OUT/汇总/: the 汇总 and the round's own files (collect, its outputs, the figures)

NO_TYPE = "未分类"  # = roster.NO_TYPE (kept here so the data needs no roster import)


class Status:
    MISSING = "未提交"
    UNREADABLE = "无法读取"
    WRONG_TEMPLATE = "模板不符（年度或单位）"
    MANDATORY = "有强制错误"
    VERIFY = "待核实"
    PASSED = "通过"
    ALL = (PASSED, VERIFY, MANDATORY, WRONG_TEMPLATE, UNREADABLE, MISSING)


@dataclass
class FileOutcome:
    """One inbox file after reading and checking (made in a worker process)."""

    path: str  # as the system names it (may hold undecodable bytes as surrogates)
    name: str  # as a person reads it: relative to the inbox, GB18030-decoded where the name is not UTF-8
    sha256: str
    mtime: float
    result: CheckResult
    report: Report | None
    wrong_year: bool = False
    pending: str = ""  # the unit's report, written by the worker when the file passed
    summary_units: tuple[str, ...] = ()  # a lower level's 汇总数据.xlsx: the units it sums
    summary_missing: tuple[str, ...] = ()  # ... and the units it says it lacks (不完整)
    saved: float | None = None  # when a person's spreadsheet program last saved the workbook (docProps), if it says
    drafted: str = ""  # the note that the unit's report drafted its empty （二）依申请公开 from the tables

    @property
    def is_summary(self) -> bool:
        return bool(self.summary_units)


@dataclass
class UnusedFile:
    """A file (or folder, link) of the inbox that was not read, and why; the roster units its name names."""

    name: str
    reason: str
    units: tuple[str, ...] = ()


@dataclass
class UnitStatus:
    unit: str
    status: str
    used: FileOutcome | None = None
    others: list[FileOutcome] = field(default_factory=list)
    note: str = ""
    report_file: str = ""
    type: str = NO_TYPE
    submitted: dt.datetime | None = None  # local time of the used file (its modification time)
    late: bool = False  # submitted after --deadline
    review: str = ""  # with reviews: 待审核/已退回/已通过 (review.PENDING…), "" when it sent nothing or no review
    decisions: list = field(default_factory=list)  # with reviews: the office's decisions on it (review.Decision), oldest first

    @property
    def counts(self) -> dict[Severity, int]:
        return self.used.result.counts if self.used else {s: 0 for s in Severity}

    @property
    def zero_report(self) -> str:
        """"零报告：" and the declarations the used report makes (基本信息; JSON no_applications / no_appeals), or ""."""
        report = self.used.report if self.used else None
        if report is None or not report.declared:
            return ""
        return "零报告：" + "；".join(d.statement for d in report.spec.declarations if d.key in report.declared)

    def first_messages(self, n: int = 3) -> list[str]:
        if not self.used:
            return []
        if self.used.result.error:
            return [self.used.result.error]
        return [f.message for f in self.used.result.findings if f.is_open][:n]

    def add_note(self, text: str) -> None:
        if text and text not in self.note:
            self.note = "；".join(x for x in (self.note, text) if x)


@dataclass
class CollectResult:
    year: int
    units: list[UnitStatus]
    unmatched: list[FileOutcome]  # files naming a unit not on the roster
    included: list[str]  # units summed into the 汇总
    incomplete: list[str]  # 汇总 cells left blank because an included unit has no value there
    summary_check: CheckResult | None
    out: Path
    previous_ignored: list[tuple[str, str]] = field(default_factory=list)  # last year's files not used, and why
    unused: list[UnusedFile] = field(default_factory=list)  # inbox files not read, and why
    missing: list[str] = field(default_factory=list)  # roster units whose data is not in the 汇总
    lower_missing: dict[str, list[str]] = field(default_factory=dict)  # a lower level's 汇总 → the units it lacks
    subtotals: dict[str, Report] = field(default_factory=dict)  # 类型 → the sum of its included units
    deadline: dt.date | None = None
    notices: list[str] = field(default_factory=list)  # what the run did besides (a leftover cleaned, OUT restored)
    reviewed: bool = False  # the round has the office's review decisions (collect --reviews, the web)
    decisions: list = field(default_factory=list)  # every decision (review.Decision), oldest first
    unreviewed: list[str] = field(default_factory=list)  # units in the 汇总 whose report is not yet accepted (未审核)
    requirements: object = None  # the requirement pack (--requirements, gkxl.rules.pack.Pack) the units were checked against

    @property
    def complete(self) -> bool:
        """Every roster unit is in the 汇总, and every lower level's 汇总 in it is complete."""
        return not self.missing and not self.lower_missing

    def missing_text(self) -> str:
        """不完整 in words, naming every unit missing (a lower level's as 县：某镇), or "" when complete."""
        parts = list(self.missing) + [f"{u}（其汇总缺少：{'、'.join(m)}）" for u, m in self.lower_missing.items()]
        if not parts:
            return ""
        return f"本汇总不完整：以下单位的数据未纳入——{'、'.join(parts)}"

    @property
    def on_time(self) -> tuple[int, int]:
        """(units that submitted by the deadline, roster units); a unit that sent nothing is not on time."""
        from .deadline import on_time_rate

        return on_time_rate([u.submitted for u in self.units], self.deadline)


@dataclass
class Plan:
    """A round decided, before anything is written (collect.plan_round; pure data): which file counts for which
    unit and its status (in `result`), which units are summed, the 汇总 itself. Every output (gkxl/outputs.py) is
    written from it alone, so a new output is one more writer of this plan."""

    result: CollectResult
    outcomes: list[FileOutcome]  # every inbox file read, in scan order (the unused ones' pending reports are dropped)
    summed: list[UnitStatus]  # the units in the 汇总 (checked, passed, in the year's format), roster order
    total: Report | None = None  # the 汇总 (None when no unit is summed)
    lacking: list[str] = field(default_factory=list)  # what the 汇总数据 lists as not in it (a lower level's as 县：镇)
    unit_figures: bool = False  # collect --figures: each summed unit's 一图读懂 too
    previous: dict = field(default_factory=dict)  # last year's reports by agency (the figures' comparison)

"""What a collect round produces, as plain data: each file's outcome, each unit's status, the whole round.

Kept apart from collect.py so the writers of its outputs (excel/status.py) depend on the data, not on the runner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .findings import CheckResult, Severity
from .model import Report


class Status:
    MISSING = "未提交"
    UNREADABLE = "无法读取"
    WRONG_TEMPLATE = "模板不符（年度或单位）"
    MANDATORY = "有强制错误"
    VERIFY = "待核实"
    PASSED = "通过"


@dataclass
class FileOutcome:
    """One inbox file after reading and checking (made in a worker process)."""

    path: str
    name: str
    sha256: str
    mtime: float
    result: CheckResult
    report: Report | None
    wrong_year: bool = False
    pending: str = ""  # the unit's report, written by the worker when the file passed


@dataclass
class UnitStatus:
    unit: str
    status: str
    used: FileOutcome | None = None
    others: list[FileOutcome] = field(default_factory=list)
    note: str = ""
    report_file: str = ""

    @property
    def counts(self) -> dict[Severity, int]:
        return self.used.result.counts if self.used else {s: 0 for s in Severity}

    def first_messages(self, n: int = 3) -> list[str]:
        if not self.used:
            return []
        if self.used.result.error:
            return [self.used.result.error]
        return [f.message for f in self.used.result.findings if f.is_open][:n]


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

"""Typed findings (one per failed rule and scope) and the result of checking one file."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum

from .errors import shorten_quotes
from .values import format_number

MIN_EXPLANATION = 6  # characters of 说明 that settle a 核实 finding (国家统计局 联网直报 practice)


class Severity(str, Enum):
    MANDATORY = "强制"  # must be fixed
    VERIFY = "核实"  # fix, or keep with a written 说明 of at least six characters
    HINT = "提示"  # for information


@dataclass(frozen=True)
class Finding:
    """One failed rule on one scope, addressed to the cell a filer should fix first."""

    rule: str
    scope: str
    severity: Severity
    message: str
    cells: tuple[str, ...] = ()  # contract ids of the cells involved, the one to fix first
    labels: str = ""  # the official labels of the first cell, in words
    expected: int | Decimal | None = None
    actual: int | Decimal | None = None
    raw: str | None = None  # the raw text that could not be read
    explanation: str | None = None  # the filer's 说明
    file: str = ""
    sheet: str = ""
    cell: str = ""  # A1 address in the workbook, where there is one

    def __post_init__(self) -> None:
        # The one place messages are made safe to print: a quoted raw value is cut to about 50 characters.
        short = shorten_quotes(self.message)
        if short is not self.message:
            object.__setattr__(self, "message", short)

    @property
    def key(self) -> str:
        return f"{self.rule}.{self.scope}"

    @property
    def difference(self) -> int | Decimal | None:
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected

    @property
    def explained(self) -> bool:
        return self.severity is Severity.VERIFY and len((self.explanation or "").strip()) >= MIN_EXPLANATION

    @property
    def is_open(self) -> bool:
        """Open findings decide the verdict: every 强制 finding, and 核实 findings without a sufficient 说明."""
        if self.severity is Severity.MANDATORY:
            return True
        return self.severity is Severity.VERIFY and not self.explained

    def located(self, **where: str) -> Finding:
        return replace(self, **where)

    def to_dict(self) -> dict:
        def num(v):
            if v is None:
                return None
            return format_number(v) if isinstance(v, Decimal) else v

        return {
            "key": self.key,
            "rule": self.rule,
            "scope": self.scope,
            "severity": self.severity.value,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "cells": list(self.cells),
            "labels": self.labels,
            "expected": num(self.expected),
            "actual": num(self.actual),
            "difference": num(self.difference),
            "raw": self.raw,
            "message": self.message,
            "explanation": self.explanation,
            "open": self.is_open,
        }


@dataclass
class CheckResult:
    """The outcome of checking one file: its identity, findings and verdict, or why it could not be read."""

    file: str
    format: str | None = None
    agency: str | None = None
    year: int | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # set when the file could not be read at all

    @property
    def counts(self) -> dict[Severity, int]:
        out = {s: 0 for s in Severity}
        for f in self.findings:
            if f.is_open or f.severity is Severity.HINT:
                out[f.severity] += 1
        return out

    @property
    def explained(self) -> int:
        return sum(1 for f in self.findings if f.explained)

    @property
    def passed(self) -> bool:
        return self.error is None and not any(f.is_open for f in self.findings)

    @property
    def verdict(self) -> str:
        """通过 / N个强制错误 / N个待核实 / 无法读取."""
        if self.error is not None:
            return "无法读取"
        c = self.counts
        if c[Severity.MANDATORY]:
            return f"{c[Severity.MANDATORY]}个强制错误"
        if c[Severity.VERIFY]:
            return f"{c[Severity.VERIFY]}个待核实"
        return "通过"

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "format": self.format,
            "agency": self.agency,
            "year": self.year,
            "verdict": self.verdict,
            "passed": self.passed,
            "error": self.error,
            "counts": {s.value: n for s, n in self.counts.items()},
            "explained": self.explained,
            "findings": [f.to_dict() for f in self.findings],
        }

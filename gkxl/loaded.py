"""A report read from a file, with the findings made while reading it: what every reader returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Finding
from .model import Report


@dataclass
class Loaded:
    """A report read from a file, with the findings made while reading it."""

    report: Report
    source: str
    kind: str  # "xlsx", "json", "published"
    found: list[Finding] = field(default_factory=list)
    locked_agency: bool = False  # the workbook's unit was prefilled and locked by the 政务公开办

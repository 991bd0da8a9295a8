"""What a rule sees (Context) and how it words a finding (make): shared by the engine and every rule module."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..findings import Finding, Severity
from ..formats import Format
from ..model import Report
from ..values import format_number
from .catalogue import RULES

if TYPE_CHECKING:
    from .pack import Pack

Number = int | Decimal


@dataclass(frozen=True)
class Context:
    report: Report
    spec: Format
    values: dict[str, Number]  # with computed totals
    previous: Report | None
    previous_values: dict[str, Number]
    unreadable: frozenset[str]  # cells with an R-VALUE finding: neither missing nor usable
    published: bool = False  # a published report (imported), not a filer's workbook or JSON: R-PLACEHOLDER is 核实
    requirements: Pack | None = None  # a requirement pack (--requirements): R-REQUIREMENT
    # Sections of a published report whose text cannot be told apart (a heading before or after them not found):
    # the narrative rules that need a section's bounds (R-LENGTH, R-PROMISE, R-REQUIREMENT) leave them alone.
    unplaced: frozenset[str] = frozenset()


def make(
    rule: str,
    scope: str,
    spec: Format,
    *,
    cells: tuple[str, ...] = (),
    expected: Number | None = None,
    actual: Number | None = None,
    where: str = "",
    raw: str | None = None,
    note: str = "",
    severity: Severity | None = None,
    lhs: str = "",
    rhs: str = "",
) -> Finding:
    """A finding of a catalogue rule, its message rendered from the catalogue template."""
    rs = RULES[rule]
    labels = spec.fields[cells[0]].describe() if cells and cells[0] in spec.fields else ""
    diff = actual - expected if actual is not None and expected is not None else None
    signed = (("+" if diff > 0 else "") + format_number(diff)) if diff is not None else ""
    message = rs.template.format(
        table=spec.table_of[cells[0]].name if cells and cells[0] in spec.fields else "",
        lhs=lhs,
        rhs=rhs,
        where=where or scope,
        labels=(spec.table_of[cells[0]].name + " " + labels) if labels else "",
        expected=format_number(expected),
        actual=format_number(actual),
        difference=signed,
        raw=raw or "",
        note=note,
    )
    return Finding(rule, scope, severity or rs.severity, message, cells, labels, expected, actual, raw)

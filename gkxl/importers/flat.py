"""Rows whose cells ran together when copied ("230 000023" for 23,0,0,0,0,0,23): decoded by the row's own equations.

Every split of the row's digits into its cells is a candidate reading (each cell a whole number written without
a leading zero, spaces ignored: copied text puts them anywhere). A reading survives when each equation of the
format whose cells all lie in this row holds (表三: 总计 = the six columns; 表四: each group's 总计 = its four
columns). Only a row with exactly one surviving reading is read, and its trace says which equations fixed it
(so they are no evidence about those cells). Equations across rows (R-BALANCE, R-RESULTS-SUM) are never used:
they are what the check must then test. A row without an equation is read only when its digits allow one
split at all ("000" for three cells). The search is bounded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..formats import Equation, Field, Format, Kind

MAX_DIGITS = 15  # a cell holds at most 15 significant digits (values.py refuses more)
MAX_ROW_DIGITS = 120
MAX_STEPS = 50_000  # search steps for one row: a longer search is given up, and the row is unreadable
_FLAT = re.compile(r"^[\d\s\u00a0\u3000]+$")


@dataclass(frozen=True)
class Decoded:
    values: tuple[int, ...] | None  # the one reading, or None
    readings: int  # surviving readings found (the search stops counting at 2 … when it gives up: -1)
    equations: tuple[Equation, ...]  # the row's own equations used
    digits: str


def flat_digits(texts: Sequence[str]) -> str | None:
    """The digits of a row's published text when it is digits and spaces only (else None: not a flattened row)."""
    joined = "".join(texts)
    if not joined.strip() or not all(_FLAT.match(t) for t in texts if t.strip()):
        return None
    return re.sub(r"\D", "", joined)


def row_equations(spec: Format, fields: Sequence[Field]) -> tuple[Equation, ...]:
    """The format's equations whose cells all lie in this run of fields (the row's own)."""
    ids = {f.id for f in fields}
    return tuple(eq for eq in spec.equations if set(eq.cells) <= ids)


def decode_row(spec: Format, fields: Sequence[Field], digits: str) -> Decoded:
    """Decode a flattened row. Only rows of counts are decoded (a sign or a decimal point is never run together)."""
    eqs = row_equations(spec, fields)
    n = len(fields)
    if any(f.kind is not Kind.COUNT for f in fields) or not (n <= len(digits) <= min(MAX_ROW_DIGITS, n * MAX_DIGITS)):
        return Decoded(None, 0, eqs, digits)
    index = {f.id: i for i, f in enumerate(fields)}
    # Each equation checked as soon as its last cell is placed.
    checks: dict[int, list[tuple[tuple[int, ...], tuple[int, ...]]]] = {}
    for eq in eqs:
        lhs = tuple(index[c] for c in eq.lhs)
        rhs = tuple(index[c] for c in eq.rhs)
        checks.setdefault(max(lhs + rhs), []).append((lhs, rhs))
    found: list[tuple[int, ...]] = []
    count = 0
    steps = 0
    values = [0] * n
    gave_up = False

    def walk(pos: int, k: int) -> None:
        nonlocal count, steps, gave_up
        if gave_up:
            return
        steps += 1
        if steps > MAX_STEPS:
            gave_up = True
            return
        if k == n:
            if pos == len(digits):
                count += 1
                if len(found) < 2:
                    found.append(tuple(values))
            return
        left = len(digits) - pos
        cells_after = n - k - 1
        for length in range(1, min(MAX_DIGITS, left - cells_after) + 1):
            if left - length > cells_after * MAX_DIGITS:
                continue
            piece = digits[pos : pos + length]
            if length > 1 and piece[0] == "0":
                break  # "05" is no number: longer pieces start with 0 too
            values[k] = int(piece)
            if all(sum(values[i] for i in lhs) == sum(values[i] for i in rhs) for lhs, rhs in checks.get(k, ())):
                walk(pos + length, k + 1)

    walk(0, 0)
    if gave_up:
        return Decoded(None, -1, eqs, digits)
    return Decoded(found[0] if count == 1 else None, count, eqs, digits)

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
    segments = _segments(fields, eqs)
    search = _Search(digits, segments)
    search.walk(0, 0, [])
    if search.gave_up:
        return Decoded(None, -1, eqs, digits)
    return Decoded(search.found[0] if search.count == 1 else None, search.count, eqs, digits)


def _segments(fields: Sequence[Field], eqs: Sequence[Equation]) -> list[int]:
    """The row as consecutive segments: a positive number m is a sum group (m terms, then their total, as every
    row equation of the official tables is laid out); 0 is a cell of its own. Raises nothing: an equation laid
    out otherwise is not expected and makes the row undecodable (see _Search)."""
    index = {f.id: i for i, f in enumerate(fields)}
    groups: dict[int, int] = {}  # first index → number of terms
    for eq in eqs:
        if len(eq.lhs) != 1:
            return []
        total = index[eq.lhs[0]]
        terms = sorted(index[c] for c in eq.rhs)
        if terms != list(range(total - len(terms), total)):
            return []
        groups[terms[0]] = len(terms)
    out: list[int] = []
    i = 0
    while i < len(fields):
        if i in groups:
            out.append(groups[i])
            i += groups[i] + 1
        else:
            out.append(0)
            i += 1
    return out


class _Search:
    """Every split of the digits into the row's segments; a sum group's total is read first (from the group's end),
    so its terms are searched under the sum they must reach."""

    def __init__(self, digits: str, segments: list[int]):
        self.digits = digits
        self.segments = segments
        self.count = 0
        self.found: list[tuple[int, ...]] = []
        self.steps = 0
        self.gave_up = not segments

    def _piece(self, a: int, b: int) -> int | None:
        s = self.digits[a:b]
        if not s or len(s) > MAX_DIGITS or (len(s) > 1 and s[0] == "0"):
            return None
        return int(s)

    def _tick(self) -> bool:
        self.steps += 1
        if self.steps > MAX_STEPS:
            self.gave_up = True
        return not self.gave_up

    def _min_rest(self, si: int) -> int:
        return sum(m + 1 if m else 1 for m in self.segments[si:])

    def walk(self, pos: int, si: int, values: list[int]) -> None:
        if not self._tick():
            return
        L = len(self.digits)
        if si == len(self.segments):
            if pos == L:
                self.count += 1
                if len(self.found) < 2:
                    self.found.append(tuple(values))
            return
        rest = self._min_rest(si + 1)
        m = self.segments[si]
        if m == 0:
            for end in range(pos + 1, min(L - rest, pos + MAX_DIGITS) + 1):
                v = self._piece(pos, end)
                if v is None:
                    break  # a leading zero: longer pieces have it too
                self.walk(end, si + 1, values + [v])
            return
        # a sum group: its end, then its total's length
        for end in range(pos + m + 1, L - rest + 1):
            for tl in range(1, min(MAX_DIGITS, end - pos - m) + 1):
                total = self._piece(end - tl, end)
                if total is None:
                    continue
                # each term is at most the total: at most tl digits each
                if end - tl - pos > m * tl:
                    continue
                self._terms(pos, end - tl, m, total, [], lambda terms, t=total, e=end: self.walk(e, si + 1, values + terms + [t]))
                if self.gave_up:
                    return

    def _terms(self, pos: int, stop: int, m: int, rem: int, acc: list[int], done) -> None:
        if not self._tick():
            return
        if m == 1:
            v = self._piece(pos, stop)
            if v is not None and v == rem:
                done(acc + [v])
            return
        width = len(str(rem))
        for end in range(pos + 1, min(stop - (m - 1), pos + width) + 1):
            v = self._piece(pos, end)
            if v is None:
                break
            if v > rem:
                break  # longer pieces are larger still
            if stop - end > (m - 1) * len(str(rem - v)):
                continue
            self._terms(end, stop, m - 1, rem - v, acc + [v], done)

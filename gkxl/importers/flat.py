"""Rows whose cells ran together when copied ("230 000023" for 23,0,0,0,0,0,23): decoded by the row's own equations.

Every split of the row's digits into its cells is a candidate reading (each cell a whole number written without
a leading zero). A space is where one cell ends (published tables write no space inside a number), but
cells may run together without one; where the spaces alone give as many numbers as the row has cells, the
row is read as written, without any equation. A reading survives when each equation of the
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


def flat_pieces(texts: Sequence[str]) -> list[str]:
    """The runs of digits between spaces in a row's published text."""
    return re.findall(r"\d+", " ".join(texts))


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


def decode_row(spec: Format, fields: Sequence[Field], digits: str, pieces: Sequence[str] | None = None) -> Decoded:
    """Decode a flattened row; pieces are its runs of digits between spaces (a cell never spans two).
    Only rows of counts are decoded (a sign or a decimal point is never run together)."""
    eqs = row_equations(spec, fields)
    n = len(fields)
    if any(f.kind is not Kind.COUNT for f in fields) or not (n <= len(digits) <= min(MAX_ROW_DIGITS, n * MAX_DIGITS)):
        return Decoded(None, 0, eqs, digits)
    if pieces is not None and "".join(pieces) != digits:
        raise ValueError("pieces must spell the digits")
    segments = _segments(fields, eqs)
    search = _Search(digits, segments, pieces or [digits])
    search.run()
    if search.gave_up:
        return Decoded(None, -1, eqs, digits)
    if search.count == 1 and not eqs and fewest(pieces or [digits]) < n:
        # No equation to hold, and the digits could be fewer cells with some left blank ("300": 3, 0, 0 or
        # blank, blank, 300): the one split is not certain.
        return Decoded(None, BLANK_POSSIBLE, eqs, digits)
    return Decoded(search.found[0] if search.count == 1 else None, search.count, eqs, digits)


BLANK_POSSIBLE = -2  # Decoded.readings when a row without equation could also be read with blank cells


def fewest(pieces: Sequence[str]) -> int:
    """The fewest whole numbers the pieces can be read as (a number has no leading zero; "0" stands alone)."""
    total = 0
    for p in pieces:
        zeros = len(p) - len(p.lstrip("0"))
        rest = len(p) - zeros
        total += zeros + (-(-rest // MAX_DIGITS) if rest else 0)
    return total


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


def _max_sum(digits: int, terms: int) -> int:
    """The largest sum `terms` numbers written with `digits` digits in all can have (one long number, the rest 9s)."""
    if terms <= 0 or digits < terms:
        return -1
    return 10 ** (digits - terms + 1) - 1 + 9 * (terms - 1)


class _Search:
    """Every split of the digits into the row's segments, counted by dynamic programming (memoised on position,
    and in a sum group on the sum still to reach). A sum group's total is read first, from the group's end (the
    row's end for the last group), and its terms are searched under the sum they must reach. The first two
    readings found are kept."""

    def __init__(self, digits: str, segments: list[int], pieces: Sequence[str]):
        self.digits = digits
        # the first space after each position: no cell runs across it
        ends, at = [], 0
        for p in pieces:
            at += len(p)
            ends.append(at)
        self._limit = [next(e for e in ends if e > i) for i in range(len(digits))] + [len(digits)]
        self.segments = segments
        self.count = 0
        self.found: list[tuple[int, ...]] = []
        self.steps = 0
        self.gave_up = not segments
        self._rest = [sum(m + 1 if m else 1 for m in segments[i:]) for i in range(len(segments) + 1)]
        self._memo: dict = {}
        self._memo_terms: dict = {}

    def run(self) -> None:
        if self.gave_up:
            return
        count, found = self._solve(0, 0)
        if not self.gave_up:
            self.count, self.found = count, found

    def _piece(self, a: int, b: int) -> int | None:
        s = self.digits[a:b]
        if not s or b > self._limit[a] or len(s) > MAX_DIGITS or (len(s) > 1 and s[0] == "0"):
            return None
        return int(s)

    def _tick(self) -> bool:
        self.steps += 1
        if self.steps > MAX_STEPS:
            self.gave_up = True
        return not self.gave_up

    def _solve(self, pos: int, si: int) -> tuple[int, list[tuple[int, ...]]]:
        """Readings of digits[pos:] as segments[si:]."""
        key = (pos, si)
        if key in self._memo:
            return self._memo[key]
        if not self._tick():
            return 0, []
        L = len(self.digits)
        count, found = 0, []
        if si == len(self.segments):
            count, found = (1, [()]) if pos == L else (0, [])
        elif self.segments[si] == 0:
            for end in range(pos + 1, min(L - self._rest[si + 1], pos + MAX_DIGITS) + 1):
                v = self._piece(pos, end)
                if v is None:
                    break  # a leading zero: longer pieces have it too
                c, tails = self._solve(end, si + 1)
                count += c
                found += [(v, *t) for t in tails][: 2 - len(found)]
        else:
            m = self.segments[si]
            last = si == len(self.segments) - 1
            for end in [L] if last else range(pos + m + 1, L - self._rest[si + 1] + 1):
                c2, tails = self._solve(end, si + 1)  # what follows the group must be readable too
                if not c2:
                    continue
                for tl in range(1, min(MAX_DIGITS, end - pos - m) + 1):
                    total = self._piece(end - tl, end)
                    if total is None or end - tl - pos > m * tl:  # each term has at most the total's digits
                        continue
                    c1, heads = self._terms(pos, end - tl, m, total)
                    count += c1 * c2
                    for h in heads:
                        for t in tails:
                            if len(found) < 2:
                                found.append((*h, total, *t))
                if self.gave_up:
                    return 0, []
        self._memo[key] = (count, found)
        return count, found

    def _terms(self, pos: int, stop: int, m: int, rem: int) -> tuple[int, list[tuple[int, ...]]]:
        """Readings of digits[pos:stop] as m terms adding up to rem."""
        key = (pos, stop, m, rem)
        if key in self._memo_terms:
            return self._memo_terms[key]
        if not self._tick():
            return 0, []
        count, found = 0, []
        if m == 1:
            v = self._piece(pos, stop)
            if v is not None and v == rem:
                count, found = 1, [(v,)]
        else:
            for end in range(pos + 1, min(stop - (m - 1), pos + len(str(rem))) + 1):
                v = self._piece(pos, end)
                if v is None or v > rem:
                    break  # a leading zero, or too large: longer pieces are too
                if stop - end > (m - 1) * len(str(rem - v)):
                    continue  # the other terms, each at most rem - v, cannot hold all the digits left
                if rem - v > _max_sum(stop - end, m - 1):
                    continue  # nor reach rem - v: this term must be longer
                c, tails = self._terms(end, stop, m - 1, rem - v)
                count += c
                found += [(v, *t) for t in tails][: 2 - len(found)]
        self._memo_terms[key] = (count, found)
        return count, found

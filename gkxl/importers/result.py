"""What an import collects while reading: values with their source text, findings, unreadable parts, variants met."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from ..findings import Finding, Severity
from ..formats import Field, Format
from ..model import value_finding
from ..values import parse_value
from .labels import VARIANT_NAMES
from .tokens import Token


class Unreadable(NamedTuple):
    """A part of the published report that could not be placed with certainty, with the raw text around it."""

    what: str
    raw: str
    origin: str


@dataclass(frozen=True)
class Trace:
    """Where an imported cell came from: the origin and raw text of its published cell."""

    origin: str
    raw: str
    note: str = ""


def span_of(tokens: Sequence[Token]) -> str:
    """The origin of a run of tokens, e.g. "第53行至第60行"."""
    if not tokens:
        return ""
    first, last = tokens[0].origin, tokens[-1].origin
    return first if first == last else f"{first}至{last}"


def raw_of(tokens: Sequence[Token]) -> str:
    return " | ".join(t.text.replace("\n", " ") or "（空白）" for t in tokens)


@dataclass
class Collector:
    spec: Format
    values: dict[str, int | Decimal] = field(default_factory=dict)
    trace: dict[str, Trace] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    variant_events: list[tuple[str, str]] = field(default_factory=list)  # (kind, example)
    notes: list[str] = field(default_factory=list)
    blank: int = 0  # cells published blank, "/" or "—": missing, not zero

    def absorb(self, other: Collector) -> None:
        """Take over everything another collector (of the same format) gathered."""
        self.values.update(other.values)
        self.trace.update(other.trace)
        self.findings.extend(other.findings)
        self.unreadable.extend(other.unreadable)
        self.variant_events.extend(other.variant_events)
        self.notes.extend(other.notes)
        self.blank += other.blank

    def variant(self, kind: str, example: str) -> None:
        self.variant_events.append((kind, example))

    def place(self, fld: Field, tok: Token, *, raw: str | None = None, note: str = "") -> None:
        """Read one published cell into fld; a text that is not a value of its kind is unreadable, never guessed."""
        text = tok.text if raw is None else raw
        if _split_digits(text):
            self.refuse(fld, text, tok.origin, "数字之间有空格或换行，可能是两个单元格连在一起")
            return
        parsed = parse_value(fld.kind, text)
        if parsed.missing:
            self.blank += 1
            self.trace[fld.id] = Trace(tok.origin, text, note or "空白或无数据符号，按未填写处理（不是0）")
        elif parsed.ok:
            self.values[fld.id] = parsed.value
            self.trace[fld.id] = Trace(tok.origin, text, note)
        else:
            self.refuse(fld, text, tok.origin, parsed.problem)

    def decoded(self, fld: Field, value: int, raw: str, origin: str, note: str) -> None:
        """A cell read from a flattened row (see flat.py), with the note saying how."""
        self.values[fld.id] = value
        self.trace[fld.id] = Trace(origin, raw, note)

    def refuse(self, fld: Field, raw: str, origin: str, problem: str) -> None:
        table = self.spec.table_of[fld.id].name
        self.findings.append(value_finding(self.spec, fld.id, raw, problem))
        self.unreadable.append(Unreadable(f"{table} {fld.describe()}：{problem}", raw, origin))

    def unplaced(self, fields: Sequence[Field], reason: str, raw: str, origin: str, *, what: str = "") -> None:
        """Values that cannot be placed with certainty: one entry per row (or one named `what`), an R-VALUE per cell."""
        raw = shorten(raw)
        by_row: dict[int, list[Field]] = {}
        for f in fields:
            by_row.setdefault(f.row, []).append(f)
        if what:
            self.unreadable.append(Unreadable(what, raw, origin))
        for row in by_row.values():
            table = self.spec.table_of[row[0].id].name
            if not what:
                self.unreadable.append(Unreadable(f"{table} {row[0].row_text}：{reason}", raw, origin))
            for f in row:
                labels = f.describe()
                self.findings.append(
                    Finding(
                        rule="R-VALUE", scope=f.id, severity=Severity.MANDATORY,
                        message=f"{table} {labels}：无法确定数值（{reason}）；原文：“{raw}”",
                        cells=(f.id,), labels=labels, raw=raw,
                    )
                )

    def variants(self) -> list[str]:
        """The variants met, one line per kind, with examples."""
        out: list[str] = []
        kinds: dict[str, list[str]] = {}
        for kind, example in self.variant_events:
            kinds.setdefault(kind, [])
            if example not in kinds[kind]:
                kinds[kind].append(example)
        for kind, examples in kinds.items():
            name = VARIANT_NAMES.get(kind)
            if name is None:  # a variant described in full (a heading, a one-row group)
                out.extend(examples)
                continue
            shown = "；".join(examples[:3]) + (f"；等{len(examples)}处" if len(examples) > 3 else "")
            out.append(f"{name}：{shown}")
        return out


MAX_RAW = 400  # raw text quoted for one unreadable row, at most (a whole page of text run together is not shown)


def shorten(raw: str) -> str:
    return raw if len(raw) <= MAX_RAW else f"{raw[:MAX_RAW]}…（原文共{len(raw)}字，从略）"


def _split_digits(text: str) -> bool:
    """Digits separated by whitespace: in a published table this is two cells run together, not "1 234"."""
    return bool(re.search(r"\d[\s\u00a0\u3000]+\d", text.strip()))

"""R-LENGTH: 一、总体情况 longer than 国办公开办函〔2021〕30号's "篇幅原则上不超过一千字".

How characters are counted (the one definition: the 正文 sheet's live count compiles the same table into a formula,
gkxl/excel/narrative_checks.py): every Chinese character (CJK Unified Ideographs U+4E00–U+9FFF, Extension A
U+3400–U+4DBF, Compatibility Ideographs U+F900–U+FAFF, and 〇 U+3007) and every digit (0–9, full-width ０–９) counts
one; punctuation, whitespace, Latin letters and other symbols count nothing. The headings are not counted: "一、总体
情况" and each section's own heading ("（一）主动公开", also with half-width brackets) are removed wherever they stand in
that section's text before counting (the workbook puts the headings in column A; a published report's importer has
already taken its subheadings out), and so is a published PDF's page number standing as a line ("-1-"). Rare characters outside the Basic Multilingual Plane (Extension B onward) do not
count. The limit is for the five sections of 一 together, in reports of the 2021 format (the 2019 trial format set
no limit).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..formats import HEADINGS, Format
from ..formats.common import SECTION_PART
from .context import make

if TYPE_CHECKING:
    from ..findings import Finding
    from ..model import Report
    from .context import Context

LIMIT = 1000
SCOPE = "overview"
FORMATS = ("2021",)  # 国办公开办函〔2021〕30号; the 2019 trial format has no length limit
# Code point → counted (1) or not (0), from each boundary up to the next: the same table the live formula looks up.
BOUNDS: tuple[tuple[int, int], ...] = (
    (0, 0), (0x30, 1), (0x3A, 0), (0x3007, 1), (0x3008, 0), (0x3400, 1), (0x4DC0, 0), (0x4E00, 1), (0xA000, 0),
    (0xF900, 1), (0xFB00, 0), (0xFF10, 1), (0xFF1A, 0),
)


def counted(ch: str) -> int:
    cp = ord(ch)
    out = 0
    for start, flag in BOUNDS:
        if cp < start:
            break
        out = flag
    return out


def overview_ids(spec: Format) -> tuple[str, ...]:
    return tuple(s.id for s in spec.sections if SECTION_PART[s.id] == 0)


def removed_headings(spec: Format, section_id: str) -> tuple[str, ...]:
    """What is taken out of a section's text before counting, in this order (the formula substitutes the same)."""
    sec = next(s for s in spec.sections if s.id == section_id)
    part = SECTION_PART[section_id]
    out: list[str] = []
    if part >= 0:
        out.append(HEADINGS[part])
    if sec.heading:
        out.append(sec.heading)
        half = sec.heading.replace("（", "(").replace("）", ")")
        if half != sec.heading:
            out.append(half)
    return tuple(out)


PAGE_NUMBER = re.compile(r"(?m)^[ \t]*[-—–－][ \t]*\d{1,3}[ \t]*[-—–－][ \t]*$")


def char_count(text: str, remove: tuple[str, ...] = ()) -> int:
    for h in remove:
        text = text.replace(h, "")
    text = PAGE_NUMBER.sub("", text)  # a published PDF's page number ("-1-", "— 2 —") standing as a line
    return sum(counted(c) for c in text)


def section_count(report: Report, section_id: str) -> int:
    return char_count(report.narrative.get(section_id) or "", removed_headings(report.spec, section_id))


def overview_count(report: Report) -> int:
    return sum(section_count(report, sid) for sid in overview_ids(report.spec))


def unplaced_sections(spec: Format, found: Iterable[Finding]) -> frozenset[str]:
    """Sections of a published report whose bounds were not found: R-STRUCTURE.headings (gkxl/rules/structure.py)
    says "缺少标题“…”" for a 一级标题 not found, or that they stand out of order (then every section). A section's
    text is known when the heading of its part and the next part's heading were both found."""
    said = "".join(f.message for f in found if f.key == "R-STRUCTURE.headings")
    if not said:
        return frozenset()
    if "标题顺序" in said:
        return frozenset(spec.section_ids)
    missing = {i for i, h in enumerate(spec.headings) if f"缺少标题“{h}”" in said}
    parts = {p for p in range(-1, len(spec.headings)) if p in missing or p + 1 in missing}
    return frozenset(s for s in spec.section_ids if SECTION_PART[s] in parts)


def length_findings(ctx: Context) -> Iterator[Finding]:
    if ctx.spec.id not in FORMATS or ctx.unplaced & set(overview_ids(ctx.spec)):
        return
    if ctx.requirements is not None and ctx.requirements.limits_overview(LIMIT):
        return  # the pack's own item on 一's length says it, with its notice (R-REQUIREMENT)
    n = overview_count(ctx.report)
    if n > LIMIT:
        yield make(
            "R-LENGTH", SCOPE, ctx.spec,
            note=f"共 {n} 字（按汉字和数字计，不计标题、标点和空白），超过{ctx.spec.document}“篇幅原则上不超过一千字”的要求 {n - LIMIT} 字",
        )

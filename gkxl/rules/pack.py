"""A requirement pack as data: its notice and items (what gkxl/packs.py reads from TOML; R-REQUIREMENT checks them in
gkxl/rules/requirements.py). No I/O."""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Severity
from ..formats.common import HEADINGS, SECTION_PART

KINDS = ("keywords", "number", "max_chars", "min_chars")
NEAR = 30  # a number item: characters after the noun where the number may stand
BEFORE = 6  # ... or between a number and unit standing before the noun
PARTS = {"一": 0, "五": 4, "六": 5}  # 一级标题 that hold narrative (二、三、四 are the tables)


@dataclass(frozen=True)
class Item:
    id: str
    text: str  # what is required, in words: shown in findings and beside the section in the 正文 sheet
    sections: tuple[str, ...]
    severity: Severity
    keywords: tuple[tuple[str, ...], ...] = ()
    number: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    max_chars: int | None = None
    min_chars: int | None = None
    line: int = 0  # where the item begins in its pack file

    @property
    def kind(self) -> str:
        if self.keywords:
            return "keywords"
        if self.number:
            return "number"
        return "max_chars" if self.max_chars is not None else "min_chars"


@dataclass(frozen=True)
class Pack:
    name: str
    notice: str
    items: tuple[Item, ...]
    formats: tuple[str, ...] = ()  # the report formats it applies to; empty: any
    source: str = ""

    def limits_overview(self, limit: int) -> bool:
        """Whether an item already limits all of 一、总体情况 to `limit` characters or fewer (R-LENGTH then yields)."""
        overview = section_ids(("一",))
        return any(i.max_chars is not None and i.max_chars <= limit and set(i.sections) == set(overview) for i in self.items)


def all_section_ids() -> tuple[str, ...]:
    return tuple(SECTION_PART)


def section_ids(names: tuple[str, ...]) -> tuple[str, ...]:
    """Section ids of the names an item gives (ids or 一级标题 numbers); unknown names are left out (the reader
    refuses them first)."""
    out: list[str] = []
    for n in names:
        if n in PARTS:
            out.extend(s for s, p in SECTION_PART.items() if p == PARTS[n])
        elif n in SECTION_PART:
            out.append(n)
    return tuple(dict.fromkeys(out))


def sections_in_words(sections: tuple[str, ...]) -> str:
    """"一、总体情况" for all of 一, else the headings of the sections."""
    for n, p in PARTS.items():
        if set(sections) == {s for s, q in SECTION_PART.items() if q == p}:
            return HEADINGS[p]
    from ..formats import get_format
    from ..formats.layout import section_title

    spec = get_format("2021")
    titles = {s.id: section_title(s) for s in spec.sections}
    return "、".join(titles[s] for s in sections)



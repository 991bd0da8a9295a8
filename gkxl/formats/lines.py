"""Where a table label may end a printed line, and the fewest even lines a label takes in a cell so many
characters wide: one source for the Word tables (gkxl/word/tables.py) and the workbook's (gkxl/excel/tables.py).

A line may end after punctuation or an ordinal (（三）, 一、, 1.), before an opening bracket, and where the label's one
definition marks a word boundary (LINE_BREAKS, see common.breakable); never inside a word, never leaving one
character alone. Pure: stdlib only.
"""

from __future__ import annotations

import re
from itertools import combinations

from .common import LINE_BREAKS

BREAK_AFTER = frozenset("、，；：。）”")
ORDINAL = re.compile(r"^(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+[.．])")
MAX_BREAKS = 5  # a label is never set in more than six lines (the search is over combinations of break points)


def em_width(text: str) -> float:
    """Printed width in characters of the label's size: Latin letters and digits are half a character."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def break_points(text: str) -> set[int]:
    """The positions (0 < i < len) before which a line of this label may end."""
    allowed = {i + 1 for i, ch in enumerate(text[:-1]) if ch in BREAK_AFTER}
    allowed |= {i for i, ch in enumerate(text) if ch == "（" and i > 0}
    ordinal = ORDINAL.match(text)
    if ordinal:
        allowed.add(ordinal.end())
    allowed |= set(LINE_BREAKS.get(text, ()))
    return {i for i in allowed if 0 < i < len(text)}


def label_lines(text: str, room: float) -> list[str]:
    """The label in as few lines as fit `room` characters, each ending at a break point and holding two characters
    or more; among the fewest lines the most even. A label that fits stays one line; one that cannot be broken so
    is returned whole (the renderer then wraps it; the column is too narrow for it)."""
    if em_width(text) <= room:
        return [text]
    allowed = sorted(break_points(text))
    for k in range(1, min(len(allowed), MAX_BREAKS) + 1):
        best = None
        for cut in combinations(allowed, k):
            bounds = (0, *cut, len(text))
            lines = [text[a:b] for a, b in zip(bounds, bounds[1:])]
            widths = [em_width(x) for x in lines]
            if max(widths) > room or min(len(x) for x in lines) < 2:
                continue
            score = max(widths) - min(widths)
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return [text]

"""R-TEXT-REPEAT: the narrative repeats last year's (similarity above 50 %, the threshold evaluators deduct at).

The measure: difflib.SequenceMatcher(autojunk=False).ratio() over characters, per narrative section and for the
whole narrative, after removing from both texts what every report of the format has to say alike — whitespace, the
statements of the tables' numbers that R-TEXT-NUMBER reads ("共收到政府信息公开申请5件", "未发生因政府信息公开引起的
行政复议和行政诉讼"), the headings, the tables' labels and the fixed wording of gkxl's drafted paragraphs — and every number (digits, with a
decimal point or a percent sign). A section shorter than MIN_CHARS after that is not compared (a one-line
"本年度无其他需要报告的事项" may stand every year), nor is the preamble, whose content is prescribed (the basis of
the report and its statistics period) and alike every year.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING

from ..drafting import Cat, IfZero, Items, Lit, Node, pieces
from ..formats import HEADINGS, TITLE_SUFFIX, Format
from ..formats.layout import section_title
from .context import make
from .text_numbers import PHRASES

if TYPE_CHECKING:
    from ..findings import Finding
    from ..model import Report
    from .context import Context

THRESHOLD = 0.5  # above it: 核实
MIN_CHARS = 40  # characters left after normalising; a shorter text is not compared
ALL = "all"
_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
_SPACE = re.compile(r"\s+")


def _literals(node: Node) -> Iterator[str]:
    if isinstance(node, Lit):
        yield node.text
    elif isinstance(node, Cat):
        for p in node.parts:
            yield from _literals(p)
    elif isinstance(node, IfZero):
        yield from _literals(node.zero)
        yield from _literals(node.other)
    elif isinstance(node, Items):
        for _, p in node.items:
            yield from _literals(p)


@lru_cache(maxsize=None)
def _fixed(spec: Format) -> re.Pattern[str]:
    """The fixed phrases of a format, longest first, as one pattern over normalised text."""
    phrases = {*HEADINGS, TITLE_SUFFIX, *(s.heading for s in spec.sections), *(section_title(s) for s in spec.sections)}
    for t in spec.tables:
        phrases.add(t.heading)
        phrases.update(lb.text for lb in t.labels)
        for f in t.fields:
            phrases.update(f.row_labels)
            phrases.update(f.col_labels)
            phrases.add(f.row_text)
    for piece in pieces(spec):
        phrases.update(_literals(piece.node))
        phrases.add(piece.incomplete)
    norm = {_SPACE.sub("", unicodedata.normalize("NFKC", p)) for p in phrases}
    kept = sorted((p for p in norm if len(p) >= 2), key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in kept))


def normalise(text: str, spec: Format) -> str:
    """The text as compared: NFKC, no whitespace, no statement of a table's number (the phrases R-TEXT-NUMBER reads,
    "收到政府信息公开申请5件"), no fixed phrase of the format, no number."""
    s = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    for phrase in PHRASES:
        s = phrase.pattern.sub("", s)
    s = _fixed(spec).sub("", s)
    return _NUMBER.sub("", s)


def similarity(a: str, b: str) -> float:
    """SequenceMatcher's ratio of two normalised texts (0 where either is empty)."""
    if not a or not b:
        return 0.0
    m = SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() <= THRESHOLD or m.quick_ratio() <= THRESHOLD:  # upper bounds: the ratio cannot exceed them
        return min(m.real_quick_ratio(), m.quick_ratio())
    return m.ratio()


PRESCRIBED = ("preamble",)


def _texts(report: Report, spec: Format) -> dict[str, str]:
    return {sid: normalise(report.narrative.get(sid) or "", spec) for sid in spec.section_ids if sid not in PRESCRIBED}


def repeat_findings(ctx: Context) -> Iterator[Finding]:
    if ctx.previous is None or not any((t or "").strip() for t in ctx.previous.narrative.values()):
        return
    spec = ctx.spec
    now, before = _texts(ctx.report, spec), _texts(ctx.previous, ctx.previous.spec)  # same section ids in every format
    sections = {s.id: s for s in spec.sections}
    pairs = [(sid, section_title(sections[sid]), now[sid], before.get(sid, "")) for sid in now]
    pairs.append((ALL, "全文", "".join(now.values()), "".join(before.values())))
    for scope, where, a, b in pairs:
        if len(a) < MIN_CHARS or len(b) < MIN_CHARS:
            continue
        ratio = similarity(a, b)
        if ratio > THRESHOLD:
            note = (
                f"与上年报告的相似度为 {ratio * 100:.1f}%，超过{THRESHOLD:.0%}"
                "（按字符比较，已去除标题、表格标签、陈述表格数字的说法、自动起草的固定用语和数字），请结合本年工作重新撰写"
            )
            yield make("R-TEXT-REPEAT", scope, spec, where=where, note=note)

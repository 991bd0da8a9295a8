"""Run-on text: a page's whole text on one line (as web archives and "select all" give it), or a section's
heading run into its first sentence ("…联系。一、总体情况2019年，我区…").

The six 一级 headings (and the title in front of the text) are found anywhere in a long line, in their order,
and the line is cut there, so that the rest of the importer sees each heading as a line of its own. A heading
inside running text must be written out (its ordinal and its words, whitespace and full/half width aside) or
differ from the official words by at most a character or two (a typo such as "行政法复议"); a mention without
its ordinal ("本报告包括总体情况、主动公开政府信息情况…") is never taken for a heading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ..formats import HEADINGS, TITLE_SUFFIX
from .labels import heading_ordinal, match_heading, norm, similarity
from .tokens import Token

RUNON_MIN = 60  # a line at least this long may hold a heading after its first characters
FUZZY_SIMILARITY = 0.85  # a heading inside running text with a typo: at least this similar to the official words
MAX_CANDIDATES = 300  # places a heading's number is tried at by the fuzzy search, at most, in a whole file
_TITLE_AHEAD = re.compile(r"^(?P<title>\S.{0,40}?(?:19|20)\d{2}年度?" + re.escape(TITLE_SUFFIX[1:]) + r")[\s\u3000]+(?=\S)")


def folded(text: str) -> tuple[str, list[int]]:
    """text folded character by character (NFKC), and for each folded character the index it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        f = unicodedata.normalize("NFKC", c)
        out.append(f)
        where.extend([i] * len(f))
    return "".join(out), where


_GAP_CHAR = r"[\s\u200b\ufeff“”\"'‘’「」『』]"
_GAP = _GAP_CHAR + "*"


def loose_parts(official: str) -> list[str]:
    """The official text as regular-expression pieces, one per character (see loose)."""
    s = norm(official)
    parts = []
    for n, c in enumerate(s):
        if c == "." and 0 < n <= 2 and s[:n].isdigit():
            parts.append(r"[.、,]")
        elif c in "、,;":
            parts.append(r"[、,;]")  # a converter's comma for the enumeration comma
        else:
            parts.append(re.escape(c))
    return parts


def loose(official: str) -> str:
    """A regular expression for an official text as printed in running text: whitespace and quote marks
    anywhere between its characters, "1、" for "1."; the text searched must be folded (see folded)."""
    return _GAP.join(loose_parts(official))


def _find_heading(text: str, heading: str, start: int, budget: list[int]) -> tuple[int, int] | None:
    """(start, end) in the folded text of the heading's first occurrence at or after start. `budget`: the places
    the fuzzy search may still try in this file (hostile input: a heading is among the first few hundred places
    its number stands, or nowhere; thousands of long lines must not each get their own few hundred)."""
    m = re.compile(loose(heading)).search(text, start)
    if m:
        return m.start(), m.end()
    ordinal = heading_ordinal(heading)
    rest = norm(heading)[len(ordinal):]
    best: tuple[float, int, int] | None = None
    for o in re.finditer(re.escape(ordinal), text[start:]):
        if budget[0] <= 0:
            break
        budget[0] -= 1
        a = start + o.end()
        for n in range(max(2, len(rest) - 2), len(rest) + 3):
            cand = text[a : a + n]
            if "\n" in cand or len(norm(cand)) != n:
                continue
            sim = similarity(norm(cand), rest)
            if sim >= FUZZY_SIMILARITY and (best is None or sim > best[0]):
                best = (sim, start + o.start(), a + n)
        if best:
            return best[1], best[2]
    return None


def split_runon(tokens: Sequence[Token], headings: Sequence[str] = HEADINGS) -> list[Token]:
    """Long lines cut at the title in front and at every 一级 heading found inside them, in order."""
    out: list[Token] = []
    nxt = 0  # the next heading to look for: headings come in order through the whole text
    budget = [MAX_CANDIDATES]
    for t in tokens:
        if t.cell or len(t.text) < RUNON_MIN:
            if not t.cell:
                for k in range(nxt, len(headings)):
                    if match_heading(t.text, headings[k]) is not None:
                        nxt = k + 1
                        break
            out.append(t)
            continue
        text = t.text
        pieces: list[str] = []
        m = _TITLE_AHEAD.match(text) if nxt == 0 else None
        if m:
            pieces.append(m.group("title"))
            text = text[m.end():]
        f, where = folded(text)
        cuts: list[tuple[int, int]] = []
        pos = 0
        for k in range(nxt, len(headings)):
            hit = _find_heading(f, headings[k], pos, budget)
            if hit is None:
                continue
            cuts.append(hit)
            pos = hit[1]
            nxt = k + 1
        at = 0
        for a, b in cuts:
            sa = where[a] if a < len(where) else len(text)
            sb = where[b - 1] + 1
            pieces.extend([text[at:sa], text[sa:sb]])
            at = sb
        pieces.append(text[at:])
        for p in pieces:
            if p.strip():
                out.append(Token(p.strip(), t.origin))
    return out

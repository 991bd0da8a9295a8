"""A table in plain text, whatever the text's shape, cut into its rows: each row label found, then its numbers.

Copied text comes in shapes the table matcher (tables.py) cannot walk token by token:

- run-on text: the whole table on one line, labels and digits run together ("…规章000行政规范性文件693665…");
- `pdftotext -layout` text: columns set by spaces, a row label wrapped over lines above and below its numbers
  ("（二）部分公开（区分处理的，只计这一情" / "447 7 0 0 0 0 454" / "形，不计其他情形）"), group labels printed
  down the side between the rows ("三、" "本" "年" … "（三）不" "予公开"), page numbers between rows.

Here the table's text is searched for the labels the spec puts directly before its fields (the row labels; for
a table whose fields follow its header, the end of the header), in the spec's order, anywhere in the text and
with whitespace anywhere inside them. What stands between one row label and the next is that row's cells:
numbers, with other labels of the table (group labels, captions, column headers), torn pieces of labels and page
numbers set aside. Anything else between two row labels makes the row unreadable (its raw text is kept). The
result is a list of tokens, one label and one run of numbers per row, which the table matcher then places: a
row whose numbers ran together goes to the row-equation decoder (flat.py); no number is placed by counting
across a row whose label was not found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..formats import Field, Label, Table
from .labels import ALIASES, norm, similarity
from .runon import _GAP, _GAP_CHAR, folded, loose_parts
from .tokens import Token

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
# A number standing alone between whitespace, as a cell of a layout row inside a wrapped label.
_ALONE = r"(?<=\s)[-+]?\d[\d.,]*(?=\s)"
_PUNCT = re.compile(r"[()\[\]【】:;,.、。]+")
_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)*$")
_PLACEHOLDER = re.compile(r"^(?:[/／—–－\-]+|无)$")
TYPO_SIMILARITY = 0.75
TYPO_MARGIN = 0.15


@dataclass
class _Hit:
    k: int  # index of the label in the table's items
    start: int
    end: int
    absorbed: list[str]  # numbers found inside the label's text (a layout row wrapped around its numbers)
    holes: tuple[tuple[int, int], ...] = ()  # where those numbers stand


def _items(table: Table) -> list[Label | Field]:
    return sorted([*table.labels, *table.fields], key=lambda x: (x.row, x.col))


def _pattern(text: str, absorb: bool) -> re.Pattern:
    """The label's loose pattern; in layout text numbers standing alone may sit between its words (never in
    its item number "1." or before its first word)."""
    parts = loose_parts(text)
    if not absorb:
        return re.compile(_GAP.join(parts))
    head = 1
    while head < len(parts) and not re.match(r"[\u4e00-\u9fff]", parts[head - 1]):
        head += 1
    sep = f"(?:{_GAP_CHAR}|{_ALONE})*"
    return re.compile(_GAP.join(parts[:head]) + "".join(sep + p for p in parts[head:]))


def _variants(text: str) -> list[str]:
    out = [text]
    out += [alias for alias, official in ALIASES.items() if norm(text) == official]
    return out


def _search(text: str, label: str, start: int, end: int, absorb: bool) -> _Hit | None:
    best = None
    for v in _variants(label):
        m = _pattern(v, absorb).search(text, start, end)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    inner = [m for m in re.finditer(_ALONE, text[: best.end()]) if m.start() > best.start()]  # not its item number
    return _Hit(-1, best.start(), best.end(), [m.group(0) for m in inner], tuple(m.span() for m in inner))


def segment(table: Table, tokens: Sequence[Token]) -> list[Token]:
    """The table's text as tokens for the matcher: per row found, its label and its numbers (see module doc)."""
    lines = [t for t in tokens if t.text.strip() and not PAGE_NUMBER.match(t.text.replace("\f", ""))]
    if not lines:
        return []
    items = _items(table)
    anchors = [k for k, x in enumerate(items) if isinstance(x, Label) and k + 1 < len(items) and isinstance(items[k + 1], Field)]
    if len(lines) > 1:
        lines = _untorn(lines, items, anchors)
    lines = [Token(t.text.replace("|", "  ").replace("｜", "  ").replace("\t", "  "), t.origin) for t in lines]  # cells as columns
    raw = "\n".join(t.text.replace("\f", "\n") for t in lines) + "\n"
    starts, at = [], 0
    for t in lines:
        starts.append(at)
        at += len(t.text) + 1
    text, where = folded(raw)
    layout = "\n" in raw.strip()

    def origin(pos: int) -> str:
        src = where[min(pos, len(where) - 1)] if where else 0
        n = max(i for i, s in enumerate(starts) if s <= src)
        return lines[n].origin

    others = [x for k, x in enumerate(items) if isinstance(x, Label) and k not in anchors]
    hits: list[_Hit] = []
    pos = 0
    for k in anchors:
        lab = items[k]
        if lab.role == "label":
            hit = _search(text, lab.text, pos, len(text), layout)
        else:
            hit = _header_end(text, [x for x in items[: k + 1] if isinstance(x, Label) and x.role != "label"], pos)
        if hit is None:
            continue
        hit.k = k
        hits.append(hit)
        pos = hit.end
    hits = _recover(items, anchors, hits, text, layout)
    hits = _out_of_order(items, anchors, hits, text, layout)
    by_place = sorted(hits, key=lambda h: h.start)
    ends = {id(h): (by_place[n + 1].start if n + 1 < len(by_place) else len(text)) for n, h in enumerate(by_place)}
    # Row labels stacked with nothing between them ("5.属于三类内部事务信息" / "1.本机关不掌握相关政府信息" / numbers):
    # the numbers after the second may be the first's; the second row is not read (nor is the first: it has none).
    stacked = {
        id(b) for a, b in zip(by_place, by_place[1:])
        if items[a.k].role == "label" and not a.absorbed and not re.search(r"\d", text[a.end : b.start])
    }
    out: list[Token] = []
    for hit in sorted(hits, key=lambda h: h.k):  # the matcher walks the rows in the spec's order
        end = ends[id(hit)]
        if id(hit) in stacked:
            out.append(Token(" ".join(raw[where[hit.start] : where[min(end, len(where)) - 1] + 1].split()), origin(hit.start)))
            out.append(Token("（行标签与上一行的行标签相连，数值无法确定属于哪一行）", origin(hit.start)))
            continue
        cut, at = [], hit.start
        for a, b in [*hit.holes, (hit.end, hit.end)]:
            cut.append(raw[where[at] : where[a - 1] + 1] if a > at else "")
            at = b
        label_raw = " ".join(cut)
        out.append(Token(" ".join(label_raw.split()), origin(hit.start)))
        out.extend(_cells(text, hit, end, others, items, last=hit is by_place[-1], origin=origin(hit.end), runon=not layout))
    return out


_CHUNK = re.compile(r"\S+(?:[ \u3000]\S+)*")


def _untorn(lines: list[Token], items, anchors: Sequence[int]) -> list[Token]:
    """Layout text: the pieces of a group label printed down the side ("（六）其" … "他处理") taken out of the
    lines, where they would stand inside a row label wrapped over those lines. A piece is taken out when it is
    part of a group label and of no row label, and no number follows it on its line."""
    groups = [norm(x.text) for x in items if isinstance(x, Label) and x.role == "label" and x.rowspan >= 2]
    rows = [norm(items[k].text) for k in anchors]
    out: list[Token] = []
    for t in lines:
        chunks = list(_CHUNK.finditer(t.text))
        keep = []
        for n, c in enumerate(chunks):
            w = norm(c.group(0))
            nxt = chunks[n + 1].group(0) if n + 1 < len(chunks) else ""
            torn = (
                not re.search(r"\d", w)
                and any(w in g and w != g for g in groups)
                and not any(w in r for r in rows)
                and (not nxt or not re.search(r"\d", nxt))
            )
            if not torn:
                keep.append(c.group(0))
        if keep:
            out.append(Token("  ".join(keep), t.origin) if len(keep) != len(chunks) else t)
    return out


def _header_end(text: str, headers: Sequence[Label], pos: int) -> _Hit | None:
    """The end of a table's header: the last header label found before the first numbers after a header."""
    found = []
    for lab in headers:
        for m in _pattern(lab.text, False).finditer(text, pos):
            found.append((m.start(), m.end()))
    if not found:
        return None
    found.sort()
    last = found[0]
    for a, b in found[1:]:
        if re.search(r"\d", text[last[1] : a]):
            break
        if b > last[1]:
            last = (a, b)
    return _Hit(-1, last[0], last[1], [])


def _recover(items, anchors: Sequence[int], hits: list[_Hit], text: str, layout: bool) -> list[_Hit]:
    """Row labels not found as written: a misspelt label (clearly the most like the one expected there), and a
    group printed as one row where the spec has sub-items (its sub-item labels all absent)."""
    found = {h.k for h in hits}
    out: list[_Hit] = []
    for n, hit in enumerate([*hits, None]):
        prev_end = out[-1].end if out else 0
        stop = hit.start if hit else len(text)
        prev_k = out[-1].k if out else -1
        upto = hit.k if hit else len(items)
        gap = [k for k in anchors if prev_k < k < upto and k not in found]
        if gap:
            extra = _group_row(items, gap, text, prev_end, stop, layout) or _misspelt_row(items, anchors, gap, text, prev_end, stop)
            if extra:
                out.append(extra)
        if hit:
            out.append(hit)
    return out


def _out_of_order(items, anchors: Sequence[int], hits: list[_Hit], text: str, layout: bool) -> list[_Hit]:
    """Row labels printed out of the spec's order (a converter putting a table's last rows before its first):
    each one not found in order is looked for anywhere outside the labels found; its cells are still what
    follows it up to the next label."""
    found = {h.k for h in hits}
    out = list(hits)
    for k in anchors:
        lab = items[k]
        if k in found or lab.role != "label":
            continue
        pos = 0
        while pos < len(text):
            hit = _search(text, lab.text, pos, len(text), layout)
            if hit is None:
                break
            if not any(h.start < hit.end and hit.start < h.end for h in out):
                hit.k = k
                out.append(hit)
                break
            pos = hit.start + 1
    return out


def _group_row(items, gap: Sequence[int], text: str, start: int, stop: int, layout: bool) -> _Hit | None:
    """A group label (（六）其他处理) whose sub-item rows are all missing, found where they should stand."""
    for k, x in enumerate(items):
        if not (isinstance(x, Label) and x.role == "label" and x.rowspan >= 2):
            continue
        subs = [g for g in gap if isinstance(items[g], Label) and x.row <= items[g].row < x.row + x.rowspan and items[g].col > x.col]
        all_subs = [
            j for j, y in enumerate(items)
            if isinstance(y, Label) and y.role == "label" and x.row <= y.row < x.row + x.rowspan and y.col > x.col
        ]
        if not subs or sorted(subs) != sorted(all_subs):
            continue
        hit = _search(text, x.text, start, stop, layout)
        if hit:
            hit.k = k
            return hit
    return None


def _bare(s: str) -> str:
    return re.sub(r"^(\d+\.|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)", "", s)


def _misspelt_row(items, anchors: Sequence[int], gap: Sequence[int], text: str, start: int, stop: int) -> _Hit | None:
    """One missing row label printed with a typo: a run of text between the rows, with the expected item number,
    clearly more like this label than like any other label of the table."""
    if len(gap) != 1:
        return None
    k = gap[0]
    want = norm(items[k].text)
    number = re.match(r"^(\d+)\.", want)
    body = _bare(want)
    for m in re.finditer(r"[^\d\s.,、]{4,}", text[start:stop]):
        a, b = start + m.start(), start + m.end()
        cand = norm(text[a:b])
        if number:
            pre = re.search(re.escape(number.group(1)) + r"[.、,]" + _GAP + "$", text[start:a])
            if not pre:
                continue
            a = start + pre.start()
        sims = sorted(((similarity(cand, _bare(norm(items[j].text))), j) for j in anchors if isinstance(items[j], Label)), reverse=True)
        best, j = sims[0]
        second = sims[1][0] if len(sims) > 1 else 0.0
        if j == k and similarity(cand, body) >= TYPO_SIMILARITY and best - second >= TYPO_MARGIN:
            return _Hit(k, a, b, [])
    return None


def _cells(text: str, hit: _Hit, end: int, others: Sequence[Label], items, *, last: bool, origin: str, runon: bool) -> list[Token]:
    """The numbers of one row: what stands between its label and the next row label found."""
    span = text[hit.end : end]
    cleaned = span
    own = items[hit.k]  # the row's own label repeated beside its numbers (a converter's "| 1.属于国家秘密 | 3 | …")
    for lab in [own, *sorted(others, key=lambda x: -len(norm(x.text)))]:  # the longest first: "其他" is in "（六）其他处理"
        cleaned = _pattern(lab.text, False).sub(lambda m: " " * len(m.group(0)), cleaned)
    # torn pieces may belong to the row's own label or to a label that is no row's (group, caption, header);
    # a piece of another row's label means that row's text is here too, and the row is not read
    pieces = [norm(x.text) for x in [own, *others]]
    lines: list[list[str]] = [list(hit.absorbed)] if hit.absorbed else []
    bad = ended = False
    split = cleaned.split("\n")
    for at, line in enumerate(split):
        words: list[str] = []
        for w in line.split():
            w = w.strip("“”\"'‘’「」『』")
            if not w:
                continue
            if _NUMBER.match(w) or _PLACEHOLDER.match(w):
                words.append(w)
            elif _label_piece(w, pieces):
                continue  # a torn piece of a label (a layout column printed down the side), or brackets around one
            elif last:
                ended = True  # the table has ended: what follows is the report's text
                break
            else:
                bad = True
                break
        if words:
            lines.append(words)
        if ended and any(re.fullmatch(r"[\s\d.,/—-]*\d[\s\d.,/—-]*", x) for x in split[at + 1 :]):
            bad = True  # more cells after the table's text: another table's (its heading not found), or this one's?
        if bad or ended:
            break
    if bad:  # the raw text, and a word saying why, so that no cell takes it for its value
        return [Token(" ".join(span.split()), origin), Token("（行标签之后有不属于本行的文字）", origin)]
    if not lines:
        return []
    group = items[hit.k]
    single = isinstance(group, Label) and group.rowspan >= 2  # a group printed as one row: one token per column
    if len(lines) == 1:
        words = lines[0]
        if runon and all(w.isdigit() for w in words) and not single:
            # Run-on text: the numbers may have run together; the row-equation decoder reads them.
            return [Token(" ".join(words), origin)]
        # Text in lines (pdftotext -layout): one number per cell, a blank cell is simply not there, so numbers
        # are never split and a row with fewer numbers than cells is not read (each token is one cell).
        return [Token(w, origin, cell=not runon) for w in words]
    if all(len(words) == 1 for words in lines):
        # Numbers on lines of their own: each line is one cell (a missing one is missing, never split out of another).
        return [Token(words[0], origin, cell=True) for words in lines]
    if all(len(words) > 1 for words in lines):
        # A row set over several lines (a layout row wrapped, a table printed in parts under its sub-headings):
        # one number per cell, in reading order.
        return [Token(w, origin, cell=True) for words in lines for w in words]
    # Lines of one cell each, but one holding two numbers ("4 1"): two cells run together, or one cell? Each
    # line stays one cell, and the cell holding two numbers is not read.
    return [Token(" ".join(words), origin, cell=True) for words in lines]


def _label_piece(word: str, pieces: Sequence[str]) -> bool:
    """A word that is part of one of the table's labels (a torn piece, a label repeated beside its numbers by a
    converter, "1.属于国家秘密" included), or only brackets and punctuation around one."""
    w = norm(word)
    bare = re.sub(r"^\d{1,2}\.(?=\D)", "", w)
    if re.search(r"\d", bare):
        return False
    return any(w in p or bare in p for p in pieces) or bool(_PUNCT.fullmatch(w)) or _pieced(bare, tuple(pieces))


def _pieced(w: str, pieces: tuple[str, ...]) -> bool:
    """A word made of pieces of labels run together, each of two characters at least ("维持纠正结果审结": the
    header cells of a layout printed on one line)."""
    if len(w) < 4 or len(w) > 60:
        return False
    ok = [True] + [False] * len(w)
    for i in range(len(w)):
        if not ok[i]:
            continue
        for j in range(i + 2, len(w) + 1):
            if any(w[i:j] in p for p in pieces):
                ok[j] = True
            else:
                break
    return ok[-1]

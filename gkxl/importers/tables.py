"""The one table matcher: walks a format's table as the spec declares it and places the published cells.

The spec's labels and fields, in reading order (grid row, then column), are what a published table shows in
order too, whatever the source (copied text, HTML or Word: a merged cell appears once, where it starts). Every
label found is an anchor; the cells between two anchors must be exactly the fields the spec puts between them,
following a row label that was found. Anything else is listed as unreadable with its raw text, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..formats import Field, Kind, Label, Table
from ..values import PLACEHOLDERS
from .flat import BLANK_POSSIBLE, decode_row, flat_digits, flat_pieces
from .labels import canon, could_start, label_variant, norm, similarity
from .result import Collector, Unreadable, raw_of, span_of
from .text_table import segment
from .tokens import Token

MAX_JOIN = 4  # a label broken across at most this many lines or cells
_NUMBERISH = re.compile(r"^[\s\d０-９+\-－.．,，%％]*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")

Item = Label | Field


def read_table(table: Table, tokens: Sequence[Token], out: Collector) -> bool:
    """Place the published cells of one table; False when none of its labels was found at all.

    Plain text is read two ways, token by token (one cell or one row per line) and cut into rows by its labels
    (run-on and layout text, see text_table.py); the reading that places more cells is kept, and a cell the two
    readings place differently is not read at all."""
    if any(t.cell for t in tokens):
        return _read(table, [t for t in tokens if t.cell], out)  # HTML and Word: the paragraphs around a table are not its cells
    labels = [x for x in table.labels]
    tries: list[tuple[bool, Collector]] = []
    for toks in (_strip_trailing_prose(_split_label_values(list(tokens), labels), labels), segment(table, tokens)):
        c = Collector(out.spec)
        tries.append((_read(table, toks, c), c))
    ids = {f.id for f in table.fields}
    placed = [(len(ids & c.trace.keys()), found) for found, c in tries]  # more cells placed; else the table found
    best = 1 if placed[1] > placed[0] else 0
    found, chosen = tries[best]
    other = tries[1 - best][1]
    clash = [f for f in table.fields if f.id in chosen.values and f.id in other.values and chosen.values[f.id] != other.values[f.id]]
    for f in clash:
        del chosen.values[f.id]
        del chosen.trace[f.id]
    if clash:
        chosen.unplaced(clash, "按行读取与按单元格读取的结果不一致", " | ".join(other.trace[f.id].raw for f in clash[:1]), other.trace[clash[0].id].origin)
    _add_rows(table, chosen, other)
    out.absorb(chosen)
    return found


def _add_rows(table: Table, chosen: Collector, other: Collector) -> None:
    """Whole rows the other reading placed and the chosen one did not place at all: taken over, with the chosen
    reading's findings and unreadable entries for them withdrawn."""
    for fields in table.rows:
        ids = [f.id for f in fields]
        if any(i in chosen.trace for i in ids) or not all(i in other.trace for i in ids):
            continue
        for i in ids:
            if i in other.values:
                chosen.values[i] = other.values[i]
            chosen.trace[i] = other.trace[i]
        chosen.blank += sum(1 for i in ids if i not in other.values)
        chosen.findings = [x for x in chosen.findings if not (x.rule == "R-VALUE" and x.scope in ids)]
        heads = (f"{table.name} {fields[0].row_text}：", f"{table.name} {fields[0].row_text} / ")
        chosen.unreadable = [u for u in chosen.unreadable if not u.what.startswith(heads)]


def _read(table: Table, tokens: Sequence[Token], out: Collector) -> bool:
    items: list[Item] = sorted([*table.labels, *table.fields], key=lambda x: (x.row, x.col))
    anchor, anchor_tokens, pending = -1, [], []
    found = False
    i = 0
    while i < len(tokens):
        m = _match(tokens, i, items, anchor + 1)
        if m is None:
            pending.append(tokens[i])
            i += 1
            continue
        k, n, kind = m
        _flush(table, items, anchor, k, anchor_tokens, pending, out)
        if kind:
            official = items[k].text
            out.variant(kind, f"“{' '.join(''.join(t.text.split()) for t in tokens[i:i + n])}”→“{official}”" if kind != "空格或换行" else f"“{official}”")
        anchor, anchor_tokens, pending = k, tokens[i : i + n], []
        found = True
        i += n
    if not found:
        return False
    _flush(table, items, anchor, len(items), anchor_tokens, pending, out)
    return True


def _valueish(text: str) -> bool:
    s = "".join(text.split())
    return s in PLACEHOLDERS or bool(_NUMBERISH.match(s))


def _match(tokens: Sequence[Token], i: int, items: Sequence[Item], start: int) -> tuple[int, int, str] | None:
    """The nearest label at or after items[start] that tokens[i:] begin with: (index, tokens used, variant kind)."""
    tok = tokens[i]
    if _valueish(tok.text):
        return None
    candidates = [k for k in range(start, len(items)) if isinstance(items[k], Label)]
    for k in candidates:
        kind = label_variant(tok.text, items[k].text)
        if kind is not None:
            return k, 1, kind
    # A label broken over several lines or cells: join while the text so far can still begin a label.
    joined = tok.text
    for n in range(2, MAX_JOIN + 1):
        if not any(could_start(canon(joined), items[k].text) or could_start(norm(joined), items[k].text) for k in candidates):
            return _misspelt(tok.text, items, candidates)
        if i + n - 1 >= len(tokens) or _valueish(tokens[i + n - 1].text):
            return None
        joined += tokens[i + n - 1].text
        for k in candidates:
            if label_variant(joined, items[k].text) is not None:
                return k, n, "跨行"
    return _misspelt(tok.text, items, candidates)


TYPO_SIMILARITY = 0.75  # a misspelt row label ("其他法律行政止公开") is at least this similar to the official one
TYPO_MARGIN = 0.15  # … and this much more similar than to any other label of the table
TYPO_NEXT = 2  # … and one of the next row labels expected


def _misspelt(text: str, items: Sequence[Item], candidates: Sequence[int]) -> tuple[int, int, str] | None:
    """A row label with a typo: clearly the most similar of the table's labels, and one of the next expected."""
    a = _bare(norm(text))
    if len(a) < 5 or not _CJK.search(a):
        return None
    scores = sorted(((similarity(a, _bare(canon(items[k].text))), k) for k in candidates), reverse=True)
    if not scores:
        return None
    best, k = scores[0]
    second = scores[1][0] if len(scores) > 1 else 0.0
    rows = [c for c in candidates if items[c].role == "label"][:TYPO_NEXT]
    if best >= TYPO_SIMILARITY and best - second >= TYPO_MARGIN and k in rows:
        number = re.match(r"^(\d+)\.", norm(text))
        official = re.match(r"^(\d+)\.", canon(items[k].text))
        if number and (not official or number.group(1) != official.group(1)):
            return None
        return k, 1, "错字"
    return None


def _bare(s: str) -> str:
    """A normalised label without its item number ("2.其他…" → "其他…")."""
    return re.sub(r"^(\d+\.|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)", "", s)


def _flush(table: Table, items: Sequence[Item], anchor: int, nxt: int, anchor_tokens, pending: list[Token], out: Collector) -> None:
    """Place the cells read between the label items[anchor] and the next label found, items[nxt]."""
    span = items[anchor + 1 : nxt]
    fields = [x for x in span if isinstance(x, Field)]
    raw, origin = raw_of([*anchor_tokens, *pending]), span_of([*anchor_tokens, *pending])
    if not fields:
        numbers = [t for t in pending if t.text.strip() and _valueish(t.text)]
        if numbers:
            out.unreadable.append(_extra(table, items, anchor, numbers))
        elif any(t.text.strip() for t in pending):
            out.notes.append(f"{table.name}中未识别的文字（未读入）：{raw_of([t for t in pending if t.text.strip()])}（{span_of(pending)}）")
        return
    run: list[Field] = []
    for x in span:
        if isinstance(x, Label) and x.role == "label":
            break  # a row label: the cells after it are another row's (captions and headers are not rows)
        if isinstance(x, Field):
            run.append(x)
    rest = fields[len(run) :]
    missing_labels = [x for x in span if isinstance(x, Label) and x.role == "label"]
    if run and len(pending) == len(run):
        for fld, tok in zip(run, pending):
            out.place(fld, tok)
        if rest:
            out.unplaced(rest, "表格中没有这一行", "", origin)
        return
    if run and not rest and len(pending) == 1 and not pending[0].cell and len(run) > 1:
        digits = flat_digits([t.text for t in pending])
        pieces = flat_pieces([t.text for t in pending])
        if digits is not None and len(pieces) == len(run):  # one line, the cells separated by spaces
            for fld, piece in zip(run, pieces):
                out.place(fld, Token(piece, pending[0].origin))
            if rest:
                out.unplaced(rest, "表格中没有这一行", "", origin)
            return
        if digits is not None:
            _flat_row(run, pending, out)
            if rest:
                out.unplaced(rest, "表格中没有这一行", "", origin)
            return
    group = items[anchor] if anchor >= 0 else None
    if not run and _one_row_group(group, fields, len(pending)):
        _place_group(table, group, fields, pending, out)
        return
    if run and not (rest and len(pending) == len(fields)):
        reason = f"应有{len(run)}个数值，读到{len(pending)}个（单元格缺失或连在一起）"
    elif missing_labels:
        reason = f"未找到行标签“{missing_labels[0].text}”，数值无法对应到行"
    else:
        reason = "数值无法对应到行"
    out.unplaced(fields, reason, raw, origin)


def _flat_row(run: Sequence[Field], pending: Sequence[Token], out: Collector) -> None:
    """A row whose digits ran together: read only when the row's own equations leave exactly one reading."""
    raw, origin = raw_of(pending), span_of(pending)
    digits = flat_digits([t.text for t in pending]) or ""
    d = decode_row(out.spec, run, digits, flat_pieces([t.text for t in pending]))
    rules = "、".join(dict.fromkeys(eq.rule for eq in d.equations))
    if d.values is not None:
        if d.equations:
            note = f"数字连在一起（原文“{raw}”），按本行的等式（{rules}：总计 = 各项之和）只有一种读法；该等式因此不能作为这些单元格的检查依据"
        else:
            note = f"数字连在一起（原文“{raw}”），{len(digits)}位数字只有一种拆分方式"
        out.variant("连写" if d.equations else "连写唯一", f"{out.spec.table_of[run[0].id].name} {run[0].row_text}“{raw}”")
        for fld, v in zip(run, d.values):
            out.decoded(fld, v, raw, origin, note)
        return
    if any(f.kind is not Kind.COUNT for f in run):
        why = "该行有可为负数或小数的单元格，连在一起时无法拆分"
    elif d.readings == -1:
        why = "可能的读法过多"
    elif d.readings == BLANK_POSSIBLE:
        why = "本行没有合计等式，这些数字也可能是少数几个单元格的数、其余单元格空白"
    elif d.readings == 0:
        if len(digits) < len(run):
            why = f"只有{len(digits)}位数字，少于{len(run)}个单元格"
        else:
            why = "没有一种拆分能使本行的等式成立" if d.equations else "数字个数与单元格数不符"
    elif d.equations:
        why = f"按本行的等式（{rules}）仍有{d.readings}种可能的读法"
    else:
        why = f"本行没有合计等式，有{d.readings}种可能的读法"
    out.unplaced(run, f"数字连在一起，无法确定各单元格（{why}）", raw, origin)


def _one_row_group(group: Item | None, fields: Sequence[Field], n: int) -> bool:
    """A group label (e.g. （六）其他处理) published as one row where the spec has several sub-item rows."""
    if not isinstance(group, Label) or group.role != "label" or group.rowspan < 2:
        return False
    rows = {f.row for f in fields}
    if rows != set(range(group.row, group.row + group.rowspan)):
        return False
    widths = {sum(1 for f in fields if f.row == r) for r in rows}
    return widths == {n}


def _place_group(table: Table, group: Label, fields: Sequence[Field], pending: Sequence[Token], out: Collector) -> None:
    """Each column of a one-row group: 0 makes every sub-item 0 (counts are never negative); blank stays blank;
    any other number cannot be split between the sub-items and is unreadable."""
    out.variant("一行", f"{table.name}“{group.text}”只有一行，没有分项（2019年试行格式的写法）")
    cols = sorted({f.col for f in fields})
    for col, tok in zip(cols, pending):
        cells = [f for f in fields if f.col == col]
        text = tok.text
        s = "".join(text.split())
        if s in PLACEHOLDERS:
            for f in cells:
                out.place(f, tok, note=f"“{group.text}”只有一行，空白按未填写处理")
        elif norm(text) in ("0", "0.0"):
            for f in cells:
                out.place(f, tok, note=f"“{group.text}”只有一行，为0，各分项均为0")
        else:
            reason = f"“{group.text}”只有一行（{s}），无法拆分到各分项"
            column = " ".join(cells[0].col_labels)
            out.unplaced(cells, reason, text, tok.origin, what=f"{table.name} {group.text} / {column}：{reason}")


def _extra(table: Table, items: Sequence[Item], anchor: int, numbers: Sequence[Token]) -> Unreadable:
    after = f"“{items[anchor].text}”之后" if anchor >= 0 else "开头"
    return Unreadable(f"{table.name}{after}有多出的数字，不属于任何单元格", raw_of(numbers), span_of(numbers))


_TRAILING_DIGITS = re.compile(r"^(?P<label>.*?[^\d\s.．,，])[\s\u00a0\u3000]*(?P<digits>\d[\d\s\u00a0\u3000]*)$")


def _split_label_values(tokens: list[Token], labels: Sequence[Label]) -> list[Token]:
    """Copied text: a row label and its digits on one line ("（一）予以公开 230 000023") are two tokens, when the
    text before the digits is one of the table's labels."""
    out: list[Token] = []
    for t in tokens:
        m = _TRAILING_DIGITS.match(t.text.strip())
        if m and any(label_variant(m.group("label"), lb.text) is not None for lb in labels):
            out.append(Token(m.group("label"), t.origin))
            out.append(Token(m.group("digits").strip(), t.origin))
        else:
            out.append(t)
    return out


def _prose(text: str) -> bool:
    """A sentence rather than a cell: several Chinese characters, or a full stop ("251000元" is a cell)."""
    return len(_CJK.findall(text)) >= 4 or text.rstrip().endswith("。")


def _strip_trailing_prose(tokens: list[Token], labels: Sequence[Label]) -> list[Token]:
    """Copied text: sentences after a table's last row belong to the narrative, not to the last row's cells."""
    while tokens:
        t = tokens[-1]
        if _valueish(t.text) or not _prose(t.text) or any(label_variant(t.text, lb.text) is not None for lb in labels):
            break
        tokens.pop()
    return tokens

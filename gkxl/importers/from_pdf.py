"""A PDF with a text layer (exported by Word, WPS or LibreOffice) → tokens, by geometry.

Library: pdfplumber (on pdfminer.six). pdfminer.six alone gives the positioned characters but no ruling lines
grouped into cells; pdfplumber adds exactly that (the table's edges → cell boxes, merged cells as one box)
and keeps each word's position, so a table is read as a grid of boxes, each value placed by where it stands,
never by counting the numbers on a line.

- Ruled tables (every official table is printed with borders): each cell box is one cell token, its text the
  words whose centre lies inside it (a label wrapped over two or three lines is one cell). Cells are given in
  reading order (row top, then left), a merged cell once where it starts, as HTML and Word cells are.
- A table crossing a page break: the continuation's repeated header rows are dropped, and the empty top part
  of a merged label cell split by the break is not a cell.
- Text outside tables: visual lines joined into paragraphs (a line that runs to the right margin continues on the
  next one that starts at the left margin); page numbers (“— 3 —”, “3”) and running lines are dropped.
- No text layer at all (a scan): one clear message.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import zlib
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from .tokens import Token

MAX_PAGES = 200
ROW_REACH = 22  # points: a caption row's height, less than the heading between two tables
SLIVER = 2.5  # points: a box this thin between two rules is no cell
# Fonts whose character map gives Kangxi radicals or compatibility ideographs for ordinary characters ("⼯作"
# for "工作", as Chromium's PDFs do): read as the characters a reader sees.
_RADICALS = {
    cp: unicodedata.normalize("NFKC", chr(cp))
    for cp in (*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00))
    if len(unicodedata.normalize("NFKC", chr(cp))) == 1 and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
}
_PAGE_NO = re.compile(r"^[-—–－―‒\s第]*\d{1,3}[-—–－―‒\s页]*$|^第\d{1,3}页(共\d{1,3}页)?$|^\d{1,3}/\d{1,3}$")
_VALUEISH = re.compile(r"^[\s\d０-９+\-－.．,，%％/—]*$")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


MAX_INFLATED = 200 * 1024 * 1024  # all of a PDF's streams, unpacked: a published report needs a few MB


class _TooLarge(Exception):
    pass


class _BoundedZlib:
    """zlib as pdfminer uses it, counting what it unpacks for the PDF being read: a compression bomb stops at
    MAX_INFLATED instead of filling the memory (pdfminer itself has no limit)."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    def __init__(self) -> None:
        self.used = 0

    def _count(self, n: int) -> None:
        self.used += n
        if self.used > MAX_INFLATED:
            raise _TooLarge

    def decompress(self, data, *args, **kwargs):
        d = zlib.decompressobj(*args[:1])
        out = d.decompress(data, MAX_INFLATED - self.used + 1)
        self._count(len(out))
        if d.unconsumed_tail:
            raise _TooLarge
        rest = d.flush()
        self._count(len(rest))
        return out + rest

    def decompressobj(self, *args, **kwargs):
        inner = zlib.decompressobj(*args, **kwargs)
        outer = self

        class _Obj:
            def decompress(self, data, max_length=0):
                out = inner.decompress(data, max_length) if max_length else inner.decompress(data)
                outer._count(len(out))
                return out

            def flush(self, *a):
                out = inner.flush(*a)
                outer._count(len(out))
                return out

            def __getattr__(self, name):
                return getattr(inner, name)

        return _Obj()


_ZLIB = _BoundedZlib()


def _bomb(exc: BaseException) -> bool:
    """Whether the limit stopped the reading (pdfplumber wraps what pdfminer raised)."""
    return _caused_by(exc, (_TooLarge,))


def _caused_by(exc: BaseException, kinds: tuple) -> bool:
    seen = 0
    e: BaseException | None = exc
    while e is not None and seen < 20:
        if isinstance(e, kinds) or any(isinstance(a, kinds) for a in getattr(e, "args", ())):
            return True
        e = e.__cause__ or e.__context__
        seen += 1
    return False


def _opening_error(exc: BaseException, source: str) -> InputError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if _bomb(exc):
        return InputError(f"PDF 解压后超过 {MAX_INFLATED // (1024 * 1024)} MB，不是正常的年度报告（可能是压缩炸弹）", file=source)
    if _caused_by(exc, (PDFPasswordIncorrect, PDFEncryptionError)):
        return InputError("PDF 文件已加密（需要密码），无法读取；请提供未加密的文件", file=source)
    return InputError(f"无法读取 PDF 文件（文件损坏或格式不受支持：{type(exc).__name__}）", file=source)


def pdf_tokens(path: Path) -> list[Token]:
    """Tokens of a PDF in reading order. A PDF without a text layer or that cannot be opened is an InputError."""
    import pdfminer.pdftypes
    import pdfplumber

    pdfminer.pdftypes.zlib = _ZLIB  # the one module of pdfminer that unpacks streams
    _ZLIB.used = 0
    source = str(path)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings about fonts are no message for a user
    try:
        pdf = pdfplumber.open(source)
    except Exception as exc:  # pdfminer raises many kinds for a damaged or encrypted file
        raise _opening_error(exc, source) from None
    try:
        with pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(f"PDF 超过 {MAX_PAGES} 页，不是政府信息公开工作年度报告", file=source)
            pages = [_read_page(p, n) for n, p in enumerate(pdf.pages, 1)]
            scanned = [n for n, p in enumerate(pdf.pages, 1) if _scanned_page(p, pages[n - 1][0])]
    except InputError:
        raise
    except Exception as exc:
        raise _opening_error(exc, source) from None
    if not any(words for words, _ in pages):
        raise InputError(_SCAN, file=source)
    tokens = _assemble(pages)
    # A scan with a few words typed on it (page numbers, a stamp's caption): its text is no report either.
    if len(scanned) * 2 >= len(pages) and not any(t.cell for t in tokens) and sum(len(t.text) for t in tokens) < SCAN_TEXT * len(pages):
        raise InputError(f"PDF 的{_page_list(scanned)}是整页图片（可能是扫描件），除页码等零星文字外没有文字层，无法读取；"
                         "请提供带文字的 PDF、网页或 Word 文档", file=source)
    return tokens


_SCAN = "PDF 中没有文字层（可能是扫描件或图片），无法读取；请提供带文字的 PDF、网页或 Word 文档"
SCAN_TEXT = 40  # characters a page: a scanned page may carry a page number or a caption typed on it, no more
SCAN_COVER = 0.5  # an image covering this much of a page is the page itself


def _scanned_page(page, chars: list[dict]) -> bool:
    """A page that is one picture (a scan): an image covers most of it and hardly any text is on it."""
    area = float(page.width) * float(page.height) or 1.0
    covered = max((max(0.0, float(i["x1"]) - float(i["x0"])) * max(0.0, float(i["bottom"]) - float(i["top"])) for i in page.images), default=0.0)
    return covered >= SCAN_COVER * area and len(chars) < SCAN_TEXT


def _page_list(numbers: list[int]) -> str:
    """"第1–3页", "第1、3页"."""
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
        return f"第{numbers[0]}–{numbers[-1]}页"
    return "第" + "、".join(map(str, numbers)) + "页"


class _Cell:
    __slots__ = ("x0", "top", "x1", "bottom", "text", "page", "row", "col", "rows", "text_top", "text_bottom", "line")

    def __init__(self, box, words: list[dict], page: int):
        self.x0, self.top, self.x1, self.bottom = box
        self.text = _cell_text(words)
        self.text_top = min((w["top"] for w in words), default=None)
        self.text_bottom = max((w["bottom"] for w in words), default=None)
        self.line = max((w["bottom"] - w["top"] for w in words), default=0)
        self.page = page
        self.row = self.col = 0
        self.rows = 1  # how many row levels of its table it spans


class _Table:
    def __init__(self, page: int, top: float, bottom: float, cells: list[_Cell]):
        self.page, self.top, self.bottom, self.cells = page, top, bottom, cells


class _Line:
    __slots__ = ("x0", "x1", "top", "bottom", "text", "size", "page")

    def __init__(self, words: list[dict], page: int):
        self.x0 = min(w["x0"] for w in words)
        self.x1 = max(w["x1"] for w in words)
        self.top = min(w["top"] for w in words)
        self.bottom = max(w["bottom"] for w in words)
        self.size = Counter(round(w.get("size", 0), 1) for w in words).most_common(1)[0][0]
        self.text = _join(words)
        self.page = page


def _join(words: list[dict]) -> str:
    """Words of one line: no space between CJK and anything (PDF producers put a gap around Latin digits)."""
    out = ""
    prev = None
    for w in sorted(words, key=lambda w: w["x0"]):
        t = w["text"]
        if prev is not None and out and not (_CJK.match(out[-1]) or _CJK.match(t[0])):
            out += " "
        out += t
        prev = w
    return out


def _white(color) -> bool:
    """A fill colour that is the paper's: gray 1, RGB (1, 1, 1) or CMYK (0, 0, 0, 0)."""
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not color or not all(isinstance(v, (int, float)) for v in color):
        return False
    if len(color) == 4:
        return all(v <= 0.02 for v in color)
    return all(v >= 0.98 for v in color)


def _invisible(obj: dict) -> bool:
    """A drawing nobody sees: neither stroked nor filled, or only white (stroke or fill) on the white page. WPS
    puts a white box behind every line of text and every table cell; their edges are no rules of any table."""
    if obj.get("object_type") not in ("rect", "curve", "line"):
        return False
    if obj.get("stroke") and not _white(obj.get("stroking_color")):
        return False
    return not obj.get("fill") or _white(obj.get("non_stroking_color"))


def _read_page(page, number: int):
    """A page's ruled tables (cells with their text, placed character by character) and its lines of text."""
    page = page.filter(lambda o: not _invisible(o))
    chars = [c for c in page.chars if c["text"].strip()]
    for c in chars:
        c["text"] = c["text"].translate(_RADICALS)
    tables: list[_Table] = []
    settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    try:
        first = page.find_tables(settings)
        found = first
        closing = _closing_rules(page, first)
        if closing:
            found = page.find_tables(dict(settings, explicit_horizontal_lines=closing))
        hs, vs = _frames(page, first)
        if hs or vs:  # a table drawn without its outer frame: the frame closes its outer cells
            framed = page.find_tables(dict(settings, explicit_horizontal_lines=closing + hs, explicit_vertical_lines=vs))
            if _cells_with_text(framed, chars) > _cells_with_text(found, chars):
                found = framed
    except Exception:  # a degenerate drawing: read the page as text
        found = []
    used: set[int] = set()
    for t in found:
        x0, top, x1, bottom = t.bbox
        boxes = t.cells
        inside: list[list[dict]] = [[] for _ in boxes]
        taken: list[int] = []
        # Each character goes to the cell its centre lies in: two numbers of neighbouring cells set close
        # together are never one number.
        for c in chars:
            cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
            if id(c) in used or not (x0 - 0.5 <= cx <= x1 + 0.5 and top - 0.5 <= cy <= bottom + 0.5):
                continue
            for k, box in enumerate(boxes):
                if box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                    inside[k].append(c)
                    taken.append(id(c))
                    break
        if len(boxes) > 1:  # one box around text is a frame, not a table: its text stays text
            used.update(taken)
            # a sliver between two rules drawn side by side (double borders) is no cell
            cells = [_Cell(box, _words(cs), number) for box, cs in zip(boxes, inside)
                     if cs or (box[2] - box[0] > SLIVER and box[3] - box[1] > SLIVER)]
            _grid(cells)
            tables.append(_Table(number, top, bottom, cells))
    free = _words([c for c in chars if id(c) not in used])
    lines = [_Line(ws, number) for ws in _rows(free)]
    items: list[tuple[float, object]] = [(ln.top, ln) for ln in lines] + [(t.top, t) for t in tables]
    items.sort(key=lambda x: x[0])
    return chars, [it for _, it in items]


def _words(chars: list[dict]) -> list[dict]:
    """Characters → words: on one line, a gap wider than a quarter of the type size separates two words."""
    out: list[dict] = []
    for line in _rows(chars):
        word: dict | None = None
        for c in sorted(line, key=lambda c: c["x0"]):
            gap = c["x0"] - word["x1"] if word else 0
            if word is not None and gap <= 0.25 * max(c.get("size", 10), 1):
                word["text"] += c["text"]
                word["x1"] = max(word["x1"], c["x1"])
                word["top"] = min(word["top"], c["top"])
                word["bottom"] = max(word["bottom"], c["bottom"])
                continue
            word = {"text": c["text"], "x0": c["x0"], "x1": c["x1"], "top": c["top"], "bottom": c["bottom"], "size": c.get("size", 0)}
            out.append(word)
    return out


def _closing_rules(page, found) -> list[dict]:
    """Where a table breaks across pages, producers draw no border at the break under a merged cell, and some
    (Chromium) none under the last row: its vertical rules run past the table found. A horizontal rule at the
    table's outer edge, or where those rules end, closes those cells."""
    vertical = [e for e in page.edges if e["orientation"] == "v"]
    out = []
    for t in found:
        x0, top, x1, bottom = t.bbox
        inside = [e for e in vertical if x0 - 1 <= e["x0"] <= x1 + 1]
        below = [e["bottom"] for e in inside if abs(e["top"] - bottom) < 1.5 and e["bottom"] > bottom + 3]
        above = [e["top"] for e in inside if abs(e["bottom"] - top) < 1.5 and e["top"] < top - 3]
        # WPS draws each column's rule in one stroke down the table's part on the page: where every rule that
        # reaches the table's last line runs on past it, the rows below have no line under them.
        below = below or _running_on(inside, top, bottom, down=True)
        above = above or _running_on(inside, top, bottom, down=False)
        # The table's own outer edges too: a merged cell split by a page break has no border at the break.
        low = _shared_end(below, max) or bottom
        high = _shared_end(above, min) or top
        for y in (low, high):
            out.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0, "object_type": "line"})
    return out


def _running_on(rules: list[dict], top: float, bottom: float, *, down: bool) -> list[float]:
    """Where the table's column rules end, when every rule reaching its bottom (down) or top line runs on past
    it (as WPS draws them); [] where any of them stops there (a merged cell's rules alone running on is no row)."""
    edge = bottom if down else top
    reaching = [e for e in rules if e["top"] <= edge + 1.5 and e["bottom"] >= edge - 1.5 and e["bottom"] - e["top"] > 3]
    if not reaching:
        return []
    on = [e for e in reaching if (e["bottom"] > edge + 3 if down else e["top"] < edge - 3)]
    xs = {round(e["x0"]) for e in reaching}
    if not all(any(abs(e["x0"] - x) <= 1.5 for e in on) for x in xs):
        return []
    return [e["bottom"] if down else e["top"] for e in on]


def _shared_end(ends: list[float], pick) -> float | None:
    """The farthest place (pick: max below, min above) where at least two rules end together: one stray rule
    running on is no edge of the table."""
    shared = [y for y in ends if sum(1 for z in ends if abs(z - y) <= 2) >= 2]
    return pick(shared) if shared else None


def _frames(page, found) -> tuple[list[dict], list[dict]]:
    """The sides of the frame round each table's whole drawing that no rule draws (a table styled without its
    outer frame). Starting from the cells found, every rule touching the table is taken in, and a full-width
    rule just above or below it (a caption row without a frame has no rule down). (horizontal, vertical)"""
    edges = page.edges
    hs, vs = [], []
    for t in found:
        x0, top, x1, bottom = t.bbox
        for _ in range(40):
            before = (x0, top, x1, bottom)
            for e in edges:
                across = e["orientation"] == "h" and e["x0"] <= x0 + 2 and e["x1"] >= x1 - 2
                reach = ROW_REACH if across else 2
                if e["x1"] >= x0 - 2 and e["x0"] <= x1 + 2 and e["bottom"] >= top - reach and e["top"] <= bottom + reach:
                    x0, top = min(x0, e["x0"]), min(top, e["top"])
                    x1, bottom = max(x1, e["x1"]), max(bottom, e["bottom"])
            if (x0, top, x1, bottom) == before:
                break
        for y in (top, bottom):
            if not _drawn(edges, "h", y, x0, x1):
                hs.append(_line(x0, y, x1, y))
        for x in (x0, x1):
            if not _drawn(edges, "v", x, top, bottom):
                vs.append(_line(x, top, x, bottom))
    return hs, vs


def _drawn(edges, orientation: str, at: float, lo: float, hi: float) -> bool:
    """Whether rules already draw (nearly all of) this side."""
    covered = 0.0
    for e in edges:
        if e["orientation"] != orientation:
            continue
        pos, a, b = (e["top"], e["x0"], e["x1"]) if orientation == "h" else (e["x0"], e["top"], e["bottom"])
        if abs(pos - at) <= 1.5:
            covered += max(0.0, min(b, hi) - max(a, lo))
    return covered >= 0.95 * (hi - lo)


def _line(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top, "object_type": "line"}


def _cells_with_text(tables, chars: list[dict]) -> int:
    """How many cells of these tables hold a character."""
    boxes = [b for t in tables for b in t.cells]
    hit = set()
    for c in chars:
        cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        for k, b in enumerate(boxes):
            if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]:
                hit.add(k)
                break
    return len(hit)


def _rows(words: list[dict]) -> list[list[dict]]:
    """Words grouped into visual lines by their vertical overlap, top to bottom."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines:
            last = lines[-1]
            top = min(x["top"] for x in last)
            bottom = max(x["bottom"] for x in last)
            mid = (w["top"] + w["bottom"]) / 2
            if top - 1 <= mid <= bottom + 1:
                last.append(w)
                continue
        lines.append([w])
    return lines


def _cell_text(words: list[dict]) -> str:
    return "\n".join(_join(ws) for ws in _rows(words))


def _grid(cells: list[_Cell]) -> None:
    """Row and column numbers (1-based) from the distinct cell tops and lefts; cells sorted in reading order."""
    tops = _levels([c.top for c in cells])
    lefts = _levels([c.x0 for c in cells])
    for c in cells:
        c.row = _level_of(tops, c.top)
        c.col = _level_of(lefts, c.x0)
        c.rows = max(1, sum(1 for t in tops if c.top - 1.5 <= t < c.bottom - 1.5))
    cells.sort(key=lambda c: (c.row, c.col))


def _levels(values: list[float], tol: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _level_of(levels: list[float], v: float) -> int:
    return min(range(len(levels)), key=lambda i: abs(levels[i] - v)) + 1


def _assemble(pages) -> list[Token]:
    """Page items → tokens: page furniture dropped, paragraphs joined, continued tables merged."""
    lines = [it for _, items in pages for it in items if isinstance(it, _Line)]
    furniture = _furniture(lines, pages)
    body = [ln for ln in lines if id(ln) not in furniture]
    left = _mode([round(ln.x0) for ln in body]) if body else 0
    right = max((ln.x1 for ln in body), default=0)
    unit = _mode([round(ln.size) for ln in body]) if body else 12
    steps = [round(b.top - a.top) for a, b in zip(body, body[1:]) if a.page == b.page and abs(a.size - b.size) < 0.6 and b.top > a.top]
    pitch = _mode(steps) if steps else 2 * unit  # the usual distance between two lines of a paragraph
    tokens: list[Token | tuple[int, list[_Cell]]] = []  # tables are made tokens at the end: a continuation
    para: list[_Line] = []                                # may still complete a cell of the part before it
    n_para = 0
    n_table = 0
    last_table: _Table | None = None
    since_table = 0  # body lines since the last table (a continuation follows with none between)

    def flush() -> None:
        nonlocal n_para
        if not para:
            return
        text = "".join(ln.text if i == 0 else _glue(para[i - 1].text, ln.text) for i, ln in enumerate(para))
        n_para += 1
        pg = para[0].page
        tokens.append(Token(text.strip(), f"第{pg}页第{n_para}段"))
        para.clear()

    for _, items in pages:
        for it in items:
            if isinstance(it, _Line):
                if id(it) in furniture:
                    continue
                since_table += 1
                if para and _continues(para[-1], it, left, right, unit, pitch):
                    para.append(it)
                else:
                    flush()
                    para.append(it)
                continue
            flush()
            table = it
            cells = table.cells
            if last_table is not None and since_table == 0 and table.page == last_table.page + 1:
                cells = _continuation(last_table, table)
            else:
                n_table += 1
            tokens.append((n_table, cells))
            last_table = table
            since_table = 0
    flush()
    blank = _blank_label_cells([t for t in tokens if not isinstance(t, Token)])
    out: list[Token] = []
    for t in tokens:
        if isinstance(t, Token):
            out.append(t)
        else:
            k, cells = t
            out.extend(Token(c.text, f"第{c.page}页 表格{k} 第{c.row}行第{c.col}列", cell=True) for c in cells if id(c) not in blank)
    return out


def _blank_label_cells(parts: list[tuple[int, list[_Cell]]]) -> set[int]:
    """Empty cells in a table's label columns: no value stands there in any official table, so they are no
    cells to read. WPS tables give the single （六）其他处理 row and the （七）总计 row an empty sub-item cell
    beside the label where the official table spans the label across it; read as a blank value, it would shift
    the row's numbers by one. The label columns are those left of every number of the table and, in the rows
    holding numbers, under a label's text: a blank value column left of the numbers stays a (blank) value."""
    by_table: dict[int, list[_Cell]] = {}
    for k, cells in parts:
        by_table.setdefault(k, []).extend(cells)
    out: set[int] = set()
    for cells in by_table.values():
        edge = _label_edge(cells)
        if edge is not None:
            out.update(id(c) for c in cells if not c.text.strip() and c.x1 <= edge)
    return out


def _label_edge(cells: list[_Cell]) -> float | None:
    """The right edge of a table's label columns: left of every number, and no further right than the labels'
    text reaches in the rows holding numbers (a value column left blank throughout is no label column).
    With 3 points to spare: a rule may stand 2 points apart on two pages. None: no number at all."""
    numbers = [c for c in cells if c.text.strip() and _VALUEISH.match(c.text)]
    if not numbers:
        return None
    data_rows = {(c.page, c.row) for c in numbers}
    labels = [c.x1 for c in cells if c.text.strip() and not _VALUEISH.match(c.text) and (c.page, c.row) in data_rows]
    return min(min(c.x0 for c in numbers), max(labels, default=0)) + 3


def _glue(before: str, after: str) -> str:
    """Join a wrapped line: nothing between CJK, a space between two Latin words."""
    if before and after and not _CJK.match(before[-1]) and not _CJK.match(after[0]) and before[-1].isalnum() and after[0].isalnum():
        return " " + after
    return after


_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")


def _continues(prev: _Line, cur: _Line, left: float, right: float, unit: float, pitch: float) -> bool:
    """cur continues prev's paragraph: prev runs to the right margin, cur starts at the left one, same size, and
    cur does not begin with a heading's numbering (一、 （一）), which always starts a paragraph."""
    if abs(prev.size - cur.size) > 0.6 or _HEADING_START.match(cur.text):
        return False
    if prev.x1 < right - 1.5 * unit:
        return False
    if cur.x0 > left + 0.5 * unit:
        return False
    same_page = cur.page == prev.page
    return not same_page or 0 < cur.top - prev.top <= pitch * 1.3 + 1


def _mode(values: list[float]) -> float:
    return Counter(values).most_common(1)[0][0]


def _furniture(lines: list[_Line], pages) -> set[int]:
    """Page numbers, and lines repeated at the same place on most pages (running heads and feet)."""
    out: set[int] = set()
    for ln in lines:
        if _PAGE_NO.match(ln.text.replace(" ", "")):
            out.add(id(ln))
    if len(pages) >= 3:
        seen = Counter((ln.text, round(ln.top)) for ln in lines)
        for ln in lines:
            if seen[(ln.text, round(ln.top))] >= max(3, len(pages) // 2):
                out.add(id(ln))
    return out


def _row_cells(table: _Table) -> list[list[_Cell]]:
    rows: dict[int, list[_Cell]] = {}
    for c in table.cells:
        rows.setdefault(c.row, []).append(c)
    return [rows[r] for r in sorted(rows)]


def _flat(text: str) -> str:
    """A cell's text without its line breaks and spaces: a repeated header re-wrapped on the continuation page
    ("商业\n企业" / "商业企业") is the same header."""
    return "".join(text.split())


def _same_row(a: list[_Cell], b: list[_Cell]) -> bool:
    """Two rows are the same (a repeated header): the same cells, left to right, with the same text whatever
    its line breaks, each standing over most of its counterpart. Producers lay out the repeated header's column
    widths again on each page (LibreOffice moves a rule by 2 points), so no exact position is asked for."""
    return len(a) == len(b) and all(_flat(x.text) == _flat(y.text) and _over(x, y) for x, y in zip(a, b))


def _over(x: _Cell, y: _Cell) -> bool:
    """x and y share at least half of the narrower one's width."""
    shared = min(x.x1, y.x1) - max(x.x0, y.x0)
    return shared >= 0.5 * max(min(x.x1 - x.x0, y.x1 - y.x0), 1)


def _text_runs_across(a: _Cell, b: _Cell) -> bool:
    """A merged label cell whose text the page break cut in two ("三、本年度办理结" | "果"): together the two
    parts are an official label, and neither part alone is one. (Two cells that merely meet at the break are
    each a label of their own.)"""
    from .labels import label_variant

    def is_label(text: str) -> bool:
        return any(label_variant(text, lb) is not None for lb in _official_labels())

    return not is_label(a.text) and not is_label(b.text) and is_label(a.text + b.text)


@lru_cache(maxsize=1)
def _official_labels() -> tuple[str, ...]:
    from ..formats import all_formats

    return tuple(dict.fromkeys(lb.text for f in all_formats() for t in f.tables for lb in t.labels))


def _continuation(first: _Table, cont: _Table) -> list[_Cell]:
    """The cells of a table continued from the previous page: without the repeated header rows, and without the
    empty upper part of a merged label cell that the page break split (it is no cell of its own)."""
    rows_a, rows_b = _row_cells(first), _row_cells(cont)
    k = 0
    while k < len(rows_a) and k < len(rows_b) and _same_row(rows_a[k], rows_b[k]) and any(c.text.strip() for c in rows_b[k]):
        k += 1
    if k and any(_VALUEISH.match(c.text) and c.text.strip() for r in rows_b[:k] for c in r):
        k = 0  # rows with numbers are data, even when they repeat
    dropped = {id(c) for r in rows_b[:k] for c in r}
    # A merged label cell that the page break split: its part on each page touches the break, in a label
    # column (left of every number). Its text may stand on either part (Word: the top; Chromium: the middle).
    label_edge = _label_edge([*first.cells, *cont.cells]) or 3.0
    bottom_a = [c for c in first.cells if abs(c.bottom - first.bottom) < 2 and c.x1 <= label_edge]
    start = rows_b[k][0].top if k < len(rows_b) else cont.bottom
    # The lower part of a split label cell stands in a data row (right of the label columns only numbers or
    # blanks), and is never a header cell of the table: a header that was not recognised as repeated stays
    # a header of its own (and the reading of its rows says so), never text glued to the label above.
    head = _header_texts(rows_a)
    data_rows = {r[0].row for r in rows_b if _is_data_row(r, label_edge)}
    if k < len(rows_b):
        dropped |= _row_remainder(first, rows_b[k], label_edge)
    out = []
    for c in cont.cells:
        if id(c) in dropped:
            continue
        if abs(c.top - start) < 2 and c.x1 <= label_edge and c.row in data_rows and _flat(c.text) not in head:
            above = next((a for a in bottom_a if _same_column(a, c)), None)
            if above is not None and (not c.text.strip() or not above.text.strip()):
                above.text = above.text.strip() or c.text
                continue  # one cell, read once where it starts
            if above is not None and _text_runs_across(above, c):
                above.text = above.text + "\n" + c.text
                continue
        out.append(c)
    return out


def _row_remainder(first: _Table, row: list[_Cell], label_edge: float) -> set[int]:
    """The ids of a row's empty value cells on the next page, where the page break cut through the row itself
    (LibreOffice lets a row break: its label and numbers stand above the break, the rest of its height below):
    the continuation's first row has no number and no label of its own (its label cell is empty, or holds the
    rest of the label above the break, which together with it is an official label), and every value cell of it
    continues a value cell of the last row above the break. Anything less certain is left as it is."""
    values = [c for c in row if c.x1 > label_edge]
    own_labels = [c for c in row if c.x1 <= label_edge and c.rows == 1]
    if not values or any(c.text.strip() for c in values):
        return set()
    ends = [a for a in first.cells if abs(a.bottom - first.bottom) < 2]
    for c in own_labels:
        if c.text.strip() and not any(a.x1 <= label_edge and _same_column(a, c) and _text_runs_across(a, c) for a in ends):
            return set()
    last = [a for a in ends if a.x1 > label_edge]
    if not last or not all(_VALUEISH.match(a.text) for a in last):
        return set()  # above the break stands a header (表四's), not a row of numbers
    if not all(any(_same_column(a, c) for a in last) for c in values):
        return set()
    return {id(c) for c in values}


def _header_texts(rows: list[list[_Cell]]) -> set[str]:
    """The texts of a table's header: its rows above the first one with a number."""
    out: set[str] = set()
    for row in rows:
        if any(c.text.strip() and _VALUEISH.match(c.text) for c in row):
            break
        out.update(_flat(c.text) for c in row if c.text.strip())
    return out


def _is_data_row(row: list[_Cell], label_edge: float) -> bool:
    """A row whose cells right of the label columns hold only numbers or nothing (and there are such cells)."""
    values = [c for c in row if c.x1 > label_edge]
    return bool(values) and all(_VALUEISH.match(c.text) for c in values)


def _same_column(a: _Cell, b: _Cell) -> bool:
    """The two parts of one cell on two pages: the same left and right rules, give or take the 3 points by which
    producers move a rule from page to page (pdfplumber also averages rules drawn close together)."""
    return abs(a.x0 - b.x0) <= 3 and abs(a.x1 - b.x1) <= 3 and _over(a, b)

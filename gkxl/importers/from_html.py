"""HTML saved from a government site → tokens: paragraphs as lines, data tables cell by cell (rowspan/colspan expanded)."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ..errors import InputError
from .tokens import Token, decode

BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article header footer main nav aside blockquote pre "
    "center form address figure figcaption caption hr tr td th".split()
)
SKIP = frozenset("script style noscript template head iframe object embed svg select button textarea".split())
MAX_SPAN_COLS, MAX_GRID = 100, 1_000_000
LAYOUT_TEXT = 200  # no cell of the official tables holds this much text; a cell that does is page layout
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"


def html_tokens(data: bytes, source: str) -> list[Token]:
    """Tokens of an HTML page, in reading order. The parser never touches the network and expands no entities."""
    m = _CHARSET.search(data[:8192])
    text = decode(data, source, m.group(1).decode("ascii") if m else None)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # an XML declaration naming an encoding would be refused
    parser = lxml.html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True, huge_tree=False, recover=True
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise InputError("无法解析网页文件（不是有效的 HTML）", file=source) from None
    walker = _Walker(source)
    title = root.find(".//title")
    if title is not None and (title.text or "").strip():
        walker.tokens.append(Token(_clean(title.text), "网页标题"))
    body = root.find("body")
    try:
        walker.walk(body if body is not None else root)
    except RecursionError:
        raise InputError("网页结构嵌套过深，无法读取", file=source) from None
    walker.flush()
    return walker.tokens


def _clean(text: str) -> str:
    """One line of text: whitespace runs collapsed, and the line breaks of the HTML source between CJK removed."""
    s = re.sub(r"[\s\u00a0\u3000]+", " ", text).strip()
    return re.sub(rf"(?<={_CJK}) (?={_CJK})", "", s)


def _span(value: str | None, cap: int) -> int:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(n, 1), cap)


class _Walker:
    def __init__(self, source: str):
        self.source = source
        self.tokens: list[Token] = []
        self.line: list[str] = []
        self.paragraphs = 0
        self.tables = 0

    def flush(self) -> None:
        text = _clean("".join(self.line))
        self.line = []
        if text:
            self.paragraphs += 1
            self.tokens.append(Token(text, f"第{self.paragraphs}段"))

    def walk(self, el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag == "br":
            self.flush()
        elif tag == "table":
            self.flush()
            self.table(el)
        elif tag is not None and tag not in SKIP:
            block = tag in BLOCK
            if block:
                self.flush()
            self.walk_inside(el)
            if block:
                self.flush()

    def walk_inside(self, el) -> None:
        """An element's own text, its children and the text after each child, in reading order."""
        if el.text:
            self.line.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.line.append(child.tail)

    def table(self, tbl) -> None:
        rows = tbl.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        cells = [c for tr in rows for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        if len(cells) <= 1 or tbl.xpath(".//table") or any(len(c.text_content()) > LAYOUT_TEXT for c in cells):
            # A layout table (a page frame, a table wrapping tables, a cell holding the text of the report):
            # read its cells as ordinary content.
            for el in tbl:
                self.walk(el)
            self.flush()
            return
        self.tables += 1
        for cap in tbl.xpath("./caption"):
            self.walk(cap)
        occupied: set[tuple[int, int]] = set()
        for r, tr in enumerate(rows):
            c = 0
            for td in tr:
                if not (isinstance(td.tag, str) and td.tag.lower() in ("td", "th")):
                    continue
                while (r, c) in occupied:
                    c += 1
                rs = _span(td.get("rowspan"), len(rows) - r)
                cs = _span(td.get("colspan"), MAX_SPAN_COLS)
                if len(occupied) + rs * cs > MAX_GRID:
                    raise InputError("网页中的表格过大，无法读取", file=self.source)
                occupied.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs))
                self.tokens.append(Token(_cell_text(td), f"表格{self.tables} 第{r + 1}行第{c + 1}列", cell=True))
                c += cs


def _cell_text(td) -> str:
    """A cell's text; its paragraphs and <br> lines joined by a line break."""
    inner = _Walker("")
    inner.walk_inside(td)
    inner.flush()
    return "\n".join(t.text for t in inner.tokens)

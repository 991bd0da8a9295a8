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
# Not part of what a reader takes as the text: footnote marks and struck-out text.
MARKS = frozenset("sup sub del s strike".split())
_HIDING = re.compile(r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|mso-hide\s*:\s*all", re.I)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*(?:[a-zA-Z][\w-]*)?([.#])([\w-]+)\s*$")
MAX_SPAN_COLS, MAX_GRID = 100, 1_000_000
LAYOUT_TEXT = 200  # no cell of the official tables holds this much text; a cell that does is page layout
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"


def html_tokens(data: bytes, source: str, notes: list[str] | None = None) -> list[Token]:
    """Tokens of an HTML page, in reading order: only the text a browser shows. The parser never touches the
    network and expands no entities. What was left out as not shown is said in notes."""
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
    walker = _Walker(source, _hidden_selectors(root))
    title = root.find(".//title")
    if title is not None and (title.text or "").strip():
        walker.tokens.append(Token(_clean(title.text), "网页标题"))
    body = root.find("body")
    try:
        walker.walk(body if body is not None else root)
    except RecursionError:
        raise InputError("网页结构嵌套过深，无法读取", file=source) from None
    walker.flush()
    if notes is not None:
        for what, n in walker.ignored.items():
            notes.append(f"网页中{n}处{what}未读入（浏览器不显示或不是正文）")
    return walker.tokens


def _hidden_selectors(root) -> tuple[frozenset[str], frozenset[str]]:
    """Classes and ids that the page's own <style> blocks hide, from simple rules (".x{display:none}")."""
    classes: set[str] = set()
    ids: set[str] = set()
    for style in root.iter("style"):
        css = re.sub(r"/\*.*?\*/", "", style.text or "", flags=re.S)
        for selectors, body in _RULE.findall(css[:200_000]):
            if not _HIDING.search(body):
                continue
            for sel in selectors.split(","):
                m = _SIMPLE_SELECTOR.match(sel)
                if m:
                    (classes if m.group(1) == "." else ids).add(m.group(2))
    return frozenset(classes), frozenset(ids)


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
    def __init__(self, source: str, hidden: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())):
        self.source = source
        self.hidden_classes, self.hidden_ids = hidden
        self.ignored: dict[str, int] = {}
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

    def shown(self, el, tag: str | None) -> bool:
        """Whether a browser shows el's text as part of the page (not hidden, no footnote mark, not struck out)."""
        if tag is None:
            return True
        what = None
        if tag in MARKS:
            what = "上标、下标或删除线文字"
        elif el.get("hidden") is not None or _HIDING.search(el.get("style") or ""):
            what = "隐藏的文字"
        elif self.hidden_classes and set((el.get("class") or "").split()) & self.hidden_classes:
            what = "隐藏的文字"
        elif self.hidden_ids and el.get("id") in self.hidden_ids:
            what = "隐藏的文字"
        if what is None:
            return True
        if "".join(el.itertext()).strip():
            self.ignored[what] = self.ignored.get(what, 0) + 1
        return False

    def walk(self, el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if not self.shown(el, tag):
            return
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
            if not self.shown(tr, "tr"):
                continue
            for td in tr:
                if not (isinstance(td.tag, str) and td.tag.lower() in ("td", "th")):
                    continue
                if not self.shown(td, "td"):
                    continue
                while (r, c) in occupied:
                    c += 1
                rs = _span(td.get("rowspan"), len(rows) - r)
                cs = _span(td.get("colspan"), MAX_SPAN_COLS)
                if len(occupied) + rs * cs > MAX_GRID:
                    raise InputError("网页中的表格过大，无法读取", file=self.source)
                occupied.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs))
                self.tokens.append(Token(self.cell_text(td), f"表格{self.tables} 第{r + 1}行第{c + 1}列", cell=True))
                c += cs


    def cell_text(self, td) -> str:
        """A cell's visible text; its paragraphs and <br> lines joined by a line break."""
        inner = _Walker("", (self.hidden_classes, self.hidden_ids))
        inner.walk_inside(td)
        inner.flush()
        for what, n in inner.ignored.items():
            self.ignored[what] = self.ignored.get(what, 0) + n
        return "\n".join(t.text for t in inner.tokens)

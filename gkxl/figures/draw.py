"""Drawing a 一图读懂 with matplotlib: one layout in design pixels, rendered as PNG, SVG or PDF (A4).

The canvas is 1080 CSS px wide (11.25 in at 96 px/in): the SVG is 810 pt = 1080 CSS px wide, the PNG is drawn at
192 dpi, i.e. 2160 pixels wide — 1080 px at 2× for phones and WeChat. The PDF is one A4 page with the same
drawing scaled to fit. Every text is a matplotlib Text whose gid is its key in content.Content.texts() (a text
wrapped over lines: key--0, key--1 …), so the SVG (svg.fonttype none: text stays text) can be read back.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .content import (
    DRAFT_MARK, FIGURE_TITLE, Appeals, Band, Bars, Content, Grid, Item, Note, Shares, Trend, number_text,
)
from .fonts import CANDIDATES, Font

W = 1080  # design px (CSS px)
PX_PER_IN = 96
PNG_DPI = 2 * PX_PER_IN  # 2×: 2160 pixels wide
A4_IN = (8.27, 11.69)
A4_MARGIN_IN = 0.4
M = 56  # side margin
GAP = 20

RED = "#C8161D"  # government red: 5.9:1 against white
DARK_RED = "#8E0F14"
GOLD = "#FFE7A1"  # on red: 4.9:1
INK = "#1A1A1A"
MUTED = "#4D4D4D"  # 8.5:1 against white
CARD = "#FCF1F1"
RULE = "#E8C8C8"
PALETTE = ("#C8161D", "#F07C4A", "#7A0E12", "#F5B987", "#7F7F7F", "#C9C9C9")
SECOND = "#E89B2E"  # the second series of a trend
FALLBACK_FAMILIES = CANDIDATES + ("sans-serif",)  # the SVG's font stack: the fonts gkxl looks for, then any sans

# From one line to the next: 1.5 × the size. A browser's box of a CJK line is the font's ascent plus descent
# (1.45 em for Noto/Source Han), so text boxes of consecutive lines never meet in Chromium either.
LINE = 1.5

UNIT_ENDS = set("省市区县旗镇乡局委厅室处队所站院会部")  # where a unit's name may end a line (…政府办公室|…)
NO_LINE_START = set("，。、；：！？）】》」』”’％%")


@dataclass
class TextOp:
    x: float
    y: float  # top of the line box
    text: str
    size: float  # design px
    gid: str
    color: str = INK
    bold: bool = False
    ha: str = "left"


@dataclass
class RectOp:
    x: float
    y: float
    w: float
    h: float
    color: str
    radius: float = 0.0


@dataclass
class Layout:
    height: float = 0.0
    ops: list = field(default_factory=list)
    breaks: list = field(default_factory=list)  # y where a part (or the footer) starts: where a PDF page may end


class _Measure:
    """Text widths in design px: the sum of the glyphs' advances in the font matplotlib draws with (no shaping is
    needed for Chinese, and the digits are tabular); 3 % added for the renderers' differences."""

    _advances: dict[tuple[str, bool, str], float] = {}  # (family, bold, character) → advance at size 1

    def __init__(self, font: Font):
        from matplotlib.font_manager import FontProperties, findfont, get_font

        self.family = font.family
        self.faces = {b: get_font(findfont(FontProperties(family=font.family, weight="bold" if b else "normal"))) for b in (False, True)}
        self.charmaps: dict[bool, dict] = {}

    def _advance(self, ch: str, bold: bool) -> float:
        key = (self.family, bold, ch)
        got = self._advances.get(key)
        if got is None:
            from matplotlib.ft2font import LoadFlags

            face = self.faces[bold]
            face.set_size(100, 72)
            if bold not in self.charmaps:
                self.charmaps[bold] = face.get_charmap()
            if ord(ch) in self.charmaps[bold]:
                glyph = face.load_char(ord(ch), flags=LoadFlags.NO_HINTING)
                got = glyph.linearHoriAdvance / 65536 / 100
            else:  # drawn by a fallback font or as a box: counted a full em wide, never narrower
                got = 1.0
            self._advances[key] = got
        return got

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return sum(self._advance(ch, bold) for ch in text) * size * 1.03

    def fit(self, text: str, size: float, max_w: float, bold: bool = False, floor: float = 0.5) -> float:
        """The size (≤ size, ≥ floor×size) at which the text fits max_w on one line."""
        s = size
        while s > size * floor and self.width(text, s, bold) > max_w:
            s -= 1
        return s

    def balanced(self, text: str, size: float, max_w: float, bold: bool = False) -> list[str]:
        """As wrap, in as many lines, but of even length (a title's last line is not one or two characters)."""
        lines = self.wrap(text, size, max_w, bold)
        lo, hi = max_w / 3, max_w
        while len(lines) > 1 and hi - lo > 2:
            mid = (lo + hi) / 2
            if len(self.wrap(text, size, mid, bold)) == len(lines):
                hi = mid
            else:
                lo = mid
        if len(lines) == 1:
            return lines
        return self._at_words(self.wrap(text, size, hi, bold), size, max_w, bold)

    def _at_words(self, lines: list[str], size: float, max_w: float, bold: bool) -> list[str]:
        """Move a line break by up to three characters either way to just after a unit word (市、区、局、室…) where
        both lines still fit: "…人民政府办公室 / 示例街道…", not "…人民政府办 / 公室…"."""
        out = list(lines)
        for i in range(len(out) - 1):
            both = out[i] + out[i + 1]
            at = len(out[i])
            for cut in sorted(range(at - 3, at + 4), key=lambda c: (abs(c - at), c)):
                if 0 < cut < len(both) and both[cut - 1] in UNIT_ENDS and both[cut] not in NO_LINE_START \
                        and self.width(both[:cut], size, bold) <= max_w and self.width(both[cut:], size, bold) <= max_w:
                    out[i], out[i + 1] = both[:cut], both[cut:]
                    break
        return out

    def wrap(self, text: str, size: float, max_w: float, bold: bool = False) -> list[str]:
        """Lines of at most max_w: Chinese breaks between any two characters, a run of digits or Latin letters never,
        and no line starts with closing punctuation."""
        at = text.find("（")
        if 0 < at and self.width(text, size, bold) > max_w and self.width(text[:at], size, bold) <= max_w:
            # "行政诉讼（未经复议直接起诉）": break before the bracket rather than inside it
            return [text[:at]] + self.wrap(text[at:], size, max_w, bold)
        tokens = re.findall(r"[0-9A-Za-z.,%+\-−]+|.", text)
        lines: list[str] = []
        line = ""
        for tok in tokens:
            if not line or self.width(line + tok, size, bold) <= max_w:
                line += tok
                continue
            if tok in NO_LINE_START and len(line) > 1:
                tail = line[-1]
                lines.append(line[:-1])
                line = tail + tok
                continue
            lines.append(line)
            line = tok
        if line:
            lines.append(line)
        return lines or [""]


def lay_out(content: Content, font: Font) -> Layout:
    """Place every text and shape of the picture (design px, y downwards)."""
    m = _Measure(font)
    lay = Layout()
    ops = lay.ops
    inner = W - 2 * M

    def text(x, y, s, size, gid, **kw) -> None:
        ops.append(TextOp(x, y, s, size, gid, **kw))

    def lines(x, y, s, size, gid, max_w, *, lh=LINE, balance=False, **kw) -> float:
        """Wrapped text from y (in lines of even length: balance); returns the y below it."""
        parts = (m.balanced if balance else m.wrap)(s, size, max_w, kw.get("bold", False))
        for i, part in enumerate(parts):
            text(x, y + i * size * lh, part, size, gid if len(parts) == 1 else f"{gid}--{i}", **kw)
        return y + len(parts) * size * lh

    # Header: red band, the unit, the report, 一图读懂 (and 草稿).
    y = 52.0
    badge_w = 0.0
    if content.draft:
        size = 30
        badge_w = m.width(DRAFT_MARK, size, True) + 32
        ops.append(RectOp(W - M - badge_w, y - 10, badge_w, size * LINE + 8, "#FFFFFF", 8))
        text(W - M - badge_w / 2, y, DRAFT_MARK, size, "title:draft", color=RED, bold=True, ha="center")
    head_w = inner - 2 * (badge_w + 16 if badge_w else 0)
    if content.agency.strip():  # a report without its unit's name (a published one may lack it) has no such line
        y = lines(W / 2, y, content.agency, 40, "title:agency", head_w, bold=True, color="#FFFFFF", ha="center", balance=True)
    y = lines(W / 2, y + 6, content.subtitle, 36, "title:subtitle", head_w, color="#FFFFFF", ha="center")
    size = m.fit(FIGURE_TITLE, 84, head_w, True)
    text(W / 2, y + 14, FIGURE_TITLE, size, "title:figure", color=GOLD, bold=True, ha="center")
    y += 14 + size * LINE + 32
    ops.insert(0, RectOp(0, 0, W, y, RED))
    ops.insert(1, RectOp(0, y - 10, W, 10, DARK_RED))

    for part in content.parts:
        lay.breaks.append(y)
        y += 36
        ops.append(RectOp(M, y + 4, 10, 40, RED, 2))
        y = lines(M + 26, y, part.heading, 36, part.key, inner - 26, bold=True)
        ops.append(RectOp(M, y + 8, inner, 2, RULE))
        y += 30
        for block in part.blocks:
            if isinstance(block, Band):
                y = _band(block, m, ops, text, lines, y)
            elif isinstance(block, Grid):
                y = _grid_table(block, m, ops, text, lines, y)
            elif isinstance(block, Bars):
                y = _bars(block, m, ops, text, lines, y)
            elif isinstance(block, Shares):
                y = _shares(block, m, ops, text, lines, y)
            elif isinstance(block, Appeals):
                y = _appeals(block, m, ops, text, lines, y)
            elif isinstance(block, Trend):
                y = _trend(block, m, ops, text, lines, y)
            elif isinstance(block, Note):
                h = len(m.wrap(block.text, 30, inner - 64, True)) * 30 * LINE + 56
                ops.append(RectOp(M, y, inner, h, CARD, 12))
                lines(W / 2, y + 28, block.text, 30, block.key, inner - 64, bold=True, color=RED, ha="center")
                y += h + 24

    lay.breaks.append(y)
    y += 24
    ops.append(RectOp(M, y, inner, 2, RULE))
    y += 20
    for i, line in enumerate(content.footer):
        y = lines(W / 2, y, line, 20, f"footer:{i}", inner, color=MUTED, ha="center", balance=True)
    y += 40
    ops.append(RectOp(0, y - 12, W, 12, RED))
    lay.height = y
    return lay


def _item_card(it: Item, m: _Measure, x: float, w: float, y: float, value_size: float = 48, label_size: float = 24) -> tuple[list, float]:
    """A number over its label (and the change against last year), centred in a card: (ops, height)."""
    pad = 18
    ops: list = []
    cx = x + w / 2
    size = m.fit(it.value, value_size, w - 2 * pad, True, floor=0.4)
    ops.append(TextOp(cx, y + pad, it.value, size, f"value:{it.key}", color=RED, bold=True, ha="center"))
    yy = y + pad + value_size * LINE
    lsize = m.fit(it.label, label_size, w - 2 * pad, floor=0.8)  # a label a little too long is set smaller, not broken
    parts = m.wrap(it.label, lsize, w - 2 * pad)
    for i, part in enumerate(parts):
        ops.append(TextOp(cx, yy, part, lsize, f"label:{it.key}" if len(parts) == 1 else f"label:{it.key}--{i}", ha="center"))
        yy += lsize * LINE
    if it.change:
        csize = m.fit(it.change, 22, w - 2 * pad)
        ops.append(TextOp(cx, yy + 4, it.change, csize, f"change:{it.key}", color=MUTED, ha="center"))
        yy += 4 + 22 * LINE
    return ops, yy + pad - y


def _grid(items, m, y, *, cols_max=3, value_size=48) -> tuple[list, float]:
    ops: list = []
    inner = W - 2 * M
    n = len(items)
    cols = min(n, cols_max)
    cw = (inner - (cols - 1) * GAP) / cols
    for start in range(0, n, cols):
        row = items[start:start + cols]
        label_size = min(m.fit(it.label, 24, cw - 36, floor=0.8) for it in row)  # one size for the row's labels
        made = [_item_card(it, m, M + i * (cw + GAP), cw, y, value_size, label_size) for i, it in enumerate(row)]
        h = max(hh for _, hh in made)
        for i, (card_ops, _) in enumerate(made):
            ops.append(RectOp(M + i * (cw + GAP), y, cw, h, CARD, 12))
            ops.extend(card_ops)
        y += h + GAP
    return ops, y


def _band(b: Band, m, ops, text, lines, y) -> float:
    if b.heading:
        y = lines(M, y, b.heading, 28, b.key, W - 2 * M, bold=True, color=INK)
        y += 10
    grid, y = _grid(list(b.items), m, y)
    ops.extend(grid)
    return y + 8


def _grid_table(g: Grid, m, ops, text, lines, y) -> float:
    """One card: the column labels once, then each row's label and its numbers (with their changes)."""
    inner = W - 2 * M
    pad = 18
    label_w = 210
    n = len(g.columns)
    cw = (inner - label_w - pad) / n
    x0 = M + pad + label_w
    top = y
    heads = []
    yy = y + pad
    for i, (key, label) in enumerate(g.columns):
        parts = m.wrap(label, 22, cw - 16)
        for j, part in enumerate(parts):
            heads.append(TextOp(x0 + cw * (i + 0.5), yy + j * 22 * LINE, part, 22, key if len(parts) == 1 else f"{key}--{j}", color=MUTED, ha="center"))
    yy += max(len(m.wrap(label, 22, cw - 16)) for _, label in g.columns) * 22 * LINE + 8
    body = []
    for r, row in enumerate(g.rows):
        if r:
            body.append(RectOp(M + pad, yy, inner - 2 * pad, 1.5, RULE))
            yy += 10
        has_change = any(it.change for it in row.items)
        row_h = 44 * LINE + (20 * LINE if has_change else 0)
        parts = m.wrap(row.heading, 26, label_w - 12, True)
        lh = len(parts) * 26 * LINE
        ly = yy + max(0.0, (row_h - lh) / 2)
        for j, part in enumerate(parts):
            body.append(TextOp(M + pad, ly + j * 26 * LINE, part, 26, row.key if len(parts) == 1 else f"{row.key}--{j}", bold=True))
        for i, it in enumerate(row.items):
            cx = x0 + cw * (i + 0.5)
            size = m.fit(it.value, 44, cw - 16, True, floor=0.4)
            body.append(TextOp(cx, yy, it.value, size, f"value:{it.key}", color=RED, bold=True, ha="center"))
            if it.change:
                body.append(TextOp(cx, yy + 44 * LINE, it.change, m.fit(it.change, 20, cw - 16), f"change:{it.key}", color=MUTED, ha="center"))
        yy += max(row_h, lh) + 8
    bottom = yy + pad - 8
    ops.append(RectOp(M, top, inner, bottom - top, CARD, 12))
    ops.extend(heads)
    ops.extend(body)
    return bottom + GAP


def _bars(b: Bars, m, ops, text, lines, y) -> float:
    inner = W - 2 * M
    y = lines(M, y, b.heading, 28, b.key, inner, bold=True) + 12
    size = 24
    indent = 28
    captions = dict(b.captions)
    label_w = min(max(m.width(bar.label, size) + (indent if bar.indent else 0) for bar in b.bars), inner * 0.38)
    value_w = max(m.width(bar.text, size, True) for bar in b.bars)
    x0 = M + label_w + 20
    span = W - M - value_w - 14 - x0
    top = max(bar.value for bar in b.bars) or 1
    row_h = 46
    for i, bar in enumerate(b.bars):
        if i in captions:
            text(M, y + 6, captions[i], 22, f"{b.key}:caption{i}", color=MUTED, bold=True)
            y += 38
        lx = M + (indent if bar.indent else 0)
        lsize = m.fit(bar.label, size, label_w - (indent if bar.indent else 0))
        text(lx, y + 6, bar.label, lsize, f"label:{bar.key}")
        length = span * bar.value / top
        if bar.value > 0:
            ops.append(RectOp(x0, y + 8, max(length, 3), 28, RED if not bar.indent else "#E2585D", 4))
        text(x0 + length + 12, y + 6, bar.text, size, f"value:{bar.key}", bold=True, color=INK)
        y += row_h
    return y + 16


def _shares(b: Shares, m, ops, text, lines, y) -> float:
    inner = W - 2 * M
    x = M
    text(x, y, b.heading, 28, b.key, bold=True)
    x += m.width(b.heading, 28, True) + 24
    text(x, y + 4, b.total.label, 24, f"label:{b.total.key}", color=MUTED)
    x += m.width(b.total.label, 24) + 10
    vsize = m.fit(b.total.value, 28, W - M - x, True)
    text(x, y, b.total.value, vsize, f"value:{b.total.key}", bold=True, color=RED)
    x += m.width(b.total.value, vsize, True) + 16
    y += 28 * LINE
    if b.total.change:
        if x + m.width(b.total.change, 22) > W - M:
            text(M, y, b.total.change, 22, f"change:{b.total.key}", color=MUTED)
            y += 22 * LINE
        else:
            text(x, y - 28 * LINE + 6, b.total.change, 22, f"change:{b.total.key}", color=MUTED)
    y += 10
    # The 100 % bar: each group's share of （七）总计, in tenths of a percent.
    xx = float(M)
    for i, s in enumerate(b.shares):
        w = inner * s.tenths / 1000
        if w > 0:
            ops.append(RectOp(xx, y, w, 44, PALETTE[i % len(PALETTE)]))
        xx += w
    y += 44 + 20
    pct_w = max(m.width(s.share, 24, True) for s in b.shares)
    for i, s in enumerate(b.shares):
        ops.append(RectOp(M, y + 8, 24, 24, PALETTE[i % len(PALETTE)], 4))
        text(M + 38, y + 4, s.label, 24, f"label:{s.key}")
        text(W - M - pct_w - 40, y + 4, f"{s.count}件", 24, f"value:{s.key}", ha="right", color=MUTED)
        text(W - M, y + 4, s.share, 24, f"pct:{s.key}", ha="right", bold=True)
        y += 42
    return y + 16


def _appeals(b: Appeals, m, ops, text, lines, y) -> float:
    inner = W - 2 * M
    n = len(b.groups)
    cw = (inner - (n - 1) * GAP) / n
    pad = 20
    made = []
    for i, g in enumerate(b.groups):
        x = M + i * (cw + GAP)
        cx = x + cw / 2
        gops: list = []
        yy = y + pad
        parts = m.wrap(g.heading, 24, cw - 2 * pad, True)
        for j, part in enumerate(parts):
            gops.append(TextOp(cx, yy, part, 24, g.key if len(parts) == 1 else f"{g.key}--{j}", bold=True, ha="center"))
            yy += 24 * LINE
        made.append((x, cx, gops, yy))
    head_bottom = max(yy for *_, yy in made)
    out = []
    for x, cx, gops, _ in made:
        g = b.groups[len(out)]
        yy = head_bottom + 8
        size = m.fit(g.total.value, 52, cw - 2 * pad, True, floor=0.4)
        gops.append(TextOp(cx, yy, g.total.value, size, f"value:{g.total.key}", color=RED, bold=True, ha="center"))
        yy += 52 * LINE
        gops.append(TextOp(cx, yy, g.total.label, 22, f"label:{g.total.key}", color=MUTED, ha="center"))
        yy += 22 * LINE
        if g.total.change:
            gops.append(TextOp(cx, yy, g.total.change, m.fit(g.total.change, 20, cw - 2 * pad), f"change:{g.total.key}", color=MUTED, ha="center"))
            yy += 20 * LINE
        yy += 10
        for it in g.results:
            gops.append(TextOp(x + pad, yy, it.label, 22, f"label:{it.key}"))
            vsize = m.fit(it.value, 22, cw - 2 * pad - m.width(it.label, 22) - 12, True)
            gops.append(TextOp(x + cw - pad, yy, it.value, vsize, f"value:{it.key}", bold=True, ha="right"))
            yy += 22 * LINE
            if it.change:
                gops.append(TextOp(x + cw - pad, yy, it.change, m.fit(it.change, 18, cw - 2 * pad), f"change:{it.key}", color=MUTED, ha="right"))
                yy += 18 * LINE
        out.append((x, gops, yy))
    bottom = max(yy for *_, yy in out) + pad
    for x, gops, _ in out:
        ops.append(RectOp(x, y, cw, bottom - y, CARD, 12))
        ops.extend(gops)
    return bottom + GAP


def _trend(b: Trend, m, ops, text, lines, y) -> float:
    inner = W - 2 * M
    text(M, y, b.heading, 26, b.key, bold=True)
    colors = (RED, SECOND)
    if len(b.series) > 1:
        x = W - M
        for i, s in reversed(list(enumerate(b.series))):
            w = m.width(s.name, 22)
            text(x, y + 4, s.name, 22, f"legend:{s.key}", ha="right", color=MUTED)
            x -= w + 10
            ops.append(RectOp(x - 20, y + 8, 20, 20, colors[i], 3))
            x -= 20 + 24
    y += 26 * LINE + 8
    years = [yr for yr, _ in b.series[0].points]
    n, k = len(years), len(b.series)
    slot = inner / n
    bar_w = min(56.0, slot * 0.7 / k)
    chart_h = 120
    value_size = 20
    top = max((v or 0) for s in b.series for _, v in s.points) or 1
    base = y + value_size * LINE + chart_h
    ops.append(RectOp(M, base, inner, 2, RULE))
    for j, yr in enumerate(years):
        cx = M + slot * (j + 0.5)
        for i, s in enumerate(b.series):
            v = s.points[j][1]
            bx = cx - k * bar_w / 2 + i * bar_w
            h = chart_h * (v or 0) / top
            if v:
                ops.append(RectOp(bx + 2, base - h, bar_w - 4, h, colors[i], 3))
            label = number_text(v)
            # side by side, a bar's number may take only its own bar's width (its neighbour's number stands beside it)
            size = m.fit(label, value_size, (bar_w if k > 1 else slot) - 4, True, floor=0.45)
            text(bx + bar_w / 2, base - h - value_size * LINE, label, size, f"value:{s.key}:{yr}", bold=True, ha="center")
        text(cx, base + 10, f"{yr}年", 22, f"year:{b.key}:{yr}", ha="center", color=MUTED)
    return base + 10 + 22 * LINE + 24


# Rendering ---------------------------------------------------------------------------------------------------


def figure(content: Content, font: Font):
    """The matplotlib Figure of the picture for the screen: 1080 px wide, as tall as it needs."""
    from matplotlib.figure import Figure

    lay = lay_out(content, font)
    fig = Figure(figsize=(W / PX_PER_IN, lay.height / PX_PER_IN))
    ax = fig.add_axes((0, 0, 1, 1))
    _draw(ax, lay.ops, font, 0.0, lay.height, 1.0)
    return fig


def _draw(ax, ops, font: Font, top: float, bottom: float, scale: float) -> None:
    """Draw these ops on axes showing design px from y=top to y=bottom; font sizes at this scale."""
    from matplotlib.patches import FancyBboxPatch, Rectangle

    ax.set_xlim(0, W)
    ax.set_ylim(bottom, top)
    ax.set_axis_off()
    pt = 0.75 * scale  # design px → points
    seen: set[str] = set()
    for op in ops:
        if isinstance(op, RectOp):
            if op.radius:
                r = min(op.radius, op.w / 2, op.h / 2)
                patch = FancyBboxPatch((op.x, op.y), op.w, op.h, boxstyle=f"round,pad=0,rounding_size={r}", facecolor=op.color,
                                       edgecolor="none", linewidth=0)
            else:
                patch = Rectangle((op.x, op.y), op.w, op.h, facecolor=op.color, edgecolor="none", linewidth=0)
            ax.add_patch(patch)
            continue
        if op.gid in seen:
            raise ValueError(f"duplicate text key {op.gid}")
        seen.add(op.gid)
        ax.text(op.x, op.y, op.text, fontsize=op.size * pt, family=font.family, weight="bold" if op.bold else "normal",
                color=op.color, ha=op.ha, va="top", gid=op.gid, parse_math=False, clip_on=False)


def pages(lay: Layout) -> list[tuple[float, float]]:
    """The A4 pages of a layout: (top, bottom) in design px, ending only where a part starts, as many parts to a
    page as fit at the width's scale (a part taller than a page gets a page of its own, scaled down to fit)."""
    room = (A4_IN[1] - 2 * A4_MARGIN_IN) * PX_PER_IN * W / ((A4_IN[0] - 2 * A4_MARGIN_IN) * PX_PER_IN)
    cuts = [0.0] + lay.breaks[1:] + [lay.height]  # the header stays with the first part, never alone on a page
    out: list[tuple[float, float]] = []
    top = 0.0
    last = 0.0
    for cut in cuts[1:]:
        if cut - top > room and last > top:
            out.append((top, last))
            top = last
        last = cut
    out.append((top, lay.height))
    return out


def a4_figures(content: Content, font: Font) -> list:
    """One Figure per A4 page: the drawing at the page's text width, cut only between parts."""
    lay = lay_out(content, font)
    figs = []
    for top, bottom in pages(lay):
        h = bottom - top
        page_w, page_h = A4_IN
        scale = min((page_w - 2 * A4_MARGIN_IN) * PX_PER_IN / W, (page_h - 2 * A4_MARGIN_IN) * PX_PER_IN / h)
        w_in, h_in = W * scale / PX_PER_IN, h * scale / PX_PER_IN
        from matplotlib.figure import Figure

        fig = Figure(figsize=A4_IN)
        ax = fig.add_axes(((page_w - w_in) / 2 / page_w, 1 - (A4_MARGIN_IN + h_in) / page_h, w_in / page_w, h_in / page_h))
        ops = [op for op in lay.ops if top - 0.5 <= op.y < bottom - 0.5]
        _draw(ax, ops, font, top, bottom, scale)
        figs.append(fig)
    return figs


def render(content: Content, font: Font, fmt: str) -> bytes:
    """The picture as PNG (2160 px wide), SVG (text as text) or PDF (A4)."""
    import matplotlib

    fmt = fmt.lower()
    rc = {"svg.fonttype": "none", "svg.hashsalt": "gkxl", "pdf.fonttype": 3, "font.family": [font.family], "axes.unicode_minus": False}
    with matplotlib.rc_context(rc):
        buf = io.BytesIO()
        if fmt == "pdf":
            from matplotlib.backends.backend_pdf import PdfPages

            with PdfPages(buf, metadata={"CreationDate": None, "Creator": "gkxl", "Title": content.title}) as pdf:
                for fig in a4_figures(content, font):
                    pdf.savefig(fig)
            return buf.getvalue()
        fig = figure(content, font)
        if fmt == "png":
            return _png(fig)
        elif fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "gkxl"})
        else:
            raise ValueError(fmt)
    data = buf.getvalue()
    if fmt == "svg":
        data = _svg_titled(_svg_fallbacks(data, font), content.title)
    return data


def _png(fig) -> bytes:
    """2160 px wide (192 dpi), RGB (the picture has no transparency: a quarter smaller, and quicker to compress)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image, PngImagePlugin

    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(PNG_DPI)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "gkxl")
    buf = io.BytesIO()
    image.save(buf, "png", compress_level=6, dpi=(PNG_DPI, PNG_DPI), pnginfo=info)
    return buf.getvalue()


def _svg_titled(data: bytes, title: str) -> bytes:
    """A <title> as the SVG's first child: what screen readers and a CMS's search show for the picture."""
    from xml.sax.saxutils import escape

    text = data.decode("utf-8")
    m = re.search(r"<svg\b[^>]*>", text)
    if m is None:
        return data
    return (text[: m.end()] + f"\n <title>{escape(title)}</title>" + text[m.end():]).encode("utf-8")


def _svg_fallbacks(data: bytes, font: Font) -> bytes:
    """The SVG names the font it was laid out in, then the CJK families other machines have, then sans-serif."""
    families = [font.family] + [f for f in FALLBACK_FAMILIES if f != font.family]
    stack = ", ".join(f"'{f}'" if " " in f else f for f in families)
    text = data.decode("utf-8")
    family = re.compile(r"font-family: ?'?" + re.escape(font.family) + "'?(?=[;\"])")
    text = re.sub(r'style="[^"]*"', lambda mm: family.sub(f"font-family: {stack}", mm.group(0)), text)
    return text.encode("utf-8")

"""The CJK font the picture is drawn in: the first of these found on the machine, by matplotlib's font list.

Never a font without Chinese glyphs (boxes): no font found is an InputError naming what to install.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import InputError

# Sans-serif families with Simplified Chinese glyphs, best first: Noto / Source Han (Linux, free), then the ones
# Windows and macOS ship. GKXL_FIGURE_FONT names another family to try first.
CANDIDATES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "Microsoft YaHei",
    "DengXian",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
)
INSTALL_HINT = ("未找到可显示中文的字体，无法生成一图读懂：请安装思源黑体或 Noto Sans CJK"
                "（Debian/Ubuntu：apt install fonts-noto-cjk；Windows 自带微软雅黑、黑体、等线）")
PROBE = "政府信息公开一图读懂０１２３"  # characters every candidate must hold


@dataclass(frozen=True)
class Font:
    family: str
    path: str


def find_font(candidates: tuple[str, ...] | None = None) -> Font:
    """The first candidate family installed whose file holds Chinese glyphs; InputError (one line) otherwise."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    wanted = list(candidates if candidates is not None else CANDIDATES)
    env = os.environ.get("GKXL_FIGURE_FONT", "").strip()
    if env and candidates is None:
        wanted.insert(0, env)
    by_name: dict[str, list] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name.casefold(), []).append(entry)
    for family in wanted:
        for entry in by_name.get(family.casefold(), []):
            try:
                face = FT2Font(entry.fname, face_index=getattr(entry, "index", 0))
                charmap = face.get_charmap()
            except (OSError, RuntimeError, TypeError, ValueError):
                continue
            if all(ord(ch) in charmap for ch in PROBE):
                return Font(entry.name, entry.fname)
    raise InputError(INSTALL_HINT)


def missing_glyphs(font: Font, texts) -> list[str]:
    """The characters of these texts the font has no glyph for (they would be drawn as boxes), in order, once."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    charmap = get_font(findfont(FontProperties(family=font.family))).get_charmap()
    out: dict[str, None] = {}
    for text in texts:
        for ch in text:
            if not ch.isspace() and ord(ch) not in charmap:
                out.setdefault(ch)
    return list(out)

"""Loose matching of published labels and headings against the official ones: one normalisation, a tiny alias table.

Official labels always come from gkxl.formats; this module only knows how published copies tend to differ from them.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

# Published spellings that are not the official label but mean it without doubt, as normalised text
# (see norm): variant → official. Each one is named in the import summary when it is met.
# - 规范性文件: the 2019 trial format's row label, still used in many 2021-format reports for 行政规范性文件
#   (official-format.md §4.3); the alias is symmetric in effect because both sides are mapped before comparing.
ALIASES = {
    "规范性文件": "行政规范性文件",
}

_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』")
_BLANKS = re.compile(r"[\s|\u200b\u200c\u200d\ufeff]+")
_ITEM_NUMBER = re.compile(r"^(\d+)[、,]")  # "1、属于国家秘密" is printed for "1.属于国家秘密"
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")  # a trailing parenthetical, e.g. "（区分处理的，只计这一情形…）"


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """The one normalisation for matching: full/half-width folded (NFKC), no whitespace or "|", no quote marks."""
    s = unicodedata.normalize("NFKC", text)
    s = _BLANKS.sub("", s)
    s = s.translate(_QUOTES)
    return _ITEM_NUMBER.sub(r"\1.", s)


def canon(text: str) -> str:
    """norm, then a known variant replaced by the official wording it stands for."""
    s = norm(text)
    return ALIASES.get(s, s)


def strip_note(normalised: str) -> str:
    """A normalised label without its trailing parenthetical ("" when nothing else is left)."""
    s = _TRAILING_NOTE.sub("", normalised)
    return s if s != normalised and len(s) >= 2 else ""


def label_variant(raw: str, official: str) -> str | None:
    """How the published text raw matches the official label: None if not at all, "" if exactly, else the variant kind."""
    a, b = canon(raw), canon(official)
    if a == b:
        plain = re.sub(r"\s+", "", raw).replace("|", "")
        if plain == official:
            return "空格或换行" if plain != raw.strip() else ""
        if norm(raw) != norm(official):
            return "别称"
        if _ITEM_NUMBER.match(plain) and not _ITEM_NUMBER.match(official):
            return "编号"
        return "全角半角"
    if a and (strip_note(b) == a or strip_note(a) == b):
        return "括注"
    return None


def could_start(prefix: str, official: str) -> bool:
    """Whether a label broken across lines could continue: prefix is the start of the official label."""
    b = canon(official)
    return bool(prefix) and (b.startswith(prefix) or norm(official).startswith(prefix)) and prefix != b


VARIANT_NAMES = {
    "空格或换行": "标签内有空格或换行",
    "全角半角": "标签的全角/半角标点或数字与官方格式不同",
    "编号": "条目编号写作“1、”（官方格式为“1.”）",
    "别称": "使用了标签的别称",
    "括注": "标签省略或增加了括号内的注释",
    "跨行": "标签被拆成多行（多个单元格）",
    "连写": "一行的数字连在一起，按本行“总计 = 各项之和”唯一确定",
    "连写唯一": "一行的数字连在一起，数字个数只允许一种拆分",
    "错字": "标签有错别字，按位置和相近的官方标签识别",
}


def similarity(a: str, b: str) -> float:
    """Similarity of two normalised texts (0..1), for headings that are worded differently or misspelt."""
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def shared_chars(a: str, b: str) -> int:
    """How many characters a and b share in order (the matching blocks of a diff), e.g. 存在问题 / 存在的主要问题: 4."""
    if not a or not b:
        return 0
    return sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def like_subheading(head: str, title: str) -> bool:
    """A published subheading ("2024年将采取的改进措施") standing for an official one ("改进情况"): at least two
    characters in common, and at least half of the shorter of the two."""
    n = shared_chars(norm(head), title)
    return n >= 2 and n * 2 >= min(len(norm(head)), len(title))


HEADING_SIMILARITY = 0.6


def heading_ordinal(heading: str) -> str:
    """The numbering of an official heading, normalised: "一、总体情况" → "一、", "（一）主动公开" → "(一)"."""
    s = norm(heading)
    m = re.match(r"^(\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)", s)
    return m.group(1) if m else ""


def match_heading(raw: str, official: str) -> str | None:
    """None if raw is not this 一级 heading; "" if it is exactly; else a note naming the variant."""
    a, b = norm(raw), norm(official)
    a = re.sub(r"^([一二三四五六七八九十]+)[.,:]", r"\1、", a)  # "二．主动公开…" for "二、主动公开…"
    ordinal = heading_ordinal(official)
    if not a.startswith(ordinal):
        return None
    if a == b:
        return "" if norm(raw) == b else f"标题“{raw.strip()}”按“{official}”识别"
    rest_a, rest_b = a[len(ordinal):], b[len(ordinal):]
    if similarity(rest_a, rest_b) >= HEADING_SIMILARITY:
        return f"标题“{raw.strip()}”按“{official}”识别"
    return None

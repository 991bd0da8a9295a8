"""R-PROMISE: last year's 改进措施 not reported on this year (提示), or repeated nearly word for word (核实).

Last year's promises: the text of its 五 (the 改进情况 section where the report has one; otherwise 五 from the first
"下一步 / 今后 / 下阶段 / 新的一年 / 明年 / 改进措施 / 整改措施 / 改进举措 / 改进情况" on), split into items at the
enumerators "一是 二是…", "（一）", "1.", "1、", "（1）", "①", "第一，"; without enumerators, its sentences (。；).
Text before the first enumerator that ends in "：" (an introduction) is not an item.

Key terms of a text: its Chinese character bigrams, after removing the words every promise uses (GENERIC: 政府信息公开,
进一步, 加强, 推进, 工作, 水平 …) and splitting at punctuation, digits, Latin letters and the removed words (a bigram never
spans them). An item with fewer than MIN_TERMS key terms is too general to follow ("进一步加强政务公开工作") and is not
checked.

Reported on: some sentence of this year's 一 (the five overview sections) or 五 — except the part of 五 that is itself
this year's promise (from its first marker above on, or this year's promise items) — shares at least
needed(n) = max(2, min(5, ⌈n/4⌉)) of the item's n key terms. Otherwise 提示 "上年承诺的改进措施未见落实情况".

Repeated: an item whose text (Chinese characters and Latin letters only) has difflib ratio ≥ REPEAT (0.8) with one of
this year's promise items is 核实 "改进措施与上年雷同", showing both sentences; one word changed in a sentence of twenty
characters stays near 0.9.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from ..findings import Severity
from ..formats.common import SECTION_PART
from .context import make
from .length import PAGE_NUMBER  # a published PDF's page numbers standing as lines: one pattern

if TYPE_CHECKING:
    from ..findings import Finding
    from ..model import Report
    from .context import Context

SCOPE = "improvements"
REPEAT = 0.8
MIN_TERMS = 3
QUOTE = 48  # characters of an item quoted

GENERIC = (
    "政府信息公开", "政务信息公开", "政务公开", "信息公开", "政府信息", "公开工作", "下一步", "下阶段", "今后", "进一步", "持续",
    "继续", "不断", "加强", "加大", "推进", "推动", "强化", "提升", "提高", "完善", "切实", "全面", "深入", "扎实", "抓好",
    "做好", "确保", "有关", "相关", "工作", "水平", "质量", "力度", "能力", "我局", "我委", "我办", "我单位", "本单位",
    "本机关", "我们", "我市", "我区", "我县", "积极", "认真", "按照", "要求", "规定", "着力", "重点", "努力", "及时",
    "有效", "进行", "开展", "不断", "坚持", "严格", "以及", "方面", "情况", "问题", "针对", "存在", "年度", "本年", "全年",
    "围绕", "中心工作", "党中央", "国务院", "省委", "省政府", "市委", "市政府", "县委", "县政府", "区委", "区政府", "政府",
    "将", "的", "和", "与", "及", "在", "对", "把", "是", "了", "为", "等",
)
_GENERIC = re.compile("|".join(re.escape(g) for g in sorted(GENERIC, key=len, reverse=True)))
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ENUM = re.compile(
    r"[一二三四五六七八九十]是|[（(][一二三四五六七八九十]{1,3}[）)]|(?<![\d.．])\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[）)]"
    r"|第[一二三四五六七八九十][，,、]|[①②③④⑤⑥⑦⑧⑨⑩]"
)
_MARK = re.compile(
    r"下一步|下步|今后|下一阶段|下阶段|新的一年|明年|来年|改进措施|整改措施|改进举措|改进情况|针对(?:上述|以上|存在的?)问题"
    r"|\d{4}年[，,]?(?:我们|我[市区县局委办]|本机关|本单位)?将"
)
_FUTURE = re.compile(r"下一步|下步|今后|下一阶段|下阶段|新的一年|明年|来年")
_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
_KEEP = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z]")


def key_terms(text: str) -> frozenset[str]:
    out: set[str] = set()
    for run in _HAN.findall(_GENERIC.sub(" ", text)):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(out)


def needed(n: int) -> int:
    return max(2, min(5, math.ceil(n / 4)))


_WHITESPACE = re.compile(r"\s+")


def flat(text: str) -> str:
    """A text as the promise rules read it: no page-number lines, no whitespace (a published PDF breaks lines
    inside words and enumerators, "一\n是"); paragraphs end where a sentence ends."""
    return _WHITESPACE.sub("", PAGE_NUMBER.sub("", text or ""))


def _five(report: Report) -> tuple[str, str]:
    return flat(report.narrative.get("problems")), flat(report.narrative.get("improvements"))


def promise_part(report: Report) -> tuple[str, str]:
    """(what 五 says was found or done, what it promises) of one report: the 改进情况 section is the promise, or, where
    a marker of the future stands inside it after other text, the part from that marker on; a 五 not divided into
    sections promises from its first marker on."""
    problems, improvements = _five(report)
    if improvements:
        m = _FUTURE.search(improvements)
        if m and m.start() > 0:
            return problems + "\n" + improvements[: m.start()], improvements[m.start() :]
        return problems, improvements
    m = _MARK.search(problems)
    if not m:
        return problems, ""
    return problems[: m.start()], problems[m.start() :]


def items(text: str) -> list[str]:
    """The promise items of a promise part."""
    marks = list(_ENUM.finditer(text))
    if marks:
        out = []
        intro = text[: marks[0].start()].strip()
        if intro and not intro.rstrip().endswith(("：", ":")) and _SENTENCE.search(intro):
            out.extend(s.strip() for s in _SENTENCE.findall(intro) if s.strip() and not s.strip().endswith(("：", ":")))
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            piece = text[m.end() : end].strip()
            if piece:
                out.append(piece)
    else:
        out = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    return [x for x in out if len(key_terms(x)) >= MIN_TERMS]


def _bare(text: str) -> str:
    return "".join(_KEEP.findall(_ENUM.sub("", text)))


def ratio(a: str, b: str) -> float:
    a, b = _bare(a), _bare(b)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE else text[: QUOTE - 1] + "…"


def reports_on(item: str, sentences: list[str]) -> bool:
    terms = key_terms(item)
    want = needed(len(terms))
    return any(len(terms & key_terms(s)) >= want for s in sentences)


def promise_findings(ctx: Context) -> Iterator[Finding]:
    prev = ctx.previous
    if prev is None or ctx.unplaced & {"problems", "improvements"}:
        return
    before = items(promise_part(prev)[1])
    if not before:
        return
    done, promised = promise_part(ctx.report)
    now_items = items(promised)
    overview = "\n".join(flat(ctx.report.narrative.get(s.id)) for s in ctx.spec.sections if SECTION_PART[s.id] == 0)
    sentences = [s for s in _SENTENCE.findall(overview + "\n" + done) if s.strip()]
    unreported: list[str] = []
    repeated: list[tuple[str, str, float]] = []
    for item in before:
        best = max(((ratio(item, x), x) for x in now_items), default=(0.0, ""))
        if best[0] >= REPEAT:
            repeated.append((item, best[1], best[0]))
        elif not reports_on(item, sentences):
            unreported.append(item)
    if unreported:
        listed = "；".join(f"“{_short(x)}”" for x in unreported)
        yield make(
            "R-PROMISE", SCOPE, ctx.spec, severity=Severity.HINT, where=ctx.spec.headings[4],
            note=f"上年承诺的改进措施未见落实情况：{listed}（本年正文一、五中没有与之共有关键词的语句）；请写明落实情况",
        )
    if repeated:
        listed = "；".join(f"上年“{_short(a)}”，本年“{_short(b)}”（相似度 {r * 100:.0f}%）" for a, b, r in repeated)
        yield make(
            "R-PROMISE", SCOPE, ctx.spec, severity=Severity.VERIFY, where=ctx.spec.headings[4],
            note=f"改进措施与上年雷同：{listed}；国办公开办函〔2021〕30号要求改进举措“不得出现敷衍了事甚至年年雷同现象”",
        )

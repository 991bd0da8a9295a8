"""R-PLACEHOLDER: a placeholder left in the narrative of a draft written from a model or a sample.

What counts as a placeholder (each kind is one pattern below; the words found are quoted, by section):
- a Latin X/Y/Z (one to four, either width, either case) standing where a number or a name goes: directly followed by
  a unit or quantity word ("X万余条", "共XX件", "20XX年", "第X批", "X.X%") or by a word ending an organ's or a place's
  name ("XX局", "X县"); not part of a Latin word, and not followed by anything else ("X光机", "X射线" are words);
- "×" standing for a digit or a name: two or more ("××局", "×××"), or one before a unit or a name's end ("×局"), not
  after a digit ("3×4" is a product, and so is "长×宽");
- blanks: "【…】" holding nothing or words of a fill-in instruction (此处、填写、待、补充、示例、名称、数字、日期、内容、
  XX、××、某、…), "（此处…）", the official template's "（文字描述…）", "此处填写", "请填写", "____";
- "示例" marking sample text ("示例：", "（示例）", "【示例】", "示例文字", "以下为示例", a paragraph beginning "示例");
  the word inside a name ("示例市") is not a placeholder;
- "待补充" / "待填写" (not "有待补充", "尚待补充": those are sentences);
- a sentence of the template's own hint text (the 正文 sheet's 应写内容 column) or of the live draft's "尚未填完" notice;
- in 一、总体情况, a year ("2022年") that is neither the report year nor the year before or after it — unless it is
  inside a title 《…》, part of a span ("2021—2025年"), follows 自/从/到/至, or is followed (after a month and day, if
  any) by 以来/起/修订/颁布/施行/印发/版/远景:
  those name history or plans. A stale year is 核实 everywhere (a filer can say why it stands); every other
  placeholder is 强制 in a workbook or JSON and 核实 in a published report (evaluators ask; the text is already out).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ..drafting import pieces
from ..findings import Severity
from ..formats import Format
from ..formats.common import SECTION_PART
from ..formats.layout import section_title
from .context import make

if TYPE_CHECKING:
    from ..findings import Finding
    from .context import Context

_LETTERS = "XYZxyzＸＹＺｘｙｚ"
_UNITS = "万亿千百余多件条个次篇期项人家场份名批届轮年月日天%％"
_NAME_ENDS = "局委办厅部处科室院所站队会中县区市镇乡街村"
_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"(?<![A-Za-zＡ-Ｚａ-ｚ])[{_LETTERS}]{{1,4}}(?:[.．][{_LETTERS}]{{1,3}})?(?=[{_UNITS}{_NAME_ENDS}])"),
    re.compile(rf"×{{2,}}|(?<![\d０-９])×(?=[{_UNITS}{_NAME_ENDS}])"),
    re.compile(r"【\s*】|【[^】\n]{0,40}?(?:此处|填写|填入|待|补充|示例|名称|数字|日期|内容|XX|xx|××|某|…|\.\.\.)[^】\n]{0,40}?】"),
    re.compile(r"[（(]\s*(?:此处|文字描述)[^）)\n]{0,40}[）)]|此处填写|此处填入|请填写|请在此处"),
    re.compile(r"[_＿]{3,}"),
    re.compile(r"示例(?=\s*[：:）)】])|(?<=[（(【])示例|(?m:^\s*示例)|以下为示例|仅为示例|示例(?:文字|内容|数据|文本)"),
    re.compile(r"(?<![有尚仍亟还])待(?:补充|填写)"),
)
_YEAR = re.compile(r"(?<![\d０-９])((?:19|20)\d{2})(?=\s*年)")
_SPAN = re.compile(r"\d{4}\s*年?\s*[-—–~～至到]\s*$")
_SPAN_AFTER = re.compile(r"^\s*年?\s*[-—–~～至到]\s*\d{4}")
_HISTORY_AFTER = re.compile(r"^\s*年(?:度)?(?:\d{1,2}月(?:\d{1,2}日)?)?\s*(?:以来|起|(?:正式)?(?:修订|颁布|施行|印发|版|远景))")
_HISTORY_BEFORE = re.compile(r"(?:自|从|到|至)\s*$")
_SENTENCE_END = re.compile(r"[。；;！？!?\n，,、]")  # where a quote's context stops: the clause's end
CONTEXT = 6  # characters of context quoted on each side of a placeholder, within its sentence
MIN_HINT = 8  # a hint sentence shorter than this is not looked for (too likely to be said in a filer's own words)


@lru_cache(maxsize=None)
def hint_sentences(spec: Format) -> tuple[str, ...]:
    """The template's own words a filer may have left in the text: each 应写内容 hint's sentences and the live
    draft's notice of an unfinished table, without whitespace and end punctuation."""
    out: list[str] = []
    texts = [s.hint for s in spec.sections] + sorted({p.incomplete for p in pieces(spec)})
    for t in texts:
        for part in re.split(r"[。；]", re.sub(r"\s+", "", t)):
            part = part.strip("，、：:")
            if len(part) >= MIN_HINT and part not in out:
                out.append(part)
    return tuple(out)


def _quote(text: str, start: int, end: int) -> str:
    """The placeholder with a few characters of its clause around it."""
    left = start
    while left > 0 and start - left < CONTEXT and not _SENTENCE_END.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and right - end < CONTEXT and not _SENTENCE_END.match(text[right]):
        right += 1
    return text[left:right].strip()


def _inside_title(text: str, pos: int) -> bool:
    before = text[:pos]
    return before.rfind("《") > before.rfind("》")


def stale_years(text: str, year: int) -> list[tuple[int, int]]:
    """Spans of years in text that are neither year−1, year nor year+1 and name no history or plan."""
    out = []
    for m in _YEAR.finditer(text):
        y = int(m.group(1))
        if abs(y - year) <= 1 or _inside_title(text, m.start()):
            continue
        before, after = text[max(0, m.start() - 8) : m.start()], text[m.end() : m.end() + 14]
        if _SPAN.search(before) or _SPAN_AFTER.match(after) or _HISTORY_AFTER.match(after) or _HISTORY_BEFORE.search(before):
            continue
        out.append((m.start(), m.end() + 1))
    return out


def placeholders(text: str, spec: Format, *, exclude: tuple[str, ...] = ()) -> list[str]:
    """The placeholders in a text, each quoted with its context, in order of appearance, without repeats.
    exclude: names (the unit's own) whose words are never placeholders, e.g. the demo's "示例市示例区…局"."""
    masked = text
    for name in exclude:
        if name:
            masked = masked.replace(name, "\0" * len(name))
    spans: list[tuple[int, int]] = []
    for pat in _PATTERNS:
        spans.extend((m.start(), m.end()) for m in pat.finditer(masked) if m.end() > m.start())
    flat = re.sub(r"\s+", "", text)
    hints = [h for h in hint_sentences(spec) if h in flat]
    merged: list[list[int]] = []
    for start, end in sorted(spans):  # placeholders close together are quoted as one
        if merged and start <= merged[-1][1] + CONTEXT:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    quotes: list[str] = []
    for start, end in merged:
        q = _quote(text, start, end)
        if q not in quotes:
            quotes.append(q)
    return quotes + [h for h in hints if h not in quotes]


def _words(quotes: list[str]) -> str:
    return "".join(f"“{q}”" for q in quotes)


def placeholder_findings(ctx: Context) -> Iterator[Finding]:
    spec, report = ctx.spec, ctx.report
    severity = Severity.VERIFY if ctx.published else Severity.MANDATORY
    names = (report.agency, report.issuer)
    for sec in spec.sections:
        text = report.narrative.get(sec.id) or ""
        if not text.strip():
            continue
        where = section_title(sec)
        found = placeholders(text, spec, exclude=names)
        if found:
            yield make(
                "R-PLACEHOLDER", sec.id, spec, severity=severity, where=where,
                note=f"有占位文字或模板提示语{_words(found)}，请替换为实际内容",
            )
        if SECTION_PART[sec.id] == 0 and sec.id not in ctx.unplaced:
            years = stale_years(text, report.year)
            if years:
                quoted = list(dict.fromkeys(_quote(text, a, b) for a, b in years))
                yield make(
                    "R-PLACEHOLDER", sec.id, spec, severity=Severity.VERIFY, where=where,
                    note=f"{_words(quoted)}中的年份既不是报告年度（{report.year}年）也不是其前后一年，可能沿用了旧稿或范文；"
                         "请核实（确需提及的，在说明中写明）",
                )

"""R-REQUIREMENT: the items of a requirement pack (`--requirements`): what a notice demands the narrative say.

A pack (read from TOML at the edge: gkxl/packs.py) names its notice and lists items. Each item applies to one or
more narrative sections (the contract's section ids, or a 一级标题 "一" / "五" / "六" for all its sections) and asks
one thing of their text, together:
- keywords: every entry present; an entry is a word or a list of alternatives (any one is enough);
- number: a number stated with a noun (alternatives): the noun, then within the same sentence (at most NEAR characters
  on, not past 。；！？, a line end or a title's 《) a number — Arabic (1 234, 1,234, 3.5, ＋万/亿) or Chinese (一百二十) — followed,
  after an optional 余/多, by one of the units ("政务新媒体发布信息1 200余条"); or the number and unit just before the noun
  ("编发12期政府公报": at most 6 characters between);
- max_chars / min_chars: the sections' characters, counted as R-LENGTH counts them (gkxl/rules/length.py).
An item not met is a finding `R-REQUIREMENT.<pack>:<item id>` of the item's severity. Words are looked for in the
text without its whitespace (a PDF's line break inside a word does not hide it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..findings import Severity
from .context import make
from .length import section_count
from .pack import BEFORE, NEAR, Item, Pack, sections_in_words

if TYPE_CHECKING:
    from ..findings import Finding
    from ..model import Report
    from .context import Context

_NUM = r"(?:[\d０-９][\d０-９,，.．]*\s*(?:万|亿)?|[一二三四五六七八九十百千万两〇零]+)"
_STOP = r"[^。；;！？!?\n《]"  # within the sentence, and not past a title (《…》 names another object)


def _text(report: Report, item: Item) -> str:
    return "。".join(re.sub(r"\s+", "", report.narrative.get(s) or "") for s in item.sections)


def number_pattern(item: Item) -> re.Pattern[str]:
    nouns = "|".join(re.escape(n) for n in item.number)
    units = "|".join(re.escape(u) for u in item.units) if item.units else ""
    tail = rf"\s*[余多]?\s*(?:{units})" if units else ""
    after = rf"(?:{nouns}){_STOP}{{0,{NEAR}}}?{_NUM}{tail}"
    before = rf"{_NUM}{tail}[^。；;！？!?\n，,、：:]{{0,{BEFORE}}}?(?:{nouns})" if units else r"(?!x)x"
    return re.compile(f"{after}|{before}")


def evaluate(report: Report, item: Item) -> tuple[bool, str]:
    """(met, what is missing in words) of one item on a report."""
    kind = item.kind
    if kind in ("max_chars", "min_chars"):
        n = sum(section_count(report, s) for s in item.sections)
        if kind == "max_chars":
            return n <= item.max_chars, f"共 {n} 字（按汉字和数字计，不计标题、标点和空白），超过 {item.max_chars} 字"
        return n >= item.min_chars, (f"共 {n} 字，少于 {item.min_chars} 字" if n else "未填写")
    text = _text(report, item)
    if kind == "keywords":
        missing = [alts for alts in item.keywords if not any(a in text for a in alts)]
        words = "、".join("或".join(f"“{a}”" for a in alts) for alts in missing)
        return not missing, f"未写到{words}"
    found = number_pattern(item).search(text)
    noun = "或".join(f"“{n}”" for n in item.number)
    unit = "、".join(item.units)
    return found is not None, f"未写明{noun}的数量" + (f"（如“{item.number[0]}……N{item.units[0]}”）" if unit else "")


def scope(pack: Pack, item: Item) -> str:
    return f"{pack.name}:{item.id}"


def requirement_findings(ctx: Context) -> Iterator[Finding]:
    pack = ctx.requirements
    if pack is None:
        return
    if pack.formats and ctx.spec.id not in pack.formats:
        yield make(
            "R-REQUIREMENT", f"{pack.name}:适用范围", ctx.spec, severity=Severity.HINT,
            note=f"要求清单“{pack.name}”（{pack.notice}）只适用于{'、'.join(pack.formats)}格式的报告，本报告采用{ctx.spec.id}格式，未按其检查",
        )
        return
    # A published report: a section whose bounds were not found, or with no text read at all (its heading found but
    # the text lost to the reading, more often than a report leaving it empty), is not judged, and is said so.
    unchecked = [
        item for item in pack.items
        if ctx.unplaced & set(item.sections)
        or (ctx.published and item.kind != "max_chars" and not any((ctx.report.narrative.get(s) or "").strip() for s in item.sections))
    ]
    if unchecked:
        listed = "、".join(f"“{i.id}”" for i in unchecked)
        yield make(
            "R-REQUIREMENT", f"{pack.name}:未核对", ctx.spec, severity=Severity.HINT,
            note=f"已发布报告中这些条目所在章节的正文未能读出或无法确定范围（一级标题未找到），未按要求清单“{pack.name}”核对：{listed}；请对照原文",
        )
    for item in pack.items:
        if item in unchecked:
            continue
        met, missing = evaluate(ctx.report, item)
        if not met:
            yield make(
                "R-REQUIREMENT", scope(pack, item), ctx.spec, severity=item.severity,
                cells=tuple(f"narrative.{s}" for s in item.sections[:1]),
                note=f"{pack.notice}要求{sections_in_words(item.sections)}{item.text}：{missing}",
            )


# For the office's 通报: which units miss which item (collect's 状态表 “要求清单” sheet and summary.json) ----------

MET, MISSED, UNCHECKED, NOT_APPLIED = "✔", "✘", "未核对", "不适用"


def item_states(pack: Pack, findings: Iterable[Finding]) -> dict[str, str]:
    """Item id → MET / MISSED / UNCHECKED / NOT_APPLIED for one checked report, read from its findings."""
    keys = {f.key for f in findings if f.rule == "R-REQUIREMENT"}
    if f"R-REQUIREMENT.{pack.name}:适用范围" in keys:
        return {i.id: NOT_APPLIED for i in pack.items}
    unchecked = next((f.message for f in findings if f.key == f"R-REQUIREMENT.{pack.name}:未核对"), "")
    out = {}
    for i in pack.items:
        if f"R-REQUIREMENT.{scope(pack, i)}" in keys:
            out[i.id] = MISSED
        elif unchecked and f"“{i.id}”" in unchecked.rpartition("核对：")[2]:
            out[i.id] = UNCHECKED
        else:
            out[i.id] = MET
    return out


def tally(pack: Pack, checked: Iterable[tuple[str, Iterable[Finding]]]) -> list[dict]:
    """Per item: its id, text, severity, and the units (of `checked`: unit → its findings) missing it / not checked."""
    states = [(unit, item_states(pack, list(fs))) for unit, fs in checked]
    return [
        {
            "id": i.id,
            "section": sections_in_words(i.sections),
            "text": i.text,
            "severity": i.severity.value,
            "missed": [u for u, s in states if s[i.id] == MISSED],
            "unchecked": [u for u, s in states if s[i.id] == UNCHECKED],
            "not_applied": [u for u, s in states if s[i.id] == NOT_APPLIED],
        }
        for i in pack.items
    ]

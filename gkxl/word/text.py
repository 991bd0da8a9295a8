"""The report's words: title and its line breaks, narrative paragraphs, the 信息处理费 sentence, the 落款 date, warnings."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from itertools import combinations

from ..formats import TITLE_SUFFIX, Kind
from ..model import Report
from ..values import format_number, parse_value
from . import styles as st
from .ooxml import ILLEGAL_XML

# The most a title line holds: the text width in 2号 characters (442 pt / 22 pt = 20).
TITLE_MAX = math.floor(st.TEXT_WIDTH_MM / 25.4 * 72 / st.TITLE_PT)
# A line of an agency name may end after these characters (省、市、区、局、委员会 …), never inside a word.
_NAME_BREAK_AFTER = set("省市区县旗州盟镇乡道局委厅办院会府部署处所室站队社心")
FEE_NONE = "本年度未收取信息处理费。"
FEE_SOME = "本年度收取信息处理费{amount}元。"


def clean(text: str) -> tuple[str, int]:
    """Text Word accepts: XML-illegal control characters removed. Returns the text and how many were removed."""
    cleaned, n = ILLEGAL_XML.subn("", text)
    return cleaned, n


def paragraphs(text: str | None) -> list[str]:
    """Narrative text as paragraphs: one per line, surrounding spaces (and hand-typed indents) dropped."""
    if not text:
        return []
    out = []
    for line in clean(text)[0].replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip(" \t\u3000\u00a0")
        if line:
            out.append(line)
    return out


def title_of(report: Report) -> str:
    return f"{clean(report.agency)[0].strip()}{report.year}{TITLE_SUFFIX}"


def _width(text: str) -> float:
    """Printed width in character units: ASCII (the year's digits) is half a Chinese character."""
    return sum(0.5 if ord(ch) < 0x2E80 and not ch.isspace() else 1.0 for ch in text)


def title_lines(agency: str, year: int, max_width: float = TITLE_MAX) -> list[str]:
    """The title broken into at most three balanced lines, at word boundaries (GB/T 9704 7.3.1: 梯形或菱形).

    A break goes preferably between the agency name and the year, else after a unit word of the name
    (市、区、局 …) or after the year; only when nothing fits is a name broken at an arbitrary character.
    """
    agency = agency.strip()
    title = f"{agency}{year}{TITLE_SUFFIX}"
    if _width(title) <= max_width:
        return [title]
    if _width(title) > 3 * max_width:  # cannot be three lines at all: Word wraps it (and the search stays bounded)
        return [title]
    year_at = len(agency)
    preferred = {year_at} if agency else set()
    allowed = set(preferred)
    allowed |= {i + 1 for i, ch in enumerate(agency[:-1]) if ch in _NAME_BREAK_AFTER}
    allowed.add(year_at + len(str(year)) + 1)  # after "2023年"
    allowed.discard(0)
    allowed.discard(len(title))

    def best(positions: set[int]) -> list[str] | None:
        scored = []
        for k in (1, 2):
            for cut in combinations(sorted(positions), k):
                bounds = (0, *cut, len(title))
                lines = [title[a:b] for a, b in zip(bounds, bounds[1:])]
                widths = [_width(x) for x in lines]
                if max(widths) > max_width:
                    continue
                score = 100 * k + (max(widths) - min(widths))
                if not preferred & set(cut):
                    score += 4
                if k == 1 and widths[0] > widths[1]:
                    score += 1  # a 正梯形 (shorter line on top) is the usual shape
                if k == 2 and widths[1] < max(widths[0], widths[2]):
                    score += 2  # 菱形: the middle line the longest
                scored.append((score, lines))
        return min(scored)[1] if scored else None

    lines = best(allowed)
    if lines is None:  # a very long name: any character boundary outside the year
        digits = range(year_at + 1, year_at + len(str(year)) + 1)
        lines = best({i for i in range(1, len(title)) if i not in digits})
    return lines or [title]


def fee_sentence(report: Report) -> str:
    """The 信息处理费 sentence section 六 needs, or "" where the format asks none, the text has it or no fee is given."""
    note = report.spec.fee_note
    if not note or note in (report.narrative.get("other_matters") or ""):
        return ""
    raw = report.meta.get("fee_yuan")
    if not raw:
        return ""
    parsed = parse_value(Kind.AMOUNT, raw)
    if not parsed.ok:
        return ""
    amount: Decimal = parsed.value  # type: ignore[assignment]
    if amount == 0:
        return FEE_NONE
    return FEE_SOME.format(amount=format_number(amount))


def issued_on_text(report: Report) -> str:
    """落款日期 in Chinese form, e.g. 2024年1月20日 (GB/T 9704: Arabic numerals, no leading zeros); "" when not given."""
    raw = report.meta.get("issued_on")
    if not raw:
        return ""
    try:
        d = dt.date.fromisoformat(raw)
    except ValueError:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"


def warnings_for(report: Report) -> list[str]:
    """What the report lacks or what was changed in its text: empty sections, blank cells, fee, date, control chars."""
    spec = report.spec
    out: list[str] = []
    empty = [s for s in spec.sections if not paragraphs(report.narrative.get(s.id))]
    if len(empty) == len(spec.sections):
        out.append("正文各部分均为空（如只有表格的汇总报告）：报告中只有标题和表格，请补写正文")
    else:
        for section in empty:
            where = section.heading or _part_name(report, section.id)
            out.append(f"正文“{where}”为空：报告中保留了标题，请补写内容")
    values = report.with_totals()
    blank = [f for f in spec.fields.values() if f.id not in values]
    if blank:
        first = blank[0]
        out.append(
            f"{len(blank)}个表格单元格未填写，报告中留空（如{spec.table_of[first.id].name} {first.describe()}）；没有发生请填 0"
        )
    if spec.fee_note and spec.fee_note not in (report.narrative.get("other_matters") or "") and not report.meta.get("fee_yuan"):
        out.append(f"未填写信息处理费（元），“{spec.headings[5]}”中没有收取信息处理费的情况，请补充")
    if not report.meta.get("issued_on"):
        out.append("未填写落款日期，报告末尾只有落款机关")
    removed = sum(clean(t)[1] for t in (report.agency, report.issuer, *report.narrative.values()))
    if removed:
        out.append(f"正文中有{removed}个无法写入 Word 的控制字符，已删除")
    return out


def _part_name(report: Report, section_id: str) -> str:
    from ..formats import SECTION_PART

    part = SECTION_PART.get(section_id, -1)
    if part < 0:
        return "开头段落（编制依据和统计期限）"
    return report.spec.headings[part]


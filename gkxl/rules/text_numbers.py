"""R-TEXT-NUMBER: numbers quoted in the narrative checked against the tables (precision over recall).

Only a few well-defined phrases are read, each mapped to table cells taken from the spec's structure; a phrase
whose table value is not known, or whose sentence is ambiguous (it mentions 结转 where a count of new
applications is meant), is skipped rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..formats import Format
from ..formats.common import ORGANISATIONS
from ..formats.layout import section_title
from .context import make

if TYPE_CHECKING:
    from ..findings import Finding
    from .context import Context

_NUM = r"(?P<n>\d+|[零〇一二两三四五六七八九十百千]+)"
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


@dataclass(frozen=True)
class Phrase:
    """A narrative phrase and the table cells (by role, see _cells) whose sum it states."""

    pattern: re.Pattern[str]
    cells: str
    within: tuple[re.Pattern[str], ...] = ()  # the sentence must also contain each of these
    unless: re.Pattern[str] | None = None  # and must not contain this
    value: int | None = None  # a phrase that states a fixed number ("未因…引起行政复议和行政诉讼": 0)
    # What an ambiguous word may also mean: a number equal to these cells' sum is a hint to word it explicitly
    # (收到 is used both for 本年新收 and for 本年新收 + 上年结转, by the same office in consecutive years).
    also: str | None = None


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text)


_RECEIVED = r"(?:共|累计|合计)?(?:新)?收到(?:政府信息公开|信息公开|依申请公开)?申请(?:共计|共|合计|总计)?"
_NEW = r"本年(?:度)?新收(?:政府信息公开|信息公开)?申请(?:数量)?(?:为|共)?"
_IN_RECEIVED = _p(r"(?:" + _RECEIVED + "|" + _NEW + ")" + _NUM + r"件")
_IS_NEW = _p(_NEW + _NUM + r"件")
_CARRIED_IN = _p(r"结转")
_INCLUDES_CARRIED = _p(r"含上一?年度?结转")
# Counts are only about information disclosure when the sentence says so: a 司法局 may report the 行政复议 cases
# it handled, any agency the lawsuits it faced or the 行政许可 applications it received.
_DISCLOSURE = _p(r"信息公开|依申请")

PHRASES: tuple[Phrase, ...] = (
    # 收到…申请N件: the new applications, unless the sentence brings 结转 in; "含上年结转" makes it new + carried over.
    Phrase(_p(_RECEIVED + _NUM + r"件"), "received", within=(_DISCLOSURE,), unless=_CARRIED_IN, also="received_with_carried"),
    Phrase(_p(_RECEIVED + _NUM + r"件"), "received_with_carried", within=(_DISCLOSURE, _INCLUDES_CARRIED)),
    Phrase(_p(_NEW + _NUM + r"件"), "received"),
    # In the sentence that gives the applications received: by whom.
    Phrase(
        _p(r"自然人(?:提出|提交|申请)?(?:的)?(?:申请)?" + _NUM + r"件"), "received.person", within=(_IN_RECEIVED,), unless=_CARRIED_IN,
        also="received.person_with_carried",
    ),
    Phrase(
        _p(r"法人(?:或其他组织|和其他组织|及其他组织)?(?:提出|提交|申请)?(?:的)?(?:申请)?" + _NUM + r"件"),
        "received.orgs", within=(_IN_RECEIVED,), unless=_CARRIED_IN, also="received.orgs_with_carried",
    ),
    Phrase(_p(r"上一?年度?结转(?:的)?(?:政府信息公开)?(?:申请)?" + _NUM + r"件"), "carried_over"),
    Phrase(_p(r"结转(?:至|到)?下一?年度?(?:继续)?(?:办理)?(?:的)?(?:申请)?" + _NUM + r"件"), "carried_forward"),
    Phrase(_p(_NUM + r"件(?:申请)?(?:结转|顺延)(?:至|到)?下一?年度?"), "carried_forward"),
    Phrase(_p(r"(?:被申请|申请|发生|收到)?(?:政府信息公开)?行政复议(?:案件|申请)?(?:共)?" + _NUM + r"(?:件|起)"), "review", within=(_DISCLOSURE,)),
    # 行政诉讼N件 is both groups together; a count of one group only ("复议后起诉") is not compared.
    Phrase(
        _p(r"(?:被提起|提起|发生)?(?:政府信息公开)?行政诉讼(?:案件)?(?:共)?" + _NUM + r"(?:件|起)"),
        "litigation", within=(_DISCLOSURE,), unless=_p(r"复议后|直接起诉|未经复议"),
    ),
    # "未因政府信息公开（工作）引起行政复议和行政诉讼": both are 0.
    Phrase(_p(r"(?:未|没有)(?:发生)?因政府信息公开(?:工作)?(?:而)?(?:引起|引发|被申请)?(?:的)?行政复议(?:和|及|或|、)(?:提起)?行政诉讼"), "review", value=0),
    Phrase(_p(r"(?:未|没有)(?:发生)?因政府信息公开(?:工作)?(?:而)?(?:引起|引发|被申请)?(?:的)?行政复议(?:和|及|或|、)(?:提起)?行政诉讼"), "litigation", value=0),
)


def _cells(spec: Format) -> dict[str, tuple[str, ...]]:
    """The cells each phrase refers to, found by the tables' structure (never by typed ids).

    Table 三: its first data row is 一、本年新收, the second 二、上年结转, the last 四、结转下年度继续办理 (the official
    勾稽 note numbers them so); its first data column is 自然人, the columns under 法人或其他组织 are the organisations,
    the total column the row's total. Table 四: the first group is 行政复议, the others 行政诉讼.
    """
    sec3 = spec.table("sec3")
    rows = sorted({f.row for f in sec3.fields})

    def row(r: int) -> list:
        return sorted((f for f in sec3.fields if f.row == r), key=lambda f: f.col)

    new, carried, forward = row(rows[0]), row(rows[1]), row(rows[-1])

    def total(fields) -> str:
        return next(f.id for f in fields if f.is_total)

    sec4_totals = [f.id for f in sorted(spec.table("sec4").fields, key=lambda f: f.col) if f.is_total]
    return {
        "received": (total(new),),
        "received_with_carried": (total(new), total(carried)),
        "received.person": (new[0].id,),
        "received.orgs": tuple(f.id for f in new if f.col_labels[0] == ORGANISATIONS),
        "received.person_with_carried": (new[0].id, carried[0].id),
        "received.orgs_with_carried": tuple(f.id for row in (new, carried) for f in row if f.col_labels[0] == ORGANISATIONS),
        "carried_over": (total(carried),),
        "carried_forward": (total(forward),),
        "review": tuple(sec4_totals[:1]),
        "litigation": tuple(sec4_totals[1:]),
    }


def cn_number(text: str) -> int | None:
    """A number written in digits or simple Chinese numerals (五, 十二, 一百零五); None if it is neither."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。；;！!？?\n]", text) if s.strip()]


def text_number_findings(ctx: Context) -> Iterator[Finding]:
    spec = ctx.spec
    cells = _cells(spec)
    for section in spec.sections:
        text = ctx.report.narrative.get(section.id) or ""
        if not text:
            continue
        seen: set[tuple[str, int]] = set()
        for sentence in _sentences(unicodedata.normalize("NFKC", text)):
            compact = re.sub(r"\s+", "", sentence)
            for phrase in PHRASES:
                if not all(w.search(compact) for w in phrase.within):
                    continue
                if phrase.unless is not None and phrase.unless.search(compact):
                    continue
                ids = cells[phrase.cells]
                if not ids or not all(c in ctx.values for c in ids):
                    continue  # no table value to compare with
                table_value = sum((ctx.values[c] for c in ids), 0)
                for m in phrase.pattern.finditer(compact):
                    said = phrase.value if phrase.value is not None else cn_number(m.group("n"))
                    if said is None or said == table_value or (phrase.cells, said) in seen:
                        continue
                    seen.add((phrase.cells, said))
                    # the breakdown of an explicit 新收 sentence is of 新收 alone; only 收到 is ambiguous
                    also = cells.get(phrase.also or "", ()) if not _IS_NEW.search(compact) else ()
                    if also and all(c in ctx.values for c in also) and said == sum((ctx.values[c] for c in also), 0):
                        yield _also_hint(ctx, section, m.group(0), also)
                        continue
                    yield make(
                        "R-TEXT-NUMBER", section.id, spec, cells=ids, expected=table_value, actual=said,
                        where=section_title(section), note=f"写有“{m.group(0)}”，表格中为 {table_value}",
                    )


def _also_hint(ctx: Context, section, quoted: str, cells: tuple[str, ...]) -> Finding:
    """收到 N件 where N is 本年新收 + 上年结转: not a contradiction, but wording a reader cannot tell; a hint."""
    from ..findings import Severity

    spec = ctx.spec
    parts = "与".join(f"“{spec.fields[c].row_text}”（{ctx.values[c]}）" for c in cells)
    total = sum((ctx.values[c] for c in cells), 0)
    return make(
        "R-TEXT-NUMBER", section.id, spec, cells=cells, expected=total, actual=total, severity=Severity.HINT,
        where=section_title(section),
        note=f"写有“{quoted}”，等于{parts}之和；“收到”既可指本年新收，也可含上年结转，建议分别写明新收和结转的件数",
    )

"""R-STRUCTURE: a published report's fixed parts, read from its text lines in reading order.

- `headings` (核实): the six 一级标题 of the format present and in order; a heading worded otherwise is named with
  the official wording (and the known misspelling or renaming it contains). A heading that keeps every official
  word in order and only adds some ("五、存在的主要问题及下步改进情况") is accepted;
- `period` (核实): the statistics period is the report year's 1月1日 to 12月31日;
- `basis` (核实): the format notice cited is the one of the report's year (〔2021〕30号 from 2021, 〔2019〕60号 before);
- `wording` (提示): misspelt fixed terms (转结 for 结转, 行政法复议) and enumerations broken ("一是…三是…三是").

Pure: the lines are given by the importer; official wording comes from gkxl.formats.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from ..findings import Severity
from ..formats import FIRST_YEAR, all_formats, format_for_year
from .context import make

if TYPE_CHECKING:
    from ..findings import Finding
    from ..model import Report

HEADING_SIMILARITY = 0.6  # a line with a heading's number that is this similar to its words stands for it
# Misspelt fixed terms met in published reports: (as published, the official term). The official terms are words of
# the format's labels (tests/rules/test_structure.py checks that).
MISSPELT = (("行政法复议", "行政复议"), ("转结", "结转"))
# Headings renamed in published reports: (as published, the official words) — named when a heading contains them.
RENAMED = (("整改措施", "改进情况"), ("整改情况", "改进情况"), *MISSPELT)

_CN = "一二三四五六七八九十"
_SPACE = re.compile(r"[\s|\u200b\ufeff]+")
_HEADING_START = re.compile(rf"^(?:[{_CN}]+[、.,，:：．]|\([{_CN}]+\))")
_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_RANGE = re.compile(_DATE + r"(?:起)?(?:至|到|—|-|~|～)+(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_PERIOD_KEY = re.compile(r"统计(?:的)?(?:期限|时限|期间|区间|时段|时间|周期|截至|截止)|数据统计|所列数据")
_UNTIL = re.compile(r"(?:截至|截止到?|至)" + _DATE)
_NOTICE = re.compile(r"[〔\[(【]\s*(\d{4})\s*[〕\])】]\s*(\d+)\s*号")
_ENUM = re.compile(rf"(?:^|[。；;，,：:\s(（])([{_CN}]{{1,3}})是")


def _norm(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def _number(cn: str) -> int:
    """一 … 九十九 as a number."""
    if cn == "十":
        return 10
    if "十" in cn:
        tens, _, units = cn.partition("十")
        return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(units) + 1 if units else 0)
    return _CN.index(cn) + 1


def _ordinal(heading: str) -> tuple[str, str]:
    """("一", "总体情况") of an official heading."""
    m = re.match(rf"^([{_CN}]+)、(.*)$", _norm(heading))
    return (m.group(1), m.group(2)) if m else ("", _norm(heading))


def _keeps(published: str, official: str) -> bool:
    """Every character of the official words, in order, and no known misspelling."""
    if any(wrong in published for wrong, _ in MISSPELT):
        return False
    rest = iter(published)
    return all(ch in rest for ch in official)


def _heading_at(lines: list[str], heading: str) -> tuple[int | None, str]:
    """The index of the line that is this heading (exactly, else the first close variant), and how it is worded."""
    number, words = _ordinal(heading)
    variant: tuple[int, str] | None = None
    for i, line in enumerate(lines):
        s = _norm(line).rstrip("。:：")
        if s == _norm(heading):
            return i, ""
        m = re.match(rf"^{number}[、.,，:：．](.*)$", s)
        if m is None:
            continue
        if s.startswith(number + "、") and _keeps(m.group(1), words):
            return i, ""  # the official words in order, with some added ("…及下步改进情况"): the heading as such
        if variant is None and SequenceMatcher(None, m.group(1), words, autojunk=False).ratio() >= HEADING_SIMILARITY:
            variant = (i, line.strip())
    return (variant[0], variant[1]) if variant else (None, "")


def _headings(lines: list[str], report: Report) -> tuple[list[str], set[int]]:
    problems: list[str] = []
    flagged: set[int] = set()
    found: list[tuple[int, str]] = []
    for heading in report.spec.headings:
        at, as_published = _heading_at(lines, heading)
        if at is None:
            problems.append(f"缺少标题“{heading}”")
            continue
        found.append((at, heading))
        if as_published:
            flagged.add(at)
            named = [f"“{wrong}”应为“{right}”" for wrong, right in RENAMED if wrong in _norm(as_published) and wrong not in heading]
            problems.append(f"标题“{as_published}”应为“{heading}”" + (f"（{'，'.join(named)}）" if named else ""))
    order = [h for _, h in sorted(found)]
    if order != [h for _, h in found]:
        problems.append("标题顺序与官方格式不同：" + " → ".join(order))
    return problems, flagged


def _period(lines: list[str], year: int) -> str:
    """The statistics period: the dates right after "统计期限" (or 统计时间, 数据统计, 所列数据 …), not any dates."""
    start, end = (year, 1, 1), (year, 12, 31)
    stated = False
    for line in lines:
        s = _norm(line)
        for key in _PERIOD_KEY.finditer(s):
            part = s[key.start() : key.end() + 40]
            m = _RANGE.search(part)
            if m:
                stated = True
                y1, m1, d1, y2, m2, d2 = m.groups()
                got = ((int(y1), int(m1), int(d1)), (int(y2 or y1), int(m2), int(d2)))
                if got != (start, end):
                    return f"数据统计期限写为“{m.group(0)}”，应为{year}年1月1日至{year}年12月31日"
                continue
            m = _UNTIL.search(part)
            if m:
                stated = True
                if tuple(int(g) for g in m.groups()) != end:
                    return f"数据统计期限写为“{m.group(0)}”，应截至{year}年12月31日"
    if not stated:
        return f"未找到数据统计期限的说明（应写明统计期限为{year}年1月1日至{year}年12月31日）"
    return ""


def _basis(lines: list[str], year: int) -> str:
    if year < FIRST_YEAR:
        return ""
    notices = {}
    for spec in all_formats():
        m = _NOTICE.search(_norm(spec.document))
        if m:
            notices[(int(m.group(1)), int(m.group(2)))] = spec
    cited = {(int(a), int(b)) for line in lines for a, b in _NOTICE.findall(_norm(line))}
    expected = format_for_year(year)
    wrong = [spec for key, spec in notices.items() if key in cited and spec.id != expected.id]
    if wrong and not any(notices[k].id == expected.id for k in cited if k in notices):
        other = wrong[0]
        return f"引用了{other.document}（《{other.title}》），{year}年度的报告应采用{expected.document}的格式"
    return ""


# Where a misspelling's characters are a right word: 中转结算 holds 转结, so does 转结账.
_NOT_MISSPELT = {"转结": re.compile(r"转结(?=[算账])")}


def _misspelt_at(text: str, wrong: str) -> int:
    for m in re.finditer(re.escape(wrong), text):
        fine = _NOT_MISSPELT.get(wrong)
        if fine is None or not fine.match(text, m.start()):
            return m.start()
    return -1


def _wording(lines: list[str], skip: set[int]) -> list[str]:
    problems: list[str] = []
    run: list[str] = []  # the 一是、二是… met since the last heading, in order
    for i, line in enumerate(lines):
        s = _norm(line)
        if _HEADING_START.match(s):
            run = []
        if i in skip:
            continue
        for wrong, right in MISSPELT:
            raw = line.strip()
            at = _misspelt_at(raw, wrong)
            if at < 0:
                raw, at = s, _misspelt_at(s, wrong)  # broken by spaces: quoted as normalised
            if at >= 0:
                excerpt = raw[max(0, at - 8) : at + len(wrong) + 8]
                problems.append(f"“{excerpt}”中的“{wrong}”应为“{right}”")
        for m in _ENUM.finditer(s):
            k = _number(m.group(1))
            if k == 1:
                run = [m.group(1)]
            elif run:
                run.append(m.group(1))
                if k != _number(run[-2]) + 1:
                    at = m.start(1)
                    problems.append("列举的序号不连续：“" + "…".join(f"{x}是" for x in run) + f"”（在“{s[at : at + 12]}…”处）")
                    run = []
    return problems


def structure_findings(lines: list[str], report: Report) -> list[Finding]:
    """R-STRUCTURE findings of a published report: lines are its text lines in reading order (table cells may be among them)."""
    spec = report.spec
    out: list[Finding] = []
    headings, flagged = _headings(lines, report)
    if headings:
        out.append(make("R-STRUCTURE", "headings", spec, note="报告的一级标题：" + "；".join(headings)))
    period = _period(lines, report.year)
    if period:
        out.append(make("R-STRUCTURE", "period", spec, note=period))
    basis = _basis(lines, report.year)
    if basis:
        out.append(make("R-STRUCTURE", "basis", spec, note=basis))
    wording = _wording(lines, flagged)
    if wording:
        out.append(make("R-STRUCTURE", "wording", spec, severity=Severity.HINT, note="；".join(dict.fromkeys(wording))))
    return out

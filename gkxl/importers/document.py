"""Tokens of a published report → a Report: format, headings, tables (via the table matcher), narrative, identity."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ..errors import InputError
from ..formats import HEADINGS, SECTION_PART, TITLE_SUFFIX, Format, Section, all_formats, format_for_year
from ..model import Report
from ..rules.context import make
from .labels import heading_ordinal, like_subheading, match_heading, norm
from .result import Collector, Unreadable
from .tables import read_table
from .tokens import Token

_ORDINAL = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*")
_HEAD_END = re.compile(r"[。：:]")
HEAD_MAX = 30  # a subsection heading ("（一）主动公开情况。") is at most this long
_TITLE = re.compile(r"^(?P<agency>.*?)(?P<year>(?:19|20)\d{2})年度?" + re.escape(TITLE_SUFFIX[1:]) + r"(?:[-_—|｜].*)?$")
# "2019年上海市人民政府办公厅政府信息公开工作年度报告": the year in front of the agency
_TITLE_YEAR_FIRST = re.compile(
    r"^(?P<year>(?:19|20)\d{2})年度?(?P<agency>[^\d，。；]{2,40}?)" + re.escape(TITLE_SUFFIX[1:]) + r"(?:[-_—|｜].*)?$"
)
_PERIOD = re.compile(r"((?:19|20)\d{2})年1月1日(?:起)?至(?:((?:19|20)\d{2})年)?12月31日")
_DATE = re.compile(r"^((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日$")
# The information lines of a government web page between the title and the report (not part of the preamble).
_PAGE_INFO = re.compile(r"^(?:发布时间|发布日期|发文日期|成文日期|来源|信息来源|发布机构|字号|【字体|浏览次数|点击数|阅读次数|索引号|分享到|责任编辑|打印)")
# The footer of a government web page, after the report: never part of section 六.
_CHROME = re.compile(r"^(?:主办单位|承办单位|版权所有|网站标识码|技术支持|打印本页|关闭窗口|【打印】|【关闭】|扫一扫)|ICP备|公网安备")


def build_report(tokens: Sequence[Token], source: str, *, agency: str | None, year: int | None) -> tuple[Report, Collector]:
    """Read tokens into a Report, collecting trace, findings, unreadable parts, variants and notes."""
    if not tokens:
        raise InputError("文件中没有文字", file=source)
    # The six headings are the same in every format: find them first, so a file that is no report is told so.
    heads, heading_variants, heading_missing = _headings(tokens, HEADINGS)
    if not any(h is not None for h in heads):
        raise InputError(f"未找到年度报告的章节标题（{HEADINGS[0]} … {HEADINGS[-1]}），不像政府信息公开工作年度报告", file=source)
    title_at, title_agency, title_year = _title(tokens)
    period_year = _period_year(tokens)
    found_year = title_year or period_year
    the_year = year or found_year
    if the_year is None:
        raise InputError("无法确定报告年度（没有“××年政府信息公开工作年度报告”标题，也没有统计期限），请用 --year 指定", file=source)
    spec, format_note = _detect_format(tokens, the_year, source)
    out = Collector(spec)
    for note in heading_variants:
        out.variant("标题", note)
    if title_year and period_year and title_year != period_year:
        out.notes.append(f"标题年度为{title_year}年，统计期限为{period_year}年；按标题取{title_year}年")
    out.notes.extend(heading_missing)
    if format_note:
        out.notes.append(format_note)
    if format_for_year(max(the_year, 2019)).id != spec.id:
        out.notes.append(f"报告年度为{the_year}年，表格却是{spec.document}的格式，按表格的格式读取")
    the_agency = agency if agency is not None else title_agency
    if not the_agency:
        out.notes.append("未能从标题识别机关全称，机关全称留空；请用 --agency 指定")
    regions = _regions(tokens, heads)
    for table in spec.tables:
        part = spec.headings.index(table.heading)
        if heads[part] is None or not read_table(table, regions[part], out):
            what = f"未找到{table.name}（标题“{table.heading}”）" if heads[part] is None else f"未找到{table.name}的表格"
            out.unreadable.append(Unreadable(f"{table.name}：{what}，表中数值均未读取", "", ""))
            cells = tuple(f.id for f in table.fields)  # not read: neither missing nor a value
            out.findings.append(make("R-LAYOUT", table.name, spec, cells=cells, note=f"{what}，表中数值均未读取"))

    first = next(h for h in heads if h is not None)
    preamble = [t for t in tokens[max(title_at + 1, 0) : first] if not t.cell and not _PAGE_INFO.match(norm(t.text))]
    narrative, meta = _narrative(spec, preamble, regions, out)
    report = Report(spec.id, the_year, the_agency or "", out.values, narrative, {}, meta)
    return report, out


def _title(tokens: Sequence[Token]) -> tuple[int, str, int | None]:
    """(index, agency, year) of the title "<机关><年度>年(度)政府信息公开工作年度报告", the last one before 一、.

    The title may stand on two lines (the agency above the year line, or the words broken anywhere); the
    agency is then the line above, when it is short and no sentence.
    """
    found = (-1, "", None)
    lines = [(i, "".join(t.text.split())) for i, t in enumerate(tokens[:200]) if not t.cell]
    for n, (i, s) in enumerate(lines):
        if norm(tokens[i].text).startswith(heading_ordinal(HEADINGS[0])):
            break
        m = _TITLE.match(s) or _TITLE_YEAR_FIRST.match(s)
        at = i
        if not m and n + 1 < len(lines) and len(s) <= 40:
            m = _TITLE.match(s + lines[n + 1][1]) or _TITLE_YEAR_FIRST.match(s + lines[n + 1][1])
            at = lines[n + 1][0] if m else i
        if not m:
            continue
        agency = re.sub(r"(关于)$", "", m.group("agency")).strip("：:·-—_ ")
        agency = re.sub(r"^(?:标题|题目|文章标题|名称)[:：]", "", agency)  # a web archive's "标题: …" line
        if re.search(r"[:：/\\_]|https?|www\.", agency):
            continue  # a path or link ending in the title (an archive's "本地目录: …/80629_<title>"), not the title

        if not agency and n > 0 and _agency_line(lines[n - 1][1]):
            agency = lines[n - 1][1]
        found = (at, agency or found[1], int(m.group("year")))
    return found


def _agency_line(s: str) -> bool:
    """A line that can be the agency's name above a title line: short, no sentence, no page information."""
    return 2 <= len(s) <= 40 and not re.search(r"[。；;，,：:！？!?（）()]|\d", s) and not _PAGE_INFO.match(s)


def _period_year(tokens: Sequence[Token]) -> int | None:
    for t in tokens:
        m = _PERIOD.search(norm(t.text))
        if m and (m.group(2) is None or m.group(2) == m.group(1)):
            return int(m.group(1))
    return None


def _detect_format(tokens: Sequence[Token], year: int, source: str) -> tuple[Format, str]:
    """The format whose marker labels (table 二's columns) appear; by the year only when no marker is found."""
    texts = [norm(t.text) for t in tokens]
    scores = {f.id: sum(1 for m in f.markers if any(norm(m) in s for s in texts)) for f in all_formats()}
    best = max(scores.values())
    winners = [f for f in all_formats() if scores[f.id] == best]
    if best and len(winners) == 1:
        spec = winners[0]
        others = [f.id for f in all_formats() if f is not spec and scores[f.id]]
        note = f"表二中也出现了{'、'.join(others)}格式的标签，按{spec.id}格式读取" if others else ""
        return spec, note
    if year >= 2019:
        spec = format_for_year(year)
        return spec, f"表二的标签不能确定格式，按{year}年度采用{spec.document}的格式读取"
    raise InputError(f"无法确定报告格式：表二的标签既不是2021年格式也不是2019年试行格式，{year}年也早于这两种格式", file=source)


def _headings(tokens: Sequence[Token], headings: Sequence[str]) -> tuple[list[int | None], list[str], list[str]]:
    """Index of each 一级 heading, found in order (None when not found); the variants met; the headings not found."""
    heads: list[int | None] = []
    variants: list[str] = []
    missing: list[str] = []
    pos = 0
    for heading in headings:
        at = None
        for j in range(pos, len(tokens)):
            if tokens[j].cell:
                continue
            note = match_heading(tokens[j].text, heading)
            if note is not None:
                at = j
                if note:
                    variants.append(note)
                break
        if at is None:
            missing.append(f"未找到标题“{heading}”")
        else:
            pos = at + 1
        heads.append(at)
    _renumbered(tokens, headings, heads, variants, missing)
    return heads, variants, missing


_ANY_ORDINAL = re.compile(r"^[一二三四五六七八九十]+[、.,:]")


def _renumbered(tokens: Sequence[Token], headings: Sequence[str], heads: list[int | None], variants: list[str], missing: list[str]) -> None:
    """A heading not found under its own number, found with the official words exactly under another number
    ("一、主动公开政府信息情况" where the tables stand as an appendix numbered anew), in its place among the
    headings found."""
    for k, heading in enumerate(headings):
        if heads[k] is not None:
            continue
        lo = max((h for h in heads[:k] if h is not None), default=-1)
        hi = min((h for h in heads[k + 1 :] if h is not None), default=len(tokens))
        words = norm(heading)[len(heading_ordinal(heading)) :]
        for j in range(lo + 1, hi):
            t = tokens[j]
            a = norm(t.text)
            if t.cell or not _ANY_ORDINAL.match(a):
                continue
            if _ANY_ORDINAL.sub("", a) == words:
                heads[k] = j
                variants.append(f"标题“{t.text.strip()}”按“{heading}”识别（编号不同）")
                missing.remove(f"未找到标题“{heading}”")
                break


def _regions(tokens: Sequence[Token], heads: Sequence[int | None]) -> list[list[Token]]:
    """The tokens under each heading, up to the next heading found."""
    found = [(i, h) for i, h in enumerate(heads) if h is not None]
    regions: list[list[Token]] = [[] for _ in heads]
    for n, (i, h) in enumerate(found):
        end = found[n + 1][1] if n + 1 < len(found) else len(tokens)
        regions[i] = list(tokens[h + 1 : end])
    return regions


def _narrative(spec: Format, preamble: Sequence[Token], regions, out: Collector) -> tuple[dict[str, str], dict[str, str]]:
    narrative: dict[str, str] = {}
    meta: dict[str, str] = {}
    parts: dict[int, list[Section]] = {}
    for s in spec.sections:
        parts.setdefault(SECTION_PART[s.id], []).append(s)
    for part, sections in parts.items():
        lines = [t.text for t in (preamble if part < 0 else regions[part]) if not t.cell]
        if part == len(spec.headings) - 1:
            lines = _signature(lines, meta, out)
        if len(sections) == 1:
            texts = {sections[0].id: lines}
        else:
            texts = _subsections(spec, part, sections, lines, out)
        for sid, ls in texts.items():
            text = "\n".join(x.strip() for x in ls if x.strip())
            if text:
                narrative[sid] = text
    return narrative, meta


def _subsections(spec: Format, part: int, sections: Sequence[Section], lines: Sequence[str], out: Collector) -> dict[str, list[str]]:
    """Split a part's lines at its （一）（二）… subheadings; an intro goes to the first; undivided text all to the first."""
    texts: dict[str, list[str]] = {s.id: [] for s in sections}
    intro: list[str] = []
    current: str | None = None
    nxt = 0
    for line in lines:
        hit = None
        for k in range(nxt, len(sections)):
            body = _subheading(line, sections[k])
            if body is not None:
                hit = (k, body)
                break
        if hit:
            nxt = hit[0] + 1
            current = sections[hit[0]].id
            texts[current].append(hit[1])
        elif current is None:
            intro.append(line)
        else:
            texts[current].append(line)
    heading = spec.headings[part]
    first = sections[0]
    if current is None and intro:
        out.notes.append(f"“{heading}”中未能区分{'、'.join(s.heading for s in sections)}，全文归入“{first.heading}”")
    elif intro:
        out.notes.append(f"“{heading}”开头的{len(intro)}段文字（在“{first.heading}”之前）并入“{first.heading}”")
    texts[first.id] = intro + texts[first.id]
    return texts


def _subheading(line: str, section: Section) -> str | None:
    """The body text of line if it begins with this subsection's heading (its number, and its words loosely)."""
    m = _ORDINAL.match(line)
    if not m or f"({m.group(1)})" != heading_ordinal(section.heading):
        return None
    rest = line[m.end() :]
    title = norm(section.heading)[len(heading_ordinal(section.heading)) :]
    end = _HEAD_END.search(rest[: HEAD_MAX + 1])
    head = rest[: end.start()] if end else rest[:HEAD_MAX]
    if not like_subheading(head, title):
        return None
    if end:
        return rest[end.end() :].strip()
    return "" if len(rest.strip()) <= HEAD_MAX else rest.strip()


def _signature(lines: list[str], meta: dict[str, str], out: Collector) -> list[str]:
    """The 落款 at the end of section 六: the date line (and the issuer before it) go to metadata, page footer dropped."""
    chrome = next((i for i, line in enumerate(lines) if _CHROME.search(norm(line))), None)
    if chrome is not None:
        out.notes.append(f"“{HEADINGS[-1]}”之后的{len(lines) - chrome}段网页页脚文字未读入")
        lines = lines[:chrome]
    for i in range(len(lines) - 1, -1, -1):
        m = _DATE.match(norm(lines[i]))
        if not m:
            continue
        try:
            meta["issued_on"] = dt.date(*(int(g) for g in m.groups())).isoformat()
        except ValueError:  # not a real date: leave the text as it is
            return lines
        keep = lines[:i]
        if keep and len(keep[-1].strip()) <= 40 and not re.search(r"[。；;，,]", keep[-1]):
            meta["issuer"] = keep.pop().strip()
        if len(lines) > i + 1:
            out.notes.append(f"落款日期之后的{len(lines) - i - 1}段文字（网页页脚等）未读入")
        return keep
    return lines

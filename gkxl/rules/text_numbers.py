"""R-TEXT-NUMBER: numbers the narrative states, compared with the table cells they name (precision over recall).

A report's narrative states its tables' numbers in its own words: "共受理政府信息公开申请859件" (新收),
"予以公开及部分公开258件" (the sum of two rows), "因本机关不掌握等原因无法提供265件" (the whole （四）无法提供 group),
"行政复议7件，其中结果维持5件" (a row of 表四 and its columns). Each number-stating phrase is mapped to the cell or
the sum of cells it names; the names are the official labels of gkxl/formats (row labels of 表三 without their
ordinals, column labels of 表三 and 表四), never a second copy of them. A few verbs the tables do not print
(收到/受理/接收 for 新收, 办结/答复 for （七）总计, 结转/顺延 for 结转下年度) are the only words kept here.

A false accusation in an audit is worse than a miss, so a number is compared only where the phrase says what it
counts. Where a qualifier makes it another quantity — 其中 with other words before the name, 备案, 同比/较上年,
增长/下降, 累计, 市本级/各部门, another year, 约/余/以上, 件次 — it is not compared; `statements` says why, for
tests and tracing, and no finding is made (a 提示 that a number was not compared would be counted as a finding).
Blank cells are not 0: where some cells a phrase names are blank, the filled ones are a lower bound (counts are
never negative), and only a number below it is a contradiction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..formats import Format
from ..formats.common import ORGANISATIONS, RESULTS
from ..formats.layout import section_title
from .context import make

if TYPE_CHECKING:
    from ..findings import Finding
    from ..model import Report
    from .context import Context

_NUM = r"(?<![\d.,])(?P<n>\d+|[零〇一二两三四五六七八九十百千]+)"  # never the tail of "1,295" or "2.5"
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
MAX_DIGITS = 12  # longer runs of digits are no count of applications or cases (phone numbers, document numbers)
_TOTALLING = r"(?:共计|共|合计|总计|为|计)?"


@dataclass(frozen=True)
class Phrase:
    """A spec-independent statement form (kept for R-TEXT-REPEAT, which removes every such statement before
    comparing two years' texts)."""

    pattern: re.Pattern[str]


# The verbs of the narrative that the tables do not print. 收到/受理/接收 are used both for 本年新收 and for 本年新收 +
# 上年结转 (by the same office in consecutive years); 新收 is never ambiguous.
_RECEIVED = re.compile(
    r"(?P<verb>(?:共)?(?:新收|收到|受理|接收|接到))(?:各类)?(?:依申请)?(?:政府信息公开|信息公开|依申请公开)?(?:的)?"
    r"(?:申请)?(?:数量)?" + _TOTALLING + _NUM + r"件"
)
_HANDLED = re.compile(r"(?:共)?(?:办结|答复)(?:依申请)?(?:政府信息公开|信息公开|依申请公开)?(?:的)?(?:申请)?" + _TOTALLING + _NUM + r"件")
_CARRIED_OVER = re.compile(r"上一?年度?结转(?:的)?(?:政府信息公开|依申请公开)?(?:申请)?(?:共)?" + _NUM + r"件")
_NEXT_YEAR = r"(?:下一?年度?|(?P<y>20\d\d)年度?)"
_FORWARD = (
    re.compile(r"结转(?:至|到)?" + _NEXT_YEAR + r"(?:继续)?(?:办理)?(?:的)?(?:申请)?(?:共)?" + _NUM + r"件"),
    re.compile(_NUM + r"件(?:申请)?(?:结转|顺延)(?:至|到)?" + _NEXT_YEAR),
)


def _appeal_words() -> tuple[str, str]:
    """表四's two group labels (行政复议, 行政诉讼), the same in every format: its first total is the review's."""
    from ..formats import get_format

    totals = [f for f in sorted(get_format("2021").table("sec4").fields, key=lambda f: f.col) if f.is_total]
    return re.escape(totals[0].row_labels[0]), re.escape(totals[1].row_labels[0])


_REVIEW_WORD, _LITIGATION_WORD = _appeal_words()
_REVIEW = re.compile(r"(?:被申请|申请|发生|收到)?(?:政府信息公开)?" + _REVIEW_WORD + r"(?:案件|申请)?(?:共)?" + _NUM + r"(?:件|起)")
_LITIGATION = re.compile(r"(?:被提起|提起|发生)?(?:政府信息公开)?" + _LITIGATION_WORD + r"(?:案件)?(?:共)?" + _NUM + r"(?:件|起)")
# "未因政府信息公开（工作）引起行政复议和行政诉讼": both are 0.
_NONE_APPEALED = re.compile(
    r"(?:未|没有|无)(?:发生)?因政府信息公开(?:工作)?(?:而)?(?:引起|引发|被申请)?(?:的)?" + _REVIEW_WORD + r"(?:和|及|或|、)(?:提起)?"
    + _LITIGATION_WORD
)

PHRASES: tuple[Phrase, ...] = tuple(
    Phrase(p) for p in (_RECEIVED, _HANDLED, _CARRIED_OVER, *_FORWARD, _REVIEW, _LITIGATION, _NONE_APPEALED)
)

# Counts are only about information disclosure when the sentence says so: a 司法局 may report the 行政复议 cases
# it handled, any agency the lawsuits it faced or the 行政许可 applications it received.
_DISCLOSURE = re.compile(r"信息公开|依申请")

# The results of 表三 are named in the narrative of applications (the sentence says so, or follows one that does).
_APPLICATION = re.compile(r"申请|答复|办结|办理结果")
# Qualifiers that make a number another quantity. In the words before it, in its own clause:
_LEAD_QUALIFIERS = re.compile(
    r"约|近|逾|超过|累计|备案|本级|各级|各部门|各单位|各地|下属|所属|直属|系统|上一?年(?!度?结转)|去年|前年|同比|较|"
    r"增长|下降|增加|减少|上升|回落|新增|月|季度|半年|截至|截止|网上|网络|当面|信函|邮寄|传真|电子邮件|线上|线下|现场"
)
# in the sentence before it (a comparison or a scope set once for the whole sentence):
_SENTENCE_QUALIFIERS = re.compile(
    r"同比|较上一?年|较去年|比上一?年|比去年|与上一?年|与去年|上年同期|本级|各级|各部门|各单位|下属单位|所属单位|直属单位|系统内"
)
# right after it: 件次 (another unit), 以上/左右 (not exact)
_TAIL_QUALIFIERS = re.compile(r"^(?:次|以上|左右|多|余)")
_FULL_YEAR = re.compile(r"1月1日(?:至|到|-|—|－)12月31日")
_YEAR = re.compile(r"(20\d\d)年")
_CLAUSE_BREAK = re.compile(r"[，,；;：:（()）]|\d+(?:件|起)|\d+(?:\.\d+)?%")
_INCLUDES_CARRIED = re.compile(r"^[（(]?含上一?年度?结转")
_REASON = re.compile(r"因|属|由于|系|涉及")
# 纠错/败诉: a count of one outcome, not of the cases
_OUTCOME = re.compile(r"纠错|纠正|败诉|撤销|确认违法")
_REVIEW_ORGAN = re.compile(r"复议机关|审理|作出")
# 办结/答复 counts all the year's results only when nothing but time stands before it in its clause
_HANDLED_LEAD = re.compile(r"^(?:20\d\d年度?|全年|本年度?|年内|共|已|均已|全部|另)*$")


@dataclass(frozen=True)
class Quantity:
    """What a phrase counts: the cells whose sum it is, and how a message names it."""

    name: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """A number the narrative states, what it was taken to count and what came of comparing it."""

    section: str
    sentence: str
    quoted: str
    said: int
    quantity: Quantity | None
    status: str  # "agrees", "contradicts", "ambiguous" (收到 = 新收 + 结转), "unknown" (blank cells), "skipped"
    table: int | None = None  # the table's value (a lower bound where `bound`)
    bound: bool = False
    reason: str = ""  # why it was skipped
    also: Quantity | None = None  # for "ambiguous": the other reading the number equals


@dataclass(frozen=True)
class _Vocabulary:
    """The names of the spec's rows and columns as a narrative uses them, each with its cells."""

    received: Quantity
    received_with_carried: Quantity
    carried_over: Quantity
    forward: Quantity
    handled: Quantity
    results: dict[str, Quantity]  # "予以公开" → its row total; a group ("无法提供") → its rows' totals
    items: frozenset[str]  # the names of single items of a group ("重复申请")
    results_context: re.Pattern[str]  # words that say a sentence is about the results (a group's name, 办结, 答复)
    applicants: dict[str, tuple[str, ...]]  # "自然人" → the column's id suffixes
    review: Quantity
    litigation: Quantity
    litigation_groups: dict[str, Quantity]  # "复议后起诉" → its total
    appeal_columns: dict[str, str]  # "结果维持" → "upheld"
    results_pattern: re.Pattern[str]
    applicants_pattern: re.Pattern[str]
    appeals_pattern: re.Pattern[str]


_ORDINAL = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|\d+[.．、])")
_NOTE = re.compile(r"[（(][^）)]*[）)]$")


def _short(label: str) -> str:
    """"（二）部分公开（区分处理的，…）" → "部分公开"; "1.本机关不掌握相关政府信息" → "本机关不掌握相关政府信息"."""
    return _NOTE.sub("", _ORDINAL.sub("", label)).strip()


def _alternation(names) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


@lru_cache(maxsize=None)
def _vocabulary(spec: Format) -> _Vocabulary:
    """Read off the spec's tables (never typed ids): 表三's first data row is 一、本年新收, the second 二、上年结转,
    the last 四、结转下年度继续办理, the rows under 三、本年度办理结果 its result rows in groups; 表四's first group is
    行政复议, the others 行政诉讼."""
    sec3 = spec.table("sec3")
    ordered = [list(row) for row in sec3.rows]

    def total(fields) -> str:
        return next(f.id for f in reversed(fields) if f.is_total)  # the 总计 column, last

    new, carried, forward = ordered[0], ordered[1], ordered[-1]
    result_rows = [r for r in ordered if r[0].row_labels[0] == RESULTS]
    handled = next(r for r in result_rows if all(f.is_total for f in r))  # （七）总计: every cell a sum of rows
    results: dict[str, Quantity] = {}
    groups: dict[str, list[str]] = {}
    for r in result_rows:
        if r is handled:
            continue
        labels = r[0].row_labels
        group = _short(labels[1])
        groups.setdefault(group, []).append(total(r))
        if len(labels) > 2:
            item = _short(labels[2])
            if len(item) >= 4:  # "3.其他" names nothing in a sentence
                results[item] = Quantity(f"“{item}”", (total(r),))
    for group, ids in groups.items():
        results[group] = Quantity(f"“{group}”", tuple(ids))
    applicants: dict[str, tuple[str, ...]] = {}
    for f in new:
        if f.is_total:
            continue
        suffix = f.id.rsplit(".", 1)[1]
        if len(f.col_labels) == 1:
            applicants[f.col_labels[0]] = (suffix,)
        else:
            applicants[f.col_labels[0]] = applicants.get(f.col_labels[0], ()) + (suffix,)
            if len(f.col_labels[-1]) >= 4:
                applicants[f.col_labels[-1]] = (suffix,)
    org = applicants[ORGANISATIONS]
    person, rest = ORGANISATIONS.split("或", 1)  # 法人或其他组织 is also written 法人和/及其他组织, or 法人
    for variant in (f"{person}和{rest}", f"{person}及{rest}", person):
        applicants.setdefault(variant, org)
    sec4 = spec.table("sec4")
    totals4 = [f for f in sorted(sec4.fields, key=lambda f: f.col) if f.is_total]
    review, lit = totals4[0], totals4[1:]
    appeal_columns = {
        f.col_labels[-1]: f.id.rsplit(".", 1)[1] for f in sec4.fields if f.row_labels == review.row_labels and not f.is_total
    }
    litigation_groups = {f.row_labels[-1]: Quantity(f"“{f.row_labels[-1]}”", (f.id,)) for f in lit if len(f.row_labels) > 1}
    row_label = lambda fields: fields[0].row_labels[0]  # noqa: E731
    return _Vocabulary(
        received=Quantity(f"“{row_label(new)}”", (total(new),)),
        received_with_carried=Quantity(f"“{row_label(new)}”与“{row_label(carried)}”之和", (total(new), total(carried))),
        carried_over=Quantity(f"“{row_label(carried)}”", (total(carried),)),
        forward=Quantity(f"“{row_label(forward)}”", (total(forward),)),
        handled=Quantity(f"“{RESULTS}{handled[0].row_labels[1]}”", (total(handled),)),
        results=results,
        items=frozenset(n for n, q in results.items() if n not in groups),
        results_context=re.compile(_alternation(groups) + r"|办结|答复|办理结果|处理结果"),
        applicants=applicants,
        review=Quantity(f"“{review.row_labels[0]}”", (review.id,)),
        litigation=Quantity(f"“{lit[0].row_labels[0]}”", tuple(f.id for f in lit)),
        litigation_groups=litigation_groups,
        appeal_columns=appeal_columns,
        results_pattern=re.compile(
            r"(?P<names>(?:" + _alternation(results) + r")(?:(?:及|和|与|、|以及)(?:" + _alternation(results) + r"))*)"
            r"(?:的)?(?:申请)?" + _TOTALLING + _NUM + r"件"
        ),
        applicants_pattern=re.compile(
            r"(?P<name>" + _alternation(applicants) + r")(?:提出|提交|申请)?(?:的)?(?:申请)?" + _TOTALLING + _NUM + r"件"
        ),
        appeals_pattern=re.compile(
            r"(?P<name>" + _alternation(list(appeal_columns) + list(litigation_groups)) + r")(?:的)?(?:案件)?" + _TOTALLING + _NUM + r"(?:件|起)"
        ),
    )


def cn_number(text: str) -> int | None:
    """A number written in digits or simple Chinese numerals (五, 十二, 一百零五); None if it is neither."""
    if text.isdigit():
        return int(text) if len(text) <= MAX_DIGITS else None  # a run of digits no count has (int() refuses 4300+)
    if len(text) > 2 and all(ch in _CN_DIGITS for ch in text) and ("〇" in text or "零" in text):  # 一〇五: digit by digit
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, current, prev = 0, 0, ""
    for ch in text:
        if ch in _CN_DIGITS:
            if prev in _CN_DIGITS and _CN_DIGITS[prev]:  # 二十一五: two digits with no unit between is no number
                return None
            current = _CN_DIGITS[ch]
            prev = ch
            continue
        prev = ch
        if ch not in _CN_UNITS:
            return None
        total += (current or 1) * _CN_UNITS[ch]
        current = 0
    return total + current


_WIDE = {0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF05: ord("%"), 0xFF0E: ord(".")}


def _sentences(text: str) -> list[str]:
    """The 。-sentences without whitespace, full-width digits read as digits (punctuation kept as printed, for
    quoting): a line break of `pdftotext` or of a web page never ends a sentence."""
    compact = re.sub(r"\s+", "", text.translate(_WIDE))
    return [s for s in re.split(r"[。！!？?]", compact) if s]


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    kind: str  # "received", "handled", "carried_over", "forward", "results", "review", "litigation", "none",
    #            and the breakdowns "applicant", "appeal"
    m: re.Match[str]


def _matches(sentence: str, voc: _Vocabulary) -> list[_Match]:
    found: list[_Match] = []
    patterns = [
        ("received", _RECEIVED), ("handled", _HANDLED), ("carried_over", _CARRIED_OVER),
        ("forward", _FORWARD[0]), ("forward", _FORWARD[1]), ("review", _REVIEW), ("litigation", _LITIGATION),
        ("none", _NONE_APPEALED), ("results", voc.results_pattern), ("applicant", voc.applicants_pattern),
        ("appeal", voc.appeals_pattern),
    ]
    for kind, pattern in patterns:
        found.extend(_Match(m.start(), m.end(), kind, m) for m in pattern.finditer(sentence))
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    kept: list[_Match] = []
    for x in found:
        if kept and x.start < kept[-1].end:
            continue
        kept.append(x)
    return kept


def _lead(sentence: str, start: int) -> str:
    """The words of the number's own clause before the phrase."""
    before = sentence[:start]
    cut = 0
    for m in _CLAUSE_BREAK.finditer(before):
        cut = m.end()
    return before[cut:]


def _qualifier(sentence: str, x: _Match, year: int, breakdown: bool) -> str:
    """Why the number is another quantity than the phrase names ("" when it is not)."""
    lead = _lead(sentence, x.start)
    prefix = _FULL_YEAR.sub("", sentence[: x.start])
    if breakdown:
        if lead.lstrip("、和及与") not in ("", "其中", "涉及", "包括"):
            return f"前有“{lead}”"
    elif lead.startswith("其中") and lead != "其中":
        return f"前有“{lead}”"
    q = _LEAD_QUALIFIERS.search(_FULL_YEAR.sub("", lead))
    if q:
        return f"前有“{q.group(0)}”"
    q = _SENTENCE_QUALIFIERS.search(prefix)
    if q:
        return f"句中前有“{q.group(0)}”"
    for y in _YEAR.findall(prefix + sentence[x.start : x.end]):
        if int(y) != year and not (x.kind == "forward" and int(y) == year + 1):
            return f"说的是{y}年"
    tail = sentence[x.end :]
    q = _TAIL_QUALIFIERS.search(tail)
    if q:
        return f"后有“{q.group(0)}”"
    return ""


def _value(ctx_values: dict, spec: Format, cells: tuple[str, ...]) -> tuple[int | None, bool]:
    """The table's value of a sum of cells, and whether it is only a lower bound: the cells as printed (a total left
    blank is computed from its terms); where some cells are blank, the filled ones (counts are never negative)."""
    if all(c in ctx_values for c in cells):
        return sum((ctx_values[c] for c in cells), 0), False
    bound = 0
    for c in cells:
        bound += ctx_values[c] if c in ctx_values else sum((ctx_values[x] for x in spec.leaves((c,)) if x in ctx_values), 0)
    return bound, True


def statements(report: Report, values: dict | None = None) -> list[Statement]:
    """Every number-stating phrase of the report's narrative, with what it was compared with and the outcome."""
    spec = report.spec
    voc = _vocabulary(spec)
    vals = values if values is not None else report.with_totals()
    out: list[Statement] = []
    for section in spec.sections:
        text = report.narrative.get(section.id) or ""
        about = False  # the sentences are about applications: this one says so, or the one before stated results
        before = ""
        for full in _sentences(text):
            about = bool(_APPLICATION.search(full)) or (about and bool(voc.results_pattern.search(full)))
            # a single item ("重复申请3件") is a result only where the results are spoken of, here or just before
            results = bool(voc.results_context.search(before + "。" + full))
            before = full
            for part in re.split(r"[；;]", full):
                if part:
                    out.extend(_sentence_statements(section.id, part, (about, results), report.year, spec, voc, vals))
    return out


def _sentence_statements(section, sentence, context, year, spec, voc, vals) -> Iterator[Statement]:
    about, results_spoken_of = context
    parent: tuple[str, tuple[str, ...]] | None = None  # the last main statement: its kind and row cells
    disclosure = bool(_DISCLOSURE.search(sentence))
    for x in _matches(sentence, voc):
        m = x.m
        quoted = m.group(0)
        said = 0 if x.kind == "none" else cn_number(m.group("n"))
        if said is None:
            continue
        breakdown = x.kind in ("applicant", "appeal")
        quantity: Quantity | None = None
        also: Quantity | None = None
        reason = ""
        if x.kind == "received":
            parent = None
            if not _DISCLOSURE.search(quoted):
                continue  # "收到各类申请99件，其中政府信息公开申请…": the phrase itself must say what is counted
            tail = sentence[x.end :]
            if _INCLUDES_CARRIED.search(tail):
                quantity = voc.received_with_carried
            elif re.match(r"^[（(]?不含", tail):
                reason = "后有“不含”"
            else:
                quantity = voc.received
                if "新收" not in m.group("verb"):
                    also = voc.received_with_carried
            if quantity is not None:
                parent = ("received", quantity.cells)
        elif x.kind == "handled":
            parent = None
            if not disclosure or not _HANDLED_LEAD.match(_lead(sentence, x.start)):
                continue  # "同意公开答复9件", "区政府办答复…": a part, or whose
            quantity = voc.handled
            if re.match(r"^[（(]?不含", sentence[x.end :]):
                reason = "后有“不含”"
        elif x.kind == "carried_over":
            parent, quantity = None, voc.carried_over
        elif x.kind == "forward":
            parent = None
            y = m.group("y")
            if y is not None and int(y) != year + 1:
                continue
            quantity = voc.forward
        elif x.kind == "results":
            after_received = parent is not None and parent[0] == "received"
            parent = None
            if not about:
                continue  # "审查后不予公开3件" of the documents an office publishes is not an application's result
            names = re.split(r"以及|及|和|与|、", m.group("names"))
            if any(n not in voc.results for n in names):
                continue
            cells = tuple(c for n in dict.fromkeys(names) for c in voc.results[n].cells)
            quantity = Quantity("与".join(voc.results[n].name for n in dict.fromkeys(names)) + ("之和" if len(set(names)) > 1 else ""), cells)
            lead = _lead(sentence, x.start)
            if any(n in voc.items for n in names) and (after_received or not results_spoken_of):
                reason = "在收到的申请中分项说明（如“其中重复申请…件”），不一定是办理结果"
            elif _REASON.search(lead) and "等" not in lead:
                reason = f"前有“{lead}”（只说明了其中的部分情形）"
        elif x.kind in ("review", "litigation"):
            parent = None
            before = sentence[: x.end]
            if not _DISCLOSURE.search(before):
                continue  # about information disclosure only if the sentence says so before the number
            if _REVIEW_ORGAN.search(before) or _OUTCOME.search(_lead(sentence, x.start)):
                reason = "说的是作为复议机关办理的案件或某一种结果"
            if x.kind == "litigation" and re.search(r"复议后|直接起诉|未经复议", _lead(sentence, x.start)):
                continue  # one group of lawsuits only: its breakdown form is read below
            quantity = voc.review if x.kind == "review" else voc.litigation
            parent = (x.kind, quantity.cells)
        elif x.kind == "none":
            parent = None
            if _OUTCOME.search(sentence):
                continue
            for q in (voc.review, voc.litigation):
                yield _compare(section, sentence, quoted, 0, q, None, spec, vals)
            continue
        elif x.kind in ("applicant", "appeal") and parent is not None and parent[0] == "skipped":
            reason = "所分项的总数带限定语，未核对"
        elif x.kind == "applicant":
            if parent is None or parent[0] != "received":
                continue
            suffixes = voc.applicants[m.group("name")]
            rows = [c.rsplit(".", 1)[0] for c in parent[1]]
            cells = tuple(f"{r}.{s}" for r in rows for s in suffixes)
            quantity = Quantity(f"{parent_name(voc, parent)}中的“{m.group('name')}”", cells)
            if parent[1] == voc.received.cells and _ambiguous_parent(sentence):
                also = Quantity("", tuple(f"{r.rsplit('.', 1)[0]}.{s}" for r in voc.received_with_carried.cells for s in suffixes))
        elif x.kind == "appeal":
            if parent is None or parent[0] not in ("review", "litigation"):
                continue
            name = m.group("name")
            if name in voc.litigation_groups:
                if parent[0] != "litigation":
                    continue
                quantity = voc.litigation_groups[name]
            else:
                col = voc.appeal_columns[name]
                cells = tuple(f"{c.rsplit('.', 1)[0]}.{col}" for c in parent[1])
                quantity = Quantity(f"{parent_name(voc, parent)}的“{name}”", cells)
        if quantity is None and not reason:
            continue
        reason = reason or _qualifier(sentence, x, year, breakdown)
        if reason:
            if not breakdown and parent is not None:
                parent = ("skipped", ())  # its breakdown is of another quantity too
            yield Statement(section, sentence, quoted, said, quantity, "skipped", reason=reason)
            continue
        yield _compare(section, sentence, quoted, said, quantity, also, spec, vals)


def parent_name(voc: _Vocabulary, parent: tuple[str, tuple[str, ...]]) -> str:
    for q in (voc.received, voc.received_with_carried, voc.review, voc.litigation):
        if q.cells == parent[1]:
            return q.name
    return ""


def _ambiguous_parent(sentence: str) -> bool:
    """Whether the sentence's 收到-phrase may count 上年结转 too (it says 收到/受理, not 新收)."""
    m = _RECEIVED.search(sentence)
    return m is not None and "新收" not in m.group("verb")


def _compare(section, sentence, quoted, said, quantity, also, spec, vals) -> Statement:
    table, bound = _value(vals, spec, quantity.cells)
    if not bound:
        if said == table:
            return Statement(section, sentence, quoted, said, quantity, "agrees", table=table)
        if also is not None:
            other, other_bound = _value(vals, spec, also.cells)
            if said == other and not other_bound:
                return Statement(section, sentence, quoted, said, quantity, "ambiguous", table=table, also=also)
        return Statement(section, sentence, quoted, said, quantity, "contradicts", table=table)
    if said < table:
        return Statement(section, sentence, quoted, said, quantity, "contradicts", table=table, bound=True)
    return Statement(section, sentence, quoted, said, quantity, "unknown", table=table, bound=True)


def excerpt(sentence: str, quoted: str, limit: int = 50) -> str:
    """The sentence as quoted in a message: whole if short, else the clauses around the phrase (cut with …)."""
    if len(sentence) <= limit:
        return sentence
    at = sentence.find(quoted)
    if at < 0:
        return sentence[: limit - 1] + "…"
    start, end = at, at + len(quoted)
    clauses = [m.end() for m in re.finditer(r"[，,：:]", sentence)]
    left = max([c for c in clauses if c <= start and end - c <= limit - 2] or [start])
    right = min([c - 1 for c in clauses if c - 1 >= end and c - 1 - left <= limit - 2] or [end])
    text = sentence[left:right]
    if len(text) > limit - 2:
        text = text[-(limit - 2) :]
    return ("…" if left > 0 else "") + text + ("…" if right < len(sentence) else "")


def text_number_findings(ctx: Context) -> Iterator[Finding]:
    spec = ctx.spec
    sections = {s.id: s for s in spec.sections}
    seen: set[tuple[str, tuple[str, ...], int]] = set()
    for s in statements(ctx.report, ctx.values):
        if s.status != "contradicts" or s.quantity is None:
            continue  # "ambiguous": 收到 N件 = 新收 + 结转 is a reading of 收到, not a contradiction
        if (s.section, s.quantity.cells, s.said) in seen:
            continue
        seen.add((s.section, s.quantity.cells, s.said))
        section = sections[s.section]
        value = f"至少为 {s.table}（已填写的单元格之和）" if s.bound else f"为 {s.table}"
        note = f"“{excerpt(s.sentence, s.quoted)}”写有“{s.quoted}”，表格中{s.quantity.name}{value}"
        yield make(
            "R-TEXT-NUMBER", section.id, spec, cells=s.quantity.cells, expected=s.table, actual=s.said,
            where=section_title(section), note=note,
        )


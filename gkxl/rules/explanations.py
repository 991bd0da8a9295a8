"""The filer's 说明: matched to findings by key, tolerantly; a 说明 that matches no finding is said (R-EXPLANATION).

A key is typed by hand (or by an input method): "R-XYEAR-CARRIED．natural_person", "r-xyear-carried。 natural_person",
"R－XYEAR－CARRIED.natural_person" all mean R-XYEAR-CARRIED.natural_person. Keys are compared after NFKC (full-width
forms as ASCII), with 。 and the other full stops as ".", every dash as "-", no space of any kind, no underscore,
and case folded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from ..findings import Finding
from ..formats import Format
from ..formats.layout import EXPLAIN_SHEET
from ..model import Report
from .catalogue import RULES
from .context import make

_STOPS = str.maketrans({"。": ".", "｡": ".", "．": ".", "‐": "-", "‑": "-", "‒": "-",
                        "–": "-", "—": "-", "―": "-", "−": "-", "ー": "-", "－": "-", "＿": "_"})
_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff]+")
# Rules that only run with last year's data: their 说明 matches nothing when no --previous was given.
NEEDS_PREVIOUS = ("R-XYEAR-CARRIED", "R-XYEAR-INFORCE", "R-TEXT-REPEAT", "R-TREND", "R-PROMISE")


def canonical_key(key: str) -> str:
    """A typed key as gkxl writes keys: width, stops, dashes and spaces normalised, the rule id in capitals."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", key).translate(_STOPS))
    rule, dot, scope = text.partition(".")
    return rule.upper() + dot + scope


def match_key(key: str) -> str:
    """What two keys are compared by: the canonical key, case folded, without underscores (a space typed for
    one, "natural person", is gone with the spaces; no two scopes differ only in their underscores)."""
    return canonical_key(key).casefold().replace("_", "")


def _rule_of(key: str) -> str:
    """The longest catalogue rule id the key begins with ("" if none): rule ids contain no dot."""
    return canonical_key(key).partition(".")[0]


def _where(report: Report, typed: str) -> tuple[str, str, str]:
    """(how the 说明 is named in words, sheet, A1) of one typed key."""
    cell = report.explanation_cells.get(typed, "")
    if cell:
        return f"“{EXPLAIN_SHEET}”表第{cell.lstrip('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}行的编号“{typed}”", EXPLAIN_SHEET, cell
    return f"说明（explanations）中的编号“{typed}”", "", ""


def _unmatched(spec: Format, report: Report, typed: str, note: str) -> Finding:
    words, sheet, cell = _where(report, typed)
    finding = make("R-EXPLANATION", canonical_key(typed), spec, note=f"{words}{note}")
    return replace(finding, raw=typed, sheet=sheet, cell=cell)


def settle_explanations(findings: list[Finding], report: Report, *, previous_given: bool, requirements_given: bool = False) -> list[Finding]:
    """Every finding with the 说明 whose key matches its key attached; then R-EXPLANATION for each 说明 that matched
    none (a typo, a rule that did not run, a problem since fixed) and for each key given twice."""
    spec = report.spec
    given: dict[str, tuple[str, str]] = {}  # match key → (typed key, text)
    extra: list[Finding] = []
    for typed, text in report.explanations.items():
        key = match_key(typed)
        if key in given:  # as for two lines of the same key, the later one is used
            earlier = given.pop(key)[0]
            extra.append(_unmatched(spec, report, earlier, f"与后面的编号“{typed}”是同一个编号（全角半角、空格、大小写不计），"
                                                           "这条说明未使用，只使用了后一条；请合并为一条"))
        given[key] = (typed, text)
    used: set[str] = set()
    out: list[Finding] = []
    for f in findings:
        key = match_key(f.key)
        hit = given.get(key)
        if hit is not None:
            used.add(key)
            if hit[1].strip():
                f = replace(f, explanation=hit[1])
        out.append(f)
    for key, (typed, _text) in given.items():
        if key in used:
            continue
        rule = _rule_of(typed)
        if rule not in RULES:
            note = (f"不是检查规则的编号（规则编号如 {', '.join(list(RULES)[:2])}），这条说明未对应任何问题；"
                    "请按检查结果或“校验”表中的编号填写（规则编号.范围）")
        elif rule in NEEDS_PREVIOUS and not previous_given:
            note = "对应的规则只在提供上年报告（--previous）时检查，本次未检查，这条说明未使用"
        elif rule == "R-REQUIREMENT" and not requirements_given:
            note = "对应的规则只在提供要求清单（--requirements）时检查，本次未检查，这条说明未使用"
        else:
            note = "没有对应的检查问题（问题可能已改正，或编号的范围写错），这条说明未使用；请核对编号或删除这条说明"
        out.append(_unmatched(spec, report, typed, note))
    return out + extra

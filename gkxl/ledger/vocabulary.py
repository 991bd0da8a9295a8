"""The words of a register (依申请台账, 复议诉讼台账), derived from the official format: what a 申请人类型, an 办理结果, a case
type and a case result may be, and which cell of 表三 / 表四 each counts in. Pure: no I/O.

Every official word comes from gkxl/formats (the labels of 表三 and 表四); this module adds only the unit's own words
that mean the same (UNIT_WORDS: a documented table, README "依申请台账"), and the rules that match a typed value to
one of them. A value that matches nothing, or more than one thing, is never guessed: the caller makes it a finding.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..formats import get_format
from ..formats.common import RESULTS
from ..formats.schema import Format

SEC3, SEC4 = "sec3", "sec4"
PENDING = "pending"  # 表四's 尚未审结
OTHER = "其他"


@dataclass(frozen=True)
class Choice:
    """One value a register column may hold: the cell part it counts in and its official words."""

    id: str  # a sec3 row id (granted, refused.third_party…), a sec3 column id, a sec4 group or a sec4 column
    label: str  # the words the register's drop-down list shows
    words: tuple[str, ...]  # every spelling that means it, normalised (see norm)


def norm(text: str) -> str:
    """A typed value as compared: NFKC (full-width to half-width), no spaces, no quotes, no final punctuation."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[\s\u3000“”\"'‘’「」]", "", text)
    return text.rstrip("。.;；,，")


_ORDINAL = re.compile(r"^(?:\(?[一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.、．]|\(\d+\))")


def bare(text: str) -> str:
    """Without a leading ordinal ("（三）", "三、", "4.", "(2)") and a trailing note in brackets."""
    text = norm(text)
    while True:
        cut = _ORDINAL.sub("", text, count=1)
        if cut == text:
            break
        text = cut
    return re.sub(r"\([^()]*\)$", "", text) or text


# The unit's own words for the official ones (registers kept before gkxl, other systems' exports). Keys are the
# official choice ids; every entry is a whole value, matched after norm(), never a part of a longer text.
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    # 申请人类型 → 表三 columns
    "natural_person": ("个人", "公民", "自然人申请", "群众"),
    "business": ("企业", "公司", "商业企业法人"),
    "research": ("科研单位", "研究机构"),
    "nonprofit": ("公益组织", "社会组织"),
    "legal_service": ("律师事务所", "律所", "律师"),
    "other_org": ("其他组织", "其他法人或其他组织"),
    # 办理结果 → 表三 result rows
    "granted": ("同意公开", "全部公开", "公开"),
    "partly_granted": ("部分同意公开", "部分公开"),
    "unable.not_held": ("信息不存在", "不掌握", "本机关不掌握"),
    "unable.needs_creation": ("需另行制作", "需要另行制作"),
    "unable.still_unclear": ("申请内容不明确", "内容不明确"),
    "not_processed.petition": ("信访举报投诉", "信访类申请", "信访件"),
    "not_processed.duplicate": ("重复申请不予处理",),
    "other.no_correction": ("逾期不补正", "逾期未补正", "申请人逾期未补正"),
    "other.unpaid_fee": ("逾期未缴费", "逾期未缴纳费用"),
    "other.other": ("申请人撤回申请", "申请人撤回", "撤回申请"),
    "other_handling": ("申请人撤回申请", "申请人撤回", "撤回申请", "逾期不补正", "逾期未补正"),
    # 复议诉讼台账 类型 → 表四 groups; 结果 → 表四 columns
    "review": ("复议", "行政复议案件"),
    "litigation_direct": ("直接起诉", "未经复议起诉", "行政诉讼（未经复议直接起诉）", "行政诉讼-未经复议直接起诉"),
    "litigation_after_review": ("复议后诉讼", "经复议后起诉", "行政诉讼（复议后起诉）", "行政诉讼-复议后起诉"),
    "upheld": ("维持", "驳回", "驳回诉讼请求", "驳回复议申请"),
    "corrected": ("纠正", "撤销", "确认违法", "责令履行", "变更"),
    "other": ("撤回", "终止", "撤诉", "调解", "和解", "其他"),
    PENDING: ("未审结", "审理中", "在审", "未结案"),
}


@dataclass(frozen=True)
class Vocabulary:
    """The choices of one format's registers."""

    applicants: tuple[Choice, ...]  # 表三 columns (total excluded)
    results: tuple[Choice, ...]  # 表三 result rows
    groups: tuple[Choice, ...]  # 表四 groups
    outcomes: tuple[Choice, ...]  # 表四 columns (total excluded), 尚未审结 last

    def match(self, choices: tuple[Choice, ...], typed: str) -> tuple[Choice | None, str]:
        """The one choice a typed value names, or (None, why not) — never a guess."""
        key = norm(typed)
        if not key:
            return None, "未填写"
        found = [c for c in choices if key in c.words]
        if not found:
            key2 = bare(typed)
            found = [c for c in choices if key2 in c.words]
        if len(found) == 1:
            return found[0], ""
        if not found:
            found = [c for c in choices if _group_words(c) and key in _group_words(c)]  # a group without its item
        if len(found) > 1:
            some = "、".join(c.label for c in found[:3]) + ("等" if len(found) > 3 else "")
            return None, f"“{typed}”可指{some}{len(found)}项，请写明是哪一项"
        if bare(typed) == OTHER:
            return None, f"“{typed}”须写明所属的类别，如“其他处理-其他”"
        listed = f"（可选：{'、'.join(c.label for c in choices)}）" if len(choices) <= 8 else "（可选的值见台账的下拉列表）"
        return None, f"“{typed}”不是可选的值{listed}"


def _group_words(choice: Choice) -> tuple[str, ...]:
    """The words of a result row's group (（三）不予公开 …) when the row is an item of one."""
    if "：" not in choice.label:
        return ()
    group = choice.label.split("：", 1)[0]
    return (norm(group), bare(group))


def _row_id(field_id: str) -> str:
    return ".".join(field_id.split(".")[1:-1])


def _words(cid: str, *spellings: str) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for s in spellings + UNIT_WORDS.get(cid, ()):
        for w in (norm(s), bare(s)):
            if w:
                out.setdefault(w)
    return tuple(out)


@lru_cache(maxsize=None)
def vocabulary(format_id: str) -> Vocabulary:
    return _build(get_format(format_id))


def _build(spec: Format) -> Vocabulary:
    sec3, sec4 = spec.table(SEC3), spec.table(SEC4)
    columns: dict[str, str] = {}
    rows: dict[str, tuple[str, ...]] = {}
    for f in sec3.fields:
        col = f.id.rsplit(".", 1)[1]
        if col != "total":
            columns.setdefault(col, f.col_labels[-1])
        rows.setdefault(_row_id(f.id), f.row_labels)
    applicants = tuple(Choice(col, label, _words(col, label)) for col, label in columns.items())

    results = []
    for row, labels in rows.items():
        if labels[0] != RESULTS or row == "results_total":
            continue
        group, item = labels[1], labels[-1]
        if len(labels) == 2:  # （一）予以公开, （二）部分公开（…）, 2019's （六）其他处理
            spellings = (group, bare(group))
            label = f"{group}"
        else:
            # an item alone names it, except the bare "其他" of a group ("其他处理-其他" names it)
            joined = [f"{g}{sep}{i}" for g in (group, bare(group)) for i in (item, bare(item)) for sep in ("-", "—", "：", ":", "/", "")]
            spellings = tuple(joined) + (() if bare(item) == OTHER else (item, bare(item)))
            label = f"{group}：{item}"
        results.append(Choice(row, label, _words(row, *spellings)))

    groups: dict[str, str] = {}
    outcomes: dict[str, str] = {}
    for f in sec4.fields:
        group, col = f.id.split(".")[1], f.id.split(".")[2]
        groups.setdefault(group, "".join(f.row_labels) if len(f.row_labels) == 1 else f"{f.row_labels[0]}（{f.row_labels[-1]}）")
        if col != "total":
            outcomes.setdefault(col, f.col_labels[-1])
    group_choices = []
    for g, label in groups.items():  # 行政复议; 行政诉讼（未经复议直接起诉）, also without brackets and the part inside alone
        inner = label.split("（")[-1].rstrip("）")
        group_choices.append(Choice(g, label, _words(g, label, label.replace("（", "").replace("）", ""), inner)))
    group_choices = tuple(group_choices)
    outcome_choices = tuple(Choice(o, label, _words(o, label)) for o, label in outcomes.items())
    return Vocabulary(applicants, tuple(results), group_choices, outcome_choices)

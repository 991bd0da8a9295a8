"""The office's 审核把关 as data: decisions (通过, 退回, 重新开放) on units' files, and the one rule set both the web
app and `gkxl collect --reviews` apply. Pure: no I/O (the CSV is read and written by gkxl/review_csv.py).

A decision names a unit, the SHA-256 of the file decided, the 结论, the office's 意见, who decided (审核人) and when
(ISO 8601). Decisions are replayed oldest first; each is checked against the unit's state at that moment:

- 退回 (return) needs a reason of at least six characters, and is refused while the unit's report is accepted;
- 通过 (accept) is for a file without 强制 errors: a 通过 file, or a 待核实 one with the office's own 意见 (at least
  six characters, recorded); refused while another (or the same) file of the unit is accepted;
- 重新开放 (reopen) unlocks the accepted file, with a reason; only the accepted file can be reopened.

An accepted file is locked: it is the unit's file in the 汇总 whatever the unit sends later (the web refuses later
uploads). A unit whose file in use was returned (退回, no newer file since) is left out of the 汇总.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .outcomes import Status

ACCEPT = "通过"
RETURN = "退回"
REOPEN = "重新开放"
VERDICTS = (ACCEPT, RETURN, REOPEN)
MAX_OPINION = 2000  # characters of an 意见 (the web's form and 审核记录.csv alike)

# A unit's review state beside its automatic status (the office page's 审核 column).
PENDING = "待审核"
RETURNED = "已退回"
ACCEPTED = "已通过"

UNREVIEWED = "未审核"  # a unit summed into the 汇总 whose report the office has not yet accepted

MIN_REASON = 6  # characters of a reason (as for a 说明 of a 核实 finding)
ACCEPTABLE = (Status.PASSED, Status.VERIFY)


class ReviewError(ValueError):
    """A decision the rules refuse; `message` is one Chinese sentence for the office."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Decision:
    unit: str
    sha256: str
    verdict: str  # ACCEPT, RETURN or REOPEN
    opinion: str  # 意见 (a reason for 退回 and 重新开放)
    reviewer: str  # 审核人
    time: str  # ISO 8601, as given

    @property
    def when(self) -> dt.datetime:
        return parse_time(self.time)


@dataclass
class UnitReview:
    """One unit's review after its decisions: the file accepted (locked), the last file returned and why."""

    unit: str
    accepted: str | None = None  # SHA-256 of the accepted (locked) file
    accepted_by: Decision | None = None
    returned: str | None = None  # SHA-256 of the file last returned (cleared by its acceptance)
    returned_by: Decision | None = None
    decisions: list[Decision] = field(default_factory=list)

    def state(self, used_sha: str | None) -> str:
        """待审核/已退回/已通过 for the unit whose file in use has this hash ("" when it sent nothing)."""
        if self.accepted is not None:
            return ACCEPTED
        if used_sha is None:
            return ""
        return RETURNED if used_sha == self.returned else PENDING

    @property
    def locked(self) -> bool:
        return self.accepted is not None


def parse_time(text: str) -> dt.datetime:
    """An ISO 8601 time ("2026-01-20T09:30:00+08:00", "2026-01-20 09:30"); naive times are local. ValueError else."""
    text = text.strip()
    if not text:
        raise ValueError("时间为空")
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"时间“{text[:40]}”不是 ISO 8601 格式（如 2026-01-20T09:30:00+08:00）") from None
    return when if when.tzinfo is not None else when.astimezone()


def _chars(text: str) -> int:
    return len("".join(text.split()))


def check(decision: Decision, review: UnitReview, file_status: str | None) -> None:
    """Raise ReviewError when the rules refuse this decision on the unit's current review state.

    file_status: the automatic status of the decided file (collect.status_of), None when the unit has no such file.
    """
    if decision.verdict not in VERDICTS:
        raise ReviewError(f"结论“{decision.verdict[:20]}”无效，应为通过、退回或重新开放")
    if not decision.reviewer.strip():
        raise ReviewError("请填写审核人")
    if file_status is None:
        raise ReviewError(f"“{decision.unit}”没有 SHA256 为 {decision.sha256[:12]}… 的文件")
    if decision.verdict == RETURN:
        if _chars(decision.opinion) < MIN_REASON:
            raise ReviewError(f"退回须写明原因（至少{MIN_REASON}个字），单位将看到这些意见")
        if review.locked:
            raise ReviewError("该单位的报告已审核通过并锁定，须先重新开放才能退回")
    elif decision.verdict == ACCEPT:
        if review.locked:
            raise ReviewError("该单位的报告已审核通过" + ("" if review.accepted == decision.sha256 else "（另一个文件）") + "，不能重复通过")
        if file_status not in ACCEPTABLE:
            raise ReviewError(f"该文件的检查结论是“{file_status}”，不能审核通过（只有检查通过或待核实的文件可以通过）")
        if file_status == Status.VERIFY and _chars(decision.opinion) < MIN_REASON:
            raise ReviewError(f"该文件有待核实的问题：审核通过时须写明审核意见（至少{MIN_REASON}个字），意见将记录在案")
    else:
        if not review.locked:
            raise ReviewError("该单位的报告尚未审核通过，无须重新开放")
        if review.accepted != decision.sha256:
            raise ReviewError("只能重新开放已审核通过的那个文件")
        if _chars(decision.opinion) < MIN_REASON:
            raise ReviewError(f"重新开放须写明原因（至少{MIN_REASON}个字）")


def apply(decision: Decision, review: UnitReview) -> None:
    """The effect of an allowed decision on the unit's review (call `check` first)."""
    review.decisions.append(decision)
    if decision.verdict == ACCEPT:
        review.accepted, review.accepted_by = decision.sha256, decision
        if review.returned == decision.sha256:
            review.returned, review.returned_by = None, None
    elif decision.verdict == RETURN:
        review.returned, review.returned_by = decision.sha256, decision
    else:
        review.accepted, review.accepted_by = None, None


class ReplayError(ReviewError):
    """A decision of a list refused: `index` is its position (0-based) in the list."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


def replay(
    decisions: Sequence[Decision], roster: Iterable[str], file_status: Callable[[str, str], str | None], *, refused: list[int] | None = None
) -> dict[str, UnitReview]:
    """Every roster unit's review after the decisions, oldest first, each checked as the web checks it.

    file_status(unit, sha256): the automatic status of that unit's file with this hash, None if it has none.
    Raises ReplayError naming the first decision refused (a unit not on the roster, a file it does not have, a
    rule, a time earlier than the decision before it) — or, given a `refused` list, skips it and appends its index
    (the web app, whose roster may have changed since a decision: what it keeps and exports replays cleanly)."""
    reviews = {u: UnitReview(u) for u in roster}
    last: dt.datetime | None = None
    for i, d in enumerate(decisions):
        try:
            if d.unit not in reviews:
                raise ReviewError(f"单位“{d.unit[:40]}”不在单位名单中")
            try:
                when = d.when
            except ValueError as exc:
                raise ReviewError(str(exc)) from None
            if last is not None and when < last:
                raise ReviewError("审核记录应按时间先后排列，这一条早于上一条")
            check(d, reviews[d.unit], file_status(d.unit, d.sha256))
        except ReviewError as exc:
            if refused is None:
                raise ReplayError(i, exc.message) from None
            refused.append(i)
            continue
        last = when
        apply(d, reviews[d.unit])
    return reviews


def accepted_files(reviews: Mapping[str, UnitReview]) -> dict[str, str]:
    """unit → SHA-256 of its accepted (locked) file."""
    return {u: r.accepted for u, r in reviews.items() if r.accepted is not None}

"""The outputs of a collect round: one writer per artifact, each writing from the round's `Plan` alone.

`collect.plan_round` decides everything (statuses, the files used, the 汇总) without writing; `collect` then calls
each writer of `OUTPUTS` in turn on the temporary folder that replaces OUT at the end. A writer only writes: it
decides nothing another output could disagree with. A new artifact (a figure, a register's table) is one more
`Output` — add it to OUTPUTS, or pass `outputs=` to `collect.run_collect`.

Layout of OUT (a public interface: the web app serves these files, a lower level uploads 汇总数据.xlsx):
    单位报告/<单位>.docx, 汇总/汇总数据.xlsx, 汇总/汇总报告.docx, 汇总/分类汇总/<类型>.xlsx, 汇总/状态.xlsx,
    汇总/summary.json.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .fsio import printable
from .outcomes import NO_TYPE, SUMMARY_DIR, SUMMARY_JSON, CollectResult, FileOutcome, Plan, Status

REPORTS_DIR = "单位报告"
SUBTOTALS_DIR = "分类汇总"


@dataclass(frozen=True)
class Output:
    """One artifact of the round: `write(plan, folder)` writes it into the round's (temporary) output folder."""

    name: str
    write: Callable[[Plan, Path], None]


def write_unit_reports(plan: Plan, folder: Path) -> None:
    """单位报告/: each summed unit's report, written by its worker while checking (only moved into place here);
    the report of a passing file that was not used (a newer file of its unit won) is dropped."""
    for u in plan.summed:
        os.replace(u.used.pending, folder / u.report_file)
    for o in plan.outcomes:
        if o.pending and Path(o.pending).exists():
            os.remove(o.pending)


def write_summary_workbook(plan: Plan, folder: Path) -> None:
    """汇总/汇总数据.xlsx: the 汇总 as a locked workbook, its units (and those not in it) on its own sheet."""
    from .excel.writer import build_workbook
    from .fsio import write_bytes

    if plan.total is not None:
        data = build_workbook(plan.total, lock_agency=True, units=plan.result.included, missing=plan.lacking)
        write_bytes(folder / SUMMARY_DIR / "汇总数据.xlsx", data, force=True)


def write_summary_report(plan: Plan, folder: Path) -> None:
    """汇总/汇总报告.docx: the 汇总's Word report (a 草稿 while its own check does not pass)."""
    from .fsio import write_bytes
    from .word.writer import build_report

    if plan.total is not None:
        draft = not plan.result.summary_check.passed
        write_bytes(folder / SUMMARY_DIR / "汇总报告.docx", build_report(plan.total, draft=draft), force=True)


def write_subtotals(plan: Plan, folder: Path) -> None:
    """汇总/分类汇总/<类型>.xlsx: each 类型's subtotal, with a roster of types."""
    from .excel.writer import build_workbook
    from .fsio import write_bytes
    from .roster import distinct_filenames

    result = plan.result
    if not result.subtotals:
        return
    (folder / SUMMARY_DIR / SUBTOTALS_DIR).mkdir()
    names = distinct_filenames(list(result.subtotals), ".docx")  # named as the unit reports are
    for kind, sub in result.subtotals.items():
        members = [u.unit for u in plan.summed if u.type == kind]
        name = names[kind].replace(".docx", ".xlsx")
        write_bytes(folder / SUMMARY_DIR / SUBTOTALS_DIR / name, build_workbook(sub, lock_agency=True, units=members), force=True)


def write_figures(plan: Plan, folder: Path) -> None:
    """汇总/一图读懂.png|.svg (and, with --figures, 一图读懂/<单位>.png|.svg): gkxl/figures, from the plan alone."""
    from .figures.summary import write_plan_figures

    write_plan_figures(plan, folder, on_time=on_time_text(plan.result), units=plan.unit_figures, previous=plan.previous)


def write_status(plan: Plan, folder: Path) -> None:
    """汇总/状态.xlsx: every unit's status, the files not used, the 汇总's completeness."""
    from .excel.status import write_status_workbook

    write_status_workbook(folder / SUMMARY_DIR / "状态.xlsx", plan.result)


def write_summary_json(plan: Plan, folder: Path) -> None:
    """汇总/summary.json: the whole round as data (also what marks OUT as a collect output)."""
    from .fsio import write_text

    write_text(folder / SUMMARY_DIR / SUMMARY_JSON, summary_json(plan.result), force=True)


OUTPUTS: tuple[Output, ...] = (
    Output("单位报告", write_unit_reports),
    Output("汇总数据", write_summary_workbook),
    Output("汇总报告", write_summary_report),
    Output("分类汇总", write_subtotals),
    Output("一图读懂", write_figures),
    Output("报送状态表", write_status),
    Output(SUMMARY_JSON, write_summary_json),  # last: its presence marks a complete collect output
)


def on_time_text(result: CollectResult) -> str | None:
    """The 按时提交率 as the summary gives it ("87.50%"); None without a deadline or without units."""
    on_time, total = result.on_time
    return f"{100 * on_time / total:.2f}%" if result.deadline is not None and total else None


def decision_dict(d) -> dict:
    """A review decision (review.Decision) as summary.json and the web's status JSON carry it (the CSV's columns)."""
    return {"unit": d.unit, "sha256": d.sha256, "verdict": d.verdict, "opinion": d.opinion, "reviewer": d.reviewer, "time": d.time}


def requirement_summary(result: CollectResult) -> dict | None:
    """The pack's items and, for each, the units (of those whose report was read) that miss it: for the 通报."""
    pack = result.requirements
    if pack is None:
        return None
    from .rules.requirements import tally

    checked = [(u.unit, u.used.result.findings) for u in result.units if u.used is not None and u.used.result.error is None]
    return {"name": pack.name, "notice": pack.notice, "units_checked": len(checked), "items": tally(pack, checked)}


def summary_json(result: CollectResult) -> str:
    import json

    from .values import format_number

    def outcome(o: FileOutcome | None) -> dict | None:
        if o is None:
            return None
        return {
            "file": o.name,
            "sha256": o.sha256,
            "modified": dt.datetime.fromtimestamp(o.mtime, dt.timezone.utc).isoformat(timespec="seconds") if o.mtime else None,
            "verdict": o.result.verdict,
            "agency": o.report.agency if o.report else None,
            "year": o.report.year if o.report else None,
            "saved": dt.datetime.fromtimestamp(o.saved, dt.timezone.utc).isoformat(timespec="seconds") if o.saved else None,
            "summary_of": list(o.summary_units) or None,
            "summary_missing": list(o.summary_missing) or None,
            "findings": [f.to_dict() for f in o.result.findings],
            "error": o.result.error,
        }

    statuses = Counter(u.status for u in result.units)
    on_time, total = result.on_time
    by_type: dict[str, dict] = {}
    for u in result.units:
        group = by_type.setdefault(u.type, {"units": 0, "statuses": {s: 0 for s in Status.ALL}, "included": []})
        group["units"] += 1
        group["statuses"][u.status] += 1
        if u.unit in result.included:
            group["included"].append(u.unit)
    for kind, sub in result.subtotals.items():
        values = sub.with_totals()
        by_type[kind]["subtotal"] = {cid: (format_number(v) if not isinstance(v, int) else v) for cid, v in values.items()}
    doc = {
        "year": result.year,
        "roster": len(result.units),
        "statuses": {s: statuses.get(s, 0) for s in Status.ALL},
        "complete": result.complete,
        "missing_units": result.missing,
        "lower_level_missing": result.lower_missing,
        "deadline": result.deadline.isoformat() if result.deadline else None,
        "on_time": {"units": on_time, "of": total, "rate": on_time_text(result)} if result.deadline else None,
        "late": [u.unit for u in result.units if u.late],
        "units": [
            {
                "unit": u.unit,
                "type": u.type,
                "status": u.status,
                "note": u.note,
                "zero_report": sorted(u.used.report.declared) if u.used and u.used.report else [],
                "report": u.report_file or None,
                "submitted": u.submitted.isoformat(timespec="seconds") if u.submitted else None,
                "late": u.late,
                "used": outcome(u.used),
                "others": [outcome(o) for o in u.others],
            }
            for u in result.units
        ],
        "by_type": by_type if any(u.type != NO_TYPE for u in result.units) else None,
        "unmatched": [outcome(o) for o in result.unmatched],
        "unused": [{"file": f.name, "reason": f.reason, "units": list(f.units)} for f in result.unused],
        "included": result.included,
        "incomplete_cells": result.incomplete,
        "previous_ignored": [{"file": name, "reason": why} for name, why in result.previous_ignored],
        "summary_check": result.summary_check.to_dict() if result.summary_check else None,
        "notices": result.notices,
        "requirements": requirement_summary(result),
    }
    if result.reviewed:  # the office's 审核: each unit's state, the 汇总's 未审核 units, every decision
        for entry, u in zip(doc["units"], result.units):
            entry["review"] = u.review or None
        doc["reviews"] = {
            "states": {s: sum(1 for u in result.units if u.review == s) for s in ("已通过", "已退回", "待审核")},
            "unreviewed": result.unreviewed,
            "decisions": [decision_dict(d) for d in result.decisions],
        }
    return printable(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")

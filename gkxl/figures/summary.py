"""collect's writer of the 一图读懂: the 汇总's picture (汇总/一图读懂.png and .svg) and, with --figures, each summed
unit's (一图读懂/<单位>.png and .svg). One function taking the round's result and the output folder, so that
collect only calls it; the web app serves the files it writes.

The 汇总's picture is the 汇总's tables drawn as a unit's are, after a part on the round: the units summed and on
the roster, 不完整 when it is, the 按时提交率 (as collect's summary gives it) and 新收 by 类型 (the roster's types'
subtotals). No font is no failure of the round: the pictures are left out and the notice says what to install.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import InputError
from ..model import Report
from ..outcomes import SUMMARY_DIR
from .content import FIGURE_TITLE, Round, new_total_id, report_content, summary_content

FIGURES_DIR = FIGURE_TITLE  # OUT/一图读懂/<单位>.png|.svg with collect --figures
SUMMARY_NAME = FIGURE_TITLE  # OUT/汇总/一图读懂.png|.svg
FORMATS = ("png", "svg")


def round_of(result, on_time: str | None) -> Round:
    """What the 汇总's picture says of the round, from collect's result (outcomes.CollectResult)."""
    lacking = len(result.missing) + sum(len(m) for m in result.lower_missing.values())
    by_type = tuple((kind, sub.with_totals().get(new_total_id(sub.spec))) for kind, sub in result.subtotals.items())
    return Round(roster=len(result.units), included=len(result.included), missing=lacking, on_time=on_time, new_by_type=by_type)


def write_collect_figures(
    result,
    folder: Path,
    total: Report | None,
    *,
    on_time: str | None = None,
    units: bool = False,
    previous: Mapping[str, Report] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """Write the 汇总's picture into folder/汇总 (when units were summed: total is the 汇总) and, with `units`, each
    summed unit's into folder/一图读懂 (named as its report in `names`, unit → file name, the suffix replaced);
    `previous`: last year's reports by unit for the changes. Returns what was written (relative paths); a missing
    font adds a notice to the result instead."""
    from ..fsio import write_bytes
    from .draw import render
    from .fonts import find_font

    if total is None and not units:
        return []
    try:
        font = find_font()
    except InputError as exc:
        result.notices.append(f"未生成一图读懂：{exc.message}")
        return []
    written: list[str] = []
    if total is not None:
        draft = result.summary_check is not None and not result.summary_check.passed
        content = summary_content(total, round_of(result, on_time), draft=draft)
        for fmt in FORMATS:
            rel = f"{SUMMARY_DIR}/{SUMMARY_NAME}.{fmt}"
            write_bytes(folder / rel, render(content, font, fmt), force=True)
            written.append(rel)
    if units:
        from ..roster import safe_filename

        for u in result.units:
            if u.unit not in result.included or u.used is None or u.used.report is None:
                continue
            report = u.used.report
            last = (previous or {}).get(report.agency)
            stem = Path(names[u.unit]).stem if names and u.unit in names else safe_filename(u.unit)
            content = report_content(report, [last] if last is not None and last.year == report.year - 1 else [])
            for fmt in FORMATS:
                rel = f"{FIGURES_DIR}/{stem}.{fmt}"
                write_bytes(folder / rel, render(content, font, fmt), force=True)
                written.append(rel)
    return written


def write_plan_figures(plan, folder: Path, *, on_time: str | None = None, units: bool = False,
                       previous: Mapping[str, Report] | None = None) -> list[str]:
    """The same for a round decided as a plan (collect's plan + list of output writers): plan.result, plan.total
    (the 汇总 or None) and plan.summed (the summed units, each with its report_file "单位报告/<名>.docx")."""
    names = {u.unit: Path(u.report_file).name for u in plan.summed if getattr(u, "report_file", "")}
    return write_collect_figures(plan.result, folder, plan.total, on_time=on_time, units=units, previous=previous, names=names)

"""The 政务公开办's round: match an inbox of returned files to the roster, check each, report each, and 汇总.

Work per file (read, check, write the unit's report) runs in worker processes; deciding statuses and summing
runs here. The inbox is only read. Everything is written into a temporary folder beside OUT that replaces
OUT in one rename at the end, so OUT is either the old one or the complete new one.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .errors import InputError
from .findings import CheckResult, Severity
from .fsio import sha256_of
from .model import Report
from .outcomes import CollectResult, FileOutcome, Status, UnitStatus

INBOX_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".xlsb", ".ods", ".csv", ".json")
PREVIOUS_SUFFIXES = INBOX_SUFFIXES + (".txt", ".html", ".htm", ".docx", ".doc", ".pdf")  # last year's may be a published report
SUMMARY_DIR = "汇总"
REPORTS_DIR = "单位报告"


# Worker side --------------------------------------------------------------------------------------------------

_PREVIOUS: dict[str, Report] = {}


def _init_worker(previous: dict[str, Report]) -> None:
    global _PREVIOUS
    _PREVIOUS = previous


def _check_file(path: str, year: int, agencies: tuple[str, ...], pending: str) -> FileOutcome:
    """Read and check one file; when it passes, also write its unit's report to `pending` (one pass per file:
    the coordinator only renames it into place, or drops it when a newer file of the same unit wins)."""
    from .fsio import write_bytes
    from .intake import check_loaded, load
    from .word.writer import build_report

    p = Path(path)
    stat = p.stat()
    digest = sha256_of(p)
    try:
        loaded = load(p)
    except InputError as exc:
        return FileOutcome(path, p.name, digest, stat.st_mtime, CheckResult(path, error=exc.message), None)
    report = loaded.report
    previous = _PREVIOUS.get(report.agency)
    result = check_loaded(loaded, previous=previous, year=year, agencies=agencies)
    outcome = FileOutcome(path, p.name, digest, stat.st_mtime, result, report, wrong_year=report.year != year)
    if _status_of(outcome) == Status.PASSED:
        write_bytes(pending, build_report(report), force=True)
        outcome.pending = pending
    return outcome


def _load_previous(path: str) -> tuple[str, float, Report | None, str]:
    """(path, mtime, report, why not usable) for one file of last year's folder."""
    from .intake import load

    p = Path(path)
    try:
        return path, p.stat().st_mtime, load(p).report, ""
    except InputError as exc:
        return path, p.stat().st_mtime, None, exc.message


# Coordinator side ---------------------------------------------------------------------------------------------


def inbox_files(inbox: Path, suffixes: tuple[str, ...] = INBOX_SUFFIXES, what: str = "收件文件夹") -> list[Path]:
    """The files of an inbox folder (not recursing into sub-folders), hidden and temporary files skipped."""
    if not inbox.is_dir():
        raise InputError(f"{what}不存在或不是文件夹", file=str(inbox))
    return [
        p for p in sorted(inbox.iterdir())
        if p.is_file() and not p.name.startswith((".", "~$")) and p.suffix.lower() in suffixes
    ]


def check_output_folder(out: Path, *, force: bool, protected: dict[str, Path | None]) -> None:
    """Refuse an OUT that would destroy anything but an earlier collect output.

    OUT is replaced whole, so it must not be, contain or lie inside the inbox, last year's folder, the roster or
    the current folder; and with --force only a folder that an earlier collect wrote is replaced.
    """
    target = out.resolve()
    for what, path in {**protected, "当前文件夹": Path.cwd()}.items():
        if path is None:
            continue
        p = path.resolve()
        if target == p or target in p.parents or (p.is_dir() and what != "当前文件夹" and p in target.parents):
            raise InputError(f"输出文件夹不能是、包含或位于{what}（{path}）之中：输出文件夹会被整体替换", file=str(out))
    if out.exists():
        if not force:
            raise InputError("输出文件夹已存在；如需覆盖，请加 --force", file=str(out))
        if not (out / SUMMARY_DIR / "summary.json").is_file():
            raise InputError("这个文件夹不是 gkxl collect 的输出（没有 汇总/summary.json），即使加 --force 也不会覆盖", file=str(out))


def unit_report_names(roster: list[str]) -> dict[str, str]:
    """Each unit's report file name; refused when two units would share one (甲/乙局 and 甲_乙局)."""
    from .roster import safe_filename

    names: dict[str, str] = {}
    for unit in roster:
        name = f"{safe_filename(unit)}.docx"
        if name in names.values():
            other = next(u for u, n in names.items() if n == name)
            raise InputError(f"单位“{other}”和“{unit}”的报告文件名相同（{name}），请在名单中区分")
        names[unit] = name
    return names


def previous_reports(
    year: int, results: list[tuple[str, float, Report | None, str]]
) -> tuple[dict[str, Report], list[tuple[str, str]]]:
    """Last year's report of each unit (its newest file of year − 1) and the files not used, with why."""
    usable = sorted((r for r in results if r[2] is not None and r[2].year == year - 1), key=lambda r: r[1], reverse=True)
    chosen: dict[str, Report] = {}
    ignored: list[tuple[str, str]] = []
    for path, _, report, why in results:
        if report is None:
            ignored.append((Path(path).name, why))
        elif report.year != year - 1:
            ignored.append((Path(path).name, f"是{report.year}年的报告，不是{year - 1}年的"))
    for path, _, report, _ in usable:
        if report.agency in chosen:
            ignored.append((Path(path).name, f"“{report.agency}”另有更新的{year - 1}年文件"))
        else:
            chosen[report.agency] = report
    return chosen, ignored


def _status_of(outcome: FileOutcome) -> str:
    res = outcome.result
    if res.error is not None:
        return Status.UNREADABLE
    if outcome.wrong_year or any(f.rule == "R-IDENTITY" and f.severity is Severity.MANDATORY for f in res.findings):
        return Status.WRONG_TEMPLATE
    counts = res.counts
    if counts[Severity.MANDATORY]:
        return Status.MANDATORY
    if counts[Severity.VERIFY]:
        return Status.VERIFY
    return Status.PASSED


def decide(roster: list[str], outcomes: list[FileOutcome]) -> tuple[list[UnitStatus], list[FileOutcome]]:
    """A status per roster unit, by the files' embedded identity; unreadable files by their file name."""
    by_unit: dict[str, list[FileOutcome]] = {u: [] for u in roster}
    unmatched: list[FileOutcome] = []
    for o in outcomes:
        if o.report is not None and o.report.agency in by_unit:
            by_unit[o.report.agency].append(o)
        elif o.report is None:
            # An unreadable file has no identity: attribute it by file name only when exactly one unit's name is in it.
            names = [u for u in roster if u and u in o.name]
            if len(names) == 1:
                by_unit[names[0]].append(o)
            else:
                unmatched.append(o)
        else:
            unmatched.append(o)
    units: list[UnitStatus] = []
    for unit in roster:
        files = sorted(by_unit[unit], key=lambda o: (o.mtime, o.name), reverse=True)
        if not files:
            units.append(UnitStatus(unit, Status.MISSING))
            continue
        used, others = files[0], files[1:]
        note = ""
        if others:
            note = f"收到{len(files)}个文件，使用最新的“{used.name}”；另有：" + "、".join(o.name for o in others)
        units.append(UnitStatus(unit, _status_of(used), used, others, note))
    return units, unmatched


def sum_reports(reports: list[Report], *, agency: str, year: int) -> tuple[Report, list[str]]:
    """The cell-by-cell sum of the units' values (with totals). A cell any unit left blank stays blank."""
    spec = reports[0].spec
    full = [r.with_totals() for r in reports]
    values, incomplete = {}, []
    for cid in spec.inputs:
        if all(cid in v for v in full):
            values[cid] = sum((v[cid] for v in full), 0)
        else:
            incomplete.append(cid)
    return Report(spec.id, year, agency, values, meta={"issuer": agency}), incomplete


def run_collect(
    inbox: Path,
    roster: list[str],
    out: Path,
    *,
    year: int,
    agency: str,
    previous_dir: Path | None = None,
    jobs: int | None = None,
    narrative: dict[str, str] | None = None,
    force: bool = False,
    roster_file: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> CollectResult:
    """Run the whole round; see the module docstring. `progress(stage, done, total)` is called as work finishes."""
    from .excel.status import write_status_workbook
    from .excel.writer import build_workbook
    from .fsio import write_bytes, write_text
    from .intake import Loaded, check_loaded
    from .word.writer import build_report

    check_output_folder(out, force=force, protected={"收件文件夹": inbox, "上年文件夹": previous_dir, "单位名单": roster_file})
    report_names = unit_report_names(roster)
    files = inbox_files(inbox)
    jobs = max(1, jobs or os.cpu_count() or 1)
    tick = progress or (lambda stage, done, total: None)

    previous: dict[str, Report] = {}
    previous_ignored: list[tuple[str, str]] = []
    if previous_dir is not None:
        prev_files = inbox_files(previous_dir, PREVIOUS_SUFFIXES, "上年文件夹")
        loaded_prev = []
        with ProcessPoolExecutor(jobs) as pool:
            for i, item in enumerate(pool.map(_load_previous, map(str, prev_files), chunksize=8), 1):
                loaded_prev.append(item)
                tick("读取上年数据", i, len(prev_files))
        previous, previous_ignored = previous_reports(year, loaded_prev)

    # Objects made so far are never freed before the workers end: keep the collector off them, so forked workers
    # do not copy (and walk) the parent's heap page by page.
    gc.freeze()
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(work, 0o777 & ~mask)  # mkdtemp makes 0700; OUT should have the usual permissions
    try:
        (work / SUMMARY_DIR).mkdir()
        (work / REPORTS_DIR).mkdir()
        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(previous,)) as pool:
            agencies = tuple(roster)
            futures = [
                pool.submit(_check_file, str(p), year, agencies, str(work / REPORTS_DIR / f".pending-{i}.docx"))
                for i, p in enumerate(files)
            ]
            outcomes = []
            for i, fut in enumerate(futures, 1):
                outcomes.append(fut.result())
                tick("检查并生成单位报告", i, len(files))
        units, unmatched = decide(roster, outcomes)
        passed = [u for u in units if u.status == Status.PASSED]
        for u in passed:
            u.report_file = f"{REPORTS_DIR}/{report_names[u.unit]}"
            os.replace(u.used.pending, work / u.report_file)
        for o in outcomes:
            if o.pending and Path(o.pending).exists():
                os.remove(o.pending)  # a passing file of a unit whose newer file was used

        included = [u.unit for u in passed]
        incomplete: list[str] = []
        summary_check = None
        formats = {u.used.report.format for u in passed}
        if len(formats) > 1:
            raise InputError("通过检查的文件采用了不同的报告格式（2019 与 2021），无法汇总：请确认年度", file=str(inbox))
        if passed:
            total, incomplete = sum_reports([u.used.report for u in passed], agency=agency, year=year)
            total.narrative = dict(narrative or {})
            summary_check = check_loaded(Loaded(total, f"{SUMMARY_DIR}/汇总数据.xlsx", "json"))
            write_bytes(work / SUMMARY_DIR / "汇总数据.xlsx", build_workbook(total, lock_agency=True, units=included), force=True)
            write_bytes(work / SUMMARY_DIR / "汇总报告.docx", build_report(total, draft=not summary_check.passed), force=True)
            tick("汇总", 1, 1)
        if previous_dir is not None:
            for u in units:
                if u.used is not None and u.used.report is not None and u.unit not in previous:
                    u.note = "；".join(x for x in (u.note, f"上年文件夹中没有本单位{year - 1}年的报告，未做跨年度检查") if x)
        result = CollectResult(year, units, unmatched, included, incomplete, summary_check, out, previous_ignored)
        write_status_workbook(work / SUMMARY_DIR / "状态.xlsx", result)
        write_text(work / SUMMARY_DIR / "summary.json", summary_json(result), force=True)
        _replace_dir(work, out)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return result


def _replace_dir(new: Path, out: Path) -> None:
    """Put the finished folder in place: the old OUT (only reached with --force) is moved aside first."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
    os.replace(new, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def summary_json(result: CollectResult) -> str:
    import json

    def outcome(o: FileOutcome | None) -> dict | None:
        if o is None:
            return None
        return {
            "file": o.name,
            "sha256": o.sha256,
            "modified": dt.datetime.fromtimestamp(o.mtime, dt.timezone.utc).isoformat(timespec="seconds"),
            "verdict": o.result.verdict,
            "agency": o.report.agency if o.report else None,
            "year": o.report.year if o.report else None,
            "findings": [f.to_dict() for f in o.result.findings],
            "error": o.result.error,
        }

    statuses = Counter(u.status for u in result.units)
    doc = {
        "year": result.year,
        "roster": len(result.units),
        "statuses": {s: statuses.get(s, 0) for s in (Status.PASSED, Status.VERIFY, Status.MANDATORY, Status.WRONG_TEMPLATE, Status.UNREADABLE, Status.MISSING)},
        "units": [
            {
                "unit": u.unit,
                "status": u.status,
                "note": u.note,
                "report": u.report_file or None,
                "used": outcome(u.used),
                "others": [outcome(o) for o in u.others],
            }
            for u in result.units
        ],
        "unmatched": [outcome(o) for o in result.unmatched],
        "included": result.included,
        "incomplete_cells": result.incomplete,
        "previous_ignored": [{"file": name, "reason": why} for name, why in result.previous_ignored],
        "summary_check": result.summary_check.to_dict() if result.summary_check else None,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

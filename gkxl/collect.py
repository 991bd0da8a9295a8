"""The 政务公开办's round: match an inbox of returned files to the roster, check each, report each, and 汇总.

Work per file (read, check, write the unit's report) runs in worker processes that die with the coordinator;
deciding statuses and summing runs here. The inbox is only read; nothing in it stops the round: a file that
cannot be read or checked is its unit's status, a file that is not used is listed with why.

OUT is locked for the run (a second collect into it is refused). Everything is written into a temporary folder
beside OUT that replaces OUT at the end so that at every instant the old or the new OUT stands (fsio.replace_dir);
leftovers of a killed run are cleaned, or an OUT it left moved aside restored, by the next run, which says so.

The round is a PLAN and a list of OUTPUTS: `plan_round` (pure: no I/O) decides from the checked files which file
counts for which unit, the statuses, what is summed and the 汇总; then each writer of `outputs.OUTPUTS` writes one
artifact (unit reports, 汇总数据, 汇总报告, 分类汇总, 状态.xlsx, summary.json) from that plan alone. A new artifact is
one more writer; a new kind of input is one more reader behind `check_file` (intake.load).

Functions for other front ends (the web app) take and return plain data: `scan_inbox`, `decide`, `sum_reports`,
`subtotals_by_type`, `mark_incomplete`, `plan_round`, `run_collect`.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from .errors import InputError
from .findings import CheckResult, Finding, Severity
from .fsio import display_name, not_regular_reason, printable, read_reason, sha256_of
from .model import Report
from .outcomes import NO_TYPE, SUMMARY_JSON, CollectResult, FileOutcome, Plan, Status, UnitStatus, UnusedFile
from .outputs import OUTPUTS, REPORTS_DIR, SUBTOTALS_DIR, SUMMARY_DIR, Output, on_time_text, requirement_summary, summary_json  # noqa: F401 (re-exported)
from .review import Decision

INBOX_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".xlsb", ".ods", ".csv", ".json")
PREVIOUS_SUFFIXES = INBOX_SUFFIXES + (".txt", ".html", ".htm", ".docx", ".doc", ".pdf")  # last year's may be a published report
MAX_DEPTH = 16  # sub-folder levels read below the inbox

# Rules whose failure in a 汇总 the missing units' share may explain: 核实 (not 强制) while units are missing.
SUM_RULES = frozenset({"R-BALANCE", "R-RESULTS-SUM", "R-ROW-TOTAL", "R-SEC4-TOTAL", "R-APPLICANT-SWAP", "R-XYEAR-CARRIED", "R-XYEAR-INFORCE"})

_OTHER_KINDS = {
    (".zip", ".rar", ".7z", ".tar", ".gz"): "压缩包：请解压后把其中的工作簿放入收件文件夹",
    (".pdf",): "PDF 文件不能用于汇总：请提交用 gkxl 模板填写的 .xlsx 工作簿",
    (".docx", ".doc", ".wps", ".rtf", ".odt"): "Word/WPS 文档不能用于汇总：请提交用 gkxl 模板填写的 .xlsx 工作簿",
    (".bak", ".tmp", ".old", ".wbk"): "备份或临时文件，未读取",
}


# Worker side --------------------------------------------------------------------------------------------------

_PREVIOUS: dict[str, Report] = {}
_LEDGERS: dict = {}  # agency → its register's count (gkxl.ledger.counting.Counted)
_REQUIREMENTS = None  # a requirement pack (--requirements), the workers' copy


def _die_with_parent(parent: int) -> None:
    """A worker never outlives the coordinator: the kernel kills it when the parent dies (Linux prctl); elsewhere a
    watchdog thread notices the parent is gone (os.getppid changes) within a second."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's to handle
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    else:  # Windows, macOS: no parent-death signal; a watchdog thread ends the worker once its parent is gone
        import threading

        def watch() -> None:
            import time

            while True:
                time.sleep(1.0)
                if os.getppid() != parent:
                    os._exit(1)

        threading.Thread(target=watch, name="gkxl-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the prctl took effect
        os._exit(1)


def _init_worker(previous: dict[str, Report], parent: int, ledgers: dict | None = None, requirements=None) -> None:
    global _PREVIOUS, _LEDGERS, _REQUIREMENTS
    _die_with_parent(parent)
    _PREVIOUS = previous
    _LEDGERS = ledgers or {}
    _REQUIREMENTS = requirements


def _failed(path: str, name: str, why: str, digest: str = "", mtime: float = 0.0) -> FileOutcome:
    return FileOutcome(path, name, digest, mtime, CheckResult(name, error=why), None)


def _check_file(path: str, name: str, year: int, agencies: tuple[str, ...], pending: str, also_verify: bool = False) -> FileOutcome:
    """Read and check one file; when it passes, also write its unit's report to `pending` (one pass per file:
    the coordinator only renames it into place, or drops it when a newer file of the same unit wins).
    also_verify: a 待核实 file too (with reviews, the office may have accepted it)."""
    return check_file(path, name, year, agencies, _PREVIOUS, pending=pending, also_verify=also_verify, ledgers=_LEDGERS,
                      requirements=_REQUIREMENTS)


def check_file(
    path: str, name: str, year: int, agencies: tuple[str, ...], previous: Mapping[str, Report] | None = None, *, pending: str = "",
    also_verify: bool = False, ledgers: Mapping | None = None, requirements=None,
) -> FileOutcome:
    """Read and check one inbox file as collect does (a lower level's 汇总 included); the web app checks each
    upload with it. `previous`: last year's reports by agency; `pending`: where to write the report if it passes;
    `ledgers`: each unit's register count by agency (gkxl.ledger): its findings are checked with the file's.

    Never raises: whatever goes wrong with this file (unreadable, removed meanwhile, a defect) is its outcome."""
    from .intake import unreadable

    try:
        return _check_file_inner(path, name, year, agencies, previous or {}, pending, also_verify, ledgers or {}, requirements)
    except InputError as exc:
        return _failed(path, name, printable(unreadable(name, exc).error or exc.message))
    except FileNotFoundError:
        return _failed(path, name, "文件在汇总过程中被移走或删除，未能检查")
    except OSError as exc:
        return _failed(path, name, f"文件无法读取（{read_reason(exc)}）")
    except Exception as exc:  # a defect of gkxl on this file: the unit's status, never the round's end
        return _failed(path, name, printable(f"gkxl 检查此文件时出错（{type(exc).__name__}: {str(exc)[:100]}），请将文件反馈给维护人员"))


def _check_file_inner(path: str, name: str, year: int, agencies: tuple[str, ...], previous_by_agency: Mapping[str, Report], pending: str,
                      also_verify: bool = False, ledgers: Mapping | None = None, requirements=None) -> FileOutcome:
    from .drafting import report_with_draft
    from .formats import format_for_year
    from .fsio import write_bytes
    from .intake import check_loaded, load
    from .rules.context import make
    from .word.writer import build_report

    from .fsio import _test_pause

    p = Path(path)
    stat = os.stat(p)
    digest = sha256_of(p)
    _test_pause("check")
    try:
        loaded = load(p)
    except InputError as exc:
        from .intake import unreadable

        return _failed(path, name, printable(unreadable(name, exc).error or exc.message), digest, stat.st_mtime)
    report = loaded.report
    previous = previous_by_agency.get(report.agency)
    from .ledger import findings_for

    extra = findings_for(report, (ledgers or {}).get(report.agency)) if report.year == year else []
    result = check_loaded(loaded, previous=previous, year=year, agencies=agencies, extra=extra, requirements=requirements)
    findings = [f.located(file=name) if f.file == loaded.source else f for f in result.findings]
    expected = format_for_year(year) if report.year == year else None
    if expected is not None and report.format != expected.id and not any(f.key == "R-IDENTITY.format" for f in findings):
        # A report in a format its year does not use (a 2023 report in the 2019 trial format).
        note = f"{year}年度的报告应使用{expected.document}规定的格式，本文件使用的是{report.spec.document}的格式"
        findings.append(make("R-IDENTITY", "format", report.spec, note=note).located(file=name))
    units, missing, saved = _summary_units(p) if loaded.kind == "xlsx" else ((), (), None)
    if missing:
        findings = [_settle_for_missing(f, len(missing)) for f in findings]
    result = replace(result, file=name, findings=findings)
    outcome = FileOutcome(path, name, digest, stat.st_mtime, result, report, wrong_year=report.year != year,
                          summary_units=units, summary_missing=missing, saved=saved)
    if pending and (status_of(outcome) == Status.PASSED or (also_verify and status_of(outcome) == Status.VERIFY)):
        document, outcome.drafted = report_with_draft(report)  # as `gkxl report` writes it
        write_bytes(pending, build_report(document), force=True)
        outcome.pending = pending
    return outcome


def _summary_units(path: Path) -> tuple[tuple[str, ...], tuple[str, ...], float | None]:
    """What a workbook says besides its report: a 汇总数据.xlsx of gkxl collect lists the units it sums (and, when
    不完整, those it lacks) on its own sheet; a workbook saved by a person's program says when (docProps)."""
    from .excel.package import open_package
    from .excel.writer import MISSING_MARK
    from .formats.layout import UNITS_SHEET

    with open_package(path) as pkg:
        saved = _saved_time(pkg)
        if pkg.sheet(UNITS_SHEET) is None:
            return (), (), saved
        cells = pkg.cells(UNITS_SHEET, max_col=2)

    def column(col: int) -> list[str]:
        return [t for t in ((cells[k].value or "").strip() for k in sorted(cells) if k[1] == col and k[0] > 0) if t]

    units = column(0)
    head = (cells.get((0, 1)).value or "") if (0, 1) in cells else ""
    missing = column(1) if head.startswith(MISSING_MARK) else []
    return tuple(units), tuple(missing), saved


def _saved_time(pkg) -> float | None:
    """dcterms:modified of a workbook last saved by Excel, WPS or LibreOffice (not one gkxl wrote), as epoch seconds."""
    from .excel.package import _local

    if not pkg.has("docProps/core.xml"):
        return None
    found: dict[str, str] = {}
    try:
        for _event, el in pkg._events("docProps/core.xml"):
            if _local(el.tag) in ("modified", "lastModifiedBy"):
                found[_local(el.tag)] = (el.text or "").strip()
    except InputError:
        return None
    if found.get("lastModifiedBy") == "gkxl" or not found.get("modified"):
        return None
    try:
        when = dt.datetime.fromisoformat(found["modified"].replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.timestamp()


def _settle_for_missing(f: Finding, n_missing: int) -> Finding:
    """In a 汇总 that lacks units, a sum rule's 强制 failure is 核实: the missing share may account for it."""
    if f.rule in SUM_RULES and f.severity is Severity.MANDATORY:
        return replace(f, severity=Severity.VERIFY, message=f"{f.message}（汇总不完整，缺少{n_missing}个单位的数据，请核实）")
    return f


def _load_previous(path: str, name: str) -> tuple[str, float, Report | None, str]:
    """(name, mtime, report, why not usable) for one file of last year's folder."""
    from .intake import load

    try:
        mtime = os.stat(path).st_mtime
        return name, mtime, load(path).report, ""
    except InputError as exc:
        return name, 0.0, None, printable(exc.message)
    except FileNotFoundError:
        return name, 0.0, None, "文件在读取过程中被移走或删除"
    except Exception as exc:
        return name, 0.0, None, printable(f"读取时出错（{type(exc).__name__}）")


@contextmanager
def worker_pool(jobs: int, previous: dict[str, Report] | None = None, ledgers: dict | None = None, requirements=None) -> Iterator[ProcessPoolExecutor]:
    """Worker processes that die with this one, and are stopped (not waited for) when the round ends early."""
    pool = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(previous or {}, os.getpid(), ledgers or {}, requirements))
    try:
        yield pool
    except BaseException:
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.join(5)
        raise
    else:
        pool.shutdown(wait=True)


# Coordinator side ---------------------------------------------------------------------------------------------


def _kind_reason(suffix: str) -> str:
    for kinds, why in _OTHER_KINDS.items():
        if suffix in kinds:
            return why
    return "不是工作簿或报告数据文件（应为用 gkxl 模板填写的 .xlsx，或 .json 报告数据），未读取"


def scan_inbox(
    inbox: Path, suffixes: tuple[str, ...] = INBOX_SUFFIXES, what: str = "收件文件夹", roster: Sequence[str] = ()
) -> tuple[list[tuple[Path, str]], list[UnusedFile]]:
    """The files of an inbox to read, with their names as shown (relative, decoded), and every entry not read,
    with why: other kinds of file, hidden and temporary files, symbolic links (never followed), what is not a
    regular file. Sub-folders are read, as check reads them."""
    try:
        if not inbox.is_dir():
            raise InputError(f"{what}不存在或不是文件夹", file=display_name(inbox))
    except OSError:
        raise InputError(f"{what}无法读取", file=display_name(inbox)) from None
    files: list[tuple[Path, str]] = []
    unused: list[UnusedFile] = []
    root = inbox.resolve()

    def note(rel: str, why: str) -> None:
        unused.append(UnusedFile(rel, why, names_in(rel, roster)))

    def walk(folder: Path, prefix: str, depth: int) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            note(prefix.rstrip("/") or ".", f"文件夹无法读取（{read_reason(exc)}）")
            return
        for entry in entries:
            rel = prefix + display_name(entry.name)
            try:
                if entry.is_symlink():
                    try:
                        target = Path(entry.path).resolve()
                    except RuntimeError:  # a loop (Python 3.11 raises, not OSError)
                        note(rel, "符号链接指向自身或层数过多，未读取")
                        continue
                    inside = target == root or root in target.parents
                    note(rel, f"符号链接，指向{what}中的另一个位置，不重复读取" if inside else f"符号链接，指向{what}之外，未读取")
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if entry.name.startswith("."):
                        note(rel + "/", "隐藏文件夹，其中的文件未读取")
                    elif depth >= MAX_DEPTH:
                        note(rel + "/", f"文件夹层级超过{MAX_DEPTH}层，其中的文件未读取")
                    else:
                        walk(Path(entry.path), rel + "/", depth + 1)
                    continue
                why = not_regular_reason(entry.stat(follow_symlinks=False))
            except OSError:
                note(rel, "文件在读取过程中被移走或无法访问")
                continue
            if why:
                note(rel, why.lstrip("，"))
            elif entry.name.startswith((".", "~$")):
                note(rel, "隐藏文件或临时文件（如 Excel 打开文件时留下的锁定文件），未读取")
            elif Path(entry.name).suffix.lower() not in suffixes:
                note(rel, _kind_reason(Path(entry.name).suffix.lower()))
            else:
                files.append((Path(entry.path), rel))

    walk(inbox, "", 0)
    return files, unused


def inbox_files(inbox: Path, suffixes: tuple[str, ...] = INBOX_SUFFIXES, what: str = "收件文件夹") -> list[Path]:
    """The files of an inbox folder that are read (sub-folders included); see scan_inbox for the others."""
    return [p for p, _ in scan_inbox(inbox, suffixes, what)[0]]


def check_output_place(out: Path, protected: Mapping[str, Path | None]) -> None:
    """OUT is replaced whole, so it must not be, contain or lie inside the inbox, last year's folder, the roster or
    the current folder."""
    target = out.resolve()
    for what, path in {**protected, "当前文件夹": Path.cwd()}.items():
        if path is None:
            continue
        p = path.resolve()
        if target == p or target in p.parents or (p.is_dir() and what != "当前文件夹" and p in target.parents):
            raise InputError(f"输出文件夹不能是、包含或位于{what}（{path}）之中：输出文件夹会被整体替换", file=str(out))


def check_replaceable(out: Path, *, force: bool) -> None:
    """An existing OUT is replaced only with --force, and only when an earlier collect wrote it."""
    if os.path.lexists(out):
        if not force:
            raise InputError("输出文件夹已存在；如需覆盖，请加 --force", file=str(out))
        if out.is_symlink() or not (out / SUMMARY_DIR / SUMMARY_JSON).is_file():
            raise InputError("这个文件夹不是 gkxl collect 的输出（没有 汇总/summary.json），即使加 --force 也不会覆盖", file=str(out))


def check_output_folder(out: Path, *, force: bool, protected: dict[str, Path | None]) -> None:
    """Refuse an OUT that would destroy anything but an earlier collect output (both checks above)."""
    check_output_place(out, protected)
    check_replaceable(out, force=force)


def unit_report_names(roster: Sequence[str]) -> dict[str, str]:
    """Each unit's report file name, legal and distinct on every system (see roster.distinct_filenames)."""
    from .roster import distinct_filenames

    return distinct_filenames(list(roster), ".docx")


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


def status_of(outcome: FileOutcome) -> str:
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


def names_in(file_name: str, roster: Sequence[str]) -> tuple[str, ...]:
    """The roster units a file name names: each unit whose full name it contains, but not a unit whose name is
    only part of another one named (甲局 inside 甲局办公室)."""
    found = [u for u in roster if u and u in file_name]
    return tuple(u for u in found if not any(u != v and u in v for v in found))


def decide(
    roster: Sequence[str],
    outcomes: list[FileOutcome],
    *,
    types: Mapping[str, str] | None = None,
    unused: Sequence[UnusedFile] = (),
    deadline: dt.date | None = None,
    prefer: Mapping[str, str] | None = None,
) -> tuple[list[UnitStatus], list[FileOutcome]]:
    """A status per roster unit, by the files' embedded identity; unreadable files by their file name.

    A unit's newest file is used, unless `prefer` names (unit → SHA-256) one of its files: the file the office
    accepted (review.py), locked whatever the unit sent after it.

    Notes say what a unit should know: other files it sent, a file named after it that holds another unit's
    identity (noted for both), a file naming it that was not used, being late (deadline: see gkxl.deadline).
    """
    from .deadline import is_late

    types = types or {}
    by_unit: dict[str, list[FileOutcome]] = {u: [] for u in roster}
    notes: dict[str, list[str]] = {u: [] for u in roster}
    unmatched: list[FileOutcome] = []
    for o in outcomes:
        named = names_in(o.name, roster)  # the relative path: a sub-folder named after a unit names it too
        if o.report is not None and o.report.agency in by_unit:
            by_unit[o.report.agency].append(o)
            for other in named:
                if other != o.report.agency:
                    notes[other].append(f"文件“{o.name}”以本单位命名，但其中的单位是“{o.report.agency}”，已归入该单位")
                    notes[o.report.agency].append(f"文件“{o.name}”的文件名是另一单位“{other}”的名称，其中的单位是本单位")
        elif o.report is None:
            # An unreadable file has no identity: attribute it by file name only when exactly one unit's name is in it.
            if len(named) == 1:
                by_unit[named[0]].append(o)
            else:
                unmatched.append(o)
                for other in named:
                    notes[other].append(f"文件“{o.name}”含多个单位的名称，无法读取，未归入任何单位")
        else:
            unmatched.append(o)
            for other in named:
                who = o.report.agency or "（未填写单位）"
                notes[other].append(f"文件“{o.name}”以本单位命名，但其中的单位是名单外的“{who}”，未使用")
    for f in unused:
        for other in f.units:
            notes[other].append(f"文件“{f.name}”以本单位命名，但未使用：{f.reason}")
    units: list[UnitStatus] = []
    for unit in roster:
        files = sorted(by_unit[unit], key=lambda o: (o.mtime, o.name), reverse=True)
        kind = types.get(unit, NO_TYPE)
        if not files:
            status = UnitStatus(unit, Status.MISSING, type=kind)
            for n in notes[unit]:
                status.add_note(n)
            units.append(status)
            continue
        locked = next((o for o in files if prefer and o.sha256 == prefer.get(unit)), None)
        used = locked or files[0]
        others = [o for o in files if o is not used]
        status = UnitStatus(unit, status_of(used), used, others, type=kind)
        if locked is not None and others:
            status.add_note(f"收到{len(files)}个文件，使用审核通过（已锁定）的“{used.name}”；另有：" + "、".join(o.name for o in others))
        elif others:
            status.add_note(f"收到{len(files)}个文件，使用最新的“{used.name}”；另有：" + "、".join(o.name for o in others))
        for n in notes[unit]:
            status.add_note(n)
        if used.summary_missing:
            status.add_note(f"提交的是下级汇总，该汇总不完整，缺少：{'、'.join(used.summary_missing)}")
        if status.zero_report:  # the unit declared 零报告: its blank 表三/表四 count as 0 (in the 汇总 too)
            status.add_note(status.zero_report)
        if used.mtime:
            status.submitted = dt.datetime.fromtimestamp(used.mtime)
            status.late = is_late(status.submitted, deadline)
            if status.late and used.saved is not None and not is_late(dt.datetime.fromtimestamp(used.saved), deadline):
                saved = dt.datetime.fromtimestamp(used.saved).strftime("%Y-%m-%d %H:%M")
                status.add_note(f"文件修改时间晚于截止日期，但工作簿中记录的保存时间为{saved}（文件可能在复制或下载时改了时间），请核实是否逾期")
        units.append(status)
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


def subtotals_by_type(units: Sequence[UnitStatus], *, agency: str, year: int, summed: Sequence[UnitStatus] | None = None) -> dict[str, Report]:
    """The sum of each 类型's passing units (or of `summed`, the units in the 汇总) in roster.UNIT_TYPES order;
    empty when the roster has no types."""
    from .roster import UNIT_TYPES

    if summed is not None:
        passed = list(summed)
    else:
        passed = [u for u in units if u.status == Status.PASSED and u.used is not None and u.used.report is not None]
    if all(u.type == NO_TYPE for u in units):
        return {}
    out: dict[str, Report] = {}
    for kind in (*UNIT_TYPES, NO_TYPE):
        group = [u.used.report for u in passed if u.type == kind]
        if group:
            out[kind] = sum_reports(group, agency=f"{agency}（{kind}）", year=year)[0]
    return out


def summed_units(units: Sequence[UnitStatus], year: int) -> tuple[list[UnitStatus], list[str], dict[str, list[str]]]:
    """(the units summed into the 汇总: passed (or 待核实 and accepted by the office), not returned, in the year's
    format; the roster units not in it; each summed lower level's 汇总 → the units it lacks). What makes a 汇总
    不完整, for collect and the web app alike."""
    from .formats import format_for_year

    from .review import ACCEPTED, RETURNED

    fmt = format_for_year(year).id
    passed = [u for u in units if (u.status == Status.PASSED or (u.status == Status.VERIFY and u.review == ACCEPTED))
              and u.review != RETURNED and u.used.report.format == fmt]
    missing = [u.unit for u in units if u not in passed]
    lower_missing = {u.unit: list(u.used.summary_missing) for u in passed if u.used.summary_missing}
    return passed, missing, lower_missing


def apply_reviews(
    roster: Sequence[str],
    outcomes: list[FileOutcome],
    units: list[UnitStatus],
    decisions: Sequence[Decision],
    *,
    types: Mapping[str, str] | None = None,
    unused: Sequence[UnusedFile] = (),
    deadline: dt.date | None = None,
) -> tuple[list[UnitStatus], list[FileOutcome], dict]:
    """The statuses `decide` gave (`units`), with the office's decisions replayed on them (review.replay: the one
    rule set, for collect and the web app alike): each accepted file is its unit's file, each unit has its review
    state (待审核/已退回/已通过) and decisions, and a note of its acceptance or return. Returns (units, unmatched,
    unit → review.UnitReview); review.ReplayError for a decision the rules refuse."""
    from .review import ACCEPTED, RETURNED, accepted_files, replay

    files = {u.unit: [o for o in (u.used, *u.others) if o is not None] for u in units}

    def file_status(unit: str, sha: str) -> str | None:
        return next((status_of(o) for o in files.get(unit, ()) if o.sha256 == sha), None)

    reviews = replay(decisions, roster, file_status)
    units, unmatched = decide(roster, outcomes, types=types, unused=unused, deadline=deadline, prefer=accepted_files(reviews))
    for u in units:
        r = reviews[u.unit]
        u.review = r.state(u.used.sha256 if u.used is not None else None)
        u.decisions = list(r.decisions)
        if u.review == ACCEPTED:
            u.add_note(f"已审核通过并锁定（{r.accepted_by.reviewer}，{r.accepted_by.time}）" + (f"：{r.accepted_by.opinion}" if r.accepted_by.opinion else ""))
        elif u.review == RETURNED:
            u.add_note(f"已退回（{r.returned_by.reviewer}，{r.returned_by.time}）：{r.returned_by.opinion}")
    return units, unmatched, reviews


def unreviewed_units(summed: Sequence[UnitStatus]) -> list[str]:
    """The units in the 汇总 whose report the office has not accepted yet (未审核)."""
    from .review import PENDING

    return [u.unit for u in summed if u.review == PENDING]


def mark_incomplete(check: CheckResult, n_missing: int) -> CheckResult:
    """The 汇总's own check when units are missing: its sum rules 核实, not 强制, for the missing share."""
    if not n_missing:
        return check
    return replace(check, findings=[_settle_for_missing(f, n_missing) for f in check.findings])


def run_collect(
    inbox: Path,
    roster: Sequence[str],
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
    types: Mapping[str, str] | None = None,
    deadline: dt.date | None = None,
    outputs: Sequence[Output] = OUTPUTS,
    decisions: Sequence[Decision] | None = None,
    reviews_file: Path | None = None,
    requirements=None,
    figures: bool = False,
) -> CollectResult:
    """Run the whole round; see the module docstring. `progress(stage, done, total)` is called as work finishes.

    types: each unit's 类型 (roster.UNIT_TYPES); deadline: the last day of submission (gkxl.deadline);
    outputs: the writers of OUT's files (gkxl.outputs.OUTPUTS; a front end may add its own).
    decisions: the office's review decisions, oldest first (see plan_round; review.ReplayError when one is refused);
    reviews_file: the file they came from (OUT must not contain it).
    Raises InputError only for what stops the round before it starts (OUT, the inbox folder itself).
    """
    from .fsio import FolderLock, make_dir, recover

    check_output_place(out, {"收件文件夹": inbox, "上年文件夹": previous_dir, "单位名单": roster_file, "审核记录": reviews_file})
    report_names = unit_report_names(roster)
    make_dir(out.resolve().parent)
    with FolderLock(out.resolve()):
        notices = recover(out.resolve())
        try:
            check_replaceable(out, force=force)
        except InputError as exc:  # what recover did must still be said
            if notices:
                exc.message = "；".join(notices) + "。" + exc.message
            raise
        result = _run_locked(inbox, list(roster), out, year=year, agency=agency, previous_dir=previous_dir, jobs=jobs,
                             narrative=narrative, progress=progress, types=types, deadline=deadline, report_names=report_names,
                             notices=notices, outputs=outputs, decisions=decisions, requirements=requirements,
                             figures=figures)
    return result


def _run_locked(inbox, roster, out, *, year, agency, previous_dir, jobs, narrative, progress, types, deadline, report_names, notices,
                outputs, decisions, requirements=None, figures=False) -> CollectResult:
    import shutil

    from .fsio import make_temp_dir, replace_dir, write_error

    files, unused = scan_inbox(inbox, roster=roster)
    jobs = max(1, jobs or os.cpu_count() or 1)
    tick = progress or (lambda stage, done, total: None)

    previous: dict[str, Report] = {}
    previous_ignored: list[tuple[str, str]] = []
    if previous_dir is not None:
        prev_files, prev_unused = scan_inbox(previous_dir, PREVIOUS_SUFFIXES, "上年文件夹")
        previous_ignored = [(f.name, f.reason) for f in prev_unused]
        loaded_prev = []
        with worker_pool(jobs) as pool:
            items = pool.map(_load_previous, [str(p) for p, _ in prev_files], [n for _, n in prev_files], chunksize=8)
            for i, item in enumerate(items, 1):
                loaded_prev.append(item)
                tick("读取上年数据", i, len(prev_files))
        previous, ignored = previous_reports(year, loaded_prev)
        previous_ignored += ignored

    files, unused, ledgers, register_notes = find_registers(files, unused, roster, year=year, jobs=jobs)

    # Objects made so far are never freed before the workers end: keep the collector off them, so forked workers
    # do not copy (and walk) the parent's heap page by page.
    gc.freeze()
    work = make_temp_dir(out.resolve())
    try:
        try:
            (work / SUMMARY_DIR).mkdir()
            (work / REPORTS_DIR).mkdir()
        except OSError as exc:
            raise write_error(exc, out) from None
        outcomes: list[FileOutcome] = []
        with worker_pool(jobs, previous, ledgers, requirements) as pool:
            agencies = tuple(roster)
            futures = [
                pool.submit(_check_file, str(p), name, year, agencies, str(work / REPORTS_DIR / f".pending-{i}.docx"), decisions is not None)
                for i, (p, name) in enumerate(files)
            ]
            for i, (fut, (p, name)) in enumerate(zip(futures, files), 1):
                try:
                    outcomes.append(fut.result())
                except Exception as exc:  # the worker itself died (memory, a signal): this file's outcome, not the round's
                    outcomes.append(_failed(str(p), name, f"检查此文件的进程意外退出（{type(exc).__name__}），未能检查"))
                tick("检查并生成单位报告", i, len(files))
        plan = plan_round(roster, outcomes, year=year, agency=agency, types=types, unused=unused, deadline=deadline,
                          narrative=narrative, report_names=report_names, previous=previous if previous_dir is not None else None,
                          previous_ignored=previous_ignored, notices=notices, out=out, decisions=decisions, registers=register_notes,
                          requirements=requirements, figures=figures)
        for output in outputs:
            output.write(plan, work)
        if plan.summed:
            tick("汇总", 1, 1)
        replace_dir(work, out)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return plan.result


def _probe_register(path: str) -> tuple[bool, str]:
    from .ledger import probe

    return probe(path)


def find_registers(files: list[tuple[Path, str]], unused: list[UnusedFile], roster: Sequence[str], *, year: int, jobs: int):
    """Set the units' registers (依申请台账, .xlsx or .csv beside their workbooks) apart from the files to check, and
    count each unit's: (files to check, unused files, count by unit, a note by unit). A register belongs to the unit
    its own properties name, else to the one unit whose full name its file name holds; one of no unit is listed
    unused, with why. Rows of a register that cannot be counted become the unit's findings (R-LEDGER-ROW)."""
    from .ledger import read_and_count

    candidates = [(p, n) for p, n in files if Path(n).suffix.lower() in (".csv", ".xlsx")]
    if not candidates:
        return files, unused, {}, {}
    with worker_pool(jobs) as pool:
        probed = list(pool.map(_probe_register, [str(p) for p, _ in candidates], chunksize=8))
    by_unit: dict[str, list[tuple[Path, str]]] = {}
    taken: set[str] = set()
    unused = list(unused)
    for (p, name), (is_register, own) in zip(candidates, probed):
        if not is_register:
            continue
        taken.add(name)
        units = (own,) if own in roster else names_in(name, roster)
        if len(units) != 1:
            why = "依申请台账，文件名中没有名单中的单位全称，不知属于哪个单位，未使用" if not units else \
                f"依申请台账，文件名中有多个单位的名称（{'、'.join(units)}），不知属于哪个，未使用"
            unused.append(UnusedFile(name, why, tuple(units)))
            continue
        by_unit.setdefault(units[0], []).append((p, name))
    ledgers, notes = {}, {}
    for unit, regs in by_unit.items():
        try:
            _, counted = read_and_count([p for p, _ in regs], year=year)
        except InputError as exc:
            unused += [UnusedFile(n, f"依申请台账无法读取：{printable(exc.message)}", (unit,)) for _, n in regs]
            continue
        ledgers[unit] = counted
        notes[unit] = ("、".join(n for _, n in regs), len(counted.findings))
    return [f for f in files if f[1] not in taken], unused, ledgers, notes


def plan_round(
    roster: Sequence[str],
    outcomes: list[FileOutcome],
    *,
    year: int,
    agency: str,
    types: Mapping[str, str] | None = None,
    unused: Sequence[UnusedFile] = (),
    deadline: dt.date | None = None,
    narrative: Mapping[str, str] | None = None,
    report_names: Mapping[str, str] | None = None,
    previous: Mapping[str, Report] | None = None,
    previous_ignored: Sequence[tuple[str, str]] = (),
    notices: Sequence[str] = (),
    out: Path = Path("."),
    decisions: Sequence[Decision] | None = None,
    registers: Mapping[str, tuple[str, int]] | None = None,
    requirements=None,
    figures: bool = False,
) -> Plan:
    """The round decided from its checked files, writing nothing: each unit's status and file used (`decide`), the
    units summed and those not (`summed_units`), the 汇总 with its own check, the subtotals by 类型, each unit's notes.

    previous: last year's reports by agency when a previous folder was given (None: no cross-year check asked).
    registers: each unit's register files and how many of its rows cannot be counted (said in the unit's note).
    figures: each summed unit's 一图读懂 too (collect --figures), compared with `previous` where it has the unit.
    decisions: the office's review decisions, oldest first (None: the round has no review); each unit's accepted
    file is its file (locked), a returned one is not summed, a summed unit not accepted is 未审核. A decision the
    rules refuse raises review.ReplayError (its index in `decisions`).
    """
    from .intake import Loaded, check_loaded

    roster = list(roster)
    report_names = report_names if report_names is not None else unit_report_names(roster)
    units, unmatched = decide(roster, outcomes, types=types, unused=unused, deadline=deadline)
    reviews = None
    if decisions is not None:
        units, unmatched, reviews = apply_reviews(roster, outcomes, units, decisions, types=types, unused=unused, deadline=deadline)
    passed, missing, lower_missing = summed_units(units, year)
    for u in passed:
        u.report_file = f"{REPORTS_DIR}/{report_names[u.unit]}"
        u.add_note(u.used.drafted)
    included = [u.unit for u in passed]
    result = CollectResult(year, units, unmatched, included, [], None, out, list(previous_ignored), list(unused),
                           missing, lower_missing, deadline=deadline, notices=list(notices), requirements=requirements)
    if reviews is not None:
        result.reviewed, result.decisions = True, list(decisions)
        result.unreviewed = unreviewed_units(passed)
    plan = Plan(result, list(outcomes), passed, unit_figures=figures, previous=dict(previous or {}))
    if passed:
        total, result.incomplete = sum_reports([u.used.report for u in passed], agency=agency, year=year)
        total.narrative = dict(narrative or {})
        gaps = result.missing_text()
        if gaps:  # the Word report says so too, at the head of its first section (where the cell can hold it)
            from .excel.cells import MAX_CELL_TEXT

            first = total.spec.section_ids[0]
            marked = f"（{gaps}。）\n" + total.narrative.get(first, "")
            if len(marked.encode("utf-16-le")) // 2 <= MAX_CELL_TEXT:
                total.narrative[first] = marked
        n_missing = len(missing) + sum(len(m) for m in lower_missing.values())
        result.summary_check = mark_incomplete(check_loaded(Loaded(total, f"{SUMMARY_DIR}/汇总数据.xlsx", "json")), n_missing)
        plan.total = total
        plan.lacking = list(missing) + [f"{u}：{x}" for u, m in lower_missing.items() for x in m]
        result.subtotals = subtotals_by_type(units, agency=agency, year=year, summed=passed if reviews is not None else None)
    if previous is not None:
        for u in units:
            if u.used is not None and u.used.report is not None and u.unit not in previous:
                u.add_note(f"上年文件夹中没有本单位{year - 1}年的报告，未做跨年度检查")
    for u in units:  # a unit's register: its tables were checked against it (or it stands alone)
        if registers and u.unit in registers:
            from .ledger import register_note

            names, rows = registers[u.unit]
            u.add_note(register_note(names, rows, with_workbook=u.used is not None and u.used.report is not None))
    return plan

"""A round as the web app sees it: the core's check of each upload, the units' statuses, the office's downloads.

No rule lives here. Each upload is read and checked by `collect.check_file`, the very function `gkxl collect`
checks an inbox file with (a lower level's 汇总数据.xlsx included), with the year and the unit the link belongs to;
the units' statuses are `collect.decide` over the uploads as they are exported, with the roster's 类型 and the
deadline; what is 不完整 is `collect.summed_units`, the 按时提交率 `collect.on_time_text`; the office's downloads (状态, 汇总, 单位报告) are what `gkxl collect` writes
when run on the exported inbox — the very command, in a child process, so they cannot differ.

A unit's link is its identity: an upload whose workbook names another roster unit is kept and shown to the
uploader (its R-IDENTITY finding says so) but is never attributed to that other unit — it stays out of the
exported inbox and out of the statuses.

A unit's register (依申请台账: a .csv, or an .xlsx that is no gkxl workbook, whose header names a register's columns;
`gkxl.ledger.probe` says which) uploaded beside its workbook is no workbook of its own: it is counted once
(`gkxl.ledger.read_and_count`, under its exported name) and the unit's newest register is passed to `check_file` as
`ledgers` — what `gkxl collect` passes its workers — so the workbook's check holds its R-LEDGER findings. A verdict is
cached per (upload, the unit's newest register): a new register checks that unit's workbooks again. The exported inbox
holds each unit's newest register, named after the unit, so that collect gives it to the same unit.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..collect import INBOX_SUFFIXES, REPORTS_DIR, SUBTOTALS_DIR, SUMMARY_DIR, SUMMARY_JSON, check_file, decide, on_time_text, status_of, summed_units
from ..collect import apply_reviews, names_in, unreviewed_units
from ..review_csv import FILE_NAME as REVIEWS_NAME
from ..review_csv import dumps as reviews_csv
from .reviews import ReviewLog
from ..deadline import LATE, is_late
from ..errors import InputError
from ..findings import CheckResult
from ..model import Report
from ..outcomes import NO_TYPE, CollectResult, FileOutcome, Status, UnitStatus
from ..roster import TYPE_HEADER, UNIT_TYPES, safe_filename
from .checks import CheckCrashed, CheckPool
from .storage import Store, Unit, Upload

INBOX_DIR = "收件箱"
OUTPUT_DIR = ".outputs"
ROSTER_NAME = "单位名单.xlsx"
COLLECT_OUT = "汇总结果"
REGISTER_LABEL = "依申请台账"
REGISTER_SUFFIXES = (".csv", ".xlsx")


def dos_mtime(t: float) -> float:
    """The time a zip entry can carry (local time, even seconds): what an exported file's modification time is.

    Statuses use this time, so that `gkxl collect` on the extracted inbox orders a unit's files exactly alike.
    """
    lt = time.localtime(t)
    return time.mktime((lt.tm_year, lt.tm_mon, lt.tm_mday, lt.tm_hour, lt.tm_min, lt.tm_sec - lt.tm_sec % 2, 0, 0, -1))


@dataclass
class Ledger:
    """An upload that is a unit's register (依申请台账): what collect counts of it."""

    name: str  # its name in the exported inbox (the unit's name in it: collect gives it to the unit by it)
    counted: object | None = None  # gkxl.ledger.counting.Counted; None when it could not be read
    rows: int = 0  # the rows read (applications and cases)
    error: str = ""  # why it could not be read
    unused: str = ""  # why it is not this unit's register (never used then)

    @property
    def usable(self) -> bool:
        return not self.unused and self.counted is not None

    @property
    def text(self) -> str:
        if self.unused:
            return f"{REGISTER_LABEL}（未采用）"
        if self.error:
            return f"{REGISTER_LABEL}无法读取"
        bad = len(self.counted.findings)  # the reader's and the count's (a row the reader could not take is not in rows)
        return f"{REGISTER_LABEL}：{bad}行不能计数" if bad else f"{REGISTER_LABEL}：共{self.rows}行，均可计数"


@dataclass
class Checked:
    """One upload after the core read and checked it."""

    upload: Upload
    unit: str
    result: CheckResult
    report: Report | None
    outcome: FileOutcome
    ledger: Ledger | None = None  # the upload is a register, not a workbook: no verdict of its own as one

    @property
    def status(self) -> str:
        return REGISTER_LABEL if self.ledger is not None else status_of(self.outcome)

    @property
    def verdict(self) -> str:
        return self.ledger.text if self.ledger is not None else self.result.verdict

    @property
    def passed(self) -> bool:
        return self.status == Status.PASSED

    @property
    def other_unit(self) -> bool:
        """The workbook names a unit other than the link's (kept, shown to its uploader, attributed to nobody)."""
        return self.report is not None and self.report.agency != self.unit


@dataclass
class Row:
    """A roster unit on the office's board."""

    unit: Unit
    status: UnitStatus
    last: Upload | None  # the unit's latest upload, whatever it was
    used: Checked | None  # the upload its status comes from
    late: bool
    notes: list[str] = field(default_factory=list)
    count: int = 0


@dataclass
class Board:
    rows: list[Row]
    unmatched: list[Checked]  # uploads whose workbook names a unit not on the roster
    version: int
    result: CollectResult | None = None  # collect's result over the exported uploads (no outputs written)

    def counts(self, rows: list[Row] | None = None) -> dict[str, int]:
        out = {s: 0 for s in Status.ALL}
        for r in self.rows if rows is None else rows:
            out[r.status.status] = out.get(r.status.status, 0) + 1
        return out

    @property
    def typed(self) -> bool:
        return any(r.status.type != NO_TYPE for r in self.rows)

    def groups(self) -> list[tuple[str, list[Row]]]:
        """The rows by 类型, in roster.UNIT_TYPES order (as the status workbook lists them); one group untyped."""
        if not self.typed:
            return [("", self.rows)]
        kinds = [k for k in (*UNIT_TYPES, NO_TYPE) if any(r.status.type == k for r in self.rows)]
        return [(k, [r for r in self.rows if r.status.type == k]) for k in kinds]

    @property
    def missing_text(self) -> str:
        """collect's 不完整 in words (CollectResult.missing_text), "" when the 汇总 would be complete."""
        return self.result.missing_text() if self.result else ""

    @property
    def on_time(self) -> tuple[str, int, int] | None:
        """(按时提交率 as collect's summary gives it, units on time, roster units), None without a deadline."""
        rate = on_time_text(self.result) if self.result else None
        return (rate, *self.result.on_time) if rate else None


def export_name(unit: str, upload: Upload) -> str:
    """An upload's file name in the exported inbox: the unit's name (so an unreadable file is still attributed to
    it by `gkxl collect`), then the upload's number (so a unit's files sort in upload order)."""
    return f"{safe_filename(unit)}_{upload.id:06d}{upload.suffix}"


def register_name(unit: str, upload: Upload) -> str:
    """A register's file name in the exported inbox: it holds the unit's full name (collect's names_in matches it)."""
    return f"{safe_filename(unit)}_{REGISTER_LABEL}{upload.suffix}"


class Round:
    def __init__(self, store: Store, *, agency: str = "本级汇总", checks: CheckPool | None = None, requirements=None):
        self.store = store
        self.checks = checks  # worker processes for the checks (checks.py); None: checked in this process
        self.requirements = requirements  # a requirement pack (serve --requirements), passed on as collect takes it
        self.year = store.year
        self.agency = agency
        self._checked: dict[tuple[int, int], Checked] = {}  # (upload id, the unit's newest register id or 0; -1: a register)
        self._inflight: dict[tuple[int, int], Future] = {}  # uploads being checked: their verdict to come
        self._probed: dict[int, tuple[bool, str]] = {}  # upload id → ledger.probe's answer (is a register, its own unit)
        self._registers: dict[int, int] = {}  # unit id → its newest register upload that is the unit's
        self._registers_seen = 0  # uploads up to this id are in _registers
        self._register_lock = threading.Lock()
        self._tasks: set[asyncio.Task] = set()
        self._check_lock = threading.Lock()
        self._outputs_lock = threading.Lock()
        self._outputs: tuple[tuple, Path] | None = None
        self._secret = bytes.fromhex(store.meta("secret"))
        self._units = store.units()  # the roster is fixed while the server runs: no query (nor lock) per request
        self.office_token = store.meta("office_token")
        self.round_id = store.meta("round_id")
        self.reviews = ReviewLog(store)  # the office's 审核 decisions (review.py's rules)

    # Keys ------------------------------------------------------------------------------------------------

    def unit_by_token(self, token: str) -> Unit | None:
        """The unit whose link token this is; every token is compared in constant time."""
        found = None
        for unit in self._units:
            if hmac.compare_digest(unit.token.encode(), token.encode("utf-8", "replace")):
                found = unit
        return found

    def is_office(self, token: str) -> bool:
        return hmac.compare_digest(self.office_token.encode(), token.encode("utf-8", "replace"))

    def csrf_token(self, link_token: str) -> str:
        """The CSRF token of a page: bound to its link (a page of one key cannot post with another's)."""
        return hmac.new(self._secret, b"csrf|" + link_token.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, link_token: str, given: str) -> bool:
        return bool(given) and hmac.compare_digest(self.csrf_token(link_token).encode(), given.encode("utf-8", "replace"))

    @property
    def deadline(self) -> dt.date | None:
        return self.store.deadline

    # Checking --------------------------------------------------------------------------------------------

    def check(self, upload: Upload, unit_name: str | None = None) -> Checked:
        """The core's verdict on one upload (cached: an upload never changes). In a worker process when the round
        has them (the calling thread waits: never call this on the event loop — `check_async` is for that). An
        upload being checked already is not checked twice: the caller waits for that check's verdict."""
        hit, owner, shared, unit_name, args, key = self._claim(upload, unit_name)
        if hit is not None:
            return hit
        if not owner:
            return shared.result()
        try:
            if key[1] < 0:
                checked = self._register_checked(upload, unit_name, key)
            else:
                options = self.check_options(unit_name, key[1])
                outcome = self.checks.check(*args, **options) if self.checks is not None else check_file(*args, **options)
                checked = self._checked_as(upload, unit_name, outcome, key)
        except CheckCrashed:
            checked = self._crashed(upload, unit_name, args)
        except BaseException as exc:
            self._release(key, shared, error=exc)
            raise
        self._release(key, shared, checked)
        return checked

    async def check_async(self, upload: Upload, unit_name: str | None = None) -> Checked:
        """`check` for the event loop: it awaits the worker's answer and serves other requests meanwhile. The check
        runs as a task of its own: a unit that goes away before the verdict does not stop it (the verdict is kept)."""
        from starlette.concurrency import run_in_threadpool

        if self.checks is None:
            return await run_in_threadpool(self.check, upload, unit_name)
        # off the loop: whether it is a register is read from the file (once), the unit's registers from the store
        hit, owner, shared, unit_name, args, key = await run_in_threadpool(self._claim, upload, unit_name)
        if hit is not None:
            return hit
        if owner:
            task = asyncio.ensure_future(self._check_task(upload, unit_name, args, shared, key))
            self._tasks.add(task)  # held until done (the loop keeps only a weak reference)
            task.add_done_callback(self._tasks.discard)
        return await asyncio.wrap_future(shared)

    async def _check_task(self, upload: Upload, unit_name: str, args: tuple, shared: Future, key: tuple[int, int]) -> None:
        from starlette.concurrency import run_in_threadpool

        try:
            if key[1] < 0:  # a register: read and counted in a thread (a small file; no workbook check)
                checked = await run_in_threadpool(self._register_checked, upload, unit_name, key)
            else:
                options = await run_in_threadpool(self.check_options, unit_name, key[1])
                checked = self._checked_as(upload, unit_name, await self.checks.check_async(*args, **options), key)
        except CheckCrashed:
            checked = self._crashed(upload, unit_name, args)
        except BaseException as exc:
            self._release(key, shared, error=exc)
            if not isinstance(exc, Exception):
                raise
            return
        self._release(key, shared, checked)

    def _claim(self, upload: Upload, unit_name: str | None) -> tuple[Checked | None, bool, Future | None, str, tuple, tuple[int, int]]:
        """(the cached verdict, or: whether this caller checks it, the verdict to come, the unit, check_file's
        arguments — the file under the name it has in the exported inbox, as collect checks an inbox file — and the
        verdict's key: the upload with the unit's newest register, or -1 for a register)."""
        key = (upload.id, -1 if self.is_register(upload) else self._newest_register(upload.unit_id))
        if unit_name is None:
            with self._check_lock:
                hit = self._checked.get(key)
            if hit is not None:
                return hit, False, None, hit.unit, (), key
            unit_name = self.store.unit_name(upload.unit_id)
        args = (str(self.store.path_of(upload)), export_name(unit_name, upload), self.year, (unit_name,))
        with self._check_lock:
            hit = self._checked.get(key)
            if hit is not None:
                return hit, False, None, hit.unit, (), key
            shared = self._inflight.get(key)
            if shared is not None:
                return None, False, shared, unit_name, args, key
            shared = self._inflight[key] = Future()
        return None, True, shared, unit_name, args, key

    def _release(self, key: tuple[int, int], shared: Future, checked: Checked | None = None, error: BaseException | None = None) -> None:
        with self._check_lock:
            self._inflight.pop(key, None)
        if error is not None:
            shared.set_exception(error)
        else:
            shared.set_result(checked)

    def check_all(self) -> None:
        """Check every upload not yet checked, all at once in the workers (a resumed round's uploads)."""
        if self.checks is None:
            self._exported()
            return
        from concurrent.futures import ThreadPoolExecutor

        todo = self.store.uploads()  # those checked already are answered from the cache
        with ThreadPoolExecutor(self.checks.jobs * 2) as threads:  # each thread waits on one worker's answer
            list(threads.map(self.check, todo))

    def _checked_as(self, upload: Upload, unit_name: str, outcome: FileOutcome, key: tuple[int, int], ledger: Ledger | None = None) -> Checked:
        # its time is the upload's (the stored file is shared by identical uploads, its own time says nothing)
        outcome = replace(outcome, mtime=dos_mtime(upload.received), sha256=upload.sha256)
        checked = Checked(upload, unit_name, outcome.result, outcome.report, outcome, ledger)
        with self._check_lock:
            for old in [k for k in self._checked if k[0] == upload.id and k != key]:
                del self._checked[old]  # a verdict against an older register: not shown again
            self._checked[key] = checked
        return checked

    def check_options(self, unit_name: str, register_id: int | None = None) -> dict:
        """What collect's check of a file takes besides the file (the same as `gkxl collect` passes its workers): the
        requirement pack, and the unit's register counted (`ledgers`, as collect's find_registers gives it) when the
        unit has sent one. register_id: the unit's newest register upload (0: none), looked up when not given."""
        options: dict = {"requirements": self.requirements}
        if register_id is None:
            unit = next((u for u in self._units if u.name == unit_name), None)
            register_id = self._newest_register(unit.id) if unit is not None else 0
        if register_id:
            up = self.store.upload(register_id)
            reg = self.check(up, unit_name).ledger if up is not None else None
            if reg is not None and reg.usable:
                options["ledgers"] = {unit_name: reg.counted}
        return options

    # Registers (依申请台账) ----------------------------------------------------------------------------------

    def is_register(self, upload: Upload) -> bool:
        """Whether the upload is a register (ledger.probe on its content, once per upload)."""
        return self._probe(upload)[0]

    def _probe(self, upload: Upload) -> tuple[bool, str]:
        if upload.suffix not in REGISTER_SUFFIXES:
            return False, ""
        with self._register_lock:
            hit = self._probed.get(upload.id)
        if hit is None:
            from ..ledger import probe

            hit = probe(str(self.store.path_of(upload)))
            with self._register_lock:
                self._probed[upload.id] = hit
        return hit

    def _register_unused(self, upload: Upload, unit_name: str) -> str:
        """Why a register upload is not this unit's register ("" when it is), as collect would attribute it in the
        exported inbox: by the unit its own properties name, else by the unit's full name in its exported name."""
        own = self._probe(upload)[1]
        roster = [u.name for u in self._units]
        if own in roster and own != unit_name:
            return f"这是“{own}”的依申请台账（文件中写明的单位），不是本单位的，未采用"
        if own != unit_name and names_in(register_name(unit_name, upload), roster) != (unit_name,):
            return "本单位名称不能原样用作文件名，依申请台账无法与本单位对应，未采用"
        return ""

    def _newest_register(self, unit_id: int) -> int:
        """The id of the unit's newest register upload that is the unit's own (0: none); new uploads are looked at
        once, when they arrive."""
        last = self.store.last_id()
        with self._register_lock:
            if last <= self._registers_seen:
                return self._registers.get(unit_id, 0)
            seen = self._registers_seen
        names = {u.id: u.name for u in self._units}
        found: dict[int, int] = {}
        for up in self.store.uploads():
            if seen < up.id <= last and up.unit_id in names and self.is_register(up) and not self._register_unused(up, names[up.unit_id]):
                found[up.unit_id] = up.id
        with self._register_lock:
            if last > self._registers_seen:
                for uid, rid in found.items():
                    self._registers[uid] = max(rid, self._registers.get(uid, 0))
                self._registers_seen = last
            return self._registers.get(unit_id, 0)

    def register_upload(self, unit: Unit) -> int:
        """The id of the register the unit's workbooks are checked against (its newest), 0 when none."""
        return self._newest_register(unit.id)

    def _register_checked(self, upload: Upload, unit_name: str, key: tuple[int, int]) -> Checked:
        """A register upload: read and counted as collect counts it, under its name in the exported inbox (its rows
        that cannot be counted name that file)."""
        from ..fsio import printable
        from ..ledger import read_and_count

        name = register_name(unit_name, upload)
        ledger = Ledger(name, unused=self._register_unused(upload, unit_name))
        folder = Path(tempfile.mkdtemp(prefix="register-"))
        try:
            path = folder / name
            shutil.copyfile(self.store.path_of(upload), path)
            read, ledger.counted = read_and_count([path], year=self.year)
            ledger.rows = len(read.register.applications) + len(read.register.cases)
        except InputError as exc:
            ledger.error = f"{REGISTER_LABEL}无法读取：{printable(exc.message)}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        findings = list(ledger.counted.findings) if ledger.counted is not None else []
        outcome = FileOutcome(str(self.store.path_of(upload)), name, upload.sha256, 0.0, CheckResult(name, findings=findings), None)
        return self._checked_as(upload, unit_name, outcome, key, ledger)

    def _crashed(self, upload: Upload, unit_name: str, args: tuple) -> Checked:
        """The worker checking this upload died twice: the unit is told so; not cached (checked again when next
        looked at)."""
        why = "检查此文件时检查进程意外结束（文件可能过大或过于复杂）；文件已保存，请稍后刷新页面，或将文件反馈给维护人员"
        outcome = FileOutcome(args[0], args[1], upload.sha256, dos_mtime(upload.received), CheckResult(args[1], error=why), None)
        return Checked(upload, unit_name, outcome.result, None, outcome)

    def all_units(self) -> list[Unit]:
        return list(self._units)

    def types(self) -> dict[str, str]:
        """Each roster unit's 类型, as collect takes them from the roster."""
        return {u.name: u.type for u in self._units}

    def unit_uploads(self, unit: Unit) -> list[Checked]:
        """A unit's uploads, newest first, each with its verdict."""
        return [self.check(u, unit.name) for u in reversed(self.store.uploads(unit.id))]

    def used_upload(self, unit: Unit) -> int | None:
        """The id of the upload this unit's status comes from (what the office sees), if any.

        `decide` over this unit's exported uploads alone: a file's attribution and a unit's choice among its own
        files do not depend on other units' files, so this is the board's answer without building the board.
        """
        names = [u.name for u in self.all_units()]
        mine = [c for c in self.unit_uploads(unit) if _exported(c, set(names))]  # its workbooks (its registers are not decided on)
        # Only the roster names these files' names contain can change which unit a file goes to (an unreadable file
        # goes by the names in its name): decide over those and this unit, not a status for every roster unit.
        named = [n for n in names if n == unit.name or any(n in c.outcome.name for c in mine)]
        statuses, _ = decide(named, [c.outcome for c in mine], types=self.types())
        accepted = self.reviews.review(unit).accepted
        if accepted is not None:  # the office accepted a file: it is the unit's file (locked)
            statuses, _ = decide(named, [c.outcome for c in mine], types=self.types(), prefer={unit.name: accepted})
        used = next((st.used for st in statuses if st.unit == unit.name), None)
        return next((c.upload.id for c in mine if c.outcome is used), None)

    def unit_upload(self, unit: Unit, upload_id: int) -> Checked | None:
        """One upload of this unit; None for another unit's upload (the same answer as for none at all)."""
        up = self.store.upload(upload_id)
        if up is None or up.unit_id != unit.id:
            return None
        return self.check(up, unit.name)

    def any_upload(self, upload_id: int) -> Checked | None:
        up = self.store.upload(upload_id)
        if up is None or up.unit_id not in {u.id for u in self.all_units()}:
            return None
        return self.check(up)

    # The board -------------------------------------------------------------------------------------------

    def version(self) -> int:
        ups = self.store.uploads()
        return ups[-1].id if ups else 0

    def _exported(self) -> tuple[list[Unit], list[Checked], dict[int, list[Checked]]]:
        """(roster units, the uploads the inbox holds in upload order, each unit's uploads)."""
        units = self.all_units()
        names = {u.id: u.name for u in units}
        roster = set(names.values())
        exported: list[Checked] = []
        by_unit: dict[int, list[Checked]] = {u.id: [] for u in units}
        for up in self.store.uploads():
            if up.unit_id not in names:
                continue  # a unit no longer on the roster: kept, not part of this round's inbox
            c = self.check(up, names[up.unit_id])
            by_unit[up.unit_id].append(c)
            if _exported(c, roster):
                exported.append(c)
        return units, exported, by_unit

    def board(self) -> Board:
        units, exported, by_unit = self._exported()
        deadline = self.deadline
        names, outcomes = [u.name for u in units], [c.outcome for c in exported]
        statuses, unmatched_outcomes = decide(names, outcomes, types=self.types(), deadline=deadline)
        decisions = self._decisions(names, statuses)
        # collect's replay of the office's decisions (as `gkxl collect --reviews` on the exported inbox does)
        statuses, unmatched_outcomes, _ = apply_reviews(names, outcomes, statuses, decisions, types=self.types(), deadline=deadline)
        passed, missing, lower_missing = summed_units(statuses, self.year)
        result = CollectResult(self.year, statuses, unmatched_outcomes, [u.unit for u in passed], [], None, self.store.data,
                               missing=missing, lower_missing=lower_missing, deadline=deadline)
        result.decisions = decisions
        if decisions:  # the review is on from the office's first decision (the downloads run collect --reviews then)
            result.reviewed, result.unreviewed = True, unreviewed_units(passed)
        by_outcome = {id(c.outcome): c for c in exported}
        now = dt.datetime.now()
        rows = []
        for unit, st in zip(units, statuses):
            mine = by_unit[unit.id]
            used = by_outcome.get(id(st.used)) if st.used is not None else None
            last = mine[-1].upload if mine else None
            late = st.late if used else is_late(now, deadline)  # collect's 逾期; a unit yet to send anything: 逾期未提交
            notes = [st.note] if st.note else []
            if mine and mine[-1].other_unit:  # kept, but it is not this unit's report
                notes.append(f"最近一次上传的文件是“{mine[-1].report.agency or '（未填写单位）'}”的报告，未采用")
            register = self._register_note(unit, mine, st)
            if register:
                notes.append(register)
            rows.append(Row(unit, st, last, used, late, notes, len(mine)))
        unmatched = [by_outcome[id(o)] for o in unmatched_outcomes]
        return Board(rows, unmatched, self.version(), result)

    def _register_note(self, unit: Unit, mine: list[Checked], st: UnitStatus) -> str:
        """The unit's register in the words of collect's note on it (its status workbook says the same)."""
        rid = self._newest_register(unit.id)
        reg = next((c.ledger for c in mine if c.upload.id == rid), None)
        if reg is None or reg.counted is None:
            return ""
        from ..ledger import register_note

        return register_note(reg.name, len(reg.counted.findings), with_workbook=st.used is not None and st.used.report is not None)

    def _decisions(self, names: list[str], statuses: list[UnitStatus]) -> list:
        """The office's decisions that replay on the current roster and uploads (all of them, unless the roster
        changed since): what the board shows and the exported 审核记录.csv holds, so collect --reviews agrees."""
        from ..review import replay

        files = {u.unit: [o for o in (u.used, *u.others) if o is not None] for u in statuses}
        kept = [k.decision for k in self.reviews.all()]
        refused: list[int] = []
        replay(kept, names, lambda unit, sha: next((status_of(o) for o in files.get(unit, ()) if o.sha256 == sha), None), refused=refused)
        return [d for i, d in enumerate(kept) if i not in set(refused)]

    def late_label(self, row: Row) -> str:
        if not row.late:
            return ""
        return LATE if row.used is not None else f"{LATE}未提交"

    # The exported inbox and the collect outputs ----------------------------------------------------------

    def inbox_entries(self) -> list[tuple[str, Path, float]]:
        """(file name, stored file, modification time) of every file of the exported inbox, in upload order: the
        workbooks, and each unit's newest register (older ones are superseded: collect would count them all)."""
        units, exported, by_unit = self._exported()
        files = list(exported)
        for unit in units:
            rid = self._newest_register(unit.id)
            files += [c for c in by_unit[unit.id] if c.upload.id == rid]
        files.sort(key=lambda c: c.upload.id)
        return [(c.outcome.name, self.store.path_of(c.upload), c.outcome.mtime) for c in files]

    def write_inbox(self, folder: Path) -> None:
        folder.mkdir(parents=True)
        for name, src, mtime in self.inbox_entries():
            shutil.copyfile(src, folder / name)
            os.utime(folder / name, (mtime, mtime))

    def inbox_zip(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo(f"{INBOX_DIR}/", time.localtime()[:6]), b"")  # the folder, even when empty
            decisions = self.board().result.decisions
            if decisions:  # beside the inbox (not in it): gkxl collect 收件箱/ --reviews 审核记录.csv
                zf.writestr(zipfile.ZipInfo(REVIEWS_NAME, time.localtime()[:6]), reviews_csv(decisions))
            for name, src, mtime in self.inbox_entries():
                info = zipfile.ZipInfo(f"{INBOX_DIR}/{name}", time.localtime(mtime)[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, src.read_bytes())
        return buf.getvalue()

    def roster_workbook(self) -> bytes:
        import xlsxwriter

        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
        ws = wb.add_worksheet("单位名单")
        ws.write_string(0, 0, "单位名称")
        typed = any(u.type != NO_TYPE for u in self.all_units())
        if typed:
            ws.write_string(0, 1, TYPE_HEADER)
        for i, u in enumerate(self.all_units(), 1):
            ws.write_string(i, 0, u.name)
            if typed and u.type != NO_TYPE:  # a blank 类型 reads as 未分类
                ws.write_string(i, 1, u.type)
        wb.close()
        return buf.getvalue()

    def outputs(self) -> Path:
        """The folder `gkxl collect` writes for the exported inbox (made again only when an upload arrived)."""
        with self._outputs_lock:
            decisions = self.board().result.decisions
            key = (self.version(), len(decisions), self.deadline, tuple((u.name, u.type) for u in self.all_units()))
            if self._outputs is not None and self._outputs[0] == key and self._outputs[1].is_dir():
                return self._outputs[1]
            base = self.store.data / OUTPUT_DIR
            base.mkdir(exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix="round-", dir=base))
            self.write_inbox(work / INBOX_DIR)
            (work / ROSTER_NAME).write_bytes(self.roster_workbook())
            out = work / COLLECT_OUT
            cmd = [sys.executable, "-m", "gkxl.cli.app", "collect", str(work / INBOX_DIR), "--roster", str(work / ROSTER_NAME),
                   "-o", str(out), "--year", str(self.year), "--agency", self.agency]
            if self.deadline is not None:
                cmd += ["--deadline", self.deadline.isoformat()]
            if decisions:
                (work / REVIEWS_NAME).write_bytes(reviews_csv(decisions))
                cmd += ["--reviews", str(work / REVIEWS_NAME)]
            if self.requirements is not None:
                cmd += ["--requirements", self.requirements.source]
            proc = subprocess.run(cmd, check=False, cwd=work, capture_output=True, text=True, env=_collect_env())
            if proc.returncode not in (0, 1) or not (out / SUMMARY_DIR / SUMMARY_JSON).is_file():
                shutil.rmtree(work, ignore_errors=True)
                lines = [x for x in (proc.stderr or proc.stdout).strip().splitlines() if x.strip()]
                raise InputError(lines[-1].removeprefix("错误：") if lines else "汇总失败")
            old = self._outputs
            self._outputs = (key, out)
            if old is not None:
                shutil.rmtree(old[1].parent, ignore_errors=True)
            return out

    def reports_zip(self) -> bytes:
        out = self.outputs()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted((out / REPORTS_DIR).iterdir()):
                zf.writestr(f"{REPORTS_DIR}/{p.name}", p.read_bytes())
        return buf.getvalue()

    def subtotals_zip(self) -> bytes | None:
        """collect's 汇总/分类汇总 (one workbook per 类型), None when it wrote none."""
        folder = self.outputs() / SUMMARY_DIR / SUBTOTALS_DIR
        if not folder.is_dir():
            return None
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(folder.iterdir()):
                zf.writestr(f"{SUBTOTALS_DIR}/{p.name}", p.read_bytes())
        return buf.getvalue()

    def clear_outputs(self) -> None:
        """Remove the outputs of earlier runs (derived, never state) left in the data folder."""
        shutil.rmtree(self.store.data / OUTPUT_DIR, ignore_errors=True)


def _collect_env() -> dict[str, str]:
    """The environment of the round's `gkxl collect`: this very gkxl importable from its working folder (an absolute
    PYTHONPATH first, so a server started from a source checkout without installing it works as well; the user's
    own entries follow, made absolute from the server's working folder)."""
    package_root = str(Path(__file__).resolve().parents[2])
    paths = [package_root, *[os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]]
    return {**os.environ, "COLUMNS": "200", "PYTHONPATH": os.pathsep.join(paths)}


def _exported(c: Checked, roster: set[str]) -> bool:
    """A workbook upload goes into the inbox unless it names another unit of the roster (never attributed to it).
    A register is no workbook: the inbox holds a unit's newest register apart (inbox_entries)."""
    return c.ledger is None and not (c.other_unit and c.report.agency in roster)



ACCEPTED_SUFFIXES = INBOX_SUFFIXES

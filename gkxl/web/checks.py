"""Upload checks out of the server's process: a bounded pool of worker processes, each running `collect.check_file`
— the very function `gkxl collect` checks an inbox file with — so that units uploading at once are checked on every
core, and the server's event loop never waits for a check (it awaits the worker's answer).

Workers are started with "spawn" on every system (the default on Windows and macOS; on Linux it keeps a forked
worker from inheriting the threads and locks of a running server), all at once when the server starts, and each
imports the checker then, so that the first upload is not slower than the others. A worker that dies (killed, out
of memory) breaks the pool: a new one is started and the check tried once more; when that fails too the caller gets
`CheckCrashed` (the upload stays kept; it is checked again when next looked at).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..collect import check_file
from ..outcomes import FileOutcome

MAX_JOBS = 4  # a check is ~20-50 ms of one core; more processes than this only add memory


class CheckCrashed(RuntimeError):
    """The worker checking a file died twice (the file is kept; it is checked again when next looked at)."""


def default_jobs() -> int:
    """The cores this process may use (its CPU affinity where the system says), at most MAX_JOBS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


def _init_worker(parent: int) -> None:
    """A worker ignores Ctrl+C (the server stops it), and dies with the server (Linux: the kernel kills it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the server died before the prctl took effect
        os._exit(1)


def _warm() -> int:
    """Import what a check needs, once per worker, before the first upload arrives."""
    from .. import drafting, intake  # noqa: F401
    from ..formats import format_for_year
    from ..rules import context  # noqa: F401

    format_for_year(2023)
    return os.getpid()


class CheckPool:
    """At most `jobs` worker processes checking uploads; thread-safe, usable from the event loop and from threads."""

    def __init__(self, jobs: int | None = None):
        self.jobs = max(1, jobs or default_jobs())
        self._lock = threading.Lock()
        self._closed = False
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(os.getpid(),))
        for _ in range(self.jobs):  # start every worker now (a pool starts them only as work arrives)
            pool.submit(_warm)
        return pool

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise CheckCrashed("检查进程已停止")
            return self._pool

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A new pool in place of a broken one (once, however many callers saw it break)."""
        with self._lock:
            if self._closed or self._pool is not broken:
                return
            self._pool = self._new_pool()
        _stop(broken)

    def _submit(self, pool: ProcessPoolExecutor, args: tuple, options: dict) -> Future:
        return pool.submit(check_file, *args, **options)

    def check(self, path: str, name: str, year: int, agencies: tuple[str, ...], **options) -> FileOutcome:
        """The outcome of collect's check of one file, in a worker; blocks the calling thread (never the loop's)."""
        args = (path, name, year, agencies)
        for _ in range(2):
            pool = self._current()
            try:
                return self._submit(pool, args, options).result()
            except BrokenProcessPool:
                self._replace(pool)
            except (CancelledError, RuntimeError):
                if self._closed:  # the server is stopping
                    raise CheckCrashed("检查进程已停止") from None
                raise
        raise CheckCrashed(name)

    async def check_async(self, path: str, name: str, year: int, agencies: tuple[str, ...], **options) -> FileOutcome:
        """The same, awaited: the event loop serves other requests while the worker checks."""
        args = (path, name, year, agencies)
        for _ in range(2):
            pool = self._current()
            try:
                return await asyncio.wrap_future(self._submit(pool, args, options))
            except BrokenProcessPool:
                self._replace(pool)
            except RuntimeError:
                if self._closed:
                    raise CheckCrashed("检查进程已停止") from None
                raise
        raise CheckCrashed(name)

    def pids(self) -> list[int]:
        """The worker processes now running (for the tests and the bench)."""
        with self._lock:
            procs = getattr(self._pool, "_processes", None) or {}
            return [p.pid for p in list(procs.values()) if p.pid is not None]

    def close(self) -> None:
        """Stop every worker now (a check still running is abandoned: its upload is kept, and checked at next start)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            pool = self._pool
        _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.kill()
    for proc in procs:
        proc.join(5)

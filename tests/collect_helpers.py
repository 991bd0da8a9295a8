"""Helpers for the collect tests: consistent unit reports with distinct numbers, real gkxl processes, /proc."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from gkxl.excel.writer import build_workbook
from gkxl.formats import get_format
from gkxl.model import Report

from reports import balance, random_values

GKXL = str(Path(sys.executable).with_name("gkxl"))


def consistent(agency: str, seed: int, *, year: int = 2023, format_id: str = "2021") -> Report:
    """A report that passes every check, with numbers of its own (seeded)."""
    rng = random.Random(seed)
    spec = get_format(format_id)
    values = random_values(spec, count=lambda: rng.randint(0, 40), signed=lambda: rng.randint(-9, 9),
                           amount=lambda: Decimal(rng.randint(0, 99999)) / 100)
    return balance(Report(format_id, year, agency, values))


def write(path: Path, report: Report, mtime: float | None = None) -> Path:
    path.write_bytes(build_workbook(report, lock_agency=True))
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def roster_csv(path: Path, names: list[str], types: list[str] | None = None) -> Path:
    if types is None:
        text = "单位名称\n" + "\n".join(names) + "\n"
    else:
        text = "单位名称,类型\n" + "\n".join(f"{n},{t}" for n, t in zip(names, types)) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def start(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen([GKXL, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, cwd=cwd)


def run(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([GKXL, *map(str, args)], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=timeout)


def wait_for(path: Path, proc: subprocess.Popen, limit: float = 180) -> None:
    """Wait until a test pause point wrote its marker (the process is then held there)."""
    end = time.monotonic() + limit
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the process ended before the pause point: {proc.communicate()}")
        if time.monotonic() > end:
            proc.kill()
            raise AssertionError("the pause point was never reached")
        time.sleep(0.05)
    while not path.read_text():
        time.sleep(0.01)


def children(pid: int) -> list[int]:
    """The child processes of pid (Linux /proc)."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(x) for x in (task / "children").read_text().split()]
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def gone(pids: list[int], limit: float = 30) -> bool:
    end = time.monotonic() + limit
    while any(alive(p) for p in pids):
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def kill9(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

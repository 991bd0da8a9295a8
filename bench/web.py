"""Benchmark of `gkxl serve` on loopback: upload → verdict latency, and many units uploading at once.

    python bench/web.py [--units 200] [--sequential 30]

Starts a real `gkxl serve` (uvicorn, 127.0.0.1 only, a free port) on a fresh data folder in bench/_work/web/,
with a roster of N fictional units (the varied, consistent reports of bench/run.py). Then:
1. one unit uploads `--sequential` workbooks one after another: the time from sending the file to having the
   verdict (the server reads, checks, stores durably — fsync and commit — and answers), p50/p95/max;
2. all N units upload at the same moment (one thread each, started together): every answer is compared with the
   verdict `gkxl check` gives the same bytes, and p50/p95/max latency and the wall time are printed.
The server checks uploads in its pool of worker processes (`--jobs`, default: the cores, at most 4); the CPU the
server and its workers used during the burst, and the machine's load average before and after it, are printed too
(Linux), so that a number taken on a shared machine says so.
It asserts nothing but the verdicts (targets, issues 13 and 22: < 300 ms for one workbook; p95 < 5 s for 200 units
at once on 2 cores). Bounded: at most 500 units,
each request times out after 120 s, and the server is stopped at the end whatever happens.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import varied_report  # the same varied, consistent reports as the collect benchmark

WORK = ROOT / "bench" / "_work" / "web"
MAX_UNITS = 500
TIMEOUT = 120.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def start_server(roster: Path, data: Path) -> tuple[subprocess.Popen, str]:
    cmd = [sys.executable, "-m", "gkxl.cli.app", "serve", "--roster", str(roster), "--year", "2023", "--data", str(data),
           "--host", "127.0.0.1", "--port", "0", "--no-browser"]
    proc = subprocess.Popen(cmd, cwd=WORK, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={"GKXL_NO_BROWSER": "1", **os.environ})
    end = time.monotonic() + 60
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("gkxl serve did not start: " + proc.stderr.read())
        m = re.search(r"(http://127\.0\.0\.1:\d+/o/\S+)", line)
        if m:
            return proc, m.group(1)
    proc.kill()
    raise SystemExit("gkxl serve did not print its address in 60 s")


def cpu_seconds(root: int) -> dict[str, float]:
    """CPU seconds (user + system) used so far by the server process and by its descendants (the check workers),
    from /proc (Linux only; {} elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    procs: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else []:
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        procs[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    if root not in procs:
        return {}
    family, frontier = {root}, [root]
    while frontier:
        frontier = [pid for pid, (ppid, _) in procs.items() if ppid in frontier and pid not in family]
        family.update(frontier)
    return {"server": procs[root][1], "workers": sum(procs[p][1] for p in family - {root})}


def links(data: Path) -> dict[str, str]:
    import openpyxl

    ws = openpyxl.load_workbook(data.parent / "单位链接.xlsx").active
    return {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}


def expected_verdict(data: bytes, unit: str, folder: Path) -> str:
    """What `gkxl check --year 2023 --agency UNIT` says of these bytes (the web must say the same)."""
    from gkxl.intake import check_path

    path = folder / f"{hashlib.sha256(data).hexdigest()}.xlsx"
    path.write_bytes(data)
    result, _ = check_path(path, year=2023, agencies=(unit,))
    return result.verdict


def main() -> None:
    import httpx

    from gkxl.excel.writer import build_workbook

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--sequential", type=int, default=30)
    args = ap.parse_args()
    n = max(1, min(args.units, MAX_UNITS))

    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    rng = random.Random(20240120)
    reports = [varied_report(i, rng) for i in range(1, n + 1)]
    # a tenth of the units send a workbook whose 表三 does not balance: the verdicts must say so
    for r in reports[::10]:
        key = "sec3.new_received.natural_person"
        r.values[key] = r.values[key] + 1
    books = {r.agency: build_workbook(r, lock_agency=True) for r in reports}
    roster = WORK / "roster.csv"
    roster.write_text("单位名称\n" + "\n".join(books) + "\n", encoding="utf-8")
    check_dir = WORK / "expected"
    check_dir.mkdir()
    expected = {unit: expected_verdict(data, unit, check_dir) for unit, data in books.items()}

    proc, office = start_server(roster, WORK / "data")
    try:
        urls = links(WORK / "data")
        with httpx.Client(timeout=TIMEOUT) as client:
            while True:
                try:
                    if client.get(office).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            csrf = {u: re.search(r'data-csrf="([^"]+)"', client.get(urls[u]).text).group(1) for u in books}

            def send(c: httpx.Client, unit: str) -> tuple[float, dict]:
                t = time.perf_counter()
                res = c.post(f"{urls[unit]}/upload", content=books[unit], headers={
                    "x-csrf-token": csrf[unit], "x-file-name": quote(f"{unit}.xlsx"), "content-type": "application/octet-stream"})
                return time.perf_counter() - t, res.json()

            first = next(iter(books))
            send(client, first)  # warm up (imports, caches)
            seq = [send(client, first)[0] for _ in range(args.sequential)]

        cpu_before = cpu_seconds(proc.pid)
        load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
        results: dict[str, tuple[float, dict]] = {}
        released: list[float] = []
        barrier = threading.Barrier(n, action=lambda: released.append(time.perf_counter()))

        def unit_thread(unit: str) -> None:
            with httpx.Client(timeout=TIMEOUT) as c:
                barrier.wait()
                try:
                    results[unit] = send(c, unit)
                except httpx.HTTPError as exc:
                    results[unit] = (float("nan"), {"ok": False, "message": type(exc).__name__})

        threads = [threading.Thread(target=unit_thread, args=(u,)) for u in books]
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIMEOUT + 10)
        wall = time.perf_counter() - released[0]  # from the moment all of them were released together
        cpu_after = cpu_seconds(proc.pid)
        load_after = os.getloadavg() if hasattr(os, "getloadavg") else None
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()

    wrong = [u for u in books if u not in results or results[u][1].get("verdict") != expected[u]]
    lat = [results[u][0] for u in books if u in results and results[u][0] == results[u][0]]
    ms = lambda s: f"{s * 1000:.0f}"
    print(f"gkxl serve on 127.0.0.1, Python {sys.version.split()[0]}; {n} units, a tenth with an unbalanced 表三")
    print()
    print("| measurement | requests | p50 ms | p95 ms | max ms | target |")
    print("|---|---|---|---|---|---|")
    print(f"| one upload → verdict (one after another) | {len(seq)} | {ms(statistics.median(seq))} | {ms(percentile(seq, 95))} | {ms(max(seq))} | < 300 ms |")
    print(f"| {n} units uploading at once | {len(lat)} | {ms(statistics.median(lat))} | {ms(percentile(lat, 95))} | {ms(max(lat))} | all verdicts right |")
    print()
    print(f"all {n} at once: {wall:.2f} s wall time; verdicts as gkxl check gives them: {n - len(wrong)}/{n}"
          f" ({sum(1 for v in expected.values() if v != '通过')} not passing, as expected)")
    if cpu_before and cpu_after:
        used = {k: cpu_after[k] - cpu_before[k] for k in cpu_before}
        print(f"CPU during the burst: server process {used['server']:.1f} s, check workers {used['workers']:.1f} s"
              f" ({(used['server'] + used['workers']) / n * 1000:.0f} ms per upload)")
    if load_before:
        print(f"load average (1 min) before / after the burst: {load_before[0]:.1f} / {load_after[0]:.1f}"
              f" on {os.cpu_count()} cores (other processes share the machine when above ~{os.cpu_count()})")
    if wrong:
        print("wrong or missing verdicts:", ", ".join(wrong[:10]))
        raise SystemExit(1)


if __name__ == "__main__":
    main()

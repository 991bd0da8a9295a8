"""Benchmark: `gkxl collect` end to end, and each stage against the libraries' own floor, in one run.

    python bench/run.py [--units 200] [--jobs 2]

Generates N filled workbooks with varied data (fictional units, seeded), then times on the same files:
- check (read + all rules) vs openpyxl loading each workbook (normal mode): the floor of reading an xlsx;
- report (gkxl's Word writer) vs python-docx building a document with the same three tables cell by cell;
- collect end to end (check, unit reports, 汇总, 汇总报告, status) with 1 process and with --jobs processes.
It prints seconds and ratios; it asserts nothing. Targets (issue 5, 2 cores): 200 units < 10 s end to end; check ≤ 2×
the openpyxl load; report ≤ 0.6× python-docx cell by cell; ≥ 1.7× speed-up from 1 to 2 processes.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the consistent reports the tests use

from reports import balance, random_values  # noqa: E402

from gkxl.model import Report  # noqa: E402
from gkxl.formats import get_format  # noqa: E402

WORK = ROOT / "bench" / "_work"


def varied_report(i: int, rng: random.Random) -> Report:
    """A consistent report with varied numbers: random inputs, balanced like the tests' reports."""
    spec = get_format("2021")
    values = random_values(
        spec,
        count=lambda: rng.choice((0, 0, 0, 1, 2, 3, rng.randint(0, 40))),
        signed=lambda: rng.randint(-20, 20),
        amount=lambda: Decimal(rng.randint(0, 10**7)).scaleb(-3),
    )
    report = balance(Report("2021", 2023, f"示例市示例区第{i:03d}号单位", values))
    report.narrative = {s: f"{report.agency}本年度相关工作情况（基准测试用文字）。" for s in spec.section_ids}
    report.meta = {"issued_on": "2024-01-20", "fee_yuan": "0"}
    return report


def generate(n: int) -> tuple[Path, Path, list[Report]]:
    from gkxl.excel.writer import build_workbook

    if WORK.exists():
        shutil.rmtree(WORK)
    inbox = WORK / "inbox"
    inbox.mkdir(parents=True)
    rng = random.Random(20240120)
    reports = [varied_report(i, rng) for i in range(1, n + 1)]
    for i, r in enumerate(reports, 1):
        (inbox / f"unit-{i:03d}.xlsx").write_bytes(build_workbook(r, lock_agency=True))
    roster = WORK / "roster.csv"
    roster.write_text("单位名称\n" + "\n".join(r.agency for r in reports) + "\n", encoding="utf-8")
    return inbox, roster, reports


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def docx_cell_by_cell(report: Report) -> bytes:
    """The floor for the Word stage: python-docx's own API, the same three tables, merged and filled cell by cell."""
    import io

    from docx import Document

    doc = Document()
    values = report.with_totals()
    from gkxl.values import format_number

    for table in report.spec.tables:
        doc.add_paragraph(table.heading)
        t = doc.add_table(rows=table.n_rows, cols=table.n_cols)
        t.style = "Table Grid"
        for lb in table.labels:
            cell = t.cell(lb.row, lb.col)
            if lb.rowspan > 1 or lb.colspan > 1:
                cell = cell.merge(t.cell(lb.row + lb.rowspan - 1, lb.col + lb.colspan - 1))
            cell.text = lb.text
        for f in table.fields:
            cell = t.cell(f.row, f.col)
            if f.colspan > 1:
                cell = cell.merge(t.cell(f.row, f.col + f.colspan - 1))
            cell.text = format_number(values.get(f.id))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--sample", type=int, default=20, help="how many files the per-stage comparisons use (python-docx is slow)")
    args = ap.parse_args()

    import openpyxl

    from gkxl.intake import check_path
    from gkxl.word.writer import build_report

    print(f"生成 {args.units} 个已填报工作簿 …", flush=True)
    t0 = time.perf_counter()
    inbox, roster_path, reports = generate(args.units)
    t_gen = time.perf_counter() - t0
    files = sorted(inbox.glob("*.xlsx"))

    # warm both sides once (imports, caches), so the timings compare steady work
    openpyxl.load_workbook(files[0])
    check_path(files[0])
    build_report(reports[0])
    docx_cell_by_cell(reports[0])

    def collect(jobs: int) -> float:
        """The real command, end to end, in a fresh process: what an office waits for."""
        out = WORK / f"out-{jobs}"
        cmd = [sys.executable, "-m", "gkxl.cli.app", "collect", str(inbox), "--roster", str(roster_path), "-o", str(out),
               "--year", "2023", "--agency", "示例市示例区", "--jobs", str(jobs), "--force"]
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        elapsed = time.perf_counter() - t
        if proc.returncode != 0:
            sys.exit(f"gkxl collect failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return elapsed

    t_collect_1 = collect(1)
    t_collect_n = collect(args.jobs)

    sample = files[: args.sample]
    sample_reports = reports[: args.sample]
    t_openpyxl = timed(lambda: [openpyxl.load_workbook(f) for f in sample])
    t_check = timed(lambda: [check_path(f) for f in sample])
    t_docx_floor = timed(lambda: [docx_cell_by_cell(r) for r in sample_reports])
    t_report = timed(lambda: [build_report(r) for r in sample_reports])

    n, m = len(files), len(sample)
    rows = [
        ("生成工作簿（xlsxwriter）", t_gen, n, "", ""),
        ("openpyxl 载入（下限）", t_openpyxl, m, "", ""),
        ("gkxl 检查（读取+全部规则）", t_check, m, f"{t_check / t_openpyxl:.2f}× openpyxl", "≤ 2×"),
        ("python-docx 逐格建表（下限）", t_docx_floor, m, "", ""),
        ("gkxl 生成 Word 报告", t_report, m, f"{t_report / t_docx_floor:.2f}× python-docx", "≤ 0.6×"),
        ("gkxl collect，1 进程", t_collect_1, n, "", ""),
        (f"gkxl collect，{args.jobs} 进程", t_collect_n, n, f"加速 {t_collect_1 / t_collect_n:.2f}×", "< 10 s，≥ 1.7×"),
    ]
    print(f"\n{n} 个单位，{os.cpu_count()} 核，Python {sys.version.split()[0]}")
    print("| 阶段 | 文件数 | 秒 | 每个 ms | 比值 | 目标 |\n|---|---|---|---|---|---|")
    for name, secs, count, ratio, target in rows:
        print(f"| {name} | {count} | {secs:.2f} | {secs / count * 1000:.1f} | {ratio} | {target} |")


if __name__ == "__main__":
    main()

"""Benchmark: `gkxl template --roster` of a province-wide roster (issue 21), against building each workbook in full.

    python bench/template_bench.py [--units 2000] [--sample 50]

Times, in one run on the same machine: building --sample workbooks in full with xlsxwriter (what every unit cost
before: the floor the stamp is measured against), then the whole command `gkxl template --roster` of --units
units end to end (a new process: the roster read and checked, one workbook built per layout, each unit stamped,
written all or nothing). Prints seconds, ms a unit and the ratio; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = ROOT / "bench" / "_work" / "template"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--sample", type=int, default=50)
    args = ap.parse_args()
    from gkxl.excel.writer import build_workbook
    from gkxl.model import Report

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    # names of every length a roster holds (the row height of the name differs by length: several layouts)
    names = [f"示例省示例市第{i}区{'人力资源和社会保障' * (i % 5)}局" for i in range(args.units)]
    (WORK / "名单.csv").write_text("单位名称\n" + "\n".join(names) + "\n", encoding="utf-8")

    t = time.perf_counter()
    for name in names[: args.sample]:
        build_workbook(Report("2021", 2025, name), lock_agency=True)
    full = (time.perf_counter() - t) / args.sample

    gkxl = str(Path(sys.executable).with_name("gkxl"))
    t = time.perf_counter()
    proc = subprocess.run([gkxl, "template", "--roster", str(WORK / "名单.csv"), "--year", "2025", "-o", str(WORK / "模板")],
                          capture_output=True, text=True)
    total = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    made = len(list((WORK / "模板").iterdir()))
    per = total / made
    print(f"| 阶段 | 文件数 | 秒 | 每个 ms | 比值 |")
    print(f"|---|---|---|---|---|")
    print(f"| 逐个完整生成（xlsxwriter，下限） | {args.sample} | {full * args.sample:.2f} | {full * 1000:.1f} |  |")
    print(f"| gkxl template --roster（端到端） | {made} | {total:.2f} | {per * 1000:.1f} | {per / full:.2f}× 完整生成 |")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()

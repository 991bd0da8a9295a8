"""Benchmark: importing published reports (issue 11), against the PDF library's own text extraction.

    python bench/import_bench.py [--reports 100] [--pdfs 6] [--jobs 2]

Makes --pdfs different reports into text-layer PDFs (gkxl report → .docx → LibreOffice), about six pages each,
and a folder of --reports published files (a third PDFs, a third CMS-style GBK web pages, a third flattened
copied text). Then times, on the same files:
- one PDF import (gkxl.importers.import_file, warm) vs pdfplumber's own extract_text() of every page: the ratio;
- `gkxl check` of all the published files end to end (a new process: import in memory, every rule);
- `gkxl import FOLDER -o OUT --jobs N`.
It prints seconds and ratios and asserts nothing. Targets: a 6-page PDF < 1 s; 100 reports checked < 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from importers.shapes import flattened, report_html  # noqa: E402
from run import varied_report  # noqa: E402

WORK = ROOT / "bench" / "_work" / "import"  # bench/run.py starts by clearing bench/_work
LONG = "为进一步推进政务公开工作，本机关认真落实各项要求，持续完善制度机制，不断提升公开质量和实效。"


def make_pdfs(n: int, rng: random.Random) -> list[tuple[object, Path]]:
    from gkxl.office import convert
    from gkxl.word.writer import build_report

    out = []
    for i in range(1, n + 1):
        report = varied_report(i, rng)
        report = replace(report, values=report.with_totals(),
                         narrative={s: LONG * rng.randint(3, 5) for s in report.spec.section_ids})
        src = WORK / "src" / f"单位{i:02d}.docx"
        src.parent.mkdir(parents=True, exist_ok=True)
        src.write_bytes(build_report(report))
        out.append((report, convert(src, "pdf", WORK / "pdf")))
    return out


def timed(fn, repeat: int = 3) -> float:
    best = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best.append(time.perf_counter() - t)
    return min(best)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=100)
    ap.add_argument("--pdfs", type=int, default=6)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    import pdfplumber

    from gkxl.importers import import_file

    if WORK.exists():
        shutil.rmtree(WORK)
    rng = random.Random(20250120)
    t0 = time.perf_counter()
    pdfs = make_pdfs(args.pdfs, rng)
    print(f"生成 {len(pdfs)} 个 PDF（LibreOffice）：{time.perf_counter() - t0:.1f} 秒")

    rows = []
    for report, pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            pages = len(doc.pages)

        def plumber(pdf=pdf):
            with pdfplumber.open(pdf) as doc:
                for page in doc.pages:
                    page.extract_text()

        ours = timed(lambda pdf=pdf: import_file(pdf))
        floor = timed(plumber)
        r = import_file(pdf)
        exact = r.report.values == report.values and not r.unreadable
        rows.append((pdf.name, pages, ours, floor, exact))
    print("| 文件 | 页数 | gkxl 导入 秒 | pdfplumber extract_text 秒 | 比值 | 数值全部读出 |")
    print("|---|---|---|---|---|---|")
    for name, pages, ours, floor, exact in rows:
        print(f"| {name} | {pages} | {ours:.3f} | {floor:.3f} | {ours / floor:.2f}× | {'是' if exact else '否'} |")
    print(f"中位数：导入 {statistics.median(r[2] for r in rows):.3f} 秒，比值 {statistics.median(r[2] / r[3] for r in rows):.2f}×（目标：6 页 < 1 秒）")

    folder = WORK / "published"
    folder.mkdir()
    files = []
    for i in range(args.reports):
        kind = i % 3
        if kind == 0:
            _, pdf = pdfs[i % len(pdfs)]
            p = folder / f"{i:03d}.pdf"
            shutil.copyfile(pdf, p)
        else:
            report = varied_report(1000 + i, rng)
            report = replace(report, values=report.with_totals())
            if kind == 1:
                p = folder / f"{i:03d}.html"
                p.write_bytes(report_html(report, meta_charset="gbk").encode("gbk"))
            else:
                p = folder / f"{i:03d}.txt"
                p.write_text(flattened(report, rng=rng), encoding="utf-8")
        files.append(p)
    gkxl = [sys.executable, "-m", "gkxl"]
    if subprocess.run([*gkxl, "--help"], capture_output=True).returncode != 0:
        gkxl = [str(Path(sys.executable).with_name("gkxl"))]
    t = time.perf_counter()
    proc = subprocess.run([*gkxl, "check", *map(str, files), "--json"], capture_output=True)
    check_s = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run([*gkxl, "import", str(folder), "-o", str(WORK / "out"), "--jobs", str(args.jobs)], capture_output=True)
    import_s = time.perf_counter() - t
    print(f"gkxl check {len(files)} 个已发布报告（1 进程，端到端）：{check_s:.1f} 秒（退出码 {proc.returncode}；目标 < 60 秒）")
    print(f"gkxl import 文件夹 --jobs {args.jobs}：{import_s:.1f} 秒")


if __name__ == "__main__":
    main()

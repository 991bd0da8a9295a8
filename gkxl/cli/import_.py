"""`gkxl import`: a published report (web text, HTML, Word, PDF) into the report data JSON or a filled gkxl workbook;
a folder of them into one JSON per report and a summary table."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ..fsio import refuse_overwrite, write_bytes, write_text
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, check_year, err, escape, fail, handle_errors, out


@handle_errors
def import_report(
    file: Annotated[Path, typer.Argument(help="已发布的年度报告：网页文本（.txt）、网页（.html/.htm）、Word 文档（.docx/.doc）、带文字的 PDF；或存放它们的文件夹")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="输出文件：.json（报告数据）或 .xlsx（填好的 gkxl 工作簿）；导入文件夹时为输出文件夹；不指定则只显示识别结果")] = None,
    trace: Annotated[bool, typer.Option("--trace", help="逐个列出每个导入的单元格来自原文的哪一行、哪一格及原文文字")] = False,
    agency: Annotated[str | None, typer.Option("--agency", help="机关全称（覆盖从报告标题识别的机关）")] = None,
    year: Annotated[int | None, typer.Option("--year", help="报告年度（覆盖从标题或统计期限识别的年度）")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="导入文件夹时的并行进程数（默认：全部 CPU 核）")] = None,
) -> None:
    """导入已发布的年度报告：从网页文本、网页、Word 文档或 PDF 中读出三张统计表的数值和正文各部分。

    格式（2021年格式或2019年试行格式）按表格标签自动识别；标签的常见写法差异（全角半角、空格换行、
    “规范性文件”、错别字等）会列出。无法确定的数值（单元格缺失、数字连在一起而无法唯一拆分）不会猜测，
    而是连同原文一起列出。空白、“/”、“—”按未填写处理，不当作 0。PDF 须带文字层（扫描件无法读取）。

    给出文件夹时（含子文件夹）：-o 指定输出文件夹，每个报告写出一个 JSON，另有“导入汇总.csv”
    （每个文件读出的数值、无法读取的单元格、文件类型和遇到的写法差异）。

    退出码：0 全部读出；1 有无法读取的数值（已列出原文）；2 文件无法使用或参数有误。

    示例：gkxl import 2023年报.html -o 2023年报.json；gkxl import 年报/ -o 导入结果/ --jobs 2
    """
    if file.is_dir():
        _import_folder(file, output, trace=trace, agency=agency, year=year, force=force, jobs=jobs)
        return
    if jobs is not None:
        raise fail("--jobs 只用于导入文件夹")
    from ..formats.layout import section_title
    from ..importers import import_file
    from ..model import report_to_json

    suffix = output.suffix.lower() if output is not None else ""
    if output is not None and suffix not in (".json", ".xlsx"):
        raise fail("输出文件应为 .json 或 .xlsx")
    if output is not None:
        refuse_overwrite(output, force)
    if agency is not None and not agency.strip():
        raise fail("--agency 不能为空")
    if year is not None:
        check_year(year)
    result = import_file(file, agency=agency.strip() if agency else None, year=year)
    report = result.report
    spec = report.spec

    if output is not None:
        if suffix == ".json":
            # Values exactly as published: a total left blank stays blank rather than being computed.
            write_text(output, report_to_json(report, totals=False), force=force)
        else:
            from ..excel.writer import build_workbook

            write_bytes(output, build_workbook(report, lock_agency=bool(report.agency)), force=force)
    out.print(f"[bold]已读取：{escape(str(file))}[/]（{result.kind}）")
    out.print(f"  格式：{escape(spec.document)}（{spec.id}）")
    out.print(f"  机关：{escape(report.agency or '（未识别，请用 --agency 指定）')}　年度：{report.year}")
    out.print(f"  读出数值：{len(report.values)}个（表格共{len(spec.fields)}格）；空白或“/”“—”：{result.blank}个，按未填写处理，不当作 0")
    sections = [section_title(s) for s in spec.sections if report.narrative.get(s.id)]
    out.print(f"  正文：{escape('、'.join(sections) or '（未读出）')}")
    if result.variants:
        out.print("  遇到的写法差异：")
        for v in result.variants:
            out.print(f"    - {escape(v)}")
    for note in result.notes + (_recomputed_totals(report) if suffix == ".xlsx" else []):
        out.print(f"  [yellow]注意[/]：{escape(note)}")
    if result.unreadable:
        out.print(f"  [bold red]无法读取（{len(result.unreadable)}处，未导入，请对照原文核实）：[/]")
        for u in result.unreadable:
            where = f"（{u.origin}）" if u.origin else ""
            raw = f"：原文“{' '.join(u.raw.split())}”" if u.raw else ""
            out.print(f"    - {escape(u.what)}{escape(raw)}{escape(where)}")
    if trace:
        _print_trace(result)

    if output is not None:
        err.print(f"已写出：{escape(str(output))}")
    if not result.unreadable:
        out.print("  可用 gkxl check 检查勾稽关系。")
    raise typer.Exit(EXIT_FINDINGS if result.unreadable else EXIT_OK)


SUMMARY_NAME = "导入汇总.csv"


def _import_folder(folder: Path, output: Path | None, *, trace: bool, agency, year, force: bool, jobs: int | None) -> None:
    """Every published report in folder: one JSON each in the output folder, and the summary table."""
    from ..fsio import FolderLock, make_dir, recover

    if output is None:
        raise fail("导入文件夹时须用 -o 指定输出文件夹")
    if trace or agency is not None or year is not None:
        raise fail("--trace、--agency、--year 只用于导入单个文件")
    if output.suffix.lower() in (".json", ".xlsx"):
        raise fail("导入文件夹时 -o 应为输出文件夹，不是 .json 或 .xlsx 文件")
    src, dst = folder.resolve(), output.resolve()
    make_dir(dst.parent)
    with FolderLock(dst, command="gkxl import"):  # held for the whole run: two imports into one folder never mix
        for notice in recover(dst):
            err.print(f"[yellow]注意：[/]{escape(notice)}")
        _import_folder_locked(folder, output, src, dst, force=force, jobs=jobs)


def _import_folder_locked(folder: Path, output: Path, src: Path, dst: Path, *, force: bool, jobs: int | None) -> None:
    import csv
    import io
    import shutil

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from ..fsio import _test_pause, exists, make_temp_dir, replace_dir, write_error
    from ..importers.batch import import_many, published_files
    from ..model import report_to_json

    if exists(output) and not force:
        raise fail(f"输出文件夹已存在；如需覆盖，请加 --force：{output}")
    if exists(output) and not output.is_dir():
        raise fail(f"输出位置已有同名文件，不是文件夹：{output}")
    if exists(dst) and not (dst / SUMMARY_NAME).is_file():  # replace only what an earlier import wrote
        raise fail(f"输出文件夹已存在，且不是 gkxl import 生成的（其中没有“{SUMMARY_NAME}”），不会覆盖；请换一个输出文件夹：{output}")
    if dst == src or src in dst.parents:
        raise fail("输出文件夹不能在被导入的文件夹之内")
    files, other = published_files(folder)
    if not files:
        raise fail(f"文件夹中没有可导入的已发布报告（.txt .html .htm .docx .doc .pdf）：{folder}")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True, console=err) as bar:
        task = bar.add_task("导入", total=len(files))
        items = import_many(files, jobs=jobs, progress=lambda done, total: bar.update(task, completed=done))

    rows = []
    tmp = make_temp_dir(dst)
    try:
        for it in items:
            rel = it.path.relative_to(folder)
            name = str(rel).replace(os.sep, "／") + ".json"
            if it.result is not None:
                (tmp / name).write_text(report_to_json(it.result.report, totals=False), encoding="utf-8")
            rows.append(_summary_row(rel, it, name if it.result is not None else ""))
            _test_pause("batch")
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(_SUMMARY_COLUMNS)
        writer.writerows(rows)
        (tmp / SUMMARY_NAME).write_text(buf.getvalue(), encoding="utf-8-sig")
        replace_dir(tmp, dst)
    except OSError as exc:
        raise write_error(exc, output) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    table = Table(title=f"导入{len(items)}个文件")
    for col in ("文件", "类型", "年度", "机关", "读出", "无法读取", "写法差异"):
        table.add_column(col, overflow="fold")
    for r in rows:
        kinds = "、".join(dict.fromkeys(v.split("：", 1)[0] for v in r[8].split("；") if "：" in v)) if r[8] else ""
        table.add_row(*(escape(str(x)) for x in (r[0], r[1], r[3], r[4], r[5], r[6] if not r[9] else r[9], kinds)))
    out.print(table)
    for path, why in other:
        out.print(f"[yellow]未读取：[/]{escape(str(path.relative_to(folder)))}（{escape(why)}）")
    out.print(f"已写出：{escape(str(output))}/（每个报告一个 JSON，汇总见 {SUMMARY_NAME}）")
    if any(it.error for it in items):
        raise typer.Exit(EXIT_UNUSABLE)
    raise typer.Exit(EXIT_FINDINGS if any(it.result and it.result.unreadable for it in items) else EXIT_OK)


_SUMMARY_COLUMNS = ("文件", "类型", "报告格式", "年度", "机关", "读出数值", "无法读取的单元格", "空白单元格", "遇到的写法差异", "无法使用的原因", "JSON")


def _summary_row(rel: Path, it, json_name: str) -> list:
    r = it.result
    if r is None:
        return [str(rel), "", "", "", "", 0, "", "", "", it.error, ""]
    return [
        str(rel), r.kind, r.report.format, r.report.year, r.report.agency, len(r.report.values), len(r.unread_cells),
        r.blank, "；".join(r.variants), "", json_name,
    ]


def _print_trace(result) -> None:
    """Each imported cell: its id, its official labels, where it was published and the text there."""
    spec = result.report.spec
    out.print("  逐格来源（单元格编号　表格位置　原文位置　原文）：")
    for cid in spec.fields:
        t = result.trace.get(cid)
        if t is None:
            continue
        fld = spec.fields[cid]
        note = f"　{t.note}" if t.note else ""
        out.print(f"    {cid}　{escape(spec.table_of[cid].name + ' ' + fld.describe())}　{escape(t.origin)}　“{escape(t.raw)}”{escape(note)}")


def _recomputed_totals(report) -> list[str]:
    """Published totals a workbook cannot keep: its totals are formulas over the inputs."""
    from ..model import Report
    from ..values import format_number

    spec = report.spec
    inputs = {c: v for c, v in report.values.items() if spec.fields[c].is_input}
    computed = Report(report.format, report.year, report.agency, inputs).with_totals()
    lines = []
    for cid in spec.totals:
        if cid in report.values and cid in computed and computed[cid] != report.values[cid]:
            fld = spec.fields[cid]
            lines.append(
                f"{spec.table_of[cid].name} {fld.describe()}：报告中的合计为 {format_number(report.values[cid])}，"
                f"工作簿按公式计算为 {format_number(computed[cid])}（请先用 gkxl check 核对原报告）"
            )
    return lines


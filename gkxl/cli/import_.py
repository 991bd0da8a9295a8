"""`gkxl import`: a published report (web text, HTML, Word) into the report data JSON or a filled gkxl workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..fsio import refuse_overwrite, write_bytes, write_text
from .common import EXIT_FINDINGS, EXIT_OK, check_year, err, escape, fail, handle_errors, out


@handle_errors
def import_report(
    file: Annotated[Path, typer.Argument(help="已发布的年度报告：从网页复制的文本（.txt）、网页另存的 .html/.htm，或 Word 文档 .docx")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="输出文件：.json（报告数据）或 .xlsx（填好的 gkxl 工作簿）；不指定则只显示识别结果")] = None,
    trace: Annotated[bool, typer.Option("--trace", help="逐个列出每个导入的单元格来自原文的哪一行、哪一格及原文文字")] = False,
    agency: Annotated[str | None, typer.Option("--agency", help="机关全称（覆盖从报告标题识别的机关）")] = None,
    year: Annotated[int | None, typer.Option("--year", help="报告年度（覆盖从标题或统计期限识别的年度）")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> None:
    """导入已发布的年度报告：从网页文本、网页或 Word 文档中读出三张统计表的数值和正文各部分。

    格式（2021年格式或2019年试行格式）按表格标签自动识别；标签的常见写法差异（全角半角、空格换行、
    “规范性文件”等）会列出。无法确定的数值（单元格缺失、数字连在一起）不会猜测，而是连同原文一起列出。
    空白、“/”、“—”按未填写处理，不当作 0。

    退出码：0 全部读出；1 有无法读取的数值（已列出原文）；2 文件无法使用或参数有误。

    示例：gkxl import 2023年报.html -o 2023年报.json
    """
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
            raw = f"：原文“{u.raw}”" if u.raw else ""
            out.print(f"    - {escape(u.what)}{escape(raw)}{escape(where)}")
    if trace:
        _print_trace(result)

    if output is not None:
        err.print(f"已写出：{escape(str(output))}")
    if not result.unreadable:
        out.print("  可用 gkxl check 检查勾稽关系。")
    raise typer.Exit(EXIT_FINDINGS if result.unreadable else EXIT_OK)


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


"""`gkxl ledger`: 表三 and 表四 computed from the unit's registers (依申请台账, 复议诉讼台账)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import InputError
from ..fsio import exists, write_bytes, write_text
from .common import EXIT_FINDINGS, EXIT_OK, check_year, err, escape, handle_errors, out


def print_reading(read) -> None:
    out.print("[bold]台账的列[/]（表头 ← 台账中的列）：")
    for line in read.mapping:
        out.print("  " + escape(line))
    for note in read.unused:
        err.print(f"[yellow]注意：[/]{escape(note)}")


@handle_errors
def ledger(
    registers: Annotated[list[Path], typer.Argument(help="依申请台账（.xlsx 或 .csv；可以是 gkxl template --ledger 生成的台账，也可以是单位自己的表格），可给多个文件", show_default=False)],
    year: Annotated[int, typer.Option("--year", "-y", help="报告年度")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="输出：报告数据 .json（gkxl.report/1）；与 --into 一起时为新的工作簿 .xlsx", show_default=False)] = None,
    into: Annotated[Optional[Path], typer.Option("--into", help="把表三、表四填入这个工作簿（gkxl 的填报模板），另存为 -o 指定的新工作簿；原工作簿不变", show_default=False)] = None,
    previous: Annotated[Optional[list[Path]], typer.Option("--previous", help="上年的台账：核对每一件“上年结转”在上年末确实未办结", show_default=False)] = None,
    agency: Annotated[str, typer.Option("--agency", "-a", help="单位全称（写入 JSON）")] = "",
    trace: Annotated[bool, typer.Option("--trace", help="列出每个单元格由台账的哪些行计得")] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> None:
    """由依申请台账计算表三、表四：每个单元格都能追溯到台账中的行，各项勾稽关系自然成立。

    \b
    计数规则：本年收到的申请计入“一、本年新收”；以前收到、1月1日前未答复的计入“二、上年结转”；每件申请按答复日期
    所在年度、按办理结果计入一次；12月31日仍未答复的计入“四、结转下年度继续办理”；申请人类型决定所在的列。
    复议诉讼台账：本年结案的按结果计入表四，年末尚未审结的计入“尚未审结”。
    台账中不能确定如何计数的行（类型或结果不认识、答复早于收到、有结果无答复日期等）逐行指出，不计入，也不输出结果。

    \b
    退出码：0 已计算；1 台账中有不能计数的行；2 文件无法使用。

    \b
    示例：
      gkxl ledger 2025台账.xlsx --year 2025 -o 2025表三表四.json
      gkxl ledger 2025台账.xlsx --year 2025 --into 本单位2025.xlsx -o 本单位2025_台账.xlsx
      gkxl ledger 申请登记.csv 复议诉讼.csv --year 2025 --trace
    """
    from ..model import Report, report_to_json

    check_year(year)
    if into is not None and (output is None or output.suffix.lower() != ".xlsx"):
        raise InputError("使用 --into 时须用 -o 指定新的工作簿（.xlsx）；原工作簿不会被改写")
    if into is None and output is not None and output.suffix.lower() != ".json":
        raise InputError("-o 应为 .json 文件（填入工作簿请用 --into 工作簿.xlsx -o 新工作簿.xlsx）", file=str(output))
    if output is not None and exists(output) and not force:
        raise InputError("输出文件已存在；如需覆盖，请加 --force", file=str(output))
    for src in [*registers, *([into] if into else [])]:
        if output is not None and exists(output) and output.resolve() == src.resolve():
            raise InputError("输出文件不能与输入文件相同（输入文件不会被改写）", file=str(output))
    from ..ledger import read_and_count

    read, counted = read_and_count(registers, year=year, previous=previous)
    print_reading(read)
    spec_report = Report(counted.format, year, agency.strip(), values=dict(counted.values))
    full = spec_report.with_totals()
    _print_tables(spec_report.spec, full)
    if trace:
        for cid, rows in counted.trace.items():
            f = spec_report.spec.fields[cid]
            out.print(f"  {escape(spec_report.spec.table_of[cid].name)} {escape(f.describe())} = {len(rows)}：{escape('、'.join(rows))}")
    if counted.findings:
        for f in counted.findings:
            out.print(f"[red]强制[/] {escape(f.key)}  {escape(f.message)}" + (f"（{escape(f.cell)}）" if f.cell else ""))
        out.print(f"[red]台账中有{len(counted.findings)}行不能计数，请改正后再计算；未输出结果。[/]")
        raise typer.Exit(EXIT_FINDINGS)
    if output is None:
        raise typer.Exit(EXIT_OK)
    if into is None:
        write_text(output, report_to_json(spec_report, totals=True), force=force)
        out.print(f"已写出表三、表四数据：{escape(str(output))}")
        raise typer.Exit(EXIT_OK)
    from ..excel.reader import read_with_identity
    from ..excel.writer import build_workbook
    from .fill import merge

    loaded, ident = read_with_identity(into, default_year=year)
    layout = [f for f in loaded.found if f.rule == "R-LAYOUT"]
    if layout:
        raise InputError("工作簿结构已被改动，不能填入：" + "；".join(f.message for f in layout[:5]), file=str(into))
    merged = merge(loaded.report, Report(counted.format, year, values=dict(counted.values)), locked=loaded.locked_agency,
                   year_locked=ident.year is not None, source=str(registers[0]))
    write_bytes(output, build_workbook(merged, lock_agency=loaded.locked_agency), force=force)
    out.print(f"已把台账计得的表三、表四填入新的工作簿：{escape(str(output))}（{escape(str(into))} 不变）")
    raise typer.Exit(EXIT_OK)


def _print_tables(spec, full: dict) -> None:
    from rich.table import Table

    t3 = Table(title="表三（由台账计得）", show_lines=False)
    t3.add_column("行", no_wrap=True, overflow="ellipsis", max_width=22)
    cols = [f for f in spec.table("sec3").fields if f.id.startswith("sec3.new_received.")]
    for f in cols:
        t3.add_column(f.col_labels[-1], justify="right")
    rows = {".".join(f.id.split(".")[1:-1]): f.row_labels[-1] for f in spec.table("sec3").fields}
    for row, words in rows.items():
        t3.add_row(escape(words[:24]), *(str(full.get(f"sec3.{row}.{f.id.rsplit('.', 1)[1]}", 0)) for f in cols))
    out.print(t3)
    t4 = Table(title="表四（由台账计得）")
    t4.add_column("")
    heads = [f for f in spec.table("sec4").fields if f.id.startswith("sec4.review.")]
    for f in heads:
        t4.add_column(f.col_labels[-1], justify="right")
    groups = {f.id.split(".")[1]: f.row_text for f in spec.table("sec4").fields}
    for g, words in groups.items():
        t4.add_row(escape(words), *(str(full.get(f"sec4.{g}.{f.id.rsplit('.', 1)[1]}", 0)) for f in heads))
    out.print(t4)

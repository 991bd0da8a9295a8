"""`gkxl export`: a filled workbook → the contract's report JSON (values with totals, narrative, metadata, 说明)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ..fsio import exists, write_text
from ..intake import load
from ..model import report_to_json
from .common import EXIT_FINDINGS, EXIT_OK, err, escape, handle_errors, out

# Findings that mean a part of the workbook did not make it into the JSON.
LEFT_OUT = ("R-VALUE", "R-LAYOUT")


@handle_errors
def export(
    workbook: Annotated[Path, typer.Argument(help="填好的 .xlsx 工作簿（也可以是报告数据 .json）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的报告数据 .json 文件")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> None:
    """导出：把填好的工作簿转成报告数据 JSON（gkxl.report/1），供其他系统或 gkxl fill 使用。

    导出全部数值（合计按输入单元格重新计算，不取工作簿中保存的合计）、正文、基本信息和说明。
    无法识别的单元格（如“5件”、公式、被识别为日期的数字）不写入 JSON，并逐个列出。

    退出码：0 全部读出；1 已导出，但有单元格或工作表未能读出（已列出）；2 文件无法读取。

    示例：gkxl export 人社局2024年报.xlsx -o 人社局2024.json
    """
    if exists(output) and output.resolve() == workbook.resolve():
        raise InputError("输出文件不能与输入文件相同", file=str(output))
    loaded = load(workbook)
    report = loaded.report
    write_text(output, report_to_json(report), force=force)
    left_out = [f for f in loaded.found if f.rule in LEFT_OUT]
    out.print(
        f"已导出：{escape(str(output))}（{report.agency or '未填写单位'}，{report.year}年，"
        f"{len(report.with_totals())}个数值，{len(report.narrative)}节正文）"
    )
    for f in loaded.found:
        where = f"{f.sheet}!{f.cell} " if f.sheet and f.cell else ""
        if f.rule in LEFT_OUT:
            what = "该工作表的数据未写入 JSON" if f.rule == "R-LAYOUT" else "该单元格未写入 JSON"
            err.print(f"[yellow]警告：[/]{escape(where + f.message)}——{what}")
        elif f.rule == "R-CACHED-TOTAL":
            err.print(f"[yellow]注意：[/]{escape(where + f.message)}——JSON 中的合计按输入单元格重新计算")
        else:
            err.print(f"[yellow]注意：[/]{escape(where + f.message)}")
    raise typer.Exit(EXIT_FINDINGS if left_out else EXIT_OK)

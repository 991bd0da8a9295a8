"""`gkxl fill`: a report JSON → a filled copy of a template, never overwriting the template's locked unit or year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ..findings import Finding
from ..fsio import exists, write_bytes
from ..intake import load
from ..model import Report
from .common import EXIT_OK, escape, handle_errors, out

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def _listed(findings: list[Finding], limit: int = 10) -> str:
    text = "；".join(f.message for f in findings[:limit])
    return text + (f"；等共{len(findings)}处" if len(findings) > limit else "")


def merge(template: Report, data: Report, *, locked: bool, year_locked: bool, source: str) -> Report:
    """The template's content with the data's values, narrative, metadata and 说明 over it.

    Refused (InputError): another format, another year than a locked one, another unit than a locked one,
    and totals the workbook could not hold (its totals are formulas over the inputs).
    """
    spec = template.spec
    if data.format != template.format:
        raise InputError(f"数据为{data.spec.document}格式，模板为{spec.document}格式，不能填入", file=source)
    if year_locked and data.year != template.year:
        raise InputError(f"数据为{data.year}年度，模板锁定为{template.year}年度，不能填入；请使用{data.year}年度的模板", file=source)
    agency = template.agency
    if locked:
        if data.agency and data.agency.strip() != template.agency:
            raise InputError(f"数据的单位为“{data.agency}”，模板锁定为“{template.agency}”，不能填入", file=source)
    elif data.agency:
        agency = data.agency
    inputs = {c: v for c, v in data.values.items() if spec.fields[c].is_input}
    recomputed = Report(spec.id, data.year, values=inputs, declared=data.declared).with_totals()
    bad = []
    for cid, value in data.values.items():
        if spec.fields[cid].is_input:
            continue
        name = f"{spec.table_of[cid].name} {spec.fields[cid].describe()}"
        if cid not in recomputed:
            bad.append(f"{name}：给出了合计 {value}，但分项未填全")
        elif recomputed[cid] != value:
            bad.append(f"{name}：合计 {value} 不等于分项之和 {recomputed[cid]}")
    if bad:
        more = f"；等共{len(bad)}处" if len(bad) > 5 else ""
        raise InputError("模板中的合计由公式按分项计算，数据中的合计与分项不符，不能填入：" + "；".join(bad[:5]) + more, file=source)
    return Report(
        spec.id,
        data.year,
        agency,
        {**{c: v for c, v in template.values.items() if spec.fields[c].is_input}, **inputs},
        {**template.narrative, **data.narrative},
        {**template.explanations, **data.explanations},
        {**template.meta, **data.meta},
        template.declared | data.declared,  # 零报告: a declaration made in either (JSON cannot tell false from absent)
    )


def _supplied(scope: str, data: Report) -> bool:
    """Whether the data gives what an unreadable template cell held (a value, a metadata item, a narrative section)."""
    return scope in data.values or scope in data.meta or scope.removeprefix("narrative.") in data.narrative or scope in data.declared


@handle_errors
def fill(
    template: Annotated[Path, typer.Argument(help="gkxl template 生成的 .xlsx 模板（可以已填写一部分）")],
    data: Annotated[Path, typer.Option("--data", help="报告数据 .json 文件（gkxl.report/1，例如 gkxl export 的输出）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的已填写工作簿 .xlsx")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> None:
    """填写：把报告数据 JSON 填入模板，另存为新的工作簿（模板本身不变）。

    数据中的数值、正文、基本信息和说明覆盖模板中已有的内容；模板锁定的单位和年度不会被改写：
    数据为其他单位或年度时拒绝填入，数据未写单位时使用模板的单位。数据中有无效数值、未知编号时拒绝填入。

    退出码：0 已填写；2 模板或数据无法使用。

    示例：gkxl fill 人社局2024模板.xlsx --data 人社局2024.json -o 人社局2024年报.xlsx
    """
    from ..excel.reader import read_with_identity
    from ..excel.writer import build_workbook

    if output.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise InputError("输出文件应为 .xlsx 工作簿", file=str(output))
    for src in (template, data):
        if exists(output) and output.resolve() == src.resolve():
            raise InputError("输出文件不能与输入文件相同（输入文件不会被改写）", file=str(output))
    given = load(data)
    if given.kind != "json":
        raise InputError("--data 应为报告数据 .json 文件", file=str(data))
    if given.found:
        raise InputError(f"数据中有{len(given.found)}个数值无效，未填写：{_listed(given.found)}", file=str(data))
    if not template.exists():
        raise InputError("文件不存在", file=str(template))
    loaded, ident = read_with_identity(template, default_year=given.report.year)
    layout = [f for f in loaded.found if f.rule == "R-LAYOUT"]
    if layout:
        raise InputError(f"模板结构已被改动，不能填入：{_listed(layout)}", file=str(template))
    merged = merge(loaded.report, given.report, locked=loaded.locked_agency, year_locked=ident.year is not None, source=str(data))
    unread = [f for f in loaded.found if f.rule == "R-VALUE" and not _supplied(f.scope, given.report)]
    if unread:
        raise InputError(f"模板中有{len(unread)}个单元格的内容无法识别，数据中也没有提供：{_listed(unread)}", file=str(template))
    try:
        content = build_workbook(merged, lock_agency=loaded.locked_agency)
    except InputError as exc:  # text the workbook cannot hold (control characters, too many 说明): it came from the data
        raise exc.located(str(data)) from None
    write_bytes(output, content, force=force)
    out.print(
        f"已填写：{escape(str(output))}（{escape(merged.agency or '未填写单位')}，{merged.year}年，"
        f"{len(merged.values)}个数值，{len(merged.narrative)}节正文）"
    )
    raise typer.Exit(EXIT_OK)

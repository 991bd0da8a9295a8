"""`gkxl figure`: the 一图读懂 of one report (PNG, SVG or PDF), every number from its checked tables.

Exit codes: 0 written; 1 refused because of open 强制 findings (without --draft); 2 unusable input, an existing
output without --force, an unknown output type, no CJK font on the machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ..findings import Severity
from .common import EXIT_FINDINGS, err, escape, handle_errors, out

SUFFIXES = (".png", ".svg", ".pdf")


def default_output(source: Path, report) -> Path:
    """<机关><年度>年政府信息公开工作年度报告一图读懂.png beside the input (the name `gkxl report` uses, shortened alike)."""
    from ..figures.content import FIGURE_TITLE
    from .report import default_output as report_output

    docx = report_output(source, report)
    return docx.with_name(f"{docx.stem}{FIGURE_TITLE}.png")


def previous_reports(paths: list[Path], report) -> list:
    """Earlier years' reports of the same unit, at most content.MAX_PREVIOUS, each year once; InputError otherwise."""
    from ..figures.content import MAX_PREVIOUS
    from ..intake import load

    if len(paths) > MAX_PREVIOUS:
        raise InputError(f"--previous 最多给出{MAX_PREVIOUS}个年度的报告（给出了{len(paths)}个）")
    out: dict[int, object] = {}
    for p in paths:
        prev = load(p).report
        if prev.year >= report.year:
            raise InputError(f"这是{prev.year}年的报告，--previous 应为{report.year}年以前的报告", file=str(p))
        if prev.year in out:
            raise InputError(f"给出了两个{prev.year}年的报告，每个年度只能给一个", file=str(p))
        if report.agency and prev.agency and prev.agency != report.agency:
            raise InputError(f"这是“{prev.agency}”的报告，不是“{report.agency}”的", file=str(p))
        out[prev.year] = prev
    return [out[y] for y in sorted(out)]


@handle_errors
def figure(
    source: Annotated[Path, typer.Argument(help="填好的 .xlsx 工作簿、.json 报告数据或已发布的报告（.txt/.html/.docx/.pdf）", show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="输出文件：.png（2160 像素宽，手机、微信）、.svg（文字可检索，适合网站）或 .pdf（A4）；默认为输入文件旁的“<机关><年度>年政府信息公开工作年度报告一图读懂.png”")] = None,
    previous: Annotated[list[Path] | None, typer.Option("--previous", metavar="<path>", help="以前年度的报告（工作簿、JSON 或已发布的报告），可重复给出，最多 5 个：图中标出与上年相比的增减，并画出历年新收申请和复议诉讼")] = None,
    draft: Annotated[bool, typer.Option("--draft", help="草稿：有强制错误也生成，图上标“草稿”")] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> None:
    """生成“一图读懂”：年度报告的图解，图中每个数字都取自报告的统计表。

    内容：主动公开（表二）、依申请公开（本年新收、上年结转、申请人情况、办理结果占比、结转下年度）、行政复议和
    行政诉讼（表四）；给出 --previous 时标出与上年相比的增减，并画出历年趋势。先检查，有强制错误时拒绝生成（--draft 除外）。

    退出码：0 已生成；1 有强制错误，未生成；2 输入无法使用、输出已存在、输出类型不对或本机没有中文字体。

    示例：gkxl figure 人社局2024年报.xlsx -o 一图读懂.png --previous 人社局2023年报.html
    """
    from ..figures.content import report_content
    from ..figures.draw import render
    from ..figures.fonts import find_font, missing_glyphs
    from ..fsio import refuse_overwrite, write_bytes
    from ..intake import check_loaded, load

    if output is not None and output.suffix.lower() not in SUFFIXES:
        raise InputError(f"输出文件应以 .png、.svg 或 .pdf 结尾：{output}")
    loaded = load(source)
    report = loaded.report
    earlier = previous_reports(list(previous or []), report)
    last = next((p for p in earlier if p.year == report.year - 1), None)
    result = check_loaded(loaded, previous=last)
    mandatory = [f for f in result.findings if f.severity is Severity.MANDATORY]
    if mandatory and not draft:
        err.print(f"[bold red]未生成一图读懂：[/]{escape(str(source))} 有 {len(mandatory)} 个强制错误（gkxl check 可查看），请先改正，或加 --draft 生成标“草稿”的图")
        raise typer.Exit(EXIT_FINDINGS)
    target = output or default_output(Path(source), report)
    refuse_overwrite(target, force)
    font = find_font()
    content = report_content(report, earlier, draft=draft or bool(mandatory))
    lacking = missing_glyphs(font, content.texts().values())
    if lacking:
        shown = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in lacking[:5])
        err.print(f"[yellow]注意：[/]字体 {escape(font.family)} 中没有 {escape(shown)}{'等' if len(lacking) > 5 else ''}，图中这些字可能显示为方框；"
                  "可用环境变量 GKXL_FIGURE_FONT 指定含这些字的字体")
    data = render(content, font, target.suffix.lower().lstrip("."))
    write_bytes(target, data, force=force)

    if mandatory:
        err.print(f"[yellow]注意：[/]有 {len(mandatory)} 个强制错误未改正，已按草稿生成（图上标“草稿”）")
    elif draft:
        err.print("[yellow]注意：[/]按草稿生成（图上标“草稿”）")
    unfilled = [cid for cid in report.spec.inputs if cid not in report.values]
    if unfilled:
        err.print(f"[yellow]提示：[/]{len(unfilled)} 个单元格未填写或未能读取，图中相应数字显示为“—”")
    if not report.agency.strip():
        err.print("[yellow]提示：[/]报告中没有机关全称，图的标题只有年度和报告名称")
    if earlier and last is None:
        err.print(f"[yellow]提示：[/]没有{report.year - 1}年的报告，图中不标与上年相比的增减，只画历年趋势")
    out.print(f"已生成一图读懂：{escape(str(target))}（字体：{escape(font.family)}）")

"""`gkxl report`: the Word report in the official six-section format (GB/T 9704 typesetting), optionally as PDF.

Exit codes: 0 written (warnings may have been printed); 1 refused because of open 强制 findings (without --draft);
2 unusable input, an existing output without --force, or --pdf where LibreOffice is not installed (the .docx is
then written all the same and the message says so).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..drafting import report_with_draft
from ..findings import Severity
from ..formats import TITLE_SUFFIX
from ..fsio import refuse_overwrite, write_bytes
from ..intake import check_loaded, load
from ..model import Report
from ..office import find_soffice
from ..packs import load_pack
from ..roster import safe_filename
from ..word.reference import parse_fonts
from ..word.text import title_of, warnings_for
from ..word.writer import build_report
from .common import EXIT_FINDINGS, EXIT_UNUSABLE, REQUIREMENTS_HELP, err, escape, fail, handle_errors, out


def default_output(source: Path, report: Report) -> Path:
    """<机关><年度>年政府信息公开工作年度报告.docx beside the input; a long unit name is shortened, the rest kept."""
    tail = f"{report.year}{TITLE_SUFFIX}"
    title = title_of(report)
    unit = title[: -len(tail)] if title.endswith(tail) else title
    return source.parent / f"{safe_filename(unit) if unit.strip() else ''}{tail}.docx"


@handle_errors
def report(
    source: Annotated[Path, typer.Argument(help="填好的 .xlsx 工作簿或 .json 报告数据", show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="输出的 .docx 文件（默认：输入文件旁的“<机关><年度>年政府信息公开工作年度报告.docx”）")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="同时用 LibreOffice 转换出 PDF（放在 .docx 旁边）")] = False,
    draft: Annotated[bool, typer.Option("--draft", help="草稿：有强制错误也生成，每页页眉标“草稿”")] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    reference: Annotated[Path | None, typer.Option("--reference", help="样式参考文档（在 gkxl 自带的 reference.docx 上修改字体字号后的副本）；也可用环境变量 GKXL_REFERENCE_DOCX")] = None,
    requirements: Annotated[str | None, typer.Option("--requirements", help=REQUIREMENTS_HELP + "；未满足的条目逐条列出（强制条目未满足时只能生成草稿）")] = None,
    fonts: Annotated[str | None, typer.Option("--fonts", help="改用其他字体名，如 “fangsong=仿宋,kaiti=楷体”（角色：fangsong kaiti heiti xiaobiaosong songti latin，或直接写原字体名），或这样对应关系的 .json/.toml 文件")] = None,
) -> None:
    """生成公文格式的年度报告（Word）：先检查，有强制错误时拒绝生成（--draft 除外）。

    按国办公开办函〔2021〕30号的六部分和三张统计表排版（2019、2020年度按试行格式）。

    字体字号、页边距、页码符合 GB/T 9704；正文某一部分未填写时保留标题并给出提醒。
    正文“（二）依申请公开”未填写时，按表格数据自动起草（与 gkxl draft 相同）并提示；已填写的照原文。

    退出码：0 已生成；1 有强制错误，未生成（已列出）；2 输入无法使用、输出已存在或无法转换 PDF。

    示例：gkxl report 人社局2024年报.xlsx --pdf

    按地方要求清单起草：gkxl report 人社局2025年报.xlsx --draft --requirements 武威2025
    """
    font_map = parse_fonts(fonts)
    pack = load_pack(requirements) if requirements is not None else None
    loaded = load(source)
    result = check_loaded(loaded, requirements=pack)
    mandatory = [f for f in result.findings if f.severity is Severity.MANDATORY]
    if mandatory and not draft:
        err.print(f"[bold red]未生成报告：[/]{escape(str(source))} 有 {len(mandatory)} 个强制错误，请先改正（或加 --draft 生成草稿）：")
        for f in mandatory:
            where = f"（{f.sheet} {f.cell}）" if f.cell else ""
            err.print(f"  [red]{escape(f.rule)}[/] {escape(f.message)}{escape(where)}")
        raise typer.Exit(EXIT_FINDINGS)

    rpt, drafted = report_with_draft(loaded.report)  # an empty （二）依申请公开 gets the draft from the tables
    target = output or default_output(Path(source), rpt)
    if target.suffix.lower() != ".docx":
        raise fail(f"输出文件应以 .docx 结尾：{target}")
    refuse_overwrite(target, force)
    pdf_target = target.with_suffix(".pdf")
    if pdf:
        refuse_overwrite(pdf_target, force)
    data = build_report(rpt, draft=draft, reference=reference, fonts=font_map)
    write_bytes(target, data, force=force)

    if drafted:
        err.print(f"[yellow]提示：[/]{escape(drafted)}")
    if mandatory:
        err.print(f"[yellow]注意：[/]有 {len(mandatory)} 个强制错误未改正，已按草稿生成（每页页眉标“草稿”）")
    elif draft:
        err.print("[yellow]注意：[/]按草稿生成（每页页眉标“草稿”）")
    verify = [f for f in result.findings if f.severity is Severity.VERIFY and f.is_open]
    if verify:
        err.print(f"[yellow]提示：[/]有 {len(verify)} 个待核实问题（可用 gkxl check 查看），报告照常生成")
    for f in result.findings:
        if f.rule == "R-REQUIREMENT" and f.severity is not Severity.MANDATORY:
            err.print(f"[yellow]要求清单：[/]{escape(f.message)}（{escape(f.key)}）")
    for w in warnings_for(rpt):
        err.print(f"[yellow]提示：[/]{escape(w)}")
    out.print(f"已生成报告：{escape(str(target))}")

    if pdf:
        if find_soffice() is None:
            raise fail(f"未安装 LibreOffice，未生成 PDF（Word 报告已生成：{target}）；可在 Word/WPS 中打开后另存为 PDF", EXIT_UNUSABLE)
        from ..word.pdf import substitutes_line, to_pdf

        converted = to_pdf(target, pdf_target, force=force)
        if converted.substitutes:
            err.print(f"[yellow]提示：[/]{escape(substitutes_line(converted.substitutes, converted.missing))}")
        out.print(f"已生成 PDF：{escape(str(pdf_target))}")

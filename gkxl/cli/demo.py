"""`gkxl demo`: the whole round on the built-in sample (a fictional agency), writing every file a user would get."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import InputError
from ..fsio import exists, is_dir, make_dir, write_bytes, write_text
from ..model import Report, report_from_json, report_to_json
from ..office import find_soffice
from .common import EXIT_OK, handle_errors, out

DEFAULT_DIR = "gkxl-demo"


def demo_reports() -> tuple[Report, Report]:
    """The built-in sample: this year's report (2023) and last year's (2022) of a fictional agency."""
    data = resources.files("gkxl") / "data"
    current, _ = report_from_json((data / "demo_2023.json").read_text(encoding="utf-8"), source="demo_2023.json")
    previous, _ = report_from_json((data / "demo_2022.json").read_text(encoding="utf-8"), source="demo_2022.json")
    return current, previous


@handle_errors
def demo(
    outdir: Annotated[Path, typer.Argument(help="输出文件夹（默认 ./gkxl-demo）")] = Path(DEFAULT_DIR),
    force: Annotated[bool, typer.Option("--force", help="输出文件夹已有文件时覆盖")] = False,
) -> None:
    """用内置示例（虚构单位“示例市示例区人力资源和社会保障局”）走一遍完整流程。

    依次生成：空白填报模板、已填报的工作簿、从工作簿导出的数据（JSON）、检查结果、Word 年度报告
    （已安装 LibreOffice 时另转换出 PDF）。

    示例：gkxl demo 演示输出
    """
    from ..excel.writer import build_workbook
    from ..intake import check_loaded, load
    from ..word.writer import build_report

    if exists(outdir) and not is_dir(outdir):
        raise InputError("已有同名的文件，不是文件夹", file=str(outdir))
    if is_dir(outdir) and any(outdir.iterdir()) and not force:
        raise InputError("输出文件夹已有文件；如需覆盖，请加 --force", file=str(outdir))
    make_dir(outdir)
    current, previous = demo_reports()
    blank = Report(current.format, current.year, current.agency)
    written: list[tuple[str, Path]] = []

    def put(what: str, name: str, data: bytes | str) -> Path:
        path = outdir / name
        (write_text if isinstance(data, str) else write_bytes)(path, data, force=True)
        written.append((what, path))
        return path

    put("空白填报模板（发给各单位）", "1-空白填报模板.xlsx", build_workbook(blank, lock_agency=True))
    filled = put("已填报的工作簿（单位填好交回）", "2-已填报.xlsx", build_workbook(current, lock_agency=True))
    put("上年报告数据（用于跨年度检查）", "上年数据-2022.json", report_to_json(previous))
    loaded = load(filled)
    put("从工作簿导出的报告数据", "3-报告数据.json", report_to_json(loaded.report))
    result = check_loaded(loaded, previous=previous)
    put("检查结果", "4-检查结果.json", json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    docx = put("Word 年度报告（公文格式）", "5-年度报告.docx", build_report(loaded.report))
    pdf_note = ""
    if find_soffice() is not None:
        try:
            from ..word.pdf import substitutes_line, to_pdf

            converted = to_pdf(docx, docx.with_suffix(".pdf"), force=True)  # fonts substituted by role where missing
            written.append(("PDF（LibreOffice 转换）", converted.path))
            if converted.substitutes:
                pdf_note = "提示：" + substitutes_line(converted.substitutes, converted.missing)
        except InputError as exc:
            pdf_note = f"未生成 PDF：{exc.message}"
    else:
        pdf_note = "未安装 LibreOffice，未生成 PDF（可在 Word/WPS 中打开 .docx 另存为 PDF）"

    table = Table(title=f"gkxl 演示：{current.agency}{current.year}年", show_lines=False)
    table.add_column("内容")
    table.add_column("文件")
    for what, path in written:
        table.add_row(what, str(path))
    out.print(table)
    if pdf_note:
        out.print(pdf_note)
    out.print(f"检查结论：{result.verdict}（上年数据：{previous.year}年）")
    out.print("下一步可试：gkxl check " + str(filled) + " --previous " + str(outdir / "上年数据-2022.json"))
    raise typer.Exit(EXIT_OK)

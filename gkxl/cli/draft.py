"""`gkxl draft`: the statistics paragraphs of the narrative, drafted from the tables (the same text as the 正文 sheet shows)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..drafting import draft as draft_paragraphs
from ..formats.layout import section_title
from ..intake import load
from .common import EXIT_FINDINGS, EXIT_OK, err, escape, handle_errors


@handle_errors
def draft(
    source: Annotated[Path, typer.Argument(help="填好的 .xlsx 工作簿、.json 报告数据或已发布的报告（.txt/.html/.docx）", show_default=False)],
) -> None:
    """起草：根据表格数据起草正文中的统计段落，供复制到“正文”中。

    （二）依申请公开：本年新收申请（按申请人类型）、上年结转、各类办理结果的件数及占（七）总计的比例、结转下年度，以及行政复议、行政诉讼的件数和结果；（三）政府信息管理：表二中规章、规范性文件的件数。

    文字与工作簿“正文”表中随填随变的参考文字相同，始终写明“新收”“结转”，不用含义不明的“收到”。

    退出码：0 全部起草；1 有表格未填完，相应段落未起草（已说明）；2 文件无法读取。

    示例：gkxl draft 人社局2024年报.xlsx
    """
    loaded = load(source)
    report = loaded.report
    spec = report.spec
    drafted = draft_paragraphs(report)
    sections = {s.id: s for s in spec.sections}
    last = None
    for d in drafted:
        if d.piece.section != last:
            if last is not None:
                typer.echo("")
            typer.echo(section_title(sections[d.piece.section]))
            last = d.piece.section
        typer.echo(d.text)
    incomplete = [d for d in drafted if not d.complete]
    for d in incomplete:
        missing = [c for c in d.piece.leaves if c not in report.values]
        first = spec.fields[missing[0]]
        err.print(
            f"[yellow]提示：[/]{escape(d.piece.table.name)}有{len(missing)}个单元格未填写或无法读取"
            f"（如 {escape(first.describe())}），相应段落未起草"
        )
    raise typer.Exit(EXIT_FINDINGS if incomplete else EXIT_OK)

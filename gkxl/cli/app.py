"""The gkxl command line: the root app and its commands, each defined in its own module."""

from __future__ import annotations

import typer

from . import check, collect, demo, draft, export, figure, fill, import_, ledger, report, serve, template
from .localize import localize

localize()

app = typer.Typer(
    name="gkxl",
    help="政府信息公开工作年度报告工具：生成锁定的填报模板，检查勾稽关系，生成公文格式的 Word 报告，汇总各单位报告。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

app.command("template")(template.template)
app.command("fill")(fill.fill)
app.command("export")(export.export)
app.command("check")(check.check)
app.command("report")(report.report)
app.command("draft")(draft.draft)
app.command("collect")(collect.collect)
app.command("import")(import_.import_report)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.command("ledger")(ledger.ledger)
app.command("figure")(figure.figure)


def main() -> None:
    app()


if __name__ == "__main__":
    main()

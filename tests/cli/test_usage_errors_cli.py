"""Usage errors (the command line itself is wrong) are one Chinese line, exit 2, no box, no traceback, in every command.

Each kind is asserted word for word: a missing argument or option, an unknown option (with a suggestion where one is
close), a bad value, an option without its value, an unknown command with "您是不是要用 …", extra arguments.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from gkxl.cli.app import app

CASES = [
    (["chek"], "错误：没有命令“chek”，您是不是要用 gkxl check？"),
    (["reprot", "a.xlsx"], "错误：没有命令“reprot”，您是不是要用 gkxl report？"),
    (["zzz"], "错误：没有命令“zzz”；可用的命令：template、fill、export、check、report、draft、collect、import、demo、serve、figure（运行“gkxl -h”查看用法）"),
    (["check"], "错误：gkxl check 缺少必填的参数 “要检查的 .xlsx 工作簿、.json 报告数据、已发布的报告”（运行“gkxl check -h”查看用法）"),
    (["export"], "错误：gkxl export 缺少必填的参数 “填好的 .xlsx 工作簿”（运行“gkxl export -h”查看用法）"),
    (["export", "a.xlsx"], "错误：gkxl export 缺少必填的选项 --output/-o（运行“gkxl export -h”查看用法）"),
    (["collect", "收件箱"], "错误：gkxl collect 缺少必填的选项 --roster（运行“gkxl collect -h”查看用法）"),
    (["fill", "模板.xlsx", "-o", "x.xlsx"], "错误：gkxl fill 缺少必填的选项 --data（运行“gkxl fill -h”查看用法）"),
    (["check", "--bogus", "a.xlsx"], "错误：gkxl check 没有选项 --bogus（运行“gkxl check -h”查看用法）"),
    (["check", "--jsn", "a.xlsx"], "错误：gkxl check 没有选项 --jsn，您是不是要用 --json？（运行“gkxl check -h”查看用法）"),
    (["report", "a.json", "--referense", "r.docx"], "错误：gkxl report 没有选项 --referense，您是不是要用 --reference？（运行“gkxl report -h”查看用法）"),
    (["check", "a.xlsx", "--year", "二〇二三"], "错误：--year 的值“二〇二三”无效：应为整数（运行“gkxl check -h”查看用法）"),
    (["collect", "收件箱", "--roster", "名单.csv", "--jobs", "abc"], "错误：--jobs/-j 的值“abc”无效：应为整数（运行“gkxl collect -h”查看用法）"),
    (["collect", "收件箱", "--roster", "名单.csv", "--jobs", "0"], "错误：--jobs/-j 的值“0”无效：应不小于 1（运行“gkxl collect -h”查看用法）"),
    (["template", "--year", "2023.5"], "错误：--year/-y 的值“2023.5”无效：应为整数（运行“gkxl template -h”查看用法）"),
    (["import", "a.docx", "--year"], "错误：选项 --year 后面需要一个值（运行“gkxl import -h”查看用法）"),
    (["demo", "--force=yes"], "错误：选项 --force 不接受值（运行“gkxl demo -h”查看用法）"),
    (["export", "a.xlsx", "b.xlsx", "-o", "c.json"], "错误：多余的参数“b.xlsx”（含空格的文件名请加引号）（运行“gkxl export -h”查看用法）"),
]


def _assert_one_line(text: str, expected: str) -> None:
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines == [expected], text
    assert "╭" not in text and "Usage" not in text and "Error" not in text and "Traceback" not in text


@pytest.mark.parametrize(("args", "expected"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_usage_error_is_one_chinese_line(args, expected):
    result = CliRunner().invoke(app, args, prog_name="gkxl")
    assert result.exit_code == 2, result.output
    _assert_one_line(result.output, expected)


@pytest.mark.parametrize(("args", "expected"), [CASES[0], CASES[3], CASES[9], CASES[12]], ids=["command", "argument", "option", "value"])
def test_usage_error_through_the_installed_command(args, expected, tmp_path):
    """The real entry point in a new process, with a wide terminal (typer draws its box to the terminal's width)."""
    code = "import sys; sys.argv[0] = 'gkxl'; from gkxl.cli.app import main; main()"
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=tmp_path,
                          env=dict(os.environ, COLUMNS="200", FORCE_COLOR="1", TERM="xterm-256color"))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    _assert_one_line(proc.stderr, expected)


def test_help_stays_help():
    """Not an error: `gkxl` alone and `-h` still show the Chinese help."""
    alone = CliRunner().invoke(app, [], prog_name="gkxl")
    assert "政府信息公开工作年度报告工具" in alone.output
    helped = CliRunner().invoke(app, ["check", "-h"], prog_name="gkxl")
    assert helped.exit_code == 0 and "显示本帮助并退出" in helped.output

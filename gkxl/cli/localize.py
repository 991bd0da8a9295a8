"""Chinese wording for the help and usage-error frames typer draws around gkxl's own Chinese texts.

typer has no translation hook for these few fixed strings, so they are replaced at import time; where a
typer version moves them, the English wording simply stays (nothing breaks).
"""

from __future__ import annotations

import functools

HELP_TEXT = "显示本帮助并退出"

_RICH_STRINGS = {
    "DEFAULT_STRING": "[默认：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "用法错误",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}


def localize() -> None:
    try:
        from typer import rich_utils
    except ImportError:  # pragma: no cover
        return
    for name, text in _RICH_STRINGS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    try:
        from typer._click import decorators
    except ImportError:  # pragma: no cover - a typer that does not vendor click
        return
    original = getattr(decorators, "help_option", None)
    if original is None or getattr(original, "_gkxl", False):
        return

    @functools.wraps(original)
    def help_option(*args, **kwargs):
        decorate = original(*args, **kwargs)

        def apply(cmd):
            cmd = decorate(cmd)
            if getattr(cmd, "params", None):
                cmd.params[-1].help = HELP_TEXT
            return cmd

        return apply

    help_option._gkxl = True  # type: ignore[attr-defined]
    decorators.help_option = help_option

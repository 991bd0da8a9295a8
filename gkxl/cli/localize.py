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
    localize_usage_errors()
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


# ---------------------------------------------------------------------------------------------------------------
# Usage errors: one Chinese line, exit 2, no box (typer draws an English message in a five-line panel)

_VALUE_REASONS = {
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为是或否（true/false）",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "enum": "应为 {expected} 之一",
    "literal_error": "应为 {expected} 之一",
    "string_too_short": "不能为空",
}


def _param_name(param, ctx=None) -> str:
    """How the user wrote (or should write) the parameter: "--jobs/-j", or what the argument is in words (its Chinese
    help); the program's own name for it (PATHS, SOURCE) is shown only where it has no help."""
    opts = [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]
    if getattr(param, "param_type_name", "") == "option" and opts:
        return "/".join(sorted(opts, key=lambda o: (not o.startswith("--"), o)))
    name = (getattr(param, "name", "") or "").upper()
    import re

    help_text = re.split(r"[；。，（：]", getattr(param, "help", "") or "")[0].strip()
    return f"“{help_text}”" if help_text else name


def _bad_value(exc) -> str:
    cause = exc.__cause__
    param = getattr(exc, "param", None)
    where = _param_name(param) if param is not None else "参数"
    errors = cause.errors() if cause is not None and hasattr(cause, "errors") else []
    if errors:
        first = errors[0]
        value = first.get("input")
        reason = _VALUE_REASONS.get(first.get("type", ""), "")
        if reason:
            try:
                reason = reason.format(**{k: str(v).replace("'", "") for k, v in (first.get("ctx") or {}).items()})
            except (KeyError, IndexError):
                reason = ""
        shown = f"“{value}”" if value is not None and not isinstance(value, (list, tuple)) else ""
        return f"{where} 的值{shown}无效" + (f"：{reason}" if reason else "")
    import re

    message = str(getattr(exc, "message", "") or "")
    for pattern, text in ((r"does not exist", "不存在"), (r"is a directory", "是文件夹，应为文件"),
                          (r"is a file", "是文件，应为文件夹"), (r"is not readable", "无法读取"), (r"is not writable", "无法写入")):
        if re.search(pattern, message):
            return f"{where} 指定的路径{text}"
    return f"{where} 的值无效"


def usage_line(exc) -> str:
    """The one Chinese line for a usage error of click/typer (the command line could not be understood)."""
    import re
    from difflib import get_close_matches

    try:
        from typer._click import exceptions as ce
    except ImportError:  # pragma: no cover - a typer that does not vendor click
        import click.exceptions as ce  # type: ignore[no-redef]

    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "gkxl"
    message = str(getattr(exc, "message", "") or "")
    hint = f"（运行“{command} -h”查看用法）"
    if isinstance(exc, ce.NoSuchOption):
        text = f"{command} 没有选项 {exc.option_name}"
        options = sorted(exc.possibilities or ())
        if not options and ctx is not None:
            known = [o for p in ctx.command.params for o in (*getattr(p, "opts", ()), *getattr(p, "secondary_opts", ())) if o.startswith("-")]
            options = get_close_matches(exc.option_name, known, n=3, cutoff=0.6)
        if options:
            text += f"，您是不是要用 {' 或 '.join(options)}？"
        return f"错误：{text}{hint}"
    if isinstance(exc, ce.MissingParameter):
        param = exc.param
        kind = "选项" if getattr(param, "param_type_name", "") == "option" else "参数"
        return f"错误：{command} 缺少必填的{kind} {_param_name(param) if param is not None else ''}{hint}"
    if isinstance(exc, ce.BadParameter):
        return f"错误：{_bad_value(exc)}{hint}"
    if isinstance(exc, ce.BadOptionUsage):
        if "requires" in message:
            return f"错误：选项 {exc.option_name} 后面需要一个值{hint}"
        if "does not take a value" in message:
            return f"错误：选项 {exc.option_name} 不接受值{hint}"
        return f"错误：选项 {exc.option_name} 的用法不对{hint}"
    found = re.match(r"No such command (['\"])(.*?)\1\.", message)
    if found:
        name = found.group(2)
        commands = list(ctx.command.list_commands(ctx)) if ctx is not None and hasattr(ctx.command, "list_commands") else []
        close = get_close_matches(name, commands, n=1, cutoff=0.6)
        suggestion = f"，您是不是要用 {' 或 '.join(f'{command} {c}' for c in close)}？" if close else f"；可用的命令：{'、'.join(commands)}"
        return f"错误：没有命令“{name}”{suggestion}{hint if not close else ''}"
    found = re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", message)
    if found:
        return f"错误：多余的参数“{found.group(1)}”（含空格的文件名请加引号）{hint}"
    found = re.match(r"Argument '(.*)' takes (\d+) values", message)
    if found:
        return f"错误：参数 {found.group(1).upper()} 需要 {found.group(2)} 个值{hint}"
    return f"错误：命令行有误（{message}）{hint}"


def _show(exc, file=None) -> None:
    import sys

    if type(exc).__name__ == "NoArgsIsHelpError":  # no arguments at all: the help is shown, as before
        return _ORIGINAL_SHOW["usage"](exc, file)
    stream = file if file is not None else sys.stderr
    print(usage_line(exc), file=stream)
    stream.flush()
    return None


_ORIGINAL_SHOW: dict = {}


def localize_usage_errors() -> None:
    """Every usage error of every command as one Chinese line (rich panel and plain output alike)."""
    try:
        from typer import rich_utils
        from typer._click import exceptions as ce
    except ImportError:  # pragma: no cover
        return
    if _ORIGINAL_SHOW:
        return
    _ORIGINAL_SHOW["usage"] = ce.UsageError.show
    _ORIGINAL_SHOW["rich"] = rich_utils.rich_format_error

    def rich_format_error(exc) -> None:
        if type(exc).__name__ == "NoArgsIsHelpError":
            return _ORIGINAL_SHOW["rich"](exc)
        if isinstance(exc, ce.UsageError):
            return _show(exc)
        return _ORIGINAL_SHOW["rich"](exc)

    rich_utils.rich_format_error = rich_format_error
    ce.UsageError.show = _show  # the plain (non-rich) path

    # Errors raised while a command's options are parsed carry no context: take the command being parsed, so the
    # line names it ("gkxl import -h", not "gkxl -h").
    original_init = ce.UsageError.__init__

    def init(self, message, ctx=None):
        if ctx is None:
            try:
                from typer._click.globals import get_current_context

                ctx = get_current_context(silent=True)
            except ImportError:  # pragma: no cover
                ctx = None
        original_init(self, message, ctx)

    ce.UsageError.__init__ = init

"""What every command shares: the consoles, exit codes, and turning input errors into one Chinese line."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from typing import TypeVar

import typer
from rich.console import Console

from ..errors import InputError

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3
REQUIREMENTS_HELP = "要求清单：内置的“30号”“武威2025”，或要求清单文件（.toml）的路径；按清单核对正文（R-REQUIREMENT）"

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable)


def check_year(year: int) -> None:
    """A report year given on the command line (--year): from the first year of the formats up to this year."""
    from ..formats import FIRST_YEAR

    this_year = dt.date.today().year
    if year < FIRST_YEAR:
        raise InputError(f"年度 {year} 无效：修订后的《中华人民共和国政府信息公开条例》自{FIRST_YEAR}年起施行，年度应不早于{FIRST_YEAR}")
    if year > this_year:
        raise InputError(f"年度 {year} 无效：不能晚于今年（{this_year}）")


def fail(message: str, code: int = EXIT_UNUSABLE) -> typer.Exit:
    err.print(f"[bold red]错误：[/]{escape(message)}")
    return typer.Exit(code)


def escape(text: str) -> str:
    from rich.markup import escape as _escape

    return _escape(str(text))


def handle_errors(fn: F) -> F:
    """Run a command; unusable input becomes a one-line message and exit code 2, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            raise fail(str(exc)) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            raise fail("已中断", 130) from None
        except Exception as exc:  # a defect of gkxl: say so plainly, without a traceback
            if "--debug" in sys.argv or __import__("os").environ.get("GKXL_DEBUG"):
                raise
            raise fail(f"gkxl 内部错误（{type(exc).__name__}: {exc}）。请将此信息和输入文件反馈给维护人员。", EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]

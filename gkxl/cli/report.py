"""`gkxl report`: not yet implemented."""

from __future__ import annotations

from .common import fail


def report() -> None:
    """（尚未实现）"""
    raise fail("此命令尚未实现")

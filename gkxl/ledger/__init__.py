"""Registers of applications and cases (依申请台账, 复议诉讼台账): read, counted into 表三/表四, reconciled with typed
tables. An adapter at the edge: the core (model, rules) knows nothing of it; check, collect and serve call read_and_count
and reconcile."""

from __future__ import annotations

from pathlib import Path


def read_and_count(paths: list[Path], *, year: int, format_id: str | None = None, previous: list[Path] | None = None):
    """(what was read, the count) for the register files given; the one function the CLI, collect and serve use."""
    from ..formats import format_for_year
    from .counting import count
    from .reader import read_registers

    fmt = format_id or format_for_year(year).id
    read = read_registers(paths, format_id=fmt)
    last = read_registers(previous, format_id=format_for_year(year - 1).id).register if previous else None
    return read, count(read.register, year=year, format_id=fmt, previous=last)

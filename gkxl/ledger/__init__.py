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


def findings_for(report, counted) -> list:
    """The register's findings for one report: its rows that cannot be counted (R-LEDGER-ROW) or, when every row
    counts, each typed cell of 表三/表四 that differs from the count (R-LEDGER). A count that left rows out is not
    compared cell by cell: its numbers would be short by those rows. A 零报告's declared blanks are 0 (with_totals)."""
    from .counting import reconcile

    if counted is None:
        return []
    return list(counted.findings) if counted.findings else reconcile(report.with_totals(), counted)


def probe(path: str) -> tuple[bool, str]:
    """(is it a register, the unit it names): a .csv or an .xlsx that is not a gkxl workbook and has a register's
    header. The unit is the register workbook's own (gkxl template --ledger writes it), or "" (the caller matches the
    file name). Never raises: a file that is no register is (False, "")."""
    from ..errors import InputError
    from .reader import read_register

    p = Path(path)
    if p.suffix.lower() not in (".csv", ".xlsx"):
        return False, ""
    try:
        if p.suffix.lower() == ".xlsx":
            from ..excel.package import open_package
            from ..formats.layout import IDENTITY_SHEET

            with open_package(p) as pkg:
                if IDENTITY_SHEET in pkg.sheet_names:
                    return False, ""
        read_register(p)
    except (InputError, OSError, ValueError):
        return False, ""
    return True, _own_agency(p)


def _own_agency(p: Path) -> str:
    """The unit a gkxl register workbook names in its document properties ("" where it names none)."""
    if p.suffix.lower() != ".xlsx":
        return ""
    from ..ooxml_safe import SafeZip

    try:
        with SafeZip(p, what="台账") as z:
            if not z.has("docProps/custom.xml"):
                return ""
            root = z.xml("docProps/custom.xml")
    except Exception:  # an unreadable property part names no unit; the file name may
        return ""
    for prop in root.iter():
        if prop.get("name") == "gkxl_agency":
            return "".join(prop.itertext()).strip()
    return ""


def register_note(names: str, uncountable: int, *, with_workbook: bool) -> str:
    """What a unit's status says of its register (collect's note, and the web board's, in the same words)."""
    if not with_workbook:
        return f"已收到依申请台账（{names}），但没有可与之核对的工作簿"
    return f"依申请台账（{names}）：表三、表四已与之核对" + (f"，其中{uncountable}行不能计数" if uncountable else "")

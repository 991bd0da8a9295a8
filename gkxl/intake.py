"""Loading any input the commands accept (a filled workbook, a contract JSON, a published report) and checking it.

This is the one entry point the CLI commands (check, report, collect, export) use, so every command reads
a file the same way and gives the same findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError
from .findings import CheckResult, Finding, Severity
from .loaded import Loaded
from .model import Report, report_from_json
from .rules import run_rules
from .rules.context import make
from .rules.pack import Pack

MAX_JSON_BYTES = 20 * 1024 * 1024
PUBLISHED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".doc", ".pdf")


@dataclass
class Published(Loaded):
    """A published report imported in memory: what could not be read travels with it (a verdict must say so)."""

    unread_cells: tuple[str, ...] = ()
    unreadable: list = field(default_factory=list)  # importers.Unreadable: what, raw text, origin
    notes: list[str] = field(default_factory=list)


def load(path: str | Path) -> Loaded:
    """Read a workbook, a contract JSON or a published report. Unusable input raises InputError (exit 2)."""
    from .fsio import read_regular, regular_file

    p = Path(path)
    try:
        if p.is_dir():
            raise InputError("这是一个文件夹，不是文件", file=str(p))
    except OSError:
        pass
    regular_file(p)  # a FIFO or a device would block the reader forever
    suffix = p.suffix.lower()
    if suffix == ".json":
        data = read_regular(p, MAX_JSON_BYTES, "JSON 文件过大，不是 gkxl 报告数据")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("JSON 文件不是 UTF-8 编码", file=str(p)) from None
        report, found = report_from_json(text, source=str(p))
        return Loaded(report, str(p), "json", [f.located(file=str(p)) for f in found])
    if suffix in PUBLISHED_SUFFIXES:  # before the zip sniff below: a .docx is a zip too
        from .importers import import_file

        result = import_file(p)
        found = [f.located(file=str(p)) for f in result.findings]
        return Published(result.report, str(p), "published", found, unread_cells=result.unread_cells,
                         unreadable=list(result.unreadable), notes=list(result.notes))
    if suffix in (".xlsx", ".xlsm", ".xls", ".et", ".xlsb", ".ods", ".csv") or _looks_like_zip(p):
        from .excel.reader import read_workbook

        return _broken_text(read_workbook(p))
    raise InputError("无法识别的文件类型；请提交 gkxl 模板填写的 .xlsx 文件或报告数据 .json 文件", file=str(p))


def _bad_at(text: str) -> int:
    """1-based position of the first lone surrogate (a character no file can hold: "_xD800_" in a cell), or 0."""
    for i, ch in enumerate(text, 1):
        if "\ud800" <= ch <= "\udfff":
            return i
    return 0


def _broken_text(loaded: Loaded) -> Loaded:
    """A workbook's texts holding a lone surrogate cannot be written or printed: a 正文 section is not read
    (R-VALUE naming its cell), the unit or metadata make the file unusable, and quoted raw text is shown escaped."""
    from .formats.layout import EXPLAIN_SHEET, info_address, narrative_address, section_title
    from .fsio import printable

    report = loaded.report
    spec = report.spec
    src = loaded.source
    if _bad_at(report.agency):
        addr = info_address("agency")
        raise InputError(f"机关全称第{_bad_at(report.agency)}个字符是无效字符，无法读取；请重新输入", file=src, sheet=addr.sheet, cell=addr.a1)
    for key, value in report.meta.items():
        if _bad_at(value):
            addr = info_address(key)
            raise InputError(f"第{_bad_at(value)}个字符是无效字符，无法读取；请重新输入", file=src, sheet=addr.sheet, cell=addr.a1)
    for key, value in report.explanations.items():
        if _bad_at(key) or _bad_at(value):
            raise InputError(f"说明“{printable(key)[:50]}”中有无效字符，无法读取；请重新输入", file=src, sheet=EXPLAIN_SHEET)
    found = [
        replace(f, message=printable(f.message), raw=printable(f.raw) if f.raw else f.raw) if _bad_at(f.message + (f.raw or "")) else f
        for f in loaded.found
    ]
    for sec in spec.sections:
        text = report.narrative.get(sec.id, "")
        at = _bad_at(text)
        if not at:
            continue
        del report.narrative[sec.id]
        addr = narrative_address(spec, sec.id)
        found.append(Finding(
            "R-VALUE", f"narrative.{sec.id}", Severity.MANDATORY,
            f"正文“{section_title(sec)}”第{at}个字符是无效字符（{printable(text[at - 1])}，多见于“_xD800_”这样的转义），"
            "该部分无法读取；请删除后重新填写",
            raw=printable(text), file=src, sheet=addr.sheet, cell=addr.a1,
        ))
    loaded.found = found
    return loaded


def _looks_like_zip(p: Path) -> bool:
    try:
        with open(p, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def identity_findings(report: Report, *, year: int | None, agencies: tuple[str, ...] | None, spec_source: str = "") -> list[Finding]:
    """R-IDENTITY: a report of another year or of a unit not expected (by --year / --agency / a roster)."""
    out: list[Finding] = []
    spec = report.spec
    if year is not None and report.year != year:
        out.append(make("R-IDENTITY", "year", spec, note=f"这是{report.year}年的报告，本次应报送{year}年的报告"))
    if agencies is not None and report.agency not in agencies:
        who = report.agency or "（未填写机关全称）"
        if len(agencies) == 1:
            note = f"报告单位为“{who}”，应为“{agencies[0]}”"
        else:
            note = f"报告单位“{who}”不在单位名单中"
        out.append(make("R-IDENTITY", "agency", spec, note=note))
    return out


def check_loaded(
    loaded: Loaded,
    *,
    previous: Report | None = None,
    year: int | None = None,
    agencies: tuple[str, ...] | None = None,
    extra: Sequence[Finding] = (),
    requirements: Pack | None = None,
) -> CheckResult:
    """Run every rule on a loaded report and return the file's result, findings located in the file.

    `extra`: findings made outside the rules on this report (the register's: gkxl/ledger), settled by its 说明 alike.
    requirements: a requirement pack (--requirements, gkxl/packs.py), for R-REQUIREMENT."""
    report = loaded.report
    found = list(loaded.found) + identity_findings(report, year=year, agencies=agencies) + list(extra)
    findings = run_rules(report, previous=previous, found=found, published=loaded.kind == "published", requirements=requirements)
    located = [_locate(f, loaded) for f in findings]
    return CheckResult(loaded.source, report.format, report.agency, report.year, located)


def _locate(f: Finding, loaded: Loaded) -> Finding:
    """Add file, sheet and A1 cell to a finding (workbooks only have sheets and cells): the cell a filer would fix.

    A finding of the whole report points at 基本信息 (unit, year) or at the 正文 section it is about.
    """
    if not f.file:
        f = replace(f, file=loaded.source)
    if loaded.kind != "xlsx" or f.cell:
        return f
    from .formats.layout import field_address, info_address, narrative_address

    spec = loaded.report.spec
    addr = None
    if f.cells and f.cells[0] in spec.fields:
        addr = field_address(spec, f.cells[0])
        if f.rule == "R-DECLARATION":  # the 零报告 contradicted: every cell to clear, by its address
            where = "、".join(field_address(spec, c).a1 for c in f.cells)
            f = replace(f, message=f"{f.message}（{addr.sheet} {where}）")
    elif f.rule == "R-IDENTITY" and f.scope in ("year", "agency", "format"):
        addr = info_address("year" if f.scope == "format" else f.scope)
    elif f.rule == "R-DATE" and f.scope == "issued_on":
        addr = info_address(f.scope)
    elif f.rule in ("R-TEXT-NUMBER", "R-TEXT-REPEAT", "R-PLACEHOLDER", "R-PROMISE") and f.scope in spec.section_ids:
        addr = narrative_address(spec, f.scope)
    elif f.rule == "R-LENGTH":
        addr = narrative_address(spec, "overview.active")  # the first of 一's sections
    elif f.cells and f.cells[0].startswith("narrative.") and f.cells[0].removeprefix("narrative.") in spec.section_ids:
        addr = narrative_address(spec, f.cells[0].removeprefix("narrative."))
    return replace(f, sheet=addr.sheet, cell=addr.a1) if addr else f


def load_previous(path: str | Path) -> Report:
    """Last year's data for the cross-year rules: a workbook, a contract JSON or a published report."""
    return load(path).report


def check_path(
    path: str | Path,
    *,
    previous: Report | None = None,
    year: int | None = None,
    agencies: tuple[str, ...] | None = None,
    requirements: Pack | None = None,
) -> tuple[CheckResult, Loaded | None]:
    """Load and check one file; a file that cannot be read gives a result with its error, not an exception."""
    try:
        loaded = load(path)
    except InputError as exc:
        return unreadable(path, exc), None
    return check_loaded(loaded, previous=previous, year=year, agencies=agencies, requirements=requirements), loaded


def unreadable(path: str | Path, exc: InputError) -> CheckResult:
    """The result of a file that cannot be read: its reason, with the sheet and cell where there is one."""
    where = "，".join(x for x in (f"工作表“{exc.sheet}”" if exc.sheet else "", f"单元格 {exc.cell}" if exc.cell else "") if x)
    return CheckResult(str(path), error=f"{where}：{exc.message}" if where else exc.message)

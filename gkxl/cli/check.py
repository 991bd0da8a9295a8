"""`gkxl check`: check filled workbooks and report JSONs; findings by file and severity, a verdict per file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import InputError
from ..findings import CheckResult, Finding, Severity
from ..intake import Loaded, Published, check_loaded, load, load_previous, unreadable
from ..model import Report
from ..packs import load_pack
from .common import REQUIREMENTS_HELP, EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, err, escape, fail, handle_errors, out

_ORDER = {Severity.MANDATORY: 0, Severity.VERIFY: 1, Severity.HINT: 2}
_STYLE = {Severity.MANDATORY: "bold red", Severity.VERIFY: "yellow", Severity.HINT: "cyan"}


def expand(paths: list[Path]) -> tuple[list[Path], list[CheckResult]]:
    """Files to check, in order; a folder gives its files (recursively, sorted, by the same walk as collect's inbox:
    symbolic links never followed), an empty folder a result. Every entry of a folder that is not checked is named,
    with why, on stderr: nothing given is skipped in silence."""
    from ..collect import INBOX_SUFFIXES, scan_inbox
    from ..intake import PUBLISHED_SUFFIXES

    files: list[Path] = []
    empty: list[CheckResult] = []
    seen: set[Path] = set()
    for p in paths:
        if p.is_dir():
            found, unused = scan_inbox(p, INBOX_SUFFIXES, "文件夹")
            if not found:
                empty.append(CheckResult(str(p), error="文件夹中没有可检查的文件（.xlsx 工作簿或 .json 报告数据）"))
            published = sorted({Path(u.name).suffix.lower() for u in unused} & set(PUBLISHED_SUFFIXES))
            for u in unused:
                # A folder's published reports are not checked: a collect output holds gkxl's own Word reports.
                why = "已发布报告类文件，文件夹中的不检查" if Path(u.name).suffix.lower() in published else u.reason
                err.print(f"[yellow]未检查[/]：{escape(str(p / u.name))}（{escape(why)}）")
            if published:
                n = sum(Path(u.name).suffix.lower() in published for u in unused)
                err.print(f"[yellow]注意[/]：文件夹 {escape(str(p))} 中有{n}个已发布报告类文件（{escape('、'.join(published))}）未检查；"
                          f"检查已发布的报告请直接列出文件，例如 gkxl check {escape(str(p))}/*{published[0]}")
            candidates = [f for f, _ in found]
        else:
            candidates = [p]
        for f in candidates:
            try:
                key = f.resolve()
            except (OSError, RuntimeError):  # a symlink loop: the file's own error is said when it is read
                key = f.absolute()
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files, empty


def exit_code(results: list[CheckResult]) -> int:
    if any(r.error is not None for r in results):
        return EXIT_UNUSABLE
    return EXIT_OK if all(r.passed for r in results) else EXIT_FINDINGS


def summary(results: list[CheckResult]) -> dict:
    readable = [r for r in results if r.error is None]
    return {
        "files": len(results),
        "passed": sum(1 for r in readable if r.passed),
        "failed": sum(1 for r in readable if not r.passed),
        "unreadable": len(results) - len(readable),
        "open": {
            s.value: sum(r.counts[s] for r in readable) for s in (Severity.MANDATORY, Severity.VERIFY)
        },
        "exit_code": exit_code(results),
    }


def previous_years(prev: Report, loaded: list[Loaded]) -> None:
    """Refuse --previous when it is of no use: no readable report is of the year after it."""
    years = sorted({x.report.year for x in loaded})
    if not years or prev.year + 1 in years:
        return
    checked = "、".join(map(str, years))
    should = "或".join(str(y - 1) for y in years)
    raise fail(f"--previous 给出的是{prev.year}年的报告，被检查的是{checked}年的报告，应为{should}年")


def no_cross_year(prev: Report, report: Report) -> str:
    return f"未做跨年度检查：--previous 给出的是{prev.year}年的报告，本文件为{report.year}年的报告"


def partly_read(x: Loaded) -> str:
    """For a published report not read in full: what its verdict must say ("" when every cell was read)."""
    if not isinstance(x, Published) or not x.unread_cells:
        return ""
    return f"只读出部分数值：{len(x.unread_cells)}个单元格未能读取，结论不涵盖这些单元格"


def print_unreadable(x: Loaded) -> None:
    """What could not be read in a published report, with where it stands: one entry per row, and rows read from the
    same raw text together, the raw text once."""
    if not isinstance(x, Published) or not x.unreadable:
        return
    groups: dict[tuple[str, str], list[str]] = {}
    for u in x.unreadable:
        groups.setdefault((" ".join(u.raw.split()), u.origin), []).append(u.what)
    out.print(f"  [bold red]未能读取（{len(x.unreadable)}处，请对照原文）：[/]")
    for (raw, origin), whats in groups.items():
        where = f"（{origin}）" if origin else ""
        if len(whats) == 1:
            text = f"：原文“{raw}”" if raw else ""
            out.print(f"    - {escape(whats[0])}{escape(text)}{escape(where)}")
            continue
        out.print(f"    - {escape(whats[0])}")
        for what in whats[1:]:
            out.print(f"      {escape(what)}")
        if raw or where:
            out.print(f"      {escape(f'原文“{raw}”' if raw else '')}{escape(where)}")


def grouped_findings(r: CheckResult, loaded: Loaded | None) -> list[tuple[Finding, str, str]]:
    """The findings as rows of the printed table: (finding, message, key). For a published report, the cells of one
    table row that could not be read from the same raw text are one entry, their raw text said once (in “未能读取”
    above where it is listed there; it is never repeated per cell)."""
    if not isinstance(loaded, Published) or not r.format:
        return [(f, f.message, f.key) for f in r.findings]
    from ..formats import get_format

    spec = get_format(r.format)
    listed = {" ".join(u.raw.split()) for u in loaded.unreadable}
    rows: dict[tuple[str, str, str], list[Finding]] = {}
    for f in r.findings:
        fld = spec.fields.get(f.scope)
        if f.rule == "R-VALUE" and fld is not None and not f.cell and f.raw is not None:
            rows.setdefault((spec.table_of[fld.id].name, fld.row_text, f.raw), []).append(f)
    result: list[tuple[Finding, str, str]] = []
    for f in r.findings:
        fld = spec.fields.get(f.scope)
        row = (spec.table_of[fld.id].name, fld.row_text, f.raw) if fld is not None and f.raw is not None else None
        found = rows.get(row, []) if row is not None else []
        if len(found) < 2:
            result.append((f, f.message, f.key))
            continue
        if f is not found[0]:
            continue  # said with the first cell of its row
        table, row_text, raw = row
        reason = re.search(r"无法确定数值（(.*)）；原文", f.message)
        why = f"（{reason.group(1)}）" if reason else ""
        whole = sum(1 for x in spec.table_of[f.scope].fields if x.row_text == row_text)
        cells = f"整行{len(found)}个单元格" if whole == len(found) else (
            f"{len(found)}个单元格（{'、'.join(spec.fields[x.scope].col_labels[-1] for x in found)}）")
        said = "原文见上方“未能读取”" if " ".join(raw.split()) in listed else f"原文：“{raw}”"
        message = f"{table} {row_text}：{cells}无法确定数值{why}；{said}"
        result.append((f, message, f"R-VALUE.{f.scope.rsplit('.', 1)[0]}.*（{len(found)}个）"))
    return result


def print_not_compared(report: Report) -> None:
    """The numbers of the narrative R-TEXT-NUMBER did not compare because a qualifier makes them another quantity
    (同比, 本级, 累计 …): said, not made findings, so a reader knows what the check did not cover."""
    from ..formats.layout import section_title
    from ..rules.text_numbers import excerpt, statements

    skipped = [s for s in statements(report) if s.status == "skipped"]
    if not skipped:
        return
    sections = {s.id: s for s in report.spec.sections}
    out.print(f"  [cyan]正文中未与表格核对的数字（{len(skipped)}处，带限定语，所说的是另一个量）：[/]")
    for s in skipped[:MAX_NOT_COMPARED]:
        where = section_title(sections[s.section])
        out.print(f"    - {escape(where)}：“{escape(excerpt(s.sentence, s.quoted))}”（{escape(s.reason)}）")
    if len(skipped) > MAX_NOT_COMPARED:
        out.print(f"    - 等{len(skipped)}处")


MAX_NOT_COMPARED = 10


def print_result(r: CheckResult, note: str = "", partial: str = "", loaded: Loaded | None = None,
                 report: Report | None = None) -> None:
    out.print(f"[bold]文件：{escape(r.file)}[/]")
    if r.error is not None:
        out.print(f"  [bold red]无法读取[/]：{escape(r.file)}：{escape(r.error)}")
        return
    from ..formats import get_format

    doc = get_format(r.format).document if r.format else ""
    out.print(f"  单位：{escape(r.agency or '（未填写）')}　年度：{r.year}　格式：{escape(doc)}")
    if note:
        out.print(f"  [yellow]注意[/]：{escape(note)}")
    if loaded is not None:
        print_unreadable(loaded)
    if report is not None:
        print_not_compared(report)
    if r.findings:
        table = Table(show_lines=False, expand=False, pad_edge=False)
        table.add_column("类别", no_wrap=True)
        table.add_column("位置", no_wrap=True)
        table.add_column("问题", overflow="fold")
        table.add_column("编号", overflow="fold")
        ordered = sorted(r.findings, key=lambda f: (_ORDER[f.severity], f.explained, f.sheet, len(f.cell), f.cell))
        last = None
        shown = {id(f): (m, k) for f, m, k in grouped_findings(r, loaded)}
        for f in ordered:
            if id(f) not in shown:
                continue  # a cell of a row shown as one entry
            message, key = shown[id(f)]
            group = (f.severity, f.explained)
            if last is not None and group != last:
                table.add_section()
            last = group
            kind = f.severity.value + ("（已说明）" if f.explained else "")
            where = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or "—")
            text = escape(message) + (f"\n[dim]说明：{escape(f.explanation)}[/]" if f.explanation else "")
            table.add_row(f"[{_STYLE[f.severity]}]{kind}[/]", escape(where), text, escape(key))
        out.print(table)
    extra = []
    if r.explained:
        extra.append(f"{r.explained}条核实问题已说明")
    if r.counts[Severity.HINT]:
        extra.append(f"{r.counts[Severity.HINT]}条提示")
    tail = f"（{'，'.join(extra)}）" if extra else ""
    colour = "green" if r.passed and not partial else "red"
    verdict = f"{partial}；{r.verdict}" if partial else r.verdict
    out.print(f"  结论：[bold {colour}]{verdict}[/]{tail}")


def ledger_findings(paths: list[Path], report: Report) -> list:
    """The register's findings for this report: rows that cannot be counted (R-LEDGER-ROW), and each typed cell of
    表三/表四 that differs from the register's count (R-LEDGER)."""
    from ..ledger import findings_for, read_and_count

    read, counted = read_and_count(paths, year=report.year, format_id=report.format)
    for note in read.unused:
        err.print(f"[yellow]注意：[/]{escape(note)}")
    return findings_for(report, counted)


@handle_errors
def check(
    paths: Annotated[list[Path], typer.Argument(help="要检查的 .xlsx 工作簿、.json 报告数据、已发布的报告（.txt .html .docx .doc .pdf），或存放工作簿和报告数据的文件夹（含子文件夹）")],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出检查结果（一个 JSON 文档，写到标准输出）")] = False,
    annotate: Annotated[Path | None, typer.Option("--annotate", help="另存一份标注副本：有问题的单元格标色并加批注（只用于单个工作簿）")] = None,
    previous: Annotated[Path | None, typer.Option("--previous", help="上年的工作簿或报告数据，用于跨年度检查")] = None,
    year: Annotated[int | None, typer.Option("--year", help="应报送的年度；其他年度的报告记为问题")] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="应报送的单位全称；其他单位的报告记为问题")] = None,
    roster: Annotated[Path | None, typer.Option("--roster", help="单位名单（CSV 或 XLSX，表头“单位名称”）；名单外单位的报告记为问题")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的标注副本")] = False,
    ledger: Annotated[list[Path] | None, typer.Option("--ledger", help="本单位的依申请台账（.xlsx 或 .csv，可给多个）：表三、表四与台账计得的逐格核对（只用于检查一个单位的报告）")] = None,
    requirements: Annotated[str | None, typer.Option("--requirements", help=REQUIREMENTS_HELP)] = None,
) -> None:
    """检查：读取填好的工作簿或报告数据，核对勾稽关系、空白、数值和单位年度，逐个文件给出结论。

    文件夹会连同子文件夹一起查找 .xlsx、.xlsm、.json 文件（以及需要另存为 .xlsx 的 .xls、.et、.xlsb、.ods、.csv 文件）。
    “核实”类问题在工作簿“说明”表（或 JSON 的 explanations）中写明不少于六个字的原因后视为已说明。
    已发布的报告（网页、Word、PDF）直接给出文件即可：先读入再检查，列出未能读取的单元格及原文；
    只读出部分数值的报告，结论中会写明。

    退出码：0 没有未处理的强制或核实问题；1 有未处理的问题；2 有文件无法读取或参数有误。

    示例：gkxl check 2024年报.xlsx --previous 2023年报.xlsx --year 2024

    按要求清单检查正文：gkxl check 2025年报.xlsx --requirements 武威2025
    """
    if agency is not None and roster is not None:
        raise fail("--agency 与 --roster 只能选用一个")
    agencies: tuple[str, ...] | None = None
    if agency is not None:
        agencies = (agency.strip(),)
    elif roster is not None:
        from ..roster import read_roster

        agencies = tuple(read_roster(roster))
    files, results = expand(paths)
    if annotate is not None and (len(paths) != 1 or len(files) != 1 or paths[0].is_dir()):
        raise fail("--annotate 只能用于检查单个 .xlsx 工作簿")
    prev = load_previous(previous) if previous is not None else None
    if ledger and len(files) != 1:
        raise fail("--ledger 是一个单位的台账，只能与一个工作簿或报告数据一起检查")
    pack = load_pack(requirements) if requirements is not None else None

    # Read every file first: whether --previous fits can only be told from the years of the reports.
    read: list[Loaded | CheckResult] = []
    for f in files:
        try:
            read.append(load(f))
        except InputError as exc:
            read.append(unreadable(f, exc))
    if prev is not None:
        previous_years(prev, [x for x in read if isinstance(x, Loaded)])

    loaded_one: Loaded | None = None
    notes: dict[int, str] = {}  # result index → why the cross-year check was not run
    published: dict[int, Loaded] = {}  # result index → the published report imported in memory
    reports: dict[int, Report] = {}  # result index → the report checked
    for x in read:
        if isinstance(x, CheckResult):
            results.append(x)
            loaded_one = None
            continue
        fits = prev is not None and x.report.year == prev.year + 1
        if prev is not None and not fits:
            notes[len(results)] = no_cross_year(prev, x.report)
        if isinstance(x, Published):
            published[len(results)] = x
        extra = ledger_findings(ledger, x.report) if ledger else []
        reports[len(results)] = x.report
        results.append(check_loaded(x, previous=prev if fits else None, year=year, agencies=agencies, extra=extra, requirements=pack))
        loaded_one = x
    code = exit_code(results)

    if as_json:
        files_doc = [r.to_dict() for r in results]
        for i, note in notes.items():
            files_doc[i]["notes"] = [note]
        for i, x in published.items():
            files_doc[i]["unread_cells"] = list(x.unread_cells)
            files_doc[i]["unreadable"] = [{"what": u.what, "raw": u.raw, "origin": u.origin} for u in x.unreadable]
            files_doc[i]["import_notes"] = list(x.notes)
            if x.unread_cells:
                files_doc[i]["passed"] = False
                files_doc[i]["verdict"] = f"{partly_read(x)}；{files_doc[i]['verdict']}"
        doc = {"files": files_doc, "summary": summary(results)}
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        for i, r in enumerate(results):
            x = published.get(i)
            print_result(r, notes.get(i, ""), partly_read(x) if x else "", x, reports.get(i))
        if len(results) > 1:
            s = summary(results)
            out.print(f"共检查{s['files']}个文件：通过{s['passed']}个，未通过{s['failed']}个，无法读取{s['unreadable']}个")

    if annotate is not None:
        if loaded_one is None:
            err.print("未生成标注副本：文件无法读取")
        elif loaded_one.kind != "xlsx":
            raise fail("--annotate 只能用于 .xlsx 工作簿")
        else:
            from ..excel.annotate import annotate as write_annotated

            n = write_annotated(files[0], results[-1].findings, annotate, force=force)
            err.print(f"已写出标注副本：{escape(str(annotate))}（标注了{n}个单元格）")
    raise typer.Exit(code)

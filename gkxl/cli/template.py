"""`gkxl template`: write the locked input workbook, blank or for one unit, or one per unit of a roster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from ..formats import FORMAT_IDS, format_for_year, get_format
from ..fsio import exists, is_dir, make_dir, write_bytes
from ..model import Report
from .common import check_year, err, escape, handle_errors, out

SUFFIX = "政府信息公开年报填报模板.xlsx"


def default_name(agency: str, year: int) -> str:
    from ..roster import safe_filename

    return f"{safe_filename(agency) if agency else '空白'}_{year}_{SUFFIX}"


@handle_errors
def template(
    agency: str = typer.Option("", "--agency", "-a", help="机关全称；填写后在模板中预填并锁定。"),
    year: Optional[int] = typer.Option(None, "--year", "-y", help="报告年度（默认：上一年）。", show_default=False),
    format_id: Optional[str] = typer.Option(
        None, "--format", "-f", help="报告格式：2021（2021年度起）或 2019（2019、2020年度的试行格式）；默认按年度选择。", show_default=False
    ),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="输出文件；使用 --roster 时为输出文件夹。默认：<机关或“空白”>_<年度>_政府信息公开年报填报模板.xlsx", show_default=False
    ),
    roster: Optional[Path] = typer.Option(
        None, "--roster", help="单位名单（CSV 或 XLSX，表头“单位名称”）：为每个单位各生成一个模板，单位名称和年度预填并锁定。", show_default=False
    ),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件。"),
    ledger: bool = typer.Option(False, "--ledger", help="生成依申请台账（申请台账、复议诉讼台账），而不是填报模板；gkxl ledger 由台账计算表三、表四。"),
    previous: Optional[list[Path]] = typer.Option(
        None, "--previous", help="与 --ledger 一起：上年的台账，上年末尚未办结的申请和案件预先填入。", show_default=False
    ),
    requirements: Optional[str] = typer.Option(
        None, "--requirements", help="要求清单（内置的“30号”“武威2025”或 .toml 文件）：在“正文”表各节旁列出清单条目，随填随显示是否写到。", show_default=False
    ),
) -> None:
    """生成锁定的填报模板（Excel 工作簿）：只有黄色单元格可以填写，合计和勾稽校验自动计算。

    \b
    示例：
      gkxl template                                   生成上一年度的空白模板
      gkxl template --agency 示例市示例区教育局 --year 2024
      gkxl template --year 2020                       2019年试行格式的模板
      gkxl template --roster 单位名单.xlsx -o 2024模板  每个单位一个模板
      gkxl template --ledger --agency 示例市示例区教育局 --year 2025 --previous 2024台账.xlsx
                                                      依申请台账（上年未办结的申请预先填入）
      gkxl template --year 2025 --requirements 武威2025  “正文”表列出地方要求清单的条目
    """
    year = dt.date.today().year - 1 if year is None else year
    check_year(year)
    spec = format_for_year(year)
    if format_id is not None:
        if format_id not in FORMAT_IDS:
            raise InputError(f"格式“{format_id}”无效，应为 {' 或 '.join(FORMAT_IDS)}")
        if format_id != spec.id:
            err.print(
                f"[yellow]注意：[/]{year}年度的报告应使用{escape(spec.document)}规定的格式，"
                f"已按 --format 使用{escape(get_format(format_id).document)}的格式。"
            )
        spec = get_format(format_id)
    from ..packs import load_pack

    pack = load_pack(requirements) if requirements is not None else None
    if pack is not None and pack.formats and spec.id not in pack.formats:
        err.print(f"[yellow]注意：[/]要求清单“{escape(pack.name)}”只适用于{'、'.join(pack.formats)}格式的报告，模板中未列出其条目")
    agency = agency.strip()
    if agency:
        from ..roster import name_problem

        why = name_problem(agency)
        if why:
            raise InputError(f"--agency 的单位名称{why}")
    if previous and not ledger:
        raise InputError("--previous 只与 --ledger 一起使用（上年的台账）")
    if ledger:
        _ledger(agency, roster, output, spec.id, year, force, previous or [])
        return
    if roster is not None:
        if agency:
            raise InputError("--agency 与 --roster 不能同时使用：名单中的每个单位各生成一个模板")
        _from_roster(roster, output, spec.id, year, force, pack)
        return

    from ..excel.writer import build_workbook

    target = output if output is not None else Path(default_name(agency, year))
    if is_dir(target):
        target = target / default_name(agency, year)
    if target.suffix.lower() != ".xlsx":
        raise InputError("输出文件应以 .xlsx 结尾", file=str(target))
    data = build_workbook(Report(spec.id, year, agency), lock_agency=bool(agency), requirements=pack)
    write_bytes(target, data, force=force)
    who = f"单位：{agency}（已锁定）" if agency else "空白模板"
    out.print(f"已生成填报模板：{escape(str(target))}（{year}年度，{escape(spec.document)}格式，{escape(who)}）")


def _from_roster(roster: Path, output: Optional[Path], format_id: str, year: int, force: bool, pack=None) -> None:
    """One template per roster unit, all or nothing: every bad roster line is named before anything is written,
    then fsio.write_batch writes them (a killed earlier run undone first, and said); one workbook is built per
    layout and stamped with each unit's name (excel.stamp)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..excel.cells import clean_text
    from ..excel.stamp import Stamp
    from ..excel.writer import build_workbook
    from ..fsio import write_batch
    from ..roster import distinct_filenames, read_roster_entries

    entries = read_roster_entries(roster)
    folder = output if output is not None else Path(f"{year}年度填报模板")
    if exists(folder) and not is_dir(folder):
        raise InputError("使用 --roster 时 -o 应为文件夹", file=str(folder))
    problems = []
    for e in entries:
        try:
            clean_text(e.name, where="单位名称")
        except InputError as exc:
            problems.append(f"第{e.line}行“{e.name[:50]}”：{exc.message}")
    if problems:
        raise InputError(f"名单有{len(problems)}行无法使用，未生成任何模板：" + "；".join(problems[:20]), file=str(roster))
    try:
        names = distinct_filenames([e.name for e in entries], f"_{year}_{SUFFIX}")
    except InputError as exc:
        raise InputError(exc.message, file=str(roster)) from None
    targets = {folder / names[e.name]: e.name for e in entries}

    def refuse_existing() -> None:  # before anything is written, so a batch is never half replaced
        existing = [p for p in targets if exists(p)]
        if existing and not force:
            more = f"等 {len(existing)} 个文件" if len(existing) > 1 else ""
            raise InputError(f"输出文件已存在{more}；如需覆盖，请加 --force", file=str(existing[0]))

    stamp = Stamp(format_id, year, lambda report: build_workbook(report, lock_agency=True, requirements=pack))
    # the bar only on a terminal: a refusal (another run holds the folder) stays one clean line
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True, console=err,
                  disable=not err.is_terminal) as bar:
        task = bar.add_task("生成模板", total=len(targets))
        write_batch(folder, [(p.name, lambda n=n: stamp.make(n)) for p, n in targets.items()], command="gkxl template",
                    say=lambda notice: err.print(f"[yellow]注意：[/]{escape(notice)}"), check=refuse_existing,
                    progress=lambda done, total: bar.update(task, completed=done))
    out.print(f"已为 {len(targets)} 个单位生成填报模板（{year}年度，单位名称和年度已锁定），保存在：{escape(str(folder))}")


LEDGER_SUFFIX = "政府信息公开申请台账.xlsx"


def _ledger(agency: str, roster: Optional[Path], output: Optional[Path], format_id: str, year: int, force: bool, previous: list[Path]) -> None:
    """The register workbook for one unit (or one per roster unit); last year's open rows pre-filled."""
    from ..ledger.counting import still_open
    from ..ledger.reader import read_registers
    from ..ledger.template import build_register
    from ..roster import distinct_filenames, read_roster_entries, safe_filename

    carried = None
    if previous:
        read = read_registers(previous, format_id=format_for_year(year - 1).id)
        if read.register.findings:
            first = read.register.findings[0]
            raise InputError(f"上年台账有{len(read.register.findings)}行无法读取，请先改正：{first.message}", file=str(previous[0]))
        carried = still_open(read.register, year - 1)
    if roster is None:
        target = output if output is not None else Path(f"{safe_filename(agency) if agency else '空白'}_{year}_{LEDGER_SUFFIX}")
        if is_dir(target):
            target = target / f"{safe_filename(agency) if agency else '空白'}_{year}_{LEDGER_SUFFIX}"
        if target.suffix.lower() != ".xlsx":
            raise InputError("输出文件应以 .xlsx 结尾", file=str(target))
        write_bytes(target, build_register(agency=agency, year=year, format_id=format_id, previous=carried), force=force)
        more = f"，上年末未办结的 {len(carried.applications)} 件申请、{len(carried.cases)} 件复议诉讼案件已预先填入" if carried else ""
        out.print(f"已生成依申请台账：{escape(str(target))}（{year}年度{more}）")
        return
    if agency:
        raise InputError("--agency 与 --roster 不能同时使用：名单中的每个单位各生成一个台账")
    if previous:
        raise InputError("--previous 的上年台账属于一个单位，不能与 --roster 一起使用")
    from ..fsio import write_batch

    entries = read_roster_entries(roster)
    folder = output if output is not None else Path(f"{year}年度依申请台账")
    names = distinct_filenames([e.name for e in entries], f"_{year}_{LEDGER_SUFFIX}")

    def refuse_existing() -> None:
        existing = [folder / n for n in names.values() if exists(folder / n)]
        if existing and not force:
            raise InputError("输出文件已存在；如需覆盖，请加 --force", file=str(existing[0]))

    write_batch(folder, [(names[e.name], lambda n=e.name: build_register(agency=n, year=year, format_id=format_id)) for e in entries],
                command="gkxl template", say=lambda notice: err.print(f"[yellow]注意：[/]{escape(notice)}"), check=refuse_existing)
    out.print(f"已为 {len(entries)} 个单位生成依申请台账（{year}年度），保存在：{escape(str(folder))}")

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
    the batch is built in a hidden folder beside the output and moved in only when every file is made; a
    failure or Ctrl-C while moving puts back what was there."""
    from ..excel.cells import clean_text
    from ..excel.writer import build_workbook
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
    existing = [p for p in targets if exists(p)]
    if existing and not force:  # refuse before writing anything, so a batch is never half replaced
        more = f"等 {len(existing)} 个文件" if len(existing) > 1 else ""
        raise InputError(f"输出文件已存在{more}；如需覆盖，请加 --force", file=str(existing[0]))
    _write_batch(folder, {p.name: (lambda n=n: build_workbook(Report(format_id, year, n), lock_agency=True, requirements=pack)) for p, n in targets.items()})
    out.print(f"已为 {len(targets)} 个单位生成填报模板（{year}年度，单位名称和年度已锁定），保存在：{escape(str(folder))}")


def _write_batch(folder: Path, files: dict) -> None:
    """Write every file (name → a function making its bytes) into folder, or none of them."""
    import os
    import shutil
    import tempfile

    from ..fsio import _test_pause, write_error

    make_dir(folder.parent if folder.parent != Path("") else Path("."))
    fresh = not exists(folder)
    base = folder.parent if fresh else folder
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-" if fresh else ".gkxl-batch-", dir=base))
    except OSError as exc:
        raise write_error(exc, folder) from None
    moved: list[tuple[Path, Path | None]] = []  # (target, its old content moved aside) to undo
    try:
        for name, make in files.items():
            try:
                (stage / name).write_bytes(make())
            except OSError as exc:
                raise write_error(exc, folder / name) from None
            _test_pause("batch")
        mask = os.umask(0)
        os.umask(mask)
        if fresh:  # one rename puts the whole batch in place
            os.chmod(stage, 0o777 & ~mask)
            for name in files:
                os.chmod(stage / name, 0o666 & ~mask)
            try:
                os.rename(stage, folder)
            except OSError as exc:
                raise write_error(exc, folder) from None
            return
        backup = stage / ".replaced"
        backup.mkdir()
        for name in files:
            target = folder / name
            os.chmod(stage / name, 0o666 & ~mask)
            old = backup / name if os.path.lexists(target) else None
            moved.append((target, old))  # recorded first: an interruption between the two renames is undone too
            if old is not None:
                os.replace(target, old)
            os.replace(stage / name, target)
            _test_pause("batch-move")
        moved.clear()
    except BaseException:
        for target, old in reversed(moved):  # put back what was there before this batch
            try:
                if old is not None:
                    os.replace(old, target)
                else:
                    os.unlink(target)
            except OSError:
                pass
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)

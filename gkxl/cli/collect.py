"""`gkxl collect`: the 政务公开办's round over an inbox of returned files."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..errors import InputError
from .common import EXIT_FINDINGS, EXIT_OK, REQUIREMENTS_HELP, escape, handle_errors, out

MAX_NARRATIVE_BYTES = 5 * 1024 * 1024


def _narrative(path: Path | None) -> dict[str, str]:
    """--narrative: a JSON of section id → text, or a contract document with a "narrative" object.

    Every problem names this file and the section, never the 汇总 workbook it will be written into."""
    if path is None:
        return {}
    from ..excel.cells import clean_text
    from ..fsio import read_regular
    from ..model import loads_json

    raw = read_regular(path, MAX_NARRATIVE_BYTES, "正文 JSON 文件过大", "正文 JSON 文件")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("正文 JSON 文件不是 UTF-8 编码", file=str(path)) from None
    data = loads_json(text, source=str(path), what="正文 JSON")
    if isinstance(data, dict) and isinstance(data.get("narrative"), dict):
        data = data["narrative"]
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise InputError("正文 JSON 应为“章节编号 → 文字”的对象", file=str(path))
    from ..formats import all_formats

    known = {sid for spec in all_formats() for sid in spec.section_ids}
    bad = [k for k in data if k not in known]
    if bad:
        raise InputError(f"没有这些正文章节编号：{'、'.join(b[:50] for b in bad[:5])}", file=str(path))
    for key, value in data.items():
        try:
            clean_text(value, where=f"章节“{key}”的文字")
        except InputError as exc:
            raise InputError(exc.message, file=str(path)) from None
    return data


@handle_errors
def collect(
    inbox: Annotated[Path, typer.Argument(help="收件文件夹：各单位交回的 .xlsx（或 .json）文件，含子文件夹")],
    roster: Annotated[Path, typer.Option("--roster", help="单位名单（CSV 或 XLSX，表头“单位名称”，可有“类型”列），与 gkxl template --roster 相同")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹（已存在时需加 --force）")] = Path("汇总结果"),
    year: Annotated[int | None, typer.Option("--year", help="报告年度（默认：上一年）")] = None,
    agency: Annotated[str, typer.Option("--agency", help="汇总报告的机关名称，例如“示例市示例区人民政府办公室”")] = "本级汇总",
    previous: Annotated[Path | None, typer.Option("--previous", help="上年各单位文件所在文件夹，用于跨年度检查（按单位匹配）")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="并行进程数（默认：全部 CPU 核）")] = None,
    narrative: Annotated[Path | None, typer.Option("--narrative", help="汇总报告的正文（JSON：章节编号 → 文字）")] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help="报送截止日期，例如 2026-01-26（当天提交算按时）；状态中标出逾期，并计算按时提交率")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件夹")] = False,
    reviews: Annotated[Path | None, typer.Option("--reviews", help="审核记录.csv：政务公开办的审核决定（通过、退回、重新开放），与 gkxl serve 导出的相同")] = None,
    requirements: Annotated[str | None, typer.Option("--requirements", help=REQUIREMENTS_HELP + "；状态表“要求清单”页列出各单位各条目是否满足及未满足的单位数")] = None,
    figures: Annotated[bool, typer.Option("--figures", help="另为每个纳入汇总的单位生成一图读懂（OUT/一图读懂/<单位>.png 和 .svg）")] = False,
) -> None:
    """汇总：检查收件文件夹中各单位交回的文件，生成报送状态、各单位报告、汇总数据和汇总报告。

    按工作簿内嵌的单位身份匹配名单（文件改名不影响）；一个单位交了多个文件时使用最新的一个；下级用 gkxl collect
    生成的“汇总数据.xlsx”可作为该下级政府的报送文件。未使用的文件（其他类型、隐藏文件、符号链接）逐个列出原因。
    输出：OUT/汇总/状态.xlsx、汇总数据.xlsx、汇总报告.docx、summary.json，以及 OUT/单位报告/<单位>.docx；
    名单有“类型”列时另有 OUT/汇总/分类汇总/<类型>.xlsx。汇总的一图读懂：OUT/汇总/一图读懂.png 和 .svg。单位报告与 gkxl report 相同：正文“（二）依申请公开”未填写的，按表格数据自动起草，
    并在该单位的备注中说明。

    --reviews 审核记录.csv（表头：单位名称,文件SHA256,结论,意见,审核人,时间）：审核通过的文件锁定为该单位的文件，
    被退回的不纳入汇总，纳入汇总但尚未审核通过的单位列为“未审核”；状态表另有“审核记录”页。

    退出码：0 名单内单位全部通过（有 --reviews 时还须全部审核通过）；1 有单位未通过、未提交或未审核通过；2 输入无法使用。

    示例：gkxl collect 收件箱/ --roster 单位名单.csv -o 2024汇总 --previous 2023收件箱/ --deadline 2025-01-26
    """
    from ..collect import Status, run_collect
    from ..deadline import parse_deadline
    from ..fsio import printable
    from ..roster import read_roster_entries

    from ..packs import load_pack

    pack = load_pack(requirements) if requirements is not None else None
    entries = read_roster_entries(roster)
    year = year or dt.date.today().year - 1
    texts = _narrative(narrative)
    try:
        due = parse_deadline(deadline) if deadline is not None else None
    except ValueError as exc:
        raise InputError(f"--deadline：{exc}") from None
    decided = None
    if reviews is not None:
        from ..review_csv import read as read_reviews

        decided = read_reviews(reviews)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True) as bar:
        tasks: dict[str, int] = {}

        def tick(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        from ..review import ReplayError

        try:
            result = run_collect(
                inbox, [e.name for e in entries], output, year=year, agency=agency, previous_dir=previous, jobs=jobs,
                narrative=texts, force=force, roster_file=roster, progress=tick,
                types={e.name: e.type for e in entries}, deadline=due, requirements=pack, figures=figures,
                decisions=[d for _, d in decided] if decided is not None else None, reviews_file=reviews,
            )
        except ReplayError as exc:
            raise InputError(f"第{decided[exc.index][0]}行：{exc.message}", file=str(reviews)) from None

    def say(text: str) -> str:
        return escape(printable(text))

    for notice in result.notices:
        out.print(f"[yellow]注意：[/]{say(notice)}")
    typed = any(u.type != "未分类" for u in result.units)
    table = Table(title=f"{year}年报送状态（{len(result.units)}个单位）")
    for col in ("单位", *(("类型",) if typed else ()), "状态", *(("审核",) if result.reviewed else ()), *(("按时",) if due else ()), "说明"):
        table.add_column(col)
    from ..excel.status import ordered_units

    for u in ordered_units(result):
        detail = u.note or "；".join(u.first_messages(1))
        late = ("[red]逾期[/]" if u.late else ("按时" if u.submitted else "—"),) if due else ()
        review = (u.review or "—",) if result.reviewed else ()
        table.add_row(say(u.unit), *((escape(u.type),) if typed else ()), u.status, *review, *late, say(detail))
    out.print(table)
    for o in result.unmatched:
        who = (o.report.agency or "未填写单位") if o.report else f"无法读取：{o.result.error or o.result.verdict}"
        out.print(f"[yellow]名单外文件：[/]{say(o.name)}（{say(who)}）")
    for f in result.unused:
        out.print(f"[yellow]未使用的文件：[/]{say(f.name)}（{say(f.reason)}）")
    for name, why in result.previous_ignored:
        out.print(f"[yellow]未使用的上年文件：[/]{say(name)}（{say(why)}）")
    counts = Counter(u.status for u in result.units)
    out.print("，".join(f"{s} {n}" for s, n in counts.items()))
    if due is not None:
        on_time, total = result.on_time
        late = [u.unit for u in result.units if u.late]
        out.print(f"截止日期 {due.isoformat()}：按时提交率 {100 * on_time / total:.2f}%（{on_time}/{total}）"
                  + (f"；逾期：{say('、'.join(late))}" if late else ""))
    out.print(f"纳入汇总 {len(result.included)} 个单位；输出在 {say(str(output))}/")
    if not result.complete and result.included:
        out.print(f"[yellow]{say(result.missing_text())}[/]")
    if result.reviewed:
        states = [u.review for u in result.units]
        out.print("审核：" + "，".join(f"{s} {states.count(s)}" for s in ("已通过", "已退回", "待审核")))
        if result.unreviewed:
            out.print(f"[yellow]未审核（已纳入汇总，尚未审核通过）：{say('、'.join(result.unreviewed))}[/]")
    if pack is not None:
        from ..collect import requirement_summary

        summary = requirement_summary(result)
        missed = [f"{i['id']} {len(i['missed'])}个" for i in summary["items"] if i["missed"]]
        out.print(f"要求清单“{say(pack.name)}”（{summary['units_checked']}个单位的报告）：" +
                  (f"未满足的单位数 {say('，'.join(missed))}（各单位见状态表“要求清单”页）" if missed else "各条目均已满足"))
    if result.incomplete:
        out.print(f"[yellow]注意：{len(result.incomplete)} 个单元格有单位未填写，汇总中留空（见 summary.json）[/]")
    done = counts.get(Status.PASSED, 0) == len(result.units)
    if result.reviewed:
        done = all(u.review == "已通过" for u in result.units)
    raise typer.Exit(EXIT_OK if done else EXIT_FINDINGS)

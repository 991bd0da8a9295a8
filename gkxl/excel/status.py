"""The 状态.xlsx of a collect run: one row per roster unit (grouped by 类型), the files that matched no unit, the
files not used, the 汇总's completeness and, with a roster of types, the subtotals per type.

Every text that came from a unit (names, messages, file names) is written with write_string, so a text
beginning with "=" stays text and never becomes a formula; broken characters are shown escaped (fsio.printable).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from ..findings import Severity
from ..formats.layout import UNITS_SHEET
from ..fsio import printable, write_bytes
from .requirement_sheet import write_requirement_sheet

if TYPE_CHECKING:
    from ..outcomes import CollectResult, FileOutcome

FIXED_TIME = dt.datetime(2000, 1, 1)  # document properties fixed, so the same inbox gives the same bytes

UNIT_COLUMNS = (
    ("单位名称", 30), ("状态", 16), ("强制错误", 9), ("待核实", 8), ("已说明", 8), ("提示", 6),
    ("主要问题（前三条）", 70), ("所用文件", 28), ("SHA-256", 20), ("文件修改时间", 20), ("备注", 40),
    ("类型", 14), ("是否按时", 10),
)
FILE_COLUMNS = (("文件", 30), ("文件中的单位", 30), ("年度", 8), ("结论", 16), ("SHA-256", 20), ("文件修改时间", 20))
UNUSED_COLUMNS = (("文件", 40), ("未使用的原因", 60), ("文件名中的单位", 30))
REVIEW_COLUMN = ("审核", 10)  # with reviews: 待审核/已退回/已通过, after UNIT_COLUMNS
DECISION_COLUMNS = (("单位名称", 30), ("文件SHA256", 20), ("结论", 10), ("意见", 60), ("审核人", 12), ("时间", 26), ("文件", 30))
REVIEW_COLOURS = {"已通过": "#C6EFCE", "已退回": "#FFC7CE", "待审核": "#FFEB9C"}

STATUS_COLOURS = {
    "通过": "#C6EFCE", "待核实": "#FFEB9C", "有强制错误": "#FFC7CE", "模板不符（年度或单位）": "#FFC7CE",
    "无法读取": "#FFC7CE", "未提交": "#D9D9D9",
}


def _when(o: FileOutcome) -> str:
    return dt.datetime.fromtimestamp(o.mtime).strftime("%Y-%m-%d %H:%M:%S") if o.mtime else ""


def ordered_units(result: CollectResult) -> list:
    """Units grouped by 类型 (in roster.UNIT_TYPES order), roster order within a type."""
    from ..roster import UNIT_TYPES

    rank = {t: i for i, t in enumerate(UNIT_TYPES)}
    return sorted(result.units, key=lambda u: rank.get(u.type, len(rank)))


def build_status_workbook(result: CollectResult) -> bytes:
    from ..outcomes import NO_TYPE, Status

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    wb.set_properties({"title": f"{result.year}年政府信息公开工作年度报告报送状态", "created": FIXED_TIME})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    plain = wb.add_format({"valign": "top", "border": 1})
    warn = wb.add_format({"bold": True, "font_color": "#9C0006", "text_wrap": True, "valign": "top"})
    status_fmt = {s: wb.add_format({"bg_color": c, "border": 1, "valign": "top"}) for s, c in STATUS_COLOURS.items()}

    def text(ws, row: int, col: int, value: str, fmt=plain) -> None:
        ws.write_string(row, col, printable(value), fmt)

    def table(ws, columns) -> None:
        for col, (title, width) in enumerate(columns):
            ws.write_string(0, col, title, head)
            ws.set_column(col, col, width)

    ws = wb.add_worksheet("报送状态")
    columns = UNIT_COLUMNS + ((REVIEW_COLUMN,) if result.reviewed else ())
    table(ws, columns)
    review_fmt = {s: wb.add_format({"bg_color": c, "border": 1, "valign": "top"}) for s, c in REVIEW_COLOURS.items()}
    ws.freeze_panes(1, 1)
    ordered = ordered_units(result)
    for row, u in enumerate(ordered, 1):
        counts = u.counts
        text(ws, row, 0, u.unit)
        text(ws, row, 1, u.status, status_fmt.get(u.status, plain))
        ws.write_number(row, 2, counts[Severity.MANDATORY], plain)
        ws.write_number(row, 3, counts[Severity.VERIFY], plain)
        ws.write_number(row, 4, u.used.result.explained if u.used else 0, plain)
        ws.write_number(row, 5, counts[Severity.HINT], plain)
        text(ws, row, 6, "\n".join(u.first_messages()), wrap)
        text(ws, row, 7, u.used.name if u.used else "")
        text(ws, row, 8, u.used.sha256 if u.used else "")
        text(ws, row, 9, _when(u.used) if u.used else "")
        text(ws, row, 10, u.note, wrap)
        text(ws, row, 11, u.type)
        if result.deadline is not None:
            text(ws, row, 12, "逾期" if u.late else ("按时" if u.submitted else "未提交"), status_fmt["有强制错误"] if u.late else plain)
        if result.reviewed:
            text(ws, row, len(UNIT_COLUMNS), u.review, review_fmt.get(u.review, plain))
    ws.autofilter(0, 0, len(result.units), len(columns) - 1)

    info = wb.add_worksheet("汇总情况")
    info.set_column(0, 0, 24)
    info.set_column(1, 1, 90)
    lines = [("报告年度", str(result.year)), ("名单内单位", str(len(result.units))), ("纳入汇总", str(len(result.included)))]
    lines.append(("汇总是否完整", "完整" if result.complete else "不完整"))
    if not result.complete:
        lines.append(("未纳入的单位", result.missing_text()))
    if result.deadline is not None:
        on_time, total = result.on_time
        rate = f"{100 * on_time / total:.2f}%" if total else "—"
        lines.append(("截止日期", result.deadline.isoformat()))
        lines.append(("按时提交率", f"{rate}（{on_time}/{total}）"))
        late = [u.unit for u in result.units if u.late]
        if late:
            lines.append(("逾期提交", "、".join(late)))
    if result.reviewed:
        states = [u.review for u in result.units]
        lines.append(("审核", "，".join(f"{s} {states.count(s)}" for s in ("已通过", "已退回", "待审核"))))
        if result.unreviewed:
            lines.append(("未审核（已纳入汇总）", "、".join(result.unreviewed)))
    for name in result.notices:
        lines.append(("注意", name))
    for row, (k, v) in enumerate(lines):
        text(info, row, 0, k, head)
        text(info, row, 1, v, warn if k in ("汇总是否完整", "未纳入的单位") and not result.complete else wrap)

    write_requirement_sheet(wb, result, head, wrap, plain)  # collect --requirements: units × items

    if any(u.type != NO_TYPE for u in result.units):
        groups = wb.add_worksheet("按类型统计")
        cols = [("类型", 16), ("单位数", 8)] + [(s, 10) for s in Status.ALL] + [("纳入汇总", 10)]
        if result.deadline is not None:
            cols.append(("按时提交", 10))
        table(groups, cols)
        kinds = list(dict.fromkeys(u.type for u in ordered))
        for row, kind in enumerate(kinds, 1):
            members = [u for u in result.units if u.type == kind]
            text(groups, row, 0, kind)
            groups.write_number(row, 1, len(members), plain)
            for col, s in enumerate(Status.ALL, 2):
                groups.write_number(row, col, sum(1 for u in members if u.status == s), plain)
            groups.write_number(row, 2 + len(Status.ALL), sum(1 for u in members if u.unit in result.included), plain)
            if result.deadline is not None:
                groups.write_number(row, 3 + len(Status.ALL), sum(1 for u in members if u.submitted and not u.late), plain)
    if result.subtotals:
        _write_subtotals(wb, result, head, plain)

    extra = wb.add_worksheet("名单外文件")
    table(extra, FILE_COLUMNS)
    for row, o in enumerate(result.unmatched, 1):
        text(extra, row, 0, o.name)
        text(extra, row, 1, (o.report.agency or "（未填写）") if o.report else "（无法读取）")
        text(extra, row, 2, str(o.report.year) if o.report else "")
        text(extra, row, 3, o.result.error or o.result.verdict, wrap)
        text(extra, row, 4, o.sha256)
        text(extra, row, 5, _when(o))

    unused = wb.add_worksheet("未使用的文件")
    table(unused, UNUSED_COLUMNS)
    for row, f in enumerate(result.unused, 1):
        text(unused, row, 0, f.name)
        text(unused, row, 1, f.reason, wrap)
        text(unused, row, 2, "、".join(f.units))

    if result.reviewed:
        _write_decisions(wb, result, table, text, wrap)

    inc = wb.add_worksheet(UNITS_SHEET)
    inc.write_string(0, 0, "纳入汇总的单位（通过检查）", head)
    inc.set_column(0, 0, 40)
    for row, unit in enumerate(result.included, 1):
        text(inc, row, 0, unit)
    for sheet in wb.worksheets():  # on paper: landscape, all columns on one page wide, the header on every page
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        if sheet is not info:
            sheet.repeat_rows(0)
    wb.close()
    return buf.getvalue()


def _write_decisions(wb, result: CollectResult, table, text, wrap) -> None:
    """审核记录: every decision of the office, oldest first, with the file it was on."""
    names = {}
    for u in result.units:
        for o in (u.used, *u.others):
            if o is not None:
                names.setdefault((u.unit, o.sha256), o.name)
    ws = wb.add_worksheet("审核记录")
    table(ws, DECISION_COLUMNS)
    ws.freeze_panes(1, 1)
    for row, d in enumerate(result.decisions, 1):
        for col, value in enumerate((d.unit, d.sha256, d.verdict, d.opinion, d.reviewer, d.time, names.get((d.unit, d.sha256), ""))):
            if not value:
                continue
            if col == 3:
                text(ws, row, col, value, wrap)
            else:
                text(ws, row, col, value)


def _write_subtotals(wb, result: CollectResult, head, plain) -> None:
    """One row per input cell of the format: its table and labels, each 类型's subtotal and the 汇总."""
    from ..formats import Kind
    from ..values import format_number

    ws = wb.add_worksheet("分类汇总")
    kinds = list(result.subtotals)
    cols = [("单元格编号", 30), ("表", 24), ("项目", 50)] + [(k, 12) for k in kinds] + [("合计", 12)]
    for col, (title, width) in enumerate(cols):
        ws.write_string(0, col, title, head)
        ws.set_column(col, col, width)
    first = next(iter(result.subtotals.values()))
    spec = first.spec
    values = {k: r.with_totals() for k, r in result.subtotals.items()}
    for row, cid in enumerate(spec.fields, 1):
        fld = spec.fields[cid]
        ws.write_string(row, 0, cid, plain)
        ws.write_string(row, 1, spec.table_of[cid].name, plain)
        ws.write_string(row, 2, fld.describe(), plain)
        total = 0
        known = True
        for col, k in enumerate(kinds, 3):
            v = values[k].get(cid)
            if v is None:
                known = False
                continue
            total += v
            if fld.kind is Kind.AMOUNT:
                ws.write_string(row, col, format_number(v), plain)
            else:
                ws.write_number(row, col, v, plain)
        if known:
            col = 3 + len(kinds)
            if fld.kind is Kind.AMOUNT:
                ws.write_string(row, col, format_number(total), plain)
            else:
                ws.write_number(row, col, total, plain)


def write_status_workbook(path: Path, result: CollectResult) -> Path:
    return write_bytes(path, build_status_workbook(result), force=True)

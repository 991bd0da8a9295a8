"""The 状态.xlsx of a collect run: one row per roster unit, and the files that matched no unit.

Every text that came from a unit (names, messages, file names) is written with write_string, so a text
beginning with "=" stays text and never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from ..findings import Severity
from ..formats.layout import UNITS_SHEET
from ..fsio import write_bytes

if TYPE_CHECKING:
    from ..outcomes import CollectResult, FileOutcome

FIXED_TIME = dt.datetime(2000, 1, 1)  # document properties fixed, so the same inbox gives the same bytes

UNIT_COLUMNS = (
    ("单位名称", 30), ("状态", 16), ("强制错误", 9), ("待核实", 8), ("已说明", 8), ("提示", 6),
    ("主要问题（前三条）", 70), ("所用文件", 28), ("SHA-256", 20), ("文件修改时间", 20), ("备注", 40),
)
FILE_COLUMNS = (("文件", 30), ("文件中的单位", 30), ("年度", 8), ("结论", 16), ("SHA-256", 20), ("文件修改时间", 20))

STATUS_COLOURS = {
    "通过": "#C6EFCE", "待核实": "#FFEB9C", "有强制错误": "#FFC7CE", "模板不符（年度或单位）": "#FFC7CE",
    "无法读取": "#FFC7CE", "未提交": "#D9D9D9",
}


def _when(o: FileOutcome) -> str:
    return dt.datetime.fromtimestamp(o.mtime).strftime("%Y-%m-%d %H:%M:%S")


def build_status_workbook(result: CollectResult) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"title": f"{result.year}年政府信息公开工作年度报告报送状态", "created": FIXED_TIME})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    plain = wb.add_format({"valign": "top", "border": 1})
    status_fmt = {s: wb.add_format({"bg_color": c, "border": 1, "valign": "top"}) for s, c in STATUS_COLOURS.items()}

    ws = wb.add_worksheet("报送状态")
    for col, (title, width) in enumerate(UNIT_COLUMNS):
        ws.write_string(0, col, title, head)
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 1)
    for row, u in enumerate(result.units, 1):
        counts = u.counts
        ws.write_string(row, 0, u.unit, plain)
        ws.write_string(row, 1, u.status, status_fmt.get(u.status, plain))
        ws.write_number(row, 2, counts[Severity.MANDATORY], plain)
        ws.write_number(row, 3, counts[Severity.VERIFY], plain)
        ws.write_number(row, 4, u.used.result.explained if u.used else 0, plain)
        ws.write_number(row, 5, counts[Severity.HINT], plain)
        ws.write_string(row, 6, "\n".join(u.first_messages()), wrap)
        ws.write_string(row, 7, u.used.name if u.used else "", plain)
        ws.write_string(row, 8, u.used.sha256 if u.used else "", plain)
        ws.write_string(row, 9, _when(u.used) if u.used else "", plain)
        ws.write_string(row, 10, u.note, wrap)
    ws.autofilter(0, 0, len(result.units), len(UNIT_COLUMNS) - 1)

    extra = wb.add_worksheet("名单外文件")
    for col, (title, width) in enumerate(FILE_COLUMNS):
        extra.write_string(0, col, title, head)
        extra.set_column(col, col, width)
    for row, o in enumerate(result.unmatched, 1):
        extra.write_string(row, 0, o.name, plain)
        extra.write_string(row, 1, (o.report.agency or "（未填写）") if o.report else "（无法读取）", plain)
        extra.write_string(row, 2, str(o.report.year) if o.report else "", plain)
        extra.write_string(row, 3, o.result.error or o.result.verdict, wrap)
        extra.write_string(row, 4, o.sha256, plain)
        extra.write_string(row, 5, _when(o), plain)

    inc = wb.add_worksheet(UNITS_SHEET)
    inc.write_string(0, 0, "纳入汇总的单位（通过检查）", head)
    inc.set_column(0, 0, 40)
    for row, unit in enumerate(result.included, 1):
        inc.write_string(row, 0, unit, plain)
    wb.close()
    return buf.getvalue()


def write_status_workbook(path: Path, result: CollectResult) -> Path:
    return write_bytes(path, build_status_workbook(result), force=True)

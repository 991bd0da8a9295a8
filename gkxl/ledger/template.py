"""The register workbook (`gkxl template --ledger`): sheets 申请台账 and 复议诉讼台账, locked but for their rows, with
drop-down lists taken from the format (gkxl/ledger/vocabulary.py) and validated dates; applications and cases still
open at last year's end come pre-filled from last year's register."""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter

from ..excel.cells import clean_text
from ..excel.forms import text_row_height
from ..excel.styles import Styles
from ..formats import get_format
from .counting import APPLICATIONS, CASES, Register
from .reader import HEADERS
from .vocabulary import vocabulary

GUIDE, CHOICES = "填写说明", "选项"
ROWS = 1000  # prepared rows of each register; more can be inserted (the sheet allows inserting rows)
FIRST = 2  # 0-based row of the first register row: a title row, then the header row
COLUMNS = {
    APPLICATIONS: (("number", 14), ("received", 13), ("applicant", 14), ("summary", 36), ("result", 40), ("answered", 13), ("note", 20)),
    CASES: (("number", 16), ("group", 26), ("opened", 15), ("outcome", 12), ("closed", 13), ("note", 30)),
}
DATES = {"received", "answered", "opened", "closed"}
PROTECTION = {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True, "format_rows": True,
              "insert_rows": True, "delete_rows": True, "sort": True, "autofilter": True}


def guide_lines(agency: str, year: int) -> list[str]:
    """What 填写说明 says: how each row is counted into 表三/表四 (the rules of gkxl/ledger/counting.py)."""
    return [
        f"{agency or '本单位'}{year}年度政府信息公开申请台账和行政复议、行政诉讼台账",
        "一、“申请台账”每行登记一件政府信息公开申请：编号、收到日期、申请人类型、申请内容摘要、办理结果、答复日期、备注。",
        "二、申请人类型和办理结果从下拉列表中选择，用的是年报表三的官方用语；收到日期、答复日期填写日期（如 2025-03-08）。",
        f"三、{year}年1月1日至12月31日收到的申请计入表三“一、本年新收”；以前年度收到、{year}年1月1日前尚未答复的，计入“二、上年结转”"
        "（从上年台账带入的行已预先填好）。",
        f"四、每件申请只按答复日期所在年度、按它的办理结果计入一次（部分公开的，只计“部分公开”）；到{year}年12月31日仍未答复的，"
        "办理结果和答复日期不填，计入“四、结转下年度继续办理”。",
        "五、“复议诉讼台账”每行登记一件因政府信息公开被申请行政复议或提起行政诉讼的案件：类型为行政复议、未经复议直接起诉或复议后起诉；"
        "结果为结果维持、结果纠正、其他结果，尚未审结的结果和结案日期不填。本年结案的按结果计入表四，年末尚未审结的（含以前年度收到的）计入“尚未审结”。",
        "六、行政复议机关作为共同被告的行政诉讼案件，只计算原行为主体的案件数量，不计算行政复议机关的案件数量：这类案件只由原行为主体登记一次。",
        "七、可插入行；不要改动表头。gkxl ledger 台账.xlsx 由本台账计算表三、表四；gkxl check 工作簿.xlsx --ledger 台账.xlsx 核对填报的表格与台账。",
    ]


def build_register(*, agency: str, year: int, format_id: str | None = None, previous: Register | None = None) -> bytes:
    from ..formats import format_for_year

    spec = get_format(format_id) if format_id else format_for_year(year)
    vocab = vocabulary(spec.id)
    agency = clean_text(agency, where="单位名称")
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    wb.set_properties({"title": f"{agency}{year}年度政府信息公开申请台账", "creator": "gkxl", "created": dt.datetime(year + 1, 1, 1)})
    wb.set_custom_property("gkxl_register", "1", "text")
    wb.set_custom_property("gkxl_year", str(year), "text")
    wb.set_custom_property("gkxl_agency", agency, "text")
    wb.set_custom_property("gkxl_format", spec.id, "text")
    st = Styles(wb)

    guide = wb.add_worksheet(GUIDE)
    guide.set_column(0, 0, 72)
    guide.set_paper(9)
    guide.fit_to_pages(1, 0)
    for i, line in enumerate(guide_lines(agency, year)):
        guide.write_string(i, 0, line, st.guide_head if i == 0 else st.guide)
        guide.set_row(i, 24 if i == 0 else text_row_height(line, 72, minimum=20))
    guide.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})

    lists = {"applicant": [c.label for c in vocab.applicants], "result": [c.label for c in vocab.results],
             "group": [c.label for c in vocab.groups], "outcome": [c.label for c in vocab.outcomes if c.id != "pending"]}
    choices = wb.add_worksheet(CHOICES)
    refs = {}
    for col, (key, values) in enumerate(lists.items()):
        for row, value in enumerate(values):
            choices.write_string(row, col, value)
        letter = chr(ord("A") + col)
        refs[key] = f"='{CHOICES}'!${letter}$1:${letter}${len(values)}"
    choices.hide()
    choices.protect("", {})

    low, high = dt.date(year - 5, 1, 1), dt.date(year + 1, 12, 31)
    prefill = previous or Register()
    for kind, items in ((APPLICATIONS, prefill.applications), (CASES, prefill.cases)):
        ws = wb.add_worksheet(kind)
        cols = COLUMNS[kind]
        ws.merge_range(0, 0, 0, len(cols) - 1, f"{agency}{year}年度{'政府信息公开申请台账' if kind == APPLICATIONS else '政府信息公开行政复议、行政诉讼台账'}", st.title)
        ws.set_row(0, 24)
        for c, (key, width) in enumerate(cols):  # a column's format unlocks it and colours it for input, rows added too
            ws.set_column(c, c, width, st.input_date if key in DATES else st.input_line)
            ws.write_string(1, c, HEADERS[kind][key][0], st.column_header)
        ws.freeze_panes(FIRST, 0)
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0, FIRST - 1)
        last = FIRST + max(ROWS, len(items) + 200) - 1
        for c, (key, _) in enumerate(cols):
            if key in DATES:
                ws.data_validation(FIRST, c, last, c, {
                    "validate": "date", "criteria": "between", "minimum": dt.datetime.combine(low, dt.time()),
                    "maximum": dt.datetime.combine(high, dt.time()), "error_title": "日期", "input_title": HEADERS[kind][key][0],
                    "error_message": f"请填写 {low.isoformat()} 至 {high.isoformat()} 之间的日期，如 {year}-03-08",
                    "input_message": "日期，如 " + f"{year}-03-08"})
            elif key in refs:
                ws.data_validation(FIRST, c, last, c, {"validate": "list", "source": refs[key], "error_title": HEADERS[kind][key][0],
                                                       "error_message": "请从下拉列表中选择"})
        for i, item in enumerate(items):
            r = FIRST + i
            ws.write_string(r, 0, item.number, st.input_line)
            if kind == APPLICATIONS:
                ws.write_datetime(r, 1, dt.datetime.combine(item.received, dt.time()), st.input_date)
                ws.write_string(r, 2, next(c.label for c in vocab.applicants if c.id == item.applicant), st.input_line)
                ws.write_string(r, 3, clean_text(item.summary, where="申请内容摘要"), st.input_line)
                if item.result is not None:  # answered after last year's end, already entered there: kept
                    ws.write_string(r, 4, next(c.label for c in vocab.results if c.id == item.result), st.input_line)
                if item.answered is not None:
                    ws.write_datetime(r, 5, dt.datetime.combine(item.answered, dt.time()), st.input_date)
                ws.write_string(r, 6, clean_text(item.note, where="备注"), st.input_line)
            else:
                ws.write_string(r, 1, next(c.label for c in vocab.groups if c.id == item.group), st.input_line)
                ws.write_datetime(r, 2, dt.datetime.combine(item.opened, dt.time()), st.input_date)
                if item.outcome is not None and item.outcome != "pending":
                    ws.write_string(r, 3, next(c.label for c in vocab.outcomes if c.id == item.outcome), st.input_line)
                if item.closed is not None:
                    ws.write_datetime(r, 4, dt.datetime.combine(item.closed, dt.time()), st.input_date)
                ws.write_string(r, 5, clean_text(item.note, where="备注"), st.input_line)
        ws.protect("", PROTECTION)
    wb.get_worksheet_by_name(APPLICATIONS).activate()
    wb.close()
    return buf.getvalue()

"""The text sheets: 基本信息 (unit, year, metadata), 正文 (one cell per narrative section), 说明, 填报说明."""

from __future__ import annotations

import datetime as dt

from ..drafting import longest_section_drafts
from ..errors import InputError
from ..findings import MIN_EXPLANATION
from ..model import issued_on_example
from ..formats import AMOUNT_PLACES, FIRST_YEAR, METADATA, NO, YES, Declaration, Kind, format_for_year
from ..formats.layout import (
    CHECKS_SHEET,
    EXPLAIN_FIRST_ROW,
    EXPLAIN_ROWS,
    EXPLAIN_SHEET,
    GUIDE_SHEET,
    INFO_FIRST_ROW,
    INFO_SHEET,
    NARRATIVE_FIRST_ROW,
    NARRATIVE_SHEET,
    VALUE_COL,
    declaration_address,
    explain_address,
    info_address,
    info_rows,
    narrative_address,
    section_title,
    table_sheet,
)
from ..values import parse_value
from .cells import clean_text
from .narrative_checks import write_narrative_checks
from .context import PX_PER_MM, Build, amount_validation, text_validation
from .draft_formula import WIDTH as DRAFT_WIDTH
from .draft_formula import write_drafts
from .styles import HEADING_FONT, INFO_SIZE
from .tables import lines_needed

LAST_YEAR = 2099


def format_years(format_id: str) -> tuple[int, int]:
    """The first and last report year this format is used for."""
    years = [y for y in range(FIRST_YEAR, LAST_YEAR + 1) if format_for_year(y).id == format_id]
    return years[0], years[-1]


def _protect_print(ws, last_row: int, last_col: int, *, landscape: bool = False) -> None:
    ws.set_paper(9)
    ws.set_landscape() if landscape else ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, last_row, last_col)
    ws.repeat_rows(0)
    ws.set_footer("&C第 &P 页，共 &N 页")


def _form_sheet(b: Build, name: str, header_row: int, columns: tuple[tuple[str, float], ...]):
    """A form sheet: its column widths and, in header_row, the column headers (text, width)."""
    ws = b.wb.add_worksheet(name)
    for col, (text, width) in enumerate(columns):
        ws.set_column(col, col, width)
        ws.write_string(header_row, col, text, b.st.column_header)
    return ws


INFO_COLUMNS = (("项目", 14), ("内容", 26), ("说明", 28))  # 68 units: A4 portrait at full size (LibreOffice draws a unit wider than Excel)


def info_value_height(value: str) -> float:
    """The height a 基本信息 value needs in its column (the unit's name: excel.stamp keys its templates by it)."""
    return text_row_height(value, INFO_COLUMNS[1][1], size=INFO_SIZE)


def write_info(b: Build) -> None:
    ws = b.wb.add_worksheet(INFO_SHEET)
    st, report = b.st.info, b.report
    for col, (text, width) in enumerate(INFO_COLUMNS):
        ws.set_column(col, col, width)
        ws.write_string(INFO_FIRST_ROW - 1, col, text, st.header)
    ws.set_row(INFO_FIRST_ROW - 1, 24)
    for m in METADATA:
        addr = info_address(m.key)
        row, col = addr.row, addr.col
        hint = date_hint(b, m.hint) if m.kind == "date" else m.hint
        value = report.agency if m.key == "agency" else report.meta.get(m.key, "")
        ws.set_row(row, max(text_row_height(hint, INFO_COLUMNS[2][1], size=INFO_SIZE, minimum=36),
                            info_value_height(value)))
        ws.write_string(row, 0, m.label, st.label)
        ws.write_string(row, 2, hint, st.label)
        if m.key == "agency":
            agency = clean_text(report.agency, where=m.label, sheet=INFO_SHEET, cell=addr.a1)
            if b.lock_agency:
                ws.write_string(row, col, agency, st.locked_line)
            else:
                _text_input(ws, row, col, agency, st.input_line)
                ws.data_validation(row, col, row, col, text_validation(m.label, m.hint))
        elif m.key == "year":
            if b.lock_year:
                ws.write_number(row, col, report.year, st.locked_number)
            else:
                first, last = format_years(b.spec.id)
                ws.write_blank(row, col, None, st.input_number)
                ws.data_validation(row, col, row, col, {
                    "validate": "integer", "criteria": "between", "minimum": first, "maximum": last,
                    "input_title": m.label, "input_message": f"{m.hint}本模板的格式用于{first}—{last}年度的报告。",
                    "error_title": "年度无效", "error_message": f"年度应为{first}—{last}之间的四位数字。",
                })
        elif m.kind == "date":
            raw = report.meta.get(m.key, "")
            if raw:
                try:
                    ws.write_datetime(row, col, dt.datetime.fromisoformat(raw), st.input_date)
                except ValueError:
                    raise InputError(f"{m.label}“{raw}”不是日期（应为 {issued_on_example(report.year)} 这样的写法）", sheet=INFO_SHEET, cell=addr.a1) from None
            else:
                ws.write_blank(row, col, None, st.input_date)
            ws.data_validation(row, col, row, col, date_validation(b, addr.a1, m.label, hint))
        elif m.kind == "amount":
            raw = report.meta.get(m.key, "")
            parsed = parse_value(Kind.AMOUNT, raw or None)
            if raw and not parsed.ok:
                raise InputError(f"{m.label}“{raw}”无效：{parsed.problem}", sheet=INFO_SHEET, cell=addr.a1)
            if parsed.ok:
                ws.write_number(row, col, float(parsed.value), st.input_number)
            else:
                ws.write_blank(row, col, None, st.input_number)
            ws.data_validation(row, col, row, col, amount_validation(addr.a1, m.label, m.hint))
        else:
            text = clean_text(report.meta.get(m.key, ""), where=m.label, sheet=INFO_SHEET, cell=addr.a1)
            _text_input(ws, row, col, text, st.input_line)
            ws.data_validation(row, col, row, col, text_validation(m.label, m.hint))
    for d in b.spec.declarations:  # 零报告: 是 / 否 (blank: not declared), from a drop-down
        addr = declaration_address(b.spec, d.key)
        row, col = addr.row, addr.col
        ws.set_row(row, max(text_row_height(d.hint, INFO_COLUMNS[2][1], size=INFO_SIZE, minimum=36),
                            text_row_height(d.statement, INFO_COLUMNS[0][1], size=INFO_SIZE)))
        ws.write_string(row, 0, d.statement, st.label)
        ws.write_string(row, 2, d.hint, st.label)
        _text_input(ws, row, col, YES if d.key in report.declared else "", st.input_line)
        ws.data_validation(row, col, row, col, declaration_validation(d))
    below = INFO_FIRST_ROW + info_rows(b.spec) + 1
    ws.merge_range(below, 0, below, 2, f"报告格式：《{b.spec.title}》（{b.spec.document}）", st.plain)
    ws.set_row(below, 36)
    ws.merge_range(below + 1, 0, below + 1, 2, f"黄色单元格为填写处；填写方法见“{GUIDE_SHEET}”表。", st.plain)
    ws.set_row(below + 1, 20)
    _protect_print(ws, below + 1, 2)
    ws.set_margins(left=0.6, right=0.6, top=1.0, bottom=0.8)
    ws.set_header(f"&C&\"{HEADING_FONT},Regular\"&14{INFO_SHEET}")


def declaration_validation(d: Declaration) -> dict:
    """A 零报告 declaration: 是 or 否 from a drop-down; blank is allowed (not declared)."""
    return {
        "validate": "list", "source": [YES, NO], "ignore_blank": True, "dropdown": True,
        "input_title": "零报告声明（选择“是”或“否”）"[:32], "input_message": d.hint[:255],
        "error_type": "stop", "error_title": "请选择“是”或“否”",
        "error_message": f"请从下拉列表中选择“{YES}”或“{NO}”；不作声明的可以留空（视为“{NO}”）。",
    }


def date_hint(b: Build, hint: str) -> str:
    """The 落款日期 hint with an example of the template's year (a report on 2025 is signed in January 2026)."""
    if b.lock_year:
        return f"{hint}例如 {issued_on_example(b.report.year)}。"
    first = format_years(b.spec.id)[0]
    return f"{hint}例如{first}年度的报告填 {issued_on_example(first)}。"


def date_validation(b: Build, cell: str, label: str, hint: str) -> dict:
    """A 落款日期 after the report year (R-DATE: inside the year or before it is 强制); the year is locked or typed."""
    common = {"input_title": label, "input_message": hint[:255], "error_title": "日期无效", "error_type": "stop"}
    if b.lock_year:
        return {
            **common, "validate": "date", "criteria": "between",
            "minimum": dt.date(b.report.year + 1, 1, 1), "maximum": dt.date(LAST_YEAR + 1, 12, 31),
            "error_message": f"请填写{b.report.year}年之后的日期（{b.report.year}年度的报告在次年落款），例如 {issued_on_example(b.report.year)}。",
        }
    year = "$" + info_address("year").a1[0] + "$" + info_address("year").a1[1:]
    first = format_years(b.spec.id)[0]
    return {
        **common, "validate": "custom",
        "value": f"=AND(ISNUMBER({cell}),{cell}>=DATE({FIRST_YEAR},1,1),OR(NOT(ISNUMBER({year})),{cell}>DATE({year},12,31)))",
        "error_message": f"请填写日期，且应在报告年度之后（报告在次年落款），例如{first}年度的报告填 {issued_on_example(first)}。",
    }


def _text_input(ws, row: int, col: int, text: str, fmt) -> None:
    # write_string, never write(): a text beginning with "=" must stay text, not become a formula.
    if text:
        ws.write_string(row, col, text, fmt)
    else:
        ws.write_blank(row, col, None, fmt)


NARRATIVE_COLUMNS = (("章节", 28), ("正文内容（在此填写，可多段）", 84), ("应写内容", 34))
EXPLAIN_WIDTHS = (34, 90)
MAX_ROW_PT = 409  # the tallest row Excel, WPS and LibreOffice keep
LINE_SPACING = 1.5  # line height over font size: CJK fonts (宋体, and Noto CJK where it stands in) need about 1.4
FILL = 0.9  # of a line's width that wrapped CJK text fills on average (line breaks before punctuation, wide digits)


def text_row_height(text: str, width_units: float, *, size: float = 10, minimum: float = 0) -> float:
    """Row height (points) that shows a wrapped text whole in a column `width_units` wide (Excel's units: the
    width of a digit of the default 11-point font, 7 px at 96 dpi), up to the 409 points a row can be."""
    width_mm = (width_units * 7 + 5) / PX_PER_MM * FILL
    lines = lines_needed(text, width_mm, size) if text else 0
    return min(MAX_ROW_PT, max(minimum, round(lines * size * LINE_SPACING + 6, 1)))


def narrative_row_height(text: str, draft: str = "") -> float:
    """A 正文 row: tall enough to write in (120 points), taller for its text, so 900 characters can be read, and
    for `draft`, the longest text column D's live draft of this section can show (see drafting.longest)."""
    typed = text_row_height(text, NARRATIVE_COLUMNS[1][1], minimum=120)
    return max(typed, text_row_height(draft, DRAFT_WIDTH)) if draft else typed


def write_narrative(b: Build) -> None:
    columns = NARRATIVE_COLUMNS
    ws = _form_sheet(b, NARRATIVE_SHEET, NARRATIVE_FIRST_ROW - 1, columns)
    st, spec = b.st, b.spec
    last = NARRATIVE_FIRST_ROW
    drafts = longest_section_drafts(spec)
    for section in spec.sections:
        addr = narrative_address(spec, section.id)
        title = section_title(section)
        text = clean_text(b.report.narrative.get(section.id, ""), where=f"正文“{title}”", sheet=NARRATIVE_SHEET, cell=addr.a1)
        ws.write_string(addr.row, 0, title, st.label_top)
        _text_input(ws, addr.row, addr.col, text, st.input_text)
        ws.write_string(addr.row, 2, section.hint, st.label_top)
        ws.data_validation(addr.row, addr.col, addr.row, addr.col, text_validation(title, section.hint))
        ws.set_row(addr.row, narrative_row_height(text, drafts.get(section.id, "")))
        last = max(last, addr.row)
    write_drafts(b, ws)  # column D: the paragraphs drafted from the tables, live
    write_narrative_checks(b, ws, b.requirements)  # columns E, F: characters counted and the pack's items, live
    # Printed: A–C, what the filer wrote beside the headings and hints. Column D is a screen aid to copy from; on
    # paper it would repeat （二） and （三） a second time and shrink the landscape page to about 70 %.
    _protect_print(ws, last, 2, landscape=True)


def write_explanations(b: Build) -> None:
    given = list(b.report.explanations.items())
    if len(given) > EXPLAIN_ROWS:
        raise InputError(f"说明共 {len(given)} 条，模板最多容纳 {EXPLAIN_ROWS} 条", sheet=EXPLAIN_SHEET)
    columns = (("问题编号（规则编号.范围，见“校验”表A列或检查结果）", EXPLAIN_WIDTHS[0]),
               (f"说明（“核实”类问题确属实际情况的，写明原因，不少于{MIN_EXPLANATION}个字）", EXPLAIN_WIDTHS[1]))
    ws = _form_sheet(b, EXPLAIN_SHEET, EXPLAIN_FIRST_ROW - 1, columns)
    st = b.st
    key_msg = f"填写检查结果中问题的编号，例如 {example_key(b.spec)}（规则编号.范围），与“{CHECKS_SHEET}”表和检查报告中的写法一致。"
    text_msg = f"写明数据确属实际情况的原因，不少于{MIN_EXPLANATION}个字。“强制”类问题不能以说明代替改正。"
    for i in range(EXPLAIN_ROWS):
        key_addr, text_addr = explain_address(i)
        key, text = given[i] if i < len(given) else ("", "")
        key = clean_text(key, where="说明的编号", sheet=EXPLAIN_SHEET, cell=key_addr.a1)
        text = clean_text(text, where=f"说明“{key}”", sheet=EXPLAIN_SHEET, cell=text_addr.a1)
        _text_input(ws, key_addr.row, key_addr.col, key, st.input_line)
        _text_input(ws, text_addr.row, text_addr.col, text, st.input_text)
        # Compact, so the 40 lines print on one page; a given 说明 as tall as its text.
        ws.set_row(key_addr.row, text_row_height(text, EXPLAIN_WIDTHS[1], minimum=18))
    first, last = EXPLAIN_FIRST_ROW, EXPLAIN_FIRST_ROW + EXPLAIN_ROWS - 1
    ws.data_validation(first, 0, last, 0, text_validation("问题编号", key_msg))
    ws.data_validation(first, VALUE_COL, last, VALUE_COL, {
        "validate": "length", "criteria": ">=", "value": MIN_EXPLANATION, "ignore_blank": True,
        "input_title": "说明", "input_message": text_msg,
        "error_type": "warning", "error_title": "说明过短", "error_message": f"说明应不少于{MIN_EXPLANATION}个字，否则“核实”类问题仍视为未处理。",
    })
    ws.freeze_panes(EXPLAIN_FIRST_ROW, 0)
    ws.set_row(0, 30)
    _protect_print(ws, last, 1)


def example_key(spec) -> str:
    """A finding key a filer may have to explain: the cross-year 上年结转 rule on the first column."""
    return f"R-XYEAR-CARRIED.{spec.carried[0][0].rsplit('.', 1)[1]}"


def guide_lines(b: Build) -> list[tuple[str, str]]:
    """The 填报说明, as (heading, paragraph) pairs; a heading "" continues the section above."""
    spec = b.spec
    tables = "、".join(f"“{table_sheet(t)}”" for t in spec.tables)
    note = next((lb.text for t in spec.tables for lb in t.labels if lb.role == "note"), "")
    kinds = {f.kind for f in spec.fields.values() if f.is_input}
    numbers = "件数、项目数填写不小于 0 的整数"
    signed = dict.fromkeys(f.col_labels[-1] for f in spec.fields.values() if f.is_input and f.kind is Kind.SIGNED)
    if signed:
        numbers += "；" + "、".join(f"“{text}”" for text in signed) + "可以为负数（减少时填负数）"
    if Kind.AMOUNT in kinds:
        numbers += f"；金额按表头所示单位填写，最多保留 {AMOUNT_PLACES} 位小数"
    year = str(b.report.year) if b.lock_year else "报告"
    bal = next(e for e in spec.equations if e.rule == "R-BALANCE")
    fill_in = next(c for c in bal.cells if spec.fields[c].is_input)
    this_id, prev_id = spec.carried[0]

    def plus(ids: tuple[str, ...]) -> str:
        return "加".join(f"“{spec.fields[c].row_text}”" for c in ids)

    return [
        ("一、本工作簿", f"本工作簿按《{spec.title}》（{spec.document}）制作，用于填报{year}年度政府信息公开工作年度报告的数据和正文。"
         f"统计期限为报告年度1月1日至12月31日，表二数据的核定时间点为12月31日。"),
        ("二、填写步骤", f"1. 在“{INFO_SHEET}”表核对或填写机关全称、落款机关、落款日期等。"),
        ("", f"2. 在{tables}的黄色单元格填写数字。灰色的合计、总计单元格由公式自动计算，不能也不需要填写。"),
        ("", f"3. 在“{NARRATIVE_SHEET}”表逐节填写正文，右侧列出了每节应写的内容；最右一列是按表格数字自动起草的统计段落，随填随变，"
         "可复制后用“选择性粘贴—数值”粘到正文中（这一列只供参考，不打印）。"),
        ("", f"4. 查看“{CHECKS_SHEET}”表，确保没有 ✘ 和“未填完”；如有“核实”类问题确属实际情况，在“{EXPLAIN_SHEET}”表填写说明。"),
        ("三、0 与空白", "没有发生的事项请填 0。空白表示“未填写”，不等于 0，检查时会逐项提示。不要填写“/”“—”“无”等符号，也不要在数字后加“件”“元”等单位。"),
        ("", "零报告：" + "；".join(
            f"确属“{d.statement}”的，在“{INFO_SHEET}”表该项选“是”，{spec.table(d.table).name}留空即按 0 计（表中填写的数字须全为 0）"
            for d in spec.declarations) + "。其他表格和未作声明时，空白仍为未填写。"),
        ("四、数字要求", numbers + "。"),
        ("五、勾稽关系", f"表三每一列：{note.strip('（）')}；即{plus(bal.rhs)}，等于{plus(bal.lhs)}。"
         f"合计和总计由公式计算，“{spec.fields[fill_in].row_text}”需要填写。"
         f"此外，本年“{spec.fields[this_id].row_text}”应与上年报告的“{spec.fields[prev_id].row_text}”一致。"),
        ("六、核实与说明", f"检查结果分为“强制”“核实”“提示”三类。“强制”类问题必须改正；“核实”类问题如确属实际情况，可在“{EXPLAIN_SHEET}”表A列填写问题编号（规则编号.范围，"
         f"如 {example_key(spec)}），B列写明原因（不少于{MIN_EXPLANATION}个字）；“提示”类仅供参考。"),
        ("七、报送时间", "县级以上人民政府部门应在每年1月31日前向本级政府信息公开工作主管部门提交上一年度年度报告并向社会公布；"
         "县级政府信息公开工作主管部门汇总后于2月20日前、地市级于3月10日前、省级于3月31日前向上一级提交并向社会公布。具体时间以本地通知为准。"),
        ("八、注意事项", "工作表已加保护（无密码），只为防止误改表格结构和单元格格式，请勿撤销保护、增删行列或改动工作表名称；"
         "行高、列宽可以调整（正文较长时可拉高该行）。不要改动单元格的数字格式：格式会改变显示的数值，检查时显示与保存不一致的单元格不予读取。"
         f"复制数据时请使用“选择性粘贴—数值”：直接粘贴可能绕过数值检查，“{CHECKS_SHEET}”表会列出不是数字、负数或小数的单元格个数。"
         "可以使用 Excel、WPS 表格或 LibreOffice 填写，保存为 .xlsx 格式报送。"),
    ]


def write_guide(b: Build) -> None:
    ws = b.wb.add_worksheet(GUIDE_SHEET)
    st = b.st
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 100)
    ws.merge_range(0, 0, 0, 1, "填报说明", st.title)
    ws.set_row(0, 28)
    row = 1
    for heading, text in guide_lines(b):
        ws.write_string(row, 0, heading, st.guide_head)
        ws.write_string(row, 1, text, st.guide)
        ws.set_row(row, max(20, 15 * (len(text) // 58 + 1) + 4))
        row += 1
    _protect_print(ws, row - 1, 1, landscape=True)

"""The live 校验 sheet, recomputed as the filer types: one line per 勾稽 equation (both sums, the difference, ✔/✘),
the count of blank inputs, and validity lines (every input a number, not negative, whole where it counts, the
amounts' places, the 落款日期 after the report year), so that 全部通过 shows only when `gkxl check` of the saved
file finds nothing 强制 in the tables and 基本信息: data validation stops a typed −1, 1.5 or 5件, not a pasted one.

The formulas use COUNT, COUNTA, COUNTIF, SUMPRODUCT, INT, ROUND, ISNUMBER and DATE only: Excel, WPS and
LibreOffice compute them alike. A line that cannot be evaluated while a table holds text shows "—" (its
"不是数字" line is then ✘).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..formats import AMOUNT_PLACES, NO, YES, Equation, Format, Kind
from ..formats.layout import CHECKS_FIRST_ROW, CHECKS_SHEET, INFO_SHEET, a1, declaration_address, field_address, info_address
from ..rules.catalogue import RULES
from ..values import MAX_DIGITS, parse_value
from .cells import leaves, refs, sum_formula
from .context import Build

PASS, FAIL, OPEN, SKIP = "✔", "✘", "未填完", "—"
HEADERS = ("编号（填写说明时复制此编号）", "检查项", "检查内容", "左边合计", "右边合计", "差额", "结果")
WIDTHS = (36, 20, 52, 9, 9, 9, 7)
COL_LEFT, COL_RIGHT, COL_DIFF, COL_STATUS = 3, 4, 5, 6
LIMIT = 10**MAX_DIGITS  # a number of more digits cannot be held exactly (R-VALUE)


def _height(text: str) -> float:
    """Row height (points) for a wrapped description: a CJK character takes two of the column's width units."""
    units = sum(2 if ord(ch) > 0x2000 else 1 for ch in text)
    return 15.0 * -(-units // (WIDTHS[2] - 4)) + 4


def ordered_equations(spec: Format) -> list[Equation]:
    """The official 勾稽关系 (R-BALANCE) first, then the other equations in the format's order."""
    return [e for e in spec.equations if e.rule == "R-BALANCE"] + [e for e in spec.equations if e.rule != "R-BALANCE"]


def scope_words(spec: Format, eq: Equation) -> str:
    """Where an equation applies, in the official words: a column ("自然人") or a row ("（七）总计")."""
    fix = spec.fields[eq.fix]
    return fix.col_labels[-1] if RULES[eq.rule].scope == "column" else fix.row_text


def describe(spec: Format, eq: Equation) -> str:
    """In words: the rule, where it applies, and which cells must add up, e.g. "复议诉讼合计（行政复议）：总计 ＝ 结果维持＋…"."""
    by_column = RULES[eq.rule].scope == "column"
    fix = spec.fields[eq.fix]
    where = fix.col_labels[-1] if by_column else fix.row_text

    def name(cid: str) -> str:
        fld = spec.fields[cid]
        return fld.row_text if by_column else fld.col_labels[-1]

    def side(ids: tuple[str, ...]) -> str:
        if len(ids) <= 4:
            return "＋".join(name(i) for i in ids)
        return f"{name(ids[0])}至{name(ids[-1])}共{len(ids)}项之和"

    return f"{RULES[eq.rule].title}（{where}）：{side(eq.lhs)} ＝ {side(eq.rhs)}"


def expected_lines(spec: Format, shown: dict, inputs: dict, declared: frozenset[str] = frozenset()) -> list[tuple[object, object, object, str]]:
    """(left, right, difference, status) of every equation line, as the sheet computes them. declared: the 零报告
    declarations made (the blanks of their tables read as 0, so an equation on them is complete)."""
    out = []
    read_as_zero = {c for d in declared for c in spec.declared_inputs[d]}
    for eq in ordered_equations(spec):
        left = sum((shown[c] for c in eq.lhs), 0)
        right = sum((shown[c] for c in eq.rhs), 0)
        complete = all(c in inputs or c in read_as_zero for c in leaves(spec, eq.cells))
        out.append((left, right, left - right, (PASS if left == right else FAIL) if complete else OPEN))
    return out


@dataclass(frozen=True)
class Line:
    """A validity line: its key, what it checks (in words), the formula counting offending cells, the cached count."""

    key: str
    item: str | tuple[str, str]  # a text, or (formula without "=", its cached text)
    text: str
    formula: str  # without "="; a number, or SKIP while it cannot be evaluated
    cached: int | str


def _cells(spec: Format, ids) -> list[str]:
    return refs((field_address(spec, c) for c in ids), CHECKS_SHEET)


def _countif(ranges: list[str], criterion: str) -> str:
    return "+".join(f'COUNTIF({r},"{criterion}")' for r in ranges) or "0"


def _sumproduct(ranges: list[str], test: str) -> str:
    """SUMPRODUCT(--(test)) per range, `test` with {r} for the range: how many of its cells fail it."""
    return "+".join(f"SUMPRODUCT(--({test.format(r=r)}))" for r in ranges) or "0"


def validity_lines(b: Build) -> list[Line]:
    """Per table: cells not numbers, negative or too large, fractions in counts, amounts of too many places;
    then 基本信息: the 信息处理费, the year of the format, and the 落款日期 after the report year."""
    spec = b.spec
    out: list[Line] = []
    places = Decimal(1).scaleb(-AMOUNT_PLACES)
    for table in spec.tables:
        ids = [f.id for f in table.fields if f.is_input]
        by_kind = {k: [c for c in ids if spec.fields[c].kind is k] for k in Kind}
        every = _cells(spec, ids)
        values = {c: b.inputs[c] for c in ids if c in b.inputs}
        text = f"COUNTA({','.join(every)})-COUNT({','.join(every)})"
        name = table.name
        out.append(Line("R-VALUE", f"{name}：不是数字", f"{RULES['R-VALUE'].title}：{name}输入单元格中不是数字的内容（文字、单位、符号）的个数，应为 0。"
                        "粘贴的内容不经过输入检查，请只填写数字。", text, 0))
        nonneg = _cells(spec, by_kind[Kind.COUNT] + by_kind[Kind.AMOUNT])
        signed = _cells(spec, by_kind[Kind.SIGNED])
        big = f"{_countif(nonneg, '<0')}+{_countif(every, f'>={LIMIT}')}" + (f"+{_countif(signed, f'<=-{LIMIT}')}" if signed else "")
        bad = sum(1 for c, v in values.items() if abs(v) >= LIMIT or (v < 0 and spec.fields[c].kind is not Kind.SIGNED))
        out.append(Line("R-VALUE", f"{name}：负数或过大", f"{RULES['R-VALUE'].title}：{name}中负数（件数、金额不能为负），或超过{MAX_DIGITS}位数字的个数，应为 0。", big, bad))
        whole = by_kind[Kind.COUNT] + by_kind[Kind.SIGNED]
        guard = f"IF({text}>0,\"{SKIP}\","
        if whole:
            frac = _sumproduct(_cells(spec, whole), "{r}<>INT({r})")
            bad = sum(1 for c in whole if c in values and values[c] != int(values[c]))
            out.append(Line("R-VALUE", f"{name}：小数", f"{RULES['R-VALUE'].title}：{name}中应为整数的件数、项数带小数的个数，应为 0。", guard + frac + ")", bad))
        if by_kind[Kind.AMOUNT]:
            amount = _sumproduct(_cells(spec, by_kind[Kind.AMOUNT]), f"{{r}}<>ROUND({{r}},{AMOUNT_PLACES})")
            bad = sum(1 for c in by_kind[Kind.AMOUNT] if c in values and Decimal(values[c]) != Decimal(values[c]).quantize(places))
            out.append(Line("R-VALUE", f"{name}：金额小数位数", f"{RULES['R-VALUE'].title}：{name}中金额超过{AMOUNT_PLACES}位小数的个数，应为 0。", guard + amount + ")", bad))
    out.extend(_info_lines(b))
    return out


def declared_test(spec: Format, key: str) -> str:
    """The formula test "this 零报告 declaration is made" (its 基本信息 cell holds 是)."""
    return f'TRIM(\'{INFO_SHEET}\'!{declaration_address(spec, key).a1})="{YES}"'


def covering(spec: Format, cells) -> str | None:
    """The declaration whose table holds all these cells (their blanks read as 0 where it is made), or None."""
    return next((d.key for d in spec.declarations if set(cells) <= set(spec.declared_inputs[d.key])), None)


def declaration_lines(b: Build) -> list[Line]:
    """Per 零报告 declaration: 0 where it is not made (否 or blank); where it is (是), the number of cells of its
    table holding a number other than 0 (R-DECLARATION); 1 where the cell holds anything but 是, 否 or blank."""
    spec = b.spec
    out = []
    for d in spec.declarations:
        name = spec.table(d.table).name
        ranges = _cells(spec, spec.declared_inputs[d.key])
        cell = f"'{INFO_SHEET}'!{declaration_address(spec, d.key).a1}"
        nonzero = f"{_countif(ranges, '>0')}+{_countif(ranges, '<0')}"
        formula = f'IF(OR(ISBLANK({cell}),TRIM({cell})="{NO}"),0,IF(TRIM({cell})="{YES}",{nonzero},1))'
        declared = d.key in b.report.declared
        cached = sum(1 for c in spec.declared_inputs[d.key] if b.inputs.get(c, 0) != 0) if declared else 0
        item = (f'IF(TRIM({cell})="{YES}","{name}：已声明零报告，空白按 0 计","{name}：未声明零报告")',
                f"{name}：已声明零报告，空白按 0 计" if declared else f"{name}：未声明零报告")
        text = (f"{RULES['R-DECLARATION'].title}：“{INFO_SHEET}”表声明“{d.statement}”为“{YES}”时，{name}空白的单元格按 0 计，"
                f"不必逐格填 0；左边为{name}中不为 0 的数字个数，应为 0（声明只能填“{YES}”“{NO}”或留空）。")
        out.append(Line(f"R-DECLARATION.{d.key}", item, text, formula, cached))
    return out


def _info_lines(b: Build) -> list[Line]:
    """基本信息: the fee in 元 (a number, not negative, at most AMOUNT_PLACES places), the year, the 落款日期."""
    from .forms import format_years

    fee, year, day = (f"'{INFO_SHEET}'!" + info_address(k).a1 for k in ("fee_yuan", "year", "issued_on"))
    meta = b.report.meta
    fee_ok = not meta.get("fee_yuan") or parse_value(Kind.AMOUNT, meta["fee_yuan"]).ok
    first, last = format_years(b.spec.id)
    # A year not typed yet (a blank template) leaves its line and the date's open ("—"): 尚未填完, not 无效.
    cached_year: int | str = int(not first <= b.report.year <= last) if b.lock_year else SKIP
    cached_day: int | str = 0
    if meta.get("issued_on") and b.lock_year:
        cached_day = int(dt.date.fromisoformat(meta["issued_on"]) <= dt.date(b.report.year, 12, 31))
    elif meta.get("issued_on"):
        cached_day = SKIP
    return [
        Line("R-VALUE.fee_yuan", "基本信息：信息处理费", f"{RULES['R-VALUE'].title}：信息处理费（元）应为不小于 0 的数字，最多{AMOUNT_PLACES}位小数（未收取填 0）；"
             "左边为不符合的个数。",
             f"IF(ISBLANK({fee}),0,IF(ISNUMBER({fee}),IF(AND({fee}>=0,{fee}<{LIMIT},ROUND({fee},{AMOUNT_PLACES})={fee}),0,1),1))", int(not fee_ok)),
        Line("R-IDENTITY.format", "基本信息：年度", f"{RULES['R-IDENTITY'].title}：年度应为本模板格式适用的{first}—{last}年度（{b.spec.document}）；"
             "左边为不符合的个数。",
             f'IF(ISBLANK({year}),"{SKIP}",IF(AND(ISNUMBER({year}),{year}>={first},{year}<={last}),IF({year}=INT({year}),0,1),1))', cached_year),
        Line("R-DATE.issued_on", "基本信息：落款日期", f"{RULES['R-DATE'].title}：落款日期应在报告年度之后（次年年初），不能在报告年度之内或之前；"
             "左边为不符合的个数。",
             f'IF(ISBLANK({day}),0,IF(ISBLANK({year}),"{SKIP}",IF(AND(ISNUMBER({day}),ISNUMBER({year})),IF({day}>DATE({year},12,31),0,1),1)))', cached_day),
    ]


def write_checks(b: Build) -> None:
    ws = b.wb.add_worksheet(CHECKS_SHEET)
    st, spec = b.st, b.spec
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    equations = ordered_equations(spec)
    valid = validity_lines(b)
    decl = declaration_lines(b)
    first = CHECKS_FIRST_ROW
    blank_row = first + len(equations)  # the blank-count line, after the equations
    valid_last = blank_row + len(valid)
    last = valid_last + len(decl)  # the 零报告 lines last
    eq_range = f"{a1(first, COL_STATUS)}:{a1(blank_row - 1, COL_STATUS)}"
    valid_range = f"{a1(blank_row + 1, COL_STATUS)}:{a1(valid_last, COL_STATUS)}"
    decl_range = f"{a1(valid_last + 1, COL_STATUS)}:{a1(last, COL_STATUS)}" if decl else ""
    status_range = f"{a1(first, COL_STATUS)}:{a1(last, COL_STATUS)}"
    n_lines = last - first + 1

    ws.merge_range(0, 0, 0, COL_DIFF, "校验：随填随算。✘ 表示两边不相等或数值无效，请在报送前改正；“未填完”表示相关单元格还有空白。"
                   "A 列为问题编号，在“说明”表说明“核实”类问题时复制使用。", st.title)
    lines = expected_lines(spec, b.shown, b.inputs, b.report.declared)
    n_fail = sum(1 for *_, s in lines if s == FAIL)
    n_open = sum(1 for *_, s in lines if s == OPEN)
    n_invalid = sum(1 for line in valid if line.cached not in (0, SKIP))
    n_skip = sum(1 for line in valid if line.cached == SKIP)
    n_contradicted = sum(1 for line in decl if line.cached != 0)
    contradicted = (f'IF(COUNTIF({decl_range},"{FAIL}")>0,"有"&COUNTIF({decl_range},"{FAIL}")&"项与零报告声明矛盾",', ")") if decl else ("", "")
    summary = (
        f'=IF(COUNTIF({valid_range},"{FAIL}")>0,"有"&COUNTIF({valid_range},"{FAIL}")&"项数值无效",{contradicted[0]}'
        f'IF(COUNTIF({eq_range},"{FAIL}")>0,"有"&COUNTIF({eq_range},"{FAIL}")&"项不平衡",'
        f'IF(COUNTIF({status_range},"{PASS}")={n_lines},"全部通过","尚未填完"))){contradicted[1]}'
    )
    zeros = b.report.declared_zeros()
    missing_cached = len(spec.inputs) - sum(1 for c in spec.inputs if c in b.inputs or c in zeros)
    if n_invalid:
        cached = f"有{n_invalid}项数值无效"
    elif n_contradicted:
        cached = f"有{n_contradicted}项与零报告声明矛盾"
    elif n_fail:
        cached = f"有{n_fail}项不平衡"
    else:
        cached = "尚未填完" if n_open or missing_cached or n_skip else "全部通过"
    ws.write_formula(0, COL_STATUS, summary, st.check_status, cached)
    ws.set_row(0, 48)
    for col, text in enumerate(HEADERS):
        ws.write_string(1, col, text, st.column_header)
    ws.set_row(1, 30)

    for i, (eq, (left, right, diff, status)) in enumerate(zip(equations, lines)):
        row = first + i
        leaf = leaves(spec, eq.cells)
        ws.write_string(row, 0, f"{eq.rule}.{eq.scope}", st.check_key)
        ws.write_string(row, 1, scope_words(spec, eq), st.check_text)
        text = describe(spec, eq)
        ws.write_string(row, 2, text, st.check_text)
        ws.set_row(row, _height(text))
        ws.write_formula(row, COL_LEFT, "=" + sum_formula(spec, eq.lhs, CHECKS_SHEET), st.number, left)
        ws.write_formula(row, COL_RIGHT, "=" + sum_formula(spec, eq.rhs, CHECKS_SHEET), st.number, right)
        ws.write_formula(row, COL_DIFF, f"={a1(row, COL_LEFT)}-{a1(row, COL_RIGHT)}", st.number, diff)
        count = "COUNT(" + ",".join(refs((field_address(spec, c) for c in leaf), CHECKS_SHEET)) + ")"
        unfilled = f"{count}<{len(leaf)}"
        key = covering(spec, leaf)
        if key:  # declared 是: its table's blanks read as 0, the line is complete
            unfilled = f"AND({unfilled},NOT({declared_test(spec, key)}))"
        ws.write_formula(
            row, COL_STATUS,
            f'=IF({unfilled},"{OPEN}",IF({a1(row, COL_DIFF)}=0,"{PASS}","{FAIL}"))', st.check_status, status,
        )

    # The blank-count line: how many input cells hold no number yet (a blank is not 0).
    filled = len(spec.inputs) - missing_cached
    ws.write_string(blank_row, 0, "R-MISSING", st.check_key)
    ws.write_string(blank_row, 1, "全部输入单元格", st.check_text)
    ws.set_row(blank_row, 44)
    ws.write_string(blank_row, 2, f"{RULES['R-MISSING'].title}：左边为已填数字的输入单元格个数，右边为应填个数，差额为尚未填写（或不是数字）的个数。没有发生请填 0。"
                    f"“{INFO_SHEET}”表声明零报告的表格，空白按 0 计入左边。", st.check_text)
    count_all = "COUNT(" + ",".join(refs((field_address(spec, c) for c in spec.inputs), CHECKS_SHEET)) + ")"
    for d in spec.declarations:  # a declared table's blanks count as filled (read as 0)
        ids = spec.declared_inputs[d.key]
        table_count = "COUNT(" + ",".join(refs((field_address(spec, c) for c in ids), CHECKS_SHEET)) + ")"
        count_all += f"+IF({declared_test(spec, d.key)},{len(ids)}-{table_count},0)"
    ws.write_formula(blank_row, COL_LEFT, "=" + count_all, st.number, filled)
    ws.write_number(blank_row, COL_RIGHT, len(spec.inputs), st.number)
    ws.write_formula(blank_row, COL_DIFF, f"={a1(blank_row, COL_RIGHT)}-{a1(blank_row, COL_LEFT)}", st.number, missing_cached)
    status = PASS if not missing_cached else OPEN
    ws.write_formula(blank_row, COL_STATUS, f'=IF({a1(blank_row, COL_DIFF)}=0,"{PASS}","{OPEN}")', st.check_status, status)

    # Validity lines, then the 零报告 lines: left the number of offending cells, right 0.
    for i, line in enumerate(valid + decl):
        row = blank_row + 1 + i
        ws.write_string(row, 0, line.key, st.check_key)
        if isinstance(line.item, tuple):
            ws.write_formula(row, 1, "=" + line.item[0], st.check_text, line.item[1])
        else:
            ws.write_string(row, 1, line.item, st.check_text)
        ws.write_string(row, 2, line.text, st.check_text)
        ws.set_row(row, _height(line.text))
        left, right = a1(row, COL_LEFT), a1(row, COL_RIGHT)
        ws.write_formula(row, COL_LEFT, "=" + line.formula, st.number, line.cached)
        ws.write_number(row, COL_RIGHT, 0, st.number)
        ws.write_formula(row, COL_DIFF, f'=IF(ISNUMBER({left}),{left}-{right},"{SKIP}")', st.number, line.cached)  # = left
        ws.write_formula(
            row, COL_STATUS, f'=IF(ISNUMBER({left}),IF({left}={right},"{PASS}","{FAIL}"),"{SKIP}")', st.check_status,
            SKIP if line.cached == SKIP else (PASS if line.cached == 0 else FAIL),
        )

    for value, fmt in ((PASS, st.ok), (FAIL, st.bad), (OPEN, st.open)):
        ws.conditional_format(status_range, {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": fmt})
    top = a1(0, COL_STATUS)
    ws.conditional_format(top, {"type": "cell", "criteria": "==", "value": '"全部通过"', "format": st.ok})
    ws.conditional_format(top, {"type": "text", "criteria": "containing", "value": "不平衡", "format": st.bad})
    ws.conditional_format(top, {"type": "text", "criteria": "containing", "value": "无效", "format": st.bad})
    ws.conditional_format(top, {"type": "cell", "criteria": "==", "value": '"尚未填完"', "format": st.open})

    ws.freeze_panes(CHECKS_FIRST_ROW, 0)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, CHECKS_FIRST_ROW - 1)
    ws.print_area(0, 0, last, COL_STATUS)
    ws.set_footer("&C第 &P 页，共 &N 页")

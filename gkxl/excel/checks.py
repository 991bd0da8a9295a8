"""The live 校验 sheet: one line per 勾稽 equation, with both sums, the difference and ✔/✘, recomputed as the filer types."""

from __future__ import annotations

from ..formats import Equation, Format
from ..formats.layout import CHECKS_FIRST_ROW, CHECKS_SHEET, a1, field_address
from ..rules.catalogue import RULES
from .cells import leaves, refs, sum_formula
from .context import Build

PASS, FAIL, OPEN = "✔", "✘", "未填完"
HEADERS = ("规则编号", "范围", "检查内容", "左边合计", "右边合计", "差额", "结果")
WIDTHS = (15, 25, 62, 9, 9, 9, 7)
COL_LEFT, COL_RIGHT, COL_DIFF, COL_STATUS = 3, 4, 5, 6


def _height(text: str) -> float:
    """Row height (points) for a wrapped description: a CJK character takes two of the column's width units."""
    units = sum(2 if ord(ch) > 0x2000 else 1 for ch in text)
    return 15.0 * -(-units // (WIDTHS[2] - 4)) + 4


def ordered_equations(spec: Format) -> list[Equation]:
    """The official 勾稽关系 (R-BALANCE) first, then the other equations in the format's order."""
    return [e for e in spec.equations if e.rule == "R-BALANCE"] + [e for e in spec.equations if e.rule != "R-BALANCE"]


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


def expected_lines(spec: Format, shown: dict, inputs: dict) -> list[tuple[object, object, object, str]]:
    """(left, right, difference, status) of every equation line, as the sheet computes them."""
    out = []
    for eq in ordered_equations(spec):
        left = sum((shown[c] for c in eq.lhs), 0)
        right = sum((shown[c] for c in eq.rhs), 0)
        complete = all(c in inputs for c in leaves(spec, eq.cells))
        out.append((left, right, left - right, (PASS if left == right else FAIL) if complete else OPEN))
    return out


def write_checks(b: Build) -> None:
    ws = b.wb.add_worksheet(CHECKS_SHEET)
    st, spec = b.st, b.spec
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    equations = ordered_equations(spec)
    first, last = CHECKS_FIRST_ROW, CHECKS_FIRST_ROW + len(equations)  # `last` is the blank-count line
    status_range = f"{a1(first, COL_STATUS)}:{a1(last, COL_STATUS)}"

    ws.merge_range(0, 0, 0, COL_DIFF, "勾稽关系校验：随填随算。✘ 表示两边不相等，请在报送前改正；“未填完”表示相关单元格还有空白。", st.title)
    lines = expected_lines(spec, b.shown, b.inputs)
    n_fail = sum(1 for *_, s in lines if s == FAIL)
    n_open = sum(1 for *_, s in lines if s == OPEN)
    summary = (
        f'=IF(COUNTIF({status_range},"{FAIL}")>0,"有"&COUNTIF({status_range},"{FAIL}")&"项不平衡",'
        f'IF(COUNTIF({status_range},"{OPEN}")>0,"尚未填完","全部通过"))'
    )
    missing_cached = len(spec.inputs) - sum(1 for c in spec.inputs if c in b.inputs)
    cached = f"有{n_fail}项不平衡" if n_fail else ("尚未填完" if n_open or missing_cached else "全部通过")
    ws.write_formula(0, COL_STATUS, summary, st.check_status, cached)
    ws.set_row(0, 36)
    for col, text in enumerate(HEADERS):
        ws.write_string(1, col, text, st.column_header)

    for i, (eq, (left, right, diff, status)) in enumerate(zip(equations, lines)):
        row = first + i
        leaf = leaves(spec, eq.cells)
        ws.write_string(row, 0, eq.rule, st.check_text)
        ws.write_string(row, 1, eq.scope, st.check_text)
        text = describe(spec, eq)
        ws.write_string(row, 2, text, st.check_text)
        ws.set_row(row, _height(text))
        ws.write_formula(row, COL_LEFT, "=" + sum_formula(spec, eq.lhs, CHECKS_SHEET), st.number, left)
        ws.write_formula(row, COL_RIGHT, "=" + sum_formula(spec, eq.rhs, CHECKS_SHEET), st.number, right)
        ws.write_formula(row, COL_DIFF, f"={a1(row, COL_LEFT)}-{a1(row, COL_RIGHT)}", st.number, diff)
        count = "COUNT(" + ",".join(refs((field_address(spec, c) for c in leaf), CHECKS_SHEET)) + ")"
        ws.write_formula(
            row, COL_STATUS,
            f'=IF({count}<{len(leaf)},"{OPEN}",IF({a1(row, COL_DIFF)}=0,"{PASS}","{FAIL}"))', st.check_status, status,
        )

    # The blank-count line: how many input cells hold no number yet (a blank is not 0).
    filled = len(spec.inputs) - missing_cached
    ws.write_string(last, 0, "R-MISSING", st.check_text)
    ws.write_string(last, 1, "全部输入单元格", st.check_text)
    ws.set_row(last, 44)
    ws.write_string(last, 2, f"{RULES['R-MISSING'].title}：左边为已填数字的输入单元格个数，右边为应填个数，差额为尚未填写（或不是数字）的个数。没有发生请填 0。", st.check_text)
    count_all = "COUNT(" + ",".join(refs((field_address(spec, c) for c in spec.inputs), CHECKS_SHEET)) + ")"
    ws.write_formula(last, COL_LEFT, "=" + count_all, st.number, filled)
    ws.write_number(last, COL_RIGHT, len(spec.inputs), st.number)
    ws.write_formula(last, COL_DIFF, f"={a1(last, COL_RIGHT)}-{a1(last, COL_LEFT)}", st.number, missing_cached)
    status = PASS if not missing_cached else OPEN
    ws.write_formula(last, COL_STATUS, f'=IF({a1(last, COL_DIFF)}=0,"{PASS}","{OPEN}")', st.check_status, status)

    for value, fmt in ((PASS, st.ok), (FAIL, st.bad), (OPEN, st.open)):
        ws.conditional_format(status_range, {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": fmt})
    top = a1(0, COL_STATUS)
    ws.conditional_format(top, {"type": "cell", "criteria": "==", "value": '"全部通过"', "format": st.ok})
    ws.conditional_format(top, {"type": "text", "criteria": "containing", "value": "不平衡", "format": st.bad})
    ws.conditional_format(top, {"type": "cell", "criteria": "==", "value": '"尚未填完"', "format": st.open})

    ws.freeze_panes(CHECKS_FIRST_ROW, 0)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, CHECKS_FIRST_ROW - 1)
    ws.print_area(0, 0, last, COL_STATUS)
    ws.set_footer("&C第 &P 页，共 &N 页")

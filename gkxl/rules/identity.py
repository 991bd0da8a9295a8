"""Rules on the report as a whole: its format against its year (R-IDENTITY.format) and its 落款日期 (R-DATE)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..findings import Finding, Severity
from ..formats import FIRST_YEAR, format_for_year, get_format
from ..model import issued_on_example
from .context import Context, make

# The latest 公布 date of the 条例 (第五十条): 省级 offices publish the 汇总 by 3月31日 of the next year; a unit's
# report signed later than that is late or carries a mistyped year.
LATEST_MONTH_DAY = (3, 31)


def report_format(ctx: Context) -> Iterator[Finding]:
    """R-IDENTITY.format: a report in a format its year does not use (2021 onward: 〔2021〕30号; 2019–2020: 〔2019〕60号)."""
    year = ctx.report.year
    if year < FIRST_YEAR:
        return
    right = format_for_year(year)
    if right.id == ctx.spec.id:
        return
    used = get_format(ctx.spec.id)
    yield make(
        "R-IDENTITY", "format", ctx.spec,
        note=f"{year}年度的报告应采用{right.document}的格式，本报告采用的是{used.document}的格式；"
        f"请改用{right.document}格式的模板（gkxl template --year {year}）重新填报",
    )


def issued_on(ctx: Context) -> Iterator[Finding]:
    """R-DATE.issued_on: the 落款日期 inside the report year or before it (强制), or after 3月31日 of the next (核实)."""
    raw = ctx.report.meta.get("issued_on")
    year = ctx.report.year
    if not raw or not year:
        return
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:  # the readers refuse such a date with an R-VALUE or an input error; nothing to compare
        return
    shown = f"{day.year}年{day.month}月{day.day}日"
    if day <= dt.date(year, 12, 31):
        where = "之内" if day.year == year else "之前"
        yield make(
            "R-DATE", "issued_on", ctx.spec,
            note=f"落款日期{shown}（{raw}）在报告年度{year}年{where}：{year}年度的报告应在{year + 1}年年初落款，"
            f"例如 {issued_on_example(year)}；请核对落款日期的年份",
        )
        return
    month, last_day = LATEST_MONTH_DAY
    latest = dt.date(year + 1, month, last_day)
    if day > latest:
        yield make(
            "R-DATE", "issued_on", ctx.spec, severity=Severity.VERIFY,
            note=f"落款日期{shown}（{raw}）晚于{year + 1}年{month}月{last_day}日：{year}年度的报告一般在{year + 1}年1月至3月落款，"
            f"请核对落款日期的年份；确属实际情况的，请在“说明”表写明原因",
        )

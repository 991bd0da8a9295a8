"""What every sheet writer of one workbook needs: the workbook, its formats, the format spec and the values to show."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter.workbook import Workbook

from ..formats import AMOUNT_PLACES, Format, Kind
from ..model import Report
from ..rules.pack import Pack
from ..values import KIND_NAMES
from .styles import Styles

PX_PER_MM = 96 / 25.4  # Excel measures columns in pixels at 96 dpi
PT_PER_MM = 72 / 25.4


@dataclass
class Build:
    wb: Workbook
    st: Styles
    spec: Format
    report: Report
    inputs: dict[str, int | Decimal]  # the input cells to prefill
    shown: dict[str, int | Decimal]  # every field as a spreadsheet shows it (cached formula results)
    lock_agency: bool
    lock_year: bool
    requirements: Pack | None = None  # a requirement pack (`template --requirements`): its items beside the 正文


# Data validation of a number cell, by kind: xlsxwriter options without the cell range. The title is at most 32
# characters and the messages at most 255 (xlsxwriter drops a longer one with a mere warning).
def number_validation(kind: Kind, first_cell: str, labels: tuple[str, ...] = ()) -> dict:
    """Validation options for a value of this kind; first_cell anchors a custom formula (relative reference).

    labels: the field's column labels; an amount says its unit where the header prints one (万元).
    """
    common = {"ignore_blank": True, "error_type": "stop", "error_title": "数值无效"}
    if kind is Kind.COUNT:
        return {
            **common, "validate": "integer", "criteria": ">=", "value": 0,
            "input_title": "填写数量（非负整数）",
            "input_message": "只填阿拉伯数字，如 0、5、120。没有发生请填 0，不要留空，不要填“/”“无”或单位。",
            "error_message": f"这里只能填写{KIND_NAMES[kind]}（0、1、2……），不能有小数、负数、文字或单位。没有发生请填 0。",
        }
    if kind is Kind.SIGNED:
        return {
            **common, "validate": "integer", "criteria": "between", "minimum": -999999999, "maximum": 999999999,
            "input_title": "填写增减数（整数）",
            "input_message": "比上一年增加填正数，减少填负数（如 -2），没有变化填 0。",
            "error_message": f"这里只能填写{KIND_NAMES[kind]}（减少时为负数），不能有小数、文字或单位。",
        }
    unit = "万元" if any("万元" in text for text in labels) else ""
    if unit:
        return amount_validation(first_cell, f"填写金额（{unit}）", f"以{unit}为单位，最多{AMOUNT_PLACES}位小数，如 151.598。没有发生请填 0，不要填写“{unit}”等单位。")
    return amount_validation(first_cell, "填写金额", f"按表头所示金额填写数字，最多{AMOUNT_PLACES}位小数。没有发生请填 0，不要填写“元”“万元”等单位。")


def amount_validation(first_cell: str, title: str, message: str) -> dict:
    # Excel has no "at most n decimals" rule: a custom formula compares the value with itself rounded.
    return {
        "validate": "custom",
        "value": f"=AND(ISNUMBER({first_cell}),{first_cell}>=0,ROUND({first_cell},{AMOUNT_PLACES})={first_cell})",
        "ignore_blank": True, "error_type": "stop", "error_title": "金额无效",
        "input_title": title, "input_message": message,
        "error_message": f"这里只能填写不小于 0 的数字，最多{AMOUNT_PLACES}位小数，不能有文字或单位。",
    }


def text_validation(title: str, message: str, **extra) -> dict:
    """An input message for a text cell (validate "any" allows any entry; it carries only the message)."""
    options = {"validate": "any", "input_title": title[:32], "input_message": message[:255]}
    options.update(extra)
    return options

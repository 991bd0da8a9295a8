"""Reading a cell value as staff type it: what is accepted, what is missing, what is refused (with its raw text).

Accepted normalisations (documented in README.md), and nothing else:
- full-width digits, minus sign and decimal point (５、－、．) are read as their ASCII forms;
- spaces (half- and full-width, non-breaking) anywhere in the text are ignored ("1 234" is read as 1234);
- digits grouped by commas in threes ("1,234") are read without the commas;
- a count written with a decimal point but no fraction ("5.0", as spreadsheets store whole numbers) is 5.

Everything else is never turned into a number: "5件", "约5", "1.5" in a count cell, a negative count, text,
a date or a formula, and a number of more than 15 significant digits (a spreadsheet keeps no more: it would
silently become another number). Blank, "/", "—", "-", "无" and similar are *missing*: not zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .formats import AMOUNT_PLACES, Kind

# Full-width forms as Chinese input methods type them; also used for years and dates in the workbook reader.
FULLWIDTH = str.maketrans("０１２３４５６７８９－．，＋／", "0123456789-.,+/")
MAX_DIGITS = 15  # what a spreadsheet cell (an IEEE double, Excel's 15-digit precision) holds exactly
_SPACES = re.compile(r"[\s\u00a0\u3000\u2002\u2003\u2009\u200b]+")
PLACEHOLDERS = frozenset({"", "/", "／", "\\", "—", "——", "-", "--", "－", "–", "无", "空", "暂无", "N/A", "n/a", "NA", "null", "None"})
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")

KIND_NAMES = {Kind.COUNT: "非负整数", Kind.SIGNED: "整数", Kind.AMOUNT: f"非负金额（至多{AMOUNT_PLACES}位小数）"}


@dataclass(frozen=True)
class Parsed:
    """The outcome of reading one value: a number, missing, or invalid with a reason."""

    value: int | Decimal | None
    missing: bool = False
    problem: str = ""  # non-empty: invalid; a short Chinese reason

    @property
    def ok(self) -> bool:
        return self.value is not None


def _decimal(text: str) -> Decimal | None:
    t = _SPACES.sub("", text.translate(FULLWIDTH))
    if _GROUPED.match(t):
        t = t.replace(",", "")
    if not _NUMBER.match(t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None


def digits(number: Decimal) -> int:
    """How many digits writing the number out in full takes, leading zeros and trailing fraction zeros not counted.

    1234.50 → 5, 0.0001 → 1, 1E+20 → 21 (a count is written out in full, so its zeros are kept).
    """
    _, ds, exp = number.as_tuple()
    n = len(ds)
    while n > 1 and ds[n - 1] == 0:
        n -= 1
        exp += 1
    return n + max(int(exp), 0)


def parse_value(kind: Kind, raw: object) -> Parsed:
    """Read raw (None, int, Decimal or text) as a value of this kind. Floats are refused: pass text or Decimal.

    Never raises: whatever raw is, the outcome is a value, missing, or a problem.
    """
    try:
        return _parse(kind, raw)
    except (ArithmeticError, ValueError):  # pragma: no cover - a last guard: InvalidOperation, Overflow …
        return Parsed(None, problem=TOO_LARGE)


TOO_LARGE = f"数值过大（超过{MAX_DIGITS}位有效数字，电子表格无法精确保存）"


def _parse(kind: Kind, raw: object) -> Parsed:
    if raw is None:
        return Parsed(None, missing=True)
    if isinstance(raw, bool) or isinstance(raw, float):
        return Parsed(None, problem="不是数字")
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, str):
        text = _SPACES.sub("", raw)
        if text in PLACEHOLDERS:
            return Parsed(None, missing=True)
        number = _decimal(raw)
        if number is None:
            if re.search(r"\d", text):
                return Parsed(None, problem="含有数字以外的文字或单位，请只填写数字")
            return Parsed(None, problem="不是数字")
    else:
        return Parsed(None, problem="不是数字")
    if not number.is_finite():
        return Parsed(None, problem="不是数字")
    if digits(number) > MAX_DIGITS:
        return Parsed(None, problem=TOO_LARGE)
    if kind is Kind.AMOUNT:
        if number < 0:
            return Parsed(None, problem="金额不能为负数")
        if number.as_tuple().exponent < -AMOUNT_PLACES and number != number.quantize(Decimal(1).scaleb(-AMOUNT_PLACES)):
            return Parsed(None, problem=f"小数位数超过{AMOUNT_PLACES}位")
        return Parsed(number)
    if number != number.to_integral_value():
        return Parsed(None, problem="应为整数，不能有小数")
    if kind is Kind.COUNT and number < 0:
        return Parsed(None, problem="不能为负数")
    return Parsed(int(number))


def format_number(value: int | Decimal | None) -> str:
    """A value as it is written in messages and reports: 0 as 0, decimals as filed (no float noise)."""
    if value is None:
        return "（空）"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)

"""Excel number formats and serial dates: which formats show a date, and the date a serial number shows."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

# Built-in number formats that show a date or time: 14-22 and 45-47 everywhere, 27-36 and 50-58 in the
# East Asian locales (Chinese Excel and WPS write e.g. 31 = yyyy"年"m"月"d"日" without declaring it).
DATE_FORMAT_IDS = frozenset(range(14, 23)) | frozenset(range(27, 37)) | frozenset(range(45, 48)) | frozenset(range(50, 59))
# What a format code may hold that is no date token: quoted text, [colours]/[$-804]/[h], escapes, _x spacing, *x fill.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def excel_date(serial: Decimal | int | str, date1904: bool = False) -> dt.datetime:
    """The date and time an Excel serial number shows (1900 system with its phantom 29 Feb 1900, or 1904)."""
    value = Decimal(str(serial))
    if date1904:
        base = dt.datetime(1904, 1, 1)
    elif value < 61:
        base = dt.datetime(1899, 12, 31)  # serials before Excel's phantom 1900-02-29
    else:
        base = dt.datetime(1899, 12, 30)
    days = int(value // 1)
    seconds = int(((value - days) * 86400).to_integral_value())
    return base + dt.timedelta(days=days, seconds=seconds)


def is_date_format(code: str) -> bool:
    """A custom number format that shows a date or time: y, m, d, h or s outside quotes, brackets and escapes."""
    stripped = _FORMAT_NOISE.sub("", code).lower()
    if stripped in ("general", ""):
        return False
    return bool(re.search(r"[ymdhs]", stripped.replace("general", "")))

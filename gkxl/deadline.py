"""The submission deadline of a round (`--deadline DATE`): one rule for the CLI's collect and the web app.

A deadline is a calendar date and includes that whole day: a file submitted at 23:59 on the deadline is on time,
one submitted at 00:00 the next day is 逾期. Times are local wall-clock times (naive datetimes), as an office reads them.
"""

from __future__ import annotations

import datetime as dt

LATE = "逾期"


def parse_deadline(text: str) -> dt.date:
    """A deadline as typed: 2026-01-26, 2026/1/26 or 2026年1月26日. ValueError with a Chinese message otherwise."""
    raw = text.strip()
    for sep in ("-", "/", "."):
        raw = raw.replace(sep, "-")
    raw = raw.replace("年", "-").replace("月", "-").replace("日", "")
    try:
        y, m, d = (int(x) for x in raw.split("-"))
        return dt.date(y, m, d)
    except (ValueError, TypeError):
        raise ValueError(f"截止日期“{text[:50]}”无法识别，请写成 2026-01-26 的形式") from None


def is_late(submitted: dt.datetime, deadline: dt.date | None) -> bool:
    """True when a submission came after the deadline day (no deadline: never late)."""
    return deadline is not None and submitted.date() > deadline


def on_time_rate(submitted: list[dt.datetime | None], deadline: dt.date | None) -> tuple[int, int]:
    """(units that submitted on time, units in the round); a unit with no submission is not on time."""
    on_time = sum(1 for t in submitted if t is not None and not is_late(t, deadline))
    return on_time, len(submitted)

"""The official formats, declared once as data: every label, layout, cell id, total and 勾稽 equation.

Everything else in gkxl (workbook writer and reader, checks, Word writer, importers) derives from here.
"""

from __future__ import annotations

from .common import DECLARATIONS, HEADINGS, METADATA, SECTION_PART, TITLE_SUFFIX
from .schema import AMOUNT_PLACES, NO, YES, Declaration, Equation, Field, Format, Kind, Label, Metadata, Section, Table

FORMAT_IDS = ("2021", "2019")
FIRST_YEAR = 2019  # the first report year of the 条例 as revised in 2019, and of the trial format


def get_format(format_id: str) -> Format:
    """The format with this id ("2021" or "2019")."""
    if format_id == "2021":
        from .format_2021 import FORMAT
    elif format_id == "2019":
        from .format_2019 import FORMAT
    else:
        raise KeyError(format_id)
    return FORMAT


def format_for_year(year: int) -> Format:
    """The format a report on this year uses: 2019 and 2020 the trial format, later years the 2021 format."""
    if year < FIRST_YEAR:
        raise ValueError(year)
    return get_format("2019" if year <= 2020 else "2021")


def all_formats() -> tuple[Format, ...]:
    return tuple(get_format(f) for f in FORMAT_IDS)


__all__ = [
    "AMOUNT_PLACES", "NO", "YES", "Declaration", "DECLARATIONS", "Equation", "Field", "Format", "Kind", "Label", "Metadata", "Section", "Table",
    "HEADINGS", "METADATA", "SECTION_PART", "TITLE_SUFFIX", "FORMAT_IDS", "FIRST_YEAR",
    "get_format", "format_for_year", "all_formats",
]

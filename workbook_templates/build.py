"""Write the committed blank templates (空白模板_<格式>格式.xlsx), for an office that wants one without installing gkxl.

Run `python workbook_templates/build.py` after changing the workbook writer; tests/excel/test_writer.py fails
while the committed files differ from what the writer produces. They serve any year of their format: the
year is a blank input there (a template made by `gkxl template` has it prefilled and locked).
"""

from __future__ import annotations

from pathlib import Path

from gkxl.excel.forms import format_years
from gkxl.excel.writer import build_workbook
from gkxl.fsio import write_bytes
from gkxl.model import Report
from gkxl.formats import all_formats

HERE = Path(__file__).resolve().parent


def file_name(format_id: str) -> str:
    return f"空白模板_{format_id}格式.xlsx"


def blank_templates() -> dict[str, bytes]:
    """File name → bytes of the blank template of every format."""
    out = {}
    for spec in all_formats():
        report = Report(spec.id, format_years(spec.id)[0])
        out[file_name(spec.id)] = build_workbook(report, lock_agency=False, lock_year=False)
    return out


def main() -> None:
    for name, data in blank_templates().items():
        write_bytes(HERE / name, data, force=True)
        print(HERE / name)


if __name__ == "__main__":
    main()

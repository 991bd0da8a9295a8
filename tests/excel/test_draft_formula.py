"""The 正文 sheet's live draft: the formula LibreOffice recalculates gives exactly Python's draft, and both give the
text typed in tests/drafting_cases.py (zero, small and large reports, the 2019 format, an unfinished table)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from workbook_helpers import openpyxl_edit, write_workbook

from gkxl.drafting import MANAGEMENT, REQUESTS, section_drafts
from gkxl.excel.draft_formula import DRAFT_COL, section_formulas
from gkxl.formats import all_formats
from gkxl.formats import YES
from gkxl.formats.layout import NARRATIVE_SHEET, declaration_address, field_address, narrative_address
from gkxl.model import Report

import drafting_cases as cases

pytestmark = pytest.mark.render


def typed_in(report: Report, folder: Path, name: str) -> Path:
    """A template made by gkxl for the unit, then the numbers typed in by another program (no cached results)."""
    blank = write_workbook(Report(report.format, report.year, report.agency), folder / f"{name}-模板.xlsx")
    spec = report.spec

    def edit(wb):
        for cid, value in report.values.items():
            if spec.fields[cid].is_input:
                addr = field_address(spec, cid)
                wb[addr.sheet][addr.a1] = value
        for key in report.declared:  # 零报告: 是 chosen in 基本信息
            addr = declaration_address(spec, key)
            wb[addr.sheet][addr.a1] = YES

    return openpyxl_edit(blank, folder / f"{name}.xlsx", edit)


def recalculated(soffice: str, files: list[Path], outdir: Path) -> list[Path]:
    """The files as LibreOffice recalculates and saves them (one soffice run, its own profile)."""
    with tempfile.TemporaryDirectory(prefix="gkxl-lo-draft-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo", "--nodefault",
             "--nolockcheck", "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, files)],
            check=True, capture_output=True, timeout=300, env=dict(os.environ),
        )
    return [outdir / f.name for f in files]


def shown_drafts(path: Path, report: Report) -> dict[str, str]:
    import openpyxl

    ws = openpyxl.load_workbook(path, data_only=True)[NARRATIVE_SHEET]
    return {sid: ws.cell(narrative_address(report.spec, sid).row + 1, DRAFT_COL + 1).value for sid in (REQUESTS, MANAGEMENT)}


def test_formula_draft_equals_python_after_libreoffice(tmp_path, soffice, demo_report):
    reports = {
        "zero": cases.zero_report(),
        "small": demo_report,
        "large": cases.large_report(),
        "2019": cases.report_2019(),
        "unfinished": cases.unfinished_report(),
        "declared": cases.declared_report(),
    }
    files = [typed_in(r, tmp_path, name) for name, r in reports.items()]
    saved = recalculated(soffice, files, tmp_path / "lo")
    for (name, report), path in zip(reports.items(), saved):
        python = section_drafts(report)
        assert shown_drafts(path, report) == python, name
        assert python == cases.EXPECTED[name], name  # the text typed in the test, not only the two equal


def test_the_cached_result_is_the_python_draft(tmp_path, demo_report):
    """A file opened without recalculation (a viewer, a preview) shows the same text."""
    import openpyxl

    path = write_workbook(demo_report, tmp_path / "填好.xlsx")
    ws = openpyxl.load_workbook(path, data_only=True)[NARRATIVE_SHEET]
    row = narrative_address(demo_report.spec, REQUESTS).row + 1
    assert ws.cell(row, DRAFT_COL + 1).value == cases.EXPECTED["small"][REQUESTS]


@pytest.mark.parametrize("spec", all_formats(), ids=lambda s: s.id)
def test_formulas_use_only_portable_functions(spec):
    import re

    for formula in section_formulas(spec).values():
        used = set(re.findall(r"([A-Z]+)\(", formula))
        assert used <= {"IF", "SUM", "COUNT", "TEXT", "ROUND", "MID", "CHAR", "AND", "TRIM"}, used
        assert len(formula) < 8192  # Excel's limit on a formula's length
        strings = re.findall(r'"((?:[^"]|"")*)"', formula)
        assert max(len(s) for s in strings) <= 255  # Excel's limit on a string constant



def test_formula_draft_equals_python_on_random_reports(tmp_path, soffice):
    """Twelve random consistent reports of both formats (large counts, shares of every kind): one soffice run."""
    import random
    from decimal import Decimal

    from reports import balance, random_values

    from gkxl.formats import get_format

    rnd = random.Random(20261201)
    reports = {}
    for i in range(12):
        spec = get_format("2019" if i % 3 == 2 else "2021")
        top = rnd.choice([3, 50, 20000])
        values = random_values(
            spec, count=lambda: rnd.choice([0, rnd.randint(0, top)]), signed=lambda: rnd.randint(-5, 5),
            amount=lambda: Decimal(rnd.randint(0, 10**6)) / 100,
        )
        reports[f"random{i}"] = balance(Report(spec.id, 2020 if spec.id == "2019" else 2023, f"随机测试局{i}", values))
    files = [typed_in(r, tmp_path, name) for name, r in reports.items()]
    saved = recalculated(soffice, files, tmp_path / "lo")
    for (name, report), path in zip(reports.items(), saved):
        assert shown_drafts(path, report) == section_drafts(report), name

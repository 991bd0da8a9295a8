"""The 正文 sheet's live checks: column E counts each section as R-LENGTH counts it, column F shows 一's total against
一千字 and a pack's items with ✔/✘. The cached results gkxl writes equal the Python rule; LibreOffice, recalculating
after text is typed in by another program, gives the same counts and the same ✔/✘ (1 000 and 1 001 characters)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from workbook_helpers import cli, openpyxl_edit

from gkxl.excel.narrative_checks import CHECK_COL, COUNT_COL
from gkxl.excel.writer import build_workbook
from gkxl.formats.layout import NARRATIVE_SHEET, narrative_address
from gkxl.model import Report
from gkxl.packs import load_pack
from gkxl.rules.length import section_count
from gkxl.rules.requirements import evaluate

TYPED = {
    "overview.active": "（一）主动公开\n全年在政府门户网站公开信息1 234条，通过政务新媒体发布信息567条，在政府公报刊登文件12件，"
                       "发布政策解读20篇，回应社会关切15次；重点领域信息公开及时。APP ２０２４ 二〇",
    "overview.management": "本年印发行政规范性文件3件，废止1件。",
    "overview.platforms": "建成专区，编发政府公报12期，上线数字公报。",
}


def shown(path: Path, spec) -> dict[str, tuple[object, object]]:
    import openpyxl

    ws = openpyxl.load_workbook(path, data_only=True)[NARRATIVE_SHEET]
    out = {}
    for s in spec.sections:
        row = narrative_address(spec, s.id).row + 1
        out[s.id] = (ws.cell(row, COUNT_COL + 1).value, ws.cell(row, CHECK_COL + 1).value)
    return out


def expected_lines(report: Report, pack) -> dict[str, list[str]]:
    """Section → the ✔/✘ marks of its items, by the Python rule."""
    out: dict[str, list[str]] = {}
    for item in pack.items:
        out.setdefault(item.sections[0], []).append("✔" if evaluate(report, item)[0] else "✘")
    return out


def marks(text: object) -> list[str]:
    return [line[0] for line in str(text or "").splitlines() if line[:1] in "✔✘"]


def test_cached_results_are_the_rules(demo_report, tmp_path: Path):
    pack = load_pack("武威2025")
    r = replace(demo_report, narrative={**demo_report.narrative, **TYPED})
    path = tmp_path / "t.xlsx"
    path.write_bytes(build_workbook(r, lock_agency=True, requirements=pack))
    got = shown(path, r.spec)
    for s in r.spec.sections:
        assert got[s.id][0] == section_count(r, s.id)
    total = sum(section_count(r, s) for s in ("overview.active", "overview.requests", "overview.management", "overview.platforms", "overview.oversight"))
    assert got["overview.active"][1].splitlines()[0] == f"一、总体情况合计 {total} 字（不超过一千字 ✔）"
    want = expected_lines(r, pack)
    for sid, lines in want.items():
        assert marks(got[sid][1])[-len(lines):] == lines
    assert "应写明规章、行政规范性文件制发、废止和现行有效情况（核实）" in got["overview.management"][1]


def test_template_command_lists_the_pack(tmp_path: Path):
    out = tmp_path / "模板.xlsx"
    result = cli("template", "--agency", "示例局", "--year", "2025", "--requirements", "武威2025", "-o", out)
    assert result.exit_code == 0, result.output
    got = shown(out, Report("2021", 2025).spec)
    assert got["overview.active"][0] == 0
    assert "✘ 应写明发布政策解读的数量（核实）" in got["overview.active"][1]
    assert "✘ 应写明数字公报建设情况（核实）" in got["overview.platforms"][1]
    plain = tmp_path / "无清单.xlsx"
    assert cli("template", "--agency", "示例局", "--year", "2025", "-o", plain).exit_code == 0
    assert shown(plain, Report("2021", 2025).spec)["overview.active"][1] == "一、总体情况合计 0 字（不超过一千字 ✔）"


@pytest.mark.render
def test_libreoffice_recalculates_as_the_rules(tmp_path: Path, soffice: str, demo_report):
    pack = load_pack("武威2025")
    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(build_workbook(Report("2021", 2025, "示例局"), lock_agency=True, requirements=pack))
    cases = {
        "typed": TYPED,
        "at1000": {"overview.active": "公开" * 450, "overview.oversight": "监" * 100},
        "at1001": {"overview.active": "公开" * 450, "overview.oversight": "监" * 100 + "1"},
    }
    files = []
    for name, texts in cases.items():
        def edit(wb, texts=texts):
            for sid, text in texts.items():
                wb[NARRATIVE_SHEET][narrative_address(blank_spec, sid).a1] = text

        blank_spec = Report("2021", 2025).spec
        files.append(openpyxl_edit(blank, tmp_path / f"{name}.xlsx", edit))
    outdir = tmp_path / "lo"
    outdir.mkdir()
    with tempfile.TemporaryDirectory(prefix="gkxl-lo-narr-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo", "--nodefault",
             "--nolockcheck", "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, files)],
            check=True, capture_output=True, timeout=300, env=dict(os.environ),
        )
    for name, texts in cases.items():
        r = Report("2021", 2025, "示例局", narrative=dict(texts))
        got = shown(outdir / f"{name}.xlsx", r.spec)
        for s in r.spec.sections:
            assert got[s.id][0] == section_count(r, s.id), (name, s.id)
        first = str(got["overview.active"][1]).splitlines()[0]
        if name == "at1000":
            assert first == "一、总体情况合计 1000 字（不超过一千字 ✔）"
        if name == "at1001":
            assert first.startswith("一、总体情况合计 1001 字，超过一千字 ✘")
        for sid, lines in expected_lines(r, pack).items():
            assert marks(got[sid][1])[-len(lines):] == lines, (name, sid)

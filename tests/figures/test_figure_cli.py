"""`gkxl figure` as a user runs it: a workbook, a JSON or a published report in; PNG, SVG or PDF out; refusals as
one Chinese line (强制 errors: exit 1; unusable input, an existing output, no CJK font: exit 2)."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from figure_helpers import assert_figure_matches, svg_texts

from gkxl.errors import InputError
from gkxl.excel.writer import build_workbook
from gkxl.figures import fonts
from gkxl.intake import load
from gkxl.model import Report, report_to_json

from conftest import DATA, SAMPLE  # noqa: E402 (tests/conftest.py)

GKXL = str(Path(sys.executable).with_name("gkxl"))
try:
    fonts.find_font()
    HAS_FONT = True
except InputError:
    HAS_FONT = False
pytestmark = pytest.mark.skipif(not HAS_FONT, reason="no CJK font on this machine: install fonts-noto-cjk (.ci/run does)")


def run(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([GKXL, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120,
                          env={**os.environ, "COLUMNS": "200"})


def one_line(text: str) -> str:
    lines = [x for x in text.strip().splitlines() if x.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


@pytest.fixture
def folder(tmp_path) -> Path:
    shutil.copy(DATA / "demo_2023.json", tmp_path / "本年.json")
    shutil.copy(DATA / "demo_2022.json", tmp_path / "上年.json")
    (tmp_path / "另一个文件夹").mkdir()
    return tmp_path


def test_workbook_to_default_png_beside_it_from_another_folder(folder, demo_report):
    (folder / "填报").mkdir()
    (folder / "填报" / "人社局.xlsx").write_bytes(build_workbook(demo_report, lock_agency=True))
    r = run("figure", "../填报/人社局.xlsx", cwd=folder / "另一个文件夹")
    assert r.returncode == 0, r.stderr
    target = folder / "填报" / f"{demo_report.agency}2023年政府信息公开工作年度报告一图读懂.png"
    assert target.is_file()
    assert "字体：Noto Sans CJK SC" in r.stdout or "字体：" in r.stdout
    png = target.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">I", png[16:20])[0] == 2160  # 1080 px at 2×


def test_svg_with_previous_year_equals_the_reports(folder, demo_report, demo_previous):
    r = run("figure", "本年.json", "-o", "图/一图读懂.svg", "--previous", "上年.json", cwd=folder)
    assert r.returncode == 0, r.stderr
    texts = svg_texts((folder / "图" / "一图读懂.svg").read_bytes())
    assert_figure_matches(demo_report, texts, last=demo_previous)
    assert texts["change:sec3.new_received.total"] == "较上年 +2"
    assert texts["value:series:new:2022"] == "3" and texts["value:series:new:2023"] == "5"


def test_pdf_is_a4_with_searchable_text(folder, demo_report):
    r = run("figure", "本年.json", "-o", "一图读懂.pdf", cwd=folder)
    assert r.returncode == 0, r.stderr
    data = (folder / "一图读懂.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 595.44 841.68 ]" in data or b"/MediaBox [0 0 595.44 841.68]" in data
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(folder / "一图读懂.pdf"), "-"], capture_output=True, text=True).stdout
        assert demo_report.agency in text and "一图读懂" in text


def test_existing_output_needs_force_and_bad_suffix_is_refused(folder):
    assert run("figure", "本年.json", "-o", "a.png", cwd=folder).returncode == 0
    before = (folder / "a.png").read_bytes()
    r = run("figure", "本年.json", "-o", "a.png", cwd=folder)
    assert r.returncode == 2 and "--force" in one_line(r.stderr)
    assert (folder / "a.png").read_bytes() == before
    assert run("figure", "本年.json", "-o", "a.png", "--force", cwd=folder).returncode == 0
    r = run("figure", "本年.json", "-o", "a.jpg", cwd=folder)
    assert r.returncode == 2 and ".png" in one_line(r.stderr)
    assert not (folder / "a.jpg").exists()
    assert [p.name for p in folder.iterdir() if p.name.startswith(".gkxl.")] == []  # no temporary file left


def test_mandatory_errors_refuse_in_one_line_unless_draft(folder):
    doc = json.loads((folder / "本年.json").read_text(encoding="utf-8"))
    doc["values"]["sec3.new_received.total"] = 999  # a total that is not its terms' sum: 强制
    (folder / "错.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = run("figure", "错.json", "-o", "错.svg", cwd=folder)
    assert r.returncode == 1
    line = one_line(r.stderr)
    assert "强制错误" in line and "--draft" in line
    assert not (folder / "错.svg").exists()
    r = run("figure", "错.json", "-o", "错.svg", "--draft", cwd=folder)
    assert r.returncode == 0, r.stderr
    texts = svg_texts((folder / "错.svg").read_bytes())
    assert texts["title:draft"] == "草稿"
    assert texts["value:sec3.new_received.total"] == "999"  # as the report holds it, never corrected in silence


def test_previous_of_wrong_year_or_unit_or_too_many_is_refused(folder, demo_previous):
    r = run("figure", "本年.json", "--previous", "本年.json", "-o", "x.png", cwd=folder)
    assert r.returncode == 2 and "以前" in one_line(r.stderr)
    other = Report(demo_previous.format, demo_previous.year, "另一个局", demo_previous.values)
    (folder / "他局.json").write_text(report_to_json(other), encoding="utf-8")
    r = run("figure", "本年.json", "--previous", "他局.json", "-o", "x.png", cwd=folder)
    assert r.returncode == 2 and "另一个局" in one_line(r.stderr)
    r = run("figure", "本年.json", *(["--previous", "上年.json"] * 6), "-o", "x.png", cwd=folder)
    assert r.returncode == 2 and "最多" in one_line(r.stderr)
    r = run("figure", "本年.json", "--previous", "上年.json", "--previous", "上年.json", "-o", "x.png", cwd=folder)
    assert r.returncode == 2 and "两个2022年" in one_line(r.stderr)
    assert not (folder / "x.png").exists()


def test_unreadable_input_is_one_line(folder):
    (folder / "坏.json").write_text("{", encoding="utf-8")
    r = run("figure", "坏.json", cwd=folder)
    assert r.returncode == 2 and "坏.json" in one_line(r.stderr)
    r = run("figure", "不存在.xlsx", cwd=folder)
    assert r.returncode == 2
    one_line(r.stderr)


@pytest.mark.skipif(not SAMPLE.exists(), reason=f"the shared sample {SAMPLE.name} is absent (../shared/samples)")
def test_published_report_figure_holds_its_numbers(tmp_path):
    r = run("figure", str(SAMPLE), "-o", "图.svg", "--draft", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    report = load(SAMPLE).report
    assert_figure_matches(report, svg_texts((tmp_path / "图.svg").read_bytes()))


def test_no_cjk_font_refuses_naming_what_to_install(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from gkxl.cli.app import app

    shutil.copy(DATA / "demo_2023.json", tmp_path / "本年.json")
    monkeypatch.setattr(fonts, "CANDIDATES", ("No Such Font Family",))
    monkeypatch.delenv("GKXL_FIGURE_FONT", raising=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["figure", "本年.json", "-o", "图.png"])
    assert result.exit_code == 2
    assert "fonts-noto-cjk" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "图.png").exists()


def test_a_character_the_font_lacks_is_named(folder):
    doc = json.loads((folder / "本年.json").read_text(encoding="utf-8"))
    doc["agency"] = "示例\U000F0000局"  # a private-use character no CJK font has
    (folder / "私用.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = run("figure", "私用.json", "-o", "私用.png", "--draft", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert "U+F0000" in r.stderr and "方框" in r.stderr

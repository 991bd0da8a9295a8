"""An output that cannot be written (no permission, a name too long) is unusable input: one Chinese line naming it, exit 2."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from workbook_helpers import cli, write_workbook

from gkxl.word.writer import build_report

# 120 CJK characters are 360 bytes: longer than any common file system allows for one name (255).
LONG = "长" * 120


def refused(result, path: Path, reason: str = "") -> bool:
    text = result.stderr
    return (
        result.exit_code == 2
        and text.startswith("错误：")
        and str(path) in text
        and f"无法写入：{reason}" in text
        and "内部错误" not in result.output
    )


@pytest.fixture
def filled(tmp_path, demo_report) -> Path:
    return write_workbook(demo_report, tmp_path / "已填.xlsx")


@pytest.fixture
def demo_json(tmp_path, demo_report) -> Path:
    from gkxl.model import report_to_json

    p = tmp_path / "数据.json"
    p.write_text(report_to_json(demo_report), encoding="utf-8")
    return p


def test_template_with_a_name_too_long(tmp_path):
    out = tmp_path / f"{LONG}.xlsx"
    assert refused(cli("template", "--year", "2023", "-o", out), out, "文件名过长")


def test_template_roster_into_a_folder_that_cannot_be_made(tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n甲局\n", encoding="utf-8")
    folder = tmp_path / LONG
    assert refused(cli("template", "--roster", roster, "--year", "2023", "-o", folder), folder, "文件名过长")


def test_export_with_a_name_too_long(tmp_path, filled):
    out = tmp_path / f"{LONG}.json"
    assert refused(cli("export", filled, "-o", out), out, "文件名过长")


def test_fill_with_a_name_too_long(tmp_path, filled, demo_json):
    out = tmp_path / f"{LONG}.xlsx"
    assert refused(cli("fill", filled, "--data", demo_json, "-o", out), out, "文件名过长")


def test_report_with_a_name_too_long(tmp_path, demo_json):
    out = tmp_path / f"{LONG}.docx"
    assert refused(cli("report", demo_json, "-o", out), out, "文件名过长")


def test_import_with_a_name_too_long(tmp_path, demo_report):
    published = tmp_path / "已发布.docx"
    published.write_bytes(build_report(demo_report))
    out = tmp_path / f"{LONG}.json"
    assert refused(cli("import", published, "-o", out), out, "文件名过长")


def test_demo_into_a_folder_that_cannot_be_made(tmp_path):
    folder = tmp_path / LONG
    assert refused(cli("demo", folder), folder, "文件名过长")


def test_annotate_with_a_name_too_long(tmp_path, filled):
    out = tmp_path / f"{LONG}.xlsx"
    assert refused(cli("check", filled, "--annotate", out), out, "文件名过长")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_folder(tmp_path):
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        out = folder / "模板.xlsx"
        assert refused(cli("template", "--year", "2023", "-o", out), out, "没有写入权限")
        assert list(folder.iterdir()) == []  # no temporary file left behind
    finally:
        folder.chmod(0o700)


@pytest.mark.skipif(sys.platform != "linux" or not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_place_no_file_can_be_made_even_by_root():
    out = Path("/proc/gkxl-不存在/模板.xlsx")
    assert refused(cli("template", "--year", "2023", "-o", out), out.parent)  # the folder that cannot be made

"""Batches killed hard (kill -9, a power cut, a supervisor's timeout): the next run of the same batch undoes or
removes what was left and says so in one line; two runs into one folder at once: the second is refused.
Real processes, run as a user would (relative paths, from the working folder)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from collect_helpers import GKXL, kill9, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")

UNITS = ["甲局", "乙局", "丙局", "丁局"]


def gkxl(cwd: Path, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([GKXL, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**os.environ, **(env or {})})


def start(cwd: Path, *args, env: dict) -> subprocess.Popen:
    return subprocess.Popen([GKXL, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
                            env={**os.environ, **env})


@pytest.fixture
def office(tmp_path):
    (tmp_path / "单位名单.csv").write_text("单位名称\n" + "\n".join(UNITS) + "\n", encoding="utf-8")
    return tmp_path


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_template_roster_killed_while_writing_is_cleaned_by_the_next_run(office):
    marker = office / "held"
    first = start(office, "template", "--roster", "单位名单.csv", "--year", "2025", "-o", "模板",
                  env={"GKXL_TEST_PAUSE": f"batch:{marker}"})
    wait_for(marker, first)
    busy = gkxl(office, "template", "--roster", "单位名单.csv", "--year", "2025", "-o", "模板")
    assert busy.returncode == 2 and busy.stderr.strip().count("\n") == 0, busy.stderr
    assert "另一个 gkxl template 正在写入这个输出文件夹" in busy.stderr
    kill9(first)
    marker.unlink()
    assert [n for n in hidden(office) if n.startswith(".模板.tmp-")] and not (office / "模板").exists()
    again = gkxl(office, "template", "--roster", "单位名单.csv", "--year", "2025", "-o", "模板")
    assert again.returncode == 0, again.stderr
    assert "已删除上次中断的运行留下的临时文件夹" in again.stderr
    assert hidden(office) == []
    assert sorted(p.name.split("_")[0] for p in (office / "模板").iterdir()) == sorted(UNITS)


def test_template_roster_killed_while_replacing_is_undone_by_the_next_run(office):
    assert gkxl(office, "template", "--roster", "单位名单.csv", "--year", "2025", "-o", "模板").returncode == 0
    before = {p.name: p.read_bytes() for p in (office / "模板").iterdir()}
    marker = office / "held"
    first = start(office, "template", "--roster", "单位名单.csv", "--year", "2024", "-o", "模板", "--force",
                  env={"GKXL_TEST_PAUSE": f"batch-move:{marker}"})
    wait_for(marker, first)  # one 2024 template moved in: the folder is half replaced
    kill9(first)
    assert [n for n in hidden(office / "模板") if n.startswith(".gkxl-batch-")]
    # the next run, even one that refuses to overwrite, first puts the folder back as it was, and says so
    again = gkxl(office, "template", "--roster", "单位名单.csv", "--year", "2025", "-o", "模板")
    assert again.returncode == 2 and "--force" in again.stderr
    assert "已把其中 1 个文件恢复为中断前的样子" in again.stderr, again.stderr
    assert {p.name: p.read_bytes() for p in (office / "模板").iterdir()} == before


def test_import_folder_killed_is_cleaned_by_the_next_run(office):
    demo = Path(__file__).resolve().parents[2] / "gkxl" / "data" / "demo_2023.json"
    (office / "已发布").mkdir()
    made = gkxl(office, "report", demo, "-o", "已发布/示例局.docx")
    assert made.returncode == 0, made.stderr
    marker = office / "held"
    first = start(office, "import", "已发布", "-o", "导入结果", env={"GKXL_TEST_PAUSE": f"batch:{marker}"})
    wait_for(marker, first)
    busy = gkxl(office, "import", "已发布", "-o", "导入结果")
    assert busy.returncode == 2 and "另一个 gkxl import 正在写入这个输出文件夹" in busy.stderr, busy.stderr
    kill9(first)
    assert [n for n in hidden(office) if n.startswith(".导入结果.tmp-")]
    again = gkxl(office, "import", "已发布", "-o", "导入结果")
    assert again.returncode in (0, 1), again.stderr
    assert "已删除上次中断的运行留下的临时文件夹" in again.stderr
    assert hidden(office) == [] and (office / "导入结果" / "导入汇总.csv").is_file()
    assert (office / "导入结果" / "示例局.docx.json").is_file()

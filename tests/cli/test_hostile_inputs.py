"""Hostile inputs and faults outside collect (issue 10, items 7, 11, 12, 18): template batches all or nothing,
FIFOs, deep JSON, lone surrogates, full disks, huge sheets, long raw values — one Chinese line, never exit 3."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest

from gkxl.excel.writer import build_workbook
from gkxl.formats import get_format
from gkxl.formats.layout import field_address, narrative_address

from collect_helpers import consistent, run, start, wait_for
from workbook_helpers import cli

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="mounting a small tmpfs needs root")


def one_line(res) -> str:
    """The stderr of a real process: exactly one line, no traceback."""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    return lines[0]


@contextmanager
def small_disk(path: Path, size: str):
    path.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)]).returncode:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)])


def roster(tmp_path: Path, names: list[str]) -> Path:
    p = tmp_path / "名单.csv"
    p.write_text("单位名称\n" + "\n".join(names) + "\n", encoding="utf-8")
    return p


# 7. template --roster: all or nothing -------------------------------------------------------------------------


def test_a_control_character_in_a_roster_name_writes_nothing_and_names_every_bad_line(tmp_path):
    r = roster(tmp_path, ["甲局", "乙\x01局", "丙局", "丁\x1b局"])
    out = tmp_path / "模板"
    res = run("template", "--roster", r, "--year", 2023, "-o", out)
    assert res.returncode == 2
    line = one_line(res)
    assert str(r) in line and "第3行" in line and "U+0001" in line and "第5行" in line and "U+001B" in line
    assert not out.exists()


@ROOT_ONLY
def test_a_full_disk_writes_no_template_at_all(tmp_path):
    names = [f"示例单位{i}" for i in range(30)]
    r = roster(tmp_path, names)
    with small_disk(tmp_path / "盘", "300k") as disk:
        res = run("template", "--roster", r, "--year", 2023, "-o", disk / "模板")
        assert res.returncode == 2 and "磁盘已满" in one_line(res)
        assert list(disk.iterdir()) == []
        # into an existing folder with --force: the files that were there stay as they were
        (disk / "已有").mkdir()
        (disk / "已有" / f"示例单位0_2023_政府信息公开年报填报模板.xlsx").write_bytes(b"old")
        res = run("template", "--roster", r, "--year", 2023, "-o", disk / "已有", "--force")
        assert res.returncode == 2 and "磁盘已满" in one_line(res)
        assert sorted(p.name for p in (disk / "已有").iterdir()) == ["示例单位0_2023_政府信息公开年报填报模板.xlsx"]
        assert (disk / "已有" / "示例单位0_2023_政府信息公开年报填报模板.xlsx").read_bytes() == b"old"


def test_ctrl_c_while_a_batch_is_made_writes_nothing(tmp_path):
    r = roster(tmp_path, ["甲局", "乙局", "丙局"])
    out = tmp_path / "模板"
    marker = tmp_path / "held"
    proc = start("template", "--roster", r, "--year", 2023, "-o", out, env={"GKXL_TEST_PAUSE": f"batch:{marker}"})
    wait_for(marker, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 130 and "已中断" in err and "Traceback" not in err, (proc.returncode, err)
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")], list(tmp_path.iterdir())


def test_ctrl_c_while_a_batch_is_moved_in_puts_back_what_was_there(tmp_path):
    r = roster(tmp_path, ["甲局", "乙局", "丙局"])
    out = tmp_path / "模板"
    out.mkdir()
    old = {n: f"旧的{n}".encode() for n in ("甲局", "乙局")}
    for n, data in old.items():
        (out / f"{n}_2023_政府信息公开年报填报模板.xlsx").write_bytes(data)
    (out / "别的文件.txt").write_text("keep")
    marker = tmp_path / "held"
    proc = start("template", "--roster", r, "--year", 2023, "-o", out, "--force", env={"GKXL_TEST_PAUSE": f"batch-move:{marker}"})
    wait_for(marker, proc)  # the first file of the batch has replaced its old one
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=180)
    assert proc.returncode == 130
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{n}_2023_政府信息公开年报填报模板.xlsx" for n in old] + ["别的文件.txt"])
    for n, data in old.items():
        assert (out / f"{n}_2023_政府信息公开年报填报模板.xlsx").read_bytes() == data


def test_units_differing_only_in_case_get_distinct_templates(tmp_path):
    r = roster(tmp_path, ["ABC局", "abc局", "CON.局"])
    res = cli("template", "--roster", r, "--year", 2023, "-o", tmp_path / "模板")
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "模板").iterdir())
    assert names == sorted(["ABC局_2023_政府信息公开年报填报模板.xlsx", "abc局（2）_2023_政府信息公开年报填报模板.xlsx",
                            "_CON.局_2023_政府信息公开年报填报模板.xlsx"])


# 11. FIFOs, deep JSON, lone surrogates -------------------------------------------------------------------------


def test_a_fifo_given_as_a_workbook_roster_data_or_narrative_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "管道.xlsx"
    os.mkfifo(fifo)
    jfifo = tmp_path / "管道.json"
    os.mkfifo(jfifo)
    cfifo = tmp_path / "名单.csv"
    os.mkfifo(cfifo)
    good = tmp_path / "好.xlsx"
    good.write_bytes(build_workbook(consistent("甲局", 1), lock_agency=True))
    (tmp_path / "收件箱").mkdir()
    for args in (("check", fifo), ("export", fifo, "-o", tmp_path / "x.json"), ("check", jfifo),
                 ("fill", good, "--data", jfifo, "-o", tmp_path / "y.xlsx"), ("template", "--roster", cfifo, "-o", tmp_path / "t"),
                 ("report", fifo), ("collect", tmp_path / "收件箱", "--roster", cfifo, "-o", tmp_path / "c")):
        res = run(*args, timeout=20)  # a hang fails here instead of blocking the suite
        assert res.returncode == 2, (args, res.stderr)
        if args[0] == "check":  # check reports each file it cannot read on stdout, with the others
            assert "管道（FIFO），不是普通文件" in res.stdout and not res.stderr
        else:
            assert "管道（FIFO），不是普通文件" in one_line(res), (args, res.stderr)


def test_json_nested_100000_deep(tmp_path):
    deep = tmp_path / "深.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    good = tmp_path / "好.xlsx"
    good.write_bytes(build_workbook(consistent("甲局", 1), lock_agency=True))
    box = tmp_path / "收件箱"
    box.mkdir()
    r = roster(tmp_path, ["甲局"])
    for args in (("check", deep), ("fill", good, "--data", deep, "-o", tmp_path / "f.xlsx"),
                 ("collect", box, "--roster", r, "--narrative", deep, "-o", tmp_path / "c"), ("report", deep)):
        res = run(*args)
        if args[0] == "check":
            assert res.returncode == 2 and "嵌套" in res.stdout, res.stdout
        else:
            assert res.returncode == 2 and "嵌套" in one_line(res) and "深.json" in res.stderr, (args, res.stderr)


def surrogate_workbook(tmp_path: Path) -> Path:
    spec = get_format("2021")
    path = tmp_path / "代理项.xlsx"
    path.write_bytes(build_workbook(consistent("甲局", 1), lock_agency=True))
    wb = openpyxl.load_workbook(path)
    a = field_address(spec, "sec3.new_received.natural_person")
    wb[a.sheet][a.a1] = "5_xD800_"  # Excel's escape of a character no file can hold
    n = narrative_address(spec, spec.section_ids[0])
    wb[n.sheet][n.a1] = "正文_xD800_"
    wb.save(path)
    return path


def test_a_lone_surrogate_in_a_cell_is_a_finding_in_check_and_export(tmp_path):
    path = surrogate_workbook(tmp_path)
    spec = get_format("2021")
    res = run("check", path, "--json")
    assert res.returncode == 1, res.stderr
    doc = json.loads(res.stdout)
    keys = {f["key"]: f for f in doc["files"][0]["findings"]}
    assert f"R-VALUE.narrative.{spec.section_ids[0]}" in keys and "R-VALUE.sec3.new_received.natural_person" in keys
    assert keys["R-VALUE.sec3.new_received.natural_person"]["raw"] == "5\\ud800"
    assert run("check", path).returncode == 1
    res = run("export", path, "-o", tmp_path / "出.json")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    data = json.loads((tmp_path / "出.json").read_text(encoding="utf-8"))
    assert spec.section_ids[0] not in data["narrative"] and "sec3.new_received.natural_person" not in data["values"]


def test_a_lone_surrogate_in_json_is_one_line(tmp_path):
    doc = tmp_path / "坏.json"
    doc.write_text('{"schema": "gkxl.report/1", "year": 2023, "agency": "甲\\ud800局", "values": {}}', encoding="utf-8")
    res = run("check", doc)
    assert res.returncode == 2 and "无效的字符" in res.stdout and "agency" in res.stdout
    good = tmp_path / "好.xlsx"
    good.write_bytes(build_workbook(consistent("甲局", 1), lock_agency=True))
    res = run("fill", good, "--data", doc, "-o", tmp_path / "f.xlsx")
    assert res.returncode == 2 and "无效的字符" in one_line(res)


# 12. and the full disk: check --annotate ------------------------------------------------------------------------


def test_annotate_refuses_a_sheet_bigger_than_check_reads(tmp_path):
    path = tmp_path / "大.xlsx"
    path.write_bytes(build_workbook(consistent("甲局", 1), lock_agency=True))
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("草稿")
    for _ in range(1500):
        ws.append(list(range(100)))  # 150,000 cells check never reads
    wb.save(path)
    res = run("check", path, "--annotate", tmp_path / "标注.xlsx")
    assert res.returncode == 2 and "结论：通过" in res.stdout
    assert "过多单元格" in one_line(res) and "草稿" in res.stderr
    assert not (tmp_path / "标注.xlsx").exists()
    # a sibling: many small added sheets, each below check's per-sheet limit, together as costly
    small = tmp_path / "多表.xlsx"
    small.write_bytes(build_workbook(consistent("甲局", 1), lock_agency=True))
    wb = openpyxl.load_workbook(small)
    for i in range(6):
        ws = wb.create_sheet(f"附表{i}")
        for _ in range(20):
            ws.append(list(range(100)))
    wb.save(small)
    res = run("check", small, "--annotate", tmp_path / "标注2.xlsx")
    assert res.returncode == 2 and "另加的工作表共超过" in one_line(res) and "附表5" in res.stderr
    # a filer's small notes sheet is no reason to refuse
    notes = tmp_path / "备注.xlsx"
    notes.write_bytes(build_workbook(consistent("甲局", 1), lock_agency=True))
    wb = openpyxl.load_workbook(notes)
    wb.create_sheet("备注").append(["本表为本单位内部备注"])
    wb.save(notes)
    res = run("check", notes, "--annotate", tmp_path / "标注3.xlsx")
    assert res.returncode == 0 and (tmp_path / "标注3.xlsx").exists(), res.stderr


@ROOT_ONLY
def test_annotate_on_a_full_disk_is_one_line(tmp_path):
    path = tmp_path / "好.xlsx"
    path.write_bytes(build_workbook(consistent("甲局", 1), lock_agency=True))
    for size in ("8k", "16k", "24k"):  # the disk fills at different points of writing the copy
        with small_disk(tmp_path / f"盘{size}", size) as disk:
            res = run("check", path, "--annotate", disk / "标注.xlsx")
            assert res.returncode == 2 and "磁盘已满" in one_line(res), size
            assert list(disk.iterdir()) == []


# 18. messages name the user's file; raw values cut -----------------------------------------------------------


def test_narrative_errors_name_the_narrative_file_not_the_summary_workbook(tmp_path):
    box = tmp_path / "收件箱"
    box.mkdir()
    (box / "甲局.xlsx").write_bytes(build_workbook(consistent("甲局", 1), lock_agency=True))
    r = roster(tmp_path, ["甲局"])
    text = tmp_path / "汇总正文.json"
    sid = get_format("2021").section_ids[1]
    text.write_text(json.dumps({sid: "本年度\x07工作"}), encoding="utf-8")
    res = run("collect", box, "--roster", r, "--narrative", text, "-o", tmp_path / "c", "--year", 2023)
    line = one_line(res)
    assert res.returncode == 2 and str(text) in line and sid in line and "U+0007" in line and "汇总数据" not in line
    assert not (tmp_path / "c").exists()


def test_a_long_raw_value_is_cut_in_the_message(tmp_path):
    spec = get_format("2021")
    path = tmp_path / "长.xlsx"
    path.write_bytes(build_workbook(consistent("甲局", 1), lock_agency=True))
    wb = openpyxl.load_workbook(path)
    a = field_address(spec, "sec3.new_received.natural_person")
    wb[a.sheet][a.a1] = "五" * 20000
    wb.save(path)
    res = run("check", path, "--json")
    finding = next(f for f in json.loads(res.stdout)["files"][0]["findings"] if f["key"] == "R-VALUE.sec3.new_received.natural_person")
    assert "五" * 50 + "…（共20000字）" in finding["message"] and len(finding["message"]) < 200
    res = run("check", path)
    assert len(res.stdout) < 5000


def test_annotate_never_writes_over_the_checked_file_through_a_hard_link(tmp_path):
    path = tmp_path / "好.xlsx"
    path.write_bytes(build_workbook(consistent("甲局", 1), lock_agency=True))
    before = path.read_bytes()
    os.link(path, tmp_path / "链接.xlsx")
    res = run("check", path, "--annotate", tmp_path / "链接.xlsx", "--force")
    assert res.returncode == 2 and "不能覆盖被检查的文件" in one_line(res)
    assert path.read_bytes() == before

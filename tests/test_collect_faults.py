"""collect under faults and hostile inboxes (issue 10, items 3, 6, 9, 11, 13): one bad file is its unit's status,
the output is never lost or shared, nothing in the inbox is ignored without a word. Real processes where it matters."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import openpyxl
import pytest
from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.model import Report

from collect_helpers import alive, children, consistent, gone, kill9, roster_csv, run, start, wait_for, write

runner = CliRunner()
UNITS = ["甲局", "乙局", "丙局"]


def collect(*args):
    return runner.invoke(app, ["collect", *map(str, args)])


def summary_of(out):
    return json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))


def units_of(out):
    return {u["unit"]: u for u in summary_of(out)["units"]}


@pytest.fixture
def inbox(tmp_path):
    box = tmp_path / "收件箱"
    box.mkdir()
    for i, unit in enumerate(UNITS):
        write(box / f"{unit}.xlsx", consistent(unit, i))
    return box


@pytest.fixture
def roster(tmp_path):
    return roster_csv(tmp_path / "名单.csv", UNITS)


# 3. one bad file never stops the round -----------------------------------------------------------------------


def test_a_report_in_a_format_its_year_does_not_use_is_that_units_status_not_the_rounds_end(tmp_path, inbox, roster):
    # the example: a 2023 report in the 2019 trial format (it used to stop the round: exit 2, no output)
    write(inbox / "乙局.xlsx", consistent("乙局", 1, format_id="2019"))
    out = tmp_path / "结果"
    res = collect(inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1)
    assert res.exit_code == 1, res.output
    units = units_of(out)
    assert units["乙局"]["status"] == "模板不符（年度或单位）"
    keys = {f["key"] for f in units["乙局"]["used"]["findings"]}
    assert "R-IDENTITY.format" in keys
    assert "2019" in json.dumps(units["乙局"]["used"]["findings"], ensure_ascii=False)
    assert units["甲局"]["status"] == units["丙局"]["status"] == "通过"
    assert sorted(summary_of(out)["included"]) == ["丙局", "甲局"]


def test_a_defect_while_reading_one_file_is_that_units_status(tmp_path, inbox, roster, monkeypatch):
    # a sibling: any failure that is not an InputError (here a reader defect on one file) stays with that file
    import gkxl.intake

    real = gkxl.intake.load

    def broken(path):
        if "丙局" in str(path):
            raise ZeroDivisionError("division by zero")
        return real(path)

    monkeypatch.setattr(gkxl.intake, "load", broken)  # the workers are forked: they see it too
    out = tmp_path / "结果"
    res = collect(inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 2)
    assert res.exit_code == 1, res.output
    units = units_of(out)
    assert units["丙局"]["status"] == "无法读取" and "ZeroDivisionError" in units["丙局"]["used"]["error"]
    assert units["甲局"]["status"] == "通过"


def test_a_file_removed_while_collect_runs_is_that_units_status(tmp_path, inbox, roster, monkeypatch):
    import gkxl.collect

    real = gkxl.collect.scan_inbox

    def scan_then_remove(*args, **kw):
        files, unused = real(*args, **kw)
        if args and args[0] == inbox:
            (inbox / "乙局.xlsx").unlink()  # gone after the inbox was listed, before it is read
        return files, unused

    monkeypatch.setattr(gkxl.collect, "scan_inbox", scan_then_remove)
    out = tmp_path / "结果"
    res = collect(inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1)
    assert res.exit_code == 1, res.output
    unit = units_of(out)["乙局"]
    assert unit["status"] == "无法读取" and "移走或删除" in unit["used"]["error"]


# 6. the output: locked, replaced whole, leftovers cleaned, workers die with their parent --------------------------


def test_two_collects_into_the_same_output_the_second_is_refused(tmp_path, inbox, roster):
    out = tmp_path / "结果"
    marker = tmp_path / "held"
    first = start("collect", inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1,
                  env={"GKXL_TEST_PAUSE": f"replace:{marker}"})
    try:
        wait_for(marker, first)
        second = run("collect", inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1, "--force")
        assert second.returncode == 2
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "另一个 gkxl collect 正在写入这个输出文件夹" in lines[0], second.stderr
        assert "Traceback" not in second.stderr
    finally:
        kill9(first)
    # the killed run left its temporary folder: the next run removes it and says so
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".结果.tmp-")]
    third = run("collect", inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1)
    assert third.returncode == 0, third.stderr
    assert "已删除上次中断的运行留下的临时文件夹" in third.stdout
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert summary_of(out)["notices"] and units_of(out)["甲局"]["status"] == "通过"


def test_kill_at_the_replacement_leaves_the_old_output_standing(tmp_path, inbox, roster):
    out = tmp_path / "结果"
    assert run("collect", inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1).returncode == 0
    before = (out / "汇总" / "summary.json").read_bytes()
    (inbox / "丙局.xlsx").unlink()
    marker = tmp_path / "held"
    proc = start("collect", inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1, "--force",
                 env={"GKXL_TEST_PAUSE": f"replace:{marker}"})
    wait_for(marker, proc)
    kill9(proc)
    assert (out / "汇总" / "summary.json").read_bytes() == before  # the old OUT stands, whole
    again = run("collect", inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1, "--force")
    assert again.returncode == 1, again.stderr
    assert units_of(out)["丙局"]["status"] == "未提交"  # the new OUT replaced it
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_kill_between_the_two_renames_is_restored_by_the_next_run(tmp_path, inbox, roster):
    # where the system cannot swap two folders in one step, OUT is moved aside first: a kill right then
    # leaves no OUT, and the next run puts it back and says so
    out = tmp_path / "结果"
    assert run("collect", inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1).returncode == 0
    before = (out / "汇总" / "summary.json").read_bytes()
    marker = tmp_path / "held"
    proc = start("collect", inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1, "--force",
                 env={"GKXL_TEST_PAUSE": f"between:{marker}", "GKXL_NO_EXCHANGE": "1"})
    wait_for(marker, proc)
    kill9(proc)
    assert not out.exists()
    again = run("collect", inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1)
    assert again.returncode == 2
    assert "已恢复原来的输出文件夹" in again.stderr and "--force" in again.stderr
    assert (out / "汇总" / "summary.json").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="reads child processes from Linux /proc")
def test_workers_die_with_a_killed_collect(tmp_path, inbox, roster):
    marker = tmp_path / "held"
    proc = start("collect", inbox, "--roster", roster, "-o", tmp_path / "结果", "--year", 2023, "--jobs", 2,
                 env={"GKXL_TEST_PAUSE": f"check:{marker}"})
    wait_for(marker, proc)  # a worker is held while checking a file, the other is busy or idle
    workers = children(proc.pid)
    assert int(marker.read_text()) in workers and len(workers) >= 2
    kill9(proc)
    assert gone(workers), [w for w in workers if alive(w)]
    # nothing holds the output's lock any more: the next run goes ahead and cleans up after the killed one
    again = run("collect", inbox, "--roster", roster, "-o", tmp_path / "结果", "--year", 2023, "--jobs", 1)
    assert again.returncode == 0 and "已删除上次中断的运行留下的临时文件夹" in again.stdout, again.stderr


# 9. file names that are not UTF-8 ----------------------------------------------------------------------------


def test_gbk_file_names_are_read_and_shown(tmp_path, inbox, roster):
    raw = os.fsencode(inbox)
    os.rename(inbox / "甲局.xlsx", raw + b"/" + "甲局的报表".encode("gbk") + b".xlsx")  # as a Windows zip unpacked here
    (inbox / "乙局.xlsx").unlink()
    with open(raw + b"/" + "乙局".encode("gbk") + b".xlsx", "wb") as fh:
        fh.write(b"not a workbook")  # unreadable: attributed by its (decoded) name
    with open(raw + b"/\xff\xfe.json", "wb") as fh:  # not even GB18030
        fh.write(b"{}")
    out = tmp_path / "结果"
    res = collect(inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1)
    assert res.exit_code == 1, res.output
    units = units_of(out)
    assert units["甲局"]["status"] == "通过" and units["甲局"]["used"]["file"] == "甲局的报表.xlsx"
    assert units["乙局"]["status"] == "无法读取" and units["乙局"]["used"]["file"] == "乙局.xlsx"
    assert "\\xff\\xfe.json" in res.output  # shown, escaped, in the console too
    unmatched = [o["file"] for o in summary_of(out)["unmatched"]]
    assert unmatched == ["\\xff\\xfe.json"]
    ws = openpyxl.load_workbook(out / "汇总" / "状态.xlsx")["报送状态"]
    assert "甲局的报表.xlsx" in [c.value for c in ws["H"]]


# 11. unwritable outputs --------------------------------------------------------------------------------------


def test_output_under_a_regular_file_is_one_chinese_line(tmp_path, inbox, roster):
    blocker = tmp_path / "一个文件"
    blocker.write_text("x")
    res = run("collect", inbox, "--roster", roster, "-o", blocker / "结果", "--year", 2023)
    assert res.returncode == 2, res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "无法写入" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="a read-only mount needs root")
def test_output_on_a_read_only_file_system_is_one_chinese_line(tmp_path, inbox, roster):
    ro = tmp_path / "只读"
    ro.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)]).returncode:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        res = run("collect", inbox, "--roster", roster, "-o", ro / "结果", "--year", 2023)
        assert res.returncode == 2, res.stderr
        assert "只读" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    finally:
        subprocess.run(["umount", str(ro)])


# 13. what collect did not use ----------------------------------------------------------------------------------


def test_every_unused_file_is_listed_with_why_and_subfolders_are_read(tmp_path, inbox, roster):
    (inbox / "第二批").mkdir()
    shutil.move(inbox / "丙局.xlsx", inbox / "第二批" / "丙局.xlsx")  # in a sub-folder: read, as check reads it
    (inbox / "甲局.xlsx").unlink()
    (inbox / "甲局年报.pdf").write_bytes(b"%PDF-1.4")
    (inbox / "全部.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (inbox / "说明.docx").write_bytes(b"PK")
    (inbox / "旧.bak").write_bytes(b"x")
    (inbox / "~$乙局.xlsx").write_bytes(b"lock")
    outside = tmp_path / "别处.xlsx"
    write(outside, consistent("甲局", 0))
    os.symlink(outside, inbox / "链接.xlsx")  # never followed out of the inbox
    os.mkfifo(inbox / "管道.xlsx")  # would block a reader forever
    out = tmp_path / "结果"
    res = collect(inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1)
    assert res.exit_code == 1, res.output
    summary = summary_of(out)
    unused = {f["file"]: f["reason"] for f in summary["unused"]}
    assert set(unused) == {"甲局年报.pdf", "全部.zip", "说明.docx", "旧.bak", "~$乙局.xlsx", "链接.xlsx", "管道.xlsx"}
    assert "PDF" in unused["甲局年报.pdf"] and "解压" in unused["全部.zip"] and "Word" in unused["说明.docx"]
    assert "符号链接" in unused["链接.xlsx"] and "之外" in unused["链接.xlsx"]
    assert "管道" in unused["管道.xlsx"]
    units = {u["unit"]: u for u in summary["units"]}
    assert units["丙局"]["status"] == "通过" and units["丙局"]["used"]["file"] == "第二批/丙局.xlsx"
    # 甲局 sent nothing usable, but a file naming it is there: it is told so
    assert units["甲局"]["status"] == "未提交" and "甲局年报.pdf" in units["甲局"]["note"]
    for name in unused:
        assert name in res.output
    ws = openpyxl.load_workbook(out / "汇总" / "状态.xlsx")["未使用的文件"]
    assert {r[0] for r in ws.iter_rows(min_row=2, values_only=True)} == set(unused)


def test_a_file_named_after_one_unit_holding_anothers_identity_is_noted_for_both(tmp_path, inbox, roster):
    (inbox / "乙局.xlsx").unlink()
    write(inbox / "甲局.xlsx", consistent("甲局", 0))
    write(inbox / "乙局的报告.xlsx", consistent("丙局", 2))  # named 乙局, but 丙局's workbook
    (inbox / "丙局.xlsx").unlink()
    out = tmp_path / "结果"
    collect(inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1)
    units = units_of(out)
    assert units["乙局"]["status"] == "未提交" and "乙局的报告.xlsx" in units["乙局"]["note"] and "丙局" in units["乙局"]["note"]
    assert units["丙局"]["status"] == "通过" and "乙局的报告.xlsx" in units["丙局"]["note"] and "乙局" in units["丙局"]["note"]


def test_report_files_of_units_differing_only_in_case_or_named_like_devices_are_distinct(tmp_path):
    names = ["ABC局", "abc局", "CON.局", "AUX.教育局", "NUL", "LPT1", "局. "]
    box = tmp_path / "收件箱"
    box.mkdir()
    for i, n in enumerate(names):
        write(box / f"{i}.xlsx", consistent(n, i))
    roster = roster_csv(tmp_path / "名单.csv", names)
    out = tmp_path / "结果"
    res = collect(box, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1)
    assert res.exit_code == 0, res.output
    files = sorted(p.name for p in (out / "单位报告").iterdir())
    assert len({f.casefold() for f in files}) == len(names)
    for f in files:
        stem = f.split(".")[0].upper()
        assert stem not in ("CON", "AUX", "NUL", "LPT1") and not f.endswith((". .docx", "..docx"))
    assert {"_CON.局.docx", "_AUX.教育局.docx", "_NUL.docx", "_LPT1.docx"} <= set(files)


def test_an_unreadable_file_in_a_folder_named_after_its_unit_is_that_units(tmp_path, inbox, roster):
    (inbox / "乙局").mkdir()
    (inbox / "乙局.xlsx").unlink()
    (inbox / "乙局" / "年报.xlsx").write_bytes(b"PK\x03\x04 broken")
    (inbox / "乙局" / "扫描件.pdf").write_bytes(b"%PDF")
    out = tmp_path / "结果"
    collect(inbox, "--roster", roster, "-o", out, "--year", 2023, "--jobs", 1)
    unit = units_of(out)["乙局"]
    assert unit["status"] == "无法读取" and unit["used"]["file"] == "乙局/年报.xlsx"
    assert "乙局/扫描件.pdf" in unit["note"]

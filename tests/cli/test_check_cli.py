"""`gkxl check` as a filer and a 政务公开办 use it: verdicts, exit codes, JSON, folders, 说明, annotated copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from workbook_helpers import check_json, cli, digest, findings_of, openpyxl_edit, write_workbook

from gkxl.model import Report, report_to_json
from gkxl.formats import get_format
from gkxl.formats.layout import explain_address, field_address, info_address

SPEC = get_format("2021")
FINDING_KEYS = {"key", "rule", "scope", "severity", "file", "sheet", "cell", "labels", "expected", "actual", "message", "explanation"}


@pytest.fixture
def plain(demo_report) -> Report:
    """The demo report without its narrative, so that changed numbers give table findings only (no R-TEXT-NUMBER)."""
    demo_report.narrative.clear()
    return demo_report


@pytest.fixture
def good(tmp_path, plain) -> Path:
    return write_workbook(plain, tmp_path / "示例局.xlsx")


def unbalanced(good: Path, tmp_path: Path, name: str = "不平衡.xlsx") -> Path:
    addr = field_address(SPEC, "sec3.new_received.business")
    return openpyxl_edit(good, tmp_path / name, lambda wb: wb[addr.sheet].__setitem__(addr.a1, 9))


def test_a_clean_workbook_passes(good):
    result = cli("check", good)
    assert result.exit_code == 0
    assert "结论：通过" in result.stdout and good.name in result.stdout
    assert "示例市示例区人力资源和社会保障局" in result.stdout


def test_findings_are_grouped_by_severity_with_a_verdict(tmp_path, good):
    addr = field_address(SPEC, "sec2.penalty.decisions")
    path = openpyxl_edit(unbalanced(good, tmp_path), tmp_path / "两类.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, None))
    result = cli("check", path)
    assert result.exit_code == 1
    text = result.stdout
    assert "结论：2个强制错误" in text
    assert text.index("强制") < text.index("核实")  # 强制 first, then 核实
    assert f"{addr.sheet}!{addr.a1}" in text


def test_json_is_one_document_with_every_required_key(tmp_path, good):
    code, doc = check_json(unbalanced(good, tmp_path), good)
    assert code == 1
    assert set(doc) == {"files", "summary"}
    first, second = doc["files"]
    assert first["verdict"] == "2个强制错误" and second["verdict"] == "通过"
    assert first["agency"] == "示例市示例区人力资源和社会保障局" and first["year"] == 2023 and first["format"] == "2021"
    for f in first["findings"]:
        assert FINDING_KEYS <= set(f)
    f = findings_of(doc)["R-BALANCE.business"]
    addr = field_address(SPEC, "sec3.carried_forward.business")
    assert (f["sheet"], f["cell"], f["severity"]) == (addr.sheet, addr.a1, "强制")
    assert f["actual"] - f["expected"] == f["difference"] and f["labels"]
    assert doc["summary"] == {"files": 2, "passed": 1, "failed": 1, "unreadable": 0, "open": {"强制": 2, "核实": 0}, "exit_code": 1}


def test_a_contract_json_is_checked_like_a_workbook(tmp_path, plain):
    path = tmp_path / "数据.json"
    total = plain.with_totals()["sec4.review.total"]
    plain.values["sec4.review.total"] = total + 1  # a JSON may give a total: then it is checked
    path.write_text(report_to_json(plain, totals=False), encoding="utf-8")
    code, doc = check_json(path)
    f = findings_of(doc)["R-SEC4-TOTAL.review"]
    assert code == 1 and (f["actual"], f["expected"]) == (total + 1, total) and f["cell"] == ""


def test_a_folder_is_walked_for_workbooks_and_json(tmp_path, plain):
    demo_report = plain
    inbox = tmp_path / "收件箱"
    (inbox / "二科").mkdir(parents=True)
    write_workbook(demo_report, inbox / "a.xlsx")
    (inbox / "b.json").write_text(report_to_json(demo_report), encoding="utf-8")
    write_workbook(demo_report, inbox / "二科" / "c.xlsx")
    (inbox / "~$a.xlsx").write_bytes(b"\x00lock")  # Excel's lock file beside an open workbook
    (inbox / ".hidden.xlsx").write_bytes(b"")
    (inbox / "说明.txt").write_text("不是报表", encoding="utf-8")
    (inbox / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    code, doc = check_json(inbox)
    files = [Path(f["file"]).relative_to(inbox).as_posix() for f in doc["files"]]
    assert files == ["a.xlsx", "b.json", "二科/c.xlsx", "旧.xls"]
    assert code == 2  # the .xls could not be read: the unit must resave it
    assert "另存为 .xlsx" in doc["files"][3]["error"]


def test_an_empty_folder_is_unusable(tmp_path):
    (tmp_path / "空").mkdir()
    result = cli("check", tmp_path / "空")
    assert result.exit_code == 2 and "没有可检查的文件" in result.stdout


def test_exit_code_two_wins_over_findings(tmp_path, good):
    missing = tmp_path / "不存在.xlsx"
    result = cli("check", unbalanced(good, tmp_path), missing)
    assert result.exit_code == 2
    assert "结论：2个强制错误" in result.stdout and "不存在.xlsx：文件不存在" in result.stdout
    assert "共检查2个文件：通过0个，未通过1个，无法读取1个" in result.stdout


def _with_blank(good: Path, tmp_path: Path, explanation: str | None) -> Path:
    cid = "sec2.penalty.decisions"
    addr = field_address(SPEC, cid)
    key, text = explain_address(0)

    def edit(wb):
        wb[addr.sheet][addr.a1] = None
        if explanation is not None:
            wb[key.sheet][key.a1] = f"R-MISSING.{cid}"
            wb[text.sheet][text.a1] = explanation

    return openpyxl_edit(good, tmp_path / f"说明{len(explanation or '')}.xlsx", edit)


def test_a_verify_finding_with_a_six_character_explanation_is_settled(tmp_path, good):
    assert check_json(_with_blank(good, tmp_path, None))[0] == 1
    assert check_json(_with_blank(good, tmp_path, "五个字说明"))[0] == 1  # five characters are not enough
    code, doc = check_json(_with_blank(good, tmp_path, "本年度无处罚事项"))
    assert code == 0
    f = findings_of(doc)["R-MISSING.sec2.penalty.decisions"]
    assert f["explanation"] == "本年度无处罚事项" and f["open"] is False
    assert doc["files"][0]["verdict"] == "通过" and doc["files"][0]["explained"] == 1
    human = cli("check", _with_blank(good, tmp_path, "本年度无处罚事项"))
    assert "已说明" in human.stdout and "本年度无处罚事项" in human.stdout


def test_previous_year_enables_the_cross_year_rules(tmp_path, good, demo_previous):
    prev = tmp_path / "上年.json"
    changed = Report(demo_previous.format, demo_previous.year, demo_previous.agency, dict(demo_previous.values))
    changed.values["sec3.carried_forward.natural_person"] = changed.values.get("sec3.carried_forward.natural_person", 0) + 3
    prev.write_text(report_to_json(changed, totals=False), encoding="utf-8")
    code, doc = check_json(good, "--previous", prev)
    found = findings_of(doc)
    f = found["R-XYEAR-CARRIED.natural_person"]
    addr = field_address(SPEC, "sec3.carried_over.natural_person")
    assert code == 1 and (f["sheet"], f["cell"], f["severity"]) == (addr.sheet, addr.a1, "核实")
    assert f["expected"] - f["actual"] == 3


def test_year_and_agency_and_roster(tmp_path, good):
    code, doc = check_json(good, "--year", "2023", "--agency", "示例市示例区人力资源和社会保障局")
    assert code == 0
    code, doc = check_json(good, "--year", "2022")
    f = findings_of(doc)["R-IDENTITY.year"]
    assert code == 1 and f["cell"] == info_address("year").a1
    pytest.importorskip("gkxl.roster")
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n甲局\n乙局\n", encoding="utf-8")
    code, doc = check_json(good, "--roster", roster)
    assert code == 1 and "不在单位名单中" in findings_of(doc)["R-IDENTITY.agency"]["message"]
    roster.write_text("单位名称\n示例市示例区人力资源和社会保障局\n乙局\n", encoding="utf-8")
    assert check_json(good, "--roster", roster)[0] == 0
    assert cli("check", good, "--roster", roster, "--agency", "甲局").exit_code == 2


def test_annotate_writes_a_marked_copy_and_leaves_the_input(tmp_path, good):
    import openpyxl

    path = unbalanced(good, tmp_path)
    before = digest(path)
    out = tmp_path / "标注.xlsx"
    result = cli("check", path, "--annotate", out)
    assert result.exit_code == 1 and "已写出标注副本" in result.stderr
    assert digest(path) == before
    wb = openpyxl.load_workbook(out)
    addr = field_address(SPEC, "sec3.carried_forward.business")
    cell = wb[addr.sheet][addr.a1]
    assert cell.comment is not None and "R-BALANCE.business" in cell.comment.text and "强制" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    marked = [(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row if c.comment]
    assert len(marked) == 2  # R-BALANCE.business and R-BALANCE.total
    # refusing to overwrite, then --force
    assert cli("check", path, "--annotate", out).exit_code == 2
    assert cli("check", path, "--annotate", out, "--force").exit_code == 1
    # the copy is itself a readable gkxl workbook (saved without cached values)
    assert check_json(out)[1]["files"][0]["verdict"] == "2个强制错误"


def test_annotate_needs_exactly_one_workbook(tmp_path, good):
    result = cli("check", good, good.with_name("另一个.xlsx"), "--annotate", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "单个" in result.stderr
    data = tmp_path / "数据.json"
    data.write_text(json.dumps({"schema": "gkxl.report/1", "format": "2021", "year": 2023}), encoding="utf-8")
    result = cli("check", data, "--annotate", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and not (tmp_path / "x.xlsx").exists()


def _as_json(tmp_path: Path, report: Report, name: str) -> Path:
    path = tmp_path / name
    path.write_text(report_to_json(report, totals=False), encoding="utf-8")
    return path


def _of_year(report: Report, year: int) -> Report:
    return Report(report.format, year, report.agency, dict(report.values), dict(report.narrative))


def test_previous_of_the_wrong_year_is_refused_up_front(tmp_path, good, demo_previous):
    prev = _as_json(tmp_path, _of_year(demo_previous, 2021), "前年.json")
    result = cli("check", good, "--previous", prev)
    assert result.exit_code == 2
    assert "--previous 给出的是2021年的报告，被检查的是2023年的报告，应为2022年" in result.stderr
    assert "结论" not in result.stdout  # nothing was checked
    same = _as_json(tmp_path, _of_year(demo_previous, 2023), "同年.json")
    assert "应为2022年" in cli("check", good, "--previous", same).stderr


def test_previous_is_refused_when_no_checked_report_is_of_the_next_year(tmp_path, plain, demo_previous):
    a = _as_json(tmp_path, _of_year(plain, 2021), "甲.json")
    b = _as_json(tmp_path, _of_year(plain, 2024), "乙.json")
    result = cli("check", a, b, "--previous", _as_json(tmp_path, demo_previous, "上年.json"))
    assert result.exit_code == 2
    assert "--previous 给出的是2022年的报告，被检查的是2021、2024年的报告，应为2020或2023年" in result.stderr


def test_previous_is_used_for_the_next_year_only_and_the_others_say_so(tmp_path, good, plain, demo_previous):
    changed = _of_year(demo_previous, 2022)
    changed.values["sec3.carried_forward.natural_person"] = changed.values.get("sec3.carried_forward.natural_person", 0) + 3
    prev = _as_json(tmp_path, changed, "上年.json")
    later = _as_json(tmp_path, _of_year(plain, 2024), "2024.json")
    code, doc = check_json(good, later, "--previous", prev)
    assert code == 1
    assert "R-XYEAR-CARRIED.natural_person" in findings_of(doc, 0) and "notes" not in doc["files"][0]
    assert not any(k.startswith(("R-XYEAR", "R-IDENTITY")) for k in findings_of(doc, 1))
    assert doc["files"][1]["notes"] == ["未做跨年度检查：--previous 给出的是2022年的报告，本文件为2024年的报告"]
    human = cli("check", good, later, "--previous", prev)
    assert "未做跨年度检查：--previous 给出的是2022年的报告，本文件为2024年的报告" in human.stdout


def test_annotate_never_writes_over_the_checked_workbook(tmp_path, good):
    path = unbalanced(good, tmp_path, "a.xlsx")
    before = digest(path)
    result = cli("check", path, "--annotate", path, "--force")
    assert result.exit_code == 2 and "标注副本不能覆盖被检查的文件" in result.stderr and "a.xlsx" in result.stderr
    assert digest(path) == before


def test_one_check_for_every_command_locates_what_a_filer_fixes(tmp_path, good):
    from gkxl.intake import check_path

    # A finding on the whole report points at the cell of 基本信息 to fix.
    result, _ = check_path(good, year=2022)
    f = next(f for f in result.findings if f.key == "R-IDENTITY.year")
    addr = info_address("year")
    assert (f.sheet, f.cell) == (addr.sheet, addr.a1)
    # An unreadable workbook keeps the sheet and cell of its reason (here: a blank year in an unlocked template).
    blank = write_workbook(Report("2021", 2023, "示例局"), tmp_path / "空白.xlsx", lock_year=False)
    blank = openpyxl_edit(blank, tmp_path / "无年度.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, None))
    result, loaded = check_path(blank)
    assert loaded is None and result.error.startswith(f"工作表“{addr.sheet}”，单元格 {addr.a1}：未填写年度")
    human = cli("check", blank)
    assert human.exit_code == 2 and f"工作表“{addr.sheet}”，单元格 {addr.a1}：未填写年度" in human.stdout


def test_a_folder_names_every_entry_it_does_not_check(tmp_path):
    """check walks a folder as collect walks an inbox: FIFOs, links, other kinds and published reports are named, with why."""
    import os

    from typer.testing import CliRunner

    from gkxl.cli.app import app

    folder = tmp_path / "收件"
    folder.mkdir()
    os.mkfifo(folder / "管道.xlsx")
    (folder / "外部.xlsx").symlink_to("/etc/passwd")
    (folder / "旧.bak").write_text("x")
    (folder / "年报.pdf").write_bytes(b"%PDF-1.4")
    res = CliRunner().invoke(app, ["check", str(folder)])
    assert res.exit_code == 2, res.output  # nothing checkable: the folder is said to hold no file to check
    out = res.output
    assert f"未检查：{folder / '管道.xlsx'}（是一个管道（FIFO），不是普通文件，不予读取）" in out
    assert f"未检查：{folder / '外部.xlsx'}（符号链接，指向文件夹之外，未读取）" in out
    assert f"未检查：{folder / '旧.bak'}（备份或临时文件，未读取）" in out
    assert f"未检查：{folder / '年报.pdf'}（已发布报告类文件，文件夹中的不检查）" in out
    assert f"中有1个已发布报告类文件（.pdf）未检查；检查已发布的报告请直接列出文件，例如 gkxl check {folder}/*.pdf" in out
    assert "Traceback" not in out

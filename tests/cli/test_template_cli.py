"""`gkxl template`: one workbook, the default name and year, the 2019 format for 2020, a roster, and refusals."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.formats.layout import IDENTITY_KEYS, IDENTITY_SHEET, INFO_SHEET, info_address

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["template", *args])


def identity(path) -> dict:
    wb = openpyxl.load_workbook(path)
    ws = wb[IDENTITY_SHEET]
    return {ws.cell(i + 1, 1).value: ws.cell(i + 1, 2).value for i in range(len(IDENTITY_KEYS))}


def test_blank_template_default_name_and_last_year(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke()
    assert result.exit_code == 0, result.output
    last_year = dt.date.today().year - 1
    path = tmp_path / f"空白_{last_year}_政府信息公开年报填报模板.xlsx"
    assert path.exists() and "已生成填报模板" in result.output
    ident = identity(path)
    assert ident["year"] == str(last_year) and ident["agency"] in (None, "") and ident["locked"] == "0"


def test_agency_is_prefilled_and_locked(tmp_path):
    out = tmp_path / "a.xlsx"
    result = invoke("--agency", " 示例市示例区教育局 ", "--year", "2023", "-o", str(out))
    assert result.exit_code == 0, result.output
    ident = identity(out)
    assert (ident["agency"], ident["year"], ident["format"], ident["locked"]) == ("示例市示例区教育局", "2023", "2021", "1")
    cell = openpyxl.load_workbook(out)[INFO_SHEET][info_address("agency").a1]
    assert cell.value == "示例市示例区教育局" and cell.protection.locked


def test_year_2020_gives_the_2019_trial_format(tmp_path):
    out = tmp_path / "t.xlsx"
    result = invoke("--year", "2020", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert identity(out)["format"] == "2019"
    wb = openpyxl.load_workbook(out)
    texts = {c.value for row in wb["表二"].iter_rows() for c in row if isinstance(c.value, str)}
    assert {"第二十条第（九）项", "本年新制作数量", "其他对外管理服务事项"} <= texts and "本年制发件数" not in texts


def test_format_override_warns(tmp_path):
    out = tmp_path / "t.xlsx"
    result = invoke("--year", "2022", "--format", "2019", "-o", str(out))
    assert result.exit_code == 0
    assert "注意" in result.output and "国办公开办函〔2021〕30号" in result.output
    assert identity(out)["format"] == "2019"


@pytest.mark.parametrize(
    "args,message",
    [
        (["--year", "2018"], "不早于2019"),
        (["--year", str(dt.date.today().year + 1)], "不能晚于今年"),
        (["--format", "2020"], "格式“2020”无效"),
        (["-o", "模板.xls"], "应以 .xlsx 结尾"),
        (["--agency", "局\x01"], "控制字符"),
    ],
)
def test_bad_options_are_refused_with_a_chinese_line(tmp_path, args, message):
    result = invoke(*args, "-o", str(tmp_path / "x.xlsx")) if "-o" not in args else invoke(*args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_existing_file_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "t.xlsx"
    assert invoke("--year", "2023", "-o", str(out)).exit_code == 0
    before = out.read_bytes()
    result = invoke("--year", "2023", "--agency", "示例局", "-o", str(out))
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_bytes() == before
    assert invoke("--year", "2023", "--agency", "示例局", "-o", str(out), "--force").exit_code == 0
    assert identity(out)["agency"] == "示例局"


def test_output_folder_gets_the_default_name(tmp_path):
    result = invoke("--year", "2023", "--agency", "示例局", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "示例局_2023_政府信息公开年报填报模板.xlsx").exists()


def test_roster_writes_one_locked_workbook_per_unit(tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_bytes("单位名称\n示例市示例区教育局\n示例市示例区财政局\n示例市/示例区审计局\n".encode("gbk"))
    out = tmp_path / "模板"
    result = invoke("--roster", str(roster), "--year", "2023", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "3 个单位" in result.output
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"{n}_2023_政府信息公开年报填报模板.xlsx" for n in ("示例市示例区教育局", "示例市示例区财政局", "示例市_示例区审计局"))
    for unit, name in (("示例市示例区财政局", "示例市示例区财政局"), ("示例市/示例区审计局", "示例市_示例区审计局")):
        path = out / f"{name}_2023_政府信息公开年报填报模板.xlsx"
        ident = identity(path)
        assert (ident["agency"], ident["year"], ident["locked"]) == (unit, "2023", "1")
        info = openpyxl.load_workbook(path)[INFO_SHEET]
        agency, year = info[info_address("agency").a1], info[info_address("year").a1]
        assert (agency.value, agency.protection.locked, year.value, year.protection.locked) == (unit, True, 2023, True)
    # Again: refused as a whole, nothing replaced; with --force all are rewritten.
    again = invoke("--roster", str(roster), "--year", "2023", "-o", str(out))
    assert again.exit_code == 2 and "已存在" in again.output
    assert invoke("--roster", str(roster), "--year", "2023", "-o", str(out), "--force").exit_code == 0


def test_roster_refusals_write_nothing(tmp_path):
    out = tmp_path / "模板"
    dup = tmp_path / "dup.csv"
    dup.write_text("单位名称\n示例局\n示例局\n", encoding="utf-8-sig")
    result = invoke("--roster", str(dup), "--year", "2023", "-o", str(out))
    assert result.exit_code == 2 and "第2行和第3行" in result.output and "重复" in result.output
    clash = tmp_path / "clash.csv"
    clash.write_text("单位名称\n甲/乙局\n甲_乙局\n", encoding="utf-8")
    result = invoke("--roster", str(clash), "--year", "2023", "-o", str(out))
    assert result.exit_code == 2 and "文件名相同" in result.output
    result = invoke("--roster", str(dup), "--agency", "示例局", "--year", "2023", "-o", str(out))
    assert result.exit_code == 2 and "不能同时使用" in result.output
    assert not out.exists()


def test_help_is_chinese_with_an_example():
    result = runner.invoke(app, ["template", "--help"])
    assert result.exit_code == 0
    assert "生成锁定的填报模板" in result.output and "--roster" in result.output and "示例" in result.output


def test_written_file_is_the_workbook_bytes(tmp_path):
    from gkxl.excel.writer import build_workbook
    from gkxl.model import Report

    out = tmp_path / "t.xlsx"
    assert invoke("--year", "2021", "--agency", "示例局", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == build_workbook(Report("2021", 2021, "示例局"), lock_agency=True)
    openpyxl.load_workbook(io.BytesIO(out.read_bytes()))

"""Registers as units keep them: gkxl's register workbook, a CSV in GB18030 with its own column names and words, an
xlsx with a title and a two-row merged header and extra columns, and ones that cannot be read; the register workbook
opened and saved by LibreOffice keeps its lists and date validation; `gkxl ledger` and `gkxl check --ledger`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.errors import InputError
from gkxl.ledger.counting import count
from gkxl.ledger.reader import read_register
from gkxl.ledger.template import build_register

runner = CliRunner()
D = dt.date


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


def nonzero(values: dict) -> dict:
    return {k: v for k, v in values.items() if v}


@pytest.fixture
def gkxl_register(tmp_path) -> Path:
    """gkxl's register workbook, filled in as a person would (values from the drop-down lists, real dates)."""
    path = tmp_path / "台账.xlsx"
    path.write_bytes(build_register(agency="示例市示例区教育局", year=2025))
    wb = openpyxl.load_workbook(path)
    ws = wb["申请台账"]
    rows = [("2025-001", D(2025, 1, 6), "自然人", "招生计划", "（一）予以公开", D(2025, 1, 20)),
            ("2025-002", D(2025, 3, 2), "商业企业", "采购合同", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", D(2025, 3, 25)),
            ("2025-003", D(2025, 12, 31), "自然人", "学位", None, None)]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c if c < 6 else 6).value = value
    ws2 = wb["复议诉讼台账"]
    for c, value in enumerate(("F-1", "行政复议", D(2025, 5, 1), None, None), start=1):
        if value is not None:
            ws2.cell(3, c).value = value
    wb.save(path)
    return path


def test_gkxl_register_reads_and_counts(gkxl_register):
    read = read_register(gkxl_register)
    counted = count(read.register, year=2025)
    assert counted.findings == []
    assert nonzero(counted.values) == {
        "sec3.new_received.natural_person": 2, "sec3.new_received.business": 1, "sec3.granted.natural_person": 1,
        "sec3.partly_granted.business": 1, "sec3.carried_forward.natural_person": 1, "sec4.review.pending": 1}
    assert any("申请台账" in m and "收到日期 ← B列“收到日期”" in m for m in read.mapping)


def test_a_csv_in_gb18030_with_its_own_columns_and_words(tmp_path):
    text = ("序号,受理日期,申请人性质,申请内容,处理结果,办结日期,经办人\n"
            "1,2025/3/8,个人,道路规划,同意公开,2025年3月20日,张三\n"
            "2,2025年4月1日,律所,案卷,信息不存在,20250415,李四\n"
            "3,2025.5.6,企业,合同,不予公开-4.保护第三方合法权益,2025-05-30,王五\n"
            ",,,,,,\n")
    path = tmp_path / "申请登记.csv"
    path.write_bytes(text.encode("gb18030"))
    read = read_register(path)
    assert read.mapping == ["申请登记.csv（申请台账，表头在第1行）：编号 ← A列“序号”，收到日期 ← B列“受理日期”，申请人类型 ← C列“申请人性质”，"
                            "申请内容摘要 ← D列“申请内容”，办理结果 ← E列“处理结果”，答复日期 ← F列“办结日期”"]
    counted = count(read.register, year=2025)
    assert counted.findings == []
    assert nonzero(counted.values) == {
        "sec3.new_received.natural_person": 1, "sec3.new_received.legal_service": 1, "sec3.new_received.business": 1,
        "sec3.granted.natural_person": 1, "sec3.unable.not_held.legal_service": 1, "sec3.refused.third_party.business": 1}


def test_an_xlsx_with_a_title_a_merged_two_row_header_and_extra_columns(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2025年申请登记"
    ws["A1"] = "示例局2025年政府信息公开申请登记表"
    ws.merge_cells("A1:H1")
    ws["A2"], ws["D2"], ws["G2"] = "基本情况", "办理情况", "其他"
    ws.merge_cells("A2:C2")
    ws.merge_cells("D2:F2")
    for c, h in enumerate(("编号", "申请时间", "申请人类别", "答复结果", "答复时间", "联系电话", "备注", "经办科室"), start=1):
        ws.cell(3, c).value = h
    ws.append(["S1", D(2025, 2, 3), "公民", "部分公开", D(2025, 2, 20), "138", "", "办公室"])
    ws.append(["S2", D(2024, 12, 30), "其他组织", "逾期不补正", D(2025, 1, 15), "", "", "办公室"])
    ws2 = wb.create_sheet("复议诉讼")
    ws2.append(["案号", "案件类型", "立案日期", "审理结果", "审结日期"])
    ws2.append(["(2025)1号", "复议后起诉", D(2025, 3, 1), "驳回诉讼请求", D(2025, 9, 1)])
    ws3 = wb.create_sheet("统计")
    ws3["A1"] = "本表由登记表汇总"
    path = tmp_path / "登记表.xlsx"
    wb.save(path)
    read = read_register(path)
    assert read.unused == ["工作表“统计”中没有找到台账的表头，未读取"]
    counted = count(read.register, year=2025)
    assert counted.findings == []
    assert nonzero(counted.values) == {
        "sec3.new_received.natural_person": 1, "sec3.carried_over.other_org": 1, "sec3.partly_granted.natural_person": 1,
        "sec3.other.no_correction.other_org": 1, "sec4.litigation_after_review.upheld": 1}


def test_values_that_are_not_certain_are_findings_naming_sheet_row_and_cell(tmp_path):
    path = tmp_path / "台账.csv"
    path.write_text("编号,收到日期,申请人类型,办理结果,答复日期\n"
                    "1,2025-03-01,法人,予以公开,2025-03-09\n"  # 法人: which kind?
                    "2,2025-03-01,自然人,其他,2025-03-09\n"  # 其他 of which group?
                    "3,2025-02-30,自然人,予以公开,2025-03-09\n"  # no such day
                    "4,45678,自然人,予以公开,2025-03-09\n"  # a number, not a date
                    "5,2025-03-01,自然人,不予公开,2025-03-09\n", encoding="utf-8")  # which 不予公开?
    read = read_register(path)
    msgs = {f.scope: f.message for f in read.register.findings}
    assert msgs["台账.csv:2"].startswith("台账.csv第2行：申请人类型“法人”不是可选的值")
    assert "须写明所属的类别，如“其他处理-其他”" in msgs["台账.csv:3"]
    assert "收到日期“2025-02-30”不是日期" in msgs["台账.csv:4"]
    assert "“45678（一个数，不是日期格式）”不是日期" in msgs["台账.csv:5"]
    assert "可指（三）不予公开：1.属于国家秘密" in msgs["台账.csv:6"] and "8项" in msgs["台账.csv:6"]
    assert {f.cell for f in read.register.findings} == {"C2", "D3", "B4", "B5", "D6"}
    assert read.register.applications == []


def test_a_file_without_a_registers_columns_is_one_line_naming_what_was_looked_for(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("姓名,电话\n张三,138\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_register(path)
    assert "没有找到依申请台账或复议诉讼台账的表头" in exc.value.message and "申请人类型" in exc.value.message
    r = cli("ledger", path, "--year", 2025)
    assert r.exit_code == 2 and r.output.strip().count("\n") == 0 and "Traceback" not in r.output, r.output


def test_gkxl_ledger_writes_the_contract_json_and_fills_a_workbook(gkxl_register, tmp_path):
    r = cli("ledger", gkxl_register, "--year", 2025, "-o", tmp_path / "数据.json", "--agency", "示例市示例区教育局", "--trace")
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "数据.json").read_text(encoding="utf-8"))
    assert data["schema"] == "gkxl.report/1" and data["year"] == 2025
    assert data["values"]["sec3.new_received.total"] == 3 and data["values"]["sec3.results_total.total"] == 2
    assert data["values"]["sec3.carried_forward.total"] == 1 and data["values"]["sec4.review.pending"] == 1
    assert "表三 四、结转下年度继续办理 / 自然人 = 1：申请台账第5行（2025-003）" in r.output
    # into a unit's workbook: a new workbook whose tables are the register's; it then checks against the register clean
    assert cli("template", "--agency", "示例市示例区教育局", "--year", 2025, "-o", tmp_path / "模板.xlsx").exit_code == 0
    before = (tmp_path / "模板.xlsx").read_bytes()
    r = cli("ledger", gkxl_register, "--year", 2025, "--into", tmp_path / "模板.xlsx", "-o", tmp_path / "填好.xlsx")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "模板.xlsx").read_bytes() == before
    checked = cli("check", tmp_path / "填好.xlsx", "--ledger", gkxl_register, "--json")
    doc = json.loads(checked.output)
    assert not [f for f in doc["files"][0]["findings"] if f["rule"].startswith("R-LEDGER")]


def test_check_ledger_names_each_differing_cell_with_both_numbers_and_the_rows(gkxl_register, tmp_path):
    values = {"sec3.new_received.natural_person": 1, "sec3.new_received.business": 1}  # one 自然人 application missed
    doc = {"schema": "gkxl.report/1", "format": "2021", "agency": "示例市示例区教育局", "year": 2025, "values": values}
    path = tmp_path / "报告.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = cli("check", path, "--ledger", gkxl_register, "--json")
    found = [f for f in json.loads(r.output)["files"][0]["findings"] if f["rule"] == "R-LEDGER"]
    assert [(f["scope"], f["actual"], f["expected"], f["severity"]) for f in found] == [("sec3.new_received.natural_person", 1, 2, "核实")]
    assert "申请台账第3行（2025-001）、申请台账第5行（2025-003）" in found[0]["message"]


def test_the_register_workbook_through_libreoffice_keeps_its_lists_and_date_validation(tmp_path, soffice):
    from gkxl.office import convert

    src = tmp_path / "台账.xlsx"
    src.write_bytes(build_register(agency="示例局", year=2025))
    saved = convert(src, "xlsx", tmp_path / "lo")
    wb = openpyxl.load_workbook(saved)
    kinds = {}
    for name in ("申请台账", "复议诉讼台账"):
        for dv in wb[name].data_validations.dataValidation:
            kinds[(name, str(dv.sqref).split(":")[0])] = (dv.type, dv.formula1)
    assert kinds[("申请台账", "B3")][0] == "date" and kinds[("申请台账", "F3")][0] == "date"
    assert kinds[("申请台账", "C3")][0] == "list" and "选项" in kinds[("申请台账", "C3")][1]
    assert kinds[("申请台账", "E3")][0] == "list" and kinds[("复议诉讼台账", "B3")][0] == "list"
    choices = wb["选项"]
    assert [choices.cell(r, 1).value for r in range(1, 7)] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # the sheet is protected; its register columns are unlocked (a column format, so inserted rows are too)
    assert wb["申请台账"].protection.sheet and wb["申请台账"].column_dimensions["B"].protection.locked is False
    # and it still reads as a register
    assert read_register(saved).mapping

"""`gkxl export` and `gkxl fill`: the round trip between a workbook and the contract's JSON, and what each refuses."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from workbook_helpers import cli, digest, openpyxl_edit, write_workbook

from gkxl.excel.reader import read_workbook
from gkxl.model import Report, report_from_json, report_to_dict, report_to_json
from gkxl.formats import get_format
from gkxl.formats.layout import field_address

SPEC = get_format("2021")


@pytest.fixture
def filled(tmp_path, demo_report) -> Path:
    return write_workbook(demo_report, tmp_path / "已填.xlsx")


@pytest.fixture
def template(tmp_path) -> Path:
    return write_workbook(Report("2021", 2023, "示例市示例区人力资源和社会保障局"), tmp_path / "模板.xlsx", lock_agency=True)


def write_json(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_export_writes_the_contract_with_totals(tmp_path, filled, demo_report):
    out = tmp_path / "导出.json"
    before = digest(filled)
    result = cli("export", filled, "-o", out)
    assert result.exit_code == 0 and "已导出" in result.stdout
    assert digest(filled) == before
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc == report_to_dict(demo_report)
    assert doc["values"]["sec2.fees.amount_wan"] == "151.598"  # money as a string: no float touches it
    assert doc["values"]["sec3.results_total.total"] == demo_report.with_totals()["sec3.results_total.total"]


def test_export_never_overwrites_without_force(tmp_path, filled):
    out = tmp_path / "导出.json"
    out.write_text("旧内容", encoding="utf-8")
    result = cli("export", filled, "-o", out)
    assert result.exit_code == 2 and "--force" in result.stderr and out.read_text(encoding="utf-8") == "旧内容"
    assert cli("export", filled, "-o", out, "--force").exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "gkxl.report/1"


def test_export_leaves_out_unreadable_cells_and_says_so(tmp_path, filled):
    addr = field_address(SPEC, "sec3.granted.natural_person")
    path = openpyxl_edit(filled, tmp_path / "有误.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, "1件"))
    out = tmp_path / "导出.json"
    result = cli("export", path, "-o", out)
    assert result.exit_code == 1
    assert f"{addr.sheet}!{addr.a1}" in result.stderr and "“1件”" in result.stderr and "未写入 JSON" in result.stderr
    values = json.loads(out.read_text(encoding="utf-8"))["values"]
    assert "sec3.granted.natural_person" not in values
    assert "sec3.granted.total" not in values and "sec3.results_total.total" not in values  # totals need every term


def test_export_reads_a_workbook_saved_by_openpyxl(tmp_path, filled, demo_report):
    path = openpyxl_edit(filled, tmp_path / "openpyxl.xlsx", lambda wb: None)  # formulas without cached values
    out = tmp_path / "导出.json"
    assert cli("export", path, "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == report_to_dict(demo_report)


def test_fill_then_export_round_trip(tmp_path, template, demo_report):
    data = tmp_path / "数据.json"
    data.write_text(report_to_json(demo_report), encoding="utf-8")
    before = (digest(template), digest(data))
    out = tmp_path / "填好.xlsx"
    result = cli("fill", template, "--data", data, "-o", out)
    assert result.exit_code == 0 and "已填写" in result.stdout
    assert (digest(template), digest(data)) == before
    loaded = read_workbook(out)
    assert loaded.locked_agency and loaded.found == []
    assert loaded.report.values == demo_report.values
    back = tmp_path / "回读.json"
    assert cli("export", out, "-o", back).exit_code == 0
    assert back.read_text(encoding="utf-8") == data.read_text(encoding="utf-8")


def test_fill_keeps_what_the_template_has_and_the_data_does_not_say(tmp_path, template):
    addr = field_address(SPEC, "sec2.penalty.decisions")
    partly = openpyxl_edit(template, tmp_path / "部分.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, 6))
    data = write_json(tmp_path / "d.json", {"year": 2023, "values": {"sec2.coercion.decisions": 2}, "narrative": {"problems": "问题\n改进"}})
    out = tmp_path / "out.xlsx"
    assert cli("fill", partly, "--data", data, "-o", out).exit_code == 0
    report = read_workbook(out).report
    assert report.values == {"sec2.penalty.decisions": 6, "sec2.coercion.decisions": 2}
    assert report.narrative == {"problems": "问题\n改进"}
    assert report.agency == "示例市示例区人力资源和社会保障局"  # a JSON without agency takes the workbook's


def fill_refused(tmp_path, template, data: dict, words: str) -> str:
    path = write_json(tmp_path / "数据.json", data)
    before = (digest(template), digest(path))
    out = tmp_path / "out.xlsx"
    result = cli("fill", template, "--data", path, "-o", out)
    text = result.stdout + result.stderr
    assert result.exit_code == 2 and words in text and "Traceback" not in text, text
    assert not out.exists() and (digest(template), digest(path)) == before
    return text


def test_fill_refuses_unknown_ids(tmp_path, template):
    text = fill_refused(tmp_path, template, {"year": 2023, "values": {"sec9.nothing": 1}}, "sec9.nothing")
    assert "数据.json" in text


def test_fill_refuses_values_of_the_wrong_type(tmp_path, template):
    text = fill_refused(tmp_path, template, {"year": 2023, "values": {"sec2.penalty.decisions": "5件", "sec2.coercion.decisions": -1}}, "无效")
    assert "“5件”" in text and "“-1”" in text


def test_fill_refuses_another_year_or_unit(tmp_path, template):
    fill_refused(tmp_path, template, {"year": 2024, "values": {}}, "模板锁定为2023年度")
    fill_refused(tmp_path, template, {"year": 2023, "agency": "另一个局", "values": {}}, "模板锁定为“示例市示例区人力资源和社会保障局”")
    fill_refused(tmp_path, template, {"year": 2020, "format": "2019", "values": {}}, "格式")


def test_fill_refuses_totals_the_workbook_cannot_hold(tmp_path, template):
    values = {f"sec4.review.{c}": 1 for c in ("upheld", "corrected", "other", "pending")}
    fill_refused(tmp_path, template, {"year": 2023, "values": {**values, "sec4.review.total": 5}}, "不等于分项之和")
    fill_refused(tmp_path, template, {"year": 2023, "values": {"sec4.review.total": 5}}, "分项未填全")


def test_fill_an_unlocked_template_takes_the_data_unit(tmp_path):
    blank = write_workbook(Report("2021", 2023), tmp_path / "空白.xlsx", lock_agency=False, lock_year=False)
    data = write_json(tmp_path / "d.json", {"year": 2024, "agency": "新单位", "values": {"sec2.fees.amount_wan": "0.0001"}})
    out = tmp_path / "out.xlsx"
    assert cli("fill", blank, "--data", data, "-o", out).exit_code == 0
    report = read_workbook(out).report
    assert (report.agency, report.year) == ("新单位", 2024)
    assert report.values == {"sec2.fees.amount_wan": Decimal("0.0001")}
    assert not read_workbook(out).locked_agency


def test_fill_never_writes_over_its_inputs(tmp_path, template):
    data = write_json(tmp_path / "d.json", {"year": 2023, "values": {}})
    before = digest(template)
    result = cli("fill", template, "--data", data, "-o", template, "--force")
    assert result.exit_code == 2 and "输入文件" in result.stderr and digest(template) == before
    (tmp_path / "已有.xlsx").write_bytes(b"old")
    assert cli("fill", template, "--data", data, "-o", tmp_path / "已有.xlsx").exit_code == 2
    assert (tmp_path / "已有.xlsx").read_bytes() == b"old"


def test_fill_refuses_a_template_whose_layout_changed(tmp_path, template):
    changed = openpyxl_edit(template, tmp_path / "改过.xlsx", lambda wb: wb["表三"].insert_rows(8))
    data = write_json(tmp_path / "d.json", {"year": 2023, "values": {}})
    result = cli("fill", changed, "--data", data, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 2 and "模板结构已被改动" in result.stderr and "插入了1行" in result.stderr


def test_json_with_fraction_stays_decimal(tmp_path, template):
    data = tmp_path / "d.json"
    data.write_text('{"year": 2023, "values": {"sec2.fees.amount_wan": 0.1}, "fee_yuan": "30.5"}', encoding="utf-8")
    out = tmp_path / "out.xlsx"
    assert cli("fill", template, "--data", data, "-o", out).exit_code == 0
    back = tmp_path / "back.json"
    assert cli("export", out, "-o", back).exit_code == 0
    report, found = report_from_json(back.read_text(encoding="utf-8"))
    assert report.values["sec2.fees.amount_wan"] == Decimal("0.1") and report.meta["fee_yuan"] == "30.5" and not found


def test_fill_names_the_data_file_for_text_a_cell_cannot_hold(tmp_path, template):
    text = fill_refused(tmp_path, template, {"year": 2023, "narrative": {"problems": "第一段\u0007响铃"}}, "控制字符")
    assert "数据.json" in text and "Traceback" not in text


def test_fill_refuses_a_number_a_spreadsheet_cannot_hold_instead_of_changing_it(tmp_path, template):
    text = fill_refused(tmp_path, template, {"year": 2023, "values": {"sec3.granted.natural_person": 12345678901234567}}, "数值过大")
    assert "数据.json" in text and "“12345678901234567”" in text and "超过15位有效数字" in text


def test_fill_refuses_huge_values_as_input_not_as_an_internal_error(tmp_path, template):
    path = tmp_path / "数据.json"
    path.write_text('{"year": 2023, "values": {"sec3.granted.natural_person": ' + "9" * 5000 + "}}", encoding="utf-8")
    result = cli("fill", template, "--data", path, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 2 and "数据.json" in result.stderr and "位数过多" in result.stderr
    text = fill_refused(tmp_path, template, {"year": 2023, "values": {"sec2.fees.amount_wan": "12345678901234567890123456789.00001"}}, "数值过大")
    assert "数据.json" in text and "内部错误" not in text


def test_fill_then_export_keeps_15_significant_digits_exactly(tmp_path, template):
    data = write_json(tmp_path / "数据.json", {"year": 2023, "values": {"sec3.granted.natural_person": 999999999999999, "sec2.fees.amount_wan": "12345678901.2345"}})
    out, back = tmp_path / "out.xlsx", tmp_path / "back.json"
    assert cli("fill", template, "--data", data, "-o", out).exit_code == 0
    assert cli("export", out, "-o", back).exit_code == 0
    values = json.loads(back.read_text(encoding="utf-8"))["values"]
    assert values["sec3.granted.natural_person"] == 999999999999999 and values["sec2.fees.amount_wan"] == "12345678901.2345"


def test_export_refuses_a_typed_number_beyond_15_digits(tmp_path, filled):
    addr = field_address(SPEC, "sec3.granted.natural_person")
    path = openpyxl_edit(filled, tmp_path / "大数.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, 12345678901234567))
    out = tmp_path / "导出.json"
    result = cli("export", path, "-o", out)
    assert result.exit_code == 1
    assert f"{addr.sheet}!{addr.a1}" in result.stderr and "数值过大" in result.stderr and "未写入 JSON" in result.stderr
    assert "sec3.granted.natural_person" not in json.loads(out.read_text(encoding="utf-8"))["values"]

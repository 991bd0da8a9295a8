"""R-IDENTITY.format, R-DATE and R-EXPLANATION: on JSON, on workbooks, and on any report run through the rules."""

from __future__ import annotations

import json

import pytest
from reports import balance
from workbook_helpers import check_json, cli, findings_of, openpyxl_edit, write_workbook

from gkxl.formats import get_format
from gkxl.formats.layout import EXPLAIN_SHEET, INFO_SHEET, explain_address, info_address
from gkxl.model import Report, report_to_dict
from gkxl.rules import run_rules


def full(fmt: str, year: int, **meta) -> Report:
    spec = get_format(fmt)
    values = {cid: (1 if spec.fields[cid].kind.value != "amount" else 0) for cid in spec.inputs}
    return balance(Report(fmt, year, "示例市示例区测试局", values, meta=dict(meta)))


def keys(findings) -> dict[str, object]:
    return {f.key: f for f in findings}


# --- R-IDENTITY.format -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, year, right", [("2019", 2023, "2021"), ("2021", 2020, "2019"), ("2019", 2021, "2021")])
def test_a_format_its_year_does_not_use_is_mandatory(fmt, year, right):
    found = keys(run_rules(full(fmt, year)))
    f = found["R-IDENTITY.format"]
    assert f.severity.value == "强制" and f.is_open
    assert str(year) in f.message and get_format(right).document in f.message and get_format(fmt).document in f.message


@pytest.mark.parametrize("fmt, year", [("2021", 2021), ("2021", 2025), ("2019", 2019), ("2019", 2020)])
def test_the_right_format_gives_no_identity_finding(fmt, year):
    assert "R-IDENTITY.format" not in keys(run_rules(full(fmt, year)))


def test_check_of_a_json_in_the_wrong_format_fails(tmp_path):
    path = tmp_path / "2023年报.json"
    path.write_text(json.dumps(report_to_dict(full("2019", 2023)), ensure_ascii=False), encoding="utf-8")
    code, doc = check_json(path, "--year", "2023")
    assert code == 1 and doc["files"][0]["verdict"] != "通过"
    f = findings_of(doc)["R-IDENTITY.format"]
    assert f["severity"] == "强制" and "2023" in f["message"]


def test_check_of_a_workbook_in_the_wrong_format_points_at_the_year(tmp_path):
    path = write_workbook(full("2019", 2023), tmp_path / "2023年报.xlsx")
    code, doc = check_json(path, "--year", "2023")
    assert code == 1
    f = findings_of(doc)["R-IDENTITY.format"]
    assert (f["sheet"], f["cell"]) == (INFO_SHEET, info_address("year").a1) and f["severity"] == "强制"
    # The one finding, not two: the workbook reader and the rule say the same thing once.
    assert [x["key"] for x in doc["files"][0]["findings"]].count("R-IDENTITY.format") == 1


# --- R-DATE -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day, severity", [
    ("2025-01-20", "强制"), ("2025-12-31", "强制"), ("2024-06-01", "强制"),  # inside the report year, or before it
    ("2026-04-01", "核实"), ("2027-06-01", "核实"),  # after 3月31日 of the next year
])
def test_issued_on_outside_the_next_years_first_quarter(day, severity):
    found = keys(run_rules(full("2021", 2025, issued_on=day)))
    f = found["R-DATE.issued_on"]
    assert f.severity.value == severity
    y, m, d = (int(x) for x in day.split("-"))
    assert f"{y}年{m}月{d}日" in f.message and "2025年" in f.message  # the date and the report year, in words
    if severity == "强制":
        assert "2026-01-20" in f.message  # the example follows the report year


@pytest.mark.parametrize("day", ["2026-01-01", "2026-01-20", "2026-03-31"])
def test_issued_on_in_the_next_years_first_quarter_is_fine(day):
    assert "R-DATE.issued_on" not in keys(run_rules(full("2021", 2025, issued_on=day)))


def test_a_late_date_is_settled_by_a_written_explanation():
    report = full("2021", 2025, issued_on="2026-05-08")
    report.explanations["R-DATE.issued_on"] = "因机构改革，报告推迟至5月印发"
    (f,) = [f for f in run_rules(report) if f.rule == "R-DATE"]
    assert f.explained and not f.is_open


def test_a_workbook_signed_in_the_report_year_is_refused_at_the_date_cell(tmp_path):
    path = write_workbook(full("2021", 2025, issued_on="2025-01-20"), tmp_path / "a.xlsx")
    code, doc = check_json(path)
    f = findings_of(doc)["R-DATE.issued_on"]
    assert code == 1 and (f["sheet"], f["cell"]) == (INFO_SHEET, info_address("issued_on").a1)
    report = cli("report", path, "-o", tmp_path / "a.docx")
    assert report.exit_code != 0 and not (tmp_path / "a.docx").exists()


def test_the_template_example_date_follows_its_year():
    import io

    import openpyxl

    from gkxl.excel.writer import build_workbook

    for year in (2022, 2025):
        wb = openpyxl.load_workbook(io.BytesIO(build_workbook(Report("2021", year, "示例局"), lock_agency=True)))
        ws = wb[INFO_SHEET]
        addr = info_address("issued_on")
        hint = ws.cell(addr.row + 1, 3).value
        assert f"例如 {year + 1}-01-20" in hint and hint.count("-01-20") == 1
        (dv,) = [dv for dv in ws.data_validations.dataValidation if addr.a1 in dv.sqref]
        assert f"{year + 1}-01-20" in dv.prompt and f"{year + 1}-01-20" in dv.error
        # A date inside the report year (or before it) is refused as typed: the earliest is 1 January of the next.
        import datetime as dt

        first = (dt.date(year + 1, 1, 1) - dt.date(1899, 12, 30)).days
        assert dv.type == "date" and dv.operator in (None, "between") and int(dv.formula1) == first and dv.errorStyle in (None, "stop")
    blank = openpyxl.load_workbook(io.BytesIO(build_workbook(Report("2021", 2021), lock_agency=False, lock_year=False)))
    hint = blank[INFO_SHEET].cell(info_address("issued_on").row + 1, 3).value
    assert "次年" in hint and "2022-01-20" in hint


# --- 说明 keys and R-EXPLANATION ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    "R-MISSING.sec2.regulations.issued",
    "R-MISSING．sec2．regulations．issued",  # full-width full stop
    "R-MISSING。sec2。regulations。issued",  # ideographic full stop (a Chinese input method's ".")
    "r-missing.sec2.regulations.issued",  # other case
    " R-MISSING.sec2.regulations.issued\u3000",  # full-width space
    "R-MISSING.\u00a0sec2.regulations.issued",  # no-break space
    "R-MISSING.sec2.regulations. issued",  # a space after a stop
    "Ｒ－ＭＩＳＳＩＮＧ．ｓｅｃ２．ｒｅｇｕｌａｔｉｏｎｓ．ｉｓｓｕｅｄ",  # all full width
])
def test_a_key_typed_another_way_still_settles_its_finding(typed):
    report = full("2021", 2023)
    del report.values["sec2.regulations.issued"]
    report.explanations[typed] = "本单位无规章制定权，特此说明"
    found = keys(run_rules(report))
    assert found["R-MISSING.sec2.regulations.issued"].explained
    assert not [f for f in found.values() if f.rule == "R-EXPLANATION"]


def test_an_explanation_that_matches_no_finding_is_a_hint_naming_the_key():
    report = full("2021", 2023)
    report.explanations["R-MISSING.sec2.regulations.isued"] = "本单位无规章制定权，特此说明"  # a typo in the scope
    report.explanations["R-XYEAR-CARIED.natural_person"] = "机构改革，上年结转由原单位统计"  # a typo in the rule id
    report.explanations["R-XYEAR-CARRIED.natural_person"] = "机构改革，上年结转由原单位统计"  # no --previous given
    found = [f for f in run_rules(report) if f.rule == "R-EXPLANATION"]
    by_key = {f.raw: f for f in found}
    assert set(by_key) == set(report.explanations)
    assert all(f.severity.value == "提示" and not f.is_open for f in found)
    assert "没有对应的检查问题" in by_key["R-MISSING.sec2.regulations.isued"].message
    assert "不是检查规则的编号" in by_key["R-XYEAR-CARIED.natural_person"].message
    assert "上年报告" in by_key["R-XYEAR-CARRIED.natural_person"].message
    assert all(f"“{k}”" in f.message for k, f in by_key.items())


def test_a_space_typed_for_an_underscore_still_matches():
    report = full("2021", 2023)
    report.values["sec3.carried_over.natural_person"] += 1  # R-BALANCE.natural_person, and its 说明 (not enough: 强制)
    report.explanations["r-balance.natural person"] = "本年度的申请有一件重复统计"
    found = keys(run_rules(report))
    assert found["R-BALANCE.natural_person"].explanation == "本年度的申请有一件重复统计"
    assert found["R-BALANCE.natural_person"].is_open  # a 说明 never settles a 强制 finding
    assert not [f for f in found.values() if f.rule == "R-EXPLANATION"]


def test_two_keys_that_normalise_alike_keep_the_later_and_say_so():
    report = full("2021", 2023)
    del report.values["sec2.regulations.issued"]
    report.explanations["R-MISSING.sec2.regulations.issued"] = "第一条说明文字较长"
    report.explanations["R-MISSING．sec2．regulations．issued"] = "第二条说明文字较长"
    found = run_rules(report)
    (missing,) = [f for f in found if f.rule == "R-MISSING"]
    assert missing.explanation == "第二条说明文字较长"
    (hint,) = [f for f in found if f.rule == "R-EXPLANATION"]
    assert hint.raw == "R-MISSING.sec2.regulations.issued" and "只使用了后一条" in hint.message


def test_workbook_explanation_lines_are_matched_tolerantly_and_unmatched_ones_named_by_row(tmp_path):
    report = full("2021", 2023)
    del report.values["sec2.regulations.issued"]
    path = write_workbook(report, tmp_path / "a.xlsx")
    lines = {
        0: ("R-MISSING。sec2.regulations.issued", "本单位无规章制定权，特此说明"),
        1: ("R-MISSING.sec2.regulations.isued", "打错了编号的一条说明"),
        2: ("", "忘了填写编号的一条说明"),
        3: ("R-TEXT-NUMBER.problems", None),
    }

    def edit(wb):
        for i, (key, text) in lines.items():
            k, t = explain_address(i)
            wb[k.sheet][k.a1] = key or None
            wb[t.sheet][t.a1] = text

    code, doc = check_json(openpyxl_edit(path, tmp_path / "e.xlsx", edit))
    found = findings_of(doc)
    assert found["R-MISSING.sec2.regulations.issued"]["explanation"] == "本单位无规章制定权，特此说明"
    assert not found["R-MISSING.sec2.regulations.issued"]["open"] and code == 0
    hints = {f["cell"]: f for f in found.values() if f["rule"] == "R-EXPLANATION"}
    row = {i: explain_address(i)[0].row + 1 for i in lines}
    assert set(hints) == {f"A{row[1]}", f"B{row[2]}", f"A{row[3]}"}
    assert all(f["sheet"] == EXPLAIN_SHEET and f["severity"] == "提示" for f in hints.values())
    assert f"第{row[1]}行" in hints[f"A{row[1]}"]["message"] and "R-MISSING.sec2.regulations.isued" in hints[f"A{row[1]}"]["message"]
    assert "没有填写问题编号" in hints[f"B{row[2]}"]["message"]
    assert "没有说明文字" in hints[f"A{row[3]}"]["message"]

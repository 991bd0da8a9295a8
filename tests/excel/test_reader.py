"""Reading gkxl workbooks back: identity, values, totals never trusted, metadata, narrative and 说明."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from reports import balance
from workbook_helpers import openpyxl_edit, rezip, sheet_part, write_workbook

from gkxl.errors import InputError
from gkxl.excel.reader import excel_number, read_with_identity, read_workbook
from gkxl.intake import check_loaded, load
from gkxl.model import Report
from gkxl.formats import all_formats, get_format
from gkxl.formats.layout import IDENTITY_SHEET, INFO_SHEET, field_address, info_address, narrative_address

FORMATS = all_formats()


def full_report(spec, agency="测试市测试区某局") -> Report:
    """Every input filled with a distinct small number (the amount a Decimal), and text everywhere."""
    values = {}
    for i, cid in enumerate(spec.inputs):
        kind = spec.fields[cid].kind.value
        values[cid] = Decimal("12.3456") if kind == "amount" else (-(i % 7) if kind == "signed" else i % 11)
    return balance(Report(
        spec.id,
        2023 if spec.id == "2021" else 2020,
        agency,
        values,
        {s.id: f"第一段{s.id}\n第二段，含“引号”" for s in spec.sections},
        {"R-MISSING.sec2.regulations.issued": "本年度没有规章，特此说明"},
        {"issuer": "测试市测试区人民政府办公室", "issued_on": "2024-01-20", "fee_yuan": "12.5"},
    ))


@pytest.mark.parametrize("spec", FORMATS, ids=lambda s: s.id)
def test_a_filled_workbook_reads_back_exactly(tmp_path, spec):
    report = full_report(spec)
    loaded = read_workbook(write_workbook(report, tmp_path / "a.xlsx"))
    assert loaded.kind == "xlsx" and loaded.locked_agency and loaded.found == []
    got = loaded.report
    assert (got.format, got.year, got.agency) == (spec.id, report.year, report.agency)
    assert got.values == report.values  # inputs only: totals are never read from the file
    assert got.narrative == report.narrative
    assert got.explanations == report.explanations
    assert got.meta == report.meta


def test_identity_of_an_unlocked_template_follows_basic_information(tmp_path):
    spec = get_format("2021")
    path = write_workbook(Report("2021", 2023, "模板单位"), tmp_path / "t.xlsx", lock_agency=False)
    addr = info_address("agency")
    edited = openpyxl_edit(path, tmp_path / "e.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, "  新单位  "))
    loaded, ident = read_with_identity(edited)
    assert not loaded.locked_agency and ident.spec is spec and ident.year == 2023
    assert loaded.report.agency == "新单位"


def test_a_locked_unit_wins_over_an_edited_cell(tmp_path):
    path = write_workbook(Report("2021", 2023, "锁定单位"), tmp_path / "t.xlsx", lock_agency=True)
    addr, year = info_address("agency"), info_address("year")

    def tamper(wb):
        wb[addr.sheet][addr.a1] = "别的单位"
        wb[year.sheet][year.a1] = 2024

    loaded = read_workbook(openpyxl_edit(path, tmp_path / "e.xlsx", tamper))
    assert (loaded.report.agency, loaded.report.year) == ("锁定单位", 2023)
    found = {f.key: f for f in loaded.found}
    assert found["R-IDENTITY.workbook_agency"].cell == addr.a1 and "别的单位" in found["R-IDENTITY.workbook_agency"].message
    assert found["R-IDENTITY.workbook_year"].cell == year.a1 and "2024" in found["R-IDENTITY.workbook_year"].message


def test_a_blank_template_needs_a_year(tmp_path):
    path = write_workbook(Report("2021", 2023), tmp_path / "blank.xlsx", lock_agency=False, lock_year=False)
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    assert exc.value.cell == info_address("year").a1 and "年度" in exc.value.message
    loaded, ident = read_with_identity(path, default_year=2024)
    assert ident.year is None and loaded.report.year == 2024
    year = info_address("year")
    typed = read_workbook(openpyxl_edit(path, tmp_path / "y.xlsx", lambda wb: wb[year.sheet].__setitem__(year.a1, 2022)))
    assert typed.report.year == 2022 and typed.found == []
    wrong = read_workbook(openpyxl_edit(path, tmp_path / "w.xlsx", lambda wb: wb[year.sheet].__setitem__(year.a1, 2020)))
    assert [f.key for f in wrong.found] == ["R-IDENTITY.format"]  # 2020 is a year of the 2019 trial format (contract scope `format`)


def _identity_row(path, tmp_path, key, new):
    part = sheet_part(path, IDENTITY_SHEET)

    def edit(xml: bytes) -> bytes:
        # Identity values are shared strings; replace the B cell of the key's row with an inline string.
        from gkxl.formats.layout import identity_address

        ref = identity_address(key).a1
        return re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)'.encode(), f'<c r="{ref}" t="inlineStr"><is><t>{new}</t></is></c>'.encode(), xml)

    return rezip(path, tmp_path / f"id-{key}.xlsx", edit={part: edit})


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("schema", "other/1", "无法识别"),
        ("format", "2030", "报告格式“2030”"),
        ("template_version", "0", "另一版本"),
        ("fingerprint", "0000", "模板结构标识不符"),
        ("year", "20x3", "年度“20x3”无效"),
    ],
)
def test_identity_problems_are_refused_with_what_differs(tmp_path, key, value, words):
    path = write_workbook(Report("2021", 2023, "某局"), tmp_path / "t.xlsx")
    with pytest.raises(InputError) as exc:
        read_workbook(_identity_row(path, tmp_path, key, value))
    assert words in exc.value.message


def test_a_workbook_without_identity_is_not_ours(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "表三"
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(InputError) as exc:
        read_workbook(tmp_path / "other.xlsx")
    assert "不是 gkxl 生成的填报模板" in exc.value.message and exc.value.file.endswith("other.xlsx")


def test_cached_totals_that_agree_give_no_finding_and_stale_ones_do(tmp_path):
    spec = get_format("2021")
    report = full_report(spec)
    path = write_workbook(report, tmp_path / "a.xlsx")
    cid = "sec3.granted.business"
    addr = field_address(spec, cid)
    part = sheet_part(path, addr.sheet)
    old = report.values[cid]

    def edit(xml: bytes) -> bytes:  # an input changed, the cached totals left as they were (a program that does not recalc)
        new, n = re.subn(rf'<c r="{addr.a1}"([^>]*)><v>{old}</v></c>'.encode(), rf'<c r="{addr.a1}"\1><v>{old + 4}</v></c>'.encode(), xml)
        assert n == 1
        return new

    loaded = read_workbook(rezip(path, tmp_path / "stale.xlsx", edit={part: edit}))
    cached = {f.scope: f for f in loaded.found if f.rule == "R-CACHED-TOTAL"}
    # the three totals this input feeds: its row's 总计, its column's （七）总计, and the grand total
    assert set(cached) == {"sec3.granted.total", "sec3.results_total.business", "sec3.results_total.total"}
    f = cached["sec3.granted.total"]
    assert f.actual == f.expected - 4 and f.cell == field_address(spec, "sec3.granted.total").a1 and f.sheet == addr.sheet
    assert read_workbook(path).found == []


def test_a_total_typed_over_is_compared_with_the_recomputed_one(tmp_path):
    spec = get_format("2021")
    report = full_report(spec)
    path = write_workbook(report, tmp_path / "a.xlsx")
    tid = "sec4.review.total"
    addr = field_address(spec, tid)

    def type_over(wb):
        ws = wb[addr.sheet]
        ws.protection.sheet = False
        ws[addr.a1] = 999

    loaded = read_workbook(openpyxl_edit(path, tmp_path / "over.xlsx", type_over))
    (f,) = [f for f in loaded.found if f.rule == "R-CACHED-TOTAL"]
    assert f.scope == tid and f.actual == 999 and f.expected == report.with_totals()[tid] and f.cell == addr.a1
    assert tid not in loaded.report.values
    # the same total typed over with the right number is no finding
    right = openpyxl_edit(path, tmp_path / "right.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, report.with_totals()[tid]))
    assert read_workbook(right).found == []


def test_an_openpyxl_saved_workbook_has_no_cached_totals_and_reads(tmp_path):
    report = full_report(get_format("2019"))
    path = openpyxl_edit(write_workbook(report, tmp_path / "a.xlsx"), tmp_path / "o.xlsx", lambda wb: None)
    loaded = read_workbook(path)
    assert loaded.found == [] and loaded.report.values == report.values


def test_text_numbers_a_cached_total_ignores_are_named(tmp_path):
    spec = get_format("2021")
    report = full_report(spec)
    path = write_workbook(report, tmp_path / "a.xlsx")
    cid = "sec4.review.upheld"
    addr = field_address(spec, cid)
    part = sheet_part(path, addr.sheet)

    def edit(xml: bytes) -> bytes:  # the number stored as text (as a paste from another program does); the cache kept
        new, n = re.subn(
            rf'<c r="{addr.a1}"([^>]*?)( t="\w+")?><v>[^<]*</v></c>'.encode(),
            rf'<c r="{addr.a1}"\1 t="inlineStr"><is><t>{report.values[cid] + 1}</t></is></c>'.encode(),
            xml,
        )
        assert n == 1
        return new

    loaded = read_workbook(rezip(path, tmp_path / "text.xlsx", edit={part: edit}))
    assert loaded.report.values[cid] == report.values[cid] + 1
    (f,) = [f for f in loaded.found if f.rule == "R-CACHED-TOTAL"]
    assert addr.a1 in f.message and "文字形式" in f.message


@pytest.mark.parametrize(
    "text, number",
    [("151.59800000000001", Decimal("151.598")), ("0.30000000000000004", Decimal("0.3")), ("405", Decimal(405)),
     ("1E-3", Decimal("0.001")), ("99999999999.9999", Decimal("99999999999.9999")), ("4.0000000000000009", Decimal(4)),
     ("abc", None), ("NaN", None), ("", None)],
)
def test_numbers_are_read_as_excel_shows_them(text, number):
    got = excel_number(text)
    assert got == number
    if number is not None:
        assert str(got) == str(number)


def test_a_date_cell_in_basic_information_becomes_an_iso_date(tmp_path):
    path = write_workbook(Report("2021", 2023, "某局"), tmp_path / "a.xlsx")
    addr = info_address("issued_on")
    for value, iso in ((dt.datetime(2024, 2, 3), "2024-02-03"), ("2024年2月3日", "2024-02-03"), ("2024/2/3", "2024-02-03")):
        loaded = read_workbook(openpyxl_edit(path, tmp_path / "d.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, value)))
        assert loaded.report.meta["issued_on"] == iso and loaded.found == []
    bad = read_workbook(openpyxl_edit(path, tmp_path / "b.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, "春节后")))
    (f,) = bad.found
    assert (f.key, f.sheet, f.cell, f.raw) == ("R-VALUE.issued_on", INFO_SHEET, addr.a1, "春节后")
    assert "issued_on" not in bad.report.meta


def test_fee_in_yuan_is_read_as_a_decimal_string(tmp_path):
    path = write_workbook(Report("2021", 2023, "某局"), tmp_path / "a.xlsx")
    addr = info_address("fee_yuan")
    for value, text in (("１２.５０", "12.50"), (0, "0"), (Decimal("3.25"), "3.25")):
        loaded = read_workbook(openpyxl_edit(path, tmp_path / "f.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, value)))
        assert loaded.report.meta["fee_yuan"] == text
    bad = read_workbook(openpyxl_edit(path, tmp_path / "b.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, "50元")))
    assert [(f.key, f.raw) for f in bad.found] == [("R-VALUE.fee_yuan", "50元")]


def test_narrative_keeps_line_breaks_and_a_leading_equals_sign(tmp_path):
    spec = get_format("2021")
    report = Report("2021", 2023, "某局", narrative={"preamble": "=不是公式\n第二段", "problems": "  缩进\r\n下一行  "})
    path = write_workbook(report, tmp_path / "a.xlsx")
    got = read_workbook(path).report.narrative
    assert got == {"preamble": "=不是公式\n第二段", "problems": "  缩进\n下一行  "}
    addr = narrative_address(spec, "improvements")
    typed = openpyxl_edit(path, tmp_path / "f.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, "=SUM(1,2)"))
    (f,) = read_workbook(typed).found
    assert f.key == "R-VALUE.narrative.improvements" and f.cell == addr.a1 and "=SUM(1,2)" in f.message


def test_explanations_settle_a_verify_finding(tmp_path):
    from gkxl.formats.layout import explain_address

    spec = get_format("2021")
    report = full_report(spec)
    cid = "sec2.regulations.issued"
    del report.values[cid]
    path = write_workbook(report, tmp_path / "a.xlsx")
    key, text = explain_address(3)

    def explain(wb):
        wb[key.sheet][key.a1] = f" R-MISSING.{cid} "
        wb[text.sheet][text.a1] = "本单位无规章制定权"

    loaded = load(openpyxl_edit(path, tmp_path / "e.xlsx", explain))
    assert loaded.report.explanations[f"R-MISSING.{cid}"] == "本单位无规章制定权"
    result = check_loaded(loaded)
    (f,) = [f for f in result.findings if f.key == f"R-MISSING.{cid}"]
    assert f.explained and not f.is_open
    assert result.passed and result.verdict == "通过" and result.explained == 1


def test_a_wps_style_file_reads(tmp_path):
    """WPS saves wrong sheet dimensions, extra parts (custom properties, customXml) and its own part order."""
    spec = get_format("2021")
    report = full_report(spec)
    path = write_workbook(report, tmp_path / "a.xlsx")
    import zipfile

    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]

    def wrong_dimension(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', xml)

    custom = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        b'name="KSOProductBuildVer"><vt:lpwstr>2052-12.1.0.16120</vt:lpwstr></property></Properties>'
    )
    extra = {
        "docProps/custom.xml": custom,
        "customXml/item1.xml": b'<?xml version="1.0" standalone="yes"?><s:customData xmlns:s="http://www.wps.cn/officeDocument/2013/wpsCustomData"/>',
        "customXml/itemProps1.xml": b'<?xml version="1.0"?><ds:datastoreItem ds:itemID="{1}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>',
        "customXml/_rels/item1.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
    }
    wps = rezip(
        path, tmp_path / "wps.xlsx",
        edit={n: wrong_dimension for n in sheets},
        add=extra,
        order=lambda names: sorted(names, key=lambda n: (not n.startswith("xl/"), n), reverse=True),
    )
    with zipfile.ZipFile(wps) as z:
        assert all(b'<dimension ref="A1"/>' in z.read(n) for n in sheets)
    loaded = read_workbook(wps)
    assert loaded.found == []
    assert loaded.report.values == report.values and loaded.report.narrative == report.narrative
    assert loaded.report.meta == report.meta and loaded.report.explanations == report.explanations

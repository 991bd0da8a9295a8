"""An input cell is read as the filer saw it or not at all: a number format that changes what the cell shows
(a scale, literal digits or a decimal point, text, hidden digits, rounding) is an R-VALUE naming both values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from reports import balance
from workbook_helpers import check_json, findings_of, openpyxl_edit, write_workbook

from gkxl.excel.numfmt import displayed
from gkxl.excel.reader import read_workbook
from gkxl.formats import get_format
from gkxl.formats.layout import INFO_SHEET, field_address, info_address
from gkxl.model import Report

FEE = "sec2.fees.amount_wan"
COUNT = "sec3.new_received.natural_person"


def report() -> Report:
    spec = get_format("2021")
    values = {cid: (Decimal("151.598") if cid == FEE else 2) for cid in spec.inputs}
    return balance(Report("2021", 2023, "示例市示例区测试局", values, meta={"issued_on": "2024-01-20", "fee_yuan": "0"}))


def formatted(tmp_path, cells: dict[str, tuple[object, str]], name="f.xlsx"):
    """The workbook with some cells given a value and a number format, as a filer's spreadsheet saves them."""
    path = write_workbook(report(), tmp_path / "t.xlsx")
    spec = get_format("2021")

    def edit(wb):
        for cid, (value, code) in cells.items():
            addr = field_address(spec, cid) if cid in spec.fields else info_address(cid)
            cell = wb[addr.sheet][addr.a1]
            cell.value = value
            cell.number_format = code

    return openpyxl_edit(path, tmp_path / name, edit)


def test_the_fee_typed_in_yuan_under_a_format_that_shows_wan_is_not_read(tmp_path):
    """The audit's example: 1515980 (元) in a cell formatted 0\\.0000 shows 151.5980 and was read as 1515980 万元."""
    path = formatted(tmp_path, {FEE: (1515980, "0\\.0000")})
    loaded = read_workbook(path)
    assert FEE not in loaded.report.values
    code, doc = check_json(path)
    f = findings_of(doc)[f"R-VALUE.{FEE}"]
    assert code == 1 and f["severity"] == "强制"
    assert "151.5980" in f["message"] and "1515980" in f["message"] and "0\\.0000" in f["message"]
    assert (f["sheet"], f["cell"]) == ("表二", field_address(get_format("2021"), FEE).a1)


@pytest.mark.parametrize("cid, value, code, shown", [
    (FEE, 1515980, "0,,", "2"),  # scaled by a million
    (FEE, 1515980, "#,##0.00,", "1,515.98"),  # scaled by a thousand
    (COUNT, 5, '"12"0', "125"),  # literal digits
    (COUNT, 5, "0\\0", "50"),  # an escaped literal digit
    (COUNT, 5, ";;;", ""),  # hidden
    (COUNT, 5, '0"件"', "5件"),  # text
    (FEE, Decimal("0.05"), "0%", "5%"),  # percent
    (FEE, Decimal("151.598"), "0.00", "151.60"),  # rounded: the filer sees another number
    (COUNT, 0, '0;-0;"-"', "-"),  # a zero shown as a dash (gkxl reads a dash as not filled)
    (COUNT, 5, "[$¥-804]0", "¥5"),  # a currency symbol
])
def test_formats_that_change_what_the_cell_shows_are_r_value(tmp_path, cid, value, code, shown):
    path = formatted(tmp_path, {cid: (value, code)})
    loaded = read_workbook(path)
    assert cid not in loaded.report.values
    (f,) = [f for f in loaded.found if f.scope == cid]
    assert f.rule == "R-VALUE" and f"显示为“{shown}”" in f.message and str(value) in f.message


def test_a_text_format_that_adds_a_digit_to_a_text_value(tmp_path):
    path = formatted(tmp_path, {COUNT: ("5", '"1"@')})
    (f,) = [f for f in read_workbook(path).found if f.scope == COUNT]
    assert f.rule == "R-VALUE" and "显示为“15”" in f.message


@pytest.mark.parametrize("cid, value, code", [
    (COUNT, 5, "0"), (COUNT, 5, "0.00"), (COUNT, 1234, "#,##0"), (COUNT, 5, "@"), (COUNT, 5, "General"),
    (COUNT, 5, "[Red]0_ "), (FEE, Decimal("151.598"), "0.000"), (FEE, Decimal("4166.241619"), "#,##0.000000"),
    (FEE, Decimal("151.598"), "0.0#####"),
])
def test_formats_that_show_the_stored_number_are_read(tmp_path, cid, value, code):
    path = formatted(tmp_path, {cid: (value, code)})
    loaded = read_workbook(path)
    assert loaded.found == [] and loaded.report.values[cid] == value


def test_an_unknown_format_is_not_guessed(tmp_path):
    path = formatted(tmp_path, {COUNT: (5, "[>100]0;0"), "sec3.new_received.business": (3, "[DBNum1]General")})
    found = {f.scope: f for f in read_workbook(path).found}
    assert set(found) == {COUNT, "sec3.new_received.business"}
    assert all(f.rule == "R-VALUE" and "无法确定" in f.message for f in found.values())


def test_the_information_fee_in_basic_info_is_read_as_shown(tmp_path):
    path = formatted(tmp_path, {"fee_yuan": (1200, "0,")})
    loaded = read_workbook(path)
    assert "fee_yuan" not in loaded.report.meta
    (f,) = [f for f in loaded.found if f.scope == "fee_yuan"]
    assert f.rule == "R-VALUE" and f.sheet == INFO_SHEET and "显示为“1”" in f.message and "1200" in f.message


@pytest.mark.parametrize("code, value, text", [
    ("0\\.0000", Decimal(1515980), "151.5980"), ("0,,", Decimal(1515980), "2"), ("0.0,,", Decimal(1515980), "1.5"),
    ('"12"0', Decimal(5), "125"), ("@", Decimal(5), "5"), (";;;", Decimal(5), ""), ("0%", Decimal("0.05"), "5%"),
    ("0.00", Decimal("151.598"), "151.60"), ("#,##0", Decimal(1234567), "1,234,567"), ("000", Decimal(5), "005"),
    ("0.##", Decimal(5), "5."), ("#.##", Decimal("0.5"), ".5"), ("#,##0.00_);(#,##0.00)", Decimal(-5), "(5.00)"),
    ("0;0", Decimal(-5), "5"), ("0", Decimal(-5), "-5"), ("General", Decimal("151.598"), "151.598"),
    ("0.00E+00", Decimal(5), None), ("# ?/?", Decimal("1.5"), None), ("[>100]0", Decimal(5), None),
    ('"1"@', "5", "15"), ("0", "5", "5"),
])
def test_displayed_renders_as_a_spreadsheet_does(code, value, text):
    assert displayed(code, value) == text


def test_a_fee_of_six_places_is_kept_exactly_through_workbook_and_json(tmp_path):
    """万元 to the 分 (a published report prints 4166.241619): validation, workbook, reader and JSON keep 6 places."""
    import json

    from gkxl.model import report_from_json, report_to_json

    r = report()
    r.values[FEE] = Decimal("4166.241619")
    back = read_workbook(write_workbook(r, tmp_path / "six.xlsx"))
    assert back.found == [] and back.report.values[FEE] == Decimal("4166.241619")
    doc = json.loads(report_to_json(back.report))
    assert doc["values"][FEE] == "4166.241619"
    again, found = report_from_json(json.dumps({**doc, "values": {FEE: 4166.2416191}}), source="x.json")
    assert FEE not in again.values and "小数位数超过6位" in found[0].message


from hypothesis import given, settings
from hypothesis import strategies as st

_FORMAT_CHARS = st.sampled_from(list('0#?.,%;@"\\_*[]$-+()E e/GeneralRd¥件 :') + ["[Red]", "[$¥-804]", "[>100]", '"x"', "\\.", "General"])


@settings(max_examples=400, deadline=None)
@given(code=st.lists(_FORMAT_CHARS, max_size=20).map("".join),
       value=st.one_of(st.decimals(min_value=-10**14, max_value=10**14, allow_nan=False, allow_infinity=False, places=6),
                       st.decimals(allow_nan=False, allow_infinity=False), st.text(max_size=8)))
def test_displayed_never_fails_on_any_format(code, value):
    """A hostile or odd format code gives a text or None (not read), never an exception (exit 3)."""
    out = displayed(code, value)
    assert out is None or isinstance(out, str)


@settings(max_examples=200, deadline=None)
@given(value=st.decimals(min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False, places=6),
       code=st.sampled_from(["General", "0.000000", "#,##0.000000", "0.0#####", "@"]))
def test_formats_that_keep_six_places_show_the_value(value, code):
    from gkxl.formats import Kind
    from gkxl.values import parse_value

    assert parse_value(Kind.AMOUNT, displayed(code, value)).value == value

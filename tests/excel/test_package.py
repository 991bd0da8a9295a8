"""The strict package reader on small hand-written packages: what each cell holds, as other programs write it."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from gkxl.errors import InputError
from gkxl.excel.numfmt import excel_date, is_date_format
from gkxl.excel.package import open_package, parse_a1, unescape

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
CT = """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="xml" ContentType="application/xml"/></Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{target}"/>
</Relationships>"""


def package(
    tmp_path: Path,
    sheet: str,
    *,
    strings: list[str] | None = None,
    sst_xml: str | None = None,
    styles: str | None = None,
    date1904: bool = False,
    target: str = "worksheets/sheet1.xml",
    workbook_at: str = "xl/workbook.xml",
    name: str = "t.xlsx",
) -> Path:
    """A minimal xlsx: one sheet "S" (sheetData given), optional shared strings and styles."""
    folder = workbook_at.rsplit("/", 1)[0]
    pr = ' date1904="1"' if date1904 else ""
    parts = {
        "[Content_Types].xml": CT,
        "_rels/.rels": ROOT_RELS.format(target=workbook_at),
        workbook_at: f'<workbook {NS} {RNS}><workbookPr{pr}/>'
        '<sheets><sheet name="S" sheetId="1" r:id="rId1"/><sheet name="H" sheetId="2" state="veryHidden" r:id="rId2"/></sheets></workbook>',
        f"{folder}/_rels/{workbook_at.rsplit('/', 1)[1]}.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{target}"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/h.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>",
        f"{folder}/worksheets/h.xml": f"<worksheet {NS}><sheetData/></worksheet>",
    }
    sheet_name = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
    parts[sheet_name] = f"<worksheet {NS}><sheetData>{sheet}</sheetData></worksheet>"
    if strings is not None or sst_xml is not None:
        parts[f"{folder}/sharedStrings.xml"] = sst_xml or (f"<sst {NS}>" + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
    if styles is not None:
        parts[f"{folder}/styles.xml"] = styles
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as z:
        for part, text in parts.items():
            z.writestr(part, text.encode("utf-8"))
    return path


def cells_of(path: Path, sheet: str = "S"):
    with open_package(path) as pkg:
        return {c.a1: c for c in pkg.cells(sheet).values()}


def test_cell_types_as_written_by_excel(tmp_path):
    sheet = (
        '<row r="1">'
        '<c r="A1" t="s"><v>0</v></c>'
        '<c r="B1"><v>151.59800000000001</v></c>'
        '<c r="C1" t="b"><v>1</v></c>'
        '<c r="D1" t="e"><v>#REF!</v></c>'
        '<c r="E1" t="str"><f>A1&amp;"x"</f><v>abcx</v></c>'
        '<c r="F1" t="inlineStr"><is><t>内联</t></is></c>'
        '<c r="G1"><f>SUM(B1:B2)</f></c>'
        '<c r="H1" s="0"/>'
        "</row>"
    )
    cells = cells_of(package(tmp_path, sheet, strings=["abc"]))
    assert (cells["A1"].type, cells["A1"].value) == ("s", "abc")
    assert (cells["B1"].type, cells["B1"].value) == ("n", "151.59800000000001")  # text, never a float
    assert (cells["C1"].type, cells["C1"].value) == ("b", "1")
    assert (cells["D1"].type, cells["D1"].value) == ("e", "#REF!")
    assert (cells["E1"].formula, cells["E1"].value) == ('A1&"x"', "abcx")
    assert cells["F1"].value == "内联"
    assert cells["G1"].formula == "SUM(B1:B2)" and cells["G1"].value is None  # openpyxl-saved: no cached value
    assert cells["H1"].blank


def test_cells_without_r_attributes_are_placed_by_order(tmp_path):
    sheet = '<row><c><v>1</v></c><c><v>2</v></c></row><row r="4"><c><v>3</v></c><c r="D4"><v>4</v></c><c><v>5</v></c></row><row><c><v>6</v></c></row>'
    cells = cells_of(package(tmp_path, sheet))
    assert {a: c.value for a, c in cells.items()} == {"A1": "1", "B1": "2", "A4": "3", "D4": "4", "E4": "5", "A5": "6"}


def test_rich_text_shared_strings_drop_phonetic_runs_and_decode_escapes(tmp_path):
    sst = (
        f"<sst {NS}>"
        "<si><r><rPr><b/></rPr><t>表</t></r><r><t xml:space=\"preserve\">三 </t></r><rPh sb=\"0\" eb=\"1\"><t>ビョウ</t></rPh></si>"
        "<si><t>a_x005F_x0041_b_x000D_</t></si>"
        "</sst>"
    )
    cells = cells_of(package(tmp_path, '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>', sst_xml=sst))
    assert cells["A1"].value == "表三 "
    assert cells["B1"].value == "a_x0041_b\r"


def test_shared_formula_children_are_marked(tmp_path):
    sheet = '<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">B1*2</f><v>2</v></c></row><row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c></row>'
    cells = cells_of(package(tmp_path, sheet))
    assert cells["A1"].formula == "B1*2"
    assert cells["A2"].formula == "" and cells["A2"].value == "4"


STYLES = f"""<styleSheet {NS}><numFmts count="3">
<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="165" formatCode="&quot;共&quot;0&quot;件&quot;"/>
<numFmt numFmtId="166" formatCode="[Red]0.00_);\\(0.00\\)"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="31"/></cellXfs></styleSheet>"""


def test_dates_are_told_by_number_format(tmp_path):
    sheet = "".join(f'<c r="{c}1" s="{i}"><v>45296</v></c>' for i, c in enumerate("ABCDEF"))
    cells = cells_of(package(tmp_path, f'<row r="1">{sheet}</row>', styles=STYLES))
    # General, built-in 14, a Chinese custom date, a quoted "件" count, a red number, built-in 31 (zh-CN 年月日)
    assert [cells[f"{c}1"].is_date for c in "ABCDEF"] == [False, True, True, False, False, True]


@pytest.mark.parametrize(
    "code, is_date",
    [("yyyy-mm-dd", True), ("h:mm", True), ('"m"0', False), ("[$-804]0.00", False), ("0.00", False), ("General", False),
     ('[DBNum1][$-804]yyyy"年"m"月"', True), ("#,##0_);[Red](#,##0)", False), ("0\\d", False)],
)
def test_custom_date_formats(code, is_date):
    assert is_date_format(code) is is_date


def test_excel_dates_both_systems():
    assert excel_date("45296") == dt.datetime(2024, 1, 5)
    assert excel_date("45296.5") == dt.datetime(2024, 1, 5, 12)
    assert excel_date("1") == dt.datetime(1900, 1, 1)
    assert excel_date("43834", date1904=True) == dt.datetime(2024, 1, 5)


def test_date1904_and_absolute_targets_and_a_workbook_elsewhere(tmp_path):
    path = package(tmp_path, '<row r="1"><c r="A1"><v>1</v></c></row>', date1904=True, target="/wb/sheets/one.xml", workbook_at="wb/book.xml")
    with open_package(path) as pkg:
        assert pkg.date1904
        assert pkg.sheet_names == ("S", "H")
        assert pkg.sheet("H").state == "veryHidden"
        assert pkg.cells("S")[(0, 0)].value == "1"


def test_a1():
    assert parse_a1("A1") == (0, 0)
    assert parse_a1("$AB$12") == (11, 27)
    assert parse_a1("XFD1048576") == (1048575, 16383)
    assert parse_a1("XFE1") is None and parse_a1("A0") is None and parse_a1("1A") is None


def test_unescape_leaves_plain_text():
    assert unescape("普通文字 _x") == "普通文字 _x"
    assert unescape("_x4E2D_") == "中"


def test_a_doctype_is_refused_and_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE", encoding="utf-8")
    sst = f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file://{secret}">]><sst {NS}><si><t>&x;</t></si></sst>'
    path = package(tmp_path, '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', sst_xml=sst)
    with open_package(path) as pkg, pytest.raises(InputError) as exc:
        pkg.cells("S")
    assert "不安全的 XML 实体" in exc.value.message and "TOP-SECRET" not in str(exc.value)


def test_a_cell_count_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    import gkxl.excel.package as package_module

    monkeypatch.setattr(package_module, "MAX_CELLS", 10)
    row = "".join(f"<c><v>{i}</v></c>" for i in range(11))
    with open_package(package(tmp_path, f"<row>{row}</row>")) as pkg, pytest.raises(InputError) as exc:
        pkg.cells("S")
    assert "过多单元格" in exc.value.message and exc.value.sheet == "S"


def test_bounds_keep_only_the_cells_asked_for(tmp_path):
    path = package(tmp_path, '<row r="1"><c r="A1"><v>1</v></c><c r="Z1"><v>2</v></c></row><row r="900"><c r="A900"><v>3</v></c></row>')
    with open_package(path) as pkg:
        assert set(pkg.cells("S", max_row=10, max_col=5)) == {(0, 0)}


def test_a_missing_shared_string_index_names_the_cell(tmp_path):
    path = package(tmp_path, '<row r="3"><c r="C3" t="s"><v>7</v></c></row>', strings=["a"])
    with open_package(path) as pkg, pytest.raises(InputError) as exc:
        pkg.cells("S")
    assert exc.value.cell == "C3"

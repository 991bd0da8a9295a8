"""Bad input, as 政务公开办 inboxes receive it: each is a one-line Chinese message or a finding, never a traceback.

Every test checks the exit code, that the message names the file (and the cell where there is one), that no
traceback is printed, and that the input's bytes are unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from workbook_helpers import check_json, cli, deflated_zeros, digest, findings_of, openpyxl_edit, raw_zip, rezip, write_workbook

from gkxl.model import Report
from gkxl.formats import get_format
from gkxl.formats.layout import field_address, info_address

SPEC = get_format("2021")


@pytest.fixture
def good(tmp_path, demo_report) -> Path:
    return write_workbook(demo_report, tmp_path / "年报.xlsx")


def assert_unusable(path: Path, words: str, tmp_path: Path) -> str:
    """gkxl check and gkxl export both refuse the file: exit 2, one line naming it, no traceback, bytes unchanged."""
    before = digest(path) if path.exists() else None
    result = cli("check", path)
    text = result.stdout + result.stderr
    assert result.exit_code == 2, text
    lines = [line for line in text.splitlines() if "无法读取" in line]
    assert len(lines) == 1 and path.name in lines[0] and words in lines[0], text
    assert "Traceback" not in text and "Error" not in text
    target = tmp_path / "导出.json"
    exported = cli("export", path, "-o", target)
    etext = exported.stdout + exported.stderr
    assert exported.exit_code == 2 and path.name in etext and words in etext and "Traceback" not in etext, etext
    assert not target.exists()
    if before is not None:
        assert digest(path) == before
    return lines[0]


def test_an_empty_file(tmp_path):
    path = tmp_path / "空文件.xlsx"
    path.write_bytes(b"")
    assert_unusable(path, "文件是空的", tmp_path)


def test_a_text_file_renamed_xlsx(tmp_path):
    path = tmp_path / "说明.xlsx"
    path.write_text("这是一个文本文件，不是工作簿。\n第二行", encoding="utf-8")
    assert_unusable(path, "不是 Excel 工作簿", tmp_path)


def test_a_truncated_zip(tmp_path, good):
    path = tmp_path / "传了一半.xlsx"
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert_unusable(path, "已损坏", tmp_path)


def test_a_zip_holding_no_workbook(tmp_path):
    path = tmp_path / "压缩包.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    assert_unusable(path, "没有 Excel 工作簿", tmp_path)


def _ole(*streams: str) -> bytes:
    """An OLE compound file's first sectors: the magic, and a directory sector naming the streams."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entries = b""
    for name in ("Root Entry", *streams):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entries += raw.ljust(64, b"\x00") + len(raw).to_bytes(2, "little") + b"\x00" * 62
    return header + entries.ljust(512, b"\x00") + b"\x00" * 1024


def test_an_xls_file(tmp_path):
    path = tmp_path / "旧格式.xls"
    path.write_bytes(_ole("Workbook", "\x05SummaryInformation"))
    line = assert_unusable(path, "这是 .xls 格式", tmp_path)
    assert "另存为 .xlsx" in line
    # A filer without Excel or WPS is told the free program that can resave it.
    assert all(name in line for name in ("WPS", "Excel", "LibreOffice")), line


def test_an_xls_file_named_xlsx_is_still_an_xls(tmp_path):
    path = tmp_path / "改了扩展名.xlsx"
    path.write_bytes(_ole("Workbook"))
    assert_unusable(path, "这是 .xls 格式", tmp_path)


def test_a_wps_et_file(tmp_path):
    path = tmp_path / "金山.et"
    path.write_bytes(_ole("Workbook"))
    assert_unusable(path, "WPS 表格 .et 格式", tmp_path)


def test_an_xlsb_file(tmp_path):
    path = tmp_path / "二进制.xlsb"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert_unusable(path, ".xlsb", tmp_path)


def test_binary_garbage(tmp_path):
    path = tmp_path / "乱码.xlsx"
    path.write_bytes(bytes(range(256)) * 8)
    assert_unusable(path, "无法识别", tmp_path)


def test_a_password_encrypted_xlsx(tmp_path):
    path = tmp_path / "加密.xlsx"
    path.write_bytes(_ole("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"))
    assert_unusable(path, "密码", tmp_path)


def test_a_csv_file(tmp_path):
    path = tmp_path / "数据.csv"
    path.write_text("单位,数量\n某局,5\n", encoding="utf-8")
    assert_unusable(path, "CSV", tmp_path)


def test_an_html_table_saved_as_xls(tmp_path):
    path = tmp_path / "系统导出.xls"
    path.write_text("<html><body><table><tr><td>5</td></tr></table></body></html>", encoding="utf-8")
    assert_unusable(path, "网页", tmp_path)


def test_a_word_document_renamed(tmp_path):
    path = tmp_path / "报告.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert_unusable(path, "Word 文档", tmp_path)


# Prints the process's own peak memory in kB. VmHWM, not ru_maxrss: on Linux ru_maxrss carries over the exec the
# peak of the process it was forked from (a large pytest process), so it would measure the parent.
PEAK_KB = (
    "def _peak_kb():\n"
    "    try:\n"
    "        with open('/proc/self/status') as fh:\n"
    "            return next(int(l.split()[1]) for l in fh if l.startswith('VmHWM'))\n"
    "    except (OSError, StopIteration):\n"
    "        import resource\n"
    "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print(_peak_kb())\n"
)


def test_the_memory_probe_measures_the_child_not_its_large_parent():
    """A parent holding 400 MB starts the probe: the probe reports its own few MB, far below the bound used below."""
    parent = (
        "import subprocess, sys\n"
        "big = bytearray(400 << 20)\n"
        "big[::4096] = b'\\x01' * len(big[::4096])\n"  # touched: resident, not just reserved
        "print(subprocess.run([sys.executable, '-c', sys.argv[1]], capture_output=True, text=True, check=True).stdout)\n"
    )
    out = subprocess.run([sys.executable, "-c", parent, PEAK_KB], capture_output=True, text=True, timeout=60, check=True)
    assert int(out.stdout.strip()) < 100 * 1024


def test_a_zip_bomb_is_refused_before_inflating(tmp_path):
    """A part declaring 600 MB: refused from the declared size, quickly and in little memory (a fresh process)."""
    data, crc = deflated_zeros(600)
    path = tmp_path / "炸弹.xlsx"
    path.write_bytes(raw_zip([("[Content_Types].xml", b"<Types/>", 0, 8, 0x0), ("xl/sharedStrings.xml", data, 8, 600 << 20, crc)]))
    assert path.stat().st_size < 2 << 20
    code = (
        "import sys, time\n"
        "from gkxl.intake import load\n"
        "from gkxl.errors import InputError\n"
        "t = time.perf_counter()\n"
        "try:\n    load(sys.argv[1])\nexcept InputError as e:\n    print(e)\n"
        "print(time.perf_counter() - t)\n"
    ) + PEAK_KB
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    message, seconds, max_kb = out.stdout.strip().splitlines()
    assert "压缩炸弹" in message and path.name in message
    assert float(seconds) < 10  # generous: it is refused from the header, typically in milliseconds
    assert int(max_kb) < 300 * 1024
    assert_unusable(path, "压缩炸弹", tmp_path)


def test_a_zip_bomb_with_a_lying_header_inflates_no_more_than_declared(tmp_path, good):
    """The central directory claims a small part; reading stops at the claim and the part is refused as damaged."""
    data, crc = deflated_zeros(600)
    with zipfile.ZipFile(good) as z:
        entries = [(n, z.read(n), 0, z.getinfo(n).file_size, z.getinfo(n).CRC) for n in z.namelist() if n != "xl/sharedStrings.xml"]
    entries.append(("xl/sharedStrings.xml", data, 8, 4096, crc))
    path = tmp_path / "说谎的炸弹.xlsx"
    path.write_bytes(raw_zip(entries))
    started = time.perf_counter()
    assert_unusable(path, "已损坏", tmp_path)
    assert time.perf_counter() - started < 20


def test_an_xml_external_entity_is_never_expanded(tmp_path, good):
    secret = tmp_path / "secret.txt"
    secret.write_text("MACHINE-SECRET-42", encoding="utf-8")
    dtd = f'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY x SYSTEM "file://{secret}">]>'.encode()

    def inject(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1]
        return dtd + body.replace(b"<sheets>", b"<sheets>&x;", 1)

    path = rezip(good, tmp_path / "实体.xlsx", edit={"xl/workbook.xml": inject})
    line = assert_unusable(path, "不安全的 XML 实体", tmp_path)
    assert "MACHINE-SECRET" not in line


def test_entity_expansion_in_shared_strings_is_refused(tmp_path, good):
    laughs = b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'

    def inject(xml: bytes) -> bytes:
        return laughs + xml.split(b"?>", 1)[1]

    path = rezip(good, tmp_path / "笑.xlsx", edit={"xl/sharedStrings.xml": inject})
    assert_unusable(path, "不安全的 XML 实体", tmp_path)


def test_a_workbook_of_another_template(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "表三"
    wb.active["A1"] = "收到和处理政府信息公开申请情况"
    path = tmp_path / "别的模板.xlsx"
    wb.save(path)
    assert_unusable(path, "不是 gkxl 生成的填报模板", tmp_path)


# Findings, not refusals -----------------------------------------------------------------------------------


def assert_finding_file(path: Path, *args: str) -> dict:
    """check --json on the file: exit 1, the file named, input unchanged; returns the findings by key."""
    before = digest(path)
    code, doc = check_json(path, *args)
    assert code == 1
    assert doc["files"][0]["file"] == str(path)
    human = cli("check", path, *args)
    assert human.exit_code == 1 and "Traceback" not in human.stdout + human.stderr and path.name in human.stdout
    assert digest(path) == before
    return findings_of(doc)


def test_the_right_template_for_another_year_or_unit(good):
    found = assert_finding_file(good, "--year", "2024", "--agency", "另一个局")
    year, agency = found["R-IDENTITY.year"], found["R-IDENTITY.agency"]
    assert (year["sheet"], year["cell"]) == ("基本信息", info_address("year").a1) and "2024" in year["message"]
    assert (agency["sheet"], agency["cell"]) == ("基本信息", info_address("agency").a1) and "另一个局" in agency["message"]


def _no_values_read_from(found: dict, sheet: str) -> None:
    table = next(t for t in SPEC.tables if t.name == sheet)
    ids = {f.id for f in table.fields}
    assert not [k for k, f in found.items() if f["scope"] in ids], "a sheet whose layout changed must not be read"


def test_a_deleted_sheet(tmp_path, good):
    path = openpyxl_edit(good, tmp_path / "删表.xlsx", lambda wb: wb.remove(wb["表三"]))
    found = assert_finding_file(path)
    f = found["R-LAYOUT.表三"]
    assert f["severity"] == "强制" and "缺少工作表“表三”" in f["message"] and f["sheet"] == "表三"
    _no_values_read_from(found, "表三")


def test_a_renamed_sheet(tmp_path, good):
    def rename(wb):
        wb["表四"].title = "表四（修改）"

    found = assert_finding_file(openpyxl_edit(good, tmp_path / "改名.xlsx", rename))
    assert "表四（修改）" in found["R-LAYOUT.表四"]["message"]
    _no_values_read_from(found, "表四")


def test_inserted_rows(tmp_path, good):
    path = openpyxl_edit(good, tmp_path / "插行.xlsx", lambda wb: wb["表三"].insert_rows(12, 2))
    found = assert_finding_file(path)
    f = found["R-LAYOUT.表三"]
    assert "插入了2行" in f["message"] and f["cell"].endswith("12")  # the first label below the inserted rows
    _no_values_read_from(found, "表三")


def test_an_edited_label(tmp_path, good):
    label = next(lb for lb in SPEC.table("sec2").labels if lb.text == "行政许可")
    from gkxl.formats.layout import TABLE_TOP, a1

    ref = a1(TABLE_TOP + label.row, label.col)
    path = openpyxl_edit(good, tmp_path / "改表头.xlsx", lambda wb: wb["表二"].__setitem__(ref, "行政许可（含备案）"))
    f = assert_finding_file(path)["R-LAYOUT.表二"]
    assert f["cell"] == ref and "行政许可（含备案）" in f["message"] and "应为“行政许可”" in f["message"]


def test_protection_removed_and_a_total_typed_over(tmp_path, good, demo_report):
    tid = "sec3.results_total.natural_person"
    addr = field_address(SPEC, tid)

    def type_over(wb):
        ws = wb[addr.sheet]
        ws.protection.sheet = False
        ws[addr.a1] = 7

    f = assert_finding_file(openpyxl_edit(good, tmp_path / "改合计.xlsx", type_over))[f"R-CACHED-TOTAL.{tid}"]
    expected = demo_report.with_totals()[tid]
    assert (f["sheet"], f["cell"], f["actual"], f["expected"], f["difference"]) == (addr.sheet, addr.a1, 7, expected, 7 - expected)


# Values as staff type them --------------------------------------------------------------------------------

CELL = "sec3.granted.natural_person"  # an input of the demo report that is not zero
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    "typed, read_as",
    [
        (lambda v: str(v), "same"),  # a number stored as text
        (lambda v: str(v).translate(FULLWIDTH), "same"),  # full-width digits
        (lambda v: f"  {v}\u3000", "same"),  # spaces, half- and full-width
    ],
    ids=["text", "fullwidth", "spaces"],
)
def test_values_read_safely(tmp_path, good, demo_report, typed, read_as):
    addr = field_address(SPEC, CELL)
    value = demo_report.values[CELL]
    path = openpyxl_edit(good, tmp_path / "值.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, typed(value)))
    code, doc = check_json(path)
    assert code == 0 and doc["files"][0]["findings"] == []
    exported = tmp_path / "out.json"
    assert cli("export", path, "-o", exported).exit_code == 0
    assert json.loads(exported.read_text(encoding="utf-8"))["values"][CELL] == value


@pytest.mark.parametrize(
    "typed, rule, raw",
    [
        ("5件", "R-VALUE", "5件"),
        ("/", "R-MISSING", None),
        ("—", "R-MISSING", None),
        ("无", "R-MISSING", None),
        (None, "R-MISSING", None),
        (-3, "R-VALUE", "-3"),
        (1.5, "R-VALUE", "1.5"),
        ("=1+2", "R-VALUE", "=1+2"),
        (dt.datetime(2024, 1, 5), "R-VALUE", "2024-01-05"),
        (True, "R-VALUE", "TRUE"),
        ("#REF!", "R-VALUE", "#REF!"),
    ],
    ids=["unit", "slash", "dash", "wu", "blank", "negative", "decimal", "formula", "date", "boolean", "error"],
)
def test_values_reported_with_their_raw_text(tmp_path, good, typed, rule, raw):
    addr = field_address(SPEC, CELL)
    path = openpyxl_edit(good, tmp_path / "值.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, typed))
    found = assert_finding_file(path)
    f = found[f"{rule}.{CELL}"]
    assert (f["sheet"], f["cell"], f["raw"]) == (addr.sheet, addr.a1, raw)
    if raw is not None:
        assert f"“{raw}”" in f["message"]
        assert f"R-MISSING.{CELL}" not in found  # unreadable is not blank
    # the balance of its column is not evaluated on a guess
    assert "R-BALANCE.natural_person" not in found


def test_a_count_with_a_decimal_is_not_rounded(tmp_path, good):
    addr = field_address(SPEC, CELL)
    path = openpyxl_edit(good, tmp_path / "小数.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, "2.5"))
    f = assert_finding_file(path)[f"R-VALUE.{CELL}"]
    assert f["raw"] == "2.5" and "整数" in f["message"]


def test_a_blank_template_without_a_year_names_the_cell(tmp_path):
    path = write_workbook(Report("2021", 2023), tmp_path / "空白模板.xlsx", lock_agency=False, lock_year=False)
    line = assert_unusable(path, "未填写年度", tmp_path)
    assert info_address("year").a1 in line

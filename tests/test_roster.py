"""The roster of units: CSV in UTF-8 (BOM or not) or GBK, XLSX; empty and duplicate names refused by line; safe file names."""

from __future__ import annotations

import re

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gkxl.errors import InputError
from gkxl.roster import read_roster, safe_filename

UNITS = ["示例市示例区教育局", "示例市示例区财政局", "示例市示例区人力资源和社会保障局"]


def write_csv(path, text: str, encoding: str):
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_excel_writes(tmp_path, encoding):
    text = "序号,单位名称,联系人\r\n1,示例市示例区教育局,张三\r\n2, 示例市示例区财政局 ,李四\r\n3,示例市示例区人力资源和社会保障局,王五\r\n"
    assert read_roster(write_csv(tmp_path / "名单.csv", text, encoding)) == UNITS


def test_single_column_csv_blank_lines_and_full_width_spaces(tmp_path):
    text = "单位名称\n\n示例市示例区教育局\n\u3000示例市示例区财政局\u3000\n,\n示例市示例区人力资源和社会保障局\n\n"
    assert read_roster(write_csv(tmp_path / "r.csv", text, "utf-8")) == UNITS


def test_title_line_above_the_header_is_skipped(tmp_path):
    text = "2024年度政府信息公开年报报送单位名单\n单位名称,备注\n示例市示例区教育局,\n"
    assert read_roster(write_csv(tmp_path / "r.csv", text, "utf-8-sig")) == ["示例市示例区教育局"]


def test_duplicate_names_are_refused_naming_both_lines(tmp_path):
    text = "单位名称\n示例市示例区教育局\n示例市示例区财政局\n 示例市示例区教育局\n"
    with pytest.raises(InputError) as exc:
        read_roster(write_csv(tmp_path / "r.csv", text, "utf-8"))
    assert "第2行和第4行" in str(exc.value) and "示例市示例区教育局" in str(exc.value) and "重复" in str(exc.value)
    assert exc.value.file.endswith("r.csv")


def test_empty_name_is_refused_naming_the_line(tmp_path):
    text = "序号,单位名称\n1,示例市示例区教育局\n2,\n"
    with pytest.raises(InputError, match="第3行的单位名称为空"):
        read_roster(write_csv(tmp_path / "r.csv", text, "utf-8"))


def test_missing_header_and_empty_roster_are_refused(tmp_path):
    with pytest.raises(InputError, match="缺少表头“单位名称”"):
        read_roster(write_csv(tmp_path / "a.csv", "名称\n示例市示例区教育局\n", "utf-8"))
    with pytest.raises(InputError, match="没有单位"):
        read_roster(write_csv(tmp_path / "b.csv", "单位名称\n\n", "utf-8"))
    with pytest.raises(InputError, match="不存在"):
        read_roster(tmp_path / "none.csv")
    (tmp_path / "c.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match="另存为 .xlsx 或 .csv"):
        read_roster(tmp_path / "c.xls")
    (tmp_path / "e.csv").write_bytes("单位名称\n".encode() + b"\xff\xff\n")  # neither UTF-8 nor GB18030
    with pytest.raises(InputError, match="编码无法识别"):
        read_roster(tmp_path / "e.csv")


def test_xlsx_first_sheet_with_header_column(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["报送单位名单"])
    ws.append([])
    ws.append(["序号", "单位名称"])
    for i, name in enumerate(UNITS, 1):
        ws.append([i, f" {name} "])
    ws.append([None, None])
    other = wb.create_sheet("其他")
    other.append(["单位名称"])
    other.append(["不应读取"])
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    assert read_roster(path) == UNITS


def test_xlsx_duplicates_name_sheet_rows(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["单位名称"], [UNITS[0]], [UNITS[1]], [UNITS[0]]):
        ws.append(row)
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    with pytest.raises(InputError, match="第2行和第4行"):
        read_roster(path)


def test_broken_xlsx_is_refused(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="不是有效的 .xlsx"):
        read_roster(path)


@pytest.mark.parametrize(
    "name,expected",
    [
        ("示例市示例区教育局", "示例市示例区教育局"),
        ("示例市/示例区:教育局", "示例市_示例区_教育局"),
        ('a\\b*c?d"e<f>g|h', "a_b_c_d_e_f_g_h"),
        ("..", "未命名单位"),
        ("  . 教育局 .  ", "教育局"),
        ("CON", "_CON"),
        ("局" * 100, "局" * 60),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


@given(st.text(min_size=0, max_size=200))
def test_safe_filename_is_always_one_plain_file_name(name):
    out = safe_filename(name)
    assert out and len(out) <= 61
    assert not re.search(r'[\\/:*?"<>|\x00-\x1f]', out)
    assert out not in (".", "..") and out == out.strip(" .")
    assert len((out + "_2024_政府信息公开年报填报模板.xlsx").encode("utf-8")) <= 255


# issue 10: near-duplicates (15), every bad line at once (7), names Windows and macOS would merge (8) ------------


@pytest.mark.parametrize("first,second", [("示例市甲局", "示例市甲 局"), ("示例局（一）", "示例局(一)"), ("示例局１", "示例局1"), ("甲\u3000局", "甲局")])
def test_near_duplicate_names_are_refused_naming_both_lines(tmp_path, first, second):
    text = f"单位名称\n{first}\n示例市示例区财政局\n{second}\n"
    with pytest.raises(InputError) as exc:
        read_roster(write_csv(tmp_path / "r.csv", text, "utf-8"))
    msg = str(exc.value)
    assert "第2行" in msg and "第4行" in msg and first.strip("\u3000") in msg and "全角半角或空格" in msg


def test_names_are_kept_as_written(tmp_path):
    text = "单位名称\n示例局（一）\n示例局(二)\n"
    assert read_roster(write_csv(tmp_path / "r.csv", text, "utf-8")) == ["示例局（一）", "示例局(二)"]


def test_every_bad_line_is_named_at_once(tmp_path):
    text = "序号,单位名称\n1,甲局\n2,乙\x07局\n3,\n4,甲 局\n5,丙局\x00\n"
    with pytest.raises(InputError) as exc:
        read_roster(write_csv(tmp_path / "r.csv", text, "utf-8"))
    msg = str(exc.value)
    assert msg.startswith(str(tmp_path / "r.csv")) and "4处问题" in msg
    assert "第3行" in msg and "U+0007" in msg and "第4行的单位名称为空" in msg and "第2行“甲局”和第5行“甲 局”" in msg
    assert "第6行" in msg and "U+0000" in msg


def test_roster_types(tmp_path):
    from gkxl.roster import read_roster_entries

    text = "单位名称,类型\n办公室,本级政府办公室\n教育局,部门\n甲镇,乡镇(街道)\n乙街道,街道\n示例县,下级政府\n园区,开发区\n公司,企事业单位\n其他,\n"
    entries = read_roster_entries(write_csv(tmp_path / "r.csv", text, "utf-8"))
    assert [(e.name, e.type) for e in entries] == [
        ("办公室", "本级政府办公室"), ("教育局", "部门"), ("甲镇", "乡镇（街道）"), ("乙街道", "乡镇（街道）"), ("示例县", "下级政府"),
        ("园区", "开发区"), ("公司", "企事业单位"), ("其他", "未分类"),
    ]
    with pytest.raises(InputError, match="第3行的类型“科室”无效"):
        read_roster_entries(write_csv(tmp_path / "b.csv", "单位名称,类型\n教育局,部门\n甲,科室\n", "utf-8"))


def test_a_fifo_roster_is_refused_not_waited_on(tmp_path):
    import os
    import signal

    def hung(*_):
        raise AssertionError("reading a FIFO roster blocked")

    os.mkfifo(tmp_path / "名单.csv")
    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)  # a hang fails the test instead of blocking the suite
    try:
        with pytest.raises(InputError, match="管道"):
            read_roster(tmp_path / "名单.csv")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize(
    "name,expected",
    [("CON.局", "_CON.局"), ("AUX.教育局", "_AUX.教育局"), ("nul", "_nul"), ("COM1", "_COM1"), ("lpt9.x", "_lpt9.x"),
     ("Com¹", "_Com¹"), ("CON .局", "_CON .局"), ("教育局. . ", "教育局"), ("CONTOSO局", "CONTOSO局")],
)
def test_reserved_device_names_with_an_extension(name, expected):
    assert safe_filename(name) == expected


def test_names_differing_only_in_case_get_distinct_file_names():
    from gkxl.roster import distinct_filenames

    names = distinct_filenames(["ABC局", "abc局", "Abc局", "甲局"], ".docx")
    assert names == {"ABC局": "ABC局.docx", "abc局": "abc局（2）.docx", "Abc局": "Abc局（3）.docx", "甲局": "甲局.docx"}
    with pytest.raises(InputError, match="甲/乙局"):
        distinct_filenames(["甲/乙局", "甲_乙局"], ".docx")


@given(st.lists(st.text(min_size=1, max_size=12), max_size=8, unique=True))
def test_distinct_file_names_never_collide_on_windows_or_macos(names):
    import unicodedata

    from gkxl.roster import distinct_filenames

    try:
        out = distinct_filenames(names, ".docx")
    except InputError:
        return
    keys = [unicodedata.normalize("NFC", n).casefold() for n in out.values()]
    assert len(set(keys)) == len(names)

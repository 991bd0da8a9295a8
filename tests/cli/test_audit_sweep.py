"""Regressions found by the hostile-input sweep (bench/hostile_sweep.py): each class of input gives exit 2 and one
Chinese line naming the file (and part/key/cell), with the input unchanged — never lxml's or json's English."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

from gkxl.excel.writer import build_workbook
from gkxl.model import report_to_dict

from collect_helpers import consistent, run

ENGLISH = re.compile(r"[A-Za-z]{4,}")  # an English word; file names of the tests are Chinese


def one_line(res) -> str:
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    return lines[0]


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def good_workbook(tmp_path: Path, name: str = "好.xlsx") -> Path:
    p = tmp_path / name
    p.write_bytes(build_workbook(consistent("甲局", 1), lock_agency=True))
    return p


def with_control_character(src: Path, dst: Path) -> None:
    """A sheet part holding a raw BEL (U+0007): no XML parser accepts it; a hand-edited or foreign-tool file."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet2.xml"
    parts[sheet] = parts[sheet].replace(b"</sheetData>", b'<row r="99"><c r="B99" t="inlineStr"><is><t>4\x0705</t></is></c></row></sheetData>', 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    dst.write_bytes(buf.getvalue())


def test_an_xml_syntax_error_is_told_in_chinese_with_its_place(tmp_path):
    bad = tmp_path / "控制字符.xlsx"
    with_control_character(good_workbook(tmp_path), bad)
    before = digest(bad)
    for args in (("export", bad, "-o", tmp_path / "出.json"), ("report", bad, "-o", tmp_path / "出.docx"),
                 ("fill", bad, "--data", tmp_path / "无.json", "-o", tmp_path / "出.xlsx")):
        if args[0] == "fill":
            (tmp_path / "无.json").write_text(json.dumps(report_to_dict(consistent("甲局", 1)), ensure_ascii=False), encoding="utf-8")
        res = run(*args)
        assert res.returncode == 2, (args, res.stderr)
        line = one_line(res)
        assert "控制字符.xlsx" in line and "xl/worksheets/sheet2.xml" in line and "第2行" in line and "控制字符" in line, line
        assert not ENGLISH.search(line.replace(str(bad), "").replace("xl/worksheets/sheet2.xml", "").replace("XML", "")), line
    res = run("check", bad)
    assert res.returncode == 2 and "控制字符" in res.stdout and "invalid" not in res.stdout
    assert digest(bad) == before
    assert not (tmp_path / "出.json").exists() and not (tmp_path / "出.docx").exists() and not (tmp_path / "出.xlsx").exists()


def data_json(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "数据.json"
    p.write_text(text, encoding="utf-8")
    return p


def json_refused(tmp_path: Path, text: str) -> list[str]:
    """Each JSON-reading command's one line on `text`; the input unchanged, nothing written."""
    p = data_json(tmp_path, text)
    before = digest(p)
    good = good_workbook(tmp_path)
    lines = []
    for args in (("fill", good, "--data", p, "-o", tmp_path / "填.xlsx"), ("report", p, "-o", tmp_path / "报.docx"),
                 ("check", good, "--previous", p)):
        res = run(*args)
        assert res.returncode == 2, (args, res.stdout, res.stderr)
        lines.append(one_line(res))
    res = run("check", p)
    assert res.returncode == 2, res.stdout
    lines.append(next(ln for ln in res.stdout.splitlines() if "数据.json" in ln and "无法读取" in ln))
    assert digest(p) == before
    assert not (tmp_path / "填.xlsx").exists() and not (tmp_path / "报.docx").exists()
    for line in lines:
        assert "数据.json" in line and "Traceback" not in line, line
    return lines


def test_a_key_given_twice_in_json_is_refused_not_the_last_one_taken(tmp_path):
    # before: the second value (4051) silently replaced the first (405) and the report was filled with it
    text = '{"schema": "gkxl.report/1", "format": "2021", "agency": "甲局", "year": 2023, ' \
           '"values": {"sec2.licensing.decisions": 405, "sec2.licensing.decisions": 4051}}'
    for line in json_refused(tmp_path, text):
        assert "sec2.licensing.decisions" in line and "两次" in line, line


def test_nan_and_infinity_in_json_are_an_r_value_naming_the_cell(tmp_path):
    for constant in ("NaN", "Infinity", "-Infinity"):
        text = '{"schema": "gkxl.report/1", "format": "2021", "agency": "甲局", "year": 2023, ' \
               f'"values": {{"sec2.licensing.decisions": {constant}}}}}'
        res = run("check", data_json(tmp_path, text), "--json")
        assert res.returncode == 1, res.stderr
        found = {f["key"]: f for f in json.loads(res.stdout)["files"][0]["findings"]}
        assert found["R-VALUE.sec2.licensing.decisions"]["severity"] == "强制"


def test_a_symlink_loop_is_one_chinese_line_in_check_and_export_and_listed_by_collect(tmp_path):
    # before: check and collect exited 3 (RuntimeError: Symlink loop), export said “Too many levels of symbolic links”
    loop = tmp_path / "环.xlsx"
    loop.symlink_to(loop.name)
    res = run("check", loop)
    assert res.returncode == 2 and "符号链接指向自身" in res.stdout and "内部错误" not in res.stdout + res.stderr, res.stdout
    res = run("export", loop, "-o", tmp_path / "出.json")
    assert res.returncode == 2 and "符号链接指向自身" in one_line(res) and "Too many" not in res.stderr
    box = tmp_path / "收件箱"
    box.mkdir()
    good_workbook(box, "甲.xlsx")
    (box / "环.xlsx").symlink_to("环.xlsx")
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n甲局\n", encoding="utf-8")
    res = run("collect", box, "--roster", roster, "--year", 2023, "-o", tmp_path / "汇总")
    assert res.returncode == 0, res.stdout + res.stderr
    assert any("环.xlsx" in ln and "符号链接指向自身" in ln for ln in res.stdout.splitlines()), res.stdout


def test_a_json_syntax_error_is_told_in_chinese_with_line_and_column(tmp_path):
    for line in json_refused(tmp_path, '{"schema": "gkxl.report/1",\n "values": {,}}'):
        assert "第2行第13列" in line and "键名" in line and "Expecting" not in line, line


def test_collect_says_why_a_file_it_could_not_read_is_off_the_roster(tmp_path):
    # before: “名单外文件：b.json（（无法读取））” — no reason, doubled brackets (the status workbook had the reason)
    box = tmp_path / "收件箱"
    box.mkdir()
    good_workbook(box, "甲.xlsx")
    bad = box / "乙.json"
    bad.write_text('{"schema": "gkxl.report/1", "format": "2021", "agency": "乙局", "year": 2023, "values": {"sec9.x": 1}}', encoding="utf-8")
    before = digest(bad)
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n甲局\n乙局\n", encoding="utf-8")
    res = run("collect", box, "--roster", roster, "--year", 2023, "-o", tmp_path / "出")
    assert res.returncode in (0, 1) and "Traceback" not in res.stderr, res.stderr
    line = next(ln for ln in res.stdout.splitlines() if "乙.json" in ln)
    assert "无法读取：" in line and "sec9.x" in line and "（（" not in line, line
    assert digest(bad) == before


def test_a_unit_name_too_long_for_a_workbook_is_refused_before_anything_is_written(tmp_path):
    # before: --agency of 30,000 characters printed xlsxwriter's English warning and wrote the template
    res = run("template", "--agency", "局" * 3000, "--year", 2023, "-o", tmp_path / "模板.xlsx")
    assert res.returncode == 2 and "过长" in one_line(res) and "3000个字符" in res.stderr and "Warning" not in res.stderr
    assert not (tmp_path / "模板.xlsx").exists()
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n甲局\n" + "长" * 5000 + "\n", encoding="utf-8")
    res = run("template", "--roster", roster, "--year", 2023, "-o", tmp_path / "模板")
    line = one_line(res)
    assert res.returncode == 2 and "名单.csv" in line and "第3行" in line and "过长" in line, line
    assert not (tmp_path / "模板").exists()


def test_a_report_for_an_agency_name_too_long_for_three_title_lines_is_still_written(tmp_path):
    # before: the title's line breaking tried every pair of cut points of a 1 MB name and never ended
    doc = report_to_dict(consistent("甲局", 1))
    doc["agency"] = "局" * 20_000
    p = data_json(tmp_path, json.dumps(doc, ensure_ascii=False))
    res = run("report", p, "-o", tmp_path / "报告.docx", timeout=300)
    assert res.returncode in (0, 1) and "Traceback" not in res.stderr, res.stderr
    with zipfile.ZipFile(tmp_path / "报告.docx") as z:
        assert "局" * 1000 in z.read("word/document.xml").decode()

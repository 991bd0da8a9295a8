"""`gkxl check` on a partly read published report: what could not be read, one entry per row with its raw text once
(not one long finding per cell repeating it); the JSON keeps one R-VALUE per cell (the data contract)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from importers.shapes import flattened
from typer.testing import CliRunner
from word.word_reports import demo

from gkxl.cli.app import app
from gkxl.cli.check import print_unreadable
from gkxl.cli.common import out
from gkxl.importers import Unreadable
from gkxl.intake import load

RAW = "111000012"  # 11 1 0 0 0 0 12, 1 11 0 0 0 0 12 or 1 1 10 0 0 0 12: three readings of one row's run of digits


def cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "300"})


def two_unread_rows(tmp_path):
    r = demo()
    v = dict(r.with_totals())
    for row in ("granted", "unable.not_held"):
        v.update({f"sec3.{row}.natural_person": 11, f"sec3.{row}.business": 1, f"sec3.{row}.total": 12})
    # 表二 rows have no equation: their run of digits is read only where one split alone is possible ("007")
    v.update({"sec2.normative_docs.issued": 0, "sec2.normative_docs.repealed": 0, "sec2.normative_docs.in_force": 7})
    p = tmp_path / "两行未能读取.txt"
    text = flattened(replace(r, values=v))
    assert text.count(f"\n{RAW}\n") == 2
    p.write_text(text, encoding="utf-8")
    return p


def test_one_entry_per_row_with_its_raw_text_once(tmp_path):
    p = two_unread_rows(tmp_path)
    res = cli("check", p)
    assert res.exit_code == 1, res.output
    text = res.output
    # the raw text of each row once, in “未能读取” (two rows, two lines of the text): never once per cell
    assert text.count(RAW) == 2
    listed = text.split("未能读取（2处，请对照原文）：")[1].split("┏")[0]
    assert listed.count(RAW) == 2 and "第58行" in listed and "第80行" in listed
    # the findings: one entry per row naming its cells, the rule key of the row
    assert text.count("整行7个单元格无法确定数值") == 2
    assert "R-VALUE.sec3.granted.*（7个）" in text and "R-VALUE.sec3.unable.not_held.*（7个）" in text
    assert text.count("原文见上方“未能读取”") == 2
    assert not re.search(r"R-VALUE\.sec3\.granted\.(natural_person|business|total)", text)
    assert "只读出部分数值：14个单元格未能读取" in text and "14个强制错误" in text


def test_json_keeps_one_finding_per_cell(tmp_path):
    p = two_unread_rows(tmp_path)
    res = cli("check", p, "--json")
    doc = json.loads(res.output)["files"][0]
    keys = [f["key"] for f in doc["findings"] if f["rule"] == "R-VALUE"]
    assert len(keys) == 14 and "R-VALUE.sec3.granted.business" in keys
    assert [u["raw"] for u in doc["unreadable"]] == [RAW, RAW]


def test_rows_read_from_one_raw_text_are_listed_together(tmp_path):
    loaded = load(two_unread_rows(tmp_path))
    raw = "1.属于国家秘密 | 0 0 0 | 2.其他法律行政法规禁止公开 0 0 0 0"
    loaded.unreadable = [
        Unreadable("表三 （三）不予公开 1.属于国家秘密：应有7个数值，读到3个", raw, "第103行至第109行"),
        Unreadable("表三 （三）不予公开 2.其他法律行政法规禁止公开：应有7个数值，读到3个", raw, "第103行至第109行"),
        Unreadable("表二 行政许可：应有1个数值，读到2个", "行政许可 | 9 | 4", "第60行"),
    ]
    with out.capture() as captured:
        print_unreadable(loaded)
    text = captured.get()
    assert text.count(raw) == 1 and text.count("第103行至第109行") == 1
    assert "1.属于国家秘密：应有7个数值" in text and "2.其他法律行政法规禁止公开：应有7个数值" in text
    assert "表二 行政许可：应有1个数值，读到2个：原文“行政许可 | 9 | 4”（第60行）" in text


def test_numbers_not_compared_are_said_with_why(tmp_path, demo_report):
    from gkxl.model import report_to_json

    text = "市本级共受理政府信息公开申请9件。本年共收到政府信息公开申请5件。"
    p = tmp_path / "r.json"
    p.write_text(report_to_json(replace(demo_report, narrative={**demo_report.narrative, "overview.requests": text})), encoding="utf-8")
    res = cli("check", p)
    assert "正文中未与表格核对的数字（1处，带限定语，所说的是另一个量）" in res.output
    assert "一、总体情况（二）依申请公开：“市本级共受理政府信息公开申请9件”（前有“本级”）" in res.output
    assert "R-TEXT-NUMBER" not in res.output  # not a finding: the 9 may be right for 市本级
    doc = json.loads(cli("check", p, "--json").output)
    assert not [f for f in doc["files"][0]["findings"] if f["rule"] == "R-TEXT-NUMBER"]

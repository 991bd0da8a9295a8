"""`gkxl collect --requirements`: every unit checked against the pack; the status workbook's “要求清单” sheet lists each
unit's items (✔/✘) and, per item, how many units miss it; summary.json names them (for the office's 通报)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from workbook_helpers import cli, write_workbook

from gkxl.packs import load_pack

MEETS = {
    "overview.active": "全年在政府门户网站公开信息1 234条，通过政务新媒体发布信息567条，在政府公报刊登文件12件，"
                       "发布政策解读20篇，回应社会关切15次；重点领域信息公开及时。",
    "overview.management": "本年制发行政规范性文件3件，废止1件，现行有效28件。",
    "overview.platforms": "维护政府网站1个、政务新媒体5个，建成政府信息公开专区，编发政府公报12期，上线数字公报。",
}


def test_collect_lists_pack_items_per_unit_and_counts_units_missing_each(tmp_path: Path, demo_report):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    good = replace(demo_report, agency="甲局", narrative={**demo_report.narrative, **MEETS})
    bad = replace(good, agency="乙局", narrative={**good.narrative, "overview.platforms": "维护政府网站1个、政务新媒体5个，建成专区，上线数字公报。"})
    write_workbook(good, inbox / "甲局.xlsx")
    write_workbook(bad, inbox / "乙局.xlsx")
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n甲局\n乙局\n丙局\n", encoding="utf-8")
    out = tmp_path / "汇总结果"
    result = cli("collect", inbox, "--roster", roster, "--year", str(demo_report.year), "-o", out, "--jobs", "1", "--requirements", "武威2025")
    assert result.exit_code == 1, result.output
    assert "要求清单“武威2025”（2个单位的报告）：未满足的单位数 公报期数 1个" in result.output

    summary = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))["requirements"]
    assert (summary["name"], summary["notice"], summary["units_checked"]) == ("武威2025", "武政办发〔2025〕54号", 2)
    missed = {i["id"]: i["missed"] for i in summary["items"]}
    assert missed == {i.id: (["乙局"] if i.id == "公报期数" else []) for i in load_pack("武威2025").items}

    import openpyxl

    ws = openpyxl.load_workbook(out / "汇总" / "状态.xlsx")["要求清单"]
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    ids = [str(h).split("（")[0] for h in rows[1][1:]]
    col = ids.index("公报期数") + 1
    by_unit = {r[0]: r for r in rows[2:4]}
    assert by_unit["甲局"][col] == "✔" and by_unit["乙局"][col] == "✘"
    assert rows[4][0].startswith("未满足的单位数") and rows[4][col] == 1 and sum(rows[4][1:]) == 1
    assert "丙局" in rows[6][0]  # not submitted: not checked against the pack, and said so

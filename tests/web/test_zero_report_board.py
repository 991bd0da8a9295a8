"""零报告 on the office board (issue 17, part 3): a unit that declared it is marked 零报告 beside its status; others
are not. The data behind it is collect's (outcomes.UnitStatus.zero_report), so the mark is the same as `gkxl collect`'s."""

from __future__ import annotations

import dataclasses

from web_helpers import workbook

from gkxl.excel.writer import build_workbook


def test_the_board_marks_a_zero_report_unit(web, demo_report):
    values = {c: v for c, v in demo_report.values.items() if not c.startswith(("sec3.", "sec4."))}
    narrative = {k: v for k, v in demo_report.narrative.items() if k != "overview.requests"}
    zero = dataclasses.replace(demo_report, agency="甲局", values=values, narrative=narrative,
                               declared=frozenset({"no_applications", "no_appeals"}))
    res = web.upload("甲局", build_workbook(zero, lock_agency=True), "甲局年报.xlsx").json()
    assert res["status"] == "通过", res
    assert web.upload("乙局", workbook(demo_report, "乙局"), "乙局年报.xlsx").json()["status"] == "通过"
    page = web.client.get(web.office).text
    row = {name: page[page.index(f'data-unit="{name}"'):] for name in ("甲局", "乙局")}
    first = row["甲局"][: row["甲局"].index("</tr>")]
    second = row["乙局"][: row["乙局"].index("</tr>")]
    assert 'class="zero-report"' in first and "本年度未收到政府信息公开申请，无上年结转" in first
    assert "零报告" not in second
    # status.json says it too, as summary.json does (the declarations of the file used)
    units = {u["unit"]: u for u in web.client.get(f"{web.office}/status.json").json()["units"]}
    assert units["甲局"]["zero_report"] == ["no_appeals", "no_applications"] and units["乙局"]["zero_report"] == []

"""With the office's decisions, the exported inbox and its 审核记录.csv through `gkxl collect --reviews` give exactly
the office page's downloads, and the board's 审核 column is collect's."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
from test_inbox import extract
from test_review_http import decide
from typer.testing import CliRunner
from web_helpers import ROSTER, YEAR, unbalanced, unit_report, workbook

from gkxl.cli.app import app
from gkxl.excel.writer import build_workbook


def test_the_exported_inbox_with_its_decisions_collects_to_exactly_the_downloads(web, demo_report, tmp_path):
    a = workbook(demo_report, "甲局", **{"sec2.licensing.decisions": 5})
    b = workbook(demo_report, "甲局", **{"sec2.licensing.decisions": 6})
    web.upload("甲局", a, "甲局-1.xlsx")
    decide(web, "甲局", a, "退回", "许可件数与正文不一致，请核对")
    web.upload("甲局", b, "甲局-2.xlsx")
    decide(web, "甲局", b, "通过")
    c = workbook(demo_report, "乙局")
    web.upload("乙局", c)
    decide(web, "乙局", c, "退回", "正文第五部分缺少内容")  # returned: not in the 汇总
    rep = unit_report(demo_report, "丙局")
    rep.values.pop("sec2.licensing.decisions")
    d = build_workbook(rep, lock_agency=True)  # 待核实, accepted with the office's own opinion: in the 汇总
    web.upload("丙局", d)
    decide(web, "丙局", d, "通过", "规章件数为零，已电话核实")
    web.upload("<b>丁局</b>", workbook(demo_report, "<b>丁局</b>", **{"sec2.licensing.decisions": 11}))  # 未审核
    web.upload("乙局", unbalanced(demo_report, "乙局"), "乙局-错.xlsx")  # a newer file with 强制 errors: 待审核, not summed

    doc = web.client.get(f"{web.office}/status.json").json()
    review = {u["unit"]: u["review"] for u in doc["units"]}
    assert review == {"甲局": "已通过", "乙局": "待审核", "丙局": "已通过", "<b>丁局</b>": "待审核"}
    assert doc["unreviewed"] == ["<b>丁局</b>"]
    offered = {what: web.client.get(f"{web.office}/download/{what}") for what in ("status.xlsx", "summary.xlsx", "summary.docx", "reports.zip", "inbox.zip")}
    assert all(r.status_code == 200 for r in offered.values()), {k: r.text[:300] for k, r in offered.items() if r.status_code != 200}

    inbox = extract(offered["inbox.zip"].content, tmp_path / "解压")
    reviews = tmp_path / "解压" / "审核记录.csv"
    assert reviews.is_file() and not (inbox / "审核记录.csv").exists()
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n" + "\n".join(ROSTER) + "\n", encoding="utf-8")
    out = tmp_path / "汇总结果"
    res = CliRunner().invoke(app, ["collect", str(inbox), "--roster", str(roster), "-o", str(out), "--year", str(YEAR),
                                   "--agency", "示例市示例区", "--jobs", "1", "--reviews", str(reviews)])
    assert res.exit_code == 1, res.output
    assert (out / "汇总" / "状态.xlsx").read_bytes() == offered["status.xlsx"].content
    assert (out / "汇总" / "汇总数据.xlsx").read_bytes() == offered["summary.xlsx"].content
    assert (out / "汇总" / "汇总报告.docx").read_bytes() == offered["summary.docx"].content
    with zipfile.ZipFile(io.BytesIO(offered["reports.zip"].content)) as z:
        reports = {Path(n).name: z.read(n) for n in z.namelist()}
    assert reports == {p.name: p.read_bytes() for p in (out / "单位报告").iterdir()}
    assert "甲局.docx" in reports and "丙局.docx" in reports and "乙局.docx" not in reports

    wb = openpyxl.load_workbook(io.BytesIO(offered["status.xlsx"].content))
    head = [c.value for c in wb["报送状态"][1]]
    col = head.index("审核")
    assert {r[0]: r[col] for r in wb["报送状态"].iter_rows(min_row=2, values_only=True)} == review
    assert [r[2] for r in wb["审核记录"].iter_rows(min_row=2, values_only=True)] == ["退回", "通过", "退回", "通过"]
    info = {r[0]: r[1] for r in wb["汇总情况"].iter_rows(values_only=True)}
    assert info["未审核（已纳入汇总）"] == "<b>丁局</b>"
    from gkxl.formats.layout import UNITS_SHEET

    assert [r[0] for r in wb[UNITS_SHEET].iter_rows(min_row=2, values_only=True)] == ["甲局", "丙局", "<b>丁局</b>"]

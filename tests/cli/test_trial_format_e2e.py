"""The 2019 trial format end to end through the commands: template for 2020 → fill → check → report, and 2020 → 2021."""

from __future__ import annotations

import json

from docx import Document
from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.formats import get_format

runner = CliRunner()


def trial_report_json(agency: str) -> dict:
    spec = get_format("2019")
    values = {cid: 0 for cid in spec.inputs}
    values.update({
        "sec2.licensing.prev_items": 12, "sec2.licensing.change": -2, "sec2.licensing.decisions": 340,
        "sec2.procurement.items": 3, "sec2.procurement.amount": "25.1",
        "sec3.new_received.natural_person": 6, "sec3.granted.natural_person": 3, "sec3.other_handling.natural_person": 1,
        "sec3.carried_forward.natural_person": 2,
    })
    return {"schema": "gkxl.report/1", "format": "2019", "agency": agency, "year": 2020, "values": values,
            "narrative": {"preamble": "本报告按试行格式编制。"}, "issued_on": "2021-01-25"}


def test_2020_template_fill_check_report(tmp_path):
    agency = "示例县档案馆"
    template = tmp_path / "模板.xlsx"
    assert runner.invoke(app, ["template", "--year", "2020", "--agency", agency, "-o", str(template)]).exit_code == 0
    data = tmp_path / "2020.json"
    data.write_text(json.dumps(trial_report_json(agency), ensure_ascii=False), encoding="utf-8")
    filled = tmp_path / "已填.xlsx"
    res = runner.invoke(app, ["fill", str(template), "--data", str(data), "-o", str(filled)])
    assert res.exit_code == 0, res.output

    res = runner.invoke(app, ["check", str(filled), "--json"])
    assert res.exit_code == 0, res.output
    (result,) = json.loads(res.stdout)["files"]
    assert (result["format"], result["year"], result["verdict"]) == ("2019", 2020, "通过")

    docx = tmp_path / "报告.docx"
    res = runner.invoke(app, ["report", str(filled), "-o", str(docx)])
    assert res.exit_code == 0, res.output
    cells = {c.text for t in Document(str(docx)).tables for row in t.rows for c in row.cells}
    assert {"第二十条第（九）项", "政府集中采购", "本年增/减", "-2", "25.1", "（六）其他处理"} <= cells
    assert "本年制发件数" not in cells


def test_2021_report_checked_against_a_2020_trial_format_report(tmp_path, demo_report):
    prev = trial_report_json(demo_report.agency)
    prev["year"] = 2020
    previous = tmp_path / "2020.json"
    previous.write_text(json.dumps(prev, ensure_ascii=False), encoding="utf-8")
    current = tmp_path / "2021.json"
    from gkxl.model import report_to_dict

    cur = report_to_dict(demo_report)
    cur["year"] = 2021
    current.write_text(json.dumps(cur, ensure_ascii=False), encoding="utf-8")
    res = runner.invoke(app, ["check", str(current), "--previous", str(previous), "--json"])
    findings = {f["key"]: f for f in json.loads(res.stdout)["files"][0]["findings"]}
    # 上年结转 still applies across the change of format: last year carried 2 forward (自然人), this year took over 0
    assert findings["R-XYEAR-CARRIED.natural_person"]["expected"] == 2
    assert findings["R-XYEAR-CARRIED.natural_person"]["actual"] == 0
    # the in-force counts have no counterpart in the trial format: said, not compared
    for scope in ("regulations", "normative_docs"):
        f = findings[f"R-XYEAR-INFORCE.{scope}"]
        assert f["severity"] == "提示" and "没有现行有效件数" in f["message"] and f["expected"] is None

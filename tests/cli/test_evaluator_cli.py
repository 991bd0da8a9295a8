"""The evaluators' rules through `gkxl check`: a copied narrative and a jump in a count against last year's report,
located in the workbook (正文 sheet, the section's cell; the table cell)."""

from __future__ import annotations

from dataclasses import replace

from workbook_helpers import check_json, findings_of, write_workbook

from gkxl.formats.layout import field_address, narrative_address
from gkxl.model import report_to_json


def test_check_with_previous_finds_repeat_and_trend(tmp_path, demo_report, demo_previous):
    copied = dict(demo_previous.narrative, problems=demo_report.narrative["problems"], improvements=demo_report.narrative["improvements"])
    prev = replace(demo_previous, narrative=copied, values={**demo_previous.values, "sec2.penalty.decisions": 60})
    previous = tmp_path / "2022.json"
    previous.write_text(report_to_json(prev), encoding="utf-8")
    current = write_workbook(replace(demo_report, values={**demo_report.values, "sec2.penalty.decisions": 6}), tmp_path / "2023.xlsx")
    code, doc = check_json("--previous", previous, current)
    found = findings_of(doc)
    assert code == 1
    repeat = sorted(k for k in found if k.startswith("R-TEXT-REPEAT"))
    assert repeat == ["R-TEXT-REPEAT.improvements", "R-TEXT-REPEAT.problems"]
    f = found["R-TEXT-REPEAT.problems"]
    addr = narrative_address(demo_report.spec, "problems")
    assert (f["severity"], f["sheet"], f["cell"]) == ("核实", addr.sheet, addr.a1) and "相似度为 100.0%" in f["message"]
    trend = found["R-TREND.sec2.penalty.decisions"]
    addr = field_address(demo_report.spec, "sec2.penalty.decisions")
    assert (trend["severity"], trend["sheet"], trend["cell"], trend["expected"], trend["actual"]) == ("提示", addr.sheet, addr.a1, 60, 6)
    # without --previous neither rule runs
    _, doc = check_json(current)
    assert not [k for k in findings_of(doc) if k.startswith(("R-TEXT-REPEAT", "R-TREND"))]

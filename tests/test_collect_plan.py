"""A collect round is a plan (decided without writing) and a list of outputs, one writer per artifact."""

from __future__ import annotations

import dataclasses
import os

from gkxl.collect import OUTPUTS, check_file, plan_round, run_collect
from gkxl.excel.writer import build_workbook
from gkxl.outputs import Output, SUMMARY_DIR
from gkxl.outcomes import Status


def _inbox(tmp_path, demo_report):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for unit, extra in (("甲局", 0), ("乙局", 3)):
        values = dict(demo_report.values)
        values["sec3.new_received.business"] = values.get("sec3.new_received.business", 0) + extra  # 乙局: unbalanced
        report = dataclasses.replace(demo_report, agency=unit, year=2023, values=values, explanations={})
        (inbox / f"{unit}.xlsx").write_bytes(build_workbook(report, lock_agency=True))
    return inbox


def test_the_plan_decides_everything_and_writes_nothing(tmp_path, demo_report):
    inbox = _inbox(tmp_path, demo_report)
    outcomes = [check_file(str(p), p.name, 2023, ("甲局", "乙局", "丙局")) for p in sorted(inbox.iterdir())]
    before = sorted(os.listdir(tmp_path))
    plan = plan_round(["甲局", "乙局", "丙局"], outcomes, year=2023, agency="某区政府办")
    assert sorted(os.listdir(tmp_path)) == before and sorted(os.listdir(inbox)) == ["乙局.xlsx", "甲局.xlsx"]
    statuses = {u.unit: u.status for u in plan.result.units}
    assert statuses == {"甲局": Status.PASSED, "乙局": Status.MANDATORY, "丙局": Status.MISSING}
    assert [u.unit for u in plan.summed] == ["甲局"] == plan.result.included
    assert plan.result.missing == ["乙局", "丙局"] and plan.lacking == ["乙局", "丙局"]
    # the 汇总 of a single unit is that unit's numbers
    assert plan.total.with_totals()["sec3.new_received.total"] == plan.summed[0].used.report.with_totals()["sec3.new_received.total"]
    assert plan.summed[0].report_file == "单位报告/甲局.docx"


def test_a_new_artifact_is_one_more_writer_of_the_plan(tmp_path, demo_report):
    inbox = _inbox(tmp_path, demo_report)
    seen = []

    def write_list(plan, folder):
        seen.append(plan.result.included)
        (folder / SUMMARY_DIR / "纳入单位.txt").write_text("\n".join(plan.result.included), encoding="utf-8")

    out = tmp_path / "out"
    run_collect(inbox, ["甲局", "乙局"], out, year=2023, agency="某区政府办", jobs=1,
                outputs=(*OUTPUTS, Output("纳入单位", write_list)))
    assert seen == [["甲局"]]
    assert (out / SUMMARY_DIR / "纳入单位.txt").read_text(encoding="utf-8") == "甲局"
    assert {p.name for p in (out / SUMMARY_DIR).iterdir()} == {"汇总数据.xlsx", "汇总报告.docx", "状态.xlsx", "summary.json", "一图读懂.png",
                                                         "一图读懂.svg", "纳入单位.txt"}

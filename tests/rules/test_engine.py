"""The rule engine on small literal reports: exactly the expected findings, and nothing else."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gkxl.findings import Severity
from gkxl.model import Report, report_from_json
from gkxl.rules import RULES, run_rules
from gkxl.rules import engine
from gkxl.formats import get_format


def balanced(fmt: str = "2021") -> Report:
    """Every input zero except one application received and granted, per format."""
    spec = get_format(fmt)
    values = {cid: 0 for cid in spec.inputs}
    values["sec3.new_received.natural_person"] = 1
    values["sec3.granted.natural_person"] = 1
    return Report(fmt, 2023 if fmt == "2021" else 2020, "示例局", values)


def keys(findings):
    return sorted(f.key for f in findings)


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_a_balanced_report_has_no_findings(fmt):
    assert run_rules(balanced(fmt)) == []


def test_balance_names_column_cell_and_numbers():
    r = balanced()
    r.values["sec3.new_received.business"] = 2  # received 2, nothing handled or carried forward
    found = run_rules(r)
    assert keys(found) == ["R-BALANCE.business", "R-BALANCE.total"]
    f = next(x for x in found if x.scope == "business")
    assert f.severity is Severity.MANDATORY
    assert f.cells[0] == "sec3.carried_forward.business"
    assert (f.expected, f.actual, f.difference) == (2, 0, -2)
    assert f.labels == "四、结转下年度继续办理 / 法人或其他组织 商业企业"
    assert f.message == (
        "表三“商业企业”列：“三、本年度办理结果（七）总计”与“四、结转下年度继续办理”之和为 0，"
        "“一、本年新收政府信息公开申请数量”与“二、上年结转政府信息公开申请数量”之和为 2，两者应相等（相差 -2）"
    )


def test_given_totals_are_checked_not_replaced():
    r = balanced()
    r.values["sec3.granted.total"] = 3
    r.values["sec3.results_total.natural_person"] = 1
    found = run_rules(r)
    # 予以公开 总计 3 ≠ 1; （七）总计's total column (computed from its row = 1) ≠ the sum of result totals (3).
    assert keys(found) == ["R-RESULTS-SUM.total", "R-ROW-TOTAL.granted"]
    row = next(f for f in found if f.rule == "R-ROW-TOTAL")
    assert (row.actual, row.expected) == (3, 1) and row.cells[0] == "sec3.granted.total"


def test_sec4_total():
    r = balanced()
    r.values["sec4.review.upheld"] = 11
    r.values["sec4.review.total"] = 0  # the published error: a 总计 of 0 beside 11 cases
    found = run_rules(r)
    assert keys(found) == ["R-SEC4-TOTAL.review"]
    assert found[0].message == "表四“行政复议”：总计为 0，结果维持、结果纠正、其他结果、尚未审结之和为 11（相差 -11）"


def test_messages_follow_the_format_2019_wording():
    r = balanced("2019")
    r.values["sec3.other_handling.business"] = 1
    found = run_rules(r)
    assert sorted(f.key for f in found) == ["R-BALANCE.business", "R-BALANCE.total"]
    assert "“三、本年度办理结果（七）总计”" in found[0].message


def test_missing_is_verify_and_never_read_as_zero():
    r = balanced()
    del r.values["sec3.carried_forward.natural_person"]
    found = run_rules(r)
    # the balance of that column (and of the 总计 column, whose total cannot be computed) is not evaluated
    assert keys(found) == ["R-MISSING.sec3.carried_forward.natural_person"]
    assert found[0].severity is Severity.VERIFY and found[0].is_open


def test_explanation_of_six_characters_settles_a_verify_finding():
    r = balanced()
    del r.values["sec2.fees.amount_wan"]
    r.explanations["R-MISSING.sec2.fees.amount_wan"] = "本机关无收费"  # 6 characters
    (f,) = run_rules(r)
    assert f.explanation == "本机关无收费" and f.explained and not f.is_open
    r.explanations["R-MISSING.sec2.fees.amount_wan"] = "无收费"
    (f,) = run_rules(r)
    assert f.is_open


def test_cross_year_carried_over_and_in_force():
    prev = balanced()
    prev.year = 2022
    prev.values["sec3.new_received.research"] = 3
    prev.values["sec3.carried_forward.research"] = 3
    prev.values["sec2.regulations.in_force"] = 10
    cur = balanced()
    cur.values["sec2.regulations.issued"] = 2
    cur.values["sec2.regulations.repealed"] = 1
    cur.values["sec2.regulations.in_force"] = 10  # expected 10 + 2 - 1 = 11
    found = run_rules(cur, previous=prev)
    assert keys(found) == ["R-XYEAR-CARRIED.research", "R-XYEAR-CARRIED.total", "R-XYEAR-INFORCE.regulations"]
    carried = next(f for f in found if f.key == "R-XYEAR-CARRIED.research")
    assert (carried.actual, carried.expected, carried.severity) == (0, 3, Severity.VERIFY)
    inforce = next(f for f in found if f.rule == "R-XYEAR-INFORCE")
    assert (inforce.actual, inforce.expected, inforce.severity) == (10, 11, Severity.HINT)


def test_cross_format_2020_to_2021_compares_carried_and_says_in_force_has_no_counterpart():
    prev = balanced("2019")
    prev.values["sec3.new_received.business"] = 1
    prev.values["sec3.carried_forward.business"] = 1
    cur = balanced("2021")
    cur.year = 2021
    cur.values["sec3.carried_over.business"] = 1
    cur.values["sec3.granted.business"] = 1
    found = run_rules(cur, previous=prev)
    assert keys(found) == ["R-XYEAR-INFORCE.normative_docs", "R-XYEAR-INFORCE.regulations"]
    assert all(f.severity is Severity.HINT and "没有现行有效件数" in f.message for f in found)


def test_previous_of_the_wrong_year_is_a_hint_and_no_cross_year_rule_runs():
    prev = balanced()
    prev.year = 2020
    prev.values["sec3.carried_forward.business"] = 5  # would fail R-XYEAR-CARRIED if it were compared
    found = run_rules(balanced(), previous=prev)
    assert keys(found) == ["R-IDENTITY.previous"]
    assert found[0].severity is Severity.HINT and not found[0].is_open
    assert "2020年" in found[0].message and "2022年" in found[0].message


def test_a_broken_rule_becomes_r_internal_and_the_others_still_run(monkeypatch):
    def boom(ctx):
        raise ZeroDivisionError("x")
        yield

    monkeypatch.setitem(engine.RULE_FUNCTIONS, "R-MISSING", boom)
    r = balanced()
    r.values["sec3.new_received.business"] = 2
    found = run_rules(r)
    assert keys(found) == ["R-BALANCE.business", "R-BALANCE.total", "R-INTERNAL.R-MISSING"]


def test_every_contract_rule_is_in_the_catalogue():
    contract = ["R-BALANCE", "R-RESULTS-SUM", "R-ROW-TOTAL", "R-SEC4-TOTAL", "R-VALUE", "R-MISSING", "R-XYEAR-CARRIED",
                "R-XYEAR-INFORCE", "R-TEXT-NUMBER", "R-CACHED-TOTAL", "R-INTERNAL",
                "R-IDENTITY", "R-LAYOUT", "R-DATE", "R-APPLICANT-SWAP", "R-TEXT-REPEAT", "R-TREND", "R-STRUCTURE", "R-EXPLANATION"]
    severities = ["强制", "强制", "强制", "强制", "强制", "核实", "核实", "提示", "核实", "强制", "强制",
                  "强制", "强制", "强制", "强制", "核实", "提示", "核实", "提示"]
    assert [RULES[r].severity.value for r in contract] == severities
    implemented = set(engine.RULE_FUNCTIONS) | set(engine.READ_RULES)
    assert set(RULES) == implemented


def test_decimal_fee_is_kept_exactly_through_json():
    report, found = report_from_json('{"year": 2023, "values": {"sec2.fees.amount_wan": 151.598}}')
    assert not found and report.values["sec2.fees.amount_wan"] == Decimal("151.598")
    assert report.format == "2021"

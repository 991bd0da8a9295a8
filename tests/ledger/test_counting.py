"""表三 and 表四 counted from registers: a register a person counted by hand, random registers against every 勾稽 rule,
the year boundary, shuffled and split registers, and every kind of row that cannot be counted (R-LEDGER-ROW)."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from gkxl.ledger.counting import APPLICATIONS, CASES, Application, Case, Register, count, reconcile, still_open
from gkxl.ledger.vocabulary import vocabulary
from gkxl.model import Report
from gkxl.rules import run_rules

D = dt.date
BALANCE_RULES = {"R-BALANCE", "R-RESULTS-SUM", "R-ROW-TOTAL", "R-SEC4-TOTAL", "R-APPLICANT-SWAP"}


def app(line, number, received, applicant, result=None, answered=None):
    return Application(APPLICATIONS, line, number, received, applicant, result, answered)


def case(line, number, group, opened, outcome=None, closed=None):
    return Case(CASES, line, number, group, opened, outcome, closed)


def nonzero(values: dict) -> dict:
    return {k: v for k, v in values.items() if v}


def test_a_register_counted_by_hand():
    register = Register(
        applications=[
            app(3, "A1", D(2025, 1, 6), "natural_person", "granted", D(2025, 1, 20)),  # 新收, 予以公开
            # partly disclosed: counted once, under （二）部分公开 only
            app(4, "A2", D(2025, 3, 2), "business", "partly_granted", D(2025, 3, 25)),
            app(5, "A3", D(2025, 12, 31), "natural_person"),  # received on 31 December, open: 新收 and 结转下年度
            # received in 2025, answered on 1 January 2026: 新收 and 结转下年度 in 2025, its result is 2026's
            app(6, "A4", D(2025, 12, 20), "legal_service", "unable.not_held", D(2026, 1, 1)),
            app(7, "A0", D(2024, 12, 28), "natural_person", "refused.third_party", D(2025, 1, 10)),  # 上年结转, answered in 2025
            app(8, "Z9", D(2024, 5, 1), "natural_person", "granted", D(2024, 6, 1)),  # 2024's: not counted in 2025
            app(9, "N1", D(2026, 1, 3), "natural_person"),  # 2026's: not counted in 2025
        ],
        cases=[
            case(3, "F1", "review", D(2025, 2, 1), "upheld", D(2025, 4, 1)),  # 复议 closed: 结果维持
            case(4, "F2", "review", D(2025, 11, 1)),  # 复议 still open on 31 December: 尚未审结
            case(5, "S1", "litigation_direct", D(2024, 9, 1), "corrected", D(2025, 3, 1)),  # begun in 2024, decided in 2025
            case(6, "S2", "litigation_after_review", D(2024, 3, 1), "other", D(2024, 8, 1)),  # decided in 2024: not 2025's
        ],
    )
    counted = count(register, year=2025)
    assert counted.findings == []
    # written out: 新收 自然人 A1, A3 = 2; 商业企业 A2 = 1; 法律服务机构 A4 = 1. 上年结转 自然人 A0 = 1.
    # 予以公开 自然人 A1; 部分公开 商业企业 A2; 保护第三方 自然人 A0. 结转下年度 自然人 A3, 法律服务机构 A4.
    # 复议: 维持 F1, 尚未审结 F2; 直接起诉: 纠正 S1.
    assert nonzero(counted.values) == {
        "sec3.new_received.natural_person": 2, "sec3.new_received.business": 1, "sec3.new_received.legal_service": 1,
        "sec3.carried_over.natural_person": 1,
        "sec3.granted.natural_person": 1, "sec3.partly_granted.business": 1, "sec3.refused.third_party.natural_person": 1,
        "sec3.carried_forward.natural_person": 1, "sec3.carried_forward.legal_service": 1,
        "sec4.review.upheld": 1, "sec4.review.pending": 1, "sec4.litigation_direct.corrected": 1,
    }
    full = Report("2021", 2025, values=dict(counted.values)).with_totals()
    assert full["sec3.new_received.total"] == 4 and full["sec3.results_total.total"] == 3 and full["sec4.review.total"] == 2
    assert counted.trace["sec3.partly_granted.business"] == ["申请台账第4行（A2）"]
    # next year: A3 and A4 are 2026's 上年结转, A4 answered then
    nxt = count(register, year=2026)
    assert nonzero({k: v for k, v in nxt.values.items() if ".carried_over." in k}) == {
        "sec3.carried_over.natural_person": 1, "sec3.carried_over.legal_service": 1}
    assert nxt.values["sec3.unable.not_held.legal_service"] == 1 and nxt.values["sec4.review.pending"] == 1


def test_every_row_that_cannot_be_counted_is_named_and_not_counted():
    register = Register(applications=[
        app(3, "A1", D(2025, 3, 1), "natural_person", "granted", D(2025, 2, 1)),  # answered before received
        app(4, "A2", D(2025, 3, 1), "natural_person", "granted", None),  # a result without an answer date
        app(5, "A3", D(2025, 3, 1), "natural_person", None, D(2025, 3, 5)),  # an answer date without a result
        app(6, "A4", D(2052, 3, 1), "natural_person"),  # outside 2020…2026
        app(7, "A5", D(2025, 3, 1), "natural_person", "granted", D(2025, 3, 9)),
        app(8, "A5", D(2025, 4, 1), "natural_person", "granted", D(2025, 4, 9)),  # the 编号 again
        app(9, "A6", D(2025, 4, 1), None),  # no applicant type
    ], cases=[case(3, "F1", "review", D(2025, 1, 2), "upheld", None), case(4, "F2", "review", D(2025, 1, 2), None, D(2025, 2, 2))])
    counted = count(register, year=2025)
    by_row = {f.scope: f.message for f in counted.findings}
    assert set(by_row) == {f"{APPLICATIONS}:{n}" for n in (3, 4, 5, 6, 8, 9)} | {f"{CASES}:3", f"{CASES}:4"}
    assert "早于收到日期" in by_row[f"{APPLICATIONS}:3"]
    assert "有办理结果而没有答复日期" in by_row[f"{APPLICATIONS}:4"] and "有答复日期而没有办理结果" in by_row[f"{APPLICATIONS}:5"]
    assert "不在2020年至2026年之间" in by_row[f"{APPLICATIONS}:6"]
    assert "编号“A5”与申请台账第7行重复" in by_row[f"{APPLICATIONS}:8"]
    assert all(f.rule == "R-LEDGER-ROW" and f.severity.value == "强制" for f in counted.findings)
    assert counted.values["sec3.new_received.natural_person"] == 1  # only A5's first row


def test_a_carried_over_row_last_years_register_does_not_have_open():
    last = Register(applications=[app(3, "A0", D(2024, 12, 1), "natural_person")])
    this = Register(applications=[app(3, "A0", D(2024, 12, 1), "natural_person", "granted", D(2025, 1, 5)),
                                  app(4, "B7", D(2024, 11, 1), "business", "granted", D(2025, 1, 6))])
    counted = count(this, year=2025, previous=last)
    assert [f.scope for f in counted.findings] == [f"{APPLICATIONS}:4"]
    assert "上年台账中没有编号为“B7”" in counted.findings[0].message


# Random registers ----------------------------------------------------------------------------------------------------

V = vocabulary("2021")
DAYS = st.integers(0, 3 * 365 + 180)  # 2022-01-01 … 2025-06-29: every date within 2020…2026 with its answer
BASE = D(2022, 1, 1)


@st.composite
def registers(draw):
    apps, cases = [], []
    for i in range(draw(st.integers(0, 40))):
        received = BASE + dt.timedelta(days=draw(DAYS))
        answered = None if draw(st.booleans()) and draw(st.booleans()) else received + dt.timedelta(days=draw(st.integers(0, 120)))
        result = draw(st.sampled_from(V.results)).id if answered else None
        apps.append(app(i + 3, f"A{i}", received, draw(st.sampled_from(V.applicants)).id, result, answered))
    for i in range(draw(st.integers(0, 10))):
        opened = BASE + dt.timedelta(days=draw(DAYS))
        closed = None if draw(st.booleans()) else opened + dt.timedelta(days=draw(st.integers(0, 300)))
        outcome = draw(st.sampled_from([o.id for o in V.outcomes if o.id != "pending"])) if closed else None
        cases.append(case(i + 3, f"C{i}", draw(st.sampled_from(V.groups)).id, opened, outcome, closed))
    return Register(apps, cases)


@settings(max_examples=150, deadline=None)
@given(register=registers())
def test_random_registers_give_tables_every_rule_holds_for(register):
    year = 2025
    counted = count(register, year=year)
    assert counted.findings == []
    report = Report("2021", year, "示例局", values=dict(counted.values))
    assert {f.rule for f in run_rules(report)} & BALANCE_RULES == set()
    # this year's 结转下年度 is next year's 上年结转, column by column
    nxt = count(register, year=year + 1)
    for col in ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org"):
        assert counted.values[f"sec3.carried_forward.{col}"] == nxt.values[f"sec3.carried_over.{col}"]
    # a shuffled register, or one split between two files, gives the same tables
    rng = random.Random(len(register.applications))
    apps, cases = register.applications[:], register.cases[:]
    rng.shuffle(apps)
    rng.shuffle(cases)
    cut = len(apps) // 2
    assert count(Register(apps, cases), year=year).values == counted.values
    split = Register(apps[:cut], cases) + Register(apps[cut:], [])
    assert count(split, year=year).values == counted.values
    # the register's own tables reconcile with themselves; one cell changed is one R-LEDGER finding
    assert reconcile(counted.values, counted) == []
    typed = dict(counted.values)
    typed["sec3.new_received.natural_person"] += 1
    found = reconcile(typed, counted)
    assert [(f.rule, f.scope, f.actual, f.expected) for f in found] == [
        ("R-LEDGER", "sec3.new_received.natural_person", typed["sec3.new_received.natural_person"], counted.values["sec3.new_received.natural_person"])]


def test_still_open_is_what_next_year_starts_with():
    register = Register(applications=[app(3, "A", D(2025, 12, 30), "natural_person"), app(4, "B", D(2025, 5, 1), "business", "granted", D(2025, 5, 9)),
                                      app(5, "C", D(2025, 12, 1), "research", "granted", D(2026, 1, 9))],
                        cases=[case(3, "F", "review", D(2025, 6, 1)), case(4, "G", "review", D(2025, 6, 1), "upheld", D(2025, 7, 1))])
    carried = still_open(register, 2025)
    assert [a.number for a in carried.applications] == ["A", "C"] and [c.number for c in carried.cases] == ["F"]

"""The evaluators' rules: R-APPLICANT-SWAP, R-TREND, R-TEXT-REPEAT and the 收到 forms of R-TEXT-NUMBER; each fires on
a constructed case with exact key, severity and numbers, and is silent on its near miss."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gkxl.findings import Severity
from gkxl.formats import get_format
from gkxl.model import Report
from gkxl.rules import run_rules
from gkxl.rules.repeat import normalise, similarity
from gkxl.rules.text_numbers import statements


def zeros(fmt: str = "2021", year: int = 2023) -> Report:
    return Report(fmt, year, "示例局", {cid: 0 for cid in get_format(fmt).inputs})


def with_values(report: Report, **values) -> Report:
    return replace(report, values={**report.values, **{k.replace("__", "."): v for k, v in values.items()}})


def keys(findings) -> list[str]:
    return sorted(f.key for f in findings)


# R-APPLICANT-SWAP ------------------------------------------------------------------------------------------


def swapped_report() -> Report:
    """The real 2025 case: 2 applications received from 自然人, one of them answered as if from 其他 (−1 / +1)."""
    r = zeros()
    r.values.update({
        "sec3.new_received.natural_person": 2,
        "sec3.granted.natural_person": 1,
        "sec3.granted.other_org": 1,
    })
    return r


def test_swap_is_one_finding_naming_both_columns():
    found = run_rules(swapped_report())
    assert keys(found) == ["R-APPLICANT-SWAP.natural_person+other_org"]
    (f,) = found
    assert f.severity is Severity.MANDATORY
    assert f.cells[:2] == ("sec3.carried_forward.natural_person", "sec3.carried_forward.other_org")
    assert f.message == (
        "表三“自然人”列与“其他”列的勾稽关系（第一项加第二项之和，等于第三项加第四项之和）分别相差 -1 和 +1，"
        "而“总计”列平衡：很可能有1件申请在一些行计入了“自然人”、在另一些行计入了“其他”（申请人类型前后不一致），请核对这两列各行的件数"
    )


def test_swap_by_n_in_the_other_order():
    r = zeros()
    r.values.update({"sec3.new_received.research": 5, "sec3.granted.business": 3, "sec3.granted.research": 2})
    (f,) = run_rules(r)
    assert f.key == "R-APPLICANT-SWAP.business+research" and "分别相差 +3 和 -3" in f.message and "有3件申请" in f.message


def test_near_miss_total_not_balanced_stays_two_balance_findings():
    r = swapped_report()
    r.values["sec3.carried_forward.total"] = 1  # a given 总计 that breaks the 总计 column's balance
    found = run_rules(r)
    assert "R-APPLICANT-SWAP" not in {f.rule for f in found}
    balance = [f.key for f in found if f.rule == "R-BALANCE"]
    assert balance == ["R-BALANCE.natural_person", "R-BALANCE.other_org", "R-BALANCE.total"]


def test_near_miss_unequal_differences_or_three_columns():
    r = swapped_report()
    r.values["sec3.granted.other_org"] = 2  # −1 / +2: not a swap; the 总计 column fails too
    assert keys(f for f in run_rules(r) if f.rule.startswith("R-")) == [
        "R-BALANCE.natural_person", "R-BALANCE.other_org", "R-BALANCE.total"]
    r = swapped_report()
    r.values.update({"sec3.granted.natural_person": 0, "sec3.granted.business": 1})  # −2, +1, +1: no pair to name
    assert "R-APPLICANT-SWAP" not in {f.rule for f in run_rules(r)}


# R-TREND ---------------------------------------------------------------------------------------------------


def test_trend_fivefold_and_fall_to_zero():
    prev = with_values(zeros(year=2022), sec2__licensing__decisions=100, sec2__penalty__decisions=12, sec4__review__upheld=2,
                       sec3__new_received__natural_person=3, sec3__granted__natural_person=3)
    cur = with_values(zeros(), sec2__licensing__decisions=501, sec2__penalty__decisions=0, sec4__review__upheld=2,
                      sec3__new_received__natural_person=16, sec3__granted__natural_person=16)
    found = [f for f in run_rules(cur, previous=prev) if f.rule == "R-TREND"]
    assert keys(found) == ["R-TREND.sec2.licensing.decisions", "R-TREND.sec2.penalty.decisions", "R-TREND.sec3.new_received.total"]
    by = {f.scope: f for f in found}
    assert all(f.severity is Severity.HINT and not f.is_open for f in found)
    assert (by["sec2.licensing.decisions"].actual, by["sec2.licensing.decisions"].expected) == (501, 100)
    assert by["sec2.licensing.decisions"].message == (
        "表二 第二十条第（五）项 行政许可 / 本年处理决定数量：本年为 501，上年为 100，为上年的 5.0 倍（变化超过5倍）；请核实是否填错（漏填、多填或单位不对）"
    )
    assert "本年为 0，上年为 12，降为 0" in by["sec2.penalty.decisions"].message
    assert "为上年的 5.3 倍" in by["sec3.new_received.total"].message


def test_trend_near_misses():
    prev = with_values(zeros(year=2022), sec2__licensing__decisions=100, sec2__penalty__decisions=9, sec2__coercion__decisions=2)
    cur = with_values(zeros(), sec2__licensing__decisions=500, sec2__penalty__decisions=0, sec2__coercion__decisions=11)
    found = [f for f in run_rules(cur, previous=prev) if f.rule == "R-TREND"]
    # exactly fivefold is not more; 9 → 0 is below 10; 2 → 11 is more than fivefold and reaches 10
    assert keys(found) == ["R-TREND.sec2.coercion.decisions"]
    assert run_rules(cur) == []  # no previous: no trend


def test_appeals_without_applications_are_no_error():
    """表四 cases with 表三 at 0 (cases of earlier years' applications): no finding, and no trend against 表三."""
    prev = with_values(zeros(year=2022), sec4__review__upheld=3, sec4__litigation_direct__pending=2)
    cur = with_values(zeros(), sec4__review__upheld=4, sec4__review__pending=1, sec4__litigation_direct__pending=2)
    assert run_rules(cur, previous=prev) == []
    jump = with_values(cur, sec4__review__upheld=30)
    assert keys(run_rules(jump, previous=prev)) == ["R-TREND.sec4.review.total"]


def test_trend_across_the_change_of_format():
    prev = with_values(zeros("2019", 2020), sec2__penalty__decisions=40)
    cur = with_values(zeros(year=2021), sec2__penalty__decisions=3)
    found = [f for f in run_rules(cur, previous=prev) if f.rule == "R-TREND"]
    assert keys(found) == ["R-TREND.sec2.penalty.decisions"] and "仅为上年的 7.5%" in found[0].message


# R-TEXT-REPEAT ---------------------------------------------------------------------------------------------

_CHARS = "".join(chr(c) for c in range(0x4E00 + 500, 0x4E00 + 900))  # CJK characters, none of them a digit


def texts_with_ratio(k: int) -> tuple[str, str]:
    """Two 100-character texts sharing their first k characters and nothing else: ratio exactly k / 100."""
    last = _CHARS[:100]
    now = _CHARS[:k] + _CHARS[200 : 300 - k]
    return now, last


@pytest.mark.parametrize(("k", "fires"), [(49, False), (50, False), (51, True), (90, True)])
def test_repeat_at_the_threshold(k, fires):
    now, last = texts_with_ratio(k)
    spec = get_format("2021")
    assert similarity(normalise(now, spec), normalise(last, spec)) == pytest.approx(k / 100)
    cur = replace(zeros(), narrative={"problems": now})
    prev = replace(zeros(year=2022), narrative={"problems": last})
    found = [f for f in run_rules(cur, previous=prev) if f.rule == "R-TEXT-REPEAT"]
    if not fires:
        assert found == []
        return
    assert keys(found) == ["R-TEXT-REPEAT.all", "R-TEXT-REPEAT.problems"]
    f = next(x for x in found if x.scope == "problems")
    assert f.severity is Severity.VERIFY and f.is_open
    assert f.message == (
        f"正文“五、存在的主要问题及改进情况（一）存在的主要问题”：与上年报告的相似度为 {k}.0%，超过50%"
        "（按字符比较，已去除标题、表格标签、陈述表格数字的说法、自动起草的固定用语和数字），请结合本年工作重新撰写"
    )


def test_repeat_ignores_numbers_fixed_phrases_and_short_texts(demo_report, demo_previous):
    # the same sentence with this year's numbers is a repeat: numbers are not what makes a text new
    body = "本年度共组织培训两次，" + _CHARS[:60]
    cur = replace(demo_report, narrative={"overview.oversight": "2023年" + body + "覆盖人员300人。"})
    prev = replace(demo_previous, narrative={"overview.oversight": "2022年" + body + "覆盖人员120人。"})
    found = [f for f in run_rules(cur, previous=prev) if f.rule == "R-TEXT-REPEAT"]
    assert keys(found) == ["R-TEXT-REPEAT.all", "R-TEXT-REPEAT.overview.oversight"] and "100.0%" in found[0].message
    # a drafted statistics paragraph is fixed wording: drafted both years, it is no repeat
    from gkxl.drafting import section_drafts

    cur = replace(demo_report, narrative=section_drafts(demo_report))
    prev = replace(demo_previous, narrative=section_drafts(demo_previous))
    assert [f for f in run_rules(cur, previous=prev) if f.rule == "R-TEXT-REPEAT"] == []
    # one short line, the same every year
    cur = replace(demo_report, narrative={"other_matters": "本年度无其他需要报告的事项。"})
    prev = replace(demo_previous, narrative={"other_matters": "本年度无其他需要报告的事项。"})
    assert [f for f in run_rules(cur, previous=prev) if f.rule == "R-TEXT-REPEAT"] == []


def test_the_demo_years_are_not_a_repeat(demo_report, demo_previous):
    assert [f for f in run_rules(demo_report, previous=demo_previous) if f.rule == "R-TEXT-REPEAT"] == []


# R-TEXT-NUMBER: the 收到 forms ------------------------------------------------------------------------------


def received_report(text: str) -> Report:
    r = with_values(zeros(), sec3__new_received__natural_person=5, sec3__carried_over__natural_person=2,
                    sec3__granted__natural_person=7)
    return replace(r, narrative={"overview.requests": text})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本年共收到政府信息公开申请5件。", []),  # 收到 = 新收
        # 收到 = 新收 + 结转: a reading of 收到, not a contradiction; the corpus's real reports use it so, and a
        # finding there would be counted as a false accusation (gkxl/rules/text_numbers.py, statements: "ambiguous")
        ("本年共收到政府信息公开申请7件。", []),
        ("本年共收到政府信息公开申请6件。", [("核实", 5, 6)]),  # neither
        ("本年共收到政府信息公开申请7件（含上年结转2件）。", []),
        ("本年共收到政府信息公开申请5件（含上年结转2件）。", [("核实", 7, 5)]),
        ("本年新收政府信息公开申请7件。", [("核实", 5, 7)]),  # 新收 is never ambiguous
        ("本年新收政府信息公开申请5件，其中自然人5件；上年结转政府信息公开申请2件。", []),
        ("本年新收政府信息公开申请5件，其中自然人4件。", [("核实", 5, 4)]),
        # the applicants of a 收到 sentence that counts 结转 too: that reading alike; of a 新收 sentence: a contradiction
        ("本年共收到政府信息公开申请7件，其中自然人7件。", []),
        ("本年新收政府信息公开申请5件，其中自然人7件。", [("核实", 5, 7)]),
    ],
)
def test_received_forms(text, expected):
    found = [f for f in run_rules(received_report(text)) if f.rule == "R-TEXT-NUMBER"]
    assert [(f.severity.value, f.expected, f.actual) for f in found] == expected
    assert all(f.key == "R-TEXT-NUMBER.overview.requests" for f in found)
    statuses = [st.status for st in statements(received_report(text))]
    assert ("ambiguous" in statuses) == (text.startswith("本年共收到政府信息公开申请7件") and "含" not in text)


SAMPLE = "/work/shared/samples/published-report-2023-district-hrss.txt"


def test_no_text_finding_on_the_published_sample():
    from pathlib import Path

    from gkxl.importers import import_file

    if not Path(SAMPLE).exists():
        pytest.skip(f"the published sample is not here ({SAMPLE})")
    r = import_file(SAMPLE)
    assert "收到政府信息公开申请5件" in r.report.narrative["overview.requests"]
    assert [f for f in run_rules(r.report, found=r.findings) if f.rule.startswith("R-TEXT")] == []


def test_a_real_report_published_again_next_year_is_a_repeat(tmp_path):
    """The sample as last year's report and again, unchanged but for the year, as this year's."""
    from pathlib import Path

    from gkxl.importers import import_file

    if not Path(SAMPLE).exists():
        pytest.skip(f"the published sample is not here ({SAMPLE})")
    text = Path(SAMPLE).read_text(encoding="utf-8")
    (tmp_path / "2022.txt").write_text(text.replace("2023年", "2022年"), encoding="utf-8")
    prev = import_file(tmp_path / "2022.txt").report
    cur = import_file(SAMPLE).report
    assert (prev.year, cur.year) == (2022, 2023)
    found = {f.scope: f for f in run_rules(cur, previous=prev) if f.rule == "R-TEXT-REPEAT"}
    # every written section and the whole; not （二）, whose sentences state the tables' numbers (removed before comparing)
    assert sorted(found) == sorted(["overview.active", "overview.management", "overview.platforms", "overview.oversight",
                                    "problems", "improvements", "other_matters", "all"])
    assert all("相似度为 100.0%" in f.message for f in found.values())

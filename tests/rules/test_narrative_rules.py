"""The narrative rules (issue 20): R-LENGTH, R-PLACEHOLDER, R-PROMISE — each at its edges, on the report model, on a
filled workbook (`gkxl check` on the .xlsx) and on an imported published report (`gkxl check` on an HTML page)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from importers.shapes import report_html
from workbook_helpers import check_json, findings_of, write_workbook

from gkxl.findings import Severity
from gkxl.model import Report
from gkxl.rules import run_rules
from gkxl.rules.length import char_count, overview_count, removed_headings
from gkxl.rules.placeholder import placeholders, stale_years
from gkxl.rules.promise import items, key_terms, needed, ratio, reports_on

MINE = ("R-LENGTH", "R-PLACEHOLDER", "R-PROMISE", "R-REQUIREMENT")


def mine(findings) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in findings:
        if f.rule in MINE:
            out.setdefault(f.key, []).append(f)
    return out


def with_text(report: Report, **sections: str) -> Report:
    return replace(report, narrative={**report.narrative, **{k.replace("__", "."): v for k, v in sections.items()}})


def neutral(report: Report) -> Report:
    """The demo report with every section in plain words no narrative rule objects to."""
    return with_text(
        report,
        overview__active="全年通过区政府门户网站发布政策文件和工作动态。",
        overview__requests="全年依法办理政府信息公开申请。",
        overview__management="严格执行发布前审查制度。",
        overview__platforms="维护区政府门户网站本局栏目。",
        overview__oversight="将信息公开纳入年度考核。",
        problems="政策解读形式较为单一。",
        improvements="丰富解读形式，对重要政策同步制作图解。",
        other_matters="本年度无其他需要报告的事项。",
    )


# How characters are counted ---------------------------------------------------------------------------------


def test_counted_characters_are_chinese_characters_and_digits():
    assert char_count("政府信息公开") == 6
    assert char_count("2023年收到5件") == 4 + 1 + 2 + 1 + 1
    assert char_count("２０２３年") == 5  # full-width digits count
    assert char_count("二〇二三年") == 5  # 〇 counts as a Chinese character
    assert char_count("，。、；：“”（）《》 \n\t\u3000") == 0  # punctuation and whitespace do not
    assert char_count("APP、H5、PDF") == 1  # Latin letters do not; the digit 5 does
    assert char_count("第一段。\n-1-\n第二段。\n— 2 —\n") == 6  # a page number standing as a line does not


def test_headings_of_the_section_are_not_counted(demo_report):
    spec = demo_report.spec
    assert removed_headings(spec, "overview.active") == ("一、总体情况", "（一）主动公开", "(一)主动公开")
    r = with_text(neutral(demo_report), overview__active="一、总体情况\n（一）主动公开\n公开公开", overview__requests="(二)依申请公开申请")
    # only 公开公开 of （一） (4) and the section's own heading is not removed from another section: (二)依申请公开 is
    # its heading in half-width brackets, removed; 申请 (2) stays
    counted = overview_count(replace(r, narrative={k: v for k, v in r.narrative.items() if k in ("overview.active", "overview.requests")}))
    assert counted == 4 + 2


# R-LENGTH at 1 000 / 1 001 -----------------------------------------------------------------------------------


def overview_of(n: int) -> dict[str, str]:
    """一's five sections holding exactly n counted characters, with punctuation, Latin letters and whitespace that
    do not count mixed in."""
    assert n >= 700
    return {
        "overview.active": "公开" * 150 + "，APP。\n",  # 300
        "overview.requests": "２０２４" + "申" * 196 + "；",  # 200
        "overview.management": "〇" * 100 + "\n- 3 -\n",  # 100
        "overview.platforms": "平 台" * 50,  # 100
        "overview.oversight": "监" * (n - 700) + "。",
    }


def test_length_1000_is_silent_and_1001_is_a_hint(demo_report):
    at = replace(neutral(demo_report), narrative={**neutral(demo_report).narrative, **overview_of(1000)})
    assert overview_count(at) == 1000
    assert "R-LENGTH.overview" not in mine(run_rules(at))
    over = replace(at, narrative={**at.narrative, **overview_of(1001)})
    (f,) = mine(run_rules(over))["R-LENGTH.overview"]
    assert f.severity is Severity.HINT
    assert f.message == (
        "一、总体情况共 1001 字（按汉字和数字计，不计标题、标点和空白），超过国办公开办函〔2021〕30号“篇幅原则上不超过一千字”的要求 1 字"
    )


def test_length_is_not_a_rule_of_the_2019_trial_format():
    r = Report("2019", 2020, "示例局", narrative=overview_of(1500))
    assert "R-LENGTH.overview" not in mine(run_rules(r))


def test_length_on_a_workbook_points_at_the_first_section(demo_report, tmp_path: Path):
    over = replace(neutral(demo_report), narrative={**neutral(demo_report).narrative, **overview_of(1001)})
    _, doc = check_json(write_workbook(over, tmp_path / "over.xlsx"))
    f = findings_of(doc)["R-LENGTH.overview"]
    assert (f["sheet"], f["cell"], f["severity"]) == ("正文", "B3", "提示")
    assert "共 1001 字" in f["message"]
    at = replace(over, narrative={**over.narrative, **overview_of(1000)})
    _, doc = check_json(write_workbook(at, tmp_path / "at.xlsx"))
    assert "R-LENGTH.overview" not in findings_of(doc)


def test_length_on_an_imported_report(demo_report, tmp_path: Path):
    base = neutral(demo_report)
    for n, expect in ((1000, False), (1001, True)):
        page = tmp_path / f"r{n}.html"
        page.write_text(report_html(replace(base, narrative={**base.narrative, **overview_of(n)})), encoding="utf-8")
        _, doc = check_json(page)
        found = findings_of(doc)
        assert ("R-LENGTH.overview" in found) is expect, (n, found.keys())
        if expect:
            assert "共 1001 字" in found["R-LENGTH.overview"]["message"]


# R-PLACEHOLDER ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, quoted", [
    ("全年共公开政府信息X万余条。", ["公开政府信息X万余条"]),  # six characters of context either side, within the sentence
    ("全年共公开政府信息XX条。", ["公开政府信息XX条"]),
    ("报告期内××局牵头。", ["报告期内××局牵头"]),
    ("【此处填写】", ["【此处填写】"]),
    ("由（此处填写单位名称）负责。", ["由（此处填写单位名称）负责"]),
    ("示例：全年发布信息。", ["示例：全年发布信"]),
    ("由×局负责。", ["由×局负责"]),
    ("相关数据待补充。", ["相关数据待补充"]),
    ("20XX年1月。", ["20XX年1月"]),
    ("XXXX年度报告。", ["XXXX年度报告"]),
    ("（文字描述，收取信息处理费情况在此处报告。）", ["（文字描述，收取信息处理费情况在此处报告。）"]),
    ("共公开____条。", ["共公开____条"]),
])
def test_placeholders_are_found_and_quoted(demo_report, text, quoted):
    assert placeholders(text, demo_report.spec) == quoted


@pytest.mark.parametrize("text", [
    "为医院购置X光机2台。",  # X is part of a word
    "开展X射线防护宣传。",
    "长×宽为3×4米。",  # a product between digits
    "部分栏目内容有待补充完善。",  # a sentence, not a blank
    "开设【政策解读】专栏。",  # a column's name in brackets
    "依托“示例人社”公众号发布。",  # 示例 inside a name
    "",
])
def test_near_misses_are_not_placeholders(demo_report, text):
    assert placeholders(text, demo_report.spec) == []


def test_the_units_own_name_is_not_a_placeholder(demo_report):
    assert placeholders("示例市示例区人力资源和社会保障局编制。", demo_report.spec, exclude=(demo_report.agency,)) == []


def test_the_templates_hint_left_in_the_text_is_a_placeholder(demo_report):
    spec = demo_report.spec
    hint = next(s.hint for s in spec.sections if s.id == "overview.requests")
    assert placeholders(hint, spec) == ["本机关受理、办理政府信息公开申请的总体情况"]
    unfinished = "（表三尚未填完，无法起草：填完表三的全部输入单元格后，此处显示依表格起草的文字）"
    assert placeholders(unfinished, spec)  # the live draft's notice copied over


def test_years_in_the_overview(demo_report):
    text = ("2022年、2023年、2024年的工作。2021年启动。落实《2020年工作要点》。自2008年以来。2019年修订的条例。2021—2025年规划。"
            "力争到2027年完成。2008年5月1日正式施行。2035年远景目标。2019年12月完成。")
    found = [text[a:b] for a, b in stale_years(text, 2023)]
    assert found == ["2021年", "2019年"]  # 2022–2024 are the window; a title, a span, history and a plan are not stale


def test_placeholder_severity_workbook_json_and_published(demo_report, tmp_path: Path):
    r = with_text(neutral(demo_report), overview__active="全年共公开政府信息X万余条。", problems="2020年以来问题。", overview__platforms="2020年建成平台。")
    found = mine(run_rules(r))
    (active,) = found["R-PLACEHOLDER.overview.active"]
    assert active.severity is Severity.MANDATORY
    assert active.message == "正文“一、总体情况（一）主动公开”：有占位文字或模板提示语“公开政府信息X万余条”，请替换为实际内容"
    (stale,) = found["R-PLACEHOLDER.overview.platforms"]
    assert stale.severity is Severity.VERIFY and "“2020年建成平台”" in stale.message and "报告年度（2023年）" in stale.message
    assert "R-PLACEHOLDER.problems" not in found  # a year outside 一 is not looked at
    published = mine(run_rules(r, published=True))
    assert published["R-PLACEHOLDER.overview.active"][0].severity is Severity.VERIFY

    _, doc = check_json(write_workbook(r, tmp_path / "p.xlsx"))
    f = findings_of(doc)["R-PLACEHOLDER.overview.active"]
    assert (f["sheet"], f["cell"], f["severity"]) == ("正文", "B3", "强制")
    page = tmp_path / "p.html"
    page.write_text(report_html(r), encoding="utf-8")
    _, doc = check_json(page)
    f = findings_of(doc)["R-PLACEHOLDER.overview.active"]
    assert f["severity"] == "核实" and "“公开政府信息X万余条”" in f["message"]


def test_x_ray_machine_is_no_finding_on_a_workbook(demo_report, tmp_path: Path):
    r = with_text(neutral(demo_report), overview__active="公开医院购置X光机2台的采购信息。")
    _, doc = check_json(write_workbook(r, tmp_path / "x.xlsx"))
    assert not [k for k in findings_of(doc) if k.startswith(MINE)]


# R-PROMISE ------------------------------------------------------------------------------------------------------

PROMISES = (
    "下一步，我局将重点做好以下工作：一是加强政务新媒体管理，定期开展内容巡查，及时清理僵尸账号。"
    "二是修订依申请公开答复文书范本，建立答复前法制审核制度。三是组织业务骨干赴先进地区考察学习，覆盖全体科室联络员。"
)


def promise_pair(demo_report, demo_previous) -> tuple[Report, Report]:
    prev = with_text(neutral(demo_previous), improvements=PROMISES)
    now = with_text(
        neutral(demo_report),
        # item 一 reported on in other words: no sentence repeats it, the subject is carried on
        overview__platforms="全年对本局政务新媒体账号开展季度内容巡查，关停僵尸账号2个。",
        # item 二 repeated with one word changed (法制 → 合法性); item 三 nowhere
        improvements="一是修订依申请公开答复文书范本，建立答复前合法性审核制度。二是开设政策问答专栏。",
    )
    return now, prev


def test_promise_items_and_key_terms():
    got = items(PROMISES)
    assert [g[:7] for g in got] == ["加强政务新媒体", "修订依申请公开", "组织业务骨干赴"]
    assert key_terms("进一步加强政务公开工作") == frozenset()  # too general: nothing left
    assert items("一是进一步加强政务公开工作。二是清理僵尸账号并定期巡查。") == ["清理僵尸账号并定期巡查。"]


def test_reported_on_at_the_threshold():
    item = "定期巡查僵尸账号"
    assert len(key_terms(item)) == 7 and needed(7) == 2
    assert reports_on(item, ["巡查了账号。"])  # two key terms shared: 巡查, 账号
    assert not reports_on(item, ["巡查了网站。"])  # one
    assert needed(40) == 5 and needed(3) == 2


def test_repeated_at_the_threshold():
    a = "修订依申请公开答复文书范本，建立答复前法制审核制度。"
    assert ratio(a, a.replace("法制", "合法性")) >= 0.8
    assert ratio(a, "完善依申请公开工作流程，建立疑难件会商机制。") < 0.8


def test_promise_findings(demo_report, demo_previous):
    now, prev = promise_pair(demo_report, demo_previous)
    found = mine(run_rules(now, previous=prev))["R-PROMISE.improvements"]
    by = {f.severity: f for f in found}
    assert set(by) == {Severity.HINT, Severity.VERIFY}
    assert by[Severity.HINT].message == (
        "上年承诺的改进措施未见落实情况：“组织业务骨干赴先进地区考察学习，覆盖全体科室联络员。”（本年正文一、五中没有与之共有关键词的语句）；请写明落实情况"
    )
    verify = by[Severity.VERIFY].message
    assert "上年“修订依申请公开答复文书范本，建立答复前法制审核制度。”" in verify
    assert "本年“修订依申请公开答复文书范本，建立答复前合法性审核制度。”" in verify
    assert "政务新媒体" not in verify and "政务新媒体" not in by[Severity.HINT].message  # item 一 was reported on
    # without last year's report the rule does not run
    assert "R-PROMISE.improvements" not in mine(run_rules(now))


def test_promise_on_a_workbook_and_on_imported_reports(demo_report, demo_previous, tmp_path: Path):
    now, prev = promise_pair(demo_report, demo_previous)
    prev_page = tmp_path / "2022.html"
    prev_page.write_text(report_html(prev), encoding="utf-8")
    now_page = tmp_path / "2023.html"
    now_page.write_text(report_html(now), encoding="utf-8")
    for checked in (write_workbook(now, tmp_path / "now.xlsx"), now_page):
        _, doc = check_json(checked, "--previous", prev_page)
        hits = [f for f in doc["files"][0]["findings"] if f["key"] == "R-PROMISE.improvements"]
        assert sorted(f["severity"] for f in hits) == ["提示", "核实"], checked
        if checked.suffix == ".xlsx":
            assert {(f["sheet"], f["cell"]) for f in hits} == {("正文", "B9")}


def test_placeholders_close_together_are_quoted_once(demo_report):
    text = "全年共公开政府信息X万余条，其中××局发布【此处填写】条。2020年建成专栏。"
    assert placeholders(text, demo_report.spec) == ["公开政府信息X万余条，其中××局发布【此处填写】条"]


# Properties -----------------------------------------------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NEUTRAL = "政府信息公开工作推进落实全年本机关网站平台解读年度123４５〇"


@given(st.text(alphabet=NEUTRAL, max_size=80), st.lists(st.tuples(st.integers(0, 80), st.sampled_from(
    [" ", "\n", "\u3000", "，", "。", "、", "（", "）", "“", "”", "A", "pp", "%", "-"])), max_size=15))
def test_count_ignores_whitespace_punctuation_and_letters(text, noise):
    noisy = text
    for at, piece in sorted(noise, reverse=True):
        noisy = noisy[:at] + piece + noisy[at:]
    assert char_count(noisy) == char_count(text) == len(text)


@given(st.text(alphabet=NEUTRAL + "，。", max_size=80), st.integers(0, 80), st.sampled_from(["X万余条", "××局", "【此处填写】", "待补充"]))
def test_a_placeholder_anywhere_in_plain_text_is_found_and_plain_text_has_none(text, at, placeholder):
    from gkxl.formats import get_format

    spec = get_format("2021")
    assert placeholders(text, spec) == []
    spiked = text[:at] + placeholder + text[at:]
    found = placeholders(spiked, spec)
    assert len(found) == 1 and placeholder in found[0]

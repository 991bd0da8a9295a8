"""R-TEXT-NUMBER: the numbers a narrative states, mapped to the cells they name and compared; qualified numbers are
not compared; generated narratives (property-based); the real reports of ../shared/corpus (no spurious finding)."""

from __future__ import annotations

import html
import json
import random
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reports import balance, random_values

from gkxl.findings import Severity
from gkxl.formats import all_formats, get_format
from gkxl.model import Report
from gkxl.rules import run_rules
from gkxl.rules.text_numbers import cn_number, excerpt, statements

ORGS = tuple(f"sec3.new_received.{c}" for c in ("business", "research", "nonprofit", "legal_service", "other_org"))
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def text_findings(report: Report):
    return [f for f in run_rules(report) if f.rule == "R-TEXT-NUMBER"]


def with_text(report: Report, section: str, text: str) -> Report:
    return replace(report, narrative={**report.narrative, section: text})


def zeros(fmt: str = "2021", year: int = 2023, **values) -> Report:
    base = {cid: 0 for cid in get_format(fmt).inputs}
    base.update({k.replace("__", "."): v for k, v in values.items()})
    return Report(fmt, year, "示例局", base)


def small(fmt: str = "2021") -> Report:
    """新收 5 (自然人 4, 商业企业 1), 上年结转 2; 予以公开 3, 部分公开 1, 本机关不掌握 2, 没有现成信息 1; 复议 2, 诉讼 1."""
    return zeros(
        fmt, 2020 if fmt == "2019" else 2023,
        sec3__new_received__natural_person=4, sec3__new_received__business=1, sec3__carried_over__natural_person=2,
        sec3__granted__natural_person=3, sec3__partly_granted__natural_person=1,
        sec3__unable__not_held__natural_person=2, sec3__unable__needs_creation__business=1,
        sec4__review__upheld=1, sec4__review__pending=1, sec4__litigation_after_review__upheld=1,
    )


def found_of(text: str, report: Report | None = None, context: str = "依申请公开的办理结果如下。") -> list[tuple[tuple[str, ...], int, int]]:
    """The findings on one sentence, after one that says it is about applications."""
    report = report or small()
    text = context + text
    return [(f.cells, f.expected, f.actual) for f in text_findings(with_text(report, "overview.requests", text))]


# The demo report ----------------------------------------------------------------------------------------------


def test_demo_narrative_agrees_with_its_tables(demo_report):
    assert "收到政府信息公开申请5件" in demo_report.narrative["overview.requests"]
    assert text_findings(demo_report) == []


@pytest.mark.parametrize(
    ("old", "new", "quoted", "cells", "expected", "actual"),
    [
        ("收到政府信息公开申请5件", "收到政府信息公开申请6件", "共收到政府信息公开申请6件", ("sec3.new_received.total",), 5, 6),
        ("自然人提出4件", "自然人提出3件", "自然人提出3件", ("sec3.new_received.natural_person",), 4, 3),
        ("法人或其他组织提出1件", "法人或其他组织提出2件", "法人或其他组织提出2件", ORGS, 1, 2),
        ("收到政府信息公开申请5件", "收到政府信息公开申请七件", "共收到政府信息公开申请七件", ("sec3.new_received.total",), 5, 7),
    ],
)
def test_a_mutated_sentence_is_one_finding_quoting_it(demo_report, old, new, quoted, cells, expected, actual):
    text = demo_report.narrative["overview.requests"]
    assert old in text
    found = text_findings(with_text(demo_report, "overview.requests", text.replace(old, new)))
    assert len(found) == 1
    f = found[0]
    assert f.key == "R-TEXT-NUMBER.overview.requests"
    assert f.severity is Severity.VERIFY
    assert (f.cells, f.expected, f.actual) == (cells, expected, actual)
    sentence = text.replace(old, new).split("。")[0]
    assert f.message.startswith(f"正文“一、总体情况（二）依申请公开”：“{sentence}”写有“{quoted}”，表格中")
    assert f.message.endswith(f"为 {expected}")


def test_chinese_numerals():
    assert [cn_number(x) for x in ("五", "十", "十二", "二十", "一百零五", "两千", "12", "许多")] == [5, 10, 12, 20, 105, 2000, 12, None]


def test_a_mismatch_in_the_table_is_found_from_the_same_sentence(demo_report):
    values = dict(demo_report.values, **{"sec3.new_received.natural_person": 5})
    found = text_findings(replace(demo_report, values=values))
    assert sorted((f.cells[0], f.expected, f.actual) for f in found) == [
        ("sec3.new_received.natural_person", 5, 4),
        ("sec3.new_received.total", 6, 5),
    ]


def test_no_review_or_litigation_sentence(demo_report):
    values = dict(demo_report.values, **{"sec4.review.upheld": 1})
    found = text_findings(replace(demo_report, values=values))
    assert [(f.cells, f.expected, f.actual) for f in found] == [(("sec4.review.total",), 1, 0)]
    assert "未发生因政府信息公开引起的行政复议和行政诉讼" in found[0].message


# Each phrase class: what it names --------------------------------------------------------------------------

NEW = ("sec3.new_received.total",)
CARRIED = ("sec3.carried_over.total",)
FORWARD = ("sec3.carried_forward.total",)
HANDLED = ("sec3.results_total.total",)
GRANTED = ("sec3.granted.total", "sec3.partly_granted.total")
UNABLE = ("sec3.unable.not_held.total", "sec3.unable.needs_creation.total", "sec3.unable.still_unclear.total")
REVIEW = ("sec4.review.total",)
LITIGATION = ("sec4.litigation_direct.total", "sec4.litigation_after_review.total")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 新收, in the verbs reports use for it
        ("本年新收政府信息公开申请5件", []),
        ("本年新收政府信息公开申请6件", [(NEW, 5, 6)]),
        ("局办公室代表本局受理政府信息公开申请17件，均已按期答复", [(NEW, 5, 17)]),
        ("全年共接收政府信息公开申请9件", [(NEW, 5, 9)]),
        ("全年收到依申请信息公开5件", []),
        ("全年受理政府信息公开申请5件，其中自然人4件、商业企业1件", []),
        ("全年受理政府信息公开申请5件，其中自然人3件、法人或其他组织2件", [(("sec3.new_received.natural_person",), 4, 3), (ORGS, 1, 2)]),
        ("全年受理政府信息公开申请5件，其中自然人4件，商业企业2件", [(("sec3.new_received.business",), 1, 2)]),
        # 收到 may count 上年结转 too: 5 + 2 is a reading of it, not a contradiction; 含上年结转 says which
        ("全年共收到政府信息公开申请7件", []),
        ("全年共收到政府信息公开申请7件（含上年结转2件）", []),
        ("全年共收到政府信息公开申请5件（含上年结转2件）", [(NEW + CARRIED, 7, 5)]),
        ("本年新收政府信息公开申请7件", [(NEW, 5, 7)]),
        # 上年结转, 结转下年度 (结转至 the next year by its number), 顺延
        ("上年结转政府信息公开申请2件，结转下年度继续办理0件", []),
        ("上年结转政府信息公开申请3件", [(CARRIED, 2, 3)]),
        ("结转下年度继续办理1件", [(FORWARD, 0, 1)]),
        ("结转至2024年1件", [(FORWARD, 0, 1)]),
        ("结转至2025年1件", []),  # not the next year: not this cell
        ("另有1件顺延到下年度答复", [(FORWARD, 0, 1)]),
        # 办结/答复: （七）总计, only when nothing but time stands before it
        ("全年办结政府信息公开申请7件", []),
        ("全年办结政府信息公开申请8件", [(HANDLED, 7, 8)]),
        ("所有办结的信息公开申请中同意公开答复3件", []),
        # 办理结果: rows and groups by their official names, sums of several names
        ("予以公开及部分公开4件", []),
        ("予以公开及部分公开3件", [(GRANTED, 4, 3)]),
        ("予以公开3件，部分公开2件", [(("sec3.partly_granted.total",), 1, 2)]),
        ("无法提供3件", []),
        ("因本机关不掌握等原因无法提供2件", [(UNABLE, 3, 2)]),  # 等: the whole group
        ("本机关不掌握相关政府信息2件", []),
        ("本机关不掌握相关政府信息3件", [(("sec3.unable.not_held.total",), 2, 3)]),
        ("不予公开1件", [(tuple(f"sec3.refused.{r}.total" for r in ("state_secret", "prohibited_by_law", "three_safeties",
          "third_party", "internal_affairs", "process_info", "enforcement_file", "query_service")), 0, 1)]),
        # 表四: the row, its columns after 其中, the two groups of lawsuits
        ("因政府信息公开被申请行政复议2件，其中结果维持1件，尚未审结1件", []),
        ("因政府信息公开被申请行政复议2件，其中结果维持2件", [(("sec4.review.upheld",), 1, 2)]),
        ("政府信息公开行政复议3件", [(REVIEW, 2, 3)]),
        ("因政府信息公开被提起行政诉讼1件，其中复议后起诉1件，结果维持1件", []),
        ("因政府信息公开被提起行政诉讼2件", [(LITIGATION, 1, 2)]),
        ("因政府信息公开被提起行政诉讼1件，其中未经复议直接起诉1件", [(("sec4.litigation_direct.total",), 0, 1)]),
        ("未发生因政府信息公开引起的行政复议和行政诉讼", [(REVIEW, 2, 0), (LITIGATION, 1, 0)]),
        ("全年无因政府信息公开引起的行政复议、行政诉讼案件", [(REVIEW, 2, 0), (LITIGATION, 1, 0)]),
    ],
)
def test_phrase_classes(text, expected):
    assert found_of(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("其中通过网络收到政府信息公开申请9件", "其中通过网络"),
        ("经备案受理政府信息公开申请9件", "备案"),
        ("与上年相比，全年受理政府信息公开申请9件", "与上年"),
        ("同比，全年受理政府信息公开申请9件", "同比"),
        ("市本级共受理政府信息公开申请9件", "本级"),
        ("全区各部门共受理政府信息公开申请9件", "各部门"),
        ("累计受理政府信息公开申请9件", "累计"),
        ("新增受理政府信息公开申请9件", "新增"),
        ("上年收到政府信息公开申请9件", "上年"),
        ("2022年共收到政府信息公开申请9件", "2022年"),
        ("共收到政府信息公开申请9件次", "次"),
        ("共收到政府信息公开申请9件以上", "以上"),
        ("共收到政府信息公开申请9件（不含上年结转）", "不含"),
        ("因本机关不掌握相关政府信息无法提供9件", "因本机关不掌握相关政府信息"),
        ("作为复议机关办理政府信息公开行政复议案件9件", "复议机关"),
        # the breakdown of a qualified total is of that other quantity too
        ("累计受理政府信息公开申请7件，其中自然人9件", "所分项的总数带限定语"),
        ("作为复议机关办理政府信息公开行政复议案件2件，其中结果维持9件", "所分项的总数带限定语"),
    ],
)
def test_a_qualified_number_is_not_compared_and_says_why(text, why):
    report = with_text(small(), "overview.requests", "依申请公开办理结果如下。" + text)
    assert text_findings(report) == []
    (s,) = [s for s in statements(report) if s.said == 9]
    assert s.status == "skipped" and why in s.reason


@pytest.mark.parametrize(
    "text",
    [
        "共收到政府信息公开申请约9件", "共收到政府信息公开申请近9件", "共收到政府信息公开申请9余件",
        "共收到政府信息公开申请9多件", "予以公开及部分公开率为9%", "全年办理行政复议案件9件，其中涉及政府信息公开2件",
        "全年未发生因政府信息公开被行政复议纠错或行政诉讼败诉的情况", "全年收到申请9件", "全年受理行政许可申请9件",
        "本年主动公开政府信息9条", "全年共收到政府信息公开申请9件，同比增加4件，增长80%",
        "全年共收到各类申请9件，其中政府信息公开申请5件", "全年收到申请9件，其中依申请公开5件",
    ],
)
def test_numbers_that_name_no_cell_or_are_approximate_are_not_compared(text):
    found = found_of(text)
    if "同比增加" in text:  # the 9 is this year's; the 4 and 80% are not table cells
        assert found == [(NEW, 5, 9)]
    else:
        assert found == []


def test_blank_cells_give_a_lower_bound():
    """A published table may leave 0 blank: the filled cells are a lower bound, never a guess for the blanks."""
    values = {"sec3.granted.natural_person": 8, "sec3.granted.business": 1, "sec3.partly_granted.natural_person": 2}
    report = Report("2021", 2023, "示例局", values)
    below = found_of("予以公开及部分公开10件", report)
    assert below == [(("sec3.granted.total", "sec3.partly_granted.total"), 11, 10)]
    f = text_findings(with_text(report, "overview.requests", "办结的申请中予以公开及部分公开10件"))[0]
    assert "至少为 11（已填写的单元格之和）" in f.message
    assert found_of("予以公开及部分公开11件", report) == []
    assert found_of("予以公开及部分公开14件", report) == []  # the blanks may hold 3 more: not known


def test_the_missing_cell_is_not_guessed(demo_report):
    values = {k: v for k, v in demo_report.values.items() if k != "sec3.new_received.business"}
    assert text_findings(replace(demo_report, values=values)) == []  # 5 ≥ the filled 4; the organisations unknown


def test_a_contradiction_said_twice_in_a_section_is_one_finding():
    text = "全年办结政府信息公开申请7件，其中予以公开及部分公开3件。全年予以公开及部分公开3件"
    assert found_of(text) == [(GRANTED, 4, 3)]


def test_full_width_digits_and_line_breaks_of_pdftotext():
    assert found_of("全年受理政府\n信息公开申请 １７ 件，均按期答复") == [(NEW, 5, 17)]


def test_excerpt_keeps_the_phrase():
    sentence = "为进一步做好依申请公开工作，我局认真落实各项制度要求，全年共受理政府信息公开申请17件，均已在法定期限内予以答复，未产生争议"
    quoted = "共受理政府信息公开申请17件"
    short = excerpt(sentence, quoted)
    assert quoted in short and len(short) <= 50 and short.startswith("…")
    assert excerpt("予以公开3件", "予以公开3件") == "予以公开3件"


@pytest.mark.parametrize("spec", all_formats(), ids=lambda f: f.id)
def test_both_formats(spec):
    report = small(spec.id)
    assert found_of("全年共收到政府信息公开申请3件。其他处理1件", report) == [
        (NEW, 5, 3), (tuple(f.id for f in spec.table("sec3").fields if f.is_total and f.row_labels[1:2] == ("（六）其他处理",)), 0, 1)
    ]


def test_filled_workbook_is_checked_alike(demo_report, tmp_path):
    from gkxl.excel.writer import build_workbook
    from gkxl.intake import check_path

    text = demo_report.narrative["overview.requests"].replace("自然人提出4件", "自然人提出3件")
    p = tmp_path / "filled.xlsx"
    p.write_bytes(build_workbook(with_text(demo_report, "overview.requests", text), lock_agency=True))
    result, _ = check_path(p)
    found = [f for f in result.findings if f.rule == "R-TEXT-NUMBER"]
    assert [(f.key, f.cells, f.expected, f.actual) for f in found] == [
        ("R-TEXT-NUMBER.overview.requests", ("sec3.new_received.natural_person",), 4, 3)
    ]


# Property: a narrative written from a report's own numbers never contradicts it; one number changed, one finding ---


def narrative(report: Report) -> list[tuple[str, list[int]]]:
    """Sentences stating the report's numbers in the phrase forms above, each with the numbers it states."""
    spec = report.spec
    v = report.with_totals()
    rows = {f.id.rsplit(".", 1)[0]: f for f in spec.table("sec3").fields if f.is_total and f.col_labels == ("总计",)}
    group = lambda g: sum(v[f"{r}.total"] for r in rows if r.startswith(f"sec3.{g}"))  # noqa: E731
    orgs = sum(v[c] for c in ORGS)
    lit = v["sec4.litigation_direct.total"] + v["sec4.litigation_after_review.total"]
    other = "other_handling" if spec.id == "2019" else "other."
    return [
        ("本年新收政府信息公开申请{}件，其中自然人{}件，法人或其他组织{}件", [v["sec3.new_received.total"], v["sec3.new_received.natural_person"], orgs]),
        ("全年共受理政府信息公开申请{}件（含上年结转{}件）", [v["sec3.new_received.total"] + v["sec3.carried_over.total"], v["sec3.carried_over.total"]]),
        ("办结政府信息公开申请{}件", [v["sec3.results_total.total"]]),
        ("予以公开及部分公开{}件", [v["sec3.granted.total"] + v["sec3.partly_granted.total"]]),
        ("不予公开{}件", [group("refused")]),
        ("因本机关不掌握等原因无法提供{}件", [group("unable")]),
        ("其中本机关不掌握相关政府信息{}件", [v["sec3.unable.not_held.total"]]),
        ("因信访举报等原因不予处理{}件", [group("not_processed")]),
        ("其他处理{}件", [group(other)]),
        ("结转下年度继续办理{}件", [v["sec3.carried_forward.total"]]),
        ("因政府信息公开被申请行政复议{}件，其中结果维持{}件，结果纠正{}件，其他结果{}件，尚未审结{}件",
         [v[f"sec4.review.{c}"] for c in ("total", "upheld", "corrected", "other", "pending")]),
        ("因政府信息公开被提起行政诉讼{}件，其中未经复议直接起诉{}件，复议后起诉{}件",
         [lit, v["sec4.litigation_direct.total"], v["sec4.litigation_after_review.total"]]),
    ]


def _random_report(spec, rnd: random.Random) -> Report:
    values = random_values(spec, count=lambda: rnd.choice([0, rnd.randint(0, 40)]), signed=lambda: rnd.randint(-3, 3),
                           amount=lambda: 0)
    return balance(Report(spec.id, 2020 if spec.id == "2019" else 2023, "随机测试局", values))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), fmt=st.sampled_from(["2021", "2019"]), delta=st.integers(1, 30), data=st.data())
def test_a_narrative_of_the_reports_own_numbers(seed, fmt, delta, data):
    report = _random_report(get_format(fmt), random.Random(seed))
    sentences = narrative(report)
    text = "。".join(t.format(*n) for t, n in sentences) + "。"
    assert text_findings(with_text(report, "overview.requests", text)) == []
    i = data.draw(st.integers(0, len(sentences) - 1))
    j = data.draw(st.integers(0, len(sentences[i][1]) - 1))
    changed = [list(n) for _, n in sentences]
    changed[i][j] += delta
    text = "。".join(t.format(*n) for (t, _), n in zip(sentences, changed)) + "。"
    found = text_findings(with_text(report, "overview.requests", text))
    assert len(found) == 1
    (f,) = found
    assert (f.expected, f.actual) == (sentences[i][1][j], changed[i][j])
    sentence = sentences[i][0].format(*changed[i])
    quoted = re.search(r"写有“([^”]*)”", f.message).group(1)
    assert f.message.startswith(f"正文“一、总体情况（二）依申请公开”：“{excerpt(sentence, quoted)}”写有“")


# The corpus of real reports ----------------------------------------------------------------------------------

needs_corpus = pytest.mark.skipif(not (CORPUS / "truth").is_dir(), reason=f"the corpus of real reports is not here ({CORPUS})")


def _truth(cid: str) -> tuple[Report, list[dict]]:
    d = json.loads((CORPUS / "truth" / f"{cid}.json").read_text(encoding="utf-8"))
    spec = get_format(d["format"])
    values = {k: v for k, v in d["values"].items() if k in spec.fields}  # a 2021 report printing the 2019 （六） row
    expect = json.loads((CORPUS / "truth" / f"{cid}.expect.json").read_text(encoding="utf-8"))
    return Report(d["format"], d["year"], d["agency"], values), expect.get("text_contradictions", [])


def _said(text: str) -> int:
    return int(re.findall(r"\d+", text)[-1])


def _page_text(p: Path) -> str:
    if p.suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(p) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    text = p.read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "\n", text)) if p.suffix == ".html" else text


@needs_corpus
@pytest.mark.parametrize("cid", sorted(p.name.split("_")[0] for p in (CORPUS / "files").iterdir()) if (CORPUS / "files").is_dir() else [])
def test_corpus_text_against_the_true_tables(cid):
    """The whole text of each real report (tables and all) against its tables as printed: exactly the contradictions
    it really carries, found whatever the importer reads today."""
    (path,) = (CORPUS / "files").glob(f"{cid}_*")
    report, expected = _truth(cid)
    found = text_findings(with_text(report, "overview.requests", _page_text(path)))
    assert sorted((f.actual, f.expected) for f in found) == sorted((_said(e["text"]), e["table_value"]) for e in expected)
    for f in found:
        assert re.search(r"：“[^”]*”写有“", f.message)  # quotes the sentence


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_corpus
def test_corpus_through_the_importer():
    """Every corpus file the importer reads today: no R-TEXT-NUMBER finding that is not a real contradiction, and every
    real one found where the importer read its sentence and its cells."""
    from gkxl.errors import InputError
    from gkxl.importers import import_file

    found_total, checked = 0, []
    for path in sorted((CORPUS / "files").iterdir()):
        cid = path.name.split("_")[0]
        truth, expected = _truth(cid)
        try:
            r = import_file(path, year=truth.year, agency=truth.agency)
        except InputError:
            continue  # not read today (one-line and Markdown text: the importers' work)
        checked.append(cid)
        found = [f for f in run_rules(r.report, found=r.findings) if f.rule == "R-TEXT-NUMBER"]
        real = {(_said(e["text"]), e["table_value"]) for e in expected}
        assert {(f.actual, f.expected) for f in found} <= real, (cid, [f.message for f in found])
        text = _compact("".join(r.report.narrative.values()))
        for e in expected:
            if _compact(e["text"]) in text and all(c in r.report.values for c in e["ids"]):
                assert (_said(e["text"]), e["table_value"]) in {(f.actual, f.expected) for f in found}, (cid, e["text"])
        found_total += len(found)
    assert {"o06", "t08"} <= set(checked)
    assert found_total >= 3  # o06's two, t08's one today; t01 and o02 once their tables or narrative are read


def test_result_names_only_in_the_narrative_of_applications():
    assert found_of("公文公开属性审查后确定不予公开3件", context="") == []
    assert found_of("全年办结政府信息公开申请7件。不予公开3件", context="") != []
    assert found_of("全年办结政府信息公开申请7件。予以公开3件，部分公开1件。不予公开3件", context="") != []
    assert found_of("全年办结政府信息公开申请7件。公文审核严格规范。不予公开3件", context="") == []


def test_the_tail_of_a_longer_number_is_not_a_number():
    assert found_of("另有1,295件顺延到下年度") == []  # not 295
    assert found_of("另有1件顺延到下年度") == [(FORWARD, 0, 1)]


def test_an_item_named_among_the_applications_received_is_not_a_result():
    # "其中重复申请…件" of the applications received need not be the 不予处理 result of that name
    assert found_of("全年受理政府信息公开申请5件，其中重复申请3件") == []
    assert found_of("全年受理政府信息公开申请5件。其中重复申请3件", context="") == []
    # where the results are spoken of, the item is the result's row
    assert found_of("全年受理政府信息公开申请5件。不予处理3件，其中重复申请3件", context="") == [
        (tuple(f"sec3.not_processed.{r}.total" for r in ("petition", "duplicate", "publication", "excessive", "confirmation")), 0, 3),
        (("sec3.not_processed.duplicate.total",), 0, 3),
    ]


def test_numbers_in_words_and_runs_of_digits_no_count_has():
    from gkxl.rules.text_numbers import cn_number

    assert [cn_number(t) for t in ("五", "十二", "一百零五", "一〇五", "两千", "7")] == [5, 12, 105, 105, 2000, 7]
    assert [cn_number(t) for t in ("二十一五", "一二", "1" * 5000)] == [None, None, None]  # never a guess, never a crash


def test_a_narrative_with_a_run_of_5000_digits_is_checked_not_crashed(tmp_path):
    import json

    from typer.testing import CliRunner

    from gkxl.cli.app import app

    doc = json.loads((Path(__file__).resolve().parents[2] / "gkxl" / "data" / "demo_2023.json").read_text(encoding="utf-8"))
    doc["narrative"]["overview.requests"] = "本年共收到政府信息公开申请" + "1" * 5000 + "件。"
    p = tmp_path / "长数字.json"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(p)])
    assert r.exit_code in (0, 1) and "内部错误" not in r.output, r.output

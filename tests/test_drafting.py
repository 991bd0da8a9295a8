"""The statistics paragraphs drafted from the tables: the exact text for zero, small and large reports and the 2019
format; drafted text never contradicts the tables (R-TEXT-NUMBER reads it); `gkxl draft` and `gkxl report`."""

from __future__ import annotations

import json
import random
import re
import zipfile
from dataclasses import replace
from decimal import Decimal

import pytest
from drafting_cases import EXPECTED, MANAGEMENT, REQUESTS, declared_report, large_report, report_2019, unfinished_report, zero_report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reports import balance, random_values
from workbook_helpers import cli

from gkxl.drafting import fill_requests, section_drafts
from gkxl.formats import all_formats
from gkxl.model import Report, report_to_json
from gkxl.rules import run_rules


@pytest.mark.parametrize("name", ["zero", "declared", "large", "2019", "unfinished"])
def test_the_drafts(name):
    report = {"zero": zero_report, "declared": declared_report, "large": large_report, "2019": report_2019, "unfinished": unfinished_report}[name]()
    assert section_drafts(report) == EXPECTED[name]


def test_the_demo_draft(demo_report):
    assert section_drafts(demo_report) == EXPECTED["small"]


def test_never_a_bare_received():
    """No count after 收到 (it would leave open whether 结转 is in it); 未收到 with no number is the 零报告 sentence."""
    for name, texts in EXPECTED.items():
        for text in texts.values():
            for sentence in re.split("[。；\n]", text):
                assert "收到" not in sentence or (sentence.startswith("本年度未收到") and not re.search(r"\d", sentence)), sentence


def _text_findings(report: Report):
    return [f for f in run_rules(report) if f.rule == "R-TEXT-NUMBER"]


def _random_report(spec, rnd: random.Random, big: bool) -> Report:
    top = 5000 if big else 3
    values = random_values(
        spec,
        count=lambda: rnd.choice([0, 0, rnd.randint(0, top)]),
        signed=lambda: rnd.randint(-3, 3),
        amount=lambda: Decimal(rnd.randint(0, 10**6)) / 100,
    )
    return balance(Report(spec.id, 2020 if spec.id == "2019" else 2023, "随机测试局", values))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), fmt=st.sampled_from([s.id for s in all_formats()]), big=st.booleans())
def test_drafted_text_never_contradicts_its_tables(seed, fmt, big):
    spec = next(s for s in all_formats() if s.id == fmt)
    report = _random_report(spec, random.Random(seed), big)
    drafted = replace(report, narrative=section_drafts(report))
    assert run_rules(drafted) == []  # balanced tables and their drafted text: no finding at all
    # The check really reads the draft: one more application in the table, and the drafted 新收 sentence is wrong.
    cid = "sec3.new_received.natural_person"
    wrong = replace(drafted, values={**drafted.values, cid: drafted.values[cid] + 1})
    keys = {(f.key, f.cells) for f in _text_findings(wrong)}
    assert ("R-TEXT-NUMBER.overview.requests", ("sec3.new_received.total",)) in keys
    named = drafted.values[cid] > 0  # only applicant types with applications are named in the draft
    assert (("R-TEXT-NUMBER.overview.requests", ("sec3.new_received.natural_person",)) in keys) == named


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), fmt=st.sampled_from([s.id for s in all_formats()]), big=st.booleans(),
       filled=st.booleans())
def test_no_draft_is_longer_than_the_longest_the_row_is_sized_for(seed, fmt, big, filled):
    """The 正文 row is sized for longest_section_drafts: every draft with counts below ten million (the sums here
    stay below that) and every unfinished table's note is at most that long."""
    from gkxl.drafting import COUNT_DIGITS, longest_section_drafts

    spec = next(s for s in all_formats() if s.id == fmt)
    report = _random_report(spec, random.Random(seed), big)
    if not filled:
        report = replace(report, values={k: v for k, v in report.values.items() if random.Random(seed).random() < 0.7})
    bound = longest_section_drafts(spec)
    for sid, text in section_drafts(report).items():
        assert all(len(str(n)) <= COUNT_DIGITS for n in map(int, re.findall(r"\d+", text)))
        assert len(text) <= len(bound[sid]), (sid, text)


def test_draft_command_prints_the_paragraphs(tmp_path, demo_report):
    p = tmp_path / "demo.json"
    p.write_text(report_to_json(demo_report), encoding="utf-8")
    result = cli("draft", p)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "一、总体情况（二）依申请公开\n" + EXPECTED["small"][REQUESTS] + "\n\n"
        "一、总体情况（三）政府信息管理\n" + EXPECTED["small"][MANAGEMENT] + "\n"
    )


def test_draft_command_says_which_table_is_unfinished(tmp_path):
    p = tmp_path / "unfinished.json"
    p.write_text(report_to_json(unfinished_report(), totals=False), encoding="utf-8")
    result = cli("draft", p)
    assert result.exit_code == 1
    assert EXPECTED["unfinished"][REQUESTS] in result.stdout
    assert "表三有1个单元格未填写或无法读取（如 三、本年度办理结果（一）予以公开 / 法人或其他组织 商业企业），相应段落未起草" in result.stderr


def test_draft_command_reads_a_workbook_and_a_published_report(tmp_path, demo_report):
    from gkxl.excel.writer import build_workbook

    p = tmp_path / "填好.xlsx"
    p.write_bytes(build_workbook(demo_report, lock_agency=True))
    result = cli("draft", p)
    assert result.exit_code == 0 and EXPECTED["small"][REQUESTS] in result.stdout
    bad = cli("draft", tmp_path / "没有.xlsx")
    assert bad.exit_code == 2 and "文件不存在" in bad.stderr


def _document_text(docx) -> str:
    import re

    with zipfile.ZipFile(docx) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    return "\n".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in re.findall(r"<w:p[ >].*?</w:p>", xml))


def test_report_fills_an_empty_requests_section_and_says_so(tmp_path, demo_report):
    empty = replace(demo_report, narrative={k: v for k, v in demo_report.narrative.items() if k != REQUESTS})
    src = tmp_path / "empty.json"
    src.write_text(report_to_json(empty), encoding="utf-8")
    result = cli("report", src, "-o", tmp_path / "r.docx")
    assert result.exit_code == 0, result.output
    assert "正文“一、总体情况（二）依申请公开”未填写，已按表格数据自动起草" in result.stderr
    paragraphs = _document_text(tmp_path / "r.docx").split("\n")
    for line in EXPECTED["small"][REQUESTS].split("\n"):
        assert line in paragraphs
    assert json.loads(src.read_text(encoding="utf-8"))["narrative"].get(REQUESTS) is None  # the input is unchanged


def test_report_keeps_a_written_requests_section(tmp_path, demo_report):
    src = tmp_path / "written.json"
    src.write_text(report_to_json(demo_report), encoding="utf-8")
    result = cli("report", src, "-o", tmp_path / "r.docx")
    assert result.exit_code == 0 and "自动起草" not in result.stderr
    text = _document_text(tmp_path / "r.docx")
    assert demo_report.narrative[REQUESTS] in text and "本年新收政府信息公开申请5件" not in text
    assert fill_requests(demo_report) == (demo_report, False)


def test_collect_drafts_an_empty_requests_section_in_the_units_report_and_says_so(tmp_path, demo_report):
    """`gkxl collect` writes each passing unit's report as `gkxl report` does: an empty （二） drafted from the tables,
    noted in the status workbook and summary.json for that unit only; a written （二） is left as written."""
    import openpyxl

    from gkxl.excel.writer import build_workbook

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    empty = replace(demo_report, agency="甲局", explanations={},
                    narrative={k: v for k, v in demo_report.narrative.items() if k != REQUESTS})
    written = replace(demo_report, agency="乙局", explanations={})
    (inbox / "甲局.xlsx").write_bytes(build_workbook(empty, lock_agency=True))
    (inbox / "乙局.xlsx").write_bytes(build_workbook(written, lock_agency=True))
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n甲局\n乙局\n", encoding="utf-8")
    out = tmp_path / "结果"
    result = cli("collect", inbox, "--roster", roster, "-o", out, "--year", str(demo_report.year), "--agency", "示例区")
    assert result.exit_code == 0, result.output

    drafted = _document_text(out / "单位报告" / "甲局.docx").split("\n")
    for line in EXPECTED["small"][REQUESTS].split("\n"):
        assert line in drafted
    kept = _document_text(out / "单位报告" / "乙局.docx")
    assert demo_report.narrative[REQUESTS] in kept and EXPECTED["small"][REQUESTS].split("\n")[0] not in kept

    note = "正文“一、总体情况（二）依申请公开”未填写，已按表格数据自动起草"
    ws = openpyxl.load_workbook(out / "汇总" / "状态.xlsx")["报送状态"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert note in (rows["甲局"]["备注"] or "") and note not in (rows["乙局"]["备注"] or "")
    units = {u["unit"]: u for u in json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))["units"]}
    assert note in units["甲局"]["note"] and note not in (units["乙局"]["note"] or "")

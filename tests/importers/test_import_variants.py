"""Label variants met in real reports, derived from the sample; the one-row （六）; the 2019 trial format."""

from __future__ import annotations

from decimal import Decimal

import pytest

from official import SEC3_HEADER, SEC4

from gkxl.importers import import_file
from gkxl.rules import run_rules
from importers.published_helpers import SAMPLE_VALUES, replace_once, sample_narrative, to_docx, to_html, to_rows


def _write(tmp_path, text, name="r.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_label_variants_import_exactly_and_are_named(sample_text, tmp_path):
    t = sample_text
    t = replace_once(t, "行政规范性文件 |", "规范性文件 |")  # the 2019 label in a 2021 table
    t = replace_once(t, "4.保护第三方合法权益 |", "4.保护第三方\n合法权益 |")  # broken across lines
    t = replace_once(t, "商业企业 |", "商业 |\n企业 |")  # split header cell
    t = replace_once(t, "1.属于国家秘密 |", "1、属于国家秘密 |")
    t = replace_once(t, "(二)部分公开(区分处理的,只计 这一情形,不计其他情形) |", "（二）部分公开 |")  # the note left out
    t = replace_once(t, "(一)予以公开 |", "（一）予以公开 |")  # full-width, as official
    t = replace_once(t, "\n二、主动公开政府信息情况\n", "\n二、主动公开政府信息清况\n")  # misspelt heading
    t = replace_once(t, "\n四、政府信息公开行政复议、行政诉讼情况\n", "\n四、因政府信息公开工作被申请行政复议和提起行政诉讼情况\n")
    t = replace_once(t, "\n三、收到和处理政府信息公开申请情况\n", "\n三．收到和处理政府信息公开申请情况\n")
    r = import_file(_write(tmp_path, t))
    assert r.report.values == SAMPLE_VALUES
    assert r.unreadable == []
    v = "\n".join(r.variants)
    assert "使用了标签的别称：“规范性文件”→“行政规范性文件”" in v
    assert "“4.保护第三方 合法权益”→“4.保护第三方合法权益”" in v
    assert "“商业 企业”→“商业企业”" in v
    assert "“1、属于国家秘密”→“1.属于国家秘密”" in v
    assert "标签省略或增加了括号内的注释：“（二）部分公开”→“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”" in v
    assert "标题“二、主动公开政府信息清况”按“二、主动公开政府信息情况”识别" in v
    assert "标题“四、因政府信息公开工作被申请行政复议和提起行政诉讼情况”按“四、政府信息公开行政复议、行政诉讼情况”识别" in v
    assert "标题“三．收到和处理政府信息公开申请情况”按“三、收到和处理政府信息公开申请情况”识别" in v
    assert "（一）予以公开" not in v


def _one_row_six(text: str, values: list[str]) -> str:
    """The sample with （六）其他处理 as one row of seven cells, as the 2019 trial format prints it."""
    start = text.index("(六)其他处理 |")
    end = text.index("(七)总计 |")
    return text[:start] + "(六)其他处理 |\n" + "".join(f"{v} |\n" for v in values) + text[end:]


def test_one_row_other_handling_of_zeros_in_a_2021_table(sample_text, tmp_path):
    r = import_file(_write(tmp_path, _one_row_six(sample_text, ["0"] * 7)))
    assert r.report.values == SAMPLE_VALUES  # 0 in one row: every sub-item is 0 (counts are never negative)
    assert r.unreadable == []
    assert "表三“（六）其他处理”只有一行，没有分项（2019年试行格式的写法）" in r.variants
    assert r.trace["sec3.other.unpaid_fee.business"].note == "“（六）其他处理”只有一行，为0，各分项均为0"


def test_one_row_other_handling_with_a_number_cannot_be_split(sample_text, tmp_path):
    r = import_file(_write(tmp_path, _one_row_six(sample_text, ["1", "0", "0", "0", "0", "/", "1"])))
    split = {f"sec3.other.{row}.{col}" for row in ("no_correction", "unpaid_fee", "other") for col in ("natural_person", "total")}
    blank = {f"sec3.other.{row}.other_org" for row in ("no_correction", "unpaid_fee", "other")}
    assert r.report.values == {k: v for k, v in SAMPLE_VALUES.items() if k not in split | blank}
    assert [(u.what, u.raw) for u in r.unreadable] == [
        ("表三 （六）其他处理 / 自然人：“（六）其他处理”只有一行（1），无法拆分到各分项", "1"),
        ("表三 （六）其他处理 / 总计：“（六）其他处理”只有一行（1），无法拆分到各分项", "1"),
    ]
    assert sorted(f.scope for f in r.findings) == sorted(split)


def test_a_missing_table_heading_is_said_and_nothing_is_guessed(sample_text, tmp_path):
    t = replace_once(sample_text, "\n四、政府信息公开行政复议、行政诉讼情况\n", "\n")
    r = import_file(_write(tmp_path, t))
    assert r.unreadable[-1].what == "表四：未找到表四（标题“四、政府信息公开行政复议、行政诉讼情况”），表中数值均未读取"
    assert not any(k.startswith("sec4.") for k in r.report.values)
    # table 三 is not disturbed by table 四's cells following it under the same heading?  It is: they are
    # extra cells after its last row, so that row is unreadable rather than filled with table 四's numbers.
    assert "sec3.carried_forward.natural_person" not in r.report.values
    found = run_rules(r.report, found=r.findings)
    assert "R-LAYOUT.表四" in {f.key for f in found}
    assert not any(f.rule == "R-MISSING" and f.scope.startswith("sec4.") for f in found)


# A fictional report in the 2019 trial format, typed from official-format.md §2.3–2.5 (labels) with made-up numbers.
_SEC2_2019 = [
    "第二十条第（一）项", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量",
    "规章", "0", "0", "2", "规范性文件", "3", "3", "17",
    "第二十条第（五）项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
    "行政许可", "45", "-2", "1203", "其他对外管理服务事项", "12", "0", "37",
    "第二十条第（六）项", "信息内容", "上一年项目数量", "本年增／减", "处理决定数量",
    "行政处罚", "8", "1", "56", "行政强制", "2", "0", "3",
    "第二十条第（八）项", "信息内容", "上一年项目数量", "本年增/减", "行政事业性收费", "4", "－1",
    "第二十条第（九）项", "信息内容", "采购项目数量", "采购总金额", "政府集中采购", "6", "85.32",
]
_ROWS_2019 = [
    ("一、本年新收政府信息公开申请数量", "3 1 0 0 0 0 4"),
    ("二、上年结转政府信息公开申请数量", "1 0 0 0 0 0 1"),
    ("三、本年度办理结果", None), ("（一）予以公开", "2 1 0 0 0 0 3"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "0 0 0 0 0 0 0"),
    ("（三）不予公开", None), ("1.属于国家秘密", "0 0 0 0 0 0 0"), ("2.其他法律行政法规禁止公开", "0 0 0 0 0 0 0"),
    ("3.危及“三安全一稳定”", "0 0 0 0 0 0 0"), ("4.保护第三方合法权益", "1 0 0 0 0 0 1"),
    ("5.属于三类内部事务信息", "0 0 0 0 0 0 0"), ("6.属于四类过程性信息", "0 0 0 0 0 0 0"),
    ("7.属于行政执法案卷", "0 0 0 0 0 0 0"), ("8.属于行政查询事项", "0 0 0 0 0 0 0"),
    ("（四）无法提供", None), ("1.本机关不掌握相关政府信息", "0 0 0 0 0 0 0"),
    ("2.没有现成信息需要另行制作", "0 0 0 0 0 0 0"), ("3.补正后申请内容仍不明确", "0 0 0 0 0 0 0"),
    ("（五）不予处理", None), ("1.信访举报投诉类申请", "0 0 0 0 0 0 0"), ("2.重复申请", "0 0 0 0 0 0 0"),
    ("3.要求提供公开出版物", "0 0 0 0 0 0 0"), ("4.无正当理由大量反复申请", "0 0 0 0 0 0 0"),
    ("5.要求行政机关确认或重新出具已获取信息", "0 0 0 0 0 0 0"),
    ("（六）其他处理", "0 0 0 0 0 0 0"), ("（七）总计", "3 1 0 0 0 0 4"),
    ("四、结转下年度继续办理", "1 0 0 0 0 0 1"),
]
# Header cells as a published page lists them, in reading order: the typed official headers.
_SEC3_HEAD = [text for text, *_ in SEC3_HEADER]
_SEC4 = [text for text, *_ in SEC4] + "1 0 0 0 1 0 0 0 0 0 0 0 0 0 0".split()


def report_2019() -> str:
    sec3 = list(_SEC3_HEAD)
    for label, numbers in _ROWS_2019:
        sec3.append(label)
        sec3.extend(numbers.split() if numbers else [])
    cells = lambda xs: "\n".join(f"{x} |" for x in xs)  # noqa: E731
    return "\n".join([
        "示例县示例局2020年政府信息公开工作年度报告",
        "本报告由示例县示例局编制。本报告中所列数据的统计期限为2020年1月1日至2020年12月31日。",
        "一、总体情况", "（一）主动公开。本年主动公开政府信息300条。", "（二）依申请公开。本年共收到政府信息公开申请4件，其中自然人3件。",
        "二、主动公开政府信息情况", cells(_SEC2_2019),
        "三、收到和处理政府信息公开申请情况", cells(sec3),
        "四、政府信息公开行政复议、行政诉讼情况", cells(_SEC4),
        "五、存在的主要问题及改进情况", "（一）存在的主要问题。答复文书格式不够统一。", "（二）改进情况。逐件审核答复文书。",
        "六、其他需要报告的事项", "无。", "示例县示例局", "2021年1月20日", "版权所有：示例县人民政府",
    ]) + "\n"


VALUES_2019 = {
    "sec2.regulations.made": 0, "sec2.regulations.newly_published": 0, "sec2.regulations.total_published": 2,
    "sec2.normative_docs.made": 3, "sec2.normative_docs.newly_published": 3, "sec2.normative_docs.total_published": 17,
    "sec2.licensing.prev_items": 45, "sec2.licensing.change": -2, "sec2.licensing.decisions": 1203,
    "sec2.other_services.prev_items": 12, "sec2.other_services.change": 0, "sec2.other_services.decisions": 37,
    "sec2.penalty.prev_items": 8, "sec2.penalty.change": 1, "sec2.penalty.decisions": 56,
    "sec2.coercion.prev_items": 2, "sec2.coercion.change": 0, "sec2.coercion.decisions": 3,
    "sec2.fees.prev_items": 4, "sec2.fees.change": -1,
    "sec2.procurement.items": 6, "sec2.procurement.amount": Decimal("85.32"),
}
_ROW_IDS_2019 = [
    "new_received", "carried_over", "granted", "partly_granted",
    *(f"refused.{r}" for r in ("state_secret", "prohibited_by_law", "three_safeties", "third_party",
                               "internal_affairs", "process_info", "enforcement_file", "query_service")),
    "unable.not_held", "unable.needs_creation", "unable.still_unclear",
    *(f"not_processed.{r}" for r in ("petition", "duplicate", "publication", "excessive", "confirmation")),
    "other_handling", "results_total", "carried_forward",
]
_COLS = ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total")
VALUES_2019.update(
    {f"sec3.{rid}.{col}": int(n) for rid, (_, numbers) in zip(_ROW_IDS_2019, [r for r in _ROWS_2019 if r[1]])
     for col, n in zip(_COLS, numbers.split())}
)
VALUES_2019.update({f"sec4.{g}.{c}": int(n) for (g, c), n in zip(
    [(g, c) for g in ("review", "litigation_direct", "litigation_after_review")
     for c in ("upheld", "corrected", "other", "pending", "total")],
    _SEC4[-15:],
)})

GEOMETRY_2019 = (
    [[(1, 4)], *[[(1, 1)] * 4] * 3, [(1, 4)], *[[(1, 1)] * 4] * 3, [(1, 4)], *[[(1, 1)] * 4] * 3,
     [(1, 4)], [(1, 1), (1, 1), (1, 2)], [(1, 1), (1, 1), (1, 2)], [(1, 4)], [(1, 1), (1, 1), (1, 2)], [(1, 1), (1, 1), (1, 2)]],
    [[(3, 3), (1, 7)], [(2, 1), (1, 5), (2, 1)], [(1, 1)] * 5,
     [(1, 3)] + [(1, 1)] * 7, [(1, 3)] + [(1, 1)] * 7,
     [(20, 1), (1, 2)] + [(1, 1)] * 7, [(1, 2)] + [(1, 1)] * 7,
     [(8, 1)] + [(1, 1)] * 8, *[[(1, 1)] * 8] * 7,
     [(3, 1)] + [(1, 1)] * 8, *[[(1, 1)] * 8] * 2,
     [(5, 1)] + [(1, 1)] * 8, *[[(1, 1)] * 8] * 4,
     [(1, 2)] + [(1, 1)] * 7, [(1, 2)] + [(1, 1)] * 7, [(1, 3)] + [(1, 1)] * 7],
    [[(1, 5), (1, 10)], [(2, 1)] * 5 + [(1, 5), (1, 5)], [(1, 1)] * 10, [(1, 1)] * 15],
)


@pytest.mark.parametrize("kind", ["txt", "html", "docx"])
def test_2019_trial_format(tmp_path, kind):
    text = report_2019()
    if kind == "txt":
        p = _write(tmp_path, text)
    elif kind == "html":
        p = tmp_path / "r.html"
        p.write_bytes(to_html(text, geometry=GEOMETRY_2019))
    else:
        p = to_docx(text, tmp_path / "r.docx", geometry=GEOMETRY_2019)
    r = import_file(p)
    assert r.report.format == "2019"
    assert r.report.values == VALUES_2019
    assert r.unreadable == []
    assert (r.report.agency, r.report.year) == ("示例县示例局", 2020)
    assert r.report.meta == {"issued_on": "2021-01-20", "issuer": "示例县示例局"}
    assert r.report.narrative["other_matters"] == "无。"
    assert r.report.narrative["overview.requests"] == "本年共收到政府信息公开申请4件，其中自然人3件。"
    assert run_rules(r.report, found=r.findings) == []


def test_2019_amount_with_a_unit_is_refused_with_its_text(tmp_path):
    text = report_2019().replace("85.32 |", "251000元 |")
    r = import_file(_write(tmp_path, text))
    assert [u.raw for u in r.unreadable] == ["251000元"]
    assert [f.key for f in r.findings] == ["R-VALUE.sec2.procurement.amount"]
    assert "sec2.procurement.amount" not in r.report.values


@pytest.mark.parametrize("sep", [" | ", "\t"])
def test_one_row_per_line_with_separators(sample_text, tmp_path, sep):
    text = to_rows(sample_text, sep=sep)
    assert text.count("\n") < sample_text.count("\n") - 200  # really one row per line
    r = import_file(_write(tmp_path, text))
    assert r.report.values == SAMPLE_VALUES
    assert r.unreadable == []
    assert r.trace["sec3.new_received.total"].origin.endswith("第8格")


def test_one_row_per_line_blank_cells_and_split_header(sample_text, tmp_path):
    text = to_rows(sample_text)
    text = replace_once(text, "规章 | 0 | 0 | 0 |", "规章 |  | 0 |   |")
    # a header cell printed as two paragraphs ("商业" / "企业") comes out as an extra line
    text = replace_once(text, "商业企业 | 科研机构 |", "商业 | 科研 |")
    text = replace_once(text, "\n一、本年新收", "\n企业 | 机构 |\n一、本年新收")
    r = import_file(_write(tmp_path, text))
    gone = {"sec2.regulations.issued", "sec2.regulations.in_force"}
    assert r.report.values == {k: v for k, v in SAMPLE_VALUES.items() if k not in gone}
    assert r.unreadable == [] and r.blank == 2
    assert any("未识别的文字" in n and "企业 | 机构" in n for n in r.notes)


def test_one_row_per_line_cells_run_together(sample_text, tmp_path):
    text = replace_once(to_rows(sample_text), "行政规范性文件 | 5 | 1 | 8 |", "行政规范性文件 | 51 | 8 |")
    r = import_file(_write(tmp_path, text))
    assert [(u.what, u.raw) for u in r.unreadable] == [
        ("表二 第二十条第（一）项 行政规范性文件：应有3个数值，读到2个（单元格缺失或连在一起）", "行政规范性文件 | 51 | 8")
    ]


def test_narrative_subheadings_worded_differently(sample_text, tmp_path):
    t = replace_once(sample_text, "(一)2023年存在的主要问题。", "（一）存在问题\n")
    t = replace_once(t, "(二)2024年将采取的改进措施。", "（二）下步改进措施：")
    t = replace_once(t, "(五)监督保障。", "（五）监督保障情况\n")
    n = import_file(_write(tmp_path, t)).report.narrative
    expected = sample_narrative(sample_text)
    for sid in ("problems", "improvements", "overview.oversight"):
        assert n[sid] == expected[sid], sid


def test_undivided_parts_go_to_their_first_section_and_are_said(sample_text, tmp_path):
    t = replace_once(sample_text, "(一)2023年存在的主要问题。", "")
    t = replace_once(t, "(二)2024年将采取的改进措施。", "")
    r = import_file(_write(tmp_path, t))
    assert "improvements" not in r.report.narrative
    expected = sample_narrative(sample_text)
    assert r.report.narrative["problems"] == expected["problems"] + "\n" + expected["improvements"]
    assert "“五、存在的主要问题及改进情况”中未能区分（一）存在的主要问题、（二）改进情况，全文归入“（一）存在的主要问题”" in r.notes


def test_page_information_lines_are_not_preamble(sample_text, tmp_path):
    t = "示例局2023年政府信息公开工作年度报告\n发布时间：2024-01-20　来源：示例局\n字号：大 中 小\n" + sample_text
    n = import_file(_write(tmp_path, t)).report.narrative
    assert n["preamble"] == sample_narrative(sample_text)["preamble"]


def test_a_page_information_box_in_rows_above_tables_in_cells(sample_text, tmp_path):
    box = "索引号 | 示例-2024-001 | 分类 | 年度报告 |\n发布机构 | 示例局 | 发文日期 | 2024-01-20 |\n文号 |  | 有效性 | 有效 |\n"
    r = import_file(_write(tmp_path, box + sample_text))
    assert r.report.values == SAMPLE_VALUES and r.unreadable == []

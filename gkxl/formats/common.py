"""Official wording shared by the 2021 format and the 2019 trial format (official-format.md §1.3–1.6, §2.2–2.5).

Every label is verbatim, full-width punctuation included. Ids are those of data-contract.md.
"""

from __future__ import annotations

from .builders import AppRow, appeals_table, applications_table
from .schema import Declaration, Equation, Metadata, Section, Table

HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

TITLE_SUFFIX = "年政府信息公开工作年度报告"

# Table 二
CLAUSE_1 = "第二十条第（一）项"
CLAUSE_5 = "第二十条第（五）项"
CLAUSE_6 = "第二十条第（六）项"
CLAUSE_8 = "第二十条第（八）项"
ROW_HEADER = "信息内容"
REGULATIONS = "规章"
DECISIONS_2021 = "本年处理决定数量"
SEC2_WIDTHS = (42.0, 38.0, 38.0, 38.0)

# Table 三
SEC3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
ORGANISATIONS = "法人或其他组织"
# Label columns: the tall 三、本年度办理结果 one character wide, （三）不予公开 in two lines (after its ordinal), the
# items on one line up to 13 characters; 自然人 on one line, the other heads in lines of two characters, and 总计
# wide enough for five digits. Long labels break only where LINE_BREAKS allows (see breakable).
SEC3_WIDTHS = (7.0, 18.5, 53.5, 13.5) + (10.4,) * 5 + (11.4,)

# Where a label too long for one printed line may end a line between words, beside its punctuation: marked with "|"
# in the label's one definition (breakable strips the marks), positions by label text. gkxl/formats/lines.py uses
# it for the Word tables and the workbook's.
LINE_BREAKS: dict[str, tuple[int, ...]] = {}


def breakable(marked: str) -> str:
    """The label without its "|" marks; the marked positions are recorded in LINE_BREAKS."""
    parts = marked.split("|")
    text = "".join(parts)
    positions, at = [], 0
    for part in parts[:-1]:
        at += len(part)
        positions.append(at)
    LINE_BREAKS[text] = tuple(positions)
    return text


SEC3_COLUMNS = (
    ("natural_person", "自然人"),
    ("business", breakable("商业|企业")),
    ("research", breakable("科研|机构")),
    ("nonprofit", breakable("社会|公益|组织")),
    ("legal_service", breakable("法律|服务|机构")),
    ("other_org", "其他"),
    ("total", "总计"),
)
RESULTS = "三、本年度办理结果"
_REFUSED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_NOT_PROCESSED = "（五）不予处理"
OTHER_HANDLING = "（六）其他处理"

SEC3_HEAD: tuple[AppRow, ...] = (
    ("new_received", "一、本年新收政府信息公开申请数量", None, None),
    ("carried_over", "二、上年结转政府信息公开申请数量", None, None),
    ("granted", RESULTS, "（一）予以公开", None),
    ("partly_granted", RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("refused.state_secret", RESULTS, _REFUSED, "1.属于国家秘密"),
    ("refused.prohibited_by_law", RESULTS, _REFUSED, "2.其他法律行政法规禁止公开"),
    ("refused.three_safeties", RESULTS, _REFUSED, "3.危及“三安全一稳定”"),
    ("refused.third_party", RESULTS, _REFUSED, "4.保护第三方合法权益"),
    ("refused.internal_affairs", RESULTS, _REFUSED, "5.属于三类内部事务信息"),
    ("refused.process_info", RESULTS, _REFUSED, "6.属于四类过程性信息"),
    ("refused.enforcement_file", RESULTS, _REFUSED, "7.属于行政执法案卷"),
    ("refused.query_service", RESULTS, _REFUSED, "8.属于行政查询事项"),
    ("unable.not_held", RESULTS, _UNABLE, "1.本机关不掌握相关政府信息"),
    ("unable.needs_creation", RESULTS, _UNABLE, "2.没有现成信息需要另行制作"),
    ("unable.still_unclear", RESULTS, _UNABLE, "3.补正后申请内容仍不明确"),
    ("not_processed.petition", RESULTS, _NOT_PROCESSED, "1.信访举报投诉类申请"),
    ("not_processed.duplicate", RESULTS, _NOT_PROCESSED, "2.重复申请"),
    ("not_processed.publication", RESULTS, _NOT_PROCESSED, "3.要求提供公开出版物"),
    ("not_processed.excessive", RESULTS, _NOT_PROCESSED, "4.无正当理由大量反复申请"),
    ("not_processed.confirmation", RESULTS, _NOT_PROCESSED, breakable("5.要求|行政机关|确认或|重新出具|已获取信息")),
)
SEC3_TAIL: tuple[AppRow, ...] = (
    ("results_total", RESULTS, "（七）总计", None),
    ("carried_forward", "四、结转下年度继续办理", None, None),
)

CARRIED = tuple((f"sec3.carried_over.{col}", f"sec3.carried_forward.{col}") for col, _ in SEC3_COLUMNS)


def applications(other_handling: tuple[AppRow, ...]) -> tuple[Table, list[Equation]]:
    """Table 三 with the format's （六）其他处理 rows: the only part of it that differs between the formats."""
    return applications_table(
        heading=HEADINGS[2],
        note=SEC3_NOTE,
        rows=SEC3_HEAD + other_handling + SEC3_TAIL,
        columns=SEC3_COLUMNS,
        applicants=APPLICANTS,
        organisations=ORGANISATIONS,
        widths=SEC3_WIDTHS,
    )


# Table 四
SEC4_COLUMNS = (
    ("upheld", breakable("结果|维持")),
    ("corrected", breakable("结果|纠正")),
    ("other", breakable("其他|结果")),
    ("pending", breakable("尚未|审结")),
    ("total", "总计"),
)
SEC4_TABLE, SEC4_EQUATIONS = appeals_table(
    heading=HEADINGS[3],
    review=("review", "行政复议"),
    litigation="行政诉讼",
    groups=(("litigation_direct", "未经复议直接起诉"), ("litigation_after_review", "复议后起诉")),
    columns=SEC4_COLUMNS,
    widths=(10.4,) * 15,
)

# Narrative sections: the contract's ids, where each goes, and what it must contain (official-format.md §1.3).
_OVERVIEW_HINT = "总体情况五项合计篇幅原则上不超过一千字，重在聚焦主题、简明客观。"


def sections(*, other_matters_hint: str) -> tuple[Section, ...]:
    return (
        Section("preamble", "", "报告的编制依据和数据统计期限（上一年度1月1日至12月31日）。", level=0),
        Section("overview.active", "（一）主动公开", "本机关主动公开政府信息的总体情况。" + _OVERVIEW_HINT, level=2),
        Section("overview.requests", "（二）依申请公开", "本机关受理、办理政府信息公开申请的总体情况。", level=2),
        Section("overview.management", "（三）政府信息管理", "政府信息管理制度、审查发布、动态更新等情况。", level=2),
        Section("overview.platforms", "（四）政府信息公开平台建设", "政府网站、政务新媒体等公开平台建设情况。", level=2),
        Section(
            "overview.oversight",
            "（五）监督保障",
            "监督保障情况，含各级人民政府工作考核、社会评议和责任追究结果情况。",
            level=2,
        ),
        Section(
            "problems",
            "（一）存在的主要问题",
            "实事求是、明确具体地写明存在的主要问题，避免笼统模糊、泛泛而谈，不得年年雷同。",
            level=2,
        ),
        Section("improvements", "（二）改进情况", "针对上述问题的改进举措及落实情况，改进举措要有实效性。", level=2),
        Section("other_matters", "", other_matters_hint, level=1),
    )


# Which 一级标题 (index into HEADINGS) each narrative section belongs under; the preamble stands before 一.
SECTION_PART = {
    "preamble": -1,
    "overview.active": 0,
    "overview.requests": 0,
    "overview.management": 0,
    "overview.platforms": 0,
    "overview.oversight": 0,
    "problems": 4,
    "improvements": 4,
    "other_matters": 5,
}

METADATA = (
    Metadata("agency", "机关全称", "填写本机关全称，与公章一致。"),
    Metadata("year", "年度", "报告所属年度（四位数字）。", kind="year"),
    Metadata("issuer", "落款机关", "报告落款的机关名称；不填则使用机关全称。"),
    Metadata("issued_on", "落款日期", "报告落款日期，应在报告年度的次年（一般为1月）。", kind="date"),
    Metadata("fee_yuan", "信息处理费（元）", "本年度实际收取的信息处理费金额（元）；未收取填 0。", kind="amount"),
)

# 零报告: the two declarations of 基本信息 (data-contract.md "Optional declarations"). Declared 是, the blank inputs of
# the table read as 0; the drafted text is the sentence (gkxl/drafting.py uses it wherever the table is all 0).
DECLARATIONS = (
    Declaration(
        "no_applications", "sec3", "本年度未收到政府信息公开申请，无上年结转",
        "选“是”：表三空白的单元格按 0 计，不必逐格填 0；表三中不能有不为 0 的数字。"
        "收到过申请或有上年结转的，选“否”并如实填写表三。",
        "本年度未收到政府信息公开申请，无上年结转申请。",
    ),
    Declaration(
        "no_appeals", "sec4", "本年度无政府信息公开行政复议、行政诉讼",
        "选“是”：表四空白的单元格按 0 计，不必逐格填 0；表四中不能有不为 0 的数字。"
        "发生过因政府信息公开引起的行政复议或行政诉讼的，选“否”并如实填写表四。",
        "本年度未发生因政府信息公开引起的行政复议和行政诉讼。",
    ),
)

"""The official tables typed by hand from official-format.md (§1.4–1.6, §2.3–2.5) and the contract's cell ids
(data-contract.md), for the tests only.

Independent of gkxl.formats on purpose: the tests compare what gkxl writes and declares with these lists. Typed once
here for every test (spec, workbook, Word, importer), so a correction to the official wording is made in one place.
"""

from __future__ import annotations

SECTION_HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

HEADINGS = {"表二": SECTION_HEADINGS[1], "表三": SECTION_HEADINGS[2], "表四": SECTION_HEADINGS[3]}


def sec2(blocks) -> tuple[list, list]:
    """Table 二 on its 4-column grid: each block a full-width caption, a header row, data rows.

    blocks: (caption, [(header, colspan)], [(row label, [input colspans])]). Returns (labels, inputs (row, col, colspan)).
    """
    labels, inputs, row = [], [], 0
    for caption, headers, rows in blocks:
        labels.append((caption, row, 0, 1, 4))
        labels.append(("信息内容", row + 1, 0, 1, 1))
        col = 1
        for text, span in headers:
            labels.append((text, row + 1, col, 1, span))
            col += span
        row += 2
        for text, spans in rows:
            labels.append((text, row, 0, 1, 1))
            col = 1
            for span in spans:
                inputs.append((row, col, span))
                col += span
            row += 1
    return labels, inputs


SEC2_2021 = sec2([
    ("第二十条第（一）项", [("本年制发件数", 1), ("本年废止件数", 1), ("现行有效件数", 1)], [("规章", [1, 1, 1]), ("行政规范性文件", [1, 1, 1])]),
    ("第二十条第（五）项", [("本年处理决定数量", 3)], [("行政许可", [3])]),
    ("第二十条第（六）项", [("本年处理决定数量", 3)], [("行政处罚", [3]), ("行政强制", [3])]),
    ("第二十条第（八）项", [("本年收费金额（单位：万元）", 3)], [("行政事业性收费", [3])]),
])
# 2019: the (八) and (九) blocks have two data columns on the 4-column grid; the second spans the remaining two.
_ITEMS_2019 = [("上一年项目数量", 1), ("本年增/减", 1), ("处理决定数量", 1)]
SEC2_2019 = sec2([
    ("第二十条第（一）项", [("本年新制作数量", 1), ("本年新公开数量", 1), ("对外公开总数量", 1)], [("规章", [1, 1, 1]), ("规范性文件", [1, 1, 1])]),
    ("第二十条第（五）项", _ITEMS_2019, [("行政许可", [1, 1, 1]), ("其他对外管理服务事项", [1, 1, 1])]),
    ("第二十条第（六）项", _ITEMS_2019, [("行政处罚", [1, 1, 1]), ("行政强制", [1, 1, 1])]),
    ("第二十条第（八）项", [("上一年项目数量", 1), ("本年增/减", 2)], [("行政事业性收费", [1, 2])]),
    ("第二十条第（九）项", [("采购项目数量", 1), ("采购总金额", 2)], [("政府集中采购", [1, 2])]),
])

SEC3_HEADER = [
    (NOTE, 0, 0, 3, 3),
    ("申请人情况", 0, 3, 1, 7),
    ("自然人", 1, 3, 2, 1),
    ("法人或其他组织", 1, 4, 1, 5),
    ("总计", 1, 9, 2, 1),
    ("商业企业", 2, 4, 1, 1), ("科研机构", 2, 5, 1, 1), ("社会公益组织", 2, 6, 1, 1), ("法律服务机构", 2, 7, 1, 1), ("其他", 2, 8, 1, 1),
]
REFUSED = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
            "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]
UNABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
NOT_PROCESSED = ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息"]
OTHER_2021 = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
               "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]


def sec3(other_items: list[str]) -> tuple[list, list, list]:
    """Table 三: header, then the 25 (2021) or 23 (2019) data rows. Returns (labels, input cells, total cells)."""
    results = [("（一）予以公开", []), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", []),
               ("（三）不予公开", REFUSED), ("（四）无法提供", UNABLE), ("（五）不予处理", NOT_PROCESSED),
               ("（六）其他处理", other_items), ("（七）总计", [])]
    labels = list(SEC3_HEADER)
    labels.append(("一、本年新收政府信息公开申请数量", 3, 0, 1, 3))
    labels.append(("二、上年结转政府信息公开申请数量", 4, 0, 1, 3))
    row = 5
    n_results = sum(max(1, len(items)) for _, items in results)
    labels.append(("三、本年度办理结果", row, 0, n_results, 1))
    for text, items in results:
        if items:
            labels.append((text, row, 1, len(items), 1))
            labels += [(item, row + k, 2, 1, 1) for k, item in enumerate(items)]
            row += len(items)
        else:
            labels.append((text, row, 1, 1, 2))
            row += 1
    results_total = row - 1
    labels.append(("四、结转下年度继续办理", row, 0, 1, 3))
    inputs = [(r, c) for r in range(3, row + 1) if r != results_total for c in range(3, 9)]
    totals = [(r, 9) for r in range(3, row + 1)] + [(results_total, c) for c in range(3, 9)]
    return labels, inputs, totals


SEC4_COLUMNS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
SEC4 = (
    [("行政复议", 0, 0, 1, 5), ("行政诉讼", 0, 5, 1, 10)]
    + [(t, 1, j, 2, 1) for j, t in enumerate(SEC4_COLUMNS)]
    + [("未经复议直接起诉", 1, 5, 1, 5), ("复议后起诉", 1, 10, 1, 5)]
    + [(t, 2, g + j, 1, 1) for g in (5, 10) for j, t in enumerate(SEC4_COLUMNS)]
)
SEC4_INPUTS = [(3, c) for c in range(15) if c not in (4, 9, 14)]
SEC4_TOTALS = [(3, 4), (3, 9), (3, 14)]


def official(fmt: str) -> dict[str, tuple[list, list, list]]:
    """Sheet → (labels, input cells (row, col, colspan), total cells (row, col)), grid-relative."""
    s2 = SEC2_2021 if fmt == "2021" else SEC2_2019
    s3_labels, s3_inputs, s3_totals = sec3(OTHER_2021 if fmt == "2021" else [])
    return {
        "表二": (s2[0], s2[1], []),
        "表三": (s3_labels, [(r, c, 1) for r, c in s3_inputs], s3_totals),
        "表四": (SEC4, [(r, c, 1) for r, c in SEC4_INPUTS], SEC4_TOTALS),
    }


# The contract's cell ids, in the official order of the tables.
SEC3_COLUMNS = ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total"]
_SEC3_FIRST = ["new_received", "carried_over", "granted", "partly_granted"] + [
    f"refused.{x}" for x in ("state_secret", "prohibited_by_law", "three_safeties", "third_party", "internal_affairs",
                             "process_info", "enforcement_file", "query_service")
] + [f"unable.{x}" for x in ("not_held", "needs_creation", "still_unclear")] + [
    f"not_processed.{x}" for x in ("petition", "duplicate", "publication", "excessive", "confirmation")
]
SEC3_ROWS = {
    "2021": _SEC3_FIRST + ["other.no_correction", "other.unpaid_fee", "other.other", "results_total", "carried_forward"],
    "2019": _SEC3_FIRST + ["other_handling", "results_total", "carried_forward"],
}
SEC2_IDS = {
    "2021": ["sec2.regulations.issued", "sec2.regulations.repealed", "sec2.regulations.in_force",
             "sec2.normative_docs.issued", "sec2.normative_docs.repealed", "sec2.normative_docs.in_force",
             "sec2.licensing.decisions", "sec2.penalty.decisions", "sec2.coercion.decisions", "sec2.fees.amount_wan"],
    "2019": [f"sec2.{g}.{c}" for g in ("regulations", "normative_docs") for c in ("made", "newly_published", "total_published")]
    + [f"sec2.{g}.{c}" for g in ("licensing", "other_services", "penalty", "coercion") for c in ("prev_items", "change", "decisions")]
    + ["sec2.fees.prev_items", "sec2.fees.change", "sec2.procurement.items", "sec2.procurement.amount"],
}
SEC4_IDS = [f"sec4.{g}.{c}" for g in ("review", "litigation_direct", "litigation_after_review")
            for c in ("upheld", "corrected", "other", "pending", "total")]


def ids(fmt: str) -> list[str]:
    """Every cell id of a format, in the official order."""
    return SEC2_IDS[fmt] + [f"sec3.{r}.{c}" for r in SEC3_ROWS[fmt] for c in SEC3_COLUMNS] + SEC4_IDS

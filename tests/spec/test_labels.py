"""The spec's labels and spans equal the official tables, compared with lists typed here from official-format.md."""

from __future__ import annotations

import pytest

from gkxl.spec import get_format

# Typed independently from official-format.md §1.4 (2021) and §2.3 (2019): (text, row, col, rowspan, colspan) of table 二.
SEC2_2021 = [
    ("第二十条第（一）项", 0, 0, 1, 4),
    ("信息内容", 1, 0, 1, 1), ("本年制发件数", 1, 1, 1, 1), ("本年废止件数", 1, 2, 1, 1), ("现行有效件数", 1, 3, 1, 1),
    ("规章", 2, 0, 1, 1), ("行政规范性文件", 3, 0, 1, 1),
    ("第二十条第（五）项", 4, 0, 1, 4),
    ("信息内容", 5, 0, 1, 1), ("本年处理决定数量", 5, 1, 1, 3), ("行政许可", 6, 0, 1, 1),
    ("第二十条第（六）项", 7, 0, 1, 4),
    ("信息内容", 8, 0, 1, 1), ("本年处理决定数量", 8, 1, 1, 3), ("行政处罚", 9, 0, 1, 1), ("行政强制", 10, 0, 1, 1),
    ("第二十条第（八）项", 11, 0, 1, 4),
    ("信息内容", 12, 0, 1, 1), ("本年收费金额（单位：万元）", 12, 1, 1, 3), ("行政事业性收费", 13, 0, 1, 1),
]
SEC2_2019 = [
    ("第二十条第（一）项", 0, 0, 1, 4),
    ("信息内容", 1, 0, 1, 1), ("本年新制作数量", 1, 1, 1, 1), ("本年新公开数量", 1, 2, 1, 1), ("对外公开总数量", 1, 3, 1, 1),
    ("规章", 2, 0, 1, 1), ("规范性文件", 3, 0, 1, 1),
    ("第二十条第（五）项", 4, 0, 1, 4),
    ("信息内容", 5, 0, 1, 1), ("上一年项目数量", 5, 1, 1, 1), ("本年增/减", 5, 2, 1, 1), ("处理决定数量", 5, 3, 1, 1),
    ("行政许可", 6, 0, 1, 1), ("其他对外管理服务事项", 7, 0, 1, 1),
    ("第二十条第（六）项", 8, 0, 1, 4),
    ("信息内容", 9, 0, 1, 1), ("上一年项目数量", 9, 1, 1, 1), ("本年增/减", 9, 2, 1, 1), ("处理决定数量", 9, 3, 1, 1),
    ("行政处罚", 10, 0, 1, 1), ("行政强制", 11, 0, 1, 1),
    ("第二十条第（八）项", 12, 0, 1, 4),
    ("信息内容", 13, 0, 1, 1), ("上一年项目数量", 13, 1, 1, 1), ("本年增/减", 13, 2, 1, 2), ("行政事业性收费", 14, 0, 1, 1),
    ("第二十条第（九）项", 15, 0, 1, 4),
    ("信息内容", 16, 0, 1, 1), ("采购项目数量", 16, 1, 1, 1), ("采购总金额", 16, 2, 1, 2), ("政府集中采购", 17, 0, 1, 1),
]

SEC3_HEADER = [
    ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 0, 0, 3, 3),
    ("申请人情况", 0, 3, 1, 7),
    ("自然人", 1, 3, 2, 1), ("法人或其他组织", 1, 4, 1, 5), ("总计", 1, 9, 2, 1),
    ("商业企业", 2, 4, 1, 1), ("科研机构", 2, 5, 1, 1), ("社会公益组织", 2, 6, 1, 1), ("法律服务机构", 2, 7, 1, 1), ("其他", 2, 8, 1, 1),
]
_REFUSED = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
            "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]
_UNABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
_NOT_PROCESSED = ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                  "5.要求行政机关确认或重新出具已获取信息"]
_OTHER_2021 = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
               "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]


def sec3_row_labels(other_rows: list[str]) -> list[tuple]:
    """Row labels of table 三 below the 3 header rows, with spans, built from the official list."""
    out = [("一、本年新收政府信息公开申请数量", 3, 0, 1, 3), ("二、上年结转政府信息公开申请数量", 4, 0, 1, 3)]
    results_rows = 2 + 8 + 3 + 5 + (len(other_rows) or 1) + 1
    out.append(("三、本年度办理结果", 5, 0, results_rows, 1))
    out += [("（一）予以公开", 5, 1, 1, 2), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 6, 1, 1, 2)]
    row = 7
    for group, items in (("（三）不予公开", _REFUSED), ("（四）无法提供", _UNABLE), ("（五）不予处理", _NOT_PROCESSED), ("（六）其他处理", other_rows)):
        if items:
            out.append((group, row, 1, len(items), 1))
            out += [(text, row + i, 2, 1, 1) for i, text in enumerate(items)]
            row += len(items)
        else:
            out.append((group, row, 1, 1, 2))
            row += 1
    out.append(("（七）总计", row, 1, 1, 2))
    out.append(("四、结转下年度继续办理", row + 1, 0, 1, 3))
    return out


SEC4 = [
    ("行政复议", 0, 0, 1, 5), ("行政诉讼", 0, 5, 1, 10),
    ("结果维持", 1, 0, 2, 1), ("结果纠正", 1, 1, 2, 1), ("其他结果", 1, 2, 2, 1), ("尚未审结", 1, 3, 2, 1), ("总计", 1, 4, 2, 1),
    ("未经复议直接起诉", 1, 5, 1, 5),
    *[(t, 2, 5 + i, 1, 1) for i, t in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])],
    ("复议后起诉", 1, 10, 1, 5),
    *[(t, 2, 10 + i, 1, 1) for i, t in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])],
]

EXPECTED = {
    "2021": {"sec2": SEC2_2021, "sec3": SEC3_HEADER + sec3_row_labels(_OTHER_2021), "sec4": SEC4},
    "2019": {"sec2": SEC2_2019, "sec3": SEC3_HEADER + sec3_row_labels([]), "sec4": SEC4},
}


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("table", ["sec2", "sec3", "sec4"])
def test_table_labels_and_spans_equal_the_official_table(fmt, table):
    got = [(lb.text, lb.row, lb.col, lb.rowspan, lb.colspan) for lb in get_format(fmt).table(table).labels]
    assert sorted(got, key=lambda x: (x[1], x[2])) == sorted(EXPECTED[fmt][table], key=lambda x: (x[1], x[2]))


def test_results_block_spans_22_rows_in_2021_and_20_in_2019():
    for fmt, rows in (("2021", 22), ("2019", 20)):
        results = next(lb for lb in get_format(fmt).table("sec3").labels if lb.text == "三、本年度办理结果")
        assert results.rowspan == rows


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_headings_are_the_six_official_headings(fmt):
    assert get_format(fmt).headings == (
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    )

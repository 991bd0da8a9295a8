"""Where a 表三/表四 label may end a printed line, typed here from the official wording independently of gkxl: after
punctuation or an ordinal (（三）, 一、, 1.), before an opening bracket, and at the word boundaries ("|") below.
Shared by the render tests of the Word tables (tests/word) and the workbook's (tests/excel)."""

from __future__ import annotations

import re

VERTICAL = "三、本年度办理结果"  # the tall label, one character a line by design

# Word boundaries ("|") of the labels that may need more than one line, typed from the official wording.
WORDS = {
    "5.要求|行政机关|确认|或|重新|出具|已|获取|信息",
    "1.申请人|无|正当|理由|逾期|不|补正、行政机关|不再|处理|其|政府信息|公开|申请",
    "2.申请人|逾期|未|按|收费|通知|要求|缴纳|费用、行政机关|不再|处理|其|政府信息|公开|申请",
    "商业|企业", "科研|机构", "社会|公益|组织", "法律|服务|机构", "结果|维持", "结果|纠正", "其他|结果", "尚未|审结",
    "（本列|数据|的|勾稽|关系|为：第一项|加|第二项|之和，等于|第三项|加|第四项|之和）",
    "（二）部分|公开（区分|处理|的，只计|这一|情形，不计|其他|情形）",
    "行政|复议", "行政|诉讼", "未经|复议|直接|起诉", "复议|后|起诉",
}
BOUNDARIES: dict[str, set[int]] = {}
for marked in WORDS:
    at, cuts = 0, set()
    for part in marked.split("|")[:-1]:
        at += len(part)
        cuts.add(at)
    BOUNDARIES[marked.replace("|", "")] = cuts
_ORDINAL = re.compile(r"^(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+\.)")


def allowed_breaks(text: str) -> set[int]:
    cuts = set(BOUNDARIES.get(text, set()))
    cuts |= {i + 1 for i, ch in enumerate(text) if ch in "、，；：。）”"}
    cuts |= {i for i, ch in enumerate(text) if ch == "（"}
    m = _ORDINAL.match(text)
    if m:
        cuts.add(m.end())
    return cuts

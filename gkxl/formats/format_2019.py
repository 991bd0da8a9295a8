"""The 2019 trial format (国办公开办函〔2019〕60号), for the reports on 2019 and 2020 (official-format.md §2).

It differs from the 2021 format only in table 二 and in a single-row （六）其他处理; everything else is shared.
"""

from __future__ import annotations

from . import common as c
from .builders import disclosure_table
from .schema import Format, Kind

C, S, A = Kind.COUNT, Kind.SIGNED, Kind.AMOUNT
_ITEMS = (("上一年项目数量", 1), ("本年增/减", 1), ("处理决定数量", 1))


def _items(prefix: str) -> tuple:
    return ((f"{prefix}.prev_items", 1, C), (f"{prefix}.change", 1, S), (f"{prefix}.decisions", 1, C))


SEC2 = disclosure_table(
    heading=c.HEADINGS[1],
    row_header=c.ROW_HEADER,
    widths=c.SEC2_WIDTHS,
    blocks=(
        (
            c.CLAUSE_1,
            (("本年新制作数量", 1), ("本年新公开数量", 1), ("对外公开总数量", 1)),
            (
                (c.REGULATIONS, (("sec2.regulations.made", 1, C), ("sec2.regulations.newly_published", 1, C), ("sec2.regulations.total_published", 1, C))),
                ("规范性文件", (("sec2.normative_docs.made", 1, C), ("sec2.normative_docs.newly_published", 1, C), ("sec2.normative_docs.total_published", 1, C))),
            ),
        ),
        (c.CLAUSE_5, _ITEMS, (("行政许可", _items("sec2.licensing")), ("其他对外管理服务事项", _items("sec2.other_services")))),
        (c.CLAUSE_6, _ITEMS, (("行政处罚", _items("sec2.penalty")), ("行政强制", _items("sec2.coercion")))),
        (c.CLAUSE_8, (("上一年项目数量", 1), ("本年增/减", 2)), (("行政事业性收费", (("sec2.fees.prev_items", 1, C), ("sec2.fees.change", 2, S))),)),
        ("第二十条第（九）项", (("采购项目数量", 1), ("采购总金额", 2)), (("政府集中采购", (("sec2.procurement.items", 1, C), ("sec2.procurement.amount", 2, A))),)),
    ),
)

SEC3, SEC3_EQUATIONS = c.applications((("other_handling", c.RESULTS, c.OTHER_HANDLING, None),))

FORMAT = Format(
    id="2019",
    document="国办公开办函〔2019〕60号",
    title="中华人民共和国政府信息公开工作年度报告格式（试行）",
    tables=(SEC2, SEC3, c.SEC4_TABLE),
    equations=tuple(SEC3_EQUATIONS) + tuple(c.SEC4_EQUATIONS),
    sections=c.sections(other_matters_hint="本机关认为需要报告的其他事项（文字描述）。"),
    headings=c.HEADINGS,
    carried=c.CARRIED,
    declarations=c.DECLARATIONS,
    markers=("本年新制作数量", "对外公开总数量", "第二十条第（九）项", "政府集中采购"),
)

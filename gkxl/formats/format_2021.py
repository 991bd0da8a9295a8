"""The 2021 format (国办公开办函〔2021〕30号), for the reports on 2021 and later years (official-format.md §1)."""

from __future__ import annotations

from . import common as c
from .builders import disclosure_table
from .schema import Format, Kind

C, A = Kind.COUNT, Kind.AMOUNT

SEC2 = disclosure_table(
    heading=c.HEADINGS[1],
    row_header=c.ROW_HEADER,
    widths=c.SEC2_WIDTHS,
    blocks=(
        (
            c.CLAUSE_1,
            (("本年制发件数", 1), ("本年废止件数", 1), ("现行有效件数", 1)),
            (
                (c.REGULATIONS, (("sec2.regulations.issued", 1, C), ("sec2.regulations.repealed", 1, C), ("sec2.regulations.in_force", 1, C))),
                ("行政规范性文件", (("sec2.normative_docs.issued", 1, C), ("sec2.normative_docs.repealed", 1, C), ("sec2.normative_docs.in_force", 1, C))),
            ),
        ),
        (c.CLAUSE_5, ((c.DECISIONS_2021, 3),), (("行政许可", (("sec2.licensing.decisions", 3, C),)),)),
        (
            c.CLAUSE_6,
            ((c.DECISIONS_2021, 3),),
            (("行政处罚", (("sec2.penalty.decisions", 3, C),)), ("行政强制", (("sec2.coercion.decisions", 3, C),))),
        ),
        (c.CLAUSE_8, (("本年收费金额（单位：万元）", 3),), (("行政事业性收费", (("sec2.fees.amount_wan", 3, A),)),)),
    ),
)

SEC3, SEC3_EQUATIONS = c.applications(
    (
        ("other.no_correction", c.RESULTS, c.OTHER_HANDLING, c.breakable("1.申请人|无正当理由|逾期|不补正、行政机关|不再处理|其政府信息公开申请")),
        ("other.unpaid_fee", c.RESULTS, c.OTHER_HANDLING, c.breakable("2.申请人|逾期|未按收费通知|要求缴纳费用、行政机关|不再处理|其政府信息公开申请")),
        ("other.other", c.RESULTS, c.OTHER_HANDLING, "3.其他"),
    )
)

FORMAT = Format(
    id="2021",
    document="国办公开办函〔2021〕30号",
    title="中华人民共和国政府信息公开工作年度报告格式",
    tables=(SEC2, SEC3, c.SEC4_TABLE),
    equations=tuple(SEC3_EQUATIONS) + tuple(c.SEC4_EQUATIONS),
    sections=c.sections(other_matters_hint="本机关认为需要报告的其他事项；收取信息处理费的情况在此处专门报告。"),
    headings=c.HEADINGS,
    carried=c.CARRIED,
    declarations=c.DECLARATIONS,
    in_force=(
        ("regulations", "sec2.regulations.in_force", "sec2.regulations.issued", "sec2.regulations.repealed"),
        ("normative_docs", "sec2.normative_docs.in_force", "sec2.normative_docs.issued", "sec2.normative_docs.repealed"),
    ),
    fee_note="收取信息处理费",
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
)

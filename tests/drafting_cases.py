"""Reports to draft from, and the exact text expected of each, typed here by hand (not produced by gkxl).

Shared by tests/test_drafting.py (Python's draft) and tests/excel/test_draft_formula.py (the workbook's formula
after LibreOffice recalculates it). "small" is the demo report (gkxl/data/demo_2023.json).
"""

from __future__ import annotations

from gkxl.formats import get_format
from gkxl.model import Report

REQUESTS, MANAGEMENT = "overview.requests", "overview.management"


def zeros(fmt: str) -> dict:
    return {cid: 0 for cid in get_format(fmt).inputs}


def zero_report() -> Report:
    return Report("2021", 2023, "零申请测试局", zeros("2021"))


def declared_report(fmt: str = "2021") -> Report:
    """零报告: 表三 and 表四 left blank, both declarations made (是); 表二 filled with 0."""
    spec = get_format(fmt)
    values = {cid: 0 for cid in spec.inputs if spec.table_of[cid].key == "sec2"}
    return Report(fmt, 2023 if fmt == "2021" else 2020, "零报告测试乡", values, declared=frozenset({"no_applications", "no_appeals"}))


def large_report() -> Report:
    """Thousands of applications; shares that sit on a half (24.875 %, 0.175 %, 74.725 % …) to test the rounding."""
    v = zeros("2021")
    v.update({
        "sec2.regulations.issued": 2, "sec2.regulations.repealed": 1, "sec2.regulations.in_force": 37,
        "sec2.normative_docs.issued": 120, "sec2.normative_docs.repealed": 15, "sec2.normative_docs.in_force": 1034,
        "sec3.new_received.natural_person": 3000, "sec3.new_received.business": 990, "sec3.new_received.research": 5,
        "sec3.new_received.nonprofit": 3, "sec3.new_received.legal_service": 1, "sec3.new_received.other_org": 1,
        "sec3.carried_over.natural_person": 12,
        "sec3.granted.natural_person": 3, "sec3.granted.business": 990, "sec3.granted.legal_service": 1,
        "sec3.granted.other_org": 1,
        "sec3.partly_granted.natural_person": 1,
        "sec3.refused.third_party.natural_person": 7,
        "sec3.unable.not_held.natural_person": 2989,
        "sec3.not_processed.duplicate.research": 5,
        "sec3.other.other.nonprofit": 3,
        "sec3.carried_forward.natural_person": 12,
        "sec4.review.upheld": 10, "sec4.review.corrected": 2, "sec4.review.other": 1, "sec4.review.pending": 3,
        "sec4.litigation_direct.upheld": 5, "sec4.litigation_direct.pending": 1,
        "sec4.litigation_after_review.corrected": 2,
    })
    return Report("2021", 2023, "大量申请测试局", v)


def report_2019() -> Report:
    v = zeros("2019")
    v.update({
        "sec2.regulations.made": 1, "sec2.regulations.newly_published": 1, "sec2.regulations.total_published": 9,
        "sec2.normative_docs.made": 4, "sec2.normative_docs.newly_published": 4, "sec2.normative_docs.total_published": 60,
        "sec3.new_received.natural_person": 2, "sec3.carried_over.business": 1,
        "sec3.granted.natural_person": 2, "sec3.other_handling.business": 1,
        "sec4.litigation_direct.pending": 1,
    })
    return Report("2019", 2020, "试行格式测试局", v)


def unfinished_report() -> Report:
    """The demo report with one 表三 cell not yet filled in."""
    from pathlib import Path

    from gkxl.model import report_from_json

    path = Path(__file__).resolve().parents[1] / "gkxl" / "data" / "demo_2023.json"
    report, _ = report_from_json(path.read_text(encoding="utf-8"))
    values = {k: v for k, v in report.values.items() if k != "sec3.granted.business"}
    return Report(report.format, report.year, report.agency, values)


NONE_APPEALED = "本年度未发生因政府信息公开引起的行政复议和行政诉讼。"
NONE_RECEIVED = "本年度未收到政府信息公开申请，无上年结转申请。"  # 表三 all 0 (typed, or a declared 零报告's blanks)
DEMO_SEC2 = "规章本年制发0件、本年废止0件、现行有效0件；行政规范性文件本年制发5件、本年废止1件、现行有效8件。"

EXPECTED = {
    "zero": {
        REQUESTS: NONE_RECEIVED + "\n" + NONE_APPEALED,
        MANAGEMENT: "规章本年制发0件、本年废止0件、现行有效0件；行政规范性文件本年制发0件、本年废止0件、现行有效0件。",
    },
    "declared": {  # the blanks of a declared 表三 and 表四 read as 0: the same text as a report of typed zeros
        REQUESTS: NONE_RECEIVED + "\n" + NONE_APPEALED,
        MANAGEMENT: "规章本年制发0件、本年废止0件、现行有效0件；行政规范性文件本年制发0件、本年废止0件、现行有效0件。",
    },
    "small": {
        REQUESTS: "本年新收政府信息公开申请5件，其中自然人4件、法人或其他组织1件；上年结转政府信息公开申请0件。"
        "本年度办理结果总计5件，其中予以公开2件，占40.00%；部分公开2件，占40.00%；无法提供1件，占20.00%。"
        "结转下年度继续办理0件。\n" + NONE_APPEALED,
        MANAGEMENT: DEMO_SEC2,
    },
    "large": {
        REQUESTS: "本年新收政府信息公开申请4000件，其中自然人3000件、法人或其他组织1000件；上年结转政府信息公开申请12件。"
        "本年度办理结果总计4000件，其中予以公开995件，占24.88%；部分公开1件，占0.03%；不予公开7件，占0.18%；"
        "无法提供2989件，占74.73%；不予处理5件，占0.13%；其他处理3件，占0.08%。结转下年度继续办理12件。\n"
        "本年度因政府信息公开被申请行政复议16件（结果维持10件、结果纠正2件、其他结果1件、尚未审结3件），"
        "被提起行政诉讼8件（其中未经复议直接起诉6件、复议后起诉2件；结果维持5件、结果纠正2件、尚未审结1件）。",
        MANAGEMENT: "规章本年制发2件、本年废止1件、现行有效37件；行政规范性文件本年制发120件、本年废止15件、现行有效1034件。",
    },
    "2019": {
        REQUESTS: "本年新收政府信息公开申请2件，其中自然人2件；上年结转政府信息公开申请1件。"
        "本年度办理结果总计3件，其中予以公开2件，占66.67%；其他处理1件，占33.33%。结转下年度继续办理0件。\n"
        "本年度因政府信息公开被申请行政复议0件，被提起行政诉讼1件（其中未经复议直接起诉1件；尚未审结1件）。",
        MANAGEMENT: "规章本年新制作数量1件、本年新公开数量1件、对外公开总数量9件；规范性文件本年新制作数量4件、本年新公开数量4件、对外公开总数量60件。",
    },
    "unfinished": {
        REQUESTS: "（表三尚未填完，无法起草：填完表三的全部输入单元格后，此处显示依表格起草的文字）\n" + NONE_APPEALED,
        MANAGEMENT: DEMO_SEC2,
    },
}

"""Reports for the Word tests: each format with a distinct value in every cell, and the demo report."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from gkxl.model import Report, report_from_json
from gkxl.formats import Kind, all_formats

DEMO = Path(__file__).resolve().parents[2] / "gkxl" / "data" / "demo_2023.json"


def demo() -> Report:
    report, found = report_from_json(DEMO.read_text(encoding="utf-8"))
    assert not found
    return report


def distinct_values(spec) -> dict:
    """Every cell (totals too) a different number, so that a number in the wrong cell cannot go unnoticed.

    The checks would refuse such a report; the writer does not check, so it shows exactly what was placed where.
    """
    values: dict = {}
    for i, fid in enumerate(spec.fields):
        kind = spec.fields[fid].kind
        if kind is Kind.AMOUNT:
            values[fid] = Decimal(f"{100 + i}.50")  # the trailing 0 must survive: decimals as filed
        elif kind is Kind.SIGNED:
            values[fid] = -(100 + i)
        else:
            values[fid] = 100 + i
    return values


NARRATIVE = {
    "preamble": "本报告依据《中华人民共和国政府信息公开条例》编制。\n数据统计期限为报告年度1月1日至12月31日。",
    "overview.active": "主动公开段落一。\n主动公开段落二。",
    "overview.requests": "依申请公开情况。",
    "overview.management": "政府信息管理情况。",
    "overview.platforms": "平台建设情况。",
    "overview.oversight": "监督保障情况。",
    "problems": "一是问题一。\n二是问题二。",
    "improvements": "一是改进一。",
    "other_matters": "本年度无其他需要报告的事项。",
}


def make_report(fmt: str, **changes) -> Report:
    spec = next(f for f in all_formats() if f.id == fmt)
    year = 2023 if fmt == "2021" else 2020
    report = Report(
        format=fmt,
        year=year,
        agency="示例市示例区人力资源和社会保障局",
        values=distinct_values(spec),
        narrative=dict(NARRATIVE),
        meta={"issuer": "示例市示例区人力资源和社会保障局", "issued_on": "2024-01-20", "fee_yuan": "0"},
    )
    for key, value in changes.items():
        setattr(report, key, value)
    return report

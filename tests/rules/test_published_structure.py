"""R-STRUCTURE on a published report's lines: headings (present, in order, variants named), the statistics period,
the format notice against the year, misspelt fixed terms and broken enumerations; silent on a well-formed report."""

from __future__ import annotations

from pathlib import Path

import pytest
from official import SECTION_HEADINGS

from gkxl.findings import Severity
from gkxl.formats import all_formats
from gkxl.model import Report
from gkxl.rules.structure import MISSPELT, structure_findings

SAMPLE = Path("/work/shared/samples/published-report-2023-district-hrss.txt")


def lines_of(year: int = 2023, *, replace: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> list[str]:
    lines = [
        f"示例局{year}年政府信息公开工作年度报告",
        f"本报告依据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限为{year}年1月1日至{year}年12月31日。",
        SECTION_HEADINGS[0], "（一）主动公开。一是完善目录；二是及时更新。",
        "（二）依申请公开。本年新收政府信息公开申请3件。",
        SECTION_HEADINGS[1], "第二十条第（一）项", "规章 |", "0 |",
        SECTION_HEADINGS[2], "一、本年新收政府信息公开申请数量 |", "二、上年结转政府信息公开申请数量 |",
        "三、本年度办理结果 |", "四、结转下年度继续办理 |",
        SECTION_HEADINGS[3], "行政复议 |",
        SECTION_HEADINGS[4], "（一）存在的主要问题。一是解读偏少。", "二是答复不够规范。", "三是栏目更新慢。",
        "（二）改进情况。一是丰富解读。二是规范答复。",
        SECTION_HEADINGS[5], "无。",
    ]
    out = []
    for line in lines:
        if line in drop:
            continue
        for old, new in (replace or {}).items():
            line = line.replace(old, new)
        out.append(line)
    return out


def report(year: int = 2023) -> Report:
    return Report("2021" if year >= 2021 else "2019", year, "示例局")


def found(lines: list[str], year: int = 2023) -> dict[str, tuple[str, str]]:
    return {f.key: (f.severity.value, f.message) for f in structure_findings(lines, report(year))}


@pytest.mark.parametrize("year", [2023, 2020])
def test_a_well_formed_report_has_no_finding(year):
    assert found(lines_of(year), year) == {}


def test_headings_misspelt_renamed_and_named():
    lines = lines_of(replace={"行政复议、行政诉讼情况": "行政法复议、行政诉讼情况", "问题及改进情况": "问题及整改措施"})
    assert found(lines) == {
        "R-STRUCTURE.headings": (
            "核实",
            "报告的一级标题：标题“四、政府信息公开行政法复议、行政诉讼情况”应为“四、政府信息公开行政复议、行政诉讼情况”"
            "（“行政法复议”应为“行政复议”）；标题“五、存在的主要问题及整改措施”应为“五、存在的主要问题及改进情况”"
            "（“整改措施”应为“改进情况”）",
        )
    }


def test_a_heading_with_words_added_is_accepted():
    assert found(lines_of(replace={"问题及改进情况": "问题及下步改进情况"})) == {}


def test_missing_and_out_of_order_headings():
    assert found(lines_of(drop=(SECTION_HEADINGS[5],)))["R-STRUCTURE.headings"][1] == "报告的一级标题：缺少标题“六、其他需要报告的事项”"
    lines = lines_of()
    i, j = lines.index(SECTION_HEADINGS[1]), lines.index(SECTION_HEADINGS[2])
    lines[i], lines[j] = lines[j], lines[i]
    assert found(lines)["R-STRUCTURE.headings"][1] == (
        "报告的一级标题：标题顺序与官方格式不同：一、总体情况 → 三、收到和处理政府信息公开申请情况 → 二、主动公开政府信息情况"
        " → 四、政府信息公开行政复议、行政诉讼情况 → 五、存在的主要问题及改进情况 → 六、其他需要报告的事项"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("为2022年1月1日至2022年12月31日", "自2022年1月1日起至2022年12月20日止",
         "数据统计期限写为“2022年1月1日起至2022年12月20日”，应为2022年1月1日至2022年12月31日"),
        ("为2022年1月1日至2022年12月31日", "为2021年12月1日至2022年11月30日",
         "数据统计期限写为“2021年12月1日至2022年11月30日”，应为2022年1月1日至2022年12月31日"),
        ("为2022年1月1日至2022年12月31日", "截至2022年12月20日", "数据统计期限写为“截至2022年12月20日”，应截至2022年12月31日"),
        ("本报告中所列数据的统计期限为2022年1月1日至2022年12月31日。", "",
         "未找到数据统计期限的说明（应写明统计期限为2022年1月1日至2022年12月31日）"),
    ],
)
def test_statistics_period(old, new, message):
    assert found(lines_of(2022, replace={old: new}), 2022) == {"R-STRUCTURE.period": ("核实", message)}


def test_period_near_misses():
    other_dates = {"（二）依申请公开。": "（二）依申请公开。据统计，2022年3月1日至3月15日集中受理申请。"}
    assert found(lines_of(2022, replace=other_dates), 2022) == {}
    for text in ("2022年1月1日至12月31日", "2022年1月1日起至2022年12月31日止", "２０２２年１月１日至２０２２年１２月３１日"):
        assert found(lines_of(2022, replace={"2022年1月1日至2022年12月31日": text}), 2022) == {}


def test_format_notice_against_the_year():
    old = "按国办公开办函〔2019〕60号的格式编制。"
    new = "按国办公开办函〔2021〕30号的格式编制。"
    assert found(lines_of(2022, replace={"编制。": old}), 2022) == {
        "R-STRUCTURE.basis": (
            "核实",
            "引用了国办公开办函〔2019〕60号（《中华人民共和国政府信息公开工作年度报告格式（试行）》），2022年度的报告应采用国办公开办函〔2021〕30号的格式",
        )
    }
    assert found(lines_of(2020, replace={"编制。": new}), 2020)["R-STRUCTURE.basis"][0] == "核实"
    assert found(lines_of(2022, replace={"编制。": new}), 2022) == {}
    assert found(lines_of(2020, replace={"编制。": old}), 2020) == {}
    assert found(lines_of(2022, replace={"编制。": "依据国办公开办函[2021]30号。"}), 2022) == {}


def test_misspelt_terms_and_broken_enumeration_are_hints():
    lines = lines_of(replace={"三是栏目更新慢": "三是栏目更新慢，转结申请较多", "二是答复不够规范": "三是答复不够规范"})
    got = found(lines)
    assert got == {
        "R-STRUCTURE.wording": (
            "提示",
            "列举的序号不连续：“一是…三是”（在“三是答复不够规范。…”处）；“三是栏目更新慢，转结申请较多。”中的“转结”应为“结转”",
        )
    }
    f = structure_findings(lines, report())[0]
    assert f.severity is Severity.HINT and not f.is_open


def test_transfer_settlement_is_no_misspelling():
    assert found(lines_of(replace={"二是及时更新。": "二是及时更新中转结算信息。"})) == {}


def test_enumeration_restarts_after_a_heading():
    # "一是…二是" in （一）, then "一是…二是" again in （二）: in order
    assert "R-STRUCTURE.wording" not in found(lines_of())
    # "一是…三是…三是"
    lines = lines_of(replace={"二是答复不够规范": "三是答复不够规范"})
    assert "“一是…三是”" in found(lines)["R-STRUCTURE.wording"][1]


def test_the_official_terms_are_the_formats_words():
    for spec in all_formats():
        words = "".join(lb.text for t in spec.tables for lb in t.labels) + "".join(spec.headings)
        for _, right in MISSPELT:
            assert right in words


def _sample() -> str:
    if not SAMPLE.exists():
        pytest.skip(f"the published sample is not here ({SAMPLE})")
    return SAMPLE.read_text(encoding="utf-8")


def test_the_sample_imports_without_structure_finding(tmp_path):
    from gkxl.importers import import_file

    p = tmp_path / "r.txt"
    p.write_text(_sample(), encoding="utf-8")
    assert [f for f in import_file(p).findings if f.rule == "R-STRUCTURE"] == []


def test_import_and_check_of_a_published_report_find_its_structure(tmp_path):
    from gkxl.intake import check_path

    text = "示例区示例局2023年政府信息公开工作年度报告\n" + _sample()  # the year from the title: the period is wrong
    text = text.replace("\n四、政府信息公开行政复议、行政诉讼情况\n", "\n四、政府信息公开行政法复议、行政诉讼情况\n", 1)
    text = text.replace("统计期限为2023年1月1日至2023年12月31日", "统计期限为2023年1月1日至2023年12月20日", 1)
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    result, _ = check_path(p)
    keys = sorted(f.key for f in result.findings if f.rule == "R-STRUCTURE")
    assert keys == ["R-STRUCTURE.headings", "R-STRUCTURE.period"]
    assert all(f.file == str(p) for f in result.findings)

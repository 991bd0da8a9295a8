"""Requirement packs (R-REQUIREMENT, `--requirements`): a pack with every kind of item on a report that meets it and on
reports that miss each item once; the shipped packs; broken packs named by their line (exit 2, one Chinese line)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from importers.shapes import report_html
from workbook_helpers import check_json, cli, findings_of, write_workbook

from gkxl.errors import InputError
from gkxl.findings import Severity
from gkxl.model import Report
from gkxl.packs import load_pack, parse_pack, shipped
from gkxl.rules import run_rules
from gkxl.rules.requirements import evaluate

PACK = """\
# every kind of item
name = "测试清单"
notice = "测试通知〔2025〕1号"

[[item]]
id = "解读"
section = "overview.active"
text = "应写明政策解读和回应关切"
keywords = ["政策解读", ["回应关切", "回应社会关切"]]
severity = "核实"

[[item]]
id = "新媒体条数"
section = "overview.active"
text = "应写明政务新媒体发布条数"
number = ["政务新媒体", "新媒体"]
units = ["条"]
severity = "强制"

[[item]]
id = "公报期数"
section = "overview.platforms"
text = "应写明公报期数"
number = ["公报"]
units = ["期"]

[[item]]
id = "篇幅"
section = "一"
text = "不超过300字"
max_chars = 300
severity = "提示"

[[item]]
id = "其他事项"
section = ["六"]
text = "应写明其他事项"
min_chars = 10
"""

MEETS = {
    "overview.active": "全年发布政策解读12篇，回应社会关切8次；通过政务新媒体发布信息1,200余条。",
    "overview.requests": "依法办理申请。",
    "overview.management": "严格审查。",
    "overview.platforms": "编发12期政府公报。",
    "overview.oversight": "纳入考核。",
    "other_matters": "本年度未收取信息处理费，无其他事项。",
}
# Each item missed once, by the smallest change that misses it (item id → sections replaced).
MISSES = {
    "解读": {"overview.active": "全年发布政策解读12篇；通过政务新媒体发布信息1,200余条。"},
    "新媒体条数": {"overview.active": "全年发布政策解读12篇，回应关切8次；政务新媒体账号7个。"},
    "公报期数": {"overview.platforms": "编发政府公报。"},
    "篇幅": {"overview.oversight": "纳" * 300},
    "其他事项": {"other_matters": "无。"},
}


@pytest.fixture
def pack():
    return parse_pack(PACK, source="测试清单.toml")


def report(demo_report, sections: dict[str, str]) -> Report:
    return replace(demo_report, narrative={**demo_report.narrative, **MEETS, **sections})


def req(findings) -> dict[str, object]:
    return {f.key: f for f in findings if f.rule == "R-REQUIREMENT"}


def test_the_pack_is_read(pack):
    assert pack.name == "测试清单" and pack.notice == "测试通知〔2025〕1号"
    assert [i.kind for i in pack.items] == ["keywords", "number", "number", "max_chars", "min_chars"]
    assert pack.items[0].keywords == (("政策解读",), ("回应关切", "回应社会关切"))
    assert pack.items[2].severity is Severity.VERIFY  # the default
    assert pack.items[3].sections == ("overview.active", "overview.requests", "overview.management", "overview.platforms", "overview.oversight")
    assert pack.items[4].sections == ("other_matters",)
    assert [i.line for i in pack.items] == [5, 12, 20, 27, 34]


def test_a_report_meeting_the_pack_has_no_finding(demo_report, pack):
    assert req(run_rules(report(demo_report, {}), requirements=pack)) == {}


@pytest.mark.parametrize("item_id", list(MISSES))
def test_a_report_missing_one_item_has_that_finding_only(demo_report, pack, item_id):
    found = req(run_rules(report(demo_report, MISSES[item_id]), requirements=pack))
    assert list(found) == [f"R-REQUIREMENT.测试清单:{item_id}"]
    item = next(i for i in pack.items if i.id == item_id)
    assert found[f"R-REQUIREMENT.测试清单:{item_id}"].severity is item.severity


def test_messages_say_what_is_missing(demo_report, pack):
    def message(item_id):
        return req(run_rules(report(demo_report, MISSES[item_id]), requirements=pack))[f"R-REQUIREMENT.测试清单:{item_id}"].message

    assert message("解读") == "测试通知〔2025〕1号要求一、总体情况（一）主动公开应写明政策解读和回应关切：未写到“回应关切”或“回应社会关切”"
    assert message("新媒体条数").endswith("：未写明“政务新媒体”或“新媒体”的数量（如“政务新媒体……N条”）")
    assert message("篇幅") == "测试通知〔2025〕1号要求一、总体情况不超过300字：共 355 字（按汉字和数字计，不计标题、标点和空白），超过 300 字"
    assert message("其他事项").endswith("：共 1 字，少于 10 字")


@pytest.mark.parametrize("text, met", [
    ("通过政务新媒体发布信息1,200余条。", True),
    ("通过政务新媒体发布信息一千二百条。", True),  # a number in Chinese numerals
    ("政务新媒体账号7个。", False),  # another unit
    ("政务新媒体运行平稳。发布信息100条。", False),  # the number is in another sentence
    ("新媒体\n发布信息 35 条。", True),  # a line break and spaces as a PDF gives them
    ("发布100条政务新媒体信息。", True),  # number and unit just before the noun
    ("发布100条，另有政务新媒体。", False),  # ... but not across a comma
    ("政务新媒体运行平稳，编印《工作简报》12条。", False),  # nor past a title: it names another object
])
def test_number_items_at_their_edges(demo_report, pack, text, met):
    item = pack.items[1]
    assert evaluate(replace(demo_report, narrative={"overview.active": text}), item)[0] is met


def test_the_same_pack_on_a_workbook_and_an_imported_report(demo_report, pack, tmp_path: Path):
    pack_file = tmp_path / "测试清单.toml"
    pack_file.write_text(PACK, encoding="utf-8")
    bad = report(demo_report, {**MISSES["新媒体条数"], **MISSES["公报期数"]})
    page = tmp_path / "r.html"
    page.write_text(report_html(bad), encoding="utf-8")
    for f in (write_workbook(bad, tmp_path / "r.xlsx"), page):
        _, doc = check_json(f, "--requirements", pack_file)
        found = {k: v for k, v in findings_of(doc).items() if k.startswith("R-REQUIREMENT")}
        assert sorted(found) == ["R-REQUIREMENT.测试清单:公报期数", "R-REQUIREMENT.测试清单:新媒体条数"], f
        assert found["R-REQUIREMENT.测试清单:新媒体条数"]["severity"] == "强制"
        if f.suffix == ".xlsx":
            assert (found["R-REQUIREMENT.测试清单:公报期数"]["sheet"], found["R-REQUIREMENT.测试清单:公报期数"]["cell"]) == ("正文", "B6")


def test_a_pack_item_on_the_length_of_one_replaces_r_length(demo_report, tmp_path: Path):
    long = report(demo_report, {"overview.oversight": "纳" * 1001})
    assert "R-LENGTH.overview" in {f.key for f in run_rules(long)}
    wuwei = load_pack("武威2025")
    keys = {f.key for f in run_rules(long, requirements=wuwei)}
    assert "R-LENGTH.overview" not in keys and "R-REQUIREMENT.武威2025:篇幅" in keys


def test_an_explanation_of_a_requirement_without_the_pack_is_said(demo_report):
    r = replace(report(demo_report, {}), explanations={"R-REQUIREMENT.测试清单:解读": "本单位本年度未发布政策解读文件"})
    (f,) = [f for f in run_rules(r) if f.rule == "R-EXPLANATION"]
    assert "只在提供要求清单（--requirements）时检查" in f.message


# The shipped packs --------------------------------------------------------------------------------------------


def test_shipped_packs_are_named_on_the_command_line():
    assert set(shipped()) == {"30号", "武威2025"}
    p30, wuwei = load_pack("30号"), load_pack("武威2025")
    assert p30.notice == "国办公开办函〔2021〕30号" and wuwei.notice == "武政办发〔2025〕54号"
    assert {i.id for i in wuwei.items} >= {"篇幅", "门户网站发布数", "新媒体发布数", "公报刊登数", "政策解读数", "回应关切数",
                                           "重点领域", "规章规范性文件", "公开平台", "专区", "公报期数", "数字公报"}


def test_wuwei_on_a_report_meeting_it(demo_report):
    r = replace(demo_report, narrative={
        **demo_report.narrative,
        "overview.active": "全年在政府门户网站公开信息1 234条，通过政务新媒体发布信息567条，在政府公报刊登文件12件，"
                           "发布政策解读20篇，回应社会关切15次；重点领域信息公开及时。",
        "overview.management": "本年制发行政规范性文件3件，废止1件，现行有效28件。",
        "overview.platforms": "维护政府网站1个、政务新媒体5个，建成政府信息公开专区，编发政府公报12期，上线数字公报。",
    })
    assert not [f for f in run_rules(r, requirements=load_pack("武威2025")) if f.rule == "R-REQUIREMENT"]


def test_a_pack_for_another_format_says_it_was_not_applied():
    r = Report("2019", 2020, "示例局", narrative={"overview.active": "文字。"})
    (f,) = [f for f in run_rules(r, requirements=load_pack("30号")) if f.rule == "R-REQUIREMENT"]
    assert f.key == "R-REQUIREMENT.30号:适用范围" and f.severity is Severity.HINT


# Broken packs ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("change, message", [
    (("notice = \"测试通知〔2025〕1号\"", "notice = \"测试通知"), "第3行第15列：不是有效的 TOML"),
    (("severity = \"核实\"", "severity = \"核实\"\ncolour = \"红\""), "第11行：条目中未知的键“colour”"),
    (("section = \"overview.platforms\"", "section = \"二\""), "第22行：章节“二”无效"),
    (("severity = \"强制\"", "severity = \"严重\""), "第18行：严重程度“严重”无效"),
    (("id = \"公报期数\"", "id = \"解读\""), "第21行：条目编号“解读”与第6行的条目重复"),
    (("max_chars = 300", "max_chars = 300\nmin_chars = 1"), "第27行：条目“篇幅”应恰好有 keywords、number、max_chars、min_chars 中的一项（现在max_chars、min_chars）"),
    (("max_chars = 300", "max_chars = -1"), "第31行：max_chars 应为正整数"),
    (("keywords = [\"政策解读\", [\"回应关切\", \"回应社会关切\"]]", "keywords = [\"政策解读\", 3]"), "第9行：keywords 应为词语的列表"),
    (("name = \"测试清单\"", "name = \"测试 清单\""), "第2行：名称“测试 清单”不能含空格"),
    (("id = \"公报期数\"", "id = \"未核对\""), "第21行：条目编号不能是“未核对”"),
    (("units = [\"期\"]", "units = [\"期\"]\nunits = [\"条\"]"), "第26行第14列：不是有效的 TOML"),
])
def test_a_broken_pack_names_its_line(change, message):
    text = PACK.replace(*change, 1)
    assert text != PACK
    with pytest.raises(InputError) as exc:
        parse_pack(text, source="清单.toml")
    assert str(exc.value).startswith(f"清单.toml：{message}"), str(exc.value)


def test_a_pack_without_items():
    with pytest.raises(InputError, match="没有任何要求条目"):
        parse_pack('name = "甲"\nnotice = "乙"\n')


def test_broken_pack_on_the_command_line_is_one_line_and_exit_2(demo_report, tmp_path: Path):
    data = tmp_path / "r.json"
    from gkxl.model import report_to_json

    data.write_text(report_to_json(demo_report), encoding="utf-8")
    broken = tmp_path / "坏清单.toml"
    broken.write_text(PACK.replace("section = \"overview.platforms\"", "section = \"二\""), encoding="utf-8")
    result = cli("check", data, "--requirements", broken)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "坏清单.toml：第22行：章节“二”无效" in lines[0] and "Traceback" not in result.output
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes(PACK.encode("gb18030"))
    result = cli("check", data, "--requirements", gbk)
    assert result.exit_code == 2 and "第2行：要求清单应为 UTF-8 编码的 TOML 文件" in result.stderr
    result = cli("check", data, "--requirements", "不存在的清单")
    assert result.exit_code == 2 and "要求清单“不存在的清单”既不是内置的要求清单（30号、武威2025），也不是存在的文件" in result.stderr


@pytest.mark.parametrize("text", ["x = " + "[" * 100_000, "a" + ".b" * 20_000 + " = 1", "x = " + "[\n" * 3000])
def test_a_pack_nested_too_deep_is_one_chinese_line(tmp_path, demo_report, text):
    # tomllib's recursion (exit 3) and its memory on long dotted keys (the run killed) are never reached
    pack = tmp_path / "深.toml"
    pack.write_text(text, encoding="utf-8")
    data = tmp_path / "r.json"
    from gkxl.model import report_to_json

    data.write_text(report_to_json(demo_report), encoding="utf-8")
    r = cli("check", data, "--requirements", pack)
    assert r.exit_code == 2 and "嵌套层数过多" in r.output and "内部错误" not in r.output, r.output

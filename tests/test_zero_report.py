"""零报告 (issue 17, part 3): the two declarations of 基本信息, through every adapter.

A unit that received no application and had no 复议/诉讼 chooses 是 and leaves 表三/表四 blank: `gkxl check`
passes, `gkxl report` prints 0 in every cell of those tables and drafts the standard sentences, `gkxl draft` says
them. One number other than 0 in a declared table is R-DECLARATION (强制) naming the cell. Without a declaration a
blank is still R-MISSING. JSON carries `no_applications` / `no_appeals` both ways. The cell ids, sentences and
labels expected here are typed from data-contract.md and the issue, not taken from gkxl.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from workbook_helpers import check_json, cli, findings_of, openpyxl_edit, write_workbook

from gkxl.excel.reader import read_workbook
from gkxl.formats import get_format
from gkxl.formats.layout import declaration_address, field_address
from gkxl.model import Report, report_from_dict, report_from_json, report_to_dict, report_to_json
from gkxl.rules.engine import run_rules

NONE_RECEIVED = "本年度未收到政府信息公开申请，无上年结转申请。"
NONE_APPEALED = "本年度未发生因政府信息公开引起的行政复议和行政诉讼。"
STATEMENTS = {
    "no_applications": "本年度未收到政府信息公开申请，无上年结转",
    "no_appeals": "本年度无政府信息公开行政复议、行政诉讼",
}
TABLE_OF = {"no_applications": "sec3", "no_appeals": "sec4"}
YEARS = {"2021": 2025, "2019": 2020}


def ids(fmt: str, table: str) -> list[str]:
    spec = get_format(fmt)
    return [c for c in spec.inputs if c.startswith(table + ".")]


def zero_unit(demo: Report, fmt: str = "2021", *, declared=("no_applications", "no_appeals"), **values) -> Report:
    """A 乡镇 with nothing to report: 表二 filled (the demo's, or 0 in the 2019 format), 表三 and 表四 blank except
    `values`, the declarations made, （二）依申请公开 left empty (so the report drafts it)."""
    if fmt == "2021":
        base = {c: v for c, v in demo.values.items() if c.startswith("sec2.")}
        narrative = {k: v for k, v in demo.narrative.items() if k != "overview.requests"}
        meta = dict(demo.meta, issued_on=f"{YEARS[fmt] + 1}-01-20")
    else:
        base = {c: 0 for c in ids(fmt, "sec2")}
        narrative, meta = {}, {}
    base.update({k.replace("__", "."): v for k, v in values.items()})
    return Report(fmt, YEARS[fmt], "示例市示例区某某镇人民政府", base, narrative, {}, meta, frozenset(declared))


def workbook(report: Report, path: Path) -> Path:
    return write_workbook(report, path)


# ------------------------------------------------------------------------------------------ the template


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_the_template_asks_both_declarations_with_a_drop_down(tmp_path, fmt):
    import openpyxl

    path = write_workbook(Report(fmt, YEARS[fmt], "某镇"), tmp_path / "模板.xlsx")
    ws = openpyxl.load_workbook(path)["基本信息"]
    spec = get_format(fmt)
    for key, statement in STATEMENTS.items():
        addr = declaration_address(spec, key)
        assert ws.cell(addr.row + 1, 1).value == statement
        assert ws.cell(addr.row + 1, 2).value is None  # not declared until the filer chooses 是
        assert not ws.cell(addr.row + 1, 2).protection.locked
        rules = [dv for dv in ws.data_validations.dataValidation if addr.a1 in dv.sqref]
        assert len(rules) == 1 and rules[0].type == "list" and rules[0].formula1 == '"是,否"'
        assert "0" in rules[0].prompt


# ------------------------------------------------------------------------------------------ check, report, draft


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_a_declared_workbook_with_blank_tables_passes(tmp_path, demo_report, fmt):
    path = workbook(zero_unit(demo_report, fmt), tmp_path / "零报告.xlsx")
    code, doc = check_json(path, "--year", str(YEARS[fmt]))
    found = findings_of(doc)
    assert [k for k in found if not k.startswith(("R-TEXT", "R-PLACEHOLDER", "R-LENGTH"))] == [], found
    assert code == 0 and doc["files"][0]["verdict"] == "通过"
    loaded = read_workbook(path)
    assert loaded.report.declared == {"no_applications", "no_appeals"}
    assert not any(c.startswith(("sec3.", "sec4.")) for c in loaded.report.values)  # blanks stay blanks in the data
    full = loaded.report.with_totals()
    assert all(full[c] == 0 for c in get_format(fmt).fields if c.startswith(("sec3.", "sec4.")))


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_the_report_prints_zeros_in_the_tables_and_drafts_the_sentences(tmp_path, demo_report, fmt):
    import docx

    path = workbook(zero_unit(demo_report, fmt), tmp_path / "零报告.xlsx")
    out = tmp_path / "年报.docx"
    result = cli("report", path, "-o", out)
    assert result.exit_code == 0, result.stdout + result.stderr
    doc = docx.Document(str(out))
    spec = get_format(fmt)
    for table_index, key in ((1, "sec3"), (2, "sec4")):
        table = doc.tables[table_index]
        numbers = [table.cell(fld.row, fld.col).text for fld in spec.table(key).fields]  # totals included
        assert numbers == ["0"] * len(spec.table(key).fields), key
    assert table.cell(0, 0).text.startswith("行政复议")  # the 表四 grid, read where the writer put it
    paragraphs = [p.text for p in doc.paragraphs]
    assert NONE_RECEIVED in paragraphs and NONE_APPEALED in paragraphs
    drafted = cli("draft", path)
    assert drafted.exit_code == 0 and NONE_RECEIVED in drafted.stdout and NONE_APPEALED in drafted.stdout


def test_only_the_declared_table_reads_as_zero(tmp_path, demo_report):
    """no_appeals alone: 表四 blank passes, 表三 blank is still R-MISSING cell by cell."""
    path = workbook(zero_unit(demo_report, declared=("no_appeals",)), tmp_path / "只声明表四.xlsx")
    code, doc = check_json(path)
    found = findings_of(doc)
    missing = {k.removeprefix("R-MISSING.") for k in found if k.startswith("R-MISSING.")}
    assert missing == set(ids("2021", "sec3")) and code == 1
    drafted = cli("draft", path)
    assert NONE_APPEALED in drafted.stdout and NONE_RECEIVED not in drafted.stdout and "表三尚未填完" in drafted.stdout


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_undeclared_blanks_stay_missing(tmp_path, demo_report, fmt):
    path = workbook(zero_unit(demo_report, fmt, declared=()), tmp_path / "未声明.xlsx")
    code, doc = check_json(path)
    found = findings_of(doc)
    missing = {k.removeprefix("R-MISSING.") for k in found if k.startswith("R-MISSING.")}
    assert missing == set(ids(fmt, "sec3")) | set(ids(fmt, "sec4"))
    assert code == 1 and not any(k.startswith("R-DECLARATION") for k in found)
    assert "R-MISSING.sec3.new_received.natural_person" in found
    import docx

    out = tmp_path / "年报.docx"
    assert cli("report", path, "-o", out).exit_code == 0  # 待核实 only: written, but no blank printed as 0
    spec = get_format(fmt)
    table = docx.Document(str(out)).tables[1]
    assert all(table.cell(f.row, f.col).text != "0" for f in spec.table("sec3").fields)


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_one_non_zero_cell_contradicts_the_declaration_naming_it(tmp_path, demo_report, fmt):
    report = zero_unit(demo_report, fmt, sec3__granted__research=1, sec3__new_received__research=1)
    path = workbook(report, tmp_path / "有申请.xlsx")
    code, doc = check_json(path)
    found = findings_of(doc)
    assert code == 1 and doc["files"][0]["verdict"].endswith("强制错误")
    f = found["R-DECLARATION.no_applications"]
    spec = get_format(fmt)
    named = ["sec3.new_received.research", "sec3.granted.research"]
    assert f["severity"] == "强制" and f["cells"] == named
    first, second = (field_address(spec, c) for c in named)
    assert (f["sheet"], f["cell"]) == ("表三", first.a1)
    assert first.a1 in f["message"] and second.a1 in f["message"] and "科研机构" in f["message"]
    assert STATEMENTS["no_applications"] in f["message"] and "（1）" in f["message"]
    assert "R-DECLARATION.no_appeals" not in found  # 表四 is blank: its declaration holds
    human = cli("check", path)
    assert "R-DECLARATION.no_applications" in human.stdout and "表三!" + first.a1 in human.stdout
    refused = cli("report", path, "-o", tmp_path / "年报.docx")
    assert refused.exit_code == 1 and not (tmp_path / "年报.docx").exists()
    # the annotated copy marks every cell the declaration is contradicted by, each with the finding as comment
    import openpyxl

    marked = tmp_path / "标注.xlsx"
    run = cli("check", path, "--annotate", marked)
    assert run.exit_code == 1 and marked.exists()
    ws = openpyxl.load_workbook(marked)["表三"]
    for addr in (first, second):
        assert ws[addr.a1].comment is not None and "R-DECLARATION.no_applications" in ws[addr.a1].comment.text, addr


def test_a_typed_zero_in_a_declared_table_is_no_contradiction(tmp_path, demo_report):
    path = workbook(zero_unit(demo_report, sec3__new_received__natural_person=0, sec4__review__upheld=0), tmp_path / "零.xlsx")
    code, doc = check_json(path)
    assert code == 0 and not any(k.startswith(("R-DECLARATION", "R-MISSING")) for k in findings_of(doc))


@pytest.mark.parametrize("typed", ["有", "=1=1", 1, "是\u3000", "是否"])
def test_a_declaration_neither_yes_nor_no_is_not_taken_and_said(tmp_path, demo_report, typed):
    path = workbook(zero_unit(demo_report, declared=()), tmp_path / "模板.xlsx")
    addr = declaration_address(get_format("2021"), "no_applications")
    edited = openpyxl_edit(path, tmp_path / "填报.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, typed))
    code, doc = check_json(edited)
    found = findings_of(doc)
    f = found["R-VALUE.no_applications"]
    assert f["severity"] == "强制" and (f["sheet"], f["cell"]) == ("基本信息", addr.a1)
    assert STATEMENTS["no_applications"] in f["message"]
    assert "R-MISSING.sec3.new_received.natural_person" in found  # not declared: blanks are not taken for 0


@pytest.mark.parametrize("typed", ["否", None, " 否 "])
def test_no_or_blank_is_no_declaration(tmp_path, demo_report, typed):
    path = workbook(zero_unit(demo_report), tmp_path / "模板.xlsx")
    addr = declaration_address(get_format("2021"), "no_applications")
    edited = openpyxl_edit(path, tmp_path / "填报.xlsx", lambda wb: wb[addr.sheet].__setitem__(addr.a1, typed))
    loaded = read_workbook(edited)
    assert loaded.report.declared == {"no_appeals"} and loaded.found == []


def test_a_template_made_before_the_declarations_still_reads(tmp_path, demo_report):
    """Workbooks handed out before 基本信息 had the declarations (their fingerprint is the earlier one) read as before."""
    from gkxl.formats.layout import fingerprint, identity_address

    spec = get_format("2021")
    path = workbook(demo_report, tmp_path / "新.xlsx")
    old = fingerprint(spec, declarations=False)
    fp = identity_address("fingerprint")

    def edit(wb):
        wb[fp.sheet][fp.a1] = old
        for key in STATEMENTS:  # the rows below the metadata held the template's notes then
            addr = declaration_address(spec, key)
            wb[addr.sheet].cell(addr.row + 1, 1).value = "报告格式：……"
            wb[addr.sheet][addr.a1] = "是"

    legacy = openpyxl_edit(path, tmp_path / "旧模板.xlsx", edit)
    loaded = read_workbook(legacy)
    assert loaded.found == [] and loaded.report.declared == frozenset()
    assert loaded.report.values == demo_report.values
    forged = openpyxl_edit(path, tmp_path / "改.xlsx", lambda wb: wb[fp.sheet].__setitem__(fp.a1, "0123456789abcdef"))
    code, doc = check_json(forged)
    assert code == 2 and "模板结构标识不符" in doc["files"][0]["error"]


# ------------------------------------------------------------------------------------------ the core


def test_nowhere_else_is_a_blank_zero(demo_report):
    values = {c: v for c, v in demo_report.values.items() if c != "sec2.licensing.decisions" and not c.startswith("sec3.")}
    report = dataclasses.replace(demo_report, values=values, declared=frozenset({"no_applications"}))
    full = report.with_totals()
    assert "sec2.licensing.decisions" not in full and full["sec3.granted.natural_person"] == 0
    keys = {f.key for f in run_rules(report)}
    assert "R-MISSING.sec2.licensing.decisions" in keys
    assert not any(k.startswith("R-MISSING.sec3.") for k in keys)


# ------------------------------------------------------------------------------------------ JSON


def test_export_and_fill_carry_the_declarations(tmp_path, demo_report):
    path = workbook(zero_unit(demo_report), tmp_path / "零报告.xlsx")
    out = tmp_path / "零报告.json"
    assert cli("export", path, "-o", out).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["no_applications"] is True and doc["no_appeals"] is True
    assert not any(k in doc["values"] for k in ids("2021", "sec3") + ids("2021", "sec4"))  # no zero invented
    assert doc["values"]["sec3.results_total.total"] == 0  # totals computed as the declaration reads the table
    blank = write_workbook(Report("2021", YEARS["2021"], "示例市示例区某某镇人民政府"), tmp_path / "模板.xlsx")
    filled = tmp_path / "已填.xlsx"
    result = cli("fill", blank, "--data", out, "-o", filled)
    assert result.exit_code == 0, result.stdout + result.stderr
    loaded = read_workbook(filled)
    assert loaded.report.declared == {"no_applications", "no_appeals"}
    assert not any(c.startswith(("sec3.", "sec4.")) for c in loaded.report.values)
    code, checked = check_json(filled)
    assert code == 0, findings_of(checked)
    # check and report read the JSON itself the same way
    code, checked = check_json(out)
    assert code == 0, findings_of(checked)
    assert cli("report", out, "-o", tmp_path / "从JSON.docx").exit_code == 0


def test_check_reads_a_declared_json_with_a_contradiction(tmp_path, demo_report):
    data = report_to_dict(zero_unit(demo_report))
    data["values"]["sec4.litigation_direct.pending"] = 2
    del data["values"]["sec4.litigation_direct.total"], data["values"]["sec4.review.total"], data["values"]["sec4.litigation_after_review.total"]
    path = tmp_path / "矛盾.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, doc = check_json(path)
    f = findings_of(doc)["R-DECLARATION.no_appeals"]
    assert code == 1 and f["cells"] == ["sec4.litigation_direct.pending"] and "（2）" in f["message"]
    # a total given in the JSON is a value of the table too (data-contract.md: "a non-zero sec4 value contradicts it")
    data["values"]["sec4.litigation_direct.pending"] = 0
    data["values"]["sec4.review.total"] = 3
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, doc = check_json(path)
    found = findings_of(doc)
    assert code == 1 and found["R-DECLARATION.no_appeals"]["cells"] == ["sec4.review.total"] and "R-SEC4-TOTAL.review" in found


@pytest.mark.parametrize("bad", ["是", 1, "true", None])
def test_a_declaration_must_be_a_json_boolean(tmp_path, demo_report, bad):
    data = report_to_dict(demo_report)
    data["no_applications"] = bad
    path = tmp_path / "数据.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, doc = check_json(path)
    if bad is None:  # null: absent
        assert code == 0
        return
    assert code == 2 and "no_applications" in doc["files"][0]["error"] and "true 或 false" in doc["files"][0]["error"]


def test_false_is_absent(demo_report):
    data = report_to_dict(demo_report)
    assert "no_applications" not in data and "no_appeals" not in data
    data["no_applications"] = False
    assert report_from_dict(data)[0] == report_from_dict(report_to_dict(demo_report))[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fmt=hs.sampled_from(["2021", "2019"]),
    declared=hs.sets(hs.sampled_from(sorted(STATEMENTS))),
    data=hs.data(),
)
def test_json_round_trip_keeps_declarations_and_values(fmt, declared, data):
    spec = get_format(fmt)
    inputs = list(spec.inputs)
    kept = data.draw(hs.sets(hs.sampled_from(inputs)), label="filled")
    values = {}
    for cid in kept:
        kind = spec.fields[cid].kind.value
        values[cid] = data.draw(hs.integers(-5, 5) if kind == "signed" else hs.integers(0, 50), label=cid)
    values = {c: (v if spec.fields[c].kind.value != "amount" else __import__("decimal").Decimal(v)) for c, v in values.items()}
    report = Report(fmt, YEARS[fmt], "某镇", values, declared=frozenset(declared))
    for totals in (True, False):
        back, found = report_from_json(report_to_json(report, totals=totals))
        assert found == []
        assert back.declared == report.declared
        assert back.with_totals() == report.with_totals()
        # what was typed comes back as typed: a declared blank is never written out as an invented 0
        assert {c: v for c, v in back.values.items() if spec.fields[c].is_input} == report.values
        # the declaration's findings are the same either side
        assert {f.key for f in run_rules(back)} == {f.key for f in run_rules(report)}
    contradicted = {c for c in values if values[c] != 0 and any(c in spec.declared_inputs[d] for d in declared)}
    assert all(spec.fields[c].is_input for c in values)  # (a given total is a value of its table too: tested above)
    keys = {f.key for f in run_rules(report)}
    for d in STATEMENTS:
        cells = {c for c in contradicted if c.startswith(TABLE_OF[d] + ".")}
        assert (f"R-DECLARATION.{d}" in keys) == bool(cells)
    missing = {k.removeprefix("R-MISSING.") for k in keys if k.startswith("R-MISSING.")}
    read_as_zero = {c for d in declared for c in spec.declared_inputs[d]}
    assert missing == set(inputs) - set(values) - read_as_zero


# ------------------------------------------------------------------------------------------ published reports


def test_a_published_report_saying_none_received_gets_no_invented_zeros(tmp_path):
    """A published text's sentence 本年度未收到政府信息公开申请 declares nothing: its blank table stays unread."""
    from gkxl.intake import load

    text = "\n".join([
        "示例市示例区某某镇人民政府2025年政府信息公开工作年度报告",
        "本报告数据统计期限为2025年1月1日至2025年12月31日。",
        "一、总体情况",
        "（二）依申请公开",
        NONE_RECEIVED + NONE_APPEALED,
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "无。",
    ])
    path = tmp_path / "某某镇年报.txt"
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    assert loaded.report.declared == frozenset()
    assert not any(c.startswith(("sec3.", "sec4.")) for c in loaded.report.with_totals())
    assert "no_applications" not in report_to_dict(loaded.report)


# ------------------------------------------------------------------------------------------ collect


def test_collect_marks_the_unit_and_sums_its_blanks_as_zero(tmp_path, demo_report):
    """The office's round: the 零报告 unit passes, is marked 零报告 (console, 状态.xlsx, summary.json), and its blank
    表三/表四 count as 0 in the 汇总 (which stays complete)."""
    import openpyxl

    from collect_helpers import consistent, roster_csv

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    zero = dataclasses.replace(zero_unit(demo_report), year=2023, meta={"issued_on": "2024-01-20"})
    other = consistent("示例市示例区人力资源和社会保障局", 7)
    write_workbook(zero, inbox / "某某镇.xlsx")
    write_workbook(other, inbox / "人社局.xlsx")
    roster = roster_csv(tmp_path / "名单.csv", [zero.agency, other.agency])
    out = tmp_path / "汇总输出"
    result = cli("collect", inbox, "--roster", roster, "--year", "2023", "-o", out)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert "零报告" in result.stdout
    summary = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
    units = {u["unit"]: u for u in summary["units"]}
    assert units[zero.agency]["status"] == "通过" and units[zero.agency]["zero_report"] == ["no_appeals", "no_applications"]
    assert STATEMENTS["no_applications"] in units[zero.agency]["note"]
    assert units[other.agency]["zero_report"] == [] and "零报告" not in units[other.agency]["note"]
    assert summary["complete"] and summary["incomplete_cells"] == []
    status = openpyxl.load_workbook(out / "汇总" / "状态.xlsx")
    notes = [c.value for ws in status.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "零报告：" in c.value]
    assert notes and STATEMENTS["no_appeals"] in notes[0]
    summed = read_workbook(out / "汇总" / "汇总数据.xlsx").report
    assert summed.values["sec3.new_received.natural_person"] == other.values["sec3.new_received.natural_person"]
    assert summed.values["sec2.licensing.decisions"] == other.values["sec2.licensing.decisions"] + zero.values["sec2.licensing.decisions"]


@settings(max_examples=25, deadline=None)
@given(
    fmt=hs.sampled_from(["2021", "2019"]),
    declared=hs.sets(hs.sampled_from(sorted(STATEMENTS))),
    data=hs.data(),
)
def test_workbook_round_trip_keeps_declarations_and_blanks(fmt, declared, data):
    """gkxl's workbook written from a report and read back: the declarations, what was typed and what was left blank."""
    import tempfile

    from gkxl.excel.writer import build_workbook

    spec = get_format(fmt)
    table_cells = [c for c in spec.inputs if c.startswith(("sec3.", "sec4."))]
    typed = data.draw(hs.sets(hs.sampled_from(table_cells), max_size=6), label="typed")
    values = {c: 0 for c in spec.inputs if c.startswith("sec2.") and spec.fields[c].kind.value == "count"}
    values.update({c: data.draw(hs.integers(0, 3), label=c) for c in sorted(typed)})
    report = Report(fmt, YEARS[fmt], "某镇", values, declared=frozenset(declared))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "年报.xlsx"
        path.write_bytes(build_workbook(report, lock_agency=True))
        back = read_workbook(path).report
    assert back.declared == report.declared and back.values == report.values
    assert back.with_totals() == report.with_totals()

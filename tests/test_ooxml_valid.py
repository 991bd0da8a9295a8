"""Every package gkxl writes passes an OOXML schema validator (openxml-audit, the Open XML SDK's schemas in Python).

One parametrised test over every kind of output: blank templates (both formats, single and --roster), a filled
workbook, an annotated copy with comments, collect's status workbook, 汇总数据 and reports, Word reports (final,
draft, from a restyled reference), a workbook written by import, and the bundled reference document. Each is made
through the real command line; the validator's errors (not its app-compat warnings) must be none.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.word.reference import bundled_reference

openxml_audit = pytest.importorskip("openxml_audit", reason="openxml-audit is a test dependency: pip install '.[test]'")

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "gkxl" / "data" / "demo_2023.json"
AGENCY = "示例市示例区人力资源和社会保障局"


def gkxl(*args) -> None:
    result = CliRunner().invoke(app, [str(a) for a in args], prog_name="gkxl")
    assert result.exit_code in (0, 1), result.output


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """One file of every kind gkxl writes, made through the command line."""
    tmp = tmp_path_factory.mktemp("outputs")
    out: dict[str, Path] = {}
    gkxl("template", "--agency", AGENCY, "--year", 2023, "-o", tmp / "模板2021.xlsx")
    out["template-2021"] = tmp / "模板2021.xlsx"
    gkxl("template", "--year", 2020, "--format", "2019", "-o", tmp / "模板2019.xlsx")
    out["template-2019"] = tmp / "模板2019.xlsx"
    roster = tmp / "名单.csv"
    roster.write_text(f"单位名称\n{AGENCY}\n示例区教育局\n", encoding="utf-8")
    gkxl("template", "--roster", roster, "--year", 2023, "-o", tmp / "批量")
    out["template-roster"] = sorted((tmp / "批量").glob("*.xlsx"))[0]
    gkxl("fill", out["template-2021"], "--data", DEMO, "-o", tmp / "已填.xlsx")
    out["filled"] = tmp / "已填.xlsx"
    # A workbook with findings, so that the annotated copy carries fills and comments (VML, comments parts).
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["values"]["sec3.new_received.natural_person"] = data["values"].get("sec3.new_received.natural_person", 0) + 3
    wrong = tmp / "有误.json"
    wrong.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    gkxl("fill", out["template-2021"], "--data", wrong, "-o", tmp / "有误.xlsx")
    gkxl("check", tmp / "有误.xlsx", "--annotate", tmp / "标注.xlsx")
    out["annotated"] = tmp / "标注.xlsx"
    import zipfile

    with zipfile.ZipFile(out["annotated"]) as z:
        assert any("comments" in n for n in z.namelist()), "the annotated copy should carry comments"
    inbox = tmp / "收件箱"
    inbox.mkdir()
    shutil.copy(out["filled"], inbox / "人社局.xlsx")
    gkxl("collect", inbox, "--roster", roster, "--year", 2023, "-o", tmp / "汇总输出")
    out["collect-status"] = tmp / "汇总输出" / "汇总" / "状态.xlsx"
    out["collect-summary-workbook"] = tmp / "汇总输出" / "汇总" / "汇总数据.xlsx"
    out["collect-summary-report"] = tmp / "汇总输出" / "汇总" / "汇总报告.docx"
    out["collect-unit-report"] = next((tmp / "汇总输出" / "单位报告").glob("*.docx"))
    gkxl("report", out["filled"], "-o", tmp / "报告.docx")
    out["report"] = tmp / "报告.docx"
    gkxl("report", tmp / "有误.xlsx", "--draft", "-o", tmp / "草稿.docx")
    out["report-draft"] = tmp / "草稿.docx"
    gkxl("report", DEMO, "--fonts", "fangsong=仿宋,kaiti=楷体", "-o", tmp / "换字体.docx")
    out["report-fonts"] = tmp / "换字体.docx"
    gkxl("import", out["report"], "-o", tmp / "导入.xlsx")
    out["imported-workbook"] = tmp / "导入.xlsx"
    out["reference"] = bundled_reference()
    from gkxl.office import convert, find_soffice

    if find_soffice() is not None:  # a reference re-saved by LibreOffice: its parts are copied into the report
        src = tmp / "样式参考.docx"
        src.write_bytes(bundled_reference().read_bytes())
        lo_reference = convert(src, "docx:MS Word 2007 XML", tmp / "lo")
        gkxl("report", DEMO, "--reference", lo_reference, "-o", tmp / "LibreOffice样式报告.docx")
        out["report-libreoffice-reference"] = tmp / "LibreOffice样式报告.docx"
    for kind, path in out.items():
        assert path.is_file(), f"{kind}: {path} was not written"
    return out


KINDS = [
    "template-2021", "template-2019", "template-roster", "filled", "annotated", "collect-status", "collect-summary-workbook",
    "collect-summary-report", "collect-unit-report", "report", "report-draft", "report-fonts", "imported-workbook", "reference",
    "report-libreoffice-reference",
]


@pytest.mark.parametrize("kind", KINDS)
def test_every_output_passes_the_ooxml_validator(outputs, kind):
    if kind not in outputs:
        pytest.skip(f"{kind}: LibreOffice (soffice) is not installed")
    result = openxml_audit.OpenXmlValidator(max_errors=0).validate(str(outputs[kind]))
    errors = [e for e in result.errors if e.severity == openxml_audit.ValidationSeverity.ERROR]
    listing = "\n".join(f"{e.part_uri} {e.path} {e.node}: {e.description}" for e in errors[:20])
    assert not errors, f"{kind}: {len(errors)} schema errors\n{listing}"


def test_the_validator_does_catch_a_wrong_child_order(outputs, tmp_path):
    """The validator is not a rubber stamp: the font order openpyxl writes by itself is flagged."""
    import zipfile

    bad = tmp_path / "字体顺序.xlsx"
    with zipfile.ZipFile(outputs["annotated"]) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/styles.xml":
                data = data.replace(b"<font><sz ", b"<font><name val=\"X\"/><sz ", 1)
            zout.writestr(name, data)
    result = openxml_audit.OpenXmlValidator(max_errors=0).validate(str(bad))
    assert any("Unexpected element" in e.description for e in result.errors), [e.description for e in result.errors]

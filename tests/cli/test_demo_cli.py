"""gkxl demo: the whole round on the built-in sample writes every file, and they agree with each other."""

from __future__ import annotations

import json

from docx import Document
from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.model import report_from_json

runner = CliRunner()


def test_demo_writes_the_round_and_the_files_agree(tmp_path, demo_report):
    out = tmp_path / "演示"
    res = runner.invoke(app, ["demo", str(out)])
    assert res.exit_code == 0, res.output
    names = {p.name for p in out.iterdir()}
    assert {"1-空白填报模板.xlsx", "2-已填报.xlsx", "3-报告数据.json", "4-检查结果.json", "5-年度报告.docx", "上年数据-2022.json"} <= names
    exported, found = report_from_json((out / "3-报告数据.json").read_text(encoding="utf-8"))
    assert found == []
    assert exported.values == demo_report.with_totals()  # the workbook gave back exactly the sample's numbers
    assert exported.narrative == demo_report.narrative and exported.agency == demo_report.agency
    result = json.loads((out / "4-检查结果.json").read_text(encoding="utf-8"))
    assert result["verdict"] == "通过" and result["findings"] == []
    doc = Document(str(out / "5-年度报告.docx"))
    text = "".join(p.text for p in doc.paragraphs)
    assert "示例市示例区人力资源和社会保障局" in text and "2023年政府信息公开工作年度报告" in text
    assert "检查结论：通过" in res.output
    again = runner.invoke(app, ["demo", str(out)])
    assert again.exit_code == 2 and "--force" in again.output

"""`gkxl report` from the command line: refusal on 强制 findings, --draft, outputs, warnings, --pdf, --fonts."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gkxl.cli.app import app

DEMO = Path(__file__).resolve().parents[2] / "gkxl" / "data" / "demo_2023.json"
DEFAULT_NAME = "示例市示例区人力资源和社会保障局2023年政府信息公开工作年度报告.docx"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def demo_json(tmp_path) -> Path:
    p = tmp_path / "demo_2023.json"
    shutil.copy(DEMO, p)
    return p


def _variant(tmp_path: Path, name: str, change) -> Path:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    change(data)
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def _unbalanced(data):
    # 一 + 二 = 5 for 自然人 + …; 三（七）总计 + 四 now exceeds it: R-BALANCE (强制).
    data["values"]["sec3.carried_forward.natural_person"] = 3


def _xml(docx: Path, part: str) -> str:
    with zipfile.ZipFile(docx) as zf:
        return zf.read(part).decode("utf-8")


def _headers(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as zf:
        return [zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("word/") and "draft" in n and n.endswith(".xml")]


def test_demo_report_is_written_beside_the_input(runner, demo_json):
    before = hashlib.sha256(demo_json.read_bytes()).hexdigest()
    result = runner.invoke(app, ["report", str(demo_json)])
    assert result.exit_code == 0, result.output
    out = demo_json.parent / DEFAULT_NAME
    assert out.exists() and "已生成报告" in result.output
    doc = _xml(out, "word/document.xml")
    assert "三、收到和处理政府信息公开申请情况" in doc and "151.598" in doc
    assert not _headers(out)  # not a draft
    assert hashlib.sha256(demo_json.read_bytes()).hexdigest() == before  # the input is never modified


def test_unbalanced_report_is_refused_naming_the_rule(runner, tmp_path):
    src = _variant(tmp_path, "bad.json", _unbalanced)
    result = runner.invoke(app, ["report", str(src), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 1
    assert "R-BALANCE" in result.output and "强制" in result.output and "自然人" in result.output
    assert "--draft" in result.output
    assert not (tmp_path / "r.docx").exists()


def test_draft_writes_the_unbalanced_report_marked_on_every_page(runner, tmp_path):
    src = _variant(tmp_path, "bad.json", _unbalanced)
    out = tmp_path / "draft.docx"
    result = runner.invoke(app, ["report", str(src), "-o", str(out), "--draft"])
    assert result.exit_code == 0, result.output
    headers = _headers(out)
    assert len(headers) == 2 and all("草稿" in h for h in headers)  # odd and even page headers
    doc = _xml(out, "word/document.xml")
    assert doc.count('w:headerReference w:type="default"') == 1 and doc.count('w:headerReference w:type="even"') == 1
    assert "强制错误" in result.output and "草稿" in result.output


def test_existing_output_is_kept_without_force(runner, demo_json, tmp_path):
    out = tmp_path / "r.docx"
    out.write_bytes(b"keep me")
    result = runner.invoke(app, ["report", str(demo_json), "-o", str(out)])
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_bytes() == b"keep me"
    result = runner.invoke(app, ["report", str(demo_json), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(out)


def test_empty_sections_and_missing_fee_are_warned(runner, tmp_path):
    def change(data):
        data["narrative"].pop("overview.platforms")
        data["narrative"]["improvements"] = "  \n "
        data.pop("fee_yuan")

    src = _variant(tmp_path, "thin.json", change)
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["report", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "（四）政府信息公开平台建设" in result.output and "（二）改进情况" in result.output and "为空" in result.output
    assert "信息处理费" in result.output
    doc = _xml(out, "word/document.xml")
    assert "（四）政府信息公开平台建设" in doc and "（二）改进情况" in doc  # headings kept


def test_pdf_without_libreoffice_says_so_and_keeps_the_docx(runner, demo_json, tmp_path, monkeypatch):
    monkeypatch.setattr("gkxl.cli.report.find_soffice", lambda: None)
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["report", str(demo_json), "-o", str(out), "--pdf"])
    assert result.exit_code == 2
    assert "LibreOffice" in result.output and "未生成 PDF" in result.output
    assert out.exists() and not out.with_suffix(".pdf").exists()


def test_pdf_with_libreoffice(runner, demo_json, tmp_path, soffice):
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["report", str(demo_json), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = out.with_suffix(".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    result = runner.invoke(app, ["report", str(demo_json), "-o", str(out), "--pdf"])
    assert result.exit_code == 2  # neither file is overwritten without --force


def test_fonts_option_renames_fonts(runner, demo_json, tmp_path):
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["report", str(demo_json), "-o", str(out), "--fonts", "fangsong=仿宋，kaiti=楷体"])
    assert result.exit_code == 0, result.output
    styles = _xml(out, "word/styles.xml")
    assert 'w:eastAsia="仿宋"' in styles and 'w:eastAsia="楷体"' in styles and "_GB2312" not in styles
    conf = tmp_path / "fonts.toml"
    conf.write_text('[fonts]\nfangsong = "FangSong"\n', encoding="utf-8")
    out2 = tmp_path / "r2.docx"
    assert runner.invoke(app, ["report", str(demo_json), "-o", str(out2), "--fonts", str(conf)]).exit_code == 0
    assert 'w:eastAsia="FangSong"' in _xml(out2, "word/styles.xml")
    bad = runner.invoke(app, ["report", str(demo_json), "-o", str(tmp_path / "r3.docx"), "--fonts", "fangsong"])
    assert bad.exit_code == 2 and "fangsong=仿宋" in bad.output
    typo = runner.invoke(app, ["report", str(demo_json), "-o", str(tmp_path / "r3.docx"), "--fonts", "fangsog=仿宋"])
    assert typo.exit_code == 2 and "未知的字体角色" in typo.output and not (tmp_path / "r3.docx").exists()


def test_unusable_input_is_one_chinese_line(runner, tmp_path):
    missing = runner.invoke(app, ["report", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "文件不存在" in missing.output and "Traceback" not in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["report", str(broken)])
    assert result.exit_code == 2 and "JSON" in result.output


def test_reference_option_uses_an_office_copy(runner, demo_json, tmp_path):
    from gkxl.word.reference import bundled_reference

    ref = tmp_path / "office.docx"
    data = bundled_reference().read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(ref, "w") as zout:
        for name in zin.namelist():
            part = zin.read(name)
            if name == "word/styles.xml":
                part = part.replace('w:eastAsia="黑体"'.encode(), 'w:eastAsia="方正黑体_GBK"'.encode())
            zout.writestr(name, part)
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["report", str(demo_json), "-o", str(out), "--reference", str(ref)])
    assert result.exit_code == 0, result.output
    doc = _xml(out, "word/document.xml")
    assert 'w:eastAsia="方正黑体_GBK"' in doc  # the 一、 headings take the office's font
    missing = runner.invoke(app, ["report", str(demo_json), "-o", str(tmp_path / "x.docx"), "--reference", str(tmp_path / "no.docx")])
    assert missing.exit_code == 2 and "样式参考文档" in missing.output


def test_a_long_unit_name_gives_a_shortened_default_file_name(runner, tmp_path):
    agency = "示例市示例区" + "某" * 69  # 75 characters: 225 bytes, with the rest of the title over the name limit
    p = _variant(tmp_path, "长名称.json", lambda d: d.update(agency=agency))
    result = runner.invoke(app, ["report", str(p)])
    assert result.exit_code == 0, result.output
    expected = tmp_path / f"{agency[:60]}2023年政府信息公开工作年度报告.docx"
    assert expected.exists() and f"已生成报告：{expected}" in result.stdout
    assert agency in _xml(expected, "word/document.xml")  # only the file name is shortened, not the title

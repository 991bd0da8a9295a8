"""`gkxl report --pdf` where the official fonts are not installed: each role is set in a substitute of its kind (through
gkxl/data/substitute-fonts.conf), the PDF's faces differ by role, and the command says which substitutes it used.

Read from the PDF LibreOffice wrote, per text: the title (小标宋 → a bold serif), 一、 headings (黑体 → a bold sans),
（一） headings (楷体 → a Kai face), body text (仿宋 → a regular serif), table heads (黑体) and table text (仿宋).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from typer.testing import CliRunner

from faces import require_faces

from gkxl.cli.app import app
from gkxl.office import find_soffice
from gkxl.word.pdf import installed_families

pytestmark = pytest.mark.render
DEMO = Path(__file__).resolve().parents[2] / "gkxl" / "data" / "demo_2023.json"
OFFICIAL = ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体")


@pytest.fixture(scope="module")
def made(tmp_path_factory, artifacts_dir):
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui")
    families = installed_families()
    if families is None:
        pytest.skip("fontconfig's fc-list is not installed: fonts cannot be substituted here")
    if any(f in families for f in OFFICIAL):
        pytest.skip(f"official fonts are installed here ({', '.join(f for f in OFFICIAL if f in families)}): nothing to substitute")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (poppler-utils)")
    require_faces("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN")
    tmp = tmp_path_factory.mktemp("pdf-fonts")
    target = tmp / "报告.docx"
    result = CliRunner().invoke(app, ["report", str(DEMO), "-o", str(target), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = target.with_suffix(".pdf")
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "2", str(pdf), str(artifacts_dir / "report-substitute-fonts")], check=True)
    return result.output, pdf


@pytest.fixture(scope="module")
def artifacts_dir():
    path = Path(__file__).resolve().parents[1] / "_artifacts"  # as tests/conftest.py's artifacts fixture
    path.mkdir(parents=True, exist_ok=True)
    return path


def _face(name: str) -> str:
    return name.split("+", 1)[-1]  # without the subset tag


def _faces(pdf: Path) -> dict[str, set[str]]:
    """Font faces by role, from the words of the PDF."""
    roles: dict[str, set[str]] = {k: set() for k in ("title", "h1", "h2", "body", "table_head", "table_text")}
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for w in page.extract_words(extra_attrs=["fontname", "size"]):
                text, size, face = w["text"], round(w["size"], 1), _face(w["fontname"])
                if size == 22.0:
                    roles["title"].add(face)
                elif size == 16.0 and re.match(r"^[一二三四五六]、", text):
                    roles["h1"].add(face)
                elif size == 16.0 and re.match(r"^（[一二三四五六]）", text):
                    roles["h2"].add(face)
                elif size == 16.0 and len(text) >= 12:
                    roles["body"].add(face)
                elif size == 10.5 and text in ("信息内容", "本年制发件数", "本年处理决定数量"):
                    roles["table_head"].add(face)
                elif size == 10.5 and text in ("规章", "行政规范性文件", "行政许可", "行政处罚"):
                    roles["table_text"].add(face)
    return roles


def test_each_role_has_a_face_of_its_kind_and_the_faces_differ(made):
    _, pdf = made
    roles = _faces(pdf)
    for role, faces in roles.items():
        assert len(faces) == 1, f"{role}: {faces}"
    face = {role: next(iter(faces)) for role, faces in roles.items()}
    assert "Serif" in face["title"] and "Bold" in face["title"], face  # 小标宋: a heavy serif
    assert "Sans" in face["h1"] and "Bold" in face["h1"], face  # 黑体: a bold sans
    assert "Kai" in face["h2"], face  # 楷体
    assert "Serif" in face["body"] and "Bold" not in face["body"], face  # 仿宋: a regular serif
    assert len({face["title"], face["h1"], face["h2"], face["body"]}) == 4, face
    assert face["table_head"] == face["h1"] and face["table_text"] == face["body"], face  # the same roles in the tables
    assert face["table_head"] != face["table_text"]


def test_the_substitutes_are_named_in_one_chinese_line(made):
    output, _ = made
    lines = [line for line in output.splitlines() if "替代字体" in line]
    assert len(lines) == 1, output
    line = lines[0]
    assert line.startswith("提示：本机未安装这些公文字体，PDF 中用替代字体排版（Word 报告仍使用原字体）：")
    for asked, used in (("方正小标宋简体", "Bold"), ("黑体", "Sans"), ("楷体_GB2312", "Kai"), ("仿宋_GB2312", "Serif")):
        assert re.search(re.escape(asked) + r" → [^；]*" + used, line), (asked, line)


def test_an_installed_font_keeps_its_name_and_is_not_substituted(tmp_path):
    from gkxl.word.pdf import substitution_config

    conf = substitution_config(["黑体", "仿宋_GB2312"], {"黑体"}, tmp_path)
    text = conf.read_text(encoding="utf-8")
    assert "<string>仿宋_GB2312</string>" in text and "<string>黑体</string>" not in text
    assert substitution_config(["黑体"], {"黑体"}, tmp_path) is None


def test_a_role_without_a_face_of_its_kind_is_named_with_the_package_that_brings_one(tmp_path):
    # a machine with the Noto CJK faces but no Kai face (fonts-arphic-ukai not installed): 楷体 is set in another
    # kind of face, and the line says so and names the package; with a Kai face nothing more is said
    from gkxl.word.pdf import font_environment, substitutes_line
    from gkxl.word.writer import build_report
    from word_reports import demo

    docx = tmp_path / "报告.docx"
    docx.write_bytes(build_report(demo()))
    without_kai = {"Noto Serif CJK SC", "Noto Sans CJK SC", "DejaVu Serif", "Liberation Serif"}
    _, substitutes, missing = font_environment(docx, tmp_path, installed=without_kai)
    assert {(asked, kind, package) for asked, kind, package in missing} >= {("楷体_GB2312", "楷体类", "fonts-arphic-ukai")}
    assert all(kind == "楷体类" for _, kind, _ in missing), missing
    line = substitutes_line(substitutes, missing)
    assert line.count("\n") == 0
    assert "本机也没有楷体类字体，楷体_GB2312" in line and "安装 fonts-arphic-ukai" in line
    _, _, none_missing = font_environment(docx, tmp_path, installed=without_kai | {"AR PL UKai CN"})
    assert none_missing == []

"""The report as PDF, converted by LibreOffice where installed (private profile and timeout: gkxl.office).

Where the official 公文 fonts (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体 …) are not installed, fontconfig would set
every one of them in the same fallback face. gkxl ships gkxl/data/substitute-fonts.conf, which replaces each by a
free face of its kind (serif for 仿宋/宋体, bold sans for 黑体, Kai for 楷体, heavy serif for 小标宋); before the
conversion the rules for fonts that are installed are left out (an installed font is always used as it is), and
the substitutes actually chosen are reported to the caller so the user is told. The .docx keeps the real names.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..fsio import write_bytes
from ..office import convert

SUBSTITUTES_CONF = Path(__file__).resolve().parents[1] / "data" / "substitute-fonts.conf"


# The kinds of face the substitutes ask for, by the face that heads each kind in substitute-fonts.conf: what the
# kind is called, and the Debian/Ubuntu package that brings it. A rule's faces up to the next head are its kind.
KINDS = {
    "AR PL UKai CN": ("楷体类", "fonts-arphic-ukai"),
    "Noto Serif CJK SC": ("宋体类（衬线）", "fonts-noto-cjk"),
    "Noto Sans CJK SC": ("黑体类（无衬线）", "fonts-noto-cjk"),
    "Liberation Serif": ("西文衬线", "fonts-liberation"),
}


@dataclass
class PdfResult:
    path: Path
    substitutes: list[tuple[str, str]] = field(default_factory=list)  # (font the report asks for, face used instead)
    missing: list[tuple[str, str, str]] = field(default_factory=list)  # (font asked, kind it lost, package that brings it)


def rule_kind(families: list[str]) -> tuple[str, list[str]] | None:
    """The head of a rule's kind and the faces of that kind (the rule's faces before another kind's head)."""
    if not families or families[0] not in KINDS:
        return None
    faces = [families[0]]
    for f in families[1:]:
        if f in KINDS:
            break
        faces.append(f)
    return families[0], faces


def missing_kinds(conf_root, asked: list[str], installed: set[str]) -> list[tuple[str, str, str]]:
    """(font asked, kind, package) for each font substituted whose rule finds no face of its kind installed."""
    lost = []
    for match in conf_root.iter("match"):
        name = match.findtext("test/string")
        if name not in asked:
            continue
        edit = next((e for e in match.iter("edit") if e.get("name") == "family"), None)
        kind = rule_kind([s.text or "" for s in edit.iter("string")]) if edit is not None else None
        if kind is not None and not any(f in installed for f in kind[1]):
            lost.append((name, *KINDS[kind[0]]))
    return lost


def fonts_asked(docx: str | Path) -> list[str]:
    """Every font name the report's runs and styles ask for (all w:rFonts slots), in first-use order."""
    from ..ooxml_safe import SafeZip
    from .ooxml import FONT_SLOTS, w

    names: dict[str, None] = {}
    with SafeZip(Path(docx), what="Word 文档") as z:
        for lower, name in z.names.items():
            if not (lower.startswith("word/") and lower.endswith(".xml")):
                continue
            for e in z.xml(name).iter(w("rFonts")):
                for slot in FONT_SLOTS:
                    value = e.get(w(slot))
                    if value:
                        names.setdefault(value, None)
    return list(names)


def installed_families() -> set[str] | None:
    """Font families fontconfig knows (every localized name), or None where fontconfig's tools are absent."""
    if shutil.which("fc-list") is None:
        return None
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def substitution_config(asked: list[str], installed: set[str], folder: Path) -> Path | None:
    """A copy of the shipped fontconfig file with only the rules for fonts asked for and not installed; None if none."""
    root = etree.fromstring(SUBSTITUTES_CONF.read_bytes())
    kept = 0
    for match in list(root.iter("match")):
        family = match.findtext("test/string")
        if family in installed or family not in asked:
            match.getparent().remove(match)
        else:
            kept += 1
    if not kept:
        return None
    user = os.environ.get("FONTCONFIG_FILE")
    if user:  # the user's own configuration stays the base
        for inc in root.iter("include"):
            inc.text = user
    path = folder / "gkxl-fonts.conf"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return path


def _matched(name: str, env: dict) -> str:
    try:
        out = subprocess.run(["fc-match", "-f", "%{family[0]}|%{style[0]}", name], capture_output=True, text=True,
                             timeout=30, env=dict(os.environ, **env)).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    family, _, style = out.partition("|")
    style = style.strip()
    return f"{family.strip()} {style}" if style and style.lower() not in ("regular", "book", "normal") else family.strip()


def font_environment(docx: str | Path, folder: Path, installed: set[str] | None = None) -> tuple[dict, list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(environment for LibreOffice, [(font asked, substitute)], [(font asked, kind lost, package)]) for the fonts
    of docx that are not installed."""
    installed = installed_families() if installed is None else installed
    if installed is None:
        return {}, [], []
    asked = fonts_asked(docx)
    conf = substitution_config(asked, installed, folder)
    if conf is None:
        return {}, [], []
    env = {"FONTCONFIG_FILE": str(conf)}
    root = etree.parse(str(conf)).getroot()
    ruled = {m.findtext("test/string") for m in root.iter("match")}
    substitutes = [(name, _matched(name, env)) for name in asked if name in ruled]
    return env, substitutes, missing_kinds(root, asked, installed)


def to_pdf(docx: str | Path, target: str | Path, *, force: bool = False, env: dict | None = None, timeout: float = 180) -> PdfResult:
    """Convert docx into target (written atomically; an existing target only with force). InputError without LibreOffice.

    Without `env`, fonts that are not installed are substituted by role (gkxl/data/substitute-fonts.conf) and the
    substitutes are returned; a given `env` (e.g. a test's FONTCONFIG_FILE) is used as it is.
    """
    with tempfile.TemporaryDirectory(prefix="gkxl-pdf-") as tmp:
        substitutes: list[tuple[str, str]] = []
        missing: list[tuple[str, str, str]] = []
        if env is None:
            env, substitutes, missing = font_environment(docx, Path(tmp))
        produced = convert(docx, "pdf", Path(tmp) / "out", timeout=timeout, env=env)
        return PdfResult(write_bytes(target, produced.read_bytes(), force=force), substitutes, missing)


def substitutes_line(substitutes: list[tuple[str, str]], missing: list[tuple[str, str, str]] = ()) -> str:
    """One Chinese line saying which faces stood in for fonts this computer does not have, and, where a role found no
    face of its kind, which kind it lost and which package brings one."""
    pairs = "；".join(f"{asked} → {used or '系统默认字体'}" for asked, used in substitutes)
    line = f"本机未安装这些公文字体，PDF 中用替代字体排版（Word 报告仍使用原字体）：{pairs}"
    lost: dict[tuple[str, str], list[str]] = {}
    for asked, kind, package in missing:
        lost.setdefault((kind, package), []).append(asked)
    for (kind, package), names in lost.items():
        line += f"。本机也没有{kind}字体，{'、'.join(names)}只能用其他类的字体代替；安装 {package}（Debian/Ubuntu 软件包）后即有{kind}字体"
    return line

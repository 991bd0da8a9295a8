"""Skip a rendering test, naming the package to install, where a kind of face it measures is not installed."""

from __future__ import annotations

import pytest

from gkxl.word.pdf import KINDS, installed_families, rule_kind


def require_faces(*heads: str) -> None:
    """Each head names a kind of face (gkxl.word.pdf.KINDS): skip unless one face of each kind is installed."""
    families = installed_families()
    if families is None:
        pytest.skip("fontconfig's fc-list is not installed: which fonts are here cannot be told (install fontconfig)")
    missing = []
    for head in heads:
        faces = {"AR PL UKai CN": ["AR PL UKai CN", "AR PL KaitiM GB"]}.get(head) or rule_kind([head])[1]
        if not any(f in families for f in faces):
            kind, package = KINDS[head]
            missing.append(f"{kind}（{head}）: install {package}")
    if missing:
        pytest.skip("a kind of face this test measures is not installed: " + "; ".join(missing))

"""LibreOffice, where installed: convert a document headlessly with a private profile and a timeout."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import InputError


def find_soffice() -> str | None:
    """The LibreOffice executable, or None where it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert(src: str | Path, to: str, outdir: str | Path, *, timeout: float = 180, env: dict | None = None) -> Path:
    """Convert src with LibreOffice (`to`: "pdf", "xlsx", …) into outdir; returns the new file's path.

    Each call uses its own temporary profile: LibreOffice allows one process per profile, and a second one
    silently produces nothing.
    """
    soffice = find_soffice()
    if soffice is None:
        raise InputError("未安装 LibreOffice（soffice），无法转换；请安装 LibreOffice 后重试，或在 Word/WPS 中另存为 PDF")
    src = Path(src).resolve()
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gkxl-lo-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", to, "--outdir", str(outdir), str(src),
        ]
        run_env = dict(os.environ, **(env or {}))
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=run_env)
        except subprocess.TimeoutExpired:
            raise InputError(f"LibreOffice 转换超时（{timeout:.0f} 秒）", file=str(src)) from None
    ext = to.split(":", 1)[0]
    target = outdir / (src.stem + "." + ext)
    if proc.returncode != 0 or not target.exists():
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["无输出"]
        raise InputError(f"LibreOffice 转换失败：{detail[0]}", file=str(src))
    return target

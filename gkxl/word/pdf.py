"""The report as PDF, converted by LibreOffice where installed (private profile and timeout: gkxl.office)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..fsio import write_bytes
from ..office import convert


def to_pdf(docx: str | Path, target: str | Path, *, force: bool = False, env: dict | None = None, timeout: float = 180) -> Path:
    """Convert docx into target (written atomically; an existing target only with force). InputError without LibreOffice."""
    with tempfile.TemporaryDirectory(prefix="gkxl-pdf-") as tmp:
        produced = convert(docx, "pdf", tmp, timeout=timeout, env=env)
        return write_bytes(target, produced.read_bytes(), force=force)

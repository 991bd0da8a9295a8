"""The pure core imports no I/O library: checks and model run without openpyxl, xlsxwriter, docx, typer or rich."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_no_adapter_library():
    code = (
        "import sys, gkxl.spec, gkxl.model, gkxl.rules, gkxl.findings, gkxl.values;"
        "bad = [m for m in ('openpyxl','xlsxwriter','docx','typer','rich','lxml') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""

"""Shared test fixtures: paths, the demo report, and LibreOffice where installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkxl.model import Report, report_from_json
from gkxl.office import find_soffice

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "gkxl" / "data"
SHARED = ROOT.parent / "shared"
SAMPLE = SHARED / "samples" / "published-report-2023-district-hrss.txt"
ARTIFACTS = ROOT / "tests" / "_artifacts"  # PNG previews and rendered files for a person to look at


@pytest.fixture
def demo_report() -> Report:
    report, found = report_from_json((DATA / "demo_2023.json").read_text(encoding="utf-8"))
    assert not found
    return report


@pytest.fixture
def demo_previous() -> Report:
    report, _ = report_from_json((DATA / "demo_2022.json").read_text(encoding="utf-8"))
    return report


@pytest.fixture
def soffice() -> str:
    """The LibreOffice executable; the test is skipped, with the reason, where it is absent."""
    exe = find_soffice()
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-calc-nogui and libreoffice-writer-nogui")
    return exe


@pytest.fixture
def sample_text() -> str:
    if not SAMPLE.exists():
        pytest.skip(f"the published sample is not here ({SAMPLE}); CI has it")
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS

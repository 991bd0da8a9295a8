"""Fixtures of the Word tests: a report of each format with a distinct value in every cell."""

from __future__ import annotations

import pytest
from word_reports import make_report

from gkxl.model import Report
from gkxl.formats import all_formats


@pytest.fixture(params=[f.id for f in all_formats()])
def fmt(request) -> str:
    return request.param


@pytest.fixture
def report(fmt) -> Report:
    return make_report(fmt)

"""The Word report: the official six-section document typeset to GB/T 9704 from a reference document's styles."""

from __future__ import annotations

from .text import warnings_for
from .writer import build_report

__all__ = ["build_report", "warnings_for"]

"""R-TEXT-NUMBER: numbers quoted in the narrative checked against the tables (precision over recall)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..findings import Finding
    from .engine import Context


def text_number_findings(ctx: "Context") -> Iterator["Finding"]:
    return iter(())

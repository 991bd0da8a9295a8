"""The web app's fixture: a round over a small roster (web_helpers.ROSTER) with its Starlette test client."""

from __future__ import annotations

import pytest
from web_helpers import Web


@pytest.fixture
def web(tmp_path) -> Web:
    w = Web(tmp_path / "data")
    yield w
    w.store.close()

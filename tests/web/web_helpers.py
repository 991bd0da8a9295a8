"""Helpers of the web app's tests: a round over a small roster with its test client, and the units' filled workbooks."""

from __future__ import annotations

import dataclasses
import re
import warnings
from pathlib import Path
from urllib.parse import quote

with warnings.catch_warnings():  # Starlette 1.x prefers httpx2; its TestClient still drives httpx, as installed
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from reports import balance

from gkxl.excel.writer import build_workbook
from gkxl.model import Report
from gkxl.web.app import create_app
from gkxl.web.round import Round
from gkxl.web.storage import Store

ROSTER = ["甲局", "乙局", "丙局", "<b>丁局</b>"]
YEAR = 2023


def unit_report(base: Report, agency: str, year: int = YEAR, explanations: dict | None = None, **changes) -> Report:
    values = dict(base.values)
    values.update(changes)
    return dataclasses.replace(base, agency=agency, year=year, values=values, explanations=dict(explanations or {}))


def workbook(base: Report, agency: str, *, balanced: bool = False, **kw) -> bytes:
    """A unit's filled workbook; `balanced` re-balances 表三 after the changes (tests/reports.py)."""
    report = unit_report(base, agency, **kw)
    return build_workbook(balance(report) if balanced else report, lock_agency=True)


def unbalanced(base: Report, agency: str) -> bytes:
    """表三 商业企业 column no longer balances: two R-BALANCE 强制 findings (and the 正文 numbers to 核实)."""
    return workbook(base, agency, **{"sec3.new_received.business": 3})


def csrf_of(html: str) -> str:
    return re.search(r'data-csrf="([^"]+)"', html).group(1)


class Web:
    """A round with its Starlette test client, and the two kinds of visitor."""

    def __init__(self, data: Path, *, roster=ROSTER, deadline=None, max_upload=None, allowed_hosts=None):
        self.store = Store.open(data, roster=list(roster), year=YEAR, deadline=deadline)
        self.round = Round(self.store, agency="示例市示例区")
        kw = {} if max_upload is None else {"max_upload": max_upload}
        self.app = create_app(self.round, allowed_hosts=allowed_hosts, **kw)
        self.client = TestClient(self.app)
        self.units = {u.name: u for u in self.store.units()}

    def link(self, unit: str) -> str:
        return f"/u/{self.units[unit].token}"

    @property
    def office(self) -> str:
        return f"/o/{self.round.office_token}"

    def csrf(self, unit: str) -> str:
        return csrf_of(self.client.get(self.link(unit)).text)

    def upload(self, unit: str, data: bytes, filename: str = "年报.xlsx", *, csrf: str | None = "page", headers: dict | None = None):
        h = {"x-file-name": quote(filename), "content-type": "application/octet-stream"}
        if csrf == "page":
            csrf = self.csrf(unit)
        if csrf is not None:
            h["x-csrf-token"] = csrf
        h.update(headers or {})
        return self.client.post(f"{self.link(unit)}/upload", content=data, headers=h)

    def status(self) -> dict[str, str]:
        doc = self.client.get(f"{self.office}/status.json").json()
        return {u["unit"]: u["status"] for u in doc["units"]}

"""`gkxl serve --requirements`: an upload is checked against the pack as `gkxl check --requirements` checks it, the
unit's template lists the pack's items, and the office's downloads (collect run on the exported inbox) carry it."""

from __future__ import annotations

import json
import warnings
from dataclasses import replace
from pathlib import Path

from web.web_helpers import YEAR, Web

from gkxl.excel.writer import build_workbook
from gkxl.packs import load_pack
from gkxl.web.app import create_app
from gkxl.web.round import Round

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def test_serve_checks_uploads_against_the_pack(tmp_path: Path, demo_report):
    web = Web(tmp_path / "data", roster=["甲局"])
    web.round = Round(web.store, agency="示例市示例区", requirements=load_pack("武威2025"))
    web.app = create_app(web.round)
    web.client = TestClient(web.app)
    report = replace(demo_report, agency="甲局", year=YEAR)
    response = web.upload("甲局", build_workbook(report, lock_agency=True))
    assert response.status_code == 200
    text = json.dumps(response.json(), ensure_ascii=False) if "json" in response.headers.get("content-type", "") else response.text
    assert "R-REQUIREMENT.武威2025:公报期数" in text
    template = web.client.get(f"{web.link('甲局')}/template")
    assert template.status_code == 200
    got = tmp_path / "模板.xlsx"
    got.write_bytes(template.content)
    import openpyxl

    ws = openpyxl.load_workbook(got, data_only=True)["正文"]
    assert "✘ 应写明政府公报出版期数（核实）" in ws["F6"].value  # the pack's items beside 一（四）
    out = web.round.outputs()
    summary = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
    assert summary["requirements"]["name"] == "武威2025"
    missed = {i["id"]: i["missed"] for i in summary["requirements"]["items"]}
    assert missed["公报期数"] == ["甲局"] and missed["篇幅"] == []

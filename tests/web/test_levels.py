"""The round across levels in the web app (issue 12 §5 through `gkxl serve`): the roster's 类型, a county's own
汇总数据.xlsx uploaded through its link, 不完整 naming the units missing, and the 按时提交率 — each as `gkxl collect`
gives it, since the web takes them from collect's own functions and outputs."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sqlite3
import time
import zipfile
from pathlib import Path

import httpx
import openpyxl
import pytest
from collect_helpers import consistent, roster_csv, write
from test_inbox import extract
from typer.testing import CliRunner
from web_helpers import YEAR, Web

from gkxl.cli.app import app
from gkxl.excel.writer import build_workbook
from gkxl.intake import load

runner = CliRunner()
AGENCY = "示例市示例区"
CITY = [("市教育局", "部门"), ("示例县", "下级政府"), ("市财政局", "部门"), ("示例二县", "下级政府"), ("市开发区", "开发区")]


def collect(*args) -> object:
    return runner.invoke(app, ["collect", *map(str, args), "--jobs", "1"])


def county_summary(tmp_path: Path, name: str, units: list[tuple[str, str]], seed: int, *, absent=()) -> bytes:
    """A county's 汇总数据.xlsx from its own `gkxl collect` (不完整 when some of its units are absent)."""
    box = tmp_path / f"{name}收件箱"
    box.mkdir()
    for i, (unit, _) in enumerate(units):
        if unit not in absent:
            write(box / f"{unit}.xlsx", consistent(unit, seed + i))
    roster = roster_csv(tmp_path / f"{name}名单.csv", [u for u, _ in units], [t for _, t in units])
    out = tmp_path / f"{name}汇总"
    res = collect(box, "--roster", roster, "-o", out, "--year", YEAR, "--agency", name)
    assert res.exit_code == (1 if absent else 0), res.output
    return (out / "汇总" / "汇总数据.xlsx").read_bytes()


def accept_at(web: Web, unit: str, data: bytes, filename: str, when: float) -> None:
    """An upload received at a given time (as if sent before the deadline): the store's own accept."""
    fh, tmp = web.store.incoming_file()
    with fh:
        fh.write(data)
    web.store.accept(web.units[unit], tmp, filename=filename, suffix=".xlsx", received=when)


def cell_text(html: str, element_id: str) -> str:
    m = re.search(rf'id="{element_id}"[^>]*>(.*?)</p>', html, re.DOTALL)
    assert m, f"no #{element_id} on the page"
    return re.sub(r"<[^>]+>", "", m.group(1)).strip()


@pytest.fixture
def city(tmp_path, demo_report):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    web = Web(tmp_path / "data", roster=CITY, deadline=yesterday)
    files = {
        "示例县": county_summary(tmp_path, "示例县", [("示例县教育局", "部门"), ("甲镇", "乡镇（街道）")], 10),
        "示例二县": county_summary(tmp_path, "示例二县", [("示例二县教育局", "部门"), ("乙镇", "乡镇"), ("丙镇", "乡镇（街道）")], 20, absent=("丙镇",)),
        "市教育局": build_workbook(consistent("市教育局", 31), lock_agency=True),
        "市财政局": build_workbook(consistent("市财政局", 32), lock_agency=True),
    }
    before = time.mktime((yesterday - dt.timedelta(days=2)).timetuple()) + 9 * 3600
    accept_at(web, "市教育局", files["市教育局"], "市教育局.xlsx", before)  # on time: before the deadline
    for unit in ("示例县", "示例二县", "市财政局"):  # today: after the deadline (逾期)
        assert web.upload(unit, files[unit], f"{unit}.xlsx").json()["ok"]
    yield web, files
    web.store.close()


def test_the_web_round_collects_like_collect_with_the_typed_roster(city, tmp_path):
    web, files = city
    offered = {w: web.client.get(f"{web.office}/download/{w}") for w in
               ("status.xlsx", "summary.xlsx", "summary.docx", "reports.zip", "inbox.zip", "roster.xlsx", "subtotals.zip")}
    assert all(r.status_code == 200 for r in offered.values()), {w: r.status_code for w, r in offered.items()}

    # the exported roster carries the types
    ws = openpyxl.load_workbook(io.BytesIO(offered["roster.xlsx"].content)).active
    assert [tuple(r) for r in ws.iter_rows(values_only=True)] == [("单位名称", "类型"), *CITY]

    inbox = extract(offered["inbox.zip"].content, tmp_path / "解压")
    exported_roster = tmp_path / "导出名单.xlsx"
    exported_roster.write_bytes(offered["roster.xlsx"].content)
    original_roster = roster_csv(tmp_path / "市名单.csv", [u for u, _ in CITY], [t for _, t in CITY])
    deadline = web.round.deadline.isoformat()
    outs = {}
    for label, roster in (("exported", exported_roster), ("original", original_roster)):
        outs[label] = tmp_path / f"汇总结果-{label}"
        res = collect(inbox, "--roster", roster, "-o", outs[label], "--year", YEAR, "--agency", AGENCY, "--deadline", deadline)
        assert res.exit_code == 1, res.output  # 市开发区 sent nothing

    for out in outs.values():  # the page offers exactly what collect writes, with either roster
        assert (out / "汇总" / "状态.xlsx").read_bytes() == offered["status.xlsx"].content
        assert (out / "汇总" / "汇总数据.xlsx").read_bytes() == offered["summary.xlsx"].content
        assert (out / "汇总" / "汇总报告.docx").read_bytes() == offered["summary.docx"].content
        with zipfile.ZipFile(io.BytesIO(offered["subtotals.zip"].content)) as z:
            assert {Path(n).name: z.read(n) for n in z.namelist()} == {p.name: p.read_bytes() for p in (out / "汇总" / "分类汇总").iterdir()}
    summaries = [json.loads((o / "汇总" / "summary.json").read_text(encoding="utf-8")) for o in outs.values()]
    assert summaries[0] == summaries[1]
    summary = summaries[0]

    # with types: per-type groups and subtotals, the 下级政府 subtotal = both counties' 汇总s
    assert {u["unit"]: u["type"] for u in summary["units"]} == dict(CITY)
    assert summary["by_type"]["下级政府"]["included"] == ["示例县", "示例二县"]
    sub = load(outs["original"] / "汇总" / "分类汇总" / "下级政府.xlsx").report.values
    counties = [load(_tmp(tmp_path, c, files[c])).report.values for c in ("示例县", "示例二县")]
    assert sub == {cid: counties[0][cid] + counties[1][cid] for cid in counties[0]}

    # the board: the statuses collect gives, grouped by type in the status workbook's order
    board = web.round.board()
    assert {r.unit.name: r.status.status for r in board.rows} == {u["unit"]: u["status"] for u in summary["units"]}
    page = web.client.get(web.office).text
    assert re.findall(r'<tbody data-type="([^"]+)"', page) == ["部门", "下级政府", "开发区"]
    assert "下级政府（2个单位：通过 2）" in page and "开发区（1个单位：未提交 1）" in page
    status_rows = [r[0] for r in openpyxl.load_workbook(io.BytesIO(offered["status.xlsx"].content))["报送状态"].iter_rows(min_row=2, values_only=True)]
    assert re.findall(r'<tr data-unit="([^"]+)"', page) == status_rows


def _tmp(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / f"{name}-上传.xlsx"
    p.write_bytes(data)
    return p


def test_the_office_page_shows_incomplete_and_the_on_time_rate_as_collect_gives_them(city, tmp_path):
    web, _ = city
    out = web.round.outputs()  # what `gkxl collect` wrote for the exported inbox
    summary = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
    info = {r[0]: r[1] for r in openpyxl.load_workbook(out / "汇总" / "状态.xlsx")["汇总情况"].iter_rows(values_only=True)}
    assert summary["complete"] is False and summary["missing_units"] == ["市开发区"]
    assert summary["lower_level_missing"] == {"示例二县": ["丙镇"]}
    assert summary["on_time"] == {"units": 1, "of": 5, "rate": "20.00%"}

    for html in (web.client.get(web.office).text, web.client.get(f"{web.office}/board").text):  # the page and its live part
        incomplete = cell_text(html, "complete")
        assert incomplete == f"{info['未纳入的单位']}。"
        assert "市开发区" in incomplete and "示例二县（其汇总缺少：丙镇）" in incomplete
        assert cell_text(html, "on-time") == f"按时提交率：{summary['on_time']['rate']}（截止日期前提交1个，名单内共5个单位）"
    doc = web.client.get(f"{web.office}/status.json").json()
    assert doc["complete"] is False and doc["missing"] == info["未纳入的单位"] and doc["on_time_rate"] == summary["on_time"]["rate"]
    assert {u["unit"]: u["type"] for u in doc["units"]} == dict(CITY)
    board = web.client.get(f"{web.office}/board").text
    row = board[board.index('<tr data-unit="示例二县">'):]
    assert "提交的是下级汇总，该汇总不完整，缺少：丙镇" in row[: row.index("</tr>")]
    late = {u["unit"]: web.round.late_label(r) for u, r in zip(summary["units"], web.round.board().rows)}
    assert late == {"市教育局": "", "示例县": "逾期", "市财政局": "逾期", "示例二县": "逾期", "市开发区": "逾期未提交"}
    assert summary["late"] == ["示例县", "市财政局", "示例二县"]


def test_a_complete_round_says_so(tmp_path, demo_report):
    web = Web(tmp_path / "data", roster=[("甲局", "部门")], deadline=dt.date.today())
    try:
        web.upload("甲局", build_workbook(consistent("甲局", 3), lock_agency=True))
        html = web.client.get(web.office).text
        assert cell_text(html, "complete") == "汇总完整：名单内1个单位均已纳入汇总。"
        assert cell_text(html, "on-time").startswith("按时提交率：100.00%")
    finally:
        web.store.close()


def test_a_lower_levels_summary_through_its_link_is_taken_as_collect_takes_it(tmp_path, demo_report):
    """A county's 汇总 lacking a town, whose 表三 fails R-BALANCE: collect makes the sum rules 核实 for the missing
    share (待核实, not 有强制错误) and notes what the county lacks; through the county's link the web says the same."""
    from web_helpers import unit_report

    report = unit_report(demo_report, "示例二县", **{"sec3.new_received.business": 3})
    data = build_workbook(report, lock_agency=True, units=["示例二县教育局", "乙镇"], missing=["丙镇"])
    web = Web(tmp_path / "data", roster=[("示例二县", "下级政府"), ("市教育局", "部门")])
    try:
        doc = web.upload("示例二县", data, "二县汇总.xlsx").json()
        assert doc["status"] == "待核实", doc["verdict"]
        assert "汇总不完整，缺少1个单位的数据，请核实" in doc["verdict_html"]
        c = web.round.board().rows[0].used
        assert c.outcome.summary_units == ("示例二县教育局", "乙镇") and c.outcome.summary_missing == ("丙镇",)
        assert "提交的是下级汇总，该汇总不完整，缺少：丙镇" in web.client.get(f"{web.office}/board").text

        # collect on the same file: the same status and findings
        box = tmp_path / "收件箱"
        box.mkdir()
        (box / "二县汇总.xlsx").write_bytes(data)
        out = tmp_path / "out"
        res = collect(box, "--roster", roster_csv(tmp_path / "名单.csv", ["示例二县", "市教育局"], ["下级政府", "部门"]), "-o", out, "--year", YEAR)
        assert res.exit_code == 1, res.output
        unit = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))["units"][0]
        assert unit["status"] == "待核实" and unit["used"]["summary_missing"] == ["丙镇"]
        assert [(f["rule"], f["severity"], f["message"]) for f in unit["used"]["findings"]] == [
            (f.rule, f.severity.value, f.message) for f in c.result.findings]
    finally:
        web.store.close()


def test_a_data_folder_of_the_first_version_is_upgraded_and_keeps_its_round(tmp_path, demo_report):
    web = Web(tmp_path / "data", roster=["甲局", "乙局"])
    web.upload("甲局", build_workbook(consistent("甲局", 5), lock_agency=True))
    tokens = {u.name: u.token for u in web.store.units()}
    office = web.round.office_token
    web.store.close()
    db = sqlite3.connect(tmp_path / "data" / "round.sqlite")  # as version 1 left it: no 类型 column
    db.execute("ALTER TABLE units DROP COLUMN type")
    db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    db.commit()
    db.close()

    web = Web(tmp_path / "data", roster=[("甲局", "部门"), ("乙局", "乡镇（街道）")])
    try:
        assert [(u.name, u.type, u.token) for u in web.store.units()] == [("甲局", "部门", tokens["甲局"]), ("乙局", "乡镇（街道）", tokens["乙局"])]
        assert web.round.office_token == office and web.store.meta("schema") == "2"
        assert web.status() == {"甲局": "通过", "乙局": "未提交"}
        assert re.findall(r'<tbody data-type="([^"]+)"', web.client.get(web.office).text) == ["部门", "乡镇（街道）"]
    finally:
        web.store.close()
    web = Web(tmp_path / "data", roster=["甲局", "乙局"])  # resumed without types: the roster as it is now
    try:
        assert {u.type for u in web.store.units()} == {"未分类"}
        assert 'data-type="' not in web.client.get(web.office).text
    finally:
        web.store.close()

    db = sqlite3.connect(tmp_path / "data" / "round.sqlite")
    db.execute("UPDATE meta SET value = '9' WHERE key = 'schema'")
    db.commit()
    db.close()
    from gkxl.errors import InputError
    from gkxl.web.storage import Store

    with pytest.raises(InputError, match="其他版本"):
        Store.open(tmp_path / "data", roster=["甲局"], year=YEAR, deadline=None)


def test_gkxl_serve_reads_the_rosters_types(tmp_path):
    from live_server import Server

    roster = roster_csv(tmp_path / "单位名单.csv", [u for u, _ in CITY], [t for _, t in CITY])
    srv = Server(tmp_path, roster).start()
    try:
        page = httpx.get(srv.office, timeout=30).text
        assert re.findall(r'<tbody data-type="([^"]+)"', page) == ["部门", "下级政府", "开发区"]
        ws = openpyxl.load_workbook(io.BytesIO(httpx.get(f"{srv.office}/download/roster.xlsx", timeout=30).content)).active
        assert [tuple(r) for r in ws.iter_rows(values_only=True)] == [("单位名称", "类型"), *CITY]
    finally:
        srv.kill()

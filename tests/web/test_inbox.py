"""The office's downloads are what `gkxl collect` makes of the exported inbox, and the board says the same statuses."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import openpyxl
from typer.testing import CliRunner
from web_helpers import ROSTER, YEAR, unbalanced, workbook

from gkxl.cli.app import app
from gkxl.roster import safe_filename


def extract(data: bytes, into: Path, *, keep_times: bool = True) -> Path:
    """Unpack the inbox zip as an office would, with the files' times from the zip (or, like some tools, without)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            target = into / info.filename
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
            if keep_times:
                t = time.mktime(info.date_time + (0, 0, -1))
                os.utime(target, (t, t))
    return into / "收件箱"


def statuses_of(status_xlsx: bytes) -> dict[str, str]:
    ws = openpyxl.load_workbook(io.BytesIO(status_xlsx))["报送状态"]
    return {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}


def test_the_exported_inbox_collects_to_exactly_what_the_office_page_offers(web, demo_report, demo_previous, tmp_path):
    web.upload("甲局", unbalanced(demo_report, "甲局"), "甲局-第一次.xlsx")
    web.upload("甲局", workbook(demo_report, "甲局"), "甲局-改正后.xlsx")  # within the same second or two: upload order decides
    web.upload("甲局", workbook(demo_report, "庚局"), "庚局.xlsx")  # a unit not on the roster: 名单外文件
    web.upload("乙局", unbalanced(demo_report, "乙局"))
    web.upload("丙局", b"not a workbook", "丙局年报.xlsx")
    web.upload("丙局", workbook(demo_report, "乙局"), "乙局的.xlsx")  # another roster unit's workbook: never attributed to 乙局
    web.upload("<b>丁局</b>", workbook(demo_report, "<b>丁局</b>", **{"sec2.licensing.decisions": 11}))

    board = web.status()
    assert board == {"甲局": "通过", "乙局": "有强制错误", "丙局": "无法读取", "<b>丁局</b>": "通过"}
    page = web.client.get(web.link("甲局")).text  # the unit sees which upload counts: the one the office uses
    row = page[page.index("甲局-改正后.xlsx"):]
    assert "（以此为准）" in row[: row.index("</tr>")] and page.count("（以此为准）") == 1
    notes = web.client.get(f"{web.office}/board").text
    assert "最近一次上传的文件是“庚局”的报告，未采用" in notes and "最近一次上传的文件是“乙局”的报告，未采用" in notes
    offered = {what: web.client.get(f"{web.office}/download/{what}") for what in ("status.xlsx", "summary.xlsx", "summary.docx", "reports.zip", "inbox.zip")}
    assert all(r.status_code == 200 for r in offered.values())

    inbox = extract(offered["inbox.zip"].content, tmp_path / "解压")
    assert len(list(inbox.iterdir())) == 6  # every upload but the one naming another roster unit
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n" + "\n".join(ROSTER) + "\n", encoding="utf-8")
    out = tmp_path / "汇总结果"
    res = CliRunner().invoke(app, ["collect", str(inbox), "--roster", str(roster), "-o", str(out), "--year", str(YEAR),
                                   "--agency", "示例市示例区", "--jobs", "1"])
    assert res.exit_code == 1, res.output

    assert (out / "汇总" / "状态.xlsx").read_bytes() == offered["status.xlsx"].content
    assert (out / "汇总" / "汇总数据.xlsx").read_bytes() == offered["summary.xlsx"].content
    assert (out / "汇总" / "汇总报告.docx").read_bytes() == offered["summary.docx"].content
    with zipfile.ZipFile(io.BytesIO(offered["reports.zip"].content)) as z:
        reports = {Path(n).name: z.read(n) for n in z.namelist()}
    assert reports == {p.name: p.read_bytes() for p in (out / "单位报告").iterdir()}
    assert sorted(reports) == sorted([f"{safe_filename('<b>丁局</b>')}.docx", "甲局.docx"])

    # the board (collect.decide over the uploads) and collect's status workbook agree unit by unit
    assert statuses_of(offered["status.xlsx"].content) == board
    ws = openpyxl.load_workbook(io.BytesIO(offered["status.xlsx"].content))["名单外文件"]
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == ["庚局"]
    ws = openpyxl.load_workbook(io.BytesIO(offered["status.xlsx"].content))["报送状态"]
    used = {r[0]: r[7] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert used["甲局"].startswith("甲局_") and used["甲局"] == sorted(p.name for p in inbox.iterdir() if p.name.startswith("甲局_"))[1]

    # an office that unpacks without keeping the files' times gets the same statuses (upload order is in the names)
    plain = extract(offered["inbox.zip"].content, tmp_path / "无时间", keep_times=False)
    out2 = tmp_path / "汇总结果2"
    CliRunner().invoke(app, ["collect", str(plain), "--roster", str(roster), "-o", str(out2), "--year", str(YEAR), "--jobs", "1"])
    assert statuses_of((out2 / "汇总" / "状态.xlsx").read_bytes()) == board


def test_a_new_upload_makes_the_downloads_again(web, demo_report):
    web.upload("甲局", workbook(demo_report, "甲局"))
    first = web.client.get(f"{web.office}/download/status.xlsx").content
    assert statuses_of(first)["乙局"] == "未提交"
    web.upload("乙局", workbook(demo_report, "乙局"))
    second = web.client.get(f"{web.office}/download/status.xlsx").content
    assert statuses_of(second)["乙局"] == "通过"
    assert len([p for p in (web.store.data / ".outputs").iterdir()]) == 1  # earlier outputs are removed


KINDS = ("passes", "mandatory", "unreadable", "another_roster_unit", "off_roster", "last_year")


def _bytes_of(kind: str, unit: str, demo_report, demo_previous) -> bytes:
    if kind == "passes":
        return workbook(demo_report, unit)
    if kind == "mandatory":
        return unbalanced(demo_report, unit)
    if kind == "unreadable":
        return b"not a workbook at all"
    if kind == "another_roster_unit":
        return workbook(demo_report, next(u for u in ROSTER if u != unit))
    if kind == "off_roster":
        return workbook(demo_report, "庚局")
    return workbook(demo_previous, unit, year=2022)


def test_any_sequence_of_uploads_gives_the_board_that_collect_gives_the_exported_inbox(demo_report, demo_previous, tmp_path_factory):
    """Whatever the units upload, in whatever order: the board's status and file used per unit are collect's."""
    import json

    from hypothesis import HealthCheck, example, given, settings
    from hypothesis import strategies as st
    from web_helpers import Web

    units = ROSTER[:3]
    cache: dict[tuple[str, str], bytes] = {}

    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.sampled_from(units), st.sampled_from(KINDS)), min_size=1, max_size=7))
    @example([("甲局", "another_roster_unit")])  # found by hypothesis: an inbox with no file must still be a folder
    def run(steps):
        folder = tmp_path_factory.mktemp("round")
        web = Web(folder / "data", roster=units)
        try:
            for unit, kind in steps:
                data = cache.setdefault((unit, kind), _bytes_of(kind, unit, demo_report, demo_previous))
                assert web.upload(unit, data, f"{kind}.xlsx").status_code == 200
            board = web.round.board()
            inbox = extract(web.client.get(f"{web.office}/download/inbox.zip").content, folder / "解压")
            roster = folder / "名单.csv"
            roster.write_text("单位名称\n" + "\n".join(units) + "\n", encoding="utf-8")
            out = folder / "out"
            res = CliRunner().invoke(app, ["collect", str(inbox), "--roster", str(roster), "-o", str(out), "--year", str(YEAR), "--jobs", "1"])
            assert res.exit_code in (0, 1), res.output
            summary = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
            assert {u["unit"]: u["status"] for u in summary["units"]} == {r.unit.name: r.status.status for r in board.rows}
            assert {u["unit"]: (u["used"] or {}).get("file") for u in summary["units"]} == {
                r.unit.name: r.used.outcome.name if r.used else None for r in board.rows}
            assert sorted(o["file"] for o in summary["unmatched"]) == sorted(c.outcome.name for c in board.unmatched)
            for r in board.rows:  # the unit's own page marks the same upload as the one that counts
                assert web.round.used_upload(r.unit) == (r.used.upload.id if r.used else None)
        finally:
            web.store.close()

    run()

"""A unit's register (依申请台账) uploaded beside its workbook: the workbook is checked against it as `gkxl collect`
checks an inbox's (one function: collect.check_file with the register counted), and the exported inbox agrees."""

from __future__ import annotations

import json

from test_inbox import extract
from typer.testing import CliRunner
from web_helpers import ROSTER, YEAR

from gkxl.cli.app import app
from gkxl.excel.writer import build_workbook
from gkxl.model import Report

HEADER = "编号,收到日期,申请人类型,办理结果,答复日期\n"
ROW1 = f"1,{YEAR}-03-01,自然人,予以公开,{YEAR}-03-09\n"
ROW2 = f"2,{YEAR}-04-01,自然人,予以公开,{YEAR}-04-09\n"
BAD = f"3,{YEAR}-05-01,法人,予以公开,{YEAR}-05-09\n"  # 法人 is no applicant type: a row that cannot be counted


def workbook(unit: str, received: int) -> bytes:
    """A workbook that typed `received` applications of natural persons, all granted."""
    values = {"sec3.new_received.natural_person": received, "sec3.granted.natural_person": received}
    return build_workbook(Report("2021", YEAR, unit, values=values), lock_agency=True)


def csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return (HEADER + "".join(rows)).encode(encoding)


def upload(web, unit: str, data: bytes, name: str) -> dict:
    r = web.upload(unit, data, name)
    assert r.status_code == 200, r.text
    return r.json()


def verdict(web, unit: str, upload_id: int):
    return web.round.unit_upload(web.units[unit], upload_id)


def ledger_findings(c) -> list[tuple[str, str, object, object]]:
    return [(f.rule, f.scope, f.actual, f.expected) for f in c.result.findings if f.rule.startswith("R-LEDGER")]


def test_the_workbook_is_checked_against_the_units_newest_register(web):
    wb = upload(web, "甲局", workbook("甲局", 1), "甲局年报.xlsx")
    assert ledger_findings(verdict(web, "甲局", wb["upload"])) == []

    reg = upload(web, "甲局", csv(ROW1, ROW2), "台账.csv")  # two applications where the workbook typed one
    assert reg["status"] == "依申请台账" and reg["verdict"] == "依申请台账：共2行，均可计数"
    checked = verdict(web, "甲局", wb["upload"])
    assert ledger_findings(checked) == [("R-LEDGER", "sec3.new_received.natural_person", 1, 2),
                                        ("R-LEDGER", "sec3.granted.natural_person", 1, 2)]
    page = web.client.get(f"{web.link('甲局')}?upload={wb['upload']}").text
    for f in checked.result.findings:
        if f.rule == "R-LEDGER":
            assert f.message in page and "1" in f.message and "2" in f.message
    page = web.client.get(web.link("甲局")).text
    assert "以此台账核对" in page and "以此为准" in page
    assert web.status()["甲局"] not in ("无法读取", "模板不符")

    fixed = upload(web, "甲局", csv(ROW1), "台账（更正）.csv")  # the register corrected: one application
    assert ledger_findings(verdict(web, "甲局", wb["upload"])) == []
    assert web.round.register_upload(web.units["甲局"]) == fixed["upload"]
    old = web.client.get(f"{web.link('甲局')}?upload={reg['upload']}").text
    assert "已被较新的台账取代" in old and "本文件已不再使用" in old
    assert "上传 台账（更正）.csv：依申请台账：共1行，均可计数" in old  # the history says what it is, not a verdict

    # another unit sees nothing of it: its workbook is checked against no register
    other = upload(web, "乙局", workbook("乙局", 1), "乙局年报.xlsx")
    assert ledger_findings(verdict(web, "乙局", other["upload"])) == []
    page = web.client.get(web.link("乙局")).text
    assert "台账.csv" not in page and "依申请台账：共" not in page
    assert web.round.register_upload(web.units["乙局"]) == 0


def test_a_row_that_cannot_be_counted_is_named(web):
    wb = upload(web, "乙局", workbook("乙局", 2), "乙局年报.xlsx")
    reg = upload(web, "乙局", csv(ROW1, ROW2, BAD, encoding="gb18030"), "乙局台账.csv")
    assert reg["verdict"] == "依申请台账：1行不能计数"
    assert "乙局_依申请台账.csv第4行" in reg["verdict_html"] and "法人" in reg["verdict_html"]
    rows = [f for f in verdict(web, "乙局", wb["upload"]).result.findings if f.rule.startswith("R-LEDGER")]
    assert [(f.rule, f.scope) for f in rows] == [("R-LEDGER-ROW", "乙局_依申请台账.csv:4")]  # as collect names it
    assert web.status()["乙局"] == "有强制错误"


def test_a_register_workbook_is_a_register_too(web):
    from gkxl.ledger.template import build_register

    upload(web, "丙局", workbook("丙局", 0), "丙局年报.xlsx")
    reg = upload(web, "丙局", build_register(agency="丙局", year=YEAR), "台账.xlsx")
    assert reg["status"] == "依申请台账" and reg["verdict"] == "依申请台账：共0行，均可计数"
    assert web.status()["丙局"] not in ("无法读取", "模板不符")
    # another unit's register workbook is not this unit's
    theirs = upload(web, "丙局", build_register(agency="甲局", year=YEAR), "甲局台账.xlsx")
    assert theirs["verdict"] == "依申请台账（未采用）" and "是“甲局”的依申请台账" in theirs["verdict_html"]
    assert web.round.register_upload(web.units["丙局"]) == reg["upload"]


def test_the_exported_inbox_collects_to_the_boards_statuses_and_findings(web, tmp_path):
    upload(web, "甲局", workbook("甲局", 1), "甲局年报.xlsx")
    upload(web, "甲局", csv(ROW1, ROW2, BAD), "旧台账.csv")
    upload(web, "甲局", csv(ROW1, ROW2), "台账.csv")  # the newest: the one exported
    upload(web, "乙局", workbook("乙局", 2), "乙局年报.xlsx")
    upload(web, "乙局", csv(ROW1, ROW2, BAD), "乙局台账.csv")
    upload(web, "丙局", csv(ROW1), "丙局台账.csv")  # a register and no workbook
    upload(web, "<b>丁局</b>", workbook("<b>丁局</b>", 1), "丁局.xlsx")
    # a name that cannot stand in a file name: collect could not give its .csv to the unit, so neither does the page
    ding = upload(web, "<b>丁局</b>", csv(ROW1, ROW2), "丁局台账.csv")
    assert ding["verdict"] == "依申请台账（未采用）" and "不能原样用作文件名" in ding["verdict_html"]
    board = web.round.board()

    inbox = extract(web.client.get(f"{web.office}/download/inbox.zip").content, tmp_path / "解压")
    names = sorted(p.name for p in inbox.iterdir())
    assert [n for n in names if "台账" in n] == ["丙局_依申请台账.csv", "乙局_依申请台账.csv", "甲局_依申请台账.csv"]
    assert (inbox / "甲局_依申请台账.csv").read_bytes() == csv(ROW1, ROW2)
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n" + "\n".join(ROSTER) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["collect", str(inbox), "--roster", str(roster), "-o", str(out), "--year", str(YEAR), "--jobs", "1"])
    assert res.exit_code in (0, 1), res.output
    summary = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
    units = {u["unit"]: u for u in summary["units"]}
    assert {u: d["status"] for u, d in units.items()} == {r.unit.name: r.status.status for r in board.rows}
    assert {u: (d["used"] or {}).get("file") for u, d in units.items()} == {
        r.unit.name: r.used.outcome.name if r.used else None for r in board.rows}
    assert {u: sorted(f["key"] for f in (d["used"] or {}).get("findings", [])) for u, d in units.items()} == {
        r.unit.name: sorted(f.key for f in r.used.result.findings) if r.used else [] for r in board.rows}
    assert any(f["rule"] == "R-LEDGER" for f in units["甲局"]["used"]["findings"])
    assert "依申请台账（甲局_依申请台账.csv）：表三、表四已与之核对" in units["甲局"]["note"]
    assert "其中1行不能计数" in units["乙局"]["note"]
    for r in board.rows:  # the board says of each unit's register what collect's note says
        said = [n for n in r.notes if "依申请台账" in n]
        assert said == [n for n in units[r.unit.name]["note"].split("；") if "依申请台账" in n], r.unit.name
    assert any("没有可与之核对的工作簿" in n for n in next(r for r in board.rows if r.unit.name == "丙局").notes)
    assert summary["unused"] == [] or all("台账" not in u["file"] for u in summary["unused"])
    # the office's downloads are collect's on that very inbox
    assert web.client.get(f"{web.office}/download/status.xlsx").content == (out / "汇总" / "状态.xlsx").read_bytes()


def test_in_worker_processes_the_register_is_passed_to_the_check(tmp_path):
    """The round's check pool (serve's workers) gets the unit's register counted, as collect's workers do."""
    from web_helpers import Web

    from gkxl.web.checks import CheckPool

    pool = CheckPool(1)
    inline, pooled = Web(tmp_path / "inline"), Web(tmp_path / "pooled")
    pooled.round.checks = pool
    try:
        for data, name in ((workbook("甲局", 1), "年报.xlsx"), (csv(ROW1, ROW2), "台账.csv"), (csv(ROW1), "台账2.csv")):
            a, b = upload(inline, "甲局", data, name), upload(pooled, "甲局", data, name)
            assert (a["status"], a["verdict"]) == (b["status"], b["verdict"])
            assert ledger_findings(verdict(inline, "甲局", 1)) == ledger_findings(verdict(pooled, "甲局", 1))
            if name == "台账.csv":
                assert [f[0] for f in ledger_findings(verdict(pooled, "甲局", 1))] == ["R-LEDGER", "R-LEDGER"]
        assert ledger_findings(verdict(pooled, "甲局", 1)) == []
        assert inline.status() == pooled.status()
    finally:
        pool.close()
        inline.store.close()
        pooled.store.close()


def test_a_resumed_round_finds_each_units_newest_register(tmp_path):
    """After a restart (a new Round over the same data): the registers are found again, the verdicts the same."""
    from web_helpers import Web

    from gkxl.web.round import Round

    web = Web(tmp_path / "data")
    upload(web, "甲局", workbook("甲局", 1), "年报.xlsx")
    upload(web, "甲局", csv(ROW1, ROW2), "台账.csv")
    before = ledger_findings(verdict(web, "甲局", 1))
    again = Round(web.store, agency="示例市示例区")
    again.check_all()
    assert again.register_upload(web.units["甲局"]) == 2
    assert ledger_findings(again.unit_upload(web.units["甲局"], 1)) == before != []
    web.store.close()

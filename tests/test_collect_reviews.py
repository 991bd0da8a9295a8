"""gkxl collect --reviews: the office's decisions (审核记录.csv) lock accepted files, keep returned ones out of the
汇总, list 未审核 units, and every bad line is one Chinese line naming it (exit 2)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.excel.writer import build_workbook
from gkxl.review import ACCEPT, REOPEN, RETURN, Decision, ReplayError, replay
from gkxl.review_csv import HEADER, dumps, loads

runner = CliRunner()
ROSTER = ["甲局", "乙局", "丙局", "丁局"]
T0 = 1_700_000_000


def _write(path: Path, report, mtime: float) -> str:
    data = build_workbook(report, lock_agency=True)
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def inbox(tmp_path, demo_report):
    box = tmp_path / "收件箱"
    box.mkdir()

    def unit(agency, **changes):
        values = dict(demo_report.values)
        values.update(changes)
        return dataclasses.replace(demo_report, agency=agency, year=2023, values=values, explanations={})

    sha = {
        "甲1": _write(box / "甲局-1.xlsx", unit("甲局", **{"sec2.licensing.decisions": 7}), T0),
        "甲2": _write(box / "甲局-2.xlsx", unit("甲局", **{"sec2.licensing.decisions": 9}), T0 + 100),  # newer
        "乙": _write(box / "乙局.xlsx", unit("乙局"), T0),
        "丙": _write(box / "丙局.xlsx", unit("丙局", **{"sec3.new_received.business": 3}), T0),  # 强制
    }
    values = dict(demo_report.values)
    values.pop("sec2.licensing.decisions")  # blank: 核实 (R-MISSING)
    sha["丁"] = _write(box / "丁局.xlsx", dataclasses.replace(demo_report, agency="丁局", year=2023, values=values, explanations={}), T0)
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n" + "\n".join(ROSTER) + "\n", encoding="utf-8")
    return tmp_path, box, roster, sha


def _csv(path: Path, rows, encoding="utf-8-sig") -> Path:
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def _collect(tmp, box, roster, reviews, out="out"):
    args = ["collect", str(box), "--roster", str(roster), "-o", str(tmp / out), "--year", "2023", "--jobs", "1", "--force"]
    if reviews is not None:
        args += ["--reviews", str(reviews)]
    return runner.invoke(app, args)


def test_accepted_file_is_locked_returned_is_left_out_and_unaccepted_are_unreviewed(inbox):
    tmp, box, roster, sha = inbox
    reviews = _csv(tmp / "审核记录.csv", [
        ("甲局", sha["甲1"], ACCEPT, "", "张三", "2026-01-20T09:00:00+08:00"),  # the older file: it stays the unit's file
        ("乙局", sha["乙"], RETURN, "请补充正文第三部分的内容", "张三", "2026-01-20T09:10:00+08:00"),
        ("丁局", sha["丁"], ACCEPT, "规章为零，已电话核实确认", "李四", "2026-01-20T09:20:00+08:00"),
    ], encoding="gb18030")
    res = _collect(tmp, box, roster, reviews)
    assert res.exit_code == 1, res.output
    doc = json.loads((tmp / "out/汇总/summary.json").read_text(encoding="utf-8"))
    units = {u["unit"]: u for u in doc["units"]}
    assert units["甲局"]["used"]["sha256"] == sha["甲1"] and units["甲局"]["review"] == "已通过"
    assert "已锁定" in units["甲局"]["note"]
    assert units["乙局"]["review"] == "已退回" and "请补充正文第三部分的内容" in units["乙局"]["note"]
    assert units["丙局"]["review"] == "待审核" and units["丁局"]["review"] == "已通过"
    # 甲局 (its accepted file) and 丁局 (待核实, accepted with the office's 意见) are summed; 乙局 returned is not
    assert doc["included"] == ["甲局", "丁局"] and doc["missing_units"] == ["乙局", "丙局"]
    assert doc["reviews"]["states"] == {"已通过": 2, "已退回": 1, "待审核": 1}
    assert [d["verdict"] for d in doc["reviews"]["decisions"]] == [ACCEPT, RETURN, ACCEPT]
    assert doc["by_type"] is None
    assert {p.name for p in (tmp / "out/单位报告").iterdir()} == {"甲局.docx", "丁局.docx"}
    wb = openpyxl.load_workbook(tmp / "out/汇总/状态.xlsx")
    log = [[c.value for c in row] for row in wb["审核记录"].iter_rows()]
    assert log[0] == ["单位名称", "文件SHA256", "结论", "意见", "审核人", "时间", "文件"]
    assert log[1] == ["甲局", sha["甲1"], ACCEPT, None, "张三", "2026-01-20T09:00:00+08:00", "甲局-1.xlsx"]
    assert log[3][3] == "规章为零，已电话核实确认"
    head = [c.value for c in wb["报送状态"][1]]
    col = head.index("审核")
    reviews_col = {row[0].value: row[col].value for row in wb["报送状态"].iter_rows(min_row=2)}
    assert reviews_col == {"甲局": "已通过", "乙局": "已退回", "丙局": "待审核", "丁局": "已通过"}
    assert "审核：已通过 2，已退回 1，待审核 1" in res.output


def test_a_passing_unit_not_yet_accepted_is_summed_and_listed_unreviewed(inbox):
    tmp, box, roster, sha = inbox
    reviews = _csv(tmp / "r.csv", [])
    res = _collect(tmp, box, roster, reviews)
    assert res.exit_code == 1
    doc = json.loads((tmp / "out/汇总/summary.json").read_text(encoding="utf-8"))
    assert doc["included"] == ["甲局", "乙局"] and doc["reviews"]["unreviewed"] == ["甲局", "乙局"]
    info = {r[0].value: r[1].value for r in openpyxl.load_workbook(tmp / "out/汇总/状态.xlsx")["汇总情况"].iter_rows()}
    assert info["未审核（已纳入汇总）"] == "甲局、乙局"
    assert "未审核（已纳入汇总，尚未审核通过）：甲局、乙局" in res.output.replace("\n", "")


def test_reopened_unit_uses_its_newest_file_again(inbox):
    tmp, box, roster, sha = inbox
    reviews = _csv(tmp / "r.csv", [
        ("甲局", sha["甲1"], ACCEPT, "", "张三", "2026-01-20T09:00:00+08:00"),
        ("甲局", sha["甲1"], REOPEN, "单位申请更正许可件数", "张三", "2026-01-21T09:00:00+08:00"),
    ])
    _collect(tmp, box, roster, reviews)
    doc = json.loads((tmp / "out/汇总/summary.json").read_text(encoding="utf-8"))
    jia = doc["units"][0]
    assert jia["used"]["sha256"] == sha["甲2"] and jia["review"] == "待审核"


@pytest.mark.parametrize("row, message", [
    (("乙局", "SHA", RETURN, "太短", "张三", "2026-01-20T09:00"), "第2行：退回须写明原因（至少6个字）"),
    (("丙局", "SHA", ACCEPT, "", "张三", "2026-01-20T09:00"), "第2行：该文件的检查结论是“有强制错误”，不能审核通过"),
    (("丁局", "SHA", ACCEPT, "", "张三", "2026-01-20T09:00"), "第2行：该文件有待核实的问题：审核通过时须写明审核意见"),
    (("乙局", "a" * 64, RETURN, "一二三四五六七", "张三", "2026-01-20T09:00"), "第2行：“乙局”没有 SHA256 为 aaaaaaaaaaaa… 的文件"),
    (("甲局", "SHA", ACCEPT, "", "张三", "2026-01-20T09:00"), None),
    (("庚局", "SHA", ACCEPT, "", "张三", "2026-01-20T09:00"), "第2行：单位“庚局”不在单位名单中"),
    (("乙局", "SHA", "同意", "", "张三", "2026-01-20T09:00"), "第2行：结论“同意”无效"),
    (("乙局", "SHA", ACCEPT, "", "", "2026-01-20T09:00"), "第2行：审核人为空"),
    (("乙局", "SHA", ACCEPT, "", "张三", "1月20日"), "第2行：时间“1月20日”不是 ISO 8601 格式"),
    (("乙局", "SHA", ACCEPT, ""), "第2行：应有6列"),
])
def test_a_bad_decision_is_one_line_naming_the_csv_line(inbox, row, message):
    tmp, box, roster, sha = inbox
    own = {"甲局": sha["甲1"], "乙局": sha["乙"], "丙局": sha["丙"], "丁局": sha["丁"], "庚局": sha["乙"]}
    row = tuple(own.get(row[0], "") if c == "SHA" else c for c in row)
    reviews = _csv(tmp / "r.csv", [row])
    res = _collect(tmp, box, roster, reviews)
    if message is None:
        assert res.exit_code == 1
        return
    assert res.exit_code == 2, res.output
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "r.csv" in lines[0] and message in lines[0], res.output
    assert not (tmp / "out").exists()


def test_decisions_follow_the_rules_in_order(inbox):
    tmp, box, roster, sha = inbox
    rows = [
        ("甲局", sha["甲1"], ACCEPT, "", "张三", "2026-01-20T09:00"),
        ("甲局", sha["甲1"], RETURN, "数据有误需要重新填报", "张三", "2026-01-20T09:10"),  # locked: refused
    ]
    res = _collect(tmp, box, roster, _csv(tmp / "r.csv", rows))
    assert res.exit_code == 2 and "第3行：该单位的报告已审核通过并锁定，须先重新开放才能退回" in res.output
    rows = [("甲局", sha["甲1"], REOPEN, "需要更正许可件数", "张三", "2026-01-20T09:00")]
    res = _collect(tmp, box, roster, _csv(tmp / "r.csv", rows))
    assert res.exit_code == 2 and "第2行：该单位的报告尚未审核通过，无须重新开放" in res.output
    rows = [("甲局", sha["甲1"], ACCEPT, "", "张三", "2026-01-20T09:00"), ("乙局", sha["乙"], ACCEPT, "", "张三", "2026-01-19T09:00")]
    res = _collect(tmp, box, roster, _csv(tmp / "r.csv", rows))
    assert res.exit_code == 2 and "第3行：审核记录应按时间先后排列" in res.output


def test_the_csv_reader_names_the_line_and_takes_every_encoding(tmp_path):
    text = "单位名称,文件SHA256,结论,意见,审核人,时间\n\n甲局," + "A" * 64 + ",退回,\"第一行\n第二行原因\",张三,2026-01-20\n甲局,xyz,通过,,张三,2026-01-20\n"
    with pytest.raises(Exception) as err:
        loads(text, "r.csv")
    assert "第5行" in err.value.message and "不是 64 位十六进制数" in err.value.message
    ok = loads(text.rsplit("甲局,xyz", 1)[0])
    assert ok[0][0] == 3 and ok[0][1].sha256 == "a" * 64 and ok[0][1].opinion == "第一行\n第二行原因"
    with pytest.raises(Exception) as err:
        loads("")
    assert "表头" in err.value.message


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["甲局", "乙 局", "=1+1局", "丙,局"]), st.sampled_from([ACCEPT, RETURN, REOPEN]),
                          st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(str.strip),
                          st.text("张三李四\"，, ", min_size=1, max_size=6).map(str.strip).filter(bool)), max_size=8))
def test_dumps_then_loads_gives_the_same_decisions(rows):
    decisions = [Decision(u, "b" * 64, v, o, r, f"2026-01-2{i % 10}T09:00:00+08:00") for i, (u, v, o, r) in enumerate(rows)]
    data = dumps(decisions)
    assert data.startswith("\ufeff".encode("utf-8"))
    assert [d for _, d in loads(data.decode("utf-8-sig"))] == decisions
    assert [d for _, d in loads(data.decode("utf-8-sig").encode("gb18030").decode("gb18030"))] == decisions


def test_replay_is_the_one_rule_set():
    status = {"f1": "通过", "f2": "待核实", "f3": "有强制错误"}
    look = lambda unit, sha: status.get(sha)  # noqa: E731
    ok = replay([Decision("甲", "f2", ACCEPT, "已电话核实无误", "张三", "2026-01-20")], ["甲"], look)
    assert ok["甲"].accepted == "f2" and ok["甲"].state("f1") == "已通过"
    with pytest.raises(ReplayError) as err:
        replay([Decision("甲", "f1", RETURN, "原因足够长了", "张三", "2026-01-20"), Decision("甲", "f3", ACCEPT, "", "张三", "2026-01-21")], ["甲"], look)
    assert err.value.index == 1


def test_two_exported_files_joined_read_as_one_and_csv_errors_are_chinese():
    from gkxl.errors import InputError

    sha = "a" * 64
    one = ",".join(HEADER) + f"\n甲局,{sha},退回,表三第一行数字有误请改正,张三,2026-01-20T10:00:00\n"
    two = ",".join(HEADER) + f"\n甲局,{sha},重新开放,已改正后重新开放审核,张三,2026-01-21T10:00:00\n"
    joined = "\ufeff" + one + "\ufeff\n" + "\ufeff" + two  # a BOM-only line and the second file's header with its BOM
    assert [(n, d.verdict) for n, d in loads(joined)] == [(2, "退回"), (5, "重新开放")]
    for bad, why in ((one + f'甲局,{sha},通过,"' + "长" * 200_000 + '",张三,2026-01-22T10:00:00\n', "某一格超过"),
                     (one + f'甲局,{sha},"通过"x,意见,张三,2026-01-22T10:00:00\n', "引号")):
        with pytest.raises(InputError) as exc:
            loads(bad)
        assert "第3行" in exc.value.message and why in exc.value.message and "field" not in exc.value.message, exc.value.message

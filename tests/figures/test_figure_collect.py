"""collect's 一图读懂: 汇总/一图读懂.png and .svg hold the 汇总's numbers (as 汇总数据.xlsx and summary.json give them):
units summed and on the roster, 不完整, 按时提交率, 新收 by 类型; `--figures` adds each summed unit's picture."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from figure_helpers import assert_figure_matches, svg_texts

from collect_helpers import consistent, roster_csv, write
from reports import balance
from gkxl.errors import InputError
from gkxl.figures import fonts
from gkxl.intake import load

GKXL = str(Path(sys.executable).with_name("gkxl"))
try:
    fonts.find_font()
    HAS_FONT = True
except InputError:
    HAS_FONT = False
pytestmark = pytest.mark.skipif(not HAS_FONT, reason="no CJK font on this machine: install fonts-noto-cjk (.ci/run does)")

UNITS = ["示例区教育局", "示例区财政局", "示例区甲街道办事处", "示例区乙镇人民政府"]
TYPES = ["部门", "部门", "乡镇（街道）", "乡镇（街道）"]


def test_summary_figure_holds_the_summary_and_the_round(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    # Three of four units send (the fourth is missing: 不完整); one of them after the deadline.
    for i, unit in enumerate(UNITS[:3]):
        late = i == 2
        write(inbox / f"{unit}.xlsx", consistent(unit, 100 + i), mtime=1706140800 + (10 * 86400 if late else 0))
    roster_csv(tmp_path / "名单.csv", UNITS, TYPES)
    r = subprocess.run([GKXL, "collect", "收件箱", "--roster", "名单.csv", "--year", "2023", "-o", "汇总结果",
                        "--agency", "示例区人民政府办公室", "--deadline", "2024-01-26", "--figures"],
                       capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "COLUMNS": "200"}, timeout=300)
    assert r.returncode in (0, 1), r.stderr
    out = tmp_path / "汇总结果"
    doc = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
    total = load(out / "汇总" / "汇总数据.xlsx").report
    texts = svg_texts((out / "汇总" / "一图读懂.svg").read_bytes())
    by_type = doc["by_type"]
    extra = {
        "value:round:included": str(len(doc["included"])),
        "value:round:roster": str(doc["roster"]),
        "value:round:on_time": doc["on_time"]["rate"],
        "note:incomplete": f"汇总不完整：{len(doc['missing_units'])}个单位的数据未纳入（见报送状态表）",
    }
    for kind, group in by_type.items():
        if "subtotal" in group:
            extra[f"value:type:{kind}"] = str(group["subtotal"]["sec3.new_received.total"])
    assert_figure_matches(total, texts, extra=extra)
    assert texts["title:agency"] == "示例区人民政府办公室"
    assert extra["value:round:included"] == "3" and extra["value:round:roster"] == "4"
    assert extra["value:round:on_time"] == "50.00%"
    assert extra["value:type:部门"] == str(sum(load(inbox / f"{u}.xlsx").report.with_totals()["sec3.new_received.total"] for u in UNITS[:2]))
    png = (out / "汇总" / "一图读懂.png").read_bytes()
    assert struct.unpack(">I", png[16:20])[0] == 2160

    # --figures: each summed unit's own picture, its numbers its report's.
    for unit in UNITS[:3]:
        svg = out / "一图读懂" / f"{unit}.svg"
        assert svg.is_file() and (out / "一图读懂" / f"{unit}.png").is_file()
        assert_figure_matches(load(inbox / f"{unit}.xlsx").report, svg_texts(svg.read_bytes()))
    assert not (out / "一图读懂" / f"{UNITS[3]}.svg").exists()


def test_collect_without_figures_writes_only_the_summary_picture(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    write(inbox / "a.xlsx", consistent(UNITS[0], 1))
    roster_csv(tmp_path / "名单.csv", UNITS[:1])
    r = subprocess.run([GKXL, "collect", "收件箱", "--roster", "名单.csv", "--year", "2023", "-o", "出"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "出" / "汇总" / "一图读懂.png").is_file() and (tmp_path / "出" / "汇总" / "一图读懂.svg").is_file()
    assert not (tmp_path / "出" / "一图读懂").exists()
    texts = svg_texts((tmp_path / "出" / "汇总" / "一图读懂.svg").read_bytes())
    assert "value:round:on_time" not in texts and "note:incomplete" not in texts  # no deadline; complete


def test_unit_figures_compare_with_last_year_from_previous(tmp_path):
    inbox, prev = tmp_path / "收件箱", tmp_path / "上年"
    inbox.mkdir()
    prev.mkdir()
    before = consistent(UNITS[0], 6, year=2022)
    now = consistent(UNITS[0], 5)
    last = before.with_totals()
    for cid in list(now.values):  # this year's 上年结转 is last year's 结转下年度 (else 待核实, not summed)
        if cid.startswith("sec3.carried_over."):
            now.values[cid] = last[cid.replace("carried_over", "carried_forward")]
    now = balance(now)
    write(inbox / "a.xlsx", now)
    write(prev / "a2022.xlsx", before)
    roster_csv(tmp_path / "名单.csv", UNITS[:1])
    r = subprocess.run([GKXL, "collect", "收件箱", "--roster", "名单.csv", "--year", "2023", "-o", "出", "--previous", "上年", "--figures"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r.returncode in (0, 1), r.stderr
    texts = svg_texts((tmp_path / "出" / "一图读懂" / f"{UNITS[0]}.svg").read_bytes())
    assert_figure_matches(load(inbox / "a.xlsx").report, texts, last=load(prev / "a2022.xlsx").report)
    assert "change:sec3.new_received.total" in texts


def test_plan_writer_writes_what_collect_writes(tmp_path):
    """write_plan_figures (for collect's plan + outputs) gives the same files from the same round."""
    from types import SimpleNamespace

    from gkxl.collect import run_collect, sum_reports
    from gkxl.figures.summary import write_plan_figures

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for i, unit in enumerate(UNITS[:2]):
        write(inbox / f"{unit}.xlsx", consistent(unit, 40 + i))
    result = run_collect(inbox, UNITS[:2], tmp_path / "出", year=2023, agency="示例区", jobs=1, figures=True)
    summed = [u for u in result.units if u.unit in result.included]
    total = sum_reports([u.used.report for u in summed], agency="示例区", year=2023)[0]
    plan = SimpleNamespace(result=result, total=total, summed=summed)
    written = write_plan_figures(plan, tmp_path / "另", units=True)
    assert sorted(written) == sorted(["汇总/一图读懂.png", "汇总/一图读懂.svg"] + [f"一图读懂/{u}.{f}" for u in UNITS[:2] for f in ("png", "svg")])
    for rel in written:
        if rel.endswith(".svg"):
            assert svg_texts((tmp_path / "另" / rel).read_bytes()) == svg_texts((tmp_path / "出" / rel).read_bytes())

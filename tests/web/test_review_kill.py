"""kill -9 during an office's decision: every earlier decision is kept, the interrupted one is either wholly there or
not at all (never half), and the round goes on after a restart."""

from __future__ import annotations

import hashlib
import re
import signal
import sqlite3
import threading
import time

import httpx
import pytest
from live_server import Server
from test_server import upload
from web_helpers import ROSTER, workbook


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "单位名单.csv"
    path.write_text("单位名称\n" + "\n".join(ROSTER) + "\n", encoding="utf-8")
    return path


def decide(client: httpx.Client, srv: Server, unit_id: int, data: bytes, verdict: str, opinion: str) -> httpx.Response:
    page = client.get(srv.office, timeout=60).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = {"csrf": csrf, "unit": str(unit_id), "sha256": hashlib.sha256(data).hexdigest(), "verdict": verdict,
            "opinion": opinion, "reviewer": "王审核"}
    return client.post(f"{srv.office}/review", data=form, timeout=60, headers={"origin": srv.base, "x-requested-with": "gkxl"})


def rows(srv: Server) -> list[tuple]:
    db = sqlite3.connect(srv.data / "round.sqlite")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute("SELECT unit_id, verdict, opinion, reviewer FROM decisions ORDER BY id").fetchall()
    finally:
        db.close()


def test_kill_9_during_a_decision_loses_no_earlier_one_and_never_half_records(tmp_path, roster, demo_report, monkeypatch):
    srv = Server(tmp_path, roster).start()
    data = {u: workbook(demo_report, u) for u in ROSTER[:3]}
    with httpx.Client() as client:
        for unit, wb in data.items():
            assert upload(client, srv.links[unit], srv.csrf(unit, client), wb).status_code == 200
        ids = {}
        status = client.get(f"{srv.office}/status.json", timeout=60).json()
        page = client.get(srv.office, timeout=60).text
        for unit in data:
            ids[unit] = int(re.search(r'<tr data-unit="' + re.escape(unit) + r'">\s*<td class="unit" id="unit-(\d+)"', page).group(1))
        assert decide(client, srv, ids["甲局"], data["甲局"], "退回", "许可件数与正文不一致").json()["ok"]
        assert decide(client, srv, ids["乙局"], data["乙局"], "通过", "").json()["ok"]
        assert status["reviews"] == 0
    srv.kill(signal.SIGTERM)
    earlier = rows(srv)
    assert [r[1] for r in earlier] == ["退回", "通过"]

    marker = tmp_path / "paused"
    monkeypatch.setenv("GKXL_TEST_PAUSE", f"decision:{marker}")
    srv.start()
    answers = []
    with httpx.Client() as client:
        worker = threading.Thread(target=lambda: answers.append(_try(decide, client, srv, ids["丙局"], data["丙局"], "退回", "正文第五部分缺少内容")))
        worker.start()
        end = time.monotonic() + 120
        while not (marker.exists() and marker.read_text()) and time.monotonic() < end:
            time.sleep(0.05)
        assert marker.exists(), "the decision never reached its pause point"
        srv.kill(signal.SIGKILL)  # the row is written, the transaction not committed
        worker.join(60)
    assert answers and answers[0] is None  # the office never heard "done"
    assert rows(srv) == earlier  # nothing lost, nothing half-recorded

    monkeypatch.delenv("GKXL_TEST_PAUSE")
    srv.start()
    try:
        with httpx.Client() as client:
            doc = client.get(f"{srv.office}/status.json", timeout=60).json()
            review = {u["unit"]: u["review"] for u in doc["units"]}
            assert review["甲局"] == "已退回" and review["乙局"] == "已通过" and review["丙局"] == "待审核"
            assert decide(client, srv, ids["丙局"], data["丙局"], "退回", "正文第五部分缺少内容").json()["ok"]
        assert [r[1] for r in rows(srv)] == ["退回", "通过", "退回"]
    finally:
        srv.kill(signal.SIGTERM)


def _try(fn, *args):
    try:
        return fn(*args)
    except httpx.HTTPError:
        return None

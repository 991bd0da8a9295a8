"""A real server (`gkxl serve`, uvicorn on 127.0.0.1): started from the command, restarted, killed with -9 while
units upload — no accepted upload is ever lost, and the round resumes with the same links."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import threading
from urllib.parse import quote

import httpx
import pytest
from live_server import Server
from test_inbox import extract
from typer.testing import CliRunner
from web_helpers import ROSTER, workbook

from gkxl.cli.app import app


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "单位名单.csv"
    path.write_text("单位名称\n" + "\n".join(ROSTER) + "\n", encoding="utf-8")
    return path


def upload(client: httpx.Client, link: str, csrf: str, data: bytes, name: str = "年报.xlsx") -> httpx.Response:
    base = link.split("/u/")[0]
    return client.post(f"{link}/upload", content=data, timeout=60,
                       headers={"x-csrf-token": csrf, "x-file-name": quote(name), "origin": base})


def test_serve_prints_the_office_address_writes_the_links_and_binds_loopback(tmp_path, roster):
    srv = Server(tmp_path, roster).start()
    try:
        assert "政务公开办页面" in srv.output and "单位链接表" in srv.output
        assert sorted(srv.links) == sorted(ROSTER)
        tokens = [link.rsplit("/u/", 1)[1] for link in srv.links.values()]
        assert len(set(tokens)) == len(ROSTER) and all(len(t) >= 32 for t in tokens)  # ≥ 24 random bytes each
        assert all(link.startswith("http://127.0.0.1:") for link in srv.links.values())
        assert httpx.get(srv.links["甲局"], timeout=30).status_code == 200
        # a page asked for under another host name (DNS rebinding) is refused
        assert httpx.get(srv.links["甲局"], headers={"host": "evil.example"}, timeout=30).status_code == 400
    finally:
        srv.kill(signal.SIGTERM)


def test_a_foreign_links_file_stops_serve_before_anything_starts(tmp_path, roster):
    (tmp_path / "单位链接.xlsx").write_bytes(b"the office's own spreadsheet")
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "gkxl.cli.app", "serve", "--roster", str(roster), "--year", "2023",
                          "--data", str(tmp_path / "数据"), "--port", "0", "--no-browser"], check=False, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "不会覆盖" in res.stderr and "Traceback" not in res.stderr
    assert (tmp_path / "单位链接.xlsx").read_bytes() == b"the office's own spreadsheet"


def test_kill_9_during_uploads_and_restarts_lose_no_accepted_upload(tmp_path, roster, demo_report):
    srv = Server(tmp_path, roster).start()
    office_key = srv.office.rsplit("/o/", 1)[1]
    units = ["甲局", "乙局", "丙局"]
    accepted: list[tuple[int, str, str]] = []  # (upload id, unit, sha256 of the bytes sent)
    lock = threading.Lock()
    stop = threading.Event()

    def unit_worker(unit: str) -> None:
        with httpx.Client() as client:
            csrf = srv.csrf(unit, client)
            i = 0
            while not stop.is_set() and i < 200:
                i += 1
                data = workbook(demo_report, unit, balanced=True, **{"sec2.licensing.decisions": i})
                try:
                    res = upload(client, srv.links[unit], csrf, data, f"{unit}-{i}.xlsx")
                except httpx.TransportError:
                    return  # the server was killed mid-request: this upload was never accepted
                if res.status_code == 200:
                    with lock:
                        accepted.append((res.json()["upload"], unit, hashlib.sha256(data).hexdigest()))

    threads = [threading.Thread(target=unit_worker, args=(u,)) for u in units]
    for t in threads:
        t.start()
    while True:
        with lock:
            if len(accepted) >= 12:
                break
        threads[0].join(0.02)
    srv.kill(signal.SIGKILL)  # while the three units are still uploading
    stop.set()
    for t in threads:
        t.join(60)
    assert len(accepted) >= 12

    db = sqlite3.connect(srv.data / "round.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()

    srv.start()  # resumes the round in the same data folder
    assert srv.office.endswith(office_key)
    with httpx.Client() as client:
        for upload_id, unit, digest in accepted:
            res = client.get(f"{srv.office}/uploads/{upload_id}", timeout=30)
            assert res.status_code == 200 and hashlib.sha256(res.content).hexdigest() == digest
            page = client.get(f"{srv.links[unit]}/uploads/{upload_id}", timeout=30)
            assert page.status_code == 200  # and still the unit's own, through its own link
        doc = client.get(f"{srv.office}/status.json", timeout=30).json()
        status = {u["unit"]: u for u in doc["units"]}
        for unit in units:
            mine = [a for a in accepted if a[1] == unit]
            assert status[unit]["uploads"] >= len(mine)
            assert status[unit]["status"] == "通过"
        # after a graceful stop and a start the round is the same again, and takes uploads as before
        srv.kill(signal.SIGTERM)
        srv.start()
        again = client.get(f"{srv.office}/status.json", timeout=30).json()
        assert again["units"] == client.get(f"{srv.office}/status.json", timeout=30).json()["units"]
        assert [u["uploads"] for u in again["units"]] == [status[u]["uploads"] for u in ROSTER]
        res = upload(client, srv.links["<b>丁局</b>"], srv.csrf("<b>丁局</b>", client), workbook(demo_report, "<b>丁局</b>"))
        assert res.status_code == 200 and res.json()["status"] == "通过"
        # the exported inbox of the resumed round collects to the same 汇总 the office page offers
        inbox = extract(client.get(f"{srv.office}/download/inbox.zip", timeout=120).content, tmp_path / "解压")
        offered = client.get(f"{srv.office}/download/summary.xlsx", timeout=120).content
    assert len(list(inbox.iterdir())) == sum(u["uploads"] for u in again["units"]) + 1
    out = tmp_path / "汇总结果"
    res = CliRunner().invoke(app, ["collect", str(inbox), "--roster", str(roster), "-o", str(out), "--year", "2023", "--jobs", "1"])
    assert res.exit_code == 0, res.output  # every roster unit passed
    assert (out / "汇总" / "汇总数据.xlsx").read_bytes() == offered
    srv.kill(signal.SIGTERM)
    assert not list((srv.data / ".incoming").iterdir())  # partial uploads of the killed server were cleared at restart


def test_another_host_than_loopback_warns_and_links_name_this_machine(tmp_path, roster, monkeypatch):
    """--host 0.0.0.0: a warning, and links with this machine's address (the server is not started: uvicorn's
    run is replaced, so nothing listens on a public interface during the tests)."""
    import uvicorn

    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["serve", "--roster", str(roster), "--year", "2023", "--data", str(tmp_path / "数据"),
                                   "--host", "0.0.0.0", "--port", "0", "--no-browser"])
    assert res.exit_code == 0, res.output
    assert "注意" in res.stderr and "0.0.0.0" in res.stderr
    links = Server(tmp_path, roster).read_links()
    assert not any("0.0.0.0" in link for link in links.values())
    quiet = CliRunner().invoke(app, ["serve", "--roster", str(roster), "--year", "2023", "--data", str(tmp_path / "数据"),
                                     "--port", "0", "--no-browser"])
    assert quiet.exit_code == 0 and "注意" not in quiet.stderr
    assert "http://127.0.0.1:" in quiet.stdout


def test_bad_arguments_are_one_chinese_line(tmp_path, roster):
    res = CliRunner().invoke(app, ["serve", "--roster", str(roster), "--year", "2023", "--deadline", "明年", "--data", str(tmp_path / "d"), "--no-browser"])
    assert res.exit_code == 2 and "截止日期" in res.stderr and "Traceback" not in res.output
    res = CliRunner().invoke(app, ["serve", "--roster", str(tmp_path / "无.csv"), "--no-browser"])
    assert res.exit_code == 2 and "名单文件不存在" in res.stderr

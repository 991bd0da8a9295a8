"""Many units uploading at once (issue 22): checks run in a bounded pool of worker processes (collect's own check
function), the event loop is never blocked by one, a dead worker is replaced, and a burst of uploads is committed
in groups — every upload still durable before its answer. Throughput itself is measured by bench/web.py."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest
from live_server import Server
from web_helpers import ROSTER, Web, unbalanced, workbook

from gkxl.web.checks import CheckPool, default_jobs
from gkxl.web.storage import ClosedError

linux_only = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads worker processes from /proc (Linux)")


def wait_for(path: Path, what: str, seconds: float = 120) -> int:
    """The pid a paused check wrote into its marker file (fsio._test_pause), the marker then removed."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if path.is_file() and path.read_text():
            pid = int(path.read_text())
            path.unlink()
            return pid
        time.sleep(0.02)
    raise AssertionError(f"no check reached the pause: {what}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not stat.is_file() or stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_the_pool_gives_the_verdicts_of_the_check_in_this_process(tmp_path, demo_report):
    pool = CheckPool(2)
    inline, pooled = Web(tmp_path / "inline"), Web(tmp_path / "pooled")
    pooled.round.checks = pool
    try:
        books = [workbook(demo_report, "甲局"), unbalanced(demo_report, "甲局"), workbook(demo_report, "乙局"), b"PK\x03\x04broken"]
        for data in books:
            a, b = inline.upload("甲局", data).json(), pooled.upload("甲局", data).json()
            assert (a["status"], a["verdict"]) == (b["status"], b["verdict"])
        assert [s for s in inline.status().values()] == [s for s in pooled.status().values()]
        assert pool.jobs == 2 and 1 <= len(pool.pids()) <= 2 and os.getpid() not in pool.pids()
    finally:
        pool.close()
        inline.store.close()
        pooled.store.close()
    assert not [p for p in pool.pids() if alive(p)]
    assert 1 <= default_jobs() <= 4


@linux_only
def test_a_check_runs_in_a_worker_the_loop_serves_meanwhile_and_a_dead_worker_is_replaced(tmp_path, demo_report, monkeypatch):
    marker = tmp_path / "paused"
    monkeypatch.setenv("GKXL_TEST_PAUSE", f"check:{marker}")  # every worker started from now holds its checks
    pool = CheckPool(2)
    submitted = []
    real_submit = pool._submit
    pool._submit = lambda p, args, options: (submitted.append(args[1]), real_submit(p, args, options))[1]
    web = Web(tmp_path / "data")
    web.round.checks = pool
    answers: dict[str, httpx.Response] = {}

    def in_thread(key: str, call) -> threading.Thread:
        t = threading.Thread(target=lambda: answers.setdefault(key, call()))
        t.start()
        return t

    try:
        with web.client as client:  # one event loop for every request, as under uvicorn
            csrf = web.csrf("甲局")
            upload = in_thread("up", lambda: web.upload("甲局", workbook(demo_report, "甲局"), csrf=csrf))
            first = wait_for(marker, "the first check")
            assert first != os.getpid() and first in pool.pids()  # in a worker process, not the server's
            # the check is held: the loop serves other units all the same
            assert client.get(web.link("乙局")).status_code == 200
            assert web.upload("乙局", b"not a workbook", "x.pdf").status_code == 415
            assert client.get("/static/app.js").status_code == 200
            assert upload.is_alive() and len(web.store.uploads()) == 1  # kept before it is checked
            # the office's board needs this verdict: it waits for the same check, never starts a second one
            office = in_thread("office", lambda: client.get(f"{web.office}/status.json"))

            os.kill(first, signal.SIGKILL)  # the worker dies: a new pool, the check tried once more
            second = wait_for(marker, "the check tried again")
            assert second != first and second in pool.pids()
            monkeypatch.delenv("GKXL_TEST_PAUSE")  # the pool started after the next death checks normally
            os.kill(second, signal.SIGKILL)
            upload.join(120)
            office.join(120)
            res = answers["up"]
            assert res.status_code == 200 and "检查进程意外结束" in res.json()["verdict_html"]
            assert answers["office"].status_code == 200
            # not remembered as its verdict: looked at again, the upload is checked by the new workers
            page = client.get(web.link("甲局"))
            assert "结论：通过" in page.text
            assert web.status()["甲局"] == "通过"
            assert not alive(first) and not alive(second)
            # the first try, the try after the first death, and once more after the second: never one per visitor
            assert len(submitted) == 3 and len(set(submitted)) == 1
    finally:
        pool.close()
        web.store.close()


def test_an_upload_being_checked_is_not_checked_again_by_whoever_else_asks(tmp_path, demo_report):
    """Units' pages and the office's board ask for verdicts too: while a check runs, they wait for it."""
    from gkxl.collect import check_file

    class HeldChecks:
        jobs = 2

        def __init__(self):
            self.calls = 0
            self.go = threading.Event()

        def check(self, *args, **options):
            self.calls += 1
            self.go.wait(60)
            return check_file(*args, **options)

    web = Web(tmp_path / "data")
    held = HeldChecks()
    try:
        web.upload("甲局", workbook(demo_report, "甲局"))
        web.round._checked.clear()  # as after a restart: kept, not yet checked
        web.round.checks = held
        [up] = web.store.uploads()
        got = []
        askers = [threading.Thread(target=lambda: got.append(web.round.check(up))) for _ in range(4)]
        for t in askers:
            t.start()
        time.sleep(0.5)  # every asker is waiting by now
        held.go.set()
        for t in askers:
            t.join(60)
        assert held.calls == 1 and len(got) == 4 and all(c is got[0] for c in got) and got[0].passed
        assert web.round.check(up) is got[0] and held.calls == 1  # and kept
    finally:
        web.store.close()


def test_a_burst_of_uploads_is_committed_in_groups_each_durable_before_its_answer(tmp_path, demo_report):
    web = Web(tmp_path / "data")
    store = web.store
    unit = web.units["甲局"]
    commits = []
    real_tx = store._tx

    def counting_tx():
        commits.append(1)
        return real_tx()

    store._tx = counting_tx
    data = [workbook(demo_report, "甲局", **{"sec2.licensing.decisions": i}) for i in range(40)]
    results: dict[int, object] = {}
    gate = threading.Barrier(40)

    def one(i: int) -> None:
        fh, tmp = store.incoming_file()
        with fh:
            fh.write(data[i])
        gate.wait()
        results[i] = store.accept(unit, tmp, filename=f"{i}.xlsx", suffix=".xlsx")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(40)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        ups = store.uploads()
        assert len(ups) == 40 and sorted(u.id for u in ups) == sorted(r.id for r in results.values())
        assert {u.filename for u in ups} == {f"{i}.xlsx" for i in range(40)}
        for i, r in results.items():  # each caller got its own row back
            assert store.upload(r.id).filename == f"{i}.xlsx" and store.path_of(r).read_bytes() == data[i]
        assert len(commits) < 40  # grouped (one commit per upload before)
    finally:
        store.close()
    # a batch that fails fails for every upload in it, never answered as kept
    store._db = None
    fh, tmp = store.incoming_file()
    fh.write(b"x")
    fh.close()
    with pytest.raises(ClosedError):
        store.accept(unit, tmp, filename="late.xlsx", suffix=".xlsx")


@linux_only
def test_the_server_checks_in_its_workers_and_stops_them_when_it_stops(tmp_path, demo_report):
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n" + "\n".join(ROSTER) + "\n", encoding="utf-8")
    marker = tmp_path / "paused"
    os.environ["GKXL_TEST_PAUSE"] = f"check:{marker}"
    try:
        srv = Server(tmp_path, roster, extra=("--jobs", "2")).start()
    finally:
        del os.environ["GKXL_TEST_PAUSE"]
    try:
        csrf = srv.csrf("甲局")
        base = srv.links["甲局"].split("/u/")[0]

        def send():
            try:
                httpx.post(f"{srv.links['甲局']}/upload", content=workbook(demo_report, "甲局"), timeout=120,
                           headers={"x-csrf-token": csrf, "x-file-name": "a.xlsx", "origin": base})
            except httpx.HTTPError:
                pass  # the server stopped while the check was held

        t = threading.Thread(target=send, daemon=True)
        t.start()
        worker = wait_for(marker, "the server's check")
        assert worker != srv.proc.pid and alive(worker)
        assert httpx.get(srv.links["乙局"], timeout=30).status_code == 200  # served while it checks
        proc = srv.proc
        proc.send_signal(signal.SIGTERM)  # stopped while a check is held: the server ends, and its workers
        proc.wait(60)
        end = time.monotonic() + 30
        while alive(worker) and time.monotonic() < end:
            time.sleep(0.05)
        assert not alive(worker)
    finally:
        srv.kill()


def test_the_upload_a_unit_is_shown_as_used_is_the_one_the_board_uses(tmp_path, demo_report):
    """A unit's page marks the upload its status comes from without building the whole board: the same answer,
    also when roster names are parts of one another and a file cannot be read (attributed by its name)."""
    roster = ["甲局", "甲局办公室", "局", "乙局"]
    web = Web(tmp_path / "data", roster=roster)
    try:
        web.upload("甲局办公室", b"PK\x03\x04 not a workbook", "a.xlsx")
        web.upload("甲局", workbook(demo_report, "甲局"))
        web.upload("甲局", b"PK\x03\x04 broken", "b.xlsx")
        web.upload("局", workbook(demo_report, "乙局"))  # another roster unit's workbook: never attributed
        web.upload("乙局", unbalanced(demo_report, "乙局"))
        board = web.round.board()
        for row in board.rows:
            shown = web.round.used_upload(row.unit)
            assert shown == (row.used.upload.id if row.used else None), row.unit.name
    finally:
        web.store.close()

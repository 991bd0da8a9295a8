"""`gkxl serve` started exactly as the README tells a new user (issue 22): from the user's own working folder, a
relative roster, the default data folder — and the office downloads every result of the round."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import httpx
import openpyxl
import pytest
import xlsxwriter
from web_helpers import unit_report

from gkxl.excel.writer import build_workbook
from gkxl.intake import load

ROOT = Path(__file__).resolve().parents[2]
README_COMMAND = "gkxl serve --roster 单位名单.xlsx --year 2025 --deadline 2026-01-26"
UNITS = ["甲局", "乙局"]


def readme_command() -> list[str]:
    """The README's command, word for word (checked below), with only what a test needs added: a free port, and
    no browser. The `gkxl` script of this Python when installed, else the same entry point as a module."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{README_COMMAND}`" in readme, "the README no longer starts the round with this command"
    script = Path(sys.executable).parent / ("gkxl.exe" if os.name == "nt" else "gkxl")
    head = [str(script)] if script.is_file() else [sys.executable, "-m", "gkxl.cli.app"]
    return [*head, *README_COMMAND.split()[1:], "--port", "0", "--no-browser"]


def write_roster(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("名单")
    ws.write_string(0, 0, "单位名称")
    for i, unit in enumerate(UNITS, 1):
        ws.write_string(i, 0, unit)
    wb.close()


def start(cwd: Path) -> tuple[subprocess.Popen, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.Popen(readme_command(), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**env, "GKXL_NO_BROWSER": "1"})
    lines = []
    end = time.monotonic() + 60
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError("gkxl serve ended: " + "".join(lines) + proc.stderr.read())
        lines.append(line)
        m = re.search(r"(http://127\.0\.0\.1:\d+)/o/(\S+)", line)
        if m:
            return proc, f"{m.group(1)}/o/{m.group(2)}", "".join(lines)
    proc.kill()
    raise AssertionError("gkxl serve printed no address in 60 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    proc.stdout.close()
    proc.stderr.close()


def wait_up(url: str) -> None:
    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("the office page never answered")


def links_of(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path).active
    return {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def office_folder(tmp_path):
    """The office's own working folder, somewhere else than the tests' (and than the source checkout)."""
    cwd = tmp_path / "政务公开办" / "2025年报"
    cwd.mkdir(parents=True)
    write_roster(cwd / "单位名单.xlsx")
    return cwd


def passing_2025(demo_report, unit: str) -> bytes:
    report = unit_report(demo_report, unit, year=2025)
    report = dataclasses.replace(report, meta={**report.meta, "issued_on": "2026-01-20"})
    return build_workbook(report, lock_agency=True)


def test_the_readme_command_from_the_offices_folder_gives_every_download(office_folder, demo_report, tmp_path):
    old_umask = os.umask(0o022)  # the usual umask: what the server creates must be private all the same
    try:
        proc, office, output = start(office_folder)
    finally:
        os.umask(old_umask)
    try:
        wait_up(office)
        data = office_folder / "2025年度报送数据"  # the default --data, beside the roster in the working folder
        assert (data / "round.sqlite").is_file()
        assert str(data) in output  # the data folder is printed as the absolute path the round keeps
        links = links_of(office_folder / "单位链接.xlsx")
        assert sorted(links) == sorted(UNITS)
        with httpx.Client(timeout=120) as client:
            link = links["甲局"]
            csrf = re.search(r'data-csrf="([^"]+)"', client.get(link).text).group(1)
            res = client.post(f"{link}/upload", content=passing_2025(demo_report, "甲局"),
                              headers={"x-csrf-token": csrf, "x-file-name": quote("甲局2025年报.xlsx")})
            assert res.status_code == 200 and res.json()["status"] == "通过", res.text
            got = {}
            for what in ("status.xlsx", "summary.xlsx", "summary.docx", "reports.zip", "inbox.zip", "roster.xlsx"):
                r = client.get(f"{office}/download/{what}")
                assert r.status_code == 200, (what, r.status_code, r.text[:300])
                got[what] = r.content
        # and they are the round's results, not just any answer
        out = tmp_path / "下载"
        out.mkdir()
        (out / "汇总数据.xlsx").write_bytes(got["summary.xlsx"])
        summed = load(out / "汇总数据.xlsx").report
        assert summed.year == 2025 and summed.values == unit_report(demo_report, "甲局", year=2025).values
        with zipfile.ZipFile(io.BytesIO(got["reports.zip"])) as zf:
            assert any("甲局" in n and n.endswith(".docx") for n in zf.namelist())
        with zipfile.ZipFile(io.BytesIO(got["inbox.zip"])) as zf:
            assert [n for n in zf.namelist() if not n.endswith("/")] == [f"收件箱/甲局_{res.json()['upload']:06d}.xlsx"]
        with zipfile.ZipFile(io.BytesIO(got["summary.docx"])) as zf:
            assert "汇总" in zf.read("word/document.xml").decode("utf-8")
        assert got["status.xlsx"][:2] == b"PK"
        # issue 22 (4): under umask 022, the data folder and every file holding keys are for this account alone
        if os.name != "nt":
            assert mode(data) == 0o700
            for name in ("round.sqlite", "round.sqlite-wal", "round.sqlite-shm"):
                if (data / name).exists():
                    assert mode(data / name) == 0o600, name
            assert mode(office_folder / "单位链接.xlsx") == 0o600
    finally:
        stop(proc)


"""A real `gkxl serve` in a child process (uvicorn on 127.0.0.1, a free port chosen by the system), for the tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import openpyxl
from web_helpers import YEAR


class Server:
    def __init__(self, workdir: Path, roster: Path, *, data: Path | None = None, extra: tuple[str, ...] = ()):
        self.workdir, self.roster = workdir, roster
        self.data = data or workdir / "数据"
        self.extra = extra
        self.proc: subprocess.Popen | None = None

    def start(self) -> Server:
        env = {**os.environ, "GKXL_NO_BROWSER": "1"}
        cmd = [sys.executable, "-m", "gkxl.cli.app", "serve", "--roster", str(self.roster), "--year", str(YEAR),
               "--data", str(self.data), "--port", "0", "--no-browser", *self.extra]
        self.proc = subprocess.Popen(cmd, cwd=self.workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("gkxl serve ended: " + "".join(lines) + self.proc.stderr.read())
            lines.append(line)
            m = re.search(r"(http://127\.0\.0\.1:\d+)/o/(\S+)", line)
            if m:
                self.base, self.office = m.group(1), f"{m.group(1)}/o/{m.group(2)}"
                break
        self.output = "".join(lines)
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.office, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        self.links = self.read_links()
        return self

    def read_links(self) -> dict[str, str]:
        ws = openpyxl.load_workbook(self.data.parent / "单位链接.xlsx").active
        return {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
            self.proc.wait(30)
        if self.proc is not None:
            self.proc.stdout.close()
            self.proc.stderr.close()
        self.proc = None

    def csrf(self, unit: str, client: httpx.Client | None = None) -> str:
        html = (client or httpx).get(self.links[unit], timeout=30).text
        return re.search(r'data-csrf="([^"]+)"', html).group(1)

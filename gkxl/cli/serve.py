"""`gkxl serve`: the collection round as a local web app — one link per unit, the check on upload, a live board."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .common import REQUIREMENTS_HELP, check_year, err, escape, handle_errors, out

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _public_host(host: str) -> str:
    """The address to put in links: the bound one, or this machine's address when bound to every interface."""
    if host in ("0.0.0.0", "::", ""):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the outgoing interface
                return s.getsockname()[0]
        except OSError:
            return socket.gethostname()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _absolute(path: Path) -> Path:
    """The path from the working folder the command was started in, made absolute (`..` resolved, links kept)."""
    return Path(os.path.abspath(path))


def _can_open_browser() -> bool:
    if os.environ.get("CI") or os.environ.get("GKXL_NO_BROWSER"):
        return False
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    return True


@handle_errors
def serve(
    roster: Annotated[Path, typer.Option("--roster", help="单位名单（CSV 或 XLSX，表头“单位名称”，可有“类型”列），与 gkxl template、collect 相同")],
    year: Annotated[int | None, typer.Option("--year", help="报告年度（默认：上一年）")] = None,
    data: Annotated[Path | None, typer.Option("--data", help="数据文件夹：保存本轮全部上传和状态，再次启动时继续（默认：“<年度>年度报送数据”）")] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help="报送截止日期，如 2026-01-26（当天有效）；之后上传的标为逾期")] = None,
    host: Annotated[str, typer.Option("--host", help="监听地址（默认只允许本机访问；局域网内其他计算机访问时用 0.0.0.0）")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="端口")] = 8000,
    agency: Annotated[str, typer.Option("--agency", help="汇总报告的机关名称，与 gkxl collect --agency 相同")] = "本级汇总",
    links: Annotated[Path | None, typer.Option("--links", help="单位链接表的位置（默认：数据文件夹旁的“单位链接.xlsx”）")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器")] = False,
    requirements: Annotated[str | None, typer.Option("--requirements", help=REQUIREMENTS_HELP + "；上传的检查、单位下载的模板和汇总都按此清单")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, max=64, help="同时检查上传文件的进程数（默认：CPU 核数，最多 4）")] = None,
) -> None:
    """网上报送：启动（或继续）一轮报送，每个单位一个专用链接，上传即检查，政务公开办实时查看报送情况。

    写出“单位链接.xlsx”（每个单位一个链接，请分别发给各单位），显示政务公开办页面的地址。
    每次上传都完整保存在数据文件夹中；停止后用同样的命令再次启动即可继续。按 Ctrl+C 停止。

    示例：gkxl serve --roster 单位名单.xlsx --year 2025 --deadline 2026-01-26
    """
    from ..deadline import parse_deadline
    from ..roster import read_roster_entries
    from ..web.app import create_app
    from ..web.links import write_links
    from ..web.round import Round
    from ..web.storage import ClosedError, Store

    from ..packs import load_pack

    pack = load_pack(requirements) if requirements is not None else None
    # Every path the round keeps is made absolute now: the round's collect runs in another working folder, and
    # nothing may depend on where the server was started from once it runs.
    roster = _absolute(roster)
    data = _absolute(data) if data is not None else None
    links = _absolute(links) if links is not None else None
    entries = read_roster_entries(roster)  # names and 类型, as collect reads them
    year = year or dt.date.today().year - 1
    check_year(year)
    try:
        due = parse_deadline(deadline) if deadline is not None else None
    except ValueError as exc:
        raise InputError(str(exc)) from None
    folder = data or _absolute(Path(f"{year}年度报送数据"))
    store = Store.open(folder, roster=[(e.name, e.type) for e in entries], year=year, deadline=due)
    rnd = Round(store, agency=agency, requirements=pack)
    rnd.clear_outputs()

    loopback = _is_loopback(host)
    sock = socket.socket(socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        raise InputError(f"无法在 {host}:{port} 上启动（{exc.strerror or exc}）；端口可能已被占用，请换一个 --port") from None
    port = sock.getsockname()[1]
    base = f"http://{_public_host(host)}:{port}"
    unit_links = [(u.name, f"{base}/u/{u.token}") for u in store.units()]
    links_path = links or folder.parent / "单位链接.xlsx"
    write_links(links_path, year, unit_links, rnd.round_id)

    office = f"{base}/o/{rnd.office_token}"
    if not loopback:
        err.print(f"[yellow]注意：[/]正在监听 {escape(host)}，局域网内能访问本机的人都能打开这些地址；链接即凭证，请只发给对应单位。")
    out.print(f"{year}年度报送已启动：{len(unit_links)}个单位；数据文件夹：{escape(str(folder))}")
    out.print(f"单位链接表：{escape(str(links_path))}（每个单位一个链接，请分别发给各单位）")
    out.print(f"政务公开办页面（请勿外传）：{office}")
    out.print("按 Ctrl+C 停止；再次运行同样的命令即可继续本轮报送。")
    sys.stdout.flush()

    if not no_browser and _can_open_browser():
        import webbrowser

        threading.Timer(1.0, lambda: webbrowser.open(office)).start()

    # Uploads are checked in worker processes (started now, ready before the first upload), never on the loop.
    from concurrent.futures import CancelledError

    from ..web.checks import CheckCrashed, CheckPool

    rnd.checks = CheckPool(jobs)

    # Resuming: check every kept upload now, in the background and in every worker, so the office's first look is quick.
    def warm() -> None:
        try:
            rnd.check_all()
            rnd.board()
        except (ClosedError, CheckCrashed, CancelledError):
            pass  # stopped before the check was done

    threading.Thread(target=warm, name="gkxl-warm", daemon=True).start()

    import uvicorn

    allowed = tuple(LOOPBACK_NAMES) if loopback else None
    app = create_app(rnd, allowed_hosts=allowed)
    # On Ctrl+C, requests still running get a few seconds (an upload is kept before it is checked: one cut off then
    # is checked at the next start); a check that hangs must not keep the server from stopping.
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        rnd.checks.close()
        store.close()
    out.print("已停止。再次运行同样的命令即可继续本轮报送，已收到的上传都在数据文件夹中。")

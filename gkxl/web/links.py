"""单位链接.xlsx: one row per roster unit with its link, for the office to send. Written atomically; a file of that
name is replaced only when it is the links workbook of this same round (its custom property says so)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from ..errors import InputError
from ..fsio import exists, write_bytes

MARK = "gkxl_round_links"
MAX_PROPS = 1 << 20


def is_ours(path: Path, round_id: str) -> bool:
    """True when `path` is a links workbook gkxl wrote for this round."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/custom.xml")
            if info.file_size > MAX_PROPS:
                return False
            text = zf.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False
    return MARK in text and f"<vt:lpwstr>{round_id}</vt:lpwstr>" in text


def build_links(year: int, links: list[tuple[str, str]], round_id: str) -> bytes:
    import datetime as dt

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    wb.set_properties({"title": f"{year}年度政府信息公开工作年度报告 各单位报送链接", "author": "gkxl", "created": dt.datetime(year + 1, 1, 1)})
    wb.set_custom_property(MARK, round_id, "text")
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    plain = wb.add_format({"border": 1})
    ws = wb.add_worksheet("单位链接")
    ws.write_string(0, 0, "单位名称", head)
    ws.write_string(0, 1, "报送链接（仅发给该单位，凭链接即可报送）", head)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 90)
    for row, (unit, url) in enumerate(links, 1):
        ws.write_string(row, 0, unit, plain)
        ws.write_string(row, 1, url, plain)
    ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()


def write_links(path: Path, year: int, links: list[tuple[str, str]], round_id: str) -> Path:
    if exists(path) and not is_ours(path, round_id):
        raise InputError("已有同名文件，且不是本轮 gkxl serve 写出的单位链接表，不会覆盖；请用 --links 另指定位置", file=str(path))
    data = build_links(year, links, round_id)
    # Every unit's key is in it: made for this account alone (0600; on Windows the folder's NTFS permissions decide).
    # The umask, not a chmod after the rename, so that it is never readable by others, not even for a moment; a
    # narrower umask for a moment makes only files other threads create meanwhile more private, never less.
    old = os.umask(0o077)
    try:
        written = write_bytes(path, data, force=True)
    finally:
        os.umask(old)
    if os.name != "nt":
        os.chmod(written, 0o600)
    return written

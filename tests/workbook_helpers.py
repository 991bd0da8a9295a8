"""Test helpers for reading workbooks back: write gkxl workbooks, edit them as other programs would, run the CLI."""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from gkxl.cli.app import app
from gkxl.excel.package import open_package
from gkxl.excel.writer import build_workbook
from gkxl.model import Report

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def write_workbook(report: Report, path: Path, *, lock_agency: bool = True, lock_year: bool = True) -> Path:
    path.write_bytes(build_workbook(report, lock_agency=lock_agency, lock_year=lock_year))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet_part(path: Path, sheet: str) -> str:
    with open_package(path) as pkg:
        return pkg.sheet(sheet).part


def rezip(
    src: Path,
    dst: Path,
    *,
    edit: dict[str, Callable[[bytes], bytes]] | None = None,
    add: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
    order: Callable[[list[str]], list[str]] | None = None,
) -> Path:
    """Copy a zip package, editing some parts, adding and dropping others, in another part order if asked."""
    edit, add = edit or {}, add or {}
    with zipfile.ZipFile(src) as zin:
        parts = {n: zin.read(n) for n in zin.namelist() if n not in drop}
    for name, fn in edit.items():
        parts[name] = fn(parts[name])
    parts.update(add)
    names = order(list(parts)) if order else list(parts)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in names:
            zout.writestr(n, parts[n])
    return dst


def openpyxl_edit(src: Path, dst: Path, fn: Callable) -> Path:
    """Open with openpyxl, let fn change the workbook, save to dst (formulas kept, cached values dropped)."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    fn(wb)
    wb.save(dst)
    return dst


def cli(*args: str) -> object:
    """Run gkxl in-process; the result has exit_code, stdout and stderr."""
    return CliRunner().invoke(app, [str(a) for a in args])


def check_json(*args: str) -> tuple[int, dict]:
    result = cli("check", "--json", *args)
    return result.exit_code, json.loads(result.stdout)


def findings_of(doc: dict, index: int = 0) -> dict[str, dict]:
    return {f["key"]: f for f in doc["files"][index]["findings"]}


def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: (name, stored bytes, method, declared size, crc) per entry; the sizes may lie."""
    out = bytearray()
    central = bytearray()
    for name, data, method, size, crc in entries:
        offset = len(out)
        fname = name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(fname), 0)
        out += fname + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size, len(fname), 0, 0, 0, 0, 0, offset
        )
        central += fname
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_offset, 0)
    return bytes(out)


def deflated_zeros(megabytes: int) -> tuple[bytes, int]:
    """Raw deflate data inflating to `megabytes` MB of b"<" (an XML part that never ends), and its CRC."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"<" * (1 << 20)
    data = bytearray()
    crc = 0
    for _ in range(megabytes):
        data += comp.compress(chunk)
        crc = zlib.crc32(chunk, crc)
    data += comp.flush()
    return bytes(data), crc



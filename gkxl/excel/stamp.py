"""Many unit templates from one: build the workbook once with a marker for the unit's name, then stamp each name in.

A roster's templates differ only in the unit's name (sheet 基本信息, the identity block, the 表 headers' cached
"填报单位：…" values and the document properties), so `gkxl template --roster` builds one workbook per format and
year and, for each unit, replaces the marker in the few package parts that hold it. The parts that do not hold it
are copied compressed as they are; the parts that do are compressed anew. Every stamped part is, byte for byte,
the part `build_workbook` writes for that unit (tests compare them part by part for random names); a name the
stamp cannot place exactly (one that needs XML escaping, one that is already one of the workbook's own strings,
so that xlsxwriter would share it) is built in full instead.

The zip container is written here (local headers, central directory, end record: PKWARE APPNOTE 4.3, no ZIP64,
deflate as zipfile does it), so no private zipfile interface is used.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Callable

from ..model import Report
from .forms import info_value_height

MARKER = "\ue000GKXL-UNIT\ue001"  # private-use characters, which no roster name holds (stampable refuses them)
_MARKER_B = MARKER.encode("utf-8")
# Characters whose XML or shared-string encoding by xlsxwriter is not the character itself.
_UNSAFE = set('&<>"\'') | {chr(c) for c in range(0x20)} | {"\ue000", "\ue001"}


@dataclass(frozen=True)
class _Part:
    name: bytes
    date: tuple[int, int]  # DOS time, date
    attr: int
    raw: bytes | None  # compressed, when the part does not hold the marker
    text: bytes | None  # uncompressed, when it does
    crc: int = 0
    size: int = 0


def _dos(dt: tuple[int, ...]) -> tuple[int, int]:
    return dt[3] << 11 | dt[4] << 5 | (dt[5] // 2), (dt[0] - 1980) << 9 | dt[1] << 5 | dt[2]


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


class Stamp:
    """`make(name)` gives the unit's template: the marker stamped over a base built for a name of the same layout.

    The name's only effect on the layout is the height of its row on 基本信息 (forms.info_value_height), so
    there is one base per height: the first unit of each height is built in full, and its own name, found
    exactly where a build with the marker puts the marker (same count in every part), becomes the marker.
    """

    def __init__(self, format_id: str, year: int, build: Callable[[Report], bytes]):
        self.format_id, self.year, self._build = format_id, year, build
        marked = _parts_of(build(Report(format_id, year, MARKER)))
        self._where = {n: data.count(_MARKER_B) for n, data in marked}
        self._shared = dict(marked).get("xl/sharedStrings.xml", b"")
        self._bases: dict[float, list[_Part] | None] = {}

    def stampable(self, name: str) -> bool:
        """Whether a name can be stamped: nothing xlsxwriter would escape, and not one of the workbook's own strings
        (xlsxwriter would share it)."""
        if not name or name != name.strip() or any(ch in _UNSAFE for ch in name) or "_x" in name.lower():
            return False
        return f"<t>{name}</t>".encode("utf-8") not in self._shared

    def make(self, name: str) -> bytes:
        key = info_value_height(name)
        if key not in self._bases:
            return self._first(name, key)
        parts = self._bases[key]
        if parts is None or not self.stampable(name):
            return self._build(Report(self.format_id, self.year, name))
        return _zip(parts, name.encode("utf-8"))

    def _first(self, name: str, key: float) -> bytes:
        """Build `name` in full; keep it, its name turned back into the marker, as the base of its height."""
        built = self._build(Report(self.format_id, self.year, name))
        found = _parts_of(built)
        value = name.encode("utf-8")
        usable = self.stampable(name) and all(data.count(value) == self._where.get(n, -1) for n, data in found)
        self._bases[key] = None
        if usable:
            with zipfile.ZipFile(io.BytesIO(built)) as z:
                infos = {i.filename: i for i in z.infolist()}
            parts = []
            for n, data in found:
                info = infos[n]
                t, d = _dos(info.date_time)
                if self._where[n]:
                    parts.append(_Part(n.encode("ascii"), (t, d), info.external_attr, None, data.replace(value, _MARKER_B)))
                else:
                    parts.append(_Part(n.encode("ascii"), (t, d), info.external_attr, _deflate(data), None, zlib.crc32(data), len(data)))
            self._bases[key] = parts
        return built


def _parts_of(package: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def _zip(parts: list[_Part], value: bytes) -> bytes:
    out = io.BytesIO()
    central = []
    for p in parts:
        if p.raw is not None:
            raw, crc, size = p.raw, p.crc, p.size
        else:
            data = p.text.replace(_MARKER_B, value)
            raw, crc, size = _deflate(data), zlib.crc32(data), len(data)
        offset = out.tell()
        t, d = p.date
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, t, d, crc, len(raw), size, len(p.name), 0))
        out.write(p.name)
        out.write(raw)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, t, d, crc, len(raw), size,
                                   len(p.name), 0, 0, 0, 0, p.attr, offset) + p.name)
    start = out.tell()
    for c in central:
        out.write(c)
    size_dir = out.tell() - start
    if start > 0xFFFFFFFF or len(central) > 0xFFFF:  # a template is some 30 KB: never
        raise ValueError("template too large for a plain zip")
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), size_dir, start, 0))
    return out.getvalue()

"""Opening an Office package (.xlsx, .docx) as hostile input: zip limits checked before anything is inflated, every
part read through a cap, and XML parsed without DTDs, entities or network.

One opener for every package gkxl reads — the xlsx reader (gkxl/excel/package.py), the Word importer, the
report of a previous year given as .docx, and the style reference of `gkxl report --reference`:

- the zip's directory is read first: the number of entries, each part's declared inflated size, each part's
  compression ratio and the declared total are checked against limits, so a zip bomb is refused from its header;
- the XML parts are those named .xml/.rels/.vml and those [Content_Types].xml declares XML (a reader follows the
  content types, not the names), each held to the per-part limit;
- a part is inflated through `Capped`, which stops at the limit, so a header that lies about a size gains nothing;
- XML is parsed by lxml with entities never resolved, no DTD loaded, no network; a part that declares a DOCTYPE
  (where entity declarations such as a "billion laughs" live) is refused outright, whatever its entities are.

Every refusal is an InputError with one Chinese line naming the file.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from lxml import etree

from .errors import InputError

MB = 1024 * 1024
MAX_PART = 20 * MB  # inflated size of any one XML part (a report's document.xml is some 200 KB)
MAX_TOTAL = 200 * MB  # inflated size of all parts together, as declared
MAX_RATIO = 500  # compression ratio of a part larger than RATIO_FLOOR: deflate cannot exceed ~1030
RATIO_FLOOR = 1 * MB
MAX_ENTRIES = 5000
XML_SUFFIXES = (".xml", ".rels", ".vml")

BOMB = "可能是恶意文件（压缩炸弹），已拒绝读取"
DAMAGED = "文件不完整或已损坏（压缩包无法打开），请重新保存或重新发送"


def _size(n: int) -> str:
    return f"{n // MB} MB" if n >= MB else f"{max(n // 1024, 1)} KB"


def parser_kwargs() -> dict:
    """lxml parser options for untrusted XML: no entity resolution, no DTD, no network, no huge trees."""
    return dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False)


def doctype_refused(part: str, source: str) -> InputError:
    return InputError(f"部件“{part}”含有不安全的 XML 实体声明（DOCTYPE），已拒绝读取", file=source)


def xml_syntax_error(exc: etree.XMLSyntaxError, part: str, source: str) -> InputError:
    """A parser's syntax error as one Chinese line: where in the part, and why in words (never lxml's English)."""
    msg = exc.msg or ""
    why = "含有 XML 不允许的控制字符" if "Char value" in msg or "invalid Char" in msg else (
        "内容不完整（提前结束）" if "end" in msg.lower() and ("premature" in msg.lower() or "EOF" in msg) else "结构错误")
    line, col = (exc.position if getattr(exc, "position", None) else (exc.lineno, 0))
    where = f"第{line}行第{col}列" if line else ""
    return InputError(f"部件“{part}”不是有效的 XML（{where}{why}），文件可能已损坏", file=source)


def parse_xml(data: bytes, part: str = "", source: str = "") -> etree._Element:
    """Parse one XML part held in memory; a DOCTYPE is refused, a syntax error is one Chinese line."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
        raise doctype_refused(part, source)
    try:
        root = etree.fromstring(data, etree.XMLParser(**parser_kwargs()))
    except etree.XMLSyntaxError as exc:
        raise xml_syntax_error(exc, part, source) from None
    if root.getroottree().docinfo.doctype:
        raise doctype_refused(part, source)
    return root


class Capped:
    """A read-only stream that refuses to deliver more than `limit` bytes (the inflated size of one part)."""

    def __init__(self, raw: IO[bytes], limit: int, part: str, source: str):
        self.raw, self.limit, self.part, self.source, self.count = raw, limit, part, source, 0

    def read(self, n: int = -1) -> bytes:
        want = self.limit + 1 - self.count if n is None or n < 0 else min(n, self.limit + 1 - self.count)
        data = self.raw.read(max(want, 0)) if want > 0 else b""
        self.count += len(data)
        if self.count > self.limit:
            raise InputError(f"部件“{self.part}”解压后超过 {_size(self.limit)}，{BOMB}", file=self.source)
        return data

    def close(self) -> None:
        self.raw.close()


class SafeZip:
    """An Office package opened for reading: its directory checked, its parts inflated only when asked, capped.

    `what` names the kind of file in messages ("工作簿", "Word 文档"); `save_as` the format to save as again
    (".xlsx", ".docx"). A path or the bytes of the package.
    """

    def __init__(self, source: str | Path | bytes, *, name: str = "", what: str = "文件", save_as: str = "",
                 max_part: int = MAX_PART, max_total: int = MAX_TOTAL):
        self.source = name or (str(source) if not isinstance(source, bytes) else "")
        self.what, self.save_as = what, save_as
        self.max_part, self.max_total = max_part, max_total
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError):
            raise InputError(DAMAGED, file=self.source) from None
        try:
            self.names = self._check_entries()
            self.xml_names = self._xml_parts()
        except BaseException:
            self._zip.close()
            raise

    def _check_entries(self) -> dict[str, str]:
        """Lower-case part name → the name as stored; every limit checked from the directory alone."""
        infos = self._zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise InputError(f"压缩包内文件过多（{len(infos)} 个），不是正常的{self.what}", file=self.source)
        total = 0
        names: dict[str, str] = {}
        for info in infos:
            xml = info.filename.lower().endswith(XML_SUFFIXES)
            if xml and info.file_size > self.max_part:
                raise InputError(
                    f"压缩包中的部件“{info.filename}”解压后过大（声明 {_size(info.file_size)}，上限 {_size(self.max_part)}），{BOMB}",
                    file=self.source,
                )
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise InputError(
                    f"压缩包中的部件“{info.filename}”压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），{BOMB}",
                    file=self.source,
                )
            total += info.file_size
            names[info.filename.replace("\\", "/").lstrip("/").lower()] = info.filename
        if total > self.max_total:
            raise InputError(f"压缩包解压后过大（各部件共 {_size(total)}，上限 {_size(self.max_total)}），{BOMB}", file=self.source)
        return names

    def _xml_parts(self) -> set[str]:
        """Lower-case names of the parts a reader parses as XML: by suffix, and by [Content_Types].xml (a part named
        "x.dat" may be declared XML there, and python-docx or openpyxl would parse it); their declared sizes checked."""
        xml = {n for n in self.names if n.endswith(XML_SUFFIXES)}
        ct = self.stored_name("[Content_Types].xml")
        if ct is not None:
            try:
                root = self.xml(ct)
            except InputError as exc:
                if "DOCTYPE" in exc.message:
                    raise
                root = None  # a damaged content-types part: the reader says so in its own words
            defaults: dict[str, str] = {}
            overrides: dict[str, str] = {}
            for el in root if root is not None else ():
                tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
                if tag == "Default":
                    defaults[(el.get("Extension") or "").lower()] = el.get("ContentType") or ""
                elif tag == "Override":
                    overrides[(el.get("PartName") or "").lstrip("/").lower()] = el.get("ContentType") or ""
            for name in self.names:
                ctype = overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1] if "." in name else "", "")
                if ctype.lower().endswith("xml"):
                    xml.add(name)
        for name in xml:
            info = self._zip.getinfo(self.names[name])
            if info.file_size > self.max_part:
                raise InputError(
                    f"压缩包中的部件“{info.filename}”解压后过大（声明 {_size(info.file_size)}，上限 {_size(self.max_part)}），{BOMB}",
                    file=self.source,
                )
        return xml

    def has(self, part: str) -> bool:
        return part.lstrip("/").lower() in self.names

    def stored_name(self, part: str) -> str | None:
        return self.names.get(part.lstrip("/").lower())

    def stream(self, part: str, limit: int | None = None) -> Capped:
        name = self.stored_name(part)
        if name is None:
            raise InputError(f"{self.what}缺少部件“{part}”（文件不完整或已损坏）", file=self.source)
        info = self._zip.getinfo(name)
        if info.flag_bits & 0x1:
            again = f"；请取消密码后另存为 {self.save_as} 再提交" if self.save_as else ""
            raise InputError(f"压缩包设置了密码，无法读取{again}", file=self.source)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError(f"部件“{part}”使用了不支持的压缩方式，不是办公软件保存的{self.what}", file=self.source)
        try:
            raw = self._zip.open(info)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
            raise InputError(DAMAGED, file=self.source) from None
        return Capped(raw, self.max_part if limit is None else limit, part, self.source)

    def read(self, part: str, limit: int | None = None) -> bytes:
        """The inflated bytes of one part (capped; a damaged part is one Chinese line)."""
        stream = self.stream(part, limit)
        chunks = []
        try:
            while True:
                chunk = stream.read(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        except InputError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise InputError("文件不完整或已损坏（解压失败），请重新保存或重新发送", file=self.source) from None
        finally:
            stream.close()
        return b"".join(chunks)

    def read_all(self) -> dict[str, bytes]:
        """Every part as stored (names as written), each capped; the declared total was checked on opening."""
        out: dict[str, bytes] = {}
        for info in self._zip.infolist():
            if info.is_dir():
                continue
            lower = info.filename.replace("\\", "/").lstrip("/").lower()
            out[info.filename] = self.read(info.filename, limit=self.max_part if lower in self.xml_names else self.max_total)
        return out

    def events(self, part: str, events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, object]]:
        """Parse one part incrementally and safely; a DOCTYPE (possible entity declarations) is refused."""
        stream = self.stream(part)
        checked = False
        try:
            for event, el in etree.iterparse(stream, events=("start", *events), **parser_kwargs()):
                if not checked:
                    checked = True
                    if el.getroottree().docinfo.doctype:
                        raise doctype_refused(part, self.source)
                if event in events:
                    yield event, el
        except InputError:
            raise
        except etree.XMLSyntaxError as exc:
            raise xml_syntax_error(exc, part, self.source) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise InputError("文件不完整或已损坏（解压失败），请重新保存或重新发送", file=self.source) from None

    def xml(self, part: str) -> etree._Element:
        """The root of one part, parsed safely."""
        last = None
        for _event, el in self.events(part, ("end",)):
            last = el
        if last is None:
            raise InputError(f"部件“{part}”是空的", file=self.source)
        return last.getroottree().getroot()

    def scan_all(self) -> None:
        """Parse every XML part once (safely), so that a later reader (openpyxl, python-docx) meets no hostile XML."""
        for lower, name in self.names.items():
            if lower in self.xml_names:
                for _ in self.events(name):
                    pass

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def checked_parts(data: bytes, *, name: str, what: str = "文件") -> dict[str, bytes]:
    """Every part of a package held in memory, the zip checked and every XML part verified free of DTDs."""
    with SafeZip(data, name=name, what=what) as z:
        z.scan_all()
        return z.read_all()

"""Telling from a file's first bytes what it is, before any unzipping: an .xls, an encrypted xlsx, a CSV, a web page."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

MB = 1024 * 1024
MAX_FILE = 100 * MB  # a filled template is some 50 KB
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"


def sniff(path: Path) -> None:
    """Refuse, from its first bytes, a file that cannot be an xlsx package, saying what it is instead."""
    source = str(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        from ..fsio import read_reason

        raise InputError(f"无法打开文件（{read_reason(exc)}）", file=source) from None
    if size == 0:
        raise InputError("文件是空的（0 字节），请重新保存后再提交", file=source)
    if size > MAX_FILE:
        raise InputError(f"文件过大（{size // MB} MB），不是 gkxl 填报模板", file=source)
    if head.startswith(OLE_MAGIC):
        raise InputError(_ole_message(path), file=source)
    if head.startswith(ZIP_MAGIC) or head.startswith(EMPTY_ZIP_MAGIC):
        return
    suffix = path.suffix.lower()
    sample = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n").lower()
    if sample.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta", b"<head")):
        raise InputError(
            "这是网页或 XML 文本，只是扩展名像 Excel 文件；请在 Excel、WPS 或 LibreOffice 中打开后另存为 .xlsx（Excel 工作簿）再提交", file=source
        )
    if suffix == ".csv":
        raise InputError("这是 CSV 文本文件，不是 gkxl 填报模板；请使用 gkxl template 生成的 .xlsx 模板填写", file=source)
    if _looks_like_text(head):
        raise InputError("不是 Excel 工作簿：文件内容是文本（可能是改了扩展名的其他文件）", file=source)
    raise InputError("不是 Excel 工作簿（文件格式无法识别）", file=source)


def _looks_like_text(head: bytes) -> bool:
    for enc in ("utf-8", "gb18030"):
        try:
            text = head.decode(enc)
        except UnicodeDecodeError:
            # The 512 bytes may end inside a character: retry without the last few bytes.
            try:
                text = head[:-3].decode(enc)
            except UnicodeDecodeError:
                continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return False


def _ole_message(path: Path) -> str:
    """An OLE container is an old .xls (or WPS .et) or an encrypted xlsx; tell them apart by its streams."""
    if _contains(path, "EncryptionInfo".encode("utf-16-le")):
        return "工作簿设置了打开密码（已加密），无法读取；请在 Excel 或 WPS 中取消密码（文件→信息→保护工作簿）后另存为 .xlsx 再提交"
    if path.suffix.lower() == ".et":
        return "这是 WPS 表格 .et 格式，请在 WPS 中另存为 .xlsx（Excel 工作簿）后再提交"
    return "这是 .xls 格式（旧版 Excel 工作簿），请在 WPS、Excel 或 LibreOffice 中另存为 .xlsx 后再提交"


def _contains(path: Path, needle: bytes, limit: int = MAX_FILE) -> bool:
    """Whether the file's first `limit` bytes contain needle (the OLE directory holds stream names in UTF-16)."""
    overlap = len(needle) - 1
    tail = b""
    read = 0
    with open(path, "rb") as fh:
        while read < limit:
            chunk = fh.read(1 << 20)
            if not chunk:
                return False
            read += len(chunk)
            if needle in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False

"""An old Word 97-2003 .doc → tokens: converted to .docx by LibreOffice (a private profile, a time limit), then read
as a .docx. Without LibreOffice, one clear message."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import InputError
from ..office import convert, find_soffice
from .tokens import Token

TIMEOUT = 60  # seconds: a report of a few pages converts in a few seconds


def doc_tokens(path: Path) -> list[Token]:
    from .from_docx import docx_tokens

    source = str(path)
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):  # a .docx saved with the old suffix
        return docx_tokens(path)
    if head != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError("不是有效的 Word 97-2003 文档（.doc）", file=source)
    if find_soffice() is None:
        raise InputError("读取旧版 Word 文档（.doc）需要 LibreOffice，本机未安装；请在 Word 或 WPS 中另存为 .docx 或 PDF 后导入", file=source)
    with tempfile.TemporaryDirectory(prefix="gkxl-doc-") as tmp:
        src = Path(tmp) / "report.doc"  # a plain name: LibreOffice names its output after the input
        src.write_bytes(path.read_bytes())
        try:
            converted = convert(src, "docx:MS Word 2007 XML", Path(tmp) / "out", timeout=TIMEOUT)
        except InputError as exc:
            raise InputError(f"无法用 LibreOffice 转换旧版 Word 文档：{exc.message}", file=source) from None
        tokens = docx_tokens(converted)
    return tokens

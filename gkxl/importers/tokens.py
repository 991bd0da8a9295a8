"""The common form every published source is read into: a sequence of tokens (lines and table cells) with their origin."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError

MAX_BYTES = 20 * 1024 * 1024  # a published report is a few hundred kB; anything this large is not one


@dataclass(frozen=True)
class Token:
    """One line of text or one table cell, as published, and where it was found."""

    text: str
    origin: str  # "第12行", "表格2 第5行第3列", "第7段"
    cell: bool = False  # a cell of a real table (HTML or Word); lines of copied text are never cells


def decode(data: bytes, source: str, declared: str | None = None) -> str:
    """Text from bytes: a declared charset first, then UTF-8 (with or without BOM), then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        declared = "utf-8-sig"
    tried = []
    for enc in (declared, "utf-8", "gb18030"):
        if not enc or enc in tried:
            continue
        tried.append(enc)
        try:
            return data.decode(_codec(enc))
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError("无法识别文件的文字编码（不是 UTF-8 或 GB18030/GBK）", file=source)


def _codec(name: str) -> str:
    name = name.strip().lower()
    # GB2312 and GBK pages routinely contain characters only GB18030 has; GB18030 is a superset of both.
    return "gb18030" if name.replace("-", "").replace("_", "") in ("gb2312", "gbk", "gb231280", "cp936", "xgbk") else name


_SEPARATOR = re.compile(r"[|｜\t]")


_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+")
_MD_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
# [^<>]*: a tag never runs into the next one (a "<td" left open must not make every search scan to the end)
_HTML_TABLE = re.compile(r"(?is)</?(?:table|tbody|thead|tfoot|tr|td|th|caption|colgroup|col)\b[^<>]*>")
_BR = re.compile(r"(?i)<br\s*/?>")
_INVENTED = re.compile(r"^(?:数据|列|项目|column|col)\s*\d+$", re.I)  # a converter's own column names ("数据1")


CONVERTED_NOTE = "文本带有 PDF 转换或文字识别（OCR）的痕迹（Markdown 标题、“|”表格等），按纯文本读取"


def converted(text: str) -> bool:
    """Whether the text came out of a PDF-to-Markdown or OCR converter ("#" headings, "|---|" rules, <br>)."""
    return bool(re.search(r"(?m)^[ \t]*#{1,6}[ \t]+\S|^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\||<br\s*/?>", text))


def _made_up(cell: str) -> bool:
    """A header cell that is no part of any official label (the converter's "项目", "本年新收件数")."""
    from ..formats import all_formats
    from .labels import norm

    c = norm(cell)
    if not c or re.fullmatch(r"[()（）]*", c):
        return False
    return not any(c in norm(lb.text) for f in all_formats() for t in f.tables for lb in t.labels)


def from_markdown(text: str) -> str:
    """Text from PDF-to-Markdown and OCR converters as plain text: "#" heading marks taken off, "|---|" rules
    dropped, a table header row made up by the converter ("| 类别 | 数据1 | 数据2 |") dropped, "<br>" inside a
    cell a space, an HTML <table> inside the text written as "|" rows. Nothing else is changed."""
    if "<" in text and _HTML_TABLE.search(text):
        # a cell begins where its <td>/<th> opens: HTML may leave </td> and </tr> out
        text = re.sub(r"(?is)<tr\b[^<>]*>", "\n", text)
        text = re.sub(r"(?is)<t[dh]\b[^<>]*>", "|", text)
        text = re.sub(r"(?is)</t[dh]>", "", text)
        text = re.sub(r"(?is)</tr>", "|\n", text)
        text = _HTML_TABLE.sub("", text)
    text = _BR.sub(" ", text)
    lines = text.splitlines()
    out: list[str] = []
    for n, line in enumerate(lines):
        if _MD_RULE.match(line):
            out.append("")  # lines stay where they were: origins name the line of the file
            continue
        nxt = lines[n + 1] if n + 1 < len(lines) else ""
        if "|" in line and _MD_RULE.match(nxt):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not any(re.fullmatch(r"\d+(?:\.\d+)?", c) for c in cells) and any(_INVENTED.match(c) or _made_up(c) for c in cells):
                out.append("")  # the converter's own header, not the report's
                continue
        out.append(_MD_HEADING.sub("", line))
    return "\n".join(out)


def text_tokens(text: str) -> list[Token]:
    """Text copied from a web page, in either of the two shapes browsers and sites produce:

    - one cell per line (the sample): "|" after a cell, and runs of it, are stray; a line with "|" but no
      text is one blank cell; an empty line is only a paragraph break;
    - one table row per line, cells separated by "|" or a tab: an empty cell between two separators is a
      blank cell, the separator ending a line ends it, and empty cells leading a line stand for the merged
      label cells of the rows above (rowspan), which are not cells of this row.

    The shape is decided for each block of consecutive lines with separators (a page's information box may be
    one row per line above a report whose tables are one cell per line).
    """
    lines = [line.strip(" \u3000\u00a0") for line in from_markdown(text).splitlines()]  # tabs kept: they may stand for cells
    rows = _row_blocks(lines)
    out: list[Token] = []
    for number, line in enumerate(lines, 1):
        origin = f"第{number}行"
        if not _SEPARATOR.search(line):
            if line:
                out.append(Token(line, origin))
            continue
        parts = [p.strip() for p in _SEPARATOR.split(line)]
        if rows[number - 1]:
            if parts[-1] == "" and rows[number - 1] != "joined":
                parts.pop()
            while parts and parts[0] == "":
                parts.pop(0)
            out.extend(Token(p, f"{origin}第{k}格") for k, p in enumerate(parts, 1))
            continue
        cells = [p for p in parts if p]
        if cells:
            out.extend(Token(c, origin) for c in cells)
        else:
            out.append(Token("", origin))
    return out


def _row_blocks(lines: list[str]) -> list[str]:
    """For each line, whether its block of separated lines is one row per line ("" when not): several lines hold
    two cells or more. "joined" when the cells are joined by the separator (no line begins with one, and some row
    ends without one, as "a | b | c" renderings of a page give): a separator ending such a line is followed by a
    blank last cell; "rows" otherwise (the separator ending a line ends its row)."""
    shape = [""] * len(lines)
    block: list[int] = []

    def close() -> None:
        many = [i for i in block if len([p for p in _SEPARATOR.split(lines[i]) if p.strip()]) >= 2]
        if len(many) >= max(2, len(block) // 5):
            joined = not any(_SEPARATOR.match(lines[i]) for i in block) and any(not _SEPARATOR.search(lines[i][-1:]) for i in many)
            for i in block:
                shape[i] = "joined" if joined else "rows"
        block.clear()

    for i, line in enumerate(lines):
        if _SEPARATOR.search(line):
            block.append(i)
        elif line:  # a line of text ends the block; an empty line does not
            close()
    close()
    return shape


def check_size(size: int, source: str) -> None:
    if size > MAX_BYTES:
        raise InputError(f"文件过大（超过 {MAX_BYTES // (1024 * 1024)} MB），不是政府信息公开工作年度报告", file=source)

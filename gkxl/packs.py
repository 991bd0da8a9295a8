"""Requirement packs (`--requirements`): the TOML reader, at the edge. The rule itself is gkxl/rules/requirements.py.

A value given on the command line is the name of a pack shipped in gkxl/data/requirements/ (`30号`, `武威2025`), or
else a path. A pack that cannot be used raises InputError with one Chinese line naming the file and its line.

The file (UTF-8 TOML):

    name = "武威2025"                  # how findings name it: R-REQUIREMENT.武威2025:<item id>
    notice = "武政办发〔2025〕54号"      # the notice it comes from, quoted in every finding
    formats = ["2021"]                 # optional: the report formats it applies to

    [[item]]
    id = "主动公开-网站"                 # unique in the pack; no spaces, "." or ":"
    section = "overview.active"        # a section id, or "一" / "五" / "六", or a list of them
    text = "写明政府网站公开信息的数量"     # what is required, in words
    number = ["政府网站", "门户网站"]     # one of: keywords, number (+ units), max_chars, min_chars
    units = ["条"]
    severity = "核实"                   # 强制 / 核实 / 提示
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

from .errors import InputError
from .findings import Severity
from .rules.pack import KINDS, PARTS, Item, Pack, all_section_ids, section_ids

PACK_DIR = Path(__file__).parent / "data" / "requirements"
MAX_BYTES = 1024 * 1024
TOP_KEYS = ("name", "notice", "formats", "item")
ITEM_KEYS = ("id", "section", "text", "severity", *KINDS, "units")
RESERVED_IDS = ("未核对", "适用范围")  # scopes of R-REQUIREMENT's own notes (gkxl/rules/requirements.py)
_BAD_NAME = re.compile(r"[\s.:：。]")
_ITEM_HEADER = re.compile(r"^\s*\[\[\s*item\s*\]\]")


def shipped() -> dict[str, Path]:
    """The packs shipped with gkxl, by name (the file's stem)."""
    return {p.stem: p for p in sorted(PACK_DIR.glob("*.toml"))}


class _Lines:
    """Where things stand in the pack file, for messages: the line of item i, of a key at the top or in item i."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.items = [n for n, line in enumerate(self.lines, 1) if _ITEM_HEADER.match(line)]

    def item(self, i: int) -> int:
        return self.items[i] if i < len(self.items) else 1

    def key(self, key: str, i: int | None = None) -> int:
        if i is None:
            start, end = 1, (self.items[0] if self.items else len(self.lines) + 1)
        else:
            start = self.item(i)
            end = self.items[i + 1] if i + 1 < len(self.items) else len(self.lines) + 1
        pat = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for n in range(start, end):
            if pat.match(self.lines[n - 1]):
                return n
        return start


def load_pack(value: str) -> Pack:
    """The pack a --requirements value names (a shipped pack's name, or a path)."""
    packs = shipped()
    if value in packs:
        path = packs[value]
    else:
        path = Path(value)
        if not path.is_file():
            names = "、".join(packs)
            raise InputError(f"要求清单“{value}”既不是内置的要求清单（{names}），也不是存在的文件")
    try:
        data = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        raise InputError(f"要求清单无法读取（{exc.strerror or exc}）", file=str(path)) from None
    if len(data) > MAX_BYTES:
        raise InputError("要求清单文件过大（超过 1 MB），不是要求清单", file=str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"第{line}行：要求清单应为 UTF-8 编码的 TOML 文件", file=str(path)) from None
    pack = parse_pack(text, source=str(path))
    return replace(pack, source=str(path.resolve()))  # absolute: `serve` hands it to a collect run in another folder


_QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')  # a TOML string on one line ("…" with escapes, '…')
MAX_NESTING = 32  # "." "[" "{" outside strings on one line: a pack's deepest line has four


def parse_pack(text: str, *, source: str = "") -> Pack:
    lines = _Lines(text)

    def bad(line: int, message: str) -> InputError:
        return InputError(f"第{line}行：{message}", file=source)

    # A pack is flat: [[item]] tables of keys, strings and lists of lists of strings. Deep nesting is refused before
    # tomllib sees it (its recursion and its dotted keys' quadratic memory would end the run: exit 3, or killed).
    for n, line in enumerate(lines.lines, 1):
        bare = _QUOTED.sub("", line)
        if sum(bare.count(c) for c in ".[{") > MAX_NESTING:
            raise bad(n, "键、表或列表的嵌套层数过多，不是要求清单")
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        raise InputError("嵌套层数过多，不是要求清单", file=source) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        where = f"第{m.group(1)}行第{m.group(2)}列" if m else "第1行"
        raise InputError(f"{where}：不是有效的 TOML（检查引号是否成对、每行是否为“键 = 值”、同一个键是否写了两次）", file=source) from None
    for key in doc:
        if key not in TOP_KEYS:
            raise bad(lines.key(key), f"未知的键“{key}”（应为 {'、'.join(TOP_KEYS)}）")
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise bad(lines.key("name"), "缺少要求清单的名称 name（文字）")
    if _BAD_NAME.search(name):
        raise bad(lines.key("name"), f"名称“{name}”不能含空格、“.”或“:”（它是问题编号的一部分）")
    notice = doc.get("notice")
    if not isinstance(notice, str) or not notice.strip():
        raise bad(lines.key("notice"), "缺少 notice（要求所依据的文件，如“武政办发〔2025〕54号”）")
    formats = doc.get("formats", [])
    if not isinstance(formats, list) or not all(f in ("2021", "2019") for f in formats):
        raise bad(lines.key("formats"), "formats 应为格式的列表，如 [\"2021\"]（可选 \"2021\"、\"2019\"）")
    raw_items = doc.get("item")
    if not isinstance(raw_items, list) or not raw_items:
        raise bad(len(lines.lines) or 1, "没有任何要求条目（每个条目以 [[item]] 开头）")
    items: list[Item] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(raw_items):
        at = lines.item(i)
        if not isinstance(raw, dict):
            raise bad(at, "条目应以 [[item]] 开头，下面逐行写“键 = 值”")
        item = _item(raw, i, lines, bad)
        if item.id in seen:
            raise bad(lines.key("id", i), f"条目编号“{item.id}”与第{seen[item.id]}行的条目重复")
        seen[item.id] = lines.key("id", i)
        items.append(item)
    return Pack(name.strip(), notice.strip(), tuple(items), tuple(formats), source)


def _words(value: object) -> tuple[str, ...] | None:
    """A word or a list of words (alternatives) as a tuple, or None if it is neither."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(re.sub(r"\s+", "", v) for v in value)
    return None


def _item(raw: dict, i: int, lines: _Lines, bad) -> Item:
    at = lines.item(i)
    for key in raw:
        if key not in ITEM_KEYS:
            raise bad(lines.key(key, i), f"条目中未知的键“{key}”（应为 {'、'.join(ITEM_KEYS)}）")
    iid = raw.get("id")
    if not isinstance(iid, str) or not iid.strip():
        raise bad(at, "条目缺少编号 id（文字）")
    if _BAD_NAME.search(iid.strip()):
        raise bad(lines.key("id", i), f"条目编号“{iid}”不能含空格、“.”或“:”（它是问题编号的一部分）")
    if iid.strip() in RESERVED_IDS:
        raise bad(lines.key("id", i), f"条目编号不能是“{iid.strip()}”（gkxl 用它说明清单未核对或不适用）")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad(at, f"条目“{iid}”缺少 text（要求的内容，用文字写明）")
    sec = raw.get("section")
    names = (sec,) if isinstance(sec, str) else tuple(sec) if isinstance(sec, list) else ()
    if not names or not all(isinstance(n, str) for n in names):
        raise bad(lines.key("section", i) if sec is not None else at, f"条目“{iid}”缺少 section（章节编号，或“一”“五”“六”）")
    for n in names:
        if n not in PARTS and n not in all_section_ids():
            raise bad(lines.key("section", i), f"章节“{n}”无效（应为 {'、'.join(all_section_ids())}，或“一”“五”“六”；二、三、四是表格）")
    sev_text = raw.get("severity", Severity.VERIFY.value)
    try:
        severity = Severity(sev_text)
    except ValueError:
        raise bad(lines.key("severity", i), f"严重程度“{sev_text}”无效（应为 强制、核实 或 提示）") from None
    given = [k for k in KINDS if k in raw]
    if len(given) != 1:
        what = "、".join(given) if given else "没有"
        raise bad(at, f"条目“{iid}”应恰好有 keywords、number、max_chars、min_chars 中的一项（现在{what}）")
    kind = given[0]
    fields: dict = {}
    if kind == "keywords":
        kw = raw["keywords"]
        entries = [_words(k) for k in kw] if isinstance(kw, list) and kw else [None]
        if any(e is None for e in entries):
            raise bad(lines.key("keywords", i), "keywords 应为词语的列表，每项是一个词或几个可互相替代的词的列表，如 [\"政策解读\", [\"回应关切\", \"回应社会关切\"]]")
        fields["keywords"] = tuple(entries)
    elif kind == "number":
        nouns = _words(raw["number"])
        if nouns is None:
            raise bad(lines.key("number", i), "number 应为名词或名词的列表，如 [\"政务新媒体\"]")
        fields["number"] = nouns
    else:
        n = raw[kind]
        if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
            raise bad(lines.key(kind, i), f"{kind} 应为正整数（字数）")
        fields[kind] = n
    if "units" in raw:
        if kind != "number":
            raise bad(lines.key("units", i), "units 只用于 number 条目")
        units = _words(raw["units"])
        if units is None:
            raise bad(lines.key("units", i), "units 应为量词或量词的列表，如 [\"条\", \"篇\"]")
        fields["units"] = units
    return Item(iid.strip(), text.strip(), section_ids(names), severity, line=at, **fields)

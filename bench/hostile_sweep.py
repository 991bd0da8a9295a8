"""Hostile-input sweep: generate bad inputs of every class (issues 10 and 11) and run every command on them.

    .venv/bin/python bench/hostile_sweep.py [--root /tmp/audit] [--only SUBSTRING] [--timeout 60]

Each case runs in its own folder under ROOT/cases/<name>/ (never in the repository). For each run it records the exit
code, a traceback in stdout/stderr, English text shown to the user, more than one line for an input error (exit 2),
a hang (timeout), peak memory (ru_maxrss of the child), whether an input file changed (hash before/after) and a
half-written output (an expected output present after a failed run, or leftover temporary files). It prints one
line per failing case and the counts, and writes ROOT/sweep.json. Exit status 1 when any case fails.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

GKXL = [str(Path(sys.executable).with_name("gkxl"))]
MEMORY_LIMIT_MB = 700
ENGLISH = re.compile(
    r"\b(Error|error|Usage|Try '|Invalid|invalid|No such|Missing|missing|option|argument|Exception|Permission denied|"
    r"not found|Traceback|Errno|unexpected|Aborted|Expecting|Unterminated|Char value|Too many|Warning|warn)\b"
)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class Case:
    name: str
    argv: list[str]
    files: dict[str, object] = field(default_factory=dict)  # relative path -> bytes | callable(Path) | "dir"/"fifo"
    outputs: list[str] = field(default_factory=list)  # paths a failed run must not leave behind
    ok_codes: tuple[int, ...] = (0, 1, 2)
    want_codes: tuple[int, ...] | None = None  # the exit codes this input must give (None: any of ok_codes)
    readonly: list[str] = field(default_factory=list)
    stdin: bytes | None = None


# ---------------------------------------------------------------- building blocks


def zip_bytes(members: dict[str, bytes], *, compress=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def edit_zip(src: Path, part: str, fn) -> bytes:
    m = members_of(src)
    m[part] = fn(m[part])
    return zip_bytes(m)


def bomb_zip(base: dict[str, bytes], part: str, size: int) -> bytes:
    """A real ratio bomb: `part` inflates to `size` bytes of repeated XML-ish filler."""
    m = dict(base)
    head = m.get(part, b"")[:200]
    m[part] = head + b"<!-- " + b"A" * size + b" -->"
    return zip_bytes(m)


def declared_size_bomb(base: dict[str, bytes], part: str) -> bytes:
    """A zip whose central directory declares a huge uncompressed size for `part` (the data is small)."""
    data = zip_bytes(base)
    name = part.encode()
    # patch the central directory entry's uncompressed size (offset 24 in the central header)
    i = data.rfind(b"PK\x01\x02" + b"", 0)
    pos = 0
    while True:
        j = data.find(b"PK\x01\x02", pos)
        if j < 0:
            break
        nlen = int.from_bytes(data[j + 28 : j + 30], "little")
        if data[j + 46 : j + 46 + nlen] == name:
            data = data[: j + 24] + (3_000_000_000).to_bytes(4, "little") + data[j + 28 :]
        pos = j + 4
    return data


DTD = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>\n'


def with_dtd(xml: bytes) -> bytes:
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
    # reference the entity inside the first text node so an expanding parser would blow up
    body = re.sub(rb">([^<]{1,40})<", lambda m: b">" + m.group(1) + b"&g;<", body, count=1)
    return DTD + body


def set_cell(sheet_xml: bytes, ref: str, new: bytes) -> bytes:
    pat = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(/>|>.*?</c>)', re.S)
    if not pat.search(sheet_xml):
        raise ValueError(f"cell {ref} not found")
    return pat.sub(lambda m: new, sheet_xml, count=1)


def inline(ref: str, text: str, style: str = "14") -> bytes:
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{esc}</t></is></c>'.encode("utf-8", "surrogatepass")


def numcell(ref: str, v: str, style: str = "14", t: str = "") -> bytes:
    ta = f' t="{t}"' if t else ""
    return f'<c r="{ref}" s="{style}"{ta}><v>{v}</v></c>'.encode()


def formula(ref: str, f: str, v: str = "0") -> bytes:
    return f'<c r="{ref}" s="14"><f>{f}</f><v>{v}</v></c>'.encode()


def gbk(text: str) -> bytes:
    return text.encode("gb18030")


# ---------------------------------------------------------------- the corpus


def build_cases(root: Path) -> list[Case]:
    base = root / "base"
    if not (base / "2-已填报.xlsx").exists():
        shutil.rmtree(base, ignore_errors=True)
        subprocess.run([*GKXL, "demo", str(base)], check=True, capture_output=True, timeout=180)
    filled = base / "2-已填报.xlsx"
    blank = base / "1-空白填报模板.xlsx"
    data_json = (base / "3-报告数据.json").read_bytes()
    prev_json = (base / "上年数据-2022.json").read_bytes()
    docx = base / "5-年度报告.docx"
    pdf = (base / "5-年度报告.pdf").read_bytes()
    wb = members_of(filled)
    dx = members_of(docx)
    sample = Path("/work/shared/samples/published-report-2023-district-hrss.txt")
    sample_txt = sample.read_bytes() if sample.exists() else "".encode()
    data = json.loads(data_json)

    cases: list[Case] = []

    roster_csv = f"单位名称\n{data['agency']}\n乙局\n".encode()

    def add(name, argv, files=None, **kw):
        files = dict(files or {})
        if argv[:1] == ["collect"] and "--roster" not in argv:  # collect needs a roster: give it one, so the inbox is what is tested
            argv = [*argv, "--roster", "名单.csv"]
            files["名单.csv"] = roster_csv
        cases.append(Case(name, argv, files, **kw))

    # ---- the commands that read one workbook, each on each bad workbook
    def wb_commands(tag: str, content, expect=None):
        f = {"in.xlsx": content}
        add(f"{tag}/check", ["check", "in.xlsx"], f, want_codes=expect)
        add(f"{tag}/check-annotate", ["check", "in.xlsx", "--annotate", "out.xlsx"], f, outputs=["out.xlsx"], want_codes=expect)
        add(f"{tag}/export", ["export", "in.xlsx", "-o", "out.json"], f, outputs=["out.json"], want_codes=expect)
        add(f"{tag}/report", ["report", "in.xlsx", "-o", "out.docx"], f, outputs=["out.docx"], want_codes=expect)
        add(f"{tag}/fill-template", ["fill", "in.xlsx", "--data", "d.json", "-o", "out.xlsx"], {**f, "d.json": data_json}, outputs=["out.xlsx"], want_codes=expect)
        add(f"{tag}/check-previous", ["check", "ok.xlsx", "--previous", "in.xlsx"], {**f, "ok.xlsx": filled.read_bytes()}, want_codes=expect)
        add(f"{tag}/collect", ["collect", "inbox", "-o", "out", "--year", "2023"], {"inbox/u.xlsx": content}, outputs=[])
        add(f"{tag}/web", ["@web", "in.xlsx"], f)

    raw = filled.read_bytes()
    two = (2,)
    wb_commands("xlsx-truncated", raw[: len(raw) // 2], two)
    wb_commands("xlsx-random", os.urandom(5000), two)
    wb_commands("xlsx-empty", b"", two)
    wb_commands("xlsx-is-docx", docx.read_bytes(), two)
    wb_commands("xlsx-is-pdf", pdf, two)
    wb_commands("xlsx-ratio-bomb", bomb_zip(wb, "xl/worksheets/sheet2.xml", 300_000_000), two)
    wb_commands("xlsx-declared-bomb", declared_size_bomb(wb, "xl/sharedStrings.xml"), two)
    for part in ("xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/worksheets/sheet2.xml", "docProps/custom.xml", "[Content_Types].xml", "docProps/core.xml"):
        tag = "xlsx-dtd-" + part.split("/")[-1].replace(".xml", "").replace("[", "").replace("]", "")
        wb_commands(tag, edit_zip(filled, part, with_dtd), None if "docProps" in part else two)  # docProps are not read by check
    wb_commands("xlsx-no-sharedstrings", zip_bytes({k: v for k, v in wb.items() if k != "xl/sharedStrings.xml"}), two)
    wb_commands("xlsx-missing-sheet", zip_bytes({k: v for k, v in wb.items() if k != "xl/worksheets/sheet3.xml"}), two)
    # hostile cell contents in 表二 B9 (a count) and 正文 B2 (text)
    s2 = "xl/worksheets/sheet2.xml"
    s5 = "xl/worksheets/sheet5.xml"
    cells = {
        "cell-eq-text": (s2, inline("B9", "=1+1")),
        "cell-control": (s2, inline("B9", "4\x0705")),
        "cell-surrogate": (s2, inline("B9", "_xD800_405")),
        "cell-surrogate-text": (s5, inline("B2", "正文_xD800_正文", "23")),
        "cell-1mb": (s2, inline("B9", "9" * 1_000_000)),
        "cell-1mb-text": (s5, inline("B2", "长" * 1_000_000, "23")),
        "cell-huge-number": (s2, numcell("B9", "1E+308")),
        "cell-inf-number": (s2, numcell("B9", "INF")),
        "cell-nan-number": (s2, numcell("B9", "NaN")),
        "cell-neg": (s2, numcell("B9", "-405")),
        "cell-fraction": (s2, numcell("B9", "405.5")),
        "cell-date": (s2, numcell("B9", "2023-01-01T00:00:00", t="d")),
        "cell-bool": (s2, numcell("B9", "1", t="b")),
        "cell-error": (s2, numcell("B9", "#DIV/0!", t="e")),
        "cell-formula": (s2, formula("B9", "SUM(B5:B6)", "5")),
        "cell-formula-str": (s2, formula("B9", "\"405\"", "405").replace(b"<v>", b"<v>").replace(b's="14"', b's="14" t="str"')),
        "cell-bad-sst-index": (s2, numcell("B9", "99999", t="s")),
        "cell-bad-style": (s2, numcell("B9", "405", style="9999")),
        "cell-text-number": (s2, inline("B9", "405件")),
        "cell-fullwidth-number": (s2, inline("B9", "４０５")),
    }
    for tag, (part, new) in cells.items():
        wb_commands(tag, edit_zip(filled, part, lambda x, new=new: set_cell(x, "B9" if b'r="B9"' in new else "B2", new)))
    # a scaling number format on the input cell
    def scaled(styles: bytes) -> bytes:
        styles = styles.replace(b"<numFmts", b"<numFmts", 1)
        if b"<numFmts" not in styles:
            styles = styles.replace(b"<fonts", b'<numFmts count="1"><numFmt numFmtId="190" formatCode="0\\.0000"/></numFmts><fonts', 1)
        else:
            styles = re.sub(rb'<numFmts count="(\d+)">', lambda m: b'<numFmts count="%d"><numFmt numFmtId="190" formatCode="0\\.0000"/>' % (int(m.group(1)) + 1), styles, count=1)
        # point every cellXfs entry with style 14's numFmt at the new format: append a new xf and use it
        m = re.search(rb'<cellXfs count="(\d+)">(.*?)</cellXfs>', styles, re.S)
        xfs = re.findall(rb"<xf\b.*?(?:/>|</xf>)", m.group(2), re.S)
        new = re.sub(rb'numFmtId="\d+"', b'numFmtId="190" applyNumberFormat="1"', xfs[14], count=1)
        return styles[: m.start()] + b'<cellXfs count="%d">' % (len(xfs) + 1) + m.group(2) + new + b"</cellXfs>" + styles[m.end():]
    m2 = dict(wb)
    m2["xl/styles.xml"] = scaled(m2["xl/styles.xml"])
    m2[s2] = set_cell(m2[s2], "B9", numcell("B9", "405", style=str(len(re.findall(rb"<xf\b", re.search(rb"<cellXfs.*?</cellXfs>", wb["xl/styles.xml"], re.S).group(0))))))
    wb_commands("cell-numfmt-scaled", zip_bytes(m2))
    # a 150,000-cell sheet check never reads
    big = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>1</v></c>' % (col, r) for col in (b"A", b"B", b"C", b"D", b"E")) + b"</row>" for r in range(100, 30100))
    m3 = dict(wb)
    m3["xl/worksheets/sheet8.xml"] = re.sub(rb"</sheetData>", big + b"</sheetData>", m3["xl/worksheets/sheet8.xml"], count=1)
    wb_commands("xlsx-150k-cells", zip_bytes(m3))

    # ---- renamed / odd files as workbooks
    for tag, name, content in (
        ("renamed-xls", "in.xls", raw),
        ("renamed-ods", "in.ods", raw),
        ("renamed-txt", "in.txt", raw),
        ("csv-as-workbook", "in.csv", "a,b\n1,2\n".encode()),
        ("xlsm", "in.xlsm", raw),
    ):
        add(f"{tag}/check", ["check", name], {name: content})
        add(f"{tag}/export", ["export", name, "-o", "out.json"], {name: content}, outputs=["out.json"])
    for tag, kind in (("fifo", "fifo"), ("directory", "dir")):
        add(f"{tag}/check", ["check", "in.xlsx"], {"in.xlsx": kind}, want_codes=two if kind == "fifo" else None)
        add(f"{tag}/export", ["export", "in.xlsx", "-o", "o.json"], {"in.xlsx": kind}, want_codes=two, outputs=["o.json"])
        add(f"{tag}/report", ["report", "in.xlsx", "-o", "o.docx"], {"in.xlsx": kind}, want_codes=two, outputs=["o.docx"])
        add(f"{tag}/draft", ["draft", "in.xlsx"], {"in.xlsx": kind}, want_codes=two)
        add(f"{tag}/fill-data", ["fill", "t.xlsx", "--data", "in.json", "-o", "o.xlsx"], {"t.xlsx": blank.read_bytes(), "in.json": kind}, want_codes=two, outputs=["o.xlsx"])
        add(f"{tag}/roster", ["template", "--roster", "r.csv", "-o", "out", "--year", "2023"], {"r.csv": kind}, want_codes=two, outputs=["out"])
        add(f"{tag}/import", ["import", "in.txt", "-o", "o.json"], {"in.txt": kind}, want_codes=None if kind == "dir" else two)
        add(f"{tag}/previous", ["check", "ok.xlsx", "--previous", "p.json"], {"ok.xlsx": raw, "p.json": kind}, want_codes=two)
        add(f"{tag}/reference", ["report", "ok.xlsx", "-o", "o.docx", "--reference", "r.docx"], {"ok.xlsx": raw, "r.docx": kind}, want_codes=two, outputs=["o.docx"])
        add(f"{tag}/narrative", ["collect", "inbox", "-o", "out", "--year", "2023", "--narrative", "n.json"], {"inbox/a.xlsx": raw, "n.json": kind}, want_codes=two, outputs=["out"])
    add("symlink-loop/check", ["check", "in.xlsx"], {"in.xlsx": ("symlink", "in.xlsx")}, want_codes=two)
    add("symlink-dangling/check", ["check", "in.xlsx"], {"in.xlsx": ("symlink", "nowhere.xlsx")}, want_codes=two)
    add("symlink-ok/check", ["check", "in.xlsx"], {"real.xlsx": raw, "in.xlsx": ("symlink", "real.xlsx")})
    add("missing-file/check", ["check", "nope.xlsx"], {}, want_codes=two)
    add("missing-file/report", ["report", "nope.xlsx"], {}, want_codes=two)
    add("missing-file/import", ["import", "nope.txt"], {}, want_codes=two)
    add("nonutf8-name/check", ["check", "\udcb9\udcfa.xlsx"], {b"\xb9\xfa.xlsx": raw})
    add("nonutf8-name/collect", ["collect", "inbox", "-o", "out", "--year", "2023"], {b"inbox/\xb9\xfa\xbc\xd2.xlsx": raw, "inbox/b.xlsx": raw})
    add("nonutf8-name/import", ["import", "\udcb9\udcfa.txt", "-o", "o.json"], {b"\xb9\xfa.txt": sample_txt})

    # ---- outputs: existing without --force, read-only place, output == input
    add("exists/export", ["export", "in.xlsx", "-o", "out.json"], {"in.xlsx": raw, "out.json": b"keep"}, want_codes=two)
    add("exists/report", ["report", "in.xlsx", "-o", "out.docx"], {"in.xlsx": raw, "out.docx": b"keep"}, want_codes=two)
    add("exists/fill", ["fill", "t.xlsx", "--data", "d.json", "-o", "out.xlsx"], {"t.xlsx": blank.read_bytes(), "d.json": data_json, "out.xlsx": b"keep"}, want_codes=two)
    add("exists/annotate", ["check", "in.xlsx", "--annotate", "out.xlsx"], {"in.xlsx": raw, "out.xlsx": b"keep"}, want_codes=two)
    add("exists/template", ["template", "-o", "out.xlsx", "--year", "2023"], {"out.xlsx": b"keep"}, want_codes=two)
    add("exists/import", ["import", "in.txt", "-o", "out.json"], {"in.txt": sample_txt, "out.json": b"keep"}, want_codes=two)
    add("exists/collect", ["collect", "inbox", "-o", "out", "--year", "2023"], {"inbox/a.xlsx": raw, "out/x": b"keep"}, want_codes=two)
    add("exists/demo", ["demo", "out"], {"out/x": b"keep"})
    add("same/annotate-onto-input", ["check", "in.xlsx", "--annotate", "in.xlsx", "--force"], {"in.xlsx": raw}, want_codes=two)
    add("same/fill-onto-template", ["fill", "in.xlsx", "--data", "d.json", "-o", "in.xlsx", "--force"], {"in.xlsx": blank.read_bytes(), "d.json": data_json}, want_codes=two)
    add("same/export-onto-input", ["export", "in.json", "-o", "in.json", "--force"], {"in.json": data_json}, want_codes=two)
    for cmd, argv in (
        ("export", ["export", "in.xlsx", "-o", "ro/out.json"]),
        ("report", ["report", "in.xlsx", "-o", "ro/out.docx"]),
        ("annotate", ["check", "in.xlsx", "--annotate", "ro/out.xlsx"]),
        ("template", ["template", "-o", "ro/out.xlsx"]),
        ("roster", ["template", "--roster", "r.csv", "-o", "ro/out"]),
        ("collect", ["collect", "inbox", "-o", "ro/out", "--year", "2023"]),
        ("import", ["import", "in.txt", "-o", "ro/out.json"]),
        ("demo", ["demo", "ro/out"]),
        ("fill", ["fill", "t.xlsx", "--data", "d.json", "-o", "ro/out.xlsx"]),
    ):
        if os.geteuid() == 0:  # root writes into a read-only folder: these cases cannot fail here
            continue
        add(f"readonly/{cmd}", argv, {"in.xlsx": raw, "t.xlsx": blank.read_bytes(), "d.json": data_json, "in.txt": sample_txt, "r.csv": "单位名称\n甲局\n".encode(), "inbox/a.xlsx": raw, "ro": "dir"}, readonly=["ro"], want_codes=two)

    # ---- JSON inputs: fill --data, check, report, export(json), --previous, --narrative
    def json_commands(tag, content, expect=two):
        add(f"{tag}/fill", ["fill", "t.xlsx", "--data", "in.json", "-o", "out.xlsx"], {"t.xlsx": blank.read_bytes(), "in.json": content}, outputs=["out.xlsx"], want_codes=expect)
        add(f"{tag}/check", ["check", "in.json"], {"in.json": content}, want_codes=expect)
        add(f"{tag}/report", ["report", "in.json", "-o", "out.docx"], {"in.json": content}, outputs=["out.docx"], want_codes=expect)
        add(f"{tag}/previous", ["check", "ok.xlsx", "--previous", "in.json"], {"ok.xlsx": raw, "in.json": content}, want_codes=expect)
        add(f"{tag}/narrative", ["collect", "inbox", "-o", "out", "--year", "2023", "--narrative", "in.json"], {"inbox/a.xlsx": raw, "in.json": content}, outputs=["out"],
            want_codes=None if content.lstrip(b"\xef\xbb\xbf").startswith(b"{") and b'"narrative"' in content else expect)

    def jmod(**changes):
        d = json.loads(data_json)
        for k, v in changes.items():
            if "." in k and k.split(".")[0] in ("values", "narrative"):
                top, key = k.split(".", 1)
                d[top][key] = v
            else:
                d[k] = v
        return json.dumps(d, ensure_ascii=False).encode()

    json_commands("json-deep", b"[" * 100_000 + b"]" * 100_000)
    json_commands("json-deep-obj", b'{"a":' * 50_000 + b"1" + b"}" * 50_000)
    json_commands("json-huge", b'{"schema":"gkxl.report/1","x":"' + b"a" * 60_000_000 + b'"}')
    json_commands("json-list", b"[1,2,3]")
    json_commands("json-string", b'"hello"')
    json_commands("json-null", b"null")
    json_commands("json-empty", b"")
    json_commands("json-truncated", data_json[: len(data_json) // 2])
    json_commands("json-surrogate", data_json.replace(b'"issuer": "', b'"issuer": "\\ud800', 1))
    json_commands("json-surrogate-key", data_json.replace(b'"sec2.regulations.issued"', b'"sec2.regulations.issued\\udfff"', 1))
    json_commands("json-nan", data_json.replace(b'"sec2.licensing.decisions": 405', b'"sec2.licensing.decisions": NaN', 1), None)  # R-VALUE naming the cell
    json_commands("json-infinity", data_json.replace(b'"sec2.licensing.decisions": 405', b'"sec2.licensing.decisions": Infinity', 1), None)
    json_commands("json-huge-int", data_json.replace(b'"sec2.licensing.decisions": 405', b'"sec2.licensing.decisions": ' + b"9" * 5000, 1))
    json_commands("json-1e400", data_json.replace(b'"sec2.licensing.decisions": 405', b'"sec2.licensing.decisions": 1e400', 1), None)
    json_commands("json-float", data_json.replace(b'"sec2.licensing.decisions": 405', b'"sec2.licensing.decisions": 405.5', 1), None)
    json_commands("json-dup-key", data_json.replace(b'"sec2.licensing.decisions": 405', b'"sec2.licensing.decisions": 405, "sec2.licensing.decisions": 4051', 1))
    json_commands("json-bom", b"\xef\xbb\xbf" + data_json, None)
    json_commands("json-utf16", data_json.decode().encode("utf-16"), None)
    json_commands("json-gbk", data_json.decode().encode("gb18030"), None)
    json_commands("json-latin1-bytes", data_json.replace(b"\xe7\xa4\xba", b"\xff\xfe", 1))
    json_commands("json-wrong-schema", jmod(schema="gkxl.report/9"))
    json_commands("json-wrong-year-type", jmod(year="二〇二三"))
    json_commands("json-year-huge", jmod(year=10**30))
    json_commands("json-values-list", jmod(values=[1, 2]))
    json_commands("json-value-string", jmod(**{"values.sec2.licensing.decisions": "405"}), None)
    json_commands("json-value-bool", jmod(**{"values.sec2.licensing.decisions": True}), None)
    json_commands("json-value-dict", jmod(**{"values.sec2.licensing.decisions": {"a": 1}}), None)
    json_commands("json-value-neg", jmod(**{"values.sec2.licensing.decisions": -1}), None)
    json_commands("json-unknown-cell", jmod(**{"values.sec9.nothing": 1}), None)
    json_commands("json-narrative-int", jmod(narrative=5))
    json_commands("json-narrative-1mb", jmod(**{"narrative.problems": "问" * 1_000_000}), None)
    json_commands("json-narrative-control", jmod(**{"narrative.problems": "问\x00题\x1b"}), None)
    json_commands("json-fee-text", jmod(fee_yuan="很多"), None)
    json_commands("json-fee-exp", jmod(fee_yuan="1e999999"), None)
    json_commands("json-issued-bad", jmod(issued_on="2024-02-30"), None)
    json_commands("json-format-bad", jmod(format="2099"))
    json_commands("json-explanations-list", jmod(explanations=["a"]))
    json_commands("json-agency-1mb", jmod(agency="局" * 1_000_000), None)
    json_commands("json-2019-in-2023", jmod(format="2019"), None)
    # narrative JSON for collect specifically
    for tag, content in (("narr-list", b"[1]"), ("narr-bad-key", '{"不存在": "x"}'.encode()), ("narr-value-int", b'{"problems": 5}'), ("narr-deep", b"[" * 100_000 + b"]" * 100_000)):
        add(f"{tag}/collect", ["collect", "inbox", "-o", "out", "--year", "2023", "--narrative", "n.json"], {"inbox/a.xlsx": raw, "n.json": content}, outputs=["out"])

    # ---- rosters
    def roster_commands(tag, name, content, expect=None):
        add(f"{tag}/template", ["template", "--roster", name, "-o", "out", "--year", "2023"], {name: content}, outputs=["out"] if expect == two else [], want_codes=expect)
        add(f"{tag}/collect", ["collect", "inbox", "--roster", name, "-o", "out", "--year", "2023"], {name: content, "inbox/a.xlsx": raw}, outputs=["out"] if expect == two else [], want_codes=expect)
        add(f"{tag}/check", ["check", "in.xlsx", "--roster", name], {name: content, "in.xlsx": raw}, want_codes=expect)

    hdr = "单位名称\n"
    roster_commands("roster-gbk", "r.csv", gbk(hdr + "甲局\n乙局\n"))
    roster_commands("roster-bom", "r.csv", b"\xef\xbb\xbf" + (hdr + "甲局\n乙局\n").encode())
    roster_commands("roster-utf16", "r.csv", (hdr + "甲局\n乙局\n").encode("utf-16"))
    roster_commands("roster-empty", "r.csv", b"", two)
    roster_commands("roster-header-only", "r.csv", hdr.encode(), two)
    roster_commands("roster-no-header", "r.csv", "甲局\n乙局\n".encode(), two)
    roster_commands("roster-dup", "r.csv", (hdr + "甲局\n甲局\n").encode(), two)
    roster_commands("roster-near-dup-space", "r.csv", (hdr + "甲局\n甲 局\n").encode(), two)
    roster_commands("roster-near-dup-width", "r.csv", (hdr + "示例局（一）\n示例局(一)\n").encode(), two)
    roster_commands("roster-control", "r.csv", (hdr + "甲局\n乙\x07局\n").encode(), two)
    roster_commands("roster-case-collide", "r.csv", (hdr + "ABC局\nabc局\n").encode())
    roster_commands("roster-reserved", "r.csv", (hdr + "CON.局\nAUX.教育局\nnul\n").encode())
    roster_commands("roster-slash", "r.csv", (hdr + "甲/乙局\n../../etc\n").encode())
    # template of 10,000 units takes minutes (over the timeout): a real cost, not a hang
    roster_commands("roster-10000", "r.csv", (hdr + "".join(f"单位{i:05d}局\n" for i in range(10_000))).encode())
    roster_commands("roster-long-name", "r.csv", (hdr + "长" * 5000 + "\n").encode())
    roster_commands("roster-binary", "r.csv", os.urandom(3000), two)
    roster_commands("roster-xlsx-bad", "r.xlsx", raw[:1000], two)
    roster_commands("roster-xlsx-random-wb", "r.xlsx", raw, two)
    roster_commands("roster-xlsx-bomb", "r.xlsx", bomb_zip(wb, "xl/worksheets/sheet1.xml", 300_000_000), two)
    roster_commands("roster-wrong-ext", "r.txt", (hdr + "甲局\n").encode())
    roster_commands("roster-dtd", "r.xlsx", edit_zip(filled, "xl/workbook.xml", with_dtd), two)

    # ---- published reports: import, check of published files
    def pub_commands(tag, name, content, expect=None):
        add(f"{tag}/import", ["import", name, "-o", "out.json"], {name: content}, outputs=["out.json"] if expect == two else [], want_codes=expect)
        add(f"{tag}/check", ["check", name], {name: content}, want_codes=expect)
        add(f"{tag}/previous", ["check", "ok.xlsx", "--previous", name], {name: content, "ok.xlsx": raw}, want_codes=expect)
        add(f"{tag}/import-folder", ["import", "in", "-o", "outdir"], {f"in/{name}": content, "in/good.txt": sample_txt})

    html_ok = b"<html><body><p>" + sample_txt.replace(b"\n", b"</p><p>") + b"</p></body></html>"
    pub_commands("html-gbk-undeclared", "in.html", sample_txt.decode("utf-8", "replace").encode("gb18030", "replace").join([b"<html><body><pre>", b"</pre></body></html>"]))
    pub_commands("html-hidden", "in.html", b'<table><tr><td>\xe8\xa1\x8c\xe6\x94\xbf\xe8\xae\xb8\xe5\x8f\xaf</td><td>405<span style="display:none">1</span></td></tr></table>')
    pub_commands("html-broken", "in.html", b"<html><body><table><tr><td>1<td><tr><table><td></div></span>" * 100)
    pub_commands("html-50mb", "in.html", b"<html><body>" + b"<p>x</p>" * 6_500_000 + b"</body></html>")
    pub_commands("html-deep", "in.html", b"<div>" * 200_000 + b"x" + b"</div>" * 200_000)
    pub_commands("html-deep-table", "in.html", b"<table><tr><td>" * 20_000 + b"x")
    pub_commands("html-null-bytes", "in.html", html_ok.replace(b"<p>", b"<p>\x00", 50))
    pub_commands("html-meta-bogus-charset", "in.html", b'<meta charset="x-nonsense">' + html_ok)
    pub_commands("html-colspan-huge", "in.html", b'<table><tr><td colspan="100000000" rowspan="100000000">1</td></tr></table>')
    pub_commands("pdf-truncated", "in.pdf", pdf[: len(pdf) // 3], two)
    pub_commands("pdf-random", "in.pdf", b"%PDF-1.4\n" + os.urandom(20000), two)
    pub_commands("pdf-empty", "in.pdf", b"", two)
    pub_commands("pdf-encrypted", "in.pdf", _encrypted_pdf(), two)
    pub_commands("pdf-no-text", "in.pdf", _blank_pdf(), two)
    pub_commands("pdf-zlib-bomb", "in.pdf", _zlib_bomb_pdf(), two)
    pub_commands("doc-random", "in.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(20000), two)
    pub_commands("doc-text", "in.doc", sample_txt)
    pub_commands("docx-ratio-bomb", "in.docx", bomb_zip(dx, "word/document.xml", 200_000_000), two)
    pub_commands("docx-declared-bomb", "in.docx", declared_size_bomb(dx, "word/document.xml"), two)
    pub_commands("docx-truncated", "in.docx", docx.read_bytes()[:4000], two)
    for part in [p for p in dx if p.endswith(".xml")]:
        pub_commands("docx-dtd-" + part.replace("/", "_").replace("[", "").replace("]", ""), "in.docx", edit_zip(docx, part, with_dtd), two)
    pub_commands("txt-gbk", "in.txt", sample_txt.decode().encode("gb18030") if sample_txt else b"")
    pub_commands("txt-utf16", "in.txt", sample_txt.decode().encode("utf-16") if sample_txt else b"")
    pub_commands("txt-binary", "in.txt", os.urandom(50000))
    pub_commands("txt-empty", "in.txt", b"")
    pub_commands("txt-long-digits", "in.txt", sample_txt + ("\n" + "1" * 5000 + "\n").encode())
    pub_commands("txt-flat-runs", "in.txt", sample_txt.replace(b"405", b"4050000000000000000000000000000000000000") if sample_txt else b"")
    pub_commands("txt-surrogate-ish", "in.txt", b"\xed\xa0\x80" + sample_txt)
    pub_commands("txt-50mb", "in.txt", sample_txt * (50_000_000 // max(len(sample_txt), 1)))
    pub_commands("unknown-ext", "in.rtf", sample_txt)

    # ---- --reference docx
    def ref(tag, content, expect=two):
        add(f"{tag}/reference", ["report", "ok.xlsx", "-o", "out.docx", "--reference", "r.docx"], {"ok.xlsx": raw, "r.docx": content}, outputs=["out.docx"] if expect == two else [], want_codes=expect)
    ref("ref-bomb", bomb_zip(dx, "word/styles.xml", 200_000_000))
    ref("ref-declared-bomb", declared_size_bomb(dx, "word/styles.xml"))
    ref("ref-dtd-styles", edit_zip(docx, "word/styles.xml", with_dtd))
    ref("ref-dtd-document", edit_zip(docx, "word/document.xml", with_dtd))
    ref("ref-truncated", docx.read_bytes()[:3000])
    ref("ref-xlsx", raw)
    ref("ref-no-styles", zip_bytes({k: v for k, v in dx.items() if k != "word/styles.xml"}))

    # ---- collect faults
    add("collect/inbox-missing", ["collect", "nope", "-o", "out", "--year", "2023"], {}, want_codes=two)
    add("collect/inbox-is-file", ["collect", "f.xlsx", "-o", "out", "--year", "2023"], {"f.xlsx": raw}, want_codes=two)
    add("collect/out-is-inbox", ["collect", "inbox", "-o", "inbox", "--year", "2023", "--force"], {"inbox/a.xlsx": raw}, want_codes=two)
    add("collect/out-in-inbox", ["collect", "inbox", "-o", "inbox/out", "--year", "2023"], {"inbox/a.xlsx": raw}, want_codes=two)
    add("collect/other-kinds", ["collect", "inbox", "-o", "out", "--year", "2023"], {"inbox/a.xlsx": raw, "inbox/b.zip": b"PK", "inbox/c.pdf": pdf, "inbox/d.doc": b"x", "inbox/e.bak": b"x", "inbox/sub/f.xlsx": raw})
    add("collect/symlink-out", ["collect", "inbox", "-o", "out", "--year", "2023"], {"inbox/a.xlsx": raw, "inbox/link.xlsx": ("symlink", "/etc/passwd"), "inbox/dirlink": ("symlink", "/etc")})
    add("collect/symlink-loop", ["collect", "inbox", "-o", "out", "--year", "2023"], {"inbox/a.xlsx": raw, "inbox/loop.xlsx": ("symlink", "loop.xlsx")})
    add("collect/fifo-in-inbox", ["collect", "inbox", "-o", "out", "--year", "2023"], {"inbox/a.xlsx": raw, "inbox/p.xlsx": "fifo"})
    add("collect/unreadable-file", ["collect", "inbox", "-o", "out", "--year", "2023"], {"inbox/a.xlsx": raw, "inbox/b.xlsx": raw}, readonly=["inbox/b.xlsx!"])
    add("collect/2019-in-2023", ["collect", "inbox", "-o", "out", "--year", "2023"], {"inbox/a.xlsx": raw, "inbox/b.json": jmod(format="2019", agency="乙局")})
    add("collect/previous-missing", ["collect", "inbox", "-o", "out", "--year", "2023", "--previous", "nope"], {"inbox/a.xlsx": raw}, want_codes=two)
    add("collect/deadline-bad", ["collect", "inbox", "-o", "out", "--year", "2023", "--deadline", "2025-02-30"], {"inbox/a.xlsx": raw}, want_codes=two)
    add("collect/jobs-zero", ["collect", "inbox", "-o", "out", "--jobs", "0"], {"inbox/a.xlsx": raw}, want_codes=two)
    add("collect/empty-inbox", ["collect", "inbox", "-o", "out", "--year", "2023"], {"inbox": "dir"})

    # ---- usage errors
    for tag, argv in (
        ("unknown-command", ["chek", "x"]),
        ("unknown-option", ["check", "--jsn", "x"]),
        ("missing-arg", ["check"]),
        ("missing-option-value", ["export", "in.xlsx", "-o"]),
        ("bad-int", ["template", "--year", "abc"]),
        ("year-out-of-range", ["template", "--year", "99999", "-o", "t.xlsx"]),
        ("year-negative", ["template", "--year", "-5", "-o", "t.xlsx"]),
        ("bad-format", ["template", "--format", "2099", "-o", "t.xlsx"]),
        ("agency-control", ["template", "--agency", "甲\x07局", "-o", "t.xlsx"]),
        ("agency-huge", ["template", "--agency", "局" * 30_000, "-o", "t.xlsx"]),
        ("agency-empty", ["template", "--agency", "", "-o", "t.xlsx"]),
        ("template-out-dir", ["template", "-o", "somedir"]),
        ("template-out-ext", ["template", "-o", "t.docx"]),
        ("export-ext", ["export", "in.xlsx", "-o", "out.txt"]),
        ("report-ext", ["report", "in.xlsx", "-o", "out.pdf"]),
        ("import-ext", ["import", "in.txt", "-o", "out.docx"]),
        ("fonts-bad", ["report", "in.xlsx", "-o", "o.docx", "--fonts", "a=b=c"]),
        ("check-year-bad", ["check", "in.xlsx", "--year", "1800"]),
        ("serve-port-bad", ["serve", "--port", "99999"]),
        ("no-args", []),
        ("help-unknown", ["help"]),
        ("serve-no-roster", ["serve", "--no-browser", "--port", "1"]),
    ):
        add(f"usage/{tag}", argv, {"in.xlsx": raw, "in.txt": sample_txt, "somedir": "dir"}, want_codes=None if tag in ("no-args", "agency-empty", "template-out-dir", "export-ext", "check-year-bad") else two)
    add("demo/ok", ["demo", "d"], {})
    add("template/ok", ["template", "-o", "t.xlsx", "--year", "2023"], {})
    add("check/previous-pdf-bomb", ["check", "ok.xlsx", "--previous", "p.pdf"], {"ok.xlsx": raw, "p.pdf": _zlib_bomb_pdf()})
    return cases


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer_extra + b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _blank_pdf() -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"])


def _zlib_bomb_pdf() -> bytes:
    raw = b"BT /F1 12 Tf 72 712 Td (" + b"A" * 400_000_000 + b") Tj ET"
    comp = zlib.compress(raw, 9)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(comp) + comp + b"\nendstream"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        stream,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def _encrypted_pdf() -> bytes:
    try:
        from pypdf import PdfWriter

        w = PdfWriter()
        w.add_blank_page(595, 842)
        w.encrypt("secret")
        buf = io.BytesIO()
        w.write(buf)
        return buf.getvalue()
    except Exception:  # noqa: BLE001 - no pypdf: an Encrypt entry in the trailer is enough to be refused
        return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>", b"<< /Filter /Standard /V 1 /R 2 /O (x) /U (y) /P -4 >>"], b"/Encrypt 3 0 R /ID [<01> <01>] ")


# ---------------------------------------------------------------- running


def materialise(case: Case, where: Path) -> None:
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    for rel, content in case.files.items():
        p = Path(os.fsdecode(rel)) if isinstance(rel, bytes) else Path(rel)
        target = os.path.join(os.fsencode(where), rel) if isinstance(rel, bytes) else where / p
        Path(os.fsdecode(target)).parent.mkdir(parents=True, exist_ok=True) if not isinstance(rel, bytes) else os.makedirs(os.path.dirname(target), exist_ok=True)
        if content == "dir":
            os.makedirs(target, exist_ok=True)
        elif content == "fifo":
            os.mkfifo(target)
        elif isinstance(content, tuple) and content[0] == "symlink":
            os.symlink(content[1], target)
        else:
            with open(target, "wb") as fh:
                fh.write(content)


def snapshot(where: Path) -> dict[bytes, str]:
    out = {}
    for dirpath, dirs, files in os.walk(os.fsencode(where)):
        for f in files:
            p = os.path.join(dirpath, f)
            try:
                st = os.lstat(p)
                if not stat.S_ISREG(st.st_mode):
                    continue
                with open(p, "rb") as fh:
                    out[os.path.relpath(p, os.fsencode(where))] = hashlib.sha256(fh.read()).hexdigest()
            except OSError:
                continue
    return out


def run_web(where: Path, name: str, timeout: float) -> tuple[int, str, str, int]:
    """Upload the file through the web app's Starlette TestClient; returns (http status as rc, body, "", maxrss)."""
    code = f"""
import sys, json, warnings
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent / 'tests' / 'web')!r}); sys.path.insert(0, {str(Path(__file__).resolve().parent.parent / 'tests')!r})
warnings.simplefilter('ignore')
from pathlib import Path
from web_helpers import Web
w = Web(Path('data'))
r = w.upload('甲局', Path({name!r}).read_bytes(), 'in.xlsx')
print(r.status_code)
print(r.text[:3000])
"""
    return run_raw([sys.executable, "-c", code], where, timeout)


def run_raw(argv, where: Path, timeout: float, stdin: bytes | None = None):
    env = dict(os.environ, COLUMNS="400", NO_COLOR="1", LANG="C.UTF-8", PYTHONUNBUFFERED="1")
    p = subprocess.Popen(argv, cwd=where, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL, env=env, start_new_session=True)
    try:
        out, err = p.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return None, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), 0
    # ru_maxrss of the finished child: read from the wait status via resource of children (approximate: max so far)
    import resource

    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), rss


def run_case(case: Case, root: Path, timeout: float) -> dict:
    where = root / "cases" / case.name
    materialise(case, where)
    for ro in case.readonly:
        if ro.endswith("!"):
            os.chmod(where / ro[:-1], 0)
        else:
            os.chmod(where / ro, 0o555)
    before = snapshot(where)
    t0 = time.monotonic()
    if case.argv and case.argv[0] == "@web":
        rc, out, err, rss = run_web(where, case.argv[1], timeout)
        web_status = int(out.split("\n", 1)[0]) if rc == 0 and out[:3].isdigit() else None
    else:
        rc, out, err, rss = run_raw([*GKXL, *case.argv], where, timeout, case.stdin)
        web_status = None
    elapsed = time.monotonic() - t0
    after = snapshot(where)
    for ro in case.readonly:
        os.chmod(where / ro.rstrip("!"), 0o755)
    out_c, err_c = ANSI.sub("", out), ANSI.sub("", err)
    problems = []
    if rc is None:
        problems.append("hang")
    elif case.argv and case.argv[0] == "@web":
        if rc != 0:
            problems.append(f"web-client-rc{rc}")
        elif web_status is not None and web_status >= 500:
            problems.append(f"http-{web_status}")
    else:
        if rc not in case.ok_codes:
            problems.append(f"exit-{rc}")
        elif case.want_codes is not None and rc not in case.want_codes:
            problems.append(f"exit-{rc}-want-{'/'.join(map(str, case.want_codes))}")
    text = out_c + err_c
    if "Traceback (most recent call last)" in text:
        problems.append("traceback")
    shown = err_c if case.argv and case.argv[0] != "@web" else ""
    if ENGLISH.search(shown):
        problems.append("english")
    if rc == 2 and case.argv[:1] != ["@web"]:
        lines = [ln for ln in err_c.splitlines() if ln.strip()]
        if len(lines) > 1:
            problems.append("multiline")
        if not lines and not out_c.strip():
            problems.append("silent-exit-2")
    if rss > MEMORY_LIMIT_MB:
        problems.append(f"memory-{rss}MB")
    changed = [k.decode("utf-8", "replace") for k, v in before.items() if after.get(k) != v]
    if changed:
        problems.append("input-changed:" + ",".join(changed[:3]))
    if rc not in (0, 1) and rc is not None:
        for o in case.outputs:
            if (where / o).exists() and os.fsencode(o) not in before and not any(k.startswith(os.fsencode(o) + b"/") for k in before):
                problems.append(f"half-written:{o}")
    leftovers = [k.decode("utf-8", "replace") for k in after if k not in before and (os.path.basename(k).startswith(b".") or b".tmp" in k or b".partial" in k) and not k.startswith(b"data/")]
    leftovers += [d for d in _hidden_dirs(where) if d not in _hidden_before.get(case.name, ())]
    if leftovers:
        problems.append("leftover:" + ",".join(leftovers[:3]))
    return {"case": case.name, "argv": case.argv, "rc": rc, "seconds": round(elapsed, 2), "maxrss_mb": rss, "problems": problems,
            "stderr": err_c[-600:], "stdout": out_c[-300:]}


_hidden_before: dict[str, tuple] = {}


def _hidden_dirs(where: Path) -> list[str]:
    out = []
    for dirpath, dirs, _ in os.walk(where):
        for d in dirs:
            if d.startswith(".") and not os.path.relpath(dirpath, where).startswith("data"):
                out.append(os.path.relpath(os.path.join(dirpath, d), where))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default="/tmp/audit")
    ap.add_argument("--only", default="")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--failed-from", default="", help="re-run only the cases that failed in this earlier sweep.json")
    ap.add_argument("--src", default="", help="run gkxl from this source tree (e.g. an unpacked `git archive` of main)")
    a = ap.parse_args(argv)
    root = Path(a.root)
    if a.src:
        os.environ["PYTHONPATH"] = a.src
    root.mkdir(parents=True, exist_ok=True)
    cases = [c for c in build_cases(root) if a.only in c.name]
    if a.failed_from:
        earlier = {r["case"] for r in json.loads(Path(a.failed_from).read_text()) if r["problems"]}
        cases = [c for c in cases if c.name in earlier]
    # rusage of children is cumulative max: run each case in its own helper process so the figure is per case
    from concurrent.futures import ProcessPoolExecutor

    results = []
    with ProcessPoolExecutor(a.jobs, max_tasks_per_child=1) as ex:
        futs = [ex.submit(run_case, c, root, a.timeout) for c in cases]
        for c, f in zip(cases, futs):
            try:
                r = f.result()
            except Exception as e:  # noqa: BLE001 - a sweep bug is reported, not fatal
                r = {"case": c.name, "argv": c.argv, "rc": None, "problems": [f"sweep-error:{e!r}"], "stderr": "", "stdout": ""}
            results.append(r)
            if r["problems"]:
                print(f"FAIL {r['case']}: {' '.join(r['problems'])} | rc={r['rc']} {r.get('seconds')}s {r.get('maxrss_mb')}MB | {r['stderr'].strip().splitlines()[-1][:200] if r['stderr'].strip() else r['stdout'].strip()[-200:]}", flush=True)
    failed = [r for r in results if r["problems"]]
    (root / "sweep.json").write_text(json.dumps(results, ensure_ascii=True, indent=1))  # argv may hold undecodable names
    print(f"{len(results)} cases, {len(failed)} failing")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

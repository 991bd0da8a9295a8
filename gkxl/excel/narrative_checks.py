"""The 正文 sheet's live checks of the text (issue 20): column E counts each section's characters as R-LENGTH counts
them (gkxl/rules/length.py: the same code-point table, compiled into a LOOKUP), column F shows 一、总体情况's total
against 30号's 一千字 and, for a template made with `--requirements`, the pack's items beside their sections, each with
✔ or ✘ as the filer types.

The live check of an item is the spreadsheet's reading of it, `gkxl check` gives the verdict: keywords are looked for
with FIND in the text without spaces and line breaks (as the rule does); a number item is met when, after the first
place one of its nouns stands, the next NEAR characters hold a digit and one of its units (the rule also reads Chinese
numerals and a number before the noun); a length item compares the sum of column E. Functions: LEN, MID, ROW,
INDIRECT, SUMPRODUCT, LOOKUP, FIND, SUBSTITUTE, UNICODE (Excel 2013 and later, WPS, LibreOffice).
"""

from __future__ import annotations

from ..formats.layout import a1, narrative_address
from ..model import Report
from ..rules.length import BOUNDS, LIMIT, char_count, overview_ids, removed_headings
from ..rules.length import FORMATS as LENGTH_FORMATS
from ..rules.pack import Item, Pack, sections_in_words
from ..rules.requirements import NEAR, evaluate
from .context import Build

COUNT_COL = 4  # column E
CHECK_COL = 5  # column F
COUNT_HEADER = "字数"
CHECK_HEADER = "篇幅和要求（随填随变；✔ 已写到，✘ 未写到）"
DIGITS = "{" + ",".join(f'"{d}"' for d in "0123456789") + "}"


def _q(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def count_expr(text_ref: str, remove: tuple[str, ...]) -> str:
    """The formula expression (no "=") counting the characters of a cell as gkxl.rules.length.char_count does."""
    t = text_ref
    for h in remove:
        t = f"SUBSTITUTE({t},{_q(h)},\"\")"
    starts = "{" + ",".join(str(s) for s, _ in BOUNDS) + "}"
    flags = "{" + ",".join(str(f) for _, f in BOUNDS) + "}"
    chars = f'MID({t},ROW(INDIRECT("1:"&LEN({t}))),1)'
    return f"IF(LEN({t})=0,0,SUMPRODUCT(LOOKUP(_xlfn.UNICODE({chars}),{starts},{flags})))"


def _flat(refs: list[str]) -> str:
    """The sections' text as the rule reads it: joined by "。", without spaces and line breaks."""
    joined = '&"。"&'.join(refs)
    return f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({joined}," ",""),CHAR(10),""),CHAR(13),""),"　","")'


def item_condition(b: Build, item: Item) -> str:
    spec = b.spec
    refs = [narrative_address(spec, s).a1 for s in item.sections]
    if item.kind in ("max_chars", "min_chars"):
        total = "+".join(a1(narrative_address(spec, s).row, COUNT_COL) for s in item.sections)
        return f"({total})<={item.max_chars}" if item.kind == "max_chars" else f"({total})>={item.min_chars}"
    x = _flat(refs)
    if item.kind == "keywords":
        entries = []
        for alts in item.keywords:
            tests = [f"ISNUMBER(FIND({_q(a)},{x}))" for a in alts]
            entries.append(tests[0] if len(tests) == 1 else f"OR({','.join(tests)})")
        return entries[0] if len(entries) == 1 else f"AND({','.join(entries)})"
    nouns = []
    for noun in item.number:
        window = f"MID({x},FIND({_q(noun)},{x}),{len(noun) + NEAR})"
        digit = f"SUMPRODUCT(--ISNUMBER(FIND({DIGITS},{window})))>0"
        units = [f"ISNUMBER(FIND({_q(u)},{window}))" for u in item.units]
        unit = (units[0] if len(units) == 1 else f"OR({','.join(units)})") if units else "TRUE"
        nouns.append(f"IFERROR(AND({digit},{unit}),FALSE)")
    return nouns[0] if len(nouns) == 1 else f"OR({','.join(nouns)})"


def _line(b: Build, item: Item) -> tuple[str, str]:
    """(formula expression, cached text) of an item's line."""
    words = item.text if set(item.sections) == {item.sections[0]} else f"{sections_in_words(item.sections)}{item.text}"
    label = f"{words}（{item.severity.value}）"
    met = evaluate(b.report, item)[0]
    return f'IF({item_condition(b, item)},"✔ ","✘ ")&{_q(label)}', ("✔ " if met else "✘ ") + label


def write_narrative_checks(b: Build, ws, pack: Pack | None) -> None:
    spec, st = b.spec, b.st
    ws.set_column(COUNT_COL, COUNT_COL, 10)
    ws.set_column(CHECK_COL, CHECK_COL, 44)
    ws.write_string(0, COUNT_COL, COUNT_HEADER, st.column_header)
    ws.write_string(0, CHECK_COL, CHECK_HEADER + (f"\n要求清单：{pack.name}（{pack.notice}）" if pack else ""), st.column_header)
    if pack is not None:
        ws.set_row(0, 34)  # two lines: the header and the pack's name
    report: Report = b.report
    counts: dict[str, int] = {}
    for s in spec.sections:
        addr = narrative_address(spec, s.id)
        remove = removed_headings(spec, s.id)
        counts[s.id] = char_count(report.narrative.get(s.id, "") or "", remove)
        ws.write_formula(addr.row, COUNT_COL, "=" + count_expr(addr.a1, remove), st.label_top, counts[s.id])
    lines: dict[str, list[tuple[str, str]]] = {s.id: [] for s in spec.sections}
    overview = overview_ids(spec)
    if spec.id in LENGTH_FORMATS:  # the formats with 30号's length rule (rules/length.py)
        first, last = (a1(narrative_address(spec, s).row, COUNT_COL) for s in (overview[0], overview[-1]))
        total = sum(counts[s] for s in overview)
        expr = (f'"{spec.headings[0]}合计 "&SUM({first}:{last})&" 字"&IF(SUM({first}:{last})>{LIMIT},'
                f'"，超过一千字 ✘（30号：篇幅原则上不超过一千字）","（不超过一千字 ✔）")')
        cached = f"{spec.headings[0]}合计 {total} 字" + ("，超过一千字 ✘（30号：篇幅原则上不超过一千字）" if total > LIMIT else "（不超过一千字 ✔）")
        lines[overview[0]].append((expr, cached))
    applies = pack is not None and (not pack.formats or spec.id in pack.formats)
    for item in pack.items if applies else ():
        lines[item.sections[0]].append(_line(b, item))
    if pack is not None and not applies:
        note = f"要求清单“{pack.name}”只适用于{'、'.join(pack.formats)}格式的报告，未列出"
        lines[overview[0]].append((_q(note), note))
    for sid, items in lines.items():
        if not items:
            continue
        addr = narrative_address(spec, sid)
        formula = "=" + "&CHAR(10)&".join(e for e, _ in items)
        ws.write_formula(addr.row, CHECK_COL, formula, st.label_top, "\n".join(c for _, c in items))

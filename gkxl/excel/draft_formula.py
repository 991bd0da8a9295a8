"""The 正文 sheet's live draft: gkxl/drafting.py's templates compiled into one formula per section.

Only functions every spreadsheet has (Excel, WPS, LibreOffice): &, IF, AND, SUM, COUNT, ROUND, TEXT, TRIM, MID, CHAR; no
TEXTJOIN or LET. The formula gives the text gkxl.drafting.render gives (tests/excel/test_draft_formula.py proves it
through LibreOffice); its cached result is that text, so a file opened without recalculation shows it too.
"""

from __future__ import annotations

from ..drafting import Cat, Count, IfZero, Items, Lit, Node, Piece, Share, pieces, section_drafts
from ..formats import YES, Format
from ..formats.layout import INFO_SHEET, NARRATIVE_SHEET, declaration_address, field_address, narrative_address
from ..model import Report
from .cells import refs
from .context import Build

DRAFT_COL = 3  # column D of 正文, beside 应写内容
HEADER = "依表格起草的参考文字（随填随变，可复制后粘贴到左侧“正文内容”）"
WIDTH = 60


def _text(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _sum(spec: Format, cells: tuple[str, ...]) -> str:
    return "SUM(" + ",".join(refs((field_address(spec, c) for c in cells), NARRATIVE_SHEET)) + ")"


def compile_node(spec: Format, node: Node) -> str:
    """The formula expression (without "=") of a template node."""
    if isinstance(node, Lit):
        return _text(node.text)
    if isinstance(node, Count):
        return f'TEXT({_sum(spec, node.cells)},"0")'
    if isinstance(node, Share):
        return f'TEXT(ROUND({_sum(spec, node.cells)}*100/{_sum(spec, node.of)},2),"0.00")'
    if isinstance(node, Cat):
        merged: list[Node] = []
        for p in node.parts:  # adjacent fixed words as one string literal
            if isinstance(p, Lit) and merged and isinstance(merged[-1], Lit):
                merged[-1] = Lit(merged[-1].text + p.text)
            elif not (isinstance(p, Lit) and not p.text):
                merged.append(p)
        return "&".join(compile_node(spec, p) for p in merged) if merged else '""'
    if isinstance(node, IfZero):
        return f"IF({_sum(spec, node.cells)}=0,{compile_node(spec, node.zero)},{compile_node(spec, node.other)})"
    if isinstance(node, Items):
        each = [f'IF({_sum(spec, cells)}<>0,{_text(node.sep)}&{compile_node(spec, p)},"")' for cells, p in node.items]
        return f"MID({'&'.join(each)},{len(node.sep) + 1},32767)"
    raise TypeError(node)


def piece_formula(spec: Format, piece: Piece) -> str:
    count = "COUNT(" + ",".join(refs((field_address(spec, c) for c in piece.leaves), NARRATIVE_SHEET)) + ")"
    unfilled = f"{count}<{len(piece.leaves)}"
    if piece.declaration and set(piece.leaves) <= set(spec.declared_inputs[piece.declaration]):
        # 零报告 declared (是): the table's blanks read as 0, as SUM reads them; the paragraph is drafted.
        cell = f"'{INFO_SHEET}'!{declaration_address(spec, piece.declaration).a1}"
        unfilled = f'AND({unfilled},TRIM({cell})<>"{YES}")'
    return f"IF({unfilled},{_text(piece.incomplete)},{compile_node(spec, piece.node)})"


def section_formulas(spec: Format) -> dict[str, str]:
    """Section id → the formula (with "=") of its drafted paragraphs, separated by a line break."""
    out: dict[str, list[str]] = {}
    for piece in pieces(spec):
        out.setdefault(piece.section, []).append(piece_formula(spec, piece))
    return {sid: "=" + "&CHAR(10)&".join(parts) for sid, parts in out.items()}


def write_drafts(b: Build, ws) -> None:
    """Column D of 正文: the header and, beside each drafted section, its live formula (locked, wrapped)."""
    ws.set_column(DRAFT_COL, DRAFT_COL, WIDTH)
    ws.write_string(0, DRAFT_COL, HEADER, b.st.column_header)
    cached = section_drafts(Report(b.spec.id, b.report.year, values=dict(b.inputs), declared=b.report.declared))
    for sid, formula in section_formulas(b.spec).items():
        addr = narrative_address(b.spec, sid)
        ws.write_formula(addr.row, DRAFT_COL, formula, b.st.label_top, cached[sid])

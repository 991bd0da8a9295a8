"""An annotated copy of a workbook: every cell with a finding filled by severity, with a comment holding its messages."""

from __future__ import annotations

import io
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError
from ..findings import Finding, Severity
from ..fsio import exists, write_bytes
from .package import open_package

FILL = {Severity.MANDATORY: "FFC7CE", Severity.VERIFY: "FFEB9C", Severity.HINT: "DDEBF7"}
EXPLAINED_FILL = "E2EFDA"  # a 核实 finding settled by its 说明: no longer open, still worth seeing
_RANK = {Severity.MANDATORY: 0, Severity.VERIFY: 1, Severity.HINT: 2}


def comment_text(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        state = "（已说明）" if f.explained else ""
        line = f"【{f.severity.value}{state}】{f.message}（{f.key}）"
        if f.explanation:
            line += f"\n说明：{f.explanation}"
        lines.append(line)
    return "\n".join(lines)


EXTRA_CELLS = 10_000  # cells of the sheets a filer added (check never reads them), all together


def guard(pkg) -> None:
    """Refuse a package openpyxl should not load, before it loads anything: a sheet of the template with more
    cells than check reads in one sheet, sheets the filer added with more than EXTRA_CELLS cells together
    (check never reads them: they may not make the copy cost more than check did), any hostile XML part.
    Cells are counted streaming, stopping at the limit; the zip's sizes and ratios were checked on opening."""
    from ..formats import all_formats
    from ..formats.layout import UNITS_SHEET, sheet_order
    from .package import MAX_CELLS, _local

    ours = {name for spec in all_formats() for name in sheet_order(spec)} | {UNITS_SHEET}
    extra = 0
    for info in pkg.sheets:
        if info.part is None or not pkg.has(info.part):
            continue
        seen = 0
        for _event, el in pkg._events(info.part):
            tag = _local(el.tag)
            if tag == "c":
                seen += 1
                if info.name in ours and seen > MAX_CELLS:
                    raise InputError(f"含有过多单元格（超过 {MAX_CELLS} 个），无法生成标注副本；检查结果不受影响", file=pkg.source, sheet=info.name)
                if info.name not in ours and extra + seen > EXTRA_CELLS:
                    raise InputError(
                        f"不是填报模板的工作表，含有过多单元格（另加的工作表共超过 {EXTRA_CELLS} 个），无法生成标注副本；"
                        "检查结果不受影响，可删除该工作表后再生成",
                        file=pkg.source, sheet=info.name,
                    )
            if tag in ("c", "row"):
                el.clear()
                while el.getprevious() is not None:
                    del el.getparent()[0]
        if info.name not in ours:
            extra += seen
    parts = {info.part.lower() for info in pkg.sheets if info.part}
    for lower, name in pkg._names.items():
        if lower.endswith((".xml", ".rels", ".vml")) and lower not in parts:
            for _ in pkg._events(name):
                pass


def annotate(src: str | Path, findings: Iterable[Finding], out: str | Path, *, force: bool = False) -> int:
    """Write a copy of src to out with the findings' cells highlighted and commented; returns how many cells.

    src is never written to. Findings without a sheet and cell (e.g. of the whole report) are not marked.
    """
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    src, out = Path(src), Path(out)
    if exists(out) and (out.resolve() == src.resolve() or os.path.samefile(out, src)):  # a hard link is the same file
        raise InputError("标注副本不能覆盖被检查的文件，请换一个输出文件名", file=str(out))
    # openpyxl reads every part: let the strict reader see them first, with check's limits (sizes, ratios,
    # DOCTYPE, cells per sheet), so a sheet check never reads cannot cost more here than check would allow.
    with open_package(src) as pkg:
        guard(pkg)
        spec = _format_of(pkg)
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.sheet and f.cell:
            by_cell[(f.sheet, f.cell)].append(f)
        if f.rule == "R-DECLARATION" and f.sheet and spec is not None:  # 零报告 contradicted: every cell named, marked
            from ..formats.layout import field_address

            for cid in f.cells[1:]:
                if cid in spec.fields:
                    addr = field_address(spec, cid)
                    by_cell[(addr.sheet, addr.a1)].append(f)
    try:
        wb = load_workbook(src, rich_text=False, keep_links=False)
    except Exception as exc:  # openpyxl's own refusals: the file is unusable for an annotated copy
        raise InputError(f"无法生成标注副本（{type(exc).__name__}）", file=str(src)) from None
    _fit_narrative_rows(wb)
    marked = 0
    for (sheet, ref), group in sorted(by_cell.items()):
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        if not hasattr(cell, "comment") or type(cell).__name__ == "MergedCell":
            continue
        group.sort(key=lambda f: _RANK[f.severity])
        open_ = [f for f in group if f.is_open or f.severity is Severity.HINT]
        colour = FILL[open_[0].severity] if open_ else EXPLAINED_FILL
        cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
        comment = Comment(comment_text(group), "gkxl")
        comment.width, comment.height = 360, min(600, 80 + 40 * len(group))
        cell.comment = comment
        marked += 1
    # Saved in memory, then written in one plain write: openpyxl writing to a file on a full disk leaves a zip
    # that fails again (with a traceback) when the interpreter collects it.
    buf = io.BytesIO()
    with _schema_font_order():
        wb.save(buf)
    write_bytes(out, buf.getvalue(), force=force)
    return marked


def _format_of(pkg):
    """The format the workbook's identity block names, or None where it names none gkxl knows."""
    from ..formats import get_format
    from ..formats.layout import IDENTITY_SHEET, VALUE_COL, identity_address

    if IDENTITY_SHEET not in pkg.sheet_names:
        return None
    addr = identity_address("format")
    cell = pkg.cells(IDENTITY_SHEET, max_row=addr.row + 1, max_col=VALUE_COL + 1).get((addr.row, addr.col))
    try:
        return get_format((cell.value or "").strip()) if cell is not None else None
    except KeyError:
        return None


def _fit_narrative_rows(wb) -> None:
    """Grow each 正文 row to its text (never shrink it), as gkxl sizes it when it writes a workbook."""
    from ..formats.layout import NARRATIVE_FIRST_ROW, NARRATIVE_SHEET, VALUE_COL
    from .forms import narrative_row_height

    if NARRATIVE_SHEET not in wb.sheetnames:
        return
    ws = wb[NARRATIVE_SHEET]
    for row in range(NARRATIVE_FIRST_ROW + 1, min(ws.max_row, NARRATIVE_FIRST_ROW + 40) + 1):
        value = ws.cell(row, VALUE_COL + 1).value
        if isinstance(value, str) and value:
            dim = ws.row_dimensions[row]
            need = narrative_row_height(value)
            if (dim.height or 0) < need:
                dim.height = need


# CT_Font's children in the order of the OOXML schema; openpyxl writes name and family first, which Excel's
# validator (and openxml-audit) reject as "unexpected element".
_FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color", "name",
               "family", "charset", "scheme")


class _schema_font_order:
    """While saving, openpyxl writes each <font>'s children in schema order."""

    def __enter__(self):
        from openpyxl.styles.fonts import Font

        self.saved = Font.__elements__
        Font.__elements__ = tuple(e for e in _FONT_ORDER if e in self.saved)

    def __exit__(self, *exc):
        from openpyxl.styles.fonts import Font

        Font.__elements__ = self.saved

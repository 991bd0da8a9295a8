"""An annotated copy of a workbook: every cell with a finding filled by severity, with a comment holding its messages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError
from ..findings import Finding, Severity
from ..fsio import atomic_path, exists, write_error
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


def annotate(src: str | Path, findings: Iterable[Finding], out: str | Path, *, force: bool = False) -> int:
    """Write a copy of src to out with the findings' cells highlighted and commented; returns how many cells.

    src is never written to. Findings without a sheet and cell (e.g. of the whole report) are not marked.
    """
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    src, out = Path(src), Path(out)
    if exists(out) and out.resolve() == src.resolve():
        raise InputError("标注副本不能覆盖被检查的文件，请换一个输出文件名", file=str(out))
    # openpyxl reads every part: let the strict reader see them first (sizes, DOCTYPE), as it did for the checks.
    with open_package(src) as pkg:
        pkg.scan_all()
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.sheet and f.cell:
            by_cell[(f.sheet, f.cell)].append(f)
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
    with atomic_path(out, force=force) as tmp:
        try:
            with _schema_font_order():
                wb.save(tmp)
        except OSError as exc:
            raise write_error(exc, out) from None
    return marked


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

"""Turn the compact declarations of a format module into tables (grid, spans, fields) and equations.

The format modules hold only the official wording and ids; the grid positions, spans, totals and the
勾稽 equations follow from them here, once, for every format.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from .schema import Equation, Field, Kind, Label, Table

# A table 二 block: (caption, headers, rows). headers: [(text, colspan)] after 信息内容; rows:
# [(row label, [(field id, colspan, kind)])].
Block = tuple[str, Sequence[tuple[str, int]], Sequence[tuple[str, Sequence[tuple[str, int, Kind]]]]]


def disclosure_table(*, heading: str, blocks: Sequence[Block], row_header: str, widths: Sequence[float]) -> Table:
    """Table 二: blocks of a full-width caption, a header row and data rows, on a 4-column grid."""
    n_cols = len(widths)
    labels: list[Label] = []
    fields: list[Field] = []
    row = 0
    for caption, headers, rows in blocks:
        labels.append(Label(caption, row, 0, colspan=n_cols, role="caption"))
        row += 1
        labels.append(Label(row_header, row, 0, role="header"))
        col = 1
        col_of: list[tuple[int, str]] = []
        for text, span in headers:
            labels.append(Label(text, row, col, colspan=span, role="header"))
            col_of.append((col, text))
            col += span
        row += 1
        for row_label, cells in rows:
            labels.append(Label(row_label, row, 0))
            col = 1
            for field_id, span, kind in cells:
                header = next(text for c, text in col_of if c == col)
                fields.append(Field(field_id, row, col, (caption, row_label), (header,), colspan=span, kind=kind))
                col += span
            row += 1
    return Table("sec2", "表二", heading, row, n_cols, 0, tuple(widths), tuple(labels), tuple(fields))


# A table 三 row: (row id, outer label, middle label or None, item label or None).
AppRow = tuple[str, str, str | None, str | None]
RESULTS_TOTAL = "results_total"


def _runs(values: Sequence[object]) -> list[tuple[object, int, int]]:
    """(value, first index, length) for each run of equal consecutive values."""
    out, i = [], 0
    for value, grp in groupby(values):
        n = len(list(grp))
        out.append((value, i, n))
        i += n
    return out


def applications_table(
    *,
    heading: str,
    note: str,
    rows: Sequence[AppRow],
    columns: Sequence[tuple[str, str]],
    applicants: str,
    organisations: str,
    widths: Sequence[float],
) -> tuple[Table, list[Equation]]:
    """Table 三: three label columns, seven data columns, 3 header rows; with its totals and 勾稽 equations.

    columns: (column id, label) in the official order; the first is 自然人, the last is 总计 and the ones
    between are the 法人或其他组织 columns.
    """
    label_cols, top = 3, 3
    n_cols = label_cols + len(columns)
    person, *orgs, total = columns
    labels = [
        Label(note, 0, 0, rowspan=3, colspan=3, role="note"),
        Label(applicants, 0, 3, colspan=len(columns), role="header"),
        Label(person[1], 1, 3, rowspan=2, role="header"),
        Label(organisations, 1, 4, colspan=len(orgs), role="header"),
        Label(total[1], 1, n_cols - 1, rowspan=2, role="header"),
    ]
    labels += [Label(text, 2, 4 + i, role="header") for i, (_, text) in enumerate(orgs)]

    # Row labels: the outer label spans the rows of its run, the middle label likewise within it.
    for outer, start, n in _runs([r[1] for r in rows]):
        if rows[start][2] is None:
            labels.append(Label(outer, top + start, 0, colspan=3))
            continue
        labels.append(Label(outer, top + start, 0, rowspan=n))
        group = rows[start : start + n]
        for middle, mstart, mn in _runs([r[2] for r in group]):
            if group[mstart][3] is None:
                labels.append(Label(middle, top + start + mstart, 1, colspan=2))
                continue
            labels.append(Label(middle, top + start + mstart, 1, rowspan=mn))
            for k in range(mn):
                labels.append(Label(group[mstart + k][3], top + start + mstart + k, 2))

    results_outer = next(r[1] for r in rows if r[0] == RESULTS_TOTAL)
    results = [r[0] for r in rows if r[1] == results_outer and r[0] != RESULTS_TOTAL]

    def fid(row_id: str, col_id: str) -> str:
        return f"sec3.{row_id}.{col_id}"

    fields: list[Field] = []
    equations: list[Equation] = []
    col_labels = {person[0]: (person[1],), total[0]: (total[1],)}
    col_labels.update({c: (organisations, text) for c, text in orgs})
    data_cols = [c for c, _ in columns[:-1]]
    for i, (row_id, outer, middle, item) in enumerate(rows):
        row_labels = tuple(x for x in (outer, middle, item) if x)
        for j, (col_id, _) in enumerate(columns):
            if col_id == total[0]:
                terms = tuple(fid(row_id, c) for c in data_cols)
            elif row_id == RESULTS_TOTAL:
                terms = tuple(fid(r, col_id) for r in results)
            else:
                terms = ()
            fields.append(Field(fid(row_id, col_id), top + i, label_cols + j, row_labels, col_labels[col_id], terms=terms))
        # R-ROW-TOTAL: 总计 = 自然人 + the five 法人或其他组织 columns, on every row.
        equations.append(
            Equation("R-ROW-TOTAL", row_id, (fid(row_id, total[0]),), tuple(fid(row_id, c) for c in data_cols), fid(row_id, total[0]))
        )
    first, second = rows[0][0], rows[1][0]
    forward = rows[-1][0]
    for col_id, _ in columns:
        # R-RESULTS-SUM: （七）总计 = the sum of all 办理结果 rows, in every column (总计 included).
        equations.append(
            Equation("R-RESULTS-SUM", col_id, (fid(RESULTS_TOTAL, col_id),), tuple(fid(r, col_id) for r in results), fid(RESULTS_TOTAL, col_id))
        )
    for col_id, _ in columns:
        # R-BALANCE, the official note: 第一项加第二项之和，等于第三项加第四项之和.
        equations.append(
            Equation(
                "R-BALANCE",
                col_id,
                (fid(RESULTS_TOTAL, col_id), fid(forward, col_id)),
                (fid(first, col_id), fid(second, col_id)),
                fid(forward, col_id),
            )
        )
    table = Table("sec3", "表三", heading, top + len(rows), n_cols, top, tuple(widths), tuple(labels), tuple(fields))
    return table, equations


def appeals_table(
    *,
    heading: str,
    review: tuple[str, str],
    litigation: str,
    groups: Sequence[tuple[str, str]],
    columns: Sequence[tuple[str, str]],
    widths: Sequence[float],
) -> tuple[Table, list[Equation]]:
    """Table 四: 行政复议 (5 columns) and 行政诉讼 (2 groups × 5 columns), one data row.

    review: (group id, label) of 行政复议; groups: the 行政诉讼 groups (id, label); columns: (id, label), 总计 last.
    """
    n = len(columns)
    n_cols = n * (1 + len(groups))
    labels = [Label(review[1], 0, 0, colspan=n, role="header"), Label(litigation, 0, n, colspan=n * len(groups), role="header")]
    labels += [Label(text, 1, j, rowspan=2, role="header") for j, (_, text) in enumerate(columns)]
    for g, (_, text) in enumerate(groups):
        labels.append(Label(text, 1, n * (g + 1), colspan=n, role="header"))
        labels += [Label(ctext, 2, n * (g + 1) + j, role="header") for j, (_, ctext) in enumerate(columns)]
    fields: list[Field] = []
    equations: list[Equation] = []
    all_groups = [(review[0], (review[1],))] + [(gid, (litigation, text)) for gid, text in groups]
    for g, (gid, glabels) in enumerate(all_groups):
        ids = [f"sec4.{gid}.{cid}" for cid, _ in columns]
        for j, (cid, ctext) in enumerate(columns):
            terms = tuple(ids[:-1]) if j == n - 1 else ()
            fields.append(Field(ids[j], 3, n * g + j, glabels, (ctext,), terms=terms))
        # R-SEC4-TOTAL: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, for each group.
        equations.append(Equation("R-SEC4-TOTAL", gid, (ids[-1],), tuple(ids[:-1]), ids[-1]))
    table = Table("sec4", "表四", heading, 4, n_cols, 3, tuple(widths), tuple(labels), tuple(fields), small=True)
    return table, equations

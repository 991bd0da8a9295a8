"""The status workbook's “要求清单” sheet (collect --requirements): one row per unit, one column per pack item (✔ met,
✘ not met, 未核对), and below, per item, how many units miss it: the table an office's 通报 quotes."""

from __future__ import annotations

from ..fsio import printable
from ..rules.requirements import item_states, tally

SHEET = "要求清单"


def write_requirement_sheet(wb, result, head, wrap, plain) -> None:
    pack = result.requirements
    if pack is None:
        return
    ws = wb.add_worksheet(SHEET)
    ws.write_string(0, 0, printable(f"要求清单“{pack.name}”（{pack.notice}）：✔ 已满足，✘ 未满足，未核对：已发布报告中该部分正文未能读出"), head)
    ws.set_row(1, 60)
    ws.write_string(1, 0, "单位", head)
    ws.set_column(0, 0, 36)
    for col, item in enumerate(pack.items, 1):
        ws.write_string(1, col, printable(f"{item.id}（{item.severity.value}）\n{item.text}"), head)
        ws.set_column(col, col, 14)
    checked = [(u.unit, u.used.result.findings) for u in result.units if u.used is not None and u.used.result.error is None]
    row = 2
    for unit, findings in checked:
        states = item_states(pack, findings)
        ws.write_string(row, 0, printable(unit), plain)
        for col, item in enumerate(pack.items, 1):
            ws.write_string(row, col, states[item.id], plain)
        row += 1
    ws.write_string(row, 0, f"未满足的单位数（共{len(checked)}个单位的报告）", head)
    for col, entry in enumerate(tally(pack, checked), 1):
        ws.write_number(row, col, len(entry["missed"]), head)
    not_read = [u.unit for u in result.units if u.used is None or u.used.result.error is not None]
    if not_read:
        ws.write_string(row + 2, 0, printable("未提交或无法读取、未按清单核对的单位：" + "、".join(not_read)), wrap)
    ws.freeze_panes(2, 1)

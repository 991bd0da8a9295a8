"""Every cell format of the workbook, made once per workbook (xlsxwriter formats are per workbook and costly to multiply)."""

from __future__ import annotations

from types import SimpleNamespace

from xlsxwriter.workbook import Workbook

FONT = "宋体"
HEADING_FONT = "黑体"
NOTE_FONT = "楷体"  # the official HTML sets the table 三 勾稽 note in 楷体
SIZE = 10
SMALL = 9  # 小五, for the dense table 四
INFO_SIZE = 12  # 小四, for 基本信息

INPUT_FILL = "#FFF2CC"  # light yellow: a filer may type here
TOTAL_FILL = "#EDEDED"  # light grey: computed, locked
OK = {"bg_color": "#C6EFCE", "font_color": "#006100"}
BAD = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
OPEN = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}


class Styles:
    """Named formats; `table(role, small)` gives a table cell's format."""

    def __init__(self, wb: Workbook):
        def fmt(**props):
            return wb.add_format({"font_name": FONT, "font_size": SIZE, **props})

        cell = {"border": 1, "valign": "vcenter", "text_wrap": True}
        self.heading = fmt(font_name=HEADING_FONT, font_size=12, valign="vcenter")
        self.unit_line = fmt(valign="vcenter")
        self.title = fmt(font_name=HEADING_FONT, font_size=12, valign="vcenter", text_wrap=True)
        self.plain = fmt(valign="top", text_wrap=True)
        self.column_header = fmt(bold=True, align="center", bg_color="#DDEBF7", **cell)
        self.label = fmt(**cell)
        self.label_top = fmt(valign="top", text_wrap=True, border=1)
        self.guide = fmt(valign="top", text_wrap=True)
        self.guide_head = fmt(font_name=HEADING_FONT, font_size=11, valign="vcenter")
        self.number = fmt(align="center", **cell)
        self.check_text = fmt(**cell)
        self.check_key = fmt(font_name="Consolas", font_size=9, **cell)  # a key to copy into 说明: wraps at its dots
        self.check_status = fmt(align="center", bold=True, **cell)
        self.identity = fmt()
        # Inputs: unlocked and coloured. Text inputs wrap and start at the top.
        self.input_text = fmt(locked=False, bg_color=INPUT_FILL, valign="top", text_wrap=True, border=1)
        self.input_line = fmt(locked=False, bg_color=INPUT_FILL, valign="vcenter", border=1)
        self.input_number = fmt(locked=False, bg_color=INPUT_FILL, valign="vcenter", align="left", border=1)
        self.input_date = fmt(locked=False, bg_color=INPUT_FILL, valign="vcenter", align="left", border=1, num_format="yyyy-mm-dd")
        self.locked_line = fmt(valign="vcenter", border=1, bg_color=TOTAL_FILL)
        self.locked_number = fmt(valign="vcenter", align="left", border=1, bg_color=TOTAL_FILL)
        self.ok, self.bad, self.open = wb.add_format(OK), wb.add_format(BAD), wb.add_format(OPEN)
        # 基本信息 in 小四 (12 pt): a page that is printed, signed and kept must read at arm's length.
        big = {"font_size": INFO_SIZE}
        wrap = {"text_wrap": True}
        self.info = SimpleNamespace(
            header=fmt(bold=True, align="center", bg_color="#DDEBF7", **cell, **big),
            label=fmt(**cell, **big),
            plain=fmt(valign="top", **wrap, **big),
            input_line=fmt(locked=False, bg_color=INPUT_FILL, valign="vcenter", border=1, **wrap, **big),
            input_number=fmt(locked=False, bg_color=INPUT_FILL, valign="vcenter", align="left", border=1, **big),
            input_date=fmt(locked=False, bg_color=INPUT_FILL, valign="vcenter", align="left", border=1, num_format="yyyy-mm-dd", **big),
            locked_line=fmt(valign="vcenter", border=1, bg_color=TOTAL_FILL, **wrap, **big),
            locked_number=fmt(valign="vcenter", align="left", border=1, bg_color=TOTAL_FILL, **big),
        )
        self._table = {}
        for small in (False, True):
            size = SMALL if small else SIZE
            base = {**cell, "font_size": size}
            self._table[("caption", small)] = fmt(align="center", bold=True, **base)
            self._table[("header", small)] = fmt(align="center", **base)
            self._table[("note", small)] = fmt(align="center", font_name=NOTE_FONT, **base)
            self._table[("label", small)] = fmt(align="left", **base)
            # Stacked text, one character under the other, for a tall narrow label (三、本年度办理结果).
            self._table[("vertical", small)] = fmt(align="center", rotation=270, **base)
            self._table[("input", small)] = fmt(align="center", locked=False, bg_color=INPUT_FILL, **base)
            self._table[("total", small)] = fmt(align="center", bg_color=TOTAL_FILL, **base)

    def table(self, role: str, small: bool):
        return self._table[(role, small)]

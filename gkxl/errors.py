"""The one exception for input gkxl cannot use at all: a Chinese message naming the file, sheet and cell."""

from __future__ import annotations


class InputError(Exception):
    """Unusable input (exit code 2): the file cannot be read, is not what it should be, or would be overwritten."""

    def __init__(self, message: str, *, file: str = "", sheet: str = "", cell: str = ""):
        super().__init__(message)
        self.message = message
        self.file = file
        self.sheet = sheet
        self.cell = cell

    def __str__(self) -> str:
        where = "，".join(x for x in (self.file, f"工作表“{self.sheet}”" if self.sheet else "", f"单元格 {self.cell}" if self.cell else "") if x)
        return f"{where}：{self.message}" if where else self.message

    def located(self, file: str) -> "InputError":
        if not self.file:
            self.file = file
        return self

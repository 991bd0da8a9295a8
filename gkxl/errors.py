"""The one exception for input gkxl cannot use at all: a Chinese message naming the file, sheet and cell."""

from __future__ import annotations

import re

MAX_QUOTE = 50  # characters of a quoted raw value shown in a message
_QUOTED = re.compile(r"“([^“”]{%d,})”" % (MAX_QUOTE + 1))


_CUT = re.compile(r"…（共\d+字）$")


def quote(text: str) -> str:
    """A raw value as a message quotes it: cut to MAX_QUOTE characters, its full length said (cut once only)."""
    return text if len(text) <= MAX_QUOTE or _CUT.search(text) else f"{text[:MAX_QUOTE]}…（共{len(text)}字）"


def shorten_quotes(message: str) -> str:
    """Every “quoted” text in a message longer than MAX_QUOTE, cut (a finding once printed a 1.1 MB cell)."""
    if len(message) <= MAX_QUOTE + 2:
        return message
    return _QUOTED.sub(lambda m: f"“{quote(m.group(1))}”", message)


class InputError(Exception):
    """Unusable input (exit code 2): the file cannot be read, is not what it should be, or would be overwritten."""

    def __init__(self, message: str, *, file: str = "", sheet: str = "", cell: str = ""):
        message = shorten_quotes(message)
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

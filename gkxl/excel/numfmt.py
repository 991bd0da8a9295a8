"""Excel number formats and serial dates: which formats show a date, and the date a serial number shows."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

# Built-in number formats that show a date or time: 14-22 and 45-47 everywhere, 27-36 and 50-58 in the
# East Asian locales (Chinese Excel and WPS write e.g. 31 = yyyy"年"m"月"d"日" without declaring it).
DATE_FORMAT_IDS = frozenset(range(14, 23)) | frozenset(range(27, 37)) | frozenset(range(45, 48)) | frozenset(range(50, 59))
# What a format code may hold that is no date token: quoted text, [colours]/[$-804]/[h], escapes, _x spacing, *x fill.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def excel_date(serial: Decimal | int | str, date1904: bool = False) -> dt.datetime:
    """The date and time an Excel serial number shows (1900 system with its phantom 29 Feb 1900, or 1904)."""
    value = Decimal(str(serial))
    if date1904:
        base = dt.datetime(1904, 1, 1)
    elif value < 61:
        base = dt.datetime(1899, 12, 31)  # serials before Excel's phantom 1900-02-29
    else:
        base = dt.datetime(1899, 12, 30)
    days = int(value // 1)
    seconds = int(((value - days) * 86400).to_integral_value())
    return base + dt.timedelta(days=days, seconds=seconds)


def is_date_format(code: str) -> bool:
    """A custom number format that shows a date or time: y, m, d, h or s outside quotes, brackets and escapes."""
    stripped = _FORMAT_NOISE.sub("", code).lower()
    if stripped in ("general", ""):
        return False
    return bool(re.search(r"[ymdhs]", stripped.replace("general", "")))


# What a number format shows ---------------------------------------------------------------------------------------
#
# An input cell is read only where what the filer sees is the number stored: `displayed(code, value)` renders the
# cell's number format as a spreadsheet does, and the reader compares the result with the stored value. It knows
# sections (positive;negative;zero;text), digit placeholders 0 # ?, the decimal point, grouping and scaling commas,
# %, literals ("…", \x, other characters), _x spacing, *x fills, [colours] and [$¥-804] currency. A format it does
# not know (conditions, fractions, scientific, [DBNum] numerals) renders as None: not read, never guessed.

# Built-in formats other than dates (ECMA-376 §18.8.30; 5-8 and 41-44 as zh-CN Excel shows them).
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"¥"#,##0;"¥"\\-#,##0', 6: '"¥"#,##0;[Red]"¥"\\-#,##0', 7: '"¥"#,##0.00;"¥"\\-#,##0.00', 8: '"¥"#,##0.00;[Red]"¥"\\-#,##0.00',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
    41: '_ * #,##0_ ;_ * \\-#,##0_ ;_ * "-"_ ;_ @_ ', 42: '_ "¥"* #,##0_ ;_ "¥"* \\-#,##0_ ;_ "¥"* "-"_ ;_ @_ ',
    43: '_ * #,##0.00_ ;_ * \\-#,##0.00_ ;_ * "-"??_ ;_ @_ ', 44: '_ "¥"* #,##0.00_ ;_ "¥"* \\-#,##0.00_ ;_ "¥"* "-"??_ ;_ @_ ',
    48: "##0.0E+0", 49: "@",
}
UNKNOWN_FORMAT = "[?]"  # the code given to a numFmtId that neither the file nor the built-in table defines
_COLOURS = re.compile(r"^(black|blue|cyan|green|magenta|red|white|yellow|color\s*\d+)$", re.I)


def builtin_format(fmt_id: int) -> str | None:
    """The code of a built-in number format; None for an id no table defines (a locale's own)."""
    return BUILTIN_FORMATS.get(fmt_id)


def _sections(code: str) -> list[str]:
    out, cur, i = [], [], 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            j = code.find('"', i + 1)
            j = len(code) - 1 if j < 0 else j
            cur.append(code[i : j + 1])
            i = j + 1
            continue
        if ch in "\\_*" and i + 1 < len(code):
            cur.append(code[i : i + 2])
            i += 2
            continue
        if ch == "[":
            j = code.find("]", i)
            j = len(code) - 1 if j < 0 else j
            cur.append(code[i : j + 1])
            i = j + 1
            continue
        if ch == ";":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def _tokens(section: str) -> list[tuple[str, str]] | None:
    """(kind, text) tokens: "ph" (0 # ?), "dot", "comma", "pct", "lit", "text" (@), "general"; None if unknown."""
    out: list[tuple[str, str]] = []
    i = 0
    seen_dot = False
    while i < len(section):
        ch = section[i]
        if section[i : i + 7].lower() == "general":
            out.append(("general", ""))
            i += 7
            continue
        if ch == '"':
            j = section.find('"', i + 1)
            if j < 0:
                return None
            out.append(("lit", section[i + 1 : j]))
            i = j + 1
            continue
        if ch == "\\" and i + 1 < len(section):
            out.append(("lit", section[i + 1]))
            i += 2
            continue
        if ch == "_" and i + 1 < len(section):
            out.append(("lit", " "))
            i += 2
            continue
        if ch == "*" and i + 1 < len(section):
            i += 2  # a fill repeats a character to the cell's width: shown as spaces here, nothing of the number
            continue
        if ch == "[":
            j = section.find("]", i)
            if j < 0:
                return None
            inner = section[i + 1 : j]
            if _COLOURS.match(inner):
                pass
            elif inner.startswith("$"):
                symbol = inner[1:].split("-", 1)[0]
                if symbol:
                    out.append(("lit", symbol))
            else:
                return None  # a condition ([>100]), [DBNum1] numerals, elapsed time: not rendered here
            i = j + 1
            continue
        if ch in "0#?":
            out.append(("ph", ch))
        elif ch == "." and not seen_dot:
            seen_dot = True
            out.append(("dot", "."))
        elif ch == ",":
            out.append(("comma", ","))
        elif ch == "%":
            out.append(("pct", "%"))
        elif ch == "@":
            out.append(("text", ""))
        elif ch in "eE" and i + 1 < len(section) and section[i + 1] in "+-":
            return None  # scientific notation
        elif ch == "/":
            return None  # a fraction
        else:
            out.append(("lit", ch))
        i += 1
    return out


def _general(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return text


def _render_number(tokens: list[tuple[str, str]], value: Decimal, signed: bool) -> str | None:
    """One section applied to a number; `signed`: prefix a minus (the first section used for a negative)."""
    kinds = [k for k, _ in tokens]
    if "text" in kinds:
        return None
    minus = "-" if signed and value < 0 else ""
    if "general" in kinds:
        if "ph" in kinds:
            return None
        return minus + "".join(_general(abs(value)) if k == "general" else (t if k in ("lit", "dot", "pct") else "") for k, t in tokens)
    phs = [i for i, k in enumerate(kinds) if k == "ph"]
    dot = kinds.index("dot") if "dot" in kinds else None
    int_end = dot if dot is not None else len(tokens)
    grouping, scale = False, 0
    for i, k in enumerate(kinds):
        if k != "comma":
            continue
        before = any(j < i for j in phs)
        if before and any(i < j < int_end for j in phs):
            grouping, kinds[i] = True, "skip"
        elif before and not any(j > i for j in phs if (j < int_end) == (i < int_end)):
            scale, kinds[i] = scale + 1, "skip"  # a comma after the last placeholder of its part divides by 1000
        else:
            kinds[i] = "lit"
    number = abs(value) * (Decimal(100) ** kinds.count("pct")) / (Decimal(1000) ** scale)
    int_ph = [j for j in phs if j < int_end]
    frac_ph = [j for j in phs if j > int_end]
    rounded = number.quantize(Decimal(1).scaleb(-len(frac_ph)), ROUND_HALF_UP)
    int_part = int(rounded)
    frac_digits = format(rounded, "f").split(".")[1] if frac_ph else ""
    shown = [t if k in ("lit", "dot", "pct") else "" for k, (_, t) in zip(kinds, tokens)]
    digits = str(int_part) if int_part else ""
    if grouping:
        if any(kinds[j] == "lit" for j in range(int_ph[0], int_ph[-1])):
            return None
        zeros = sum(1 for j in int_ph if tokens[j][1] == "0")
        text = digits.rjust(zeros, "0")
        shown[int_ph[0]] = f"{int(text):,}".rjust(len(text) + (len(text) - 1) // 3, "0") if text else ""
    elif int_ph:
        rest = digits
        for j in reversed(int_ph):  # integer placeholders fill from the right; extra digits go before the first
            if rest:
                shown[j], rest = rest[-1], rest[:-1]
            else:
                shown[j] = {"0": "0", "?": " "}.get(tokens[j][1], "")
        shown[int_ph[0]] = rest + shown[int_ph[0]]
    elif dot is not None:
        shown[dot] = digits + shown[dot]
    elif not phs:
        pass  # a section of literals only (or empty, as in ;;;) shows no digits at all
    # Fraction placeholders fill from the left; trailing zeros at # are dropped, at ? become spaces.
    keep = len(frac_digits)
    while keep and frac_digits[keep - 1] == "0" and tokens[frac_ph[keep - 1]][1] != "0":
        keep -= 1
    for n, j in enumerate(frac_ph):
        shown[j] = frac_digits[n] if n < keep else (" " if tokens[j][1] == "?" else "")
    if not (int_part or frac_digits.strip("0")):
        minus = ""
    return minus + "".join(shown)


def displayed(code: str, value: Decimal | str) -> str | None:
    """The text a cell shows for a number (Decimal) or a text (str) under this number format; None if unknown."""
    try:
        return _displayed(code, value)
    except (ArithmeticError, ValueError, IndexError):  # a number beyond what can be shown: not read, never guessed
        return None


def _displayed(code: str, value: Decimal | str) -> str | None:
    if code.strip().lower() in ("", "general"):
        return _general(value) if isinstance(value, Decimal) else value
    sections = _sections(code)
    if len(sections) > 4:
        return None
    parsed = [_tokens(s) for s in sections]
    if any(p is None for p in parsed):
        return None
    if isinstance(value, str):
        text_section = parsed[3] if len(parsed) == 4 else (parsed[0] if any(k == "text" for k, _ in parsed[0]) else None)
        if text_section is None:
            return value
        return "".join(value if k == "text" else (t if k in ("lit", "dot", "pct", "comma") else "") for k, t in text_section)
    if len(parsed) == 1 and any(k == "text" for k, _ in parsed[0]):
        return _general(value)  # a text format ("@") shows a number as General does
    if value < 0 and len(parsed) >= 2:
        return _render_number(list(parsed[1]), value, signed=False)
    if value == 0 and len(parsed) >= 3:
        return _render_number(list(parsed[2]), value, signed=False)
    return _render_number(list(parsed[0]), value, signed=True)

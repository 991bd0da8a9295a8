"""Reading a filled gkxl workbook back into a Report, with the findings made while reading it.

Order of business: the package (hostile input refused), the identity block (is it ours, which format, unit
and year), the layout (a sheet missing or renamed, a label moved or edited: R-LAYOUT, and nothing is read
from that sheet), then the values. Every value goes through `gkxl.values.parse_value`; what cannot be read is
an R-VALUE finding quoting the cell as the filer sees it. Totals are never taken from the file: they are
recomputed from the inputs, and a cached total that differs is an R-CACHED-TOTAL finding.

A number cell is read from its XML text as Excel shows it: at most 15 significant digits, Excel's own
precision, so that the binary noise Excel writes (151.59800000000001) is read as 151.598. No float is involved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from pathlib import Path

from ..errors import InputError
from ..findings import Finding, Severity
from ..formats import METADATA, NO, YES, Declaration, Format, Kind, Table, format_for_year, get_format
from ..formats.layout import (
    EXPLAIN_FIRST_ROW,
    EXPLAIN_ROWS,
    EXPLAIN_SHEET,
    IDENTITY_KEYS,
    IDENTITY_SHEET,
    INFO_FIRST_ROW,
    INFO_SHEET,
    NARRATIVE_SHEET,
    TABLE_TOP,
    TEMPLATE_VERSION,
    VALUE_COL,
    Address,
    a1,
    declaration_address,
    field_address,
    fingerprint,
    info_address,
    info_rows,
    narrative_address,
    section_title,
    sheet_order,
    table_sheet,
)
from ..loaded import Loaded
from ..model import Report, issued_on_example, value_finding
from ..rules.context import make
from ..values import FULLWIDTH, format_number, parse_value
from .cells import leaves
from .numfmt import displayed, excel_date
from .package import Cell, Package, open_package

WORKBOOK_SCHEMA = "gkxl.workbook/1"
EXCEL_DIGITS = 15  # Excel keeps and shows at most 15 significant digits
SHIFT_SEARCH = 30  # rows or columns searched to tell an inserted or deleted row from an edited label
_WS = re.compile(r"[\s\u00a0\u3000]+")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def read_workbook(path: str | Path) -> Loaded:
    """Read a workbook made by `gkxl template` (and filled in any spreadsheet program). InputError if unusable."""
    return read_with_identity(path)[0]


def read_with_identity(path: str | Path, *, default_year: int | None = None) -> tuple[Loaded, Identity]:
    """The workbook and its identity block. default_year: the year of a template whose year is neither locked
    nor typed (a blank template being filled); without it such a workbook is refused."""
    p = Path(path)
    with open_package(p) as pkg:
        reader = _Reader(pkg, str(p), default_year)
        loaded = reader.read()
        return loaded, reader.ident


def excel_number(text: str | None) -> Decimal | None:
    """The number a cell's XML text holds, as Excel shows it (15 significant digits); None if it is none."""
    if text is None:
        return None
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    if len(number.as_tuple().digits) > EXCEL_DIGITS:
        with localcontext() as ctx:
            ctx.prec = 400
            number = number.quantize(Decimal(1).scaleb(number.adjusted() - EXCEL_DIGITS + 1), ROUND_HALF_EVEN)
            number = number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    return number


def norm(text: str | None) -> str:
    """A label as compared: whitespace anywhere is ignored."""
    return _WS.sub("", text or "")


def shown(cell: Cell | None, date1904: bool = False) -> str:
    """A cell's content as the filer sees it, for messages."""
    if cell is None or cell.blank:
        return ""
    if cell.formula is not None:
        return "=" + cell.formula if cell.formula else "（公式）"
    if cell.type == "b":
        return "TRUE" if cell.value == "1" else "FALSE"
    if cell.is_date:
        return _date_text(cell, date1904)
    if cell.type == "n":
        number = excel_number(cell.value)
        return format_number(number) if number is not None else cell.value or ""
    return cell.value or ""


def _date_text(cell: Cell, date1904: bool) -> str:
    if cell.type == "d":
        return (cell.value or "").replace("T00:00:00", "").replace("T", " ")
    try:
        when = excel_date(cell.value or "0", date1904)
    except (InvalidOperation, OverflowError, ValueError):
        return cell.value or ""
    return when.strftime("%Y-%m-%d") if when.time() == dt.time() else when.strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Identity:
    """What the very hidden identity sheet says: the format, and the unit and year the template was made for."""

    spec: Format
    year: int | None  # None: the year is not locked, 基本信息 gives it
    agency: str
    locked: bool


class _Reader:
    def __init__(self, pkg: Package, source: str, default_year: int | None = None):
        self.pkg = pkg
        self.source = source
        self.default_year = default_year
        self.found: list[Finding] = []
        self.text_stored: dict[str, str] = {}  # input ids read from a text cell → A1, for the cached-total hint

    # Findings ------------------------------------------------------------------------------------------

    def add(self, finding: Finding, addr: Address | None = None, *, sheet: str = "", cell: str = "") -> None:
        if addr is not None:
            sheet, cell = addr.sheet, addr.a1
        self.found.append(finding.located(file=self.source, sheet=sheet, cell=cell))

    def layout(self, scope: str, note: str, *, cells: tuple[str, ...] = (), sheet: str = "", cell: str = "") -> None:
        finding = replace(make("R-LAYOUT", scope, self.spec, note=note), cells=cells)
        self.add(finding, sheet=sheet, cell=cell)

    # The whole workbook --------------------------------------------------------------------------------

    def read(self) -> Loaded:
        self.ident = ident = self.identity()
        self.spec = spec = ident.spec
        present = set(self.pkg.sheet_names)
        order = sheet_order(spec)
        strangers = [n for n in self.pkg.sheet_names if n not in order]
        for name in order:
            if name not in present:
                extra = f"；工作簿中另有不属于模板的工作表“{'”“'.join(strangers)}”，可能是被改名" if strangers else ""
                fields = tuple(f.id for t in spec.tables if table_sheet(t) == name for f in t.fields)
                unread = "，其中的数据未读取" if fields else ""
                self.layout(name, f"缺少工作表“{name}”（可能被删除或改名）{unread}{extra}；请使用原模板重新填写", cells=fields, sheet=name)

        values: dict[str, int | Decimal] = {}
        cached: dict[str, tuple[Decimal | None, str, Address]] = {}
        for table in spec.tables:
            if table_sheet(table) in present:
                self.read_table(table, values, cached)

        report = Report(spec.id, ident.year or 0, ident.agency, values)
        if INFO_SHEET in present:
            self.read_info(report, ident)
        if not report.year and self.default_year:
            report.year = self.default_year
        if not report.year:
            addr = info_address("year")
            raise InputError("未填写年度，无法确定报告年度；请在“基本信息”表填写四位数字年度", file=self.source, sheet=addr.sheet, cell=addr.a1)
        if NARRATIVE_SHEET in present:
            self.read_narrative(report)
        if EXPLAIN_SHEET in present:
            self.read_explanations(report)
        self.check_totals(report, cached)
        return Loaded(report, self.source, "xlsx", self.found, locked_agency=ident.locked)

    # Identity ------------------------------------------------------------------------------------------

    def identity(self) -> Identity:
        fail = "不是 gkxl 生成的填报模板（找不到模板标识）；请使用 gkxl template 生成的模板填写"
        if IDENTITY_SHEET not in self.pkg.sheet_names:
            raise InputError(fail, file=self.source)
        cells = self.pkg.cells(IDENTITY_SHEET, max_row=len(IDENTITY_KEYS) + 20, max_col=VALUE_COL + 1)
        ident: dict[str, str] = {}
        for (row, col), cell in cells.items():
            if col == 0 and cell.value:
                ident[cell.value.strip()] = shown(cells.get((row, VALUE_COL))).strip()
        schema = ident.get("schema", "")
        if schema != WORKBOOK_SCHEMA:
            raise InputError(fail if not schema else f"模板标识“{schema}”无法识别，不是本程序生成的填报模板", file=self.source)
        try:
            spec = get_format(ident.get("format", ""))
        except KeyError:
            raise InputError(f"模板标识中的报告格式“{ident.get('format', '')}”无法识别；请使用 gkxl template 重新生成模板", file=self.source) from None
        version = ident.get("template_version", "")
        if version != TEMPLATE_VERSION:
            raise InputError(
                f"这份模板由另一版本的 gkxl 生成（模板版本“{version}”，本程序为“{TEMPLATE_VERSION}”）；"
                "请用本程序 gkxl template 重新生成模板后转填数据",
                file=self.source,
            )
        expected = fingerprint(spec)
        # A template made before 基本信息 had the 零报告 declarations reads as before, with none made.
        self.declarations = ident.get("fingerprint") != fingerprint(spec, declarations=False)
        if ident.get("fingerprint") != expected and self.declarations:
            raise InputError(
                f"模板结构标识不符（工作簿为“{ident.get('fingerprint', '')}”，本程序{spec.id}格式为“{expected}”）："
                "模板由另一版本的 gkxl 生成，或标识被改动；请用 gkxl template 重新生成模板",
                file=self.source,
            )
        year_text = ident.get("year", "")
        if year_text and not re.fullmatch(r"\d{4}", year_text):
            raise InputError(f"模板标识中的年度“{year_text}”无效；请用 gkxl template 重新生成模板", file=self.source)
        # No year in the identity: a blank template serving any year of its format; the filer types the year.
        year = int(year_text) if year_text else None
        return Identity(spec, year, ident.get("agency", "").strip(), ident.get("locked", "") == "1")

    # Tables --------------------------------------------------------------------------------------------

    def read_table(self, table: Table, values: dict, cached: dict) -> None:
        name = table_sheet(table)
        cells = self.pkg.cells(name, max_row=TABLE_TOP + table.n_rows + SHIFT_SEARCH + 5, max_col=table.n_cols + SHIFT_SEARCH)
        problem = self.check_labels(table, cells)
        if problem:
            where, note = problem
            self.layout(name, note, cells=tuple(f.id for f in table.fields), sheet=name, cell=where)
            return
        for fld in table.fields:
            addr = field_address(self.spec, fld.id)
            cell = cells.get((addr.row, addr.col))
            if fld.is_total:
                cached[fld.id] = (self.cached_total(fld.id, cell), shown(cell, self.pkg.date1904), addr)
                continue
            value = self.read_input(fld.id, fld.kind, cell, addr)
            if value is not None:
                values[fld.id] = value

    def check_labels(self, table: Table, cells: dict[tuple[int, int], Cell]) -> tuple[str, str] | None:
        """The first label not where the template put it, as (A1, what changed); None if all are in place."""
        wrong = []
        for lb in table.labels:
            row, col = TABLE_TOP + lb.row, lb.col
            actual = shown(cells.get((row, col)))
            if norm(actual) != norm(lb.text):
                wrong.append((row, col, lb.text, actual))
        if not wrong:
            return None
        row, col, expected, actual = min(wrong)  # the first by position, as a filer reads the sheet
        name = table_sheet(table)
        note = f"{name} 第{row + 1}行（{a1(row, col)}）：应为“{_short(expected)}”，实为“{_short(actual) or '（空）'}”"
        note += self._shift(cells, row, col, expected)
        if len(wrong) > 1:
            note += f"；共有{len(wrong)}处表头或行名与模板不符"
        return a1(row, col), note + "。该表的数据未读取，请使用原模板重新填写（不要插入、删除行列或修改表头）"

    def _shift(self, cells: dict[tuple[int, int], Cell], row: int, col: int, expected: str) -> str:
        """Where the expected label went, said as an inserted or deleted row or column."""
        want = norm(expected)
        for k in range(1, SHIFT_SEARCH):
            for sign in (1, -1):
                if norm(shown(cells.get((row + sign * k, col)))) == want:
                    return f"，可能{'插入' if sign > 0 else '删除'}了{k}行"
                if norm(shown(cells.get((row, col + sign * k)))) == want:
                    return f"，可能{'插入' if sign > 0 else '删除'}了{k}列"
        return "，表头或行名可能被修改"

    def read_input(self, cid: str, kind: Kind, cell: Cell | None, addr: Address) -> int | Decimal | None:
        """The value of one input cell; None when it is blank (missing) or unreadable (an R-VALUE finding)."""
        if cell is None or cell.blank:
            return None
        raw = shown(cell, self.pkg.date1904)
        if cell.formula is not None:
            problem = "输入单元格中含有公式，请直接填写数字"
        elif cell.type == "b":
            problem = "是逻辑值，不是数字"
        elif cell.type == "e":
            problem = "是错误值，不是数字"
        elif cell.is_date:
            problem = "被识别为日期：Excel 把输入的内容当成了日期，请将单元格格式改为“常规”后重新填写数字"
        else:
            if cell.is_text:
                parsed = parse_value(kind, cell.value)
            else:
                number = excel_number(cell.value)
                parsed = parse_value(kind, number) if number is not None else parse_value(kind, cell.value or "")
            if parsed.ok:
                seen = self.not_as_shown(cell, kind, parsed.value)
                if seen is not None:
                    self.add(self.shown_finding(cid, cell, seen, parsed.value), addr)
                    return None
                if cell.is_text:
                    self.text_stored[cid] = addr.a1
                return parsed.value
            if parsed.missing:
                seen = self.not_as_shown(cell, kind, None)
                if seen is not None:  # a placeholder ("/", "—") shown as a number by its format
                    self.add(self.shown_finding(cid, cell, seen, None), addr)
                return None
            problem = parsed.problem
        self.add(value_finding(self.spec, cid, raw, problem), addr)
        return None

    @staticmethod
    def not_as_shown(cell: Cell, kind: Kind, value: int | Decimal | None) -> str | None:
        """What the cell shows where its number format makes it show something other than the value read (a scale,
        literal digits or a decimal point, text, hidden digits, rounding); None where it shows that value."""
        if not cell.numfmt:
            return None
        if cell.is_text:
            stored: Decimal | str = cell.value or ""
        else:
            number = excel_number(cell.value)
            stored = number if number is not None else Decimal(0)
        text = displayed(cell.numfmt, stored)
        if text is None:
            return "（无法确定）"
        if cell.is_text and norm(text) == norm(cell.value):
            return None
        seen = parse_value(kind, text)
        if seen.ok and value is not None and seen.value == value:
            return None
        if seen.missing and value is None:
            return None
        return text

    def shown_finding(self, cid: str, cell: Cell, seen: str, value: int | Decimal | None) -> Finding:
        """R-VALUE: the cell shows one number and holds another; neither is taken for the filer's."""
        stored = format_number(value) if value is not None else f"“{cell.value or ''}”"
        if seen == "（无法确定）":
            what = f"单元格的数字格式“{cell.numfmt}”gkxl 无法确定其显示的内容，保存的数值为 {stored}"
        else:
            what = f"单元格显示为“{seen}”，实际保存的数值为 {stored}（数字格式“{cell.numfmt}”改变了显示的内容）"
        finding = value_finding(self.spec, cid, seen, "")
        message = (f"{self.spec.table_of[cid].name} {finding.labels}：{what}；显示与保存的不一致，不予读取。"
                   "请把该单元格的格式改为“常规”（工作表保护无密码，可先撤销保护），核对后重新填写数字")
        return replace(finding, message=message, raw=stored.strip("“”"))

    def cached_total(self, cid: str, cell: Cell | None) -> Decimal | None:
        """The total the file shows (a formula's cached result, or a number typed over the formula)."""
        if cell is None or cell.blank or cell.type in ("e", "b") or cell.is_date:
            return None
        if cell.type == "n":
            return excel_number(cell.value)
        parsed = parse_value(Kind.SIGNED if self.spec.fields[cid].kind is not Kind.AMOUNT else Kind.AMOUNT, cell.value)
        return Decimal(parsed.value) if parsed.ok else None

    def check_totals(self, report: Report, cached: dict[str, tuple[Decimal | None, str, Address]]) -> None:
        """R-CACHED-TOTAL: a total shown in the file that differs from the one recomputed from the inputs."""
        computed = report.with_totals()
        for tid, (value, raw, addr) in cached.items():
            if tid not in computed:
                continue
            if value is None:
                if raw and not raw.startswith("=") and raw != "（公式）":
                    # Text typed over a total: what the file shows is no number at all.
                    f = make("R-CACHED-TOTAL", tid, self.spec, cells=(tid,), expected=computed[tid])
                    f = replace(f, raw=raw, message=f.message.replace("（空）", f"“{raw}”"))
                    self.add(f, addr)
                continue
            if value != computed[tid]:
                f = make("R-CACHED-TOTAL", tid, self.spec, cells=(tid,), expected=computed[tid], actual=_as_kind(value, self.spec.fields[tid].kind))
                texts = [self.text_stored[c] for c in leaves(self.spec, (tid,)) if c in self.text_stored]
                if texts:
                    hint = "、".join(texts[:5]) + ("等" if len(texts) > 5 else "")
                    f = replace(f, message=f.message + f"；其中 {hint} 的数字以文字形式保存，Excel 不计入合计，请改为数字")
                self.add(f, addr)

    # 基本信息, 正文, 说明 ---------------------------------------------------------------------------------

    def read_info(self, report: Report, ident: Identity) -> None:
        cells = self.pkg.cells(INFO_SHEET, max_row=INFO_FIRST_ROW + info_rows(self.spec) + 10, max_col=VALUE_COL + 3)
        declarations = self.spec.declarations if self.declarations else ()
        labels = [(info_address(m.key).row, m.label) for m in METADATA]
        labels += [(declaration_address(self.spec, d.key).row, d.statement) for d in declarations]
        if not self.labels_in_place(INFO_SHEET, cells, labels):
            return
        for d in declarations:
            addr = declaration_address(self.spec, d.key)
            self.read_declaration(report, d, cells.get((addr.row, addr.col)), addr)
        date1904 = self.pkg.date1904
        get = {m.key: cells.get((info_address(m.key).row, info_address(m.key).col)) for m in METADATA}

        agency = shown(get["agency"]).strip()
        if ident.locked:
            if agency and agency != ident.agency:
                self.add(
                    make("R-IDENTITY", "workbook_agency", self.spec, note=f"基本信息中的机关全称“{agency}”与模板锁定的单位“{ident.agency}”不一致，按“{ident.agency}”读取"),
                    info_address("agency"),
                )
        else:
            report.agency = agency
        year_text = norm(shown(get["year"], date1904).translate(FULLWIDTH))
        if ident.year is None:
            self.read_year(report, year_text)
        elif year_text and year_text != str(ident.year):
            self.add(
                make(
                    "R-IDENTITY", "workbook_year", self.spec,
                    note=f"基本信息中的年度“{year_text}”与模板的年度（{ident.year}年）不一致，按{ident.year}年读取；如需报送其他年度，请使用该年度的模板",
                ),
                info_address("year"),
            )
        issuer = shown(get["issuer"]).strip()
        if issuer:
            report.meta["issuer"] = issuer
        self.read_date(report, get["issued_on"])
        self.read_fee(report, get["fee_yuan"])

    def read_declaration(self, report: Report, d: Declaration, cell: Cell | None, addr: Address) -> None:
        """A 零报告 declaration: 是 declares it; 否 or blank does not; anything else is R-VALUE, and not declared
        (a blank of the table then stays unfilled: nothing is read as 0 on a guess)."""
        raw = shown(cell, self.pkg.date1904)
        answer = raw.strip(" ")  # as the 校验 sheet's TRIM reads it, so that both agree on what is declared
        if cell is None or cell.blank or answer in ("", NO):
            return
        if answer == YES and cell.formula is None:
            report.declared = report.declared | {d.key}
            return
        problem = "是公式，不是选择的答案" if cell.formula is not None else f"应为“{YES}”或“{NO}”"
        finding = Finding(
            "R-VALUE", d.key, Severity.MANDATORY,
            f"{INFO_SHEET}“{d.statement}”：“{raw}”{problem}；请从下拉列表中选择（未作声明，{self.spec.table(d.table).name}的空白仍按未填写处理）",
            labels=d.statement, raw=raw,
        )
        self.add(finding, addr)

    def read_year(self, report: Report, text: str) -> None:
        """The year typed in 基本信息 of a template whose year is not locked."""
        addr = info_address("year")
        if not text:
            return
        if not re.fullmatch(r"\d{4}(\.0+)?", text):
            raise InputError(f"年度“{text}”无效，应为四位数字年份", file=self.source, sheet=addr.sheet, cell=addr.a1)
        report.year = int(text.split(".")[0])
        try:
            right = format_for_year(report.year)
        except ValueError:
            right = None
        if right is None or right.id != self.spec.id:
            should = f"应使用{right.document}格式的模板" if right else "不在本模板适用的年度内"
            self.add(
                make("R-IDENTITY", "format", self.spec, note=f"{report.year}年度的报告{should}，本模板为{self.spec.document}格式"),
                addr,
            )

    def _meta_value(self, key: str, raw: str, problem: str) -> None:
        label = next(m.label for m in METADATA if m.key == key)
        finding = Finding(
            "R-VALUE", key, Severity.MANDATORY, f"{INFO_SHEET} {label}：“{raw}”{problem}", labels=label, raw=raw,
        )
        self.add(finding, info_address(key))

    def read_date(self, report: Report, cell: Cell | None) -> None:
        if cell is None or cell.blank:
            return
        raw = shown(cell, self.pkg.date1904)
        day: dt.date | None = None
        if cell.formula is None and cell.type == "n" and cell.is_date:
            try:
                day = excel_date(cell.value or "", self.pkg.date1904).date()
            except (InvalidOperation, OverflowError, ValueError):
                day = None
        elif cell.formula is None and (cell.is_text or cell.type == "d"):
            m = _DATE_TEXT.match(norm(raw.translate(FULLWIDTH)).replace("T00:00:00", ""))
            if m:
                try:
                    day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    day = None
        if day is None:
            example = issued_on_example(report.year) if report.year else "2026-01-20"
            self._meta_value("issued_on", raw, f"不是有效的日期（应为 {example} 这样的日期）")
        else:
            report.meta["issued_on"] = day.isoformat()

    def read_fee(self, report: Report, cell: Cell | None) -> None:
        if cell is None or cell.blank:
            return
        raw = shown(cell, self.pkg.date1904)
        if cell.formula is not None or cell.type in ("b", "e") or cell.is_date:
            self._meta_value("fee_yuan", raw, "不是有效的金额（请填写数字，未收取填 0）")
            return
        parsed = parse_value(Kind.AMOUNT, cell.value if cell.is_text else excel_number(cell.value))
        seen = self.not_as_shown(cell, Kind.AMOUNT, parsed.value) if parsed.ok else None
        if seen is not None:
            what = "gkxl 无法确定其显示的内容" if seen == "（无法确定）" else f"显示为“{seen}”"
            self._meta_value("fee_yuan", format_number(parsed.value),
                             f"是单元格保存的数值，但单元格{what}（数字格式“{cell.numfmt}”改变了显示的内容），不予读取；请把单元格格式改为“常规”后核对重新填写")
        elif parsed.ok:
            report.meta["fee_yuan"] = format_number(parsed.value)
        elif not parsed.missing:
            self._meta_value("fee_yuan", raw, f"不是有效的金额（{parsed.problem}）")

    def read_narrative(self, report: Report) -> None:
        spec = self.spec
        last = max(narrative_address(spec, s.id).row for s in spec.sections)
        cells = self.pkg.cells(NARRATIVE_SHEET, max_row=last + 10, max_col=VALUE_COL + 3)
        if not self.labels_in_place(NARRATIVE_SHEET, cells, [(narrative_address(spec, s.id).row, section_title(s)) for s in spec.sections]):
            return
        for s in spec.sections:
            addr = narrative_address(spec, s.id)
            cell = cells.get((addr.row, addr.col))
            if cell is None or cell.blank:
                continue
            if cell.formula is not None:
                finding = Finding(
                    "R-VALUE", f"narrative.{s.id}", Severity.MANDATORY,
                    f"正文“{section_title(s)}”：单元格中是公式（{shown(cell)}），不是文字；请删除开头的“=”后重新填写",
                    raw=shown(cell),
                )
                self.add(finding, addr)
                continue
            text = _lines(shown(cell, self.pkg.date1904))
            if text.strip():
                report.narrative[s.id] = text

    def labels_in_place(self, sheet: str, cells: dict, expected: list[tuple[int, str]]) -> bool:
        """The column-A labels of a form sheet (基本信息, 正文) are where the template put them; if one is not,
        R-LAYOUT names it and the sheet is not read (a moved row would put a value under the wrong label)."""
        for row, want in expected:
            got = shown(cells.get((row, 0)))
            if norm(got) != norm(want):
                self.layout(
                    sheet,
                    f"{sheet} 第{row + 1}行（{a1(row, 0)}）：应为“{_short(want)}”，实为“{_short(got) or '（空）'}”；"
                    f"{sheet}未读取，请使用原模板重新填写",
                    sheet=sheet,
                    cell=a1(row, 0),
                )
                return False
        return True

    def read_explanations(self, report: Report) -> None:
        """Every 说明 line (key in A, text in B). A line with only one of the two, or a key given twice, is said
        (R-EXPLANATION): nothing the filer wrote is dropped in silence. Keys are matched tolerantly by the rules."""
        cells = self.pkg.cells(EXPLAIN_SHEET, max_row=EXPLAIN_FIRST_ROW + EXPLAIN_ROWS + 1000, max_col=VALUE_COL + 1)
        for row in sorted({r for r, _ in cells if r >= EXPLAIN_FIRST_ROW}):
            key = norm(shown(cells.get((row, 0))))
            text = _lines(shown(cells.get((row, VALUE_COL)))).strip()
            where = f"“{EXPLAIN_SHEET}”表第{row + 1}行"
            if key and text:
                if key in report.explanations:  # the later line is the filer's latest word: it is used
                    earlier = int(report.explanation_cells[key].lstrip("A")) - 1
                    self.explanation_hint(key, earlier, 0, f"“{EXPLAIN_SHEET}”表第{earlier + 1}行的编号“{key}”与第{row + 1}行相同，"
                                          f"第{earlier + 1}行的说明未使用，只使用了第{row + 1}行；请合并为一条")
                    del report.explanations[key]  # keep the order of the lines
                report.explanations[key] = text
                report.explanation_cells[key] = a1(row, 0)
            elif key:
                self.explanation_hint(key, row, 0, f"{where}填写了编号“{key}”，但 B 列没有说明文字；请写明原因（不少于6个字）或删除编号")
            elif text:
                self.explanation_hint(f"row{row + 1}", row, VALUE_COL, f"{where}写了说明“{_short(text)}”，但 A 列没有填写问题编号，这条说明未对应任何问题；"
                                      "请在 A 列填写检查结果中的编号（规则编号.范围）")

    def explanation_hint(self, scope: str, row: int, col: int, note: str) -> None:
        self.add(make("R-EXPLANATION", scope, self.spec, note=note), sheet=EXPLAIN_SHEET, cell=a1(row, col))


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_kind(value: Decimal, kind: Kind) -> int | Decimal:
    if kind is not Kind.AMOUNT and value == value.to_integral_value():
        return int(value)
    return value

"""The report model and its JSON form (data-contract.md, schema "gkxl.report/1"). No I/O here."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import InputError
from .errors import quote as quote_text
from .findings import Finding, Severity
from .formats import FIRST_YEAR, METADATA, Format, Kind, format_for_year, get_format
from .values import KIND_NAMES, format_number, parse_value

SCHEMA = "gkxl.report/1"
META_KEYS = tuple(m.key for m in METADATA if m.key not in ("agency", "year"))


@dataclass
class Report:
    """One annual report: identity, values by cell id, narrative by section id, 说明 by finding key."""

    format: str
    year: int
    agency: str = ""
    values: dict[str, int | Decimal] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)
    explanations: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)  # issuer, issued_on, fee_yuan (strings, as the contract says)
    # The 零报告 declarations made (data-contract.md: no_applications, no_appeals): each reads its table's blanks as 0.
    declared: frozenset[str] = frozenset()
    # Where each 说明 key was typed (key → A1 of the 说明 sheet), for messages; not part of the report's data.
    explanation_cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def spec(self) -> Format:
        return get_format(self.format)

    @property
    def issuer(self) -> str:
        return self.meta.get("issuer") or self.agency

    def with_totals(self) -> dict[str, int | Decimal]:
        """The values with every total that was left out computed from its terms (where all terms are known).

        Totals that were given are kept as given: the checks compare them with their terms. An input left out of a
        table a 零报告 declaration covers reads as 0 (declared_zeros); nowhere else is a blank taken for 0.
        """
        out = dict(self.values)
        out.update(self.declared_zeros())
        spec = self.spec
        # Totals of totals (（七）总计 / 总计) need their terms first: repeat until nothing changes.
        pending = [t for t in spec.totals if t not in out]
        while pending:
            progress = False
            for tid in list(pending):
                terms = spec.fields[tid].terms
                if all(t in out for t in terms):
                    out[tid] = sum((out[t] for t in terms), 0)
                    pending.remove(tid)
                    progress = True
            if not progress:
                break
        return out


    def declared_zeros(self) -> dict[str, int]:
        """The inputs read as 0 because a declaration covers their table and they were left out (blank)."""
        spec = self.spec
        return {
            cid: 0
            for d in spec.declarations if d.key in self.declared
            for cid in spec.declared_inputs[d.key] if cid not in self.values
        }


def _fail(source: str, message: str) -> InputError:
    return InputError(message, file=source)


def report_from_dict(data: object, *, source: str = "") -> tuple[Report, list[Finding]]:
    """Build a Report from a parsed contract document.

    Structural problems (not an object, unknown schema, format or id) raise InputError. A value of the wrong
    type is not guessed: it is left out of the report and returned as an R-VALUE finding quoting it.
    """
    if not isinstance(data, dict):
        raise _fail(source, "不是 gkxl 报告数据（JSON 顶层应为对象）")
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise _fail(source, f"不支持的数据版本“{schema}”，应为“{SCHEMA}”")
    year = data.get("year")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 < year < 3000:
        raise _fail(source, f"年度“{year}”无效，应为四位数字年份")
    fmt_id = data.get("format")
    if fmt_id is None and year < FIRST_YEAR:
        raise _fail(source, f"年度 {year} 早于{FIRST_YEAR}年：年度报告格式自{FIRST_YEAR}年度起施行，gkxl 只支持{FIRST_YEAR}年度及以后的报告")
    try:
        spec = get_format(str(fmt_id)) if fmt_id is not None else format_for_year(year)
    except (KeyError, ValueError):
        raise _fail(source, f"不支持的格式“{fmt_id}”，应为“2021”或“2019”") from None
    agency = data.get("agency") or ""
    if not isinstance(agency, str):
        raise _fail(source, "agency（机关全称）应为文字")

    findings: list[Finding] = []
    values: dict[str, int | Decimal] = {}
    raw_values = data.get("values") or {}
    if not isinstance(raw_values, dict):
        raise _fail(source, "values 应为对象（单元格编号 → 数值）")
    unknown = [k for k in raw_values if k not in spec.fields]
    if unknown:
        raise _fail(source, f"{spec.id}格式中没有这些单元格编号：{'、'.join(map(str, unknown[:5]))}" + ("等" if len(unknown) > 5 else ""))
    for cid, raw in raw_values.items():
        fld = spec.fields[cid]
        if isinstance(raw, float):  # only when the caller parsed JSON without parse_float=Decimal
            raw = Decimal(repr(raw))
        if isinstance(raw, str) and fld.kind is not Kind.AMOUNT:
            parsed = parse_value(fld.kind, None) if raw.strip() == "" else None
            problem = "应为 JSON 数字，不是文字"
        else:
            parsed = parse_value(fld.kind, raw)
            problem = parsed.problem
        if parsed is not None and parsed.ok:
            values[cid] = parsed.value
        elif parsed is not None and parsed.missing:
            continue
        else:
            findings.append(value_finding(spec, cid, _raw_text(raw), problem))

    narrative = data.get("narrative") or {}
    if not isinstance(narrative, dict) or not all(isinstance(v, str) for v in narrative.values()):
        raise _fail(source, "narrative 应为对象（章节编号 → 文字）")
    bad = [k for k in narrative if k not in spec.section_ids]
    if bad:
        raise _fail(source, f"没有这些正文章节编号：{'、'.join(bad)}")
    explanations = data.get("explanations") or {}
    if not isinstance(explanations, dict) or not all(isinstance(v, str) for v in explanations.values()):
        raise _fail(source, "explanations 应为对象（发现键 → 说明文字）")

    meta: dict[str, str] = {}
    for key in META_KEYS:
        if data.get(key) is None:
            continue
        value = data[key]
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and key == "fee_yuan":
            value = format_number(value)
        if not isinstance(value, str):
            raise _fail(source, f"{key} 应为文字")
        meta[key] = value
    check_meta(meta, source, year=year)
    declared = set()
    for d in spec.declarations:
        flag = data.get(d.key)
        if flag is None or flag is False:
            continue
        if flag is not True:
            raise _fail(source, f"{d.key}（声明“{d.statement}”）应为 true 或 false，不是“{_raw_text(flag)}”")
        declared.add(d.key)
    report = Report(spec.id, year, agency, values, dict(narrative), dict(explanations), meta, frozenset(declared))
    return report, findings


def issued_on_example(year: int) -> str:
    """The 落款日期 suggested for a report on `year`: 20 January of the next year (units report by 1月31日)."""
    return dt.date(year + 1, 1, 20).isoformat()


def check_meta(meta: dict[str, str], source: str = "", *, year: int | None = None) -> None:
    """Refuse metadata that is not of its declared kind (a date that is no date, a fee that is no amount)."""
    if meta.get("issued_on"):
        try:
            dt.date.fromisoformat(meta["issued_on"])
        except ValueError:
            example = issued_on_example(year) if year else "2026-01-20"
            raise _fail(source, f"落款日期“{meta['issued_on']}”无效，应为 {example} 这样的日期（年-月-日）") from None
    if meta.get("fee_yuan"):
        parsed = parse_value(Kind.AMOUNT, meta["fee_yuan"])
        if not parsed.ok:
            raise _fail(source, f"信息处理费（元）“{meta['fee_yuan']}”无效：{parsed.problem or '未填写'}")


def _raw_text(raw: object) -> str:
    if isinstance(raw, Decimal):
        return format_number(raw)
    if isinstance(raw, str):
        return raw
    return json.dumps(raw, ensure_ascii=False)


def value_finding(spec: Format, cid: str, raw: str, problem: str) -> Finding:
    """R-VALUE for one cell: the raw text, and why it is not a value of the cell's kind."""
    fld = spec.fields[cid]
    labels = fld.describe()
    return Finding(
        rule="R-VALUE",
        scope=cid,
        severity=Severity.MANDATORY,
        message=f"{spec.table_of[cid].name} {labels}：“{raw}”不是有效的{KIND_NAMES[fld.kind]}（{problem}）",
        cells=(cid,),
        labels=labels,
        raw=raw,
    )


MAX_JSON_DEPTH = 64  # a report document is 3 levels deep; anything far deeper is not one


def loads_json(text: str, *, source: str = "", what: str = "JSON 文件") -> object:  # what: "JSON 文件", "正文 JSON"
    """Parse JSON text as every JSON input is parsed: Decimal fractions, no float; depth capped before parsing
    (100,000 nested brackets never reach the parser's recursion); a lone surrogate (\\ud800) refused.
    InputError naming the source otherwise."""
    depth = _max_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise _fail(source, f"{what}嵌套超过{MAX_JSON_DEPTH}层，不是 gkxl 报告数据")
    try:
        data = json.loads(text, parse_float=Decimal, object_pairs_hook=_unique_keys)
    except _JSONRefused as exc:
        raise _fail(source, f"{what}{exc}") from None
    except json.JSONDecodeError as exc:
        raise _fail(source, f"不是有效的 {what}（第{exc.lineno}行第{exc.colno}列：{_json_why(exc.msg)}）".replace("  ", " ")) from None
    except RecursionError:
        raise _fail(source, f"{what}嵌套过深，不是 gkxl 报告数据") from None
    except ValueError:  # an integer of thousands of digits: beyond the int conversion limit of Python
        raise _fail(source, "不是有效的 gkxl 报告数据：其中有位数过多的数字（数千位），不可能是报告中的数值") from None
    bad = _lone_surrogate(data)
    if bad:
        raise _fail(source, f"{what}中{bad}含有无效的字符（孤立的代理项，\\u 转义写错了），无法使用")
    return data


class _JSONRefused(ValueError):
    """JSON that parses but must not be used: one key given twice (NaN/Infinity stay values: R-VALUE names the cell)."""


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """An object whose key is given twice is refused: which of the two values was meant cannot be known."""
    out: dict = {}
    for k, v in pairs:
        if k in out:
            raise _JSONRefused(f"中键“{quote_text(k)}”出现了两次，无法确定使用哪一个值")
        out[k] = v
    return out


_JSON_WHY = (
    ("Expecting value", "此处缺少值"),
    ("Expecting property name", "此处应为用双引号括起的键名"),
    ("Expecting ',' delimiter", "此处缺少逗号"),
    ("Expecting ':' delimiter", "此处缺少冒号"),
    ("Unterminated string", "字符串没有结束的引号"),
    ("Invalid control character", "字符串中有控制字符"),
    ("Invalid \\escape", "反斜杠转义写错了"),
    ("Invalid \\uXXXX escape", "\\u 转义写错了"),
    ("Extra data", "数据结束后还有多余内容"),
)


def _json_why(msg: str) -> str:
    return next((zh for en, zh in _JSON_WHY if msg.startswith(en)), "格式错误")


def _max_depth(text: str) -> int:
    """The deepest bracket nesting of JSON text, strings skipped (a linear scan, no recursion)."""
    import re

    depth = deepest = 0
    for m in re.finditer(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', text):
        tok = m.group()
        if tok in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return deepest
        elif tok in "]}":
            depth -= 1
    return deepest


def _lone_surrogate(data: object, where: str = "") -> str:
    """Where (a key path) a string of parsed JSON holds a lone surrogate, or ""."""
    stack = [(data, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= ch <= "\udfff" for ch in item):
                return f"“{path}”" if path else "某处文字"
        elif isinstance(item, dict):
            for k, v in item.items():
                if isinstance(k, str) and any("\ud800" <= ch <= "\udfff" for ch in k):
                    return f"键“{path}”" if path else "某个键"
                stack.append((v, f"{path}.{k}" if path else str(k)))
        elif isinstance(item, list):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(item))
    return ""


def report_from_json(text: str, *, source: str = "") -> tuple[Report, list[Finding]]:
    """Parse contract JSON text; numbers with a fraction are read as Decimal, never as float."""
    return report_from_dict(loads_json(text, source=source), source=source)


def report_to_dict(report: Report, *, totals: bool = True) -> dict:
    """The contract document; values in the format's cell order, money as a string so no float can touch it."""
    spec = report.spec
    values = report.with_totals() if totals else report.values
    out: dict = {"schema": SCHEMA, "format": report.format, "agency": report.agency, "year": report.year}
    for key in META_KEYS:
        if report.meta.get(key):
            out[key] = report.meta[key]
    for d in spec.declarations:
        if d.key in report.declared:
            out[d.key] = True
    zeros = report.declared_zeros()  # a declared blank stays left out: the declaration says it reads as 0
    out["values"] = {
        cid: (format_number(values[cid]) if spec.fields[cid].kind is Kind.AMOUNT else values[cid])
        for cid in spec.fields
        if cid in values and cid not in zeros
    }
    out["narrative"] = {sid: report.narrative[sid] for sid in spec.section_ids if report.narrative.get(sid)}
    out["explanations"] = dict(report.explanations)
    return out


def report_to_json(report: Report, *, totals: bool = True) -> str:
    return json.dumps(report_to_dict(report, totals=totals), ensure_ascii=False, indent=2) + "\n"

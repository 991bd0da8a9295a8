"""The engine: one small function per rule kind, all run on a report; a rule that breaks becomes R-INTERNAL."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from ..findings import Finding, Severity
from ..formats import NO, Format
from ..model import Report
from ..values import format_number
from .catalogue import RULES
from .context import Context, make
from .explanations import match_key, settle_explanations
from .identity import issued_on, report_format
from .length import length_findings, unplaced_sections
from .placeholder import placeholder_findings
from .promise import promise_findings
from .pack import Pack
from .requirements import requirement_findings
from .repeat import repeat_findings
from .swap import applicant_swap_findings, swapped_scopes
from .text_numbers import text_number_findings
from .trend import trend_findings


def _words(spec: Format, rule: str, cells: tuple[str, ...]) -> str:
    """How one side of an equation is named: by its rows ("“二、上年结转…”与“…”") where the rule runs down a
    column, by its columns ("结果维持、结果纠正…") where it runs along a row or group."""
    if RULES[rule].scope == "column":
        return "与".join(f"“{spec.fields[c].row_text}”" for c in cells)
    return "、".join(spec.fields[c].col_labels[-1] for c in cells)


def _where(spec: Format, rule: str, fix: str) -> str:
    fld = spec.fields[fix]
    kind = RULES[rule].scope
    if kind == "column":
        return fld.col_labels[-1]
    return fld.row_text


# Rules ---------------------------------------------------------------------------------------------------


def equation_rule(rule: str, skip: Callable[[Context], frozenset[str]] | None = None) -> Callable[[Context], Iterator[Finding]]:
    """R-BALANCE, R-RESULTS-SUM, R-ROW-TOTAL, R-SEC4-TOTAL: the format's equations of this rule id.

    An equation with a cell that is missing or unreadable is not evaluated: that cell has its own finding,
    and a blank is never taken for zero. skip: scopes another finding already explains (R-APPLICANT-SWAP).
    """

    def run(ctx: Context) -> Iterator[Finding]:
        skipped = skip(ctx) if skip else frozenset()
        for eq in ctx.spec.equations:
            if eq.rule != rule or eq.scope in skipped or not all(c in ctx.values for c in eq.cells):
                continue
            actual = sum((ctx.values[c] for c in eq.lhs), 0)
            expected = sum((ctx.values[c] for c in eq.rhs), 0)
            if actual != expected:
                cells = (eq.fix,) + tuple(c for c in eq.cells if c != eq.fix)
                yield make(
                    rule, eq.scope, ctx.spec, cells=cells, expected=expected, actual=actual,
                    where=_where(ctx.spec, rule, eq.fix), lhs=_words(ctx.spec, rule, eq.lhs), rhs=_words(ctx.spec, rule, eq.rhs),
                )

    run.__name__ = rule.lower().removeprefix("r-").replace("-", "_")
    run.__doc__ = f"{rule}: {RULES[rule].title}."
    return run


def missing(ctx: Context) -> Iterator[Finding]:
    """R-MISSING: an input cell left blank (0 must be written as 0), unless a 零报告 declaration reads it as 0."""
    for cid in ctx.spec.inputs:
        if cid not in ctx.values and cid not in ctx.unreadable:
            yield make("R-MISSING", cid, ctx.spec, cells=(cid,))


DECLARATION_SHOWN = 5  # cells named in an R-DECLARATION message (all are in its cells)


def declarations(ctx: Context) -> Iterator[Finding]:
    """R-DECLARATION: a 零报告 declaration (no_applications, no_appeals) while its table holds a count other than 0."""
    spec = ctx.spec
    for d in spec.declarations:
        if d.key not in ctx.report.declared:
            continue
        # Every value of the table that is not 0: the inputs, and a total where one is given (JSON), in the table's order.
        cells = tuple(f.id for f in spec.table(d.table).fields if ctx.report.values.get(f.id, 0) != 0)
        if not cells:
            continue
        name = spec.table(d.table).name
        listed = "；".join(f"{spec.fields[c].describe()}（{format_number(ctx.report.values[c])}）" for c in cells[:DECLARATION_SHOWN])
        more = f"等{len(cells)}个" if len(cells) > DECLARATION_SHOWN else ""
        note = (f"已声明“{d.statement}”（零报告，{name}空白按 0 计），但{name}中有{len(cells)}个单元格不为 0：{listed}{more}。"
                f"声明与{name}矛盾：确有发生的，请把声明改为“{NO}”并如实填写{name}；确无发生的，请删除这些数字")
        yield make("R-DECLARATION", d.key, spec, cells=cells, note=note)


def xyear_carried(ctx: Context) -> Iterator[Finding]:
    """R-XYEAR-CARRIED: this year's 二、上年结转 equals last year's 四、结转下年度继续办理, per column.

    This holds across the change of format (2020 data, 2021 report): both formats have these rows.
    """
    if ctx.previous is None:
        return
    prev_spec = ctx.previous.spec
    for this_id, prev_id in ctx.spec.carried:
        if this_id in ctx.values and prev_id in ctx.previous_values:
            actual, expected = ctx.values[this_id], ctx.previous_values[prev_id]
            if actual != expected:
                yield make(
                    "R-XYEAR-CARRIED", this_id.rsplit(".", 1)[1], ctx.spec, cells=(this_id,),
                    expected=expected, actual=actual, where=_where(ctx.spec, "R-XYEAR-CARRIED", this_id),
                    lhs=_words(ctx.spec, "R-XYEAR-CARRIED", (this_id,)),
                    rhs=_words(prev_spec, "R-XYEAR-CARRIED", (prev_id,)),
                )


def xyear_in_force(ctx: Context) -> Iterator[Finding]:
    """R-XYEAR-INFORCE: 现行有效 = last year's 现行有效 + 本年制发 − 本年废止 (a hint, not an official rule)."""
    if ctx.previous is None or not ctx.spec.in_force:
        return
    prev_spec = ctx.previous.spec
    for scope, in_force, issued, repealed in ctx.spec.in_force:
        fld = ctx.spec.fields[in_force]
        where, label = fld.row_labels[-1], fld.col_labels[-1]
        if in_force not in prev_spec.fields:
            # 2019 trial format → 2021: the trial format has no such count, so there is nothing to compare.
            yield Finding(
                "R-XYEAR-INFORCE", scope, Severity.HINT,
                f"{ctx.spec.table_of[in_force].name}“{where}”：上年报告采用{prev_spec.document}试行格式，没有{label}，未与上年比较",
                (in_force,), fld.describe(),
            )
            continue
        cells = (in_force, issued, repealed)
        if all(c in ctx.values for c in cells) and in_force in ctx.previous_values:
            expected = ctx.previous_values[in_force] + ctx.values[issued] - ctx.values[repealed]
            if ctx.values[in_force] != expected:
                change = f"{ctx.spec.fields[issued].col_labels[-1]}减{ctx.spec.fields[repealed].col_labels[-1]}"
                yield make(
                    "R-XYEAR-INFORCE", scope, ctx.spec, cells=cells, expected=expected, actual=ctx.values[in_force],
                    where=where, lhs=label, rhs=change,
                )


def previous_year(ctx: Context) -> Iterator[Finding]:
    """R-IDENTITY.previous: data given as last year's that is of another year. The cross-year rules do not run;
    this is said as a hint, since the mistake is the caller's, not the unit's (the CLI refuses it up front)."""
    if ctx.previous is not None and ctx.previous.year != ctx.report.year - 1:
        yield make(
            "R-IDENTITY", "previous", ctx.spec, severity=Severity.HINT,
            note=f"作为上年数据提供的是{ctx.previous.year}年的报告，应为{ctx.report.year - 1}年的报告；跨年度检查未进行",
        )


def text_numbers(ctx: Context) -> Iterator[Finding]:
    """R-TEXT-NUMBER: a number quoted in the narrative that contradicts the tables."""
    yield from text_number_findings(ctx)


# The engine ----------------------------------------------------------------------------------------------

RULE_FUNCTIONS: dict[str, Callable[[Context], Iterable[Finding]]] = {
    "R-BALANCE": equation_rule("R-BALANCE", skip=swapped_scopes),  # the two columns of a swap: one R-APPLICANT-SWAP
    "R-RESULTS-SUM": equation_rule("R-RESULTS-SUM"),
    "R-ROW-TOTAL": equation_rule("R-ROW-TOTAL"),
    "R-SEC4-TOTAL": equation_rule("R-SEC4-TOTAL"),
    "R-MISSING": missing,
    "R-DECLARATION": declarations,
    "R-XYEAR-CARRIED": xyear_carried,
    "R-XYEAR-INFORCE": xyear_in_force,
    "R-TEXT-NUMBER": text_numbers,
    "R-IDENTITY": previous_year,  # and report_format (R-IDENTITY.format), both run before the loop below
    "R-DATE": issued_on,
    "R-APPLICANT-SWAP": applicant_swap_findings,
    "R-TEXT-REPEAT": repeat_findings,
    "R-TREND": trend_findings,
    "R-LENGTH": length_findings,
    "R-PLACEHOLDER": placeholder_findings,
    "R-PROMISE": promise_findings,
    "R-REQUIREMENT": requirement_findings,
}
# Found while reading, not by a rule function: R-VALUE, R-CACHED-TOTAL, R-LAYOUT. By the engine itself: R-INTERNAL,
# and R-EXPLANATION once every other rule has run (a 说明 matching none of their findings; explanations.py).
# R-STRUCTURE while importing a published report (gkxl/rules/structure.py, called by gkxl/importers import_file:
# only the published document's lines show its headings and fixed wording).
READ_RULES = ("R-VALUE", "R-CACHED-TOTAL", "R-LAYOUT", "R-INTERNAL", "R-EXPLANATION", "R-STRUCTURE")


def run_rules(
    report: Report,
    *,
    previous: Report | None = None,
    found: Iterable[Finding] = (),
    published: bool = False,
    requirements: Pack | None = None,
) -> list[Finding]:
    """Every rule on one report. `found`: findings made while reading it (R-VALUE, R-CACHED-TOTAL …); `published`:
    the report was imported from a published document; `requirements`: a requirement pack (R-REQUIREMENT).

    Returns all findings, each with the filer's 说明 attached where the report's explanations name its key.
    """
    found = list(found)
    spec = report.spec
    # Cells that could not be read (R-VALUE) or were not read (R-LAYOUT: the sheet's layout changed) are not missing.
    unreadable = frozenset(f.scope for f in found if f.rule == "R-VALUE") | frozenset(c for f in found if f.rule == "R-LAYOUT" for c in f.cells)
    ctx = Context(
        report=report,
        spec=spec,
        values=report.with_totals(),
        previous=previous,
        previous_values=previous.with_totals() if previous is not None else {},
        unreadable=unreadable,
        published=published,
        requirements=requirements,
        unplaced=unplaced_sections(spec, found) if published else frozenset(),
    )
    if previous is not None and previous.year != report.year - 1:
        ctx = replace(ctx, previous=None, previous_values={})
        found.extend(previous_year(replace(ctx, previous=previous)))
    if not any(f.key == "R-IDENTITY.format" for f in found):  # a workbook reader may have said it, at its cell
        found.extend(report_format(ctx))
    findings = list(found)
    for rule_id, fn in RULE_FUNCTIONS.items():
        if rule_id == "R-IDENTITY":
            continue
        try:
            findings.extend(fn(ctx))
        except Exception as exc:  # a defect of gkxl must not hide the other rules' findings
            findings.append(make("R-INTERNAL", rule_id, spec, where=rule_id, note=f"{type(exc).__name__}: {exc}"))
    return settle_explanations(findings, report, previous_given=ctx.previous is not None, requirements_given=requirements is not None)


def attach_explanation(finding: Finding, explanations: dict[str, str]) -> Finding:
    """The finding with the 说明 whose key matches its key (tolerantly: width, stops, spaces, case)."""
    wanted = match_key(finding.key)
    text = next((t for k, t in explanations.items() if match_key(k) == wanted), None)
    return replace(finding, explanation=text) if text else finding

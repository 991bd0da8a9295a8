"""The rule catalogue: every rule id of the contract with its severity, scope kind, title and message template."""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Severity


@dataclass(frozen=True)
class RuleSpec:
    id: str
    severity: Severity
    scope: str  # what the scope names: "column", "row", "group", "cell", "in_force", "section", "rule", "identity", "sheet"
    title: str
    template: str  # placeholders: {where} {labels} {expected} {actual} {difference} {raw} {note}
    source: str = ""


_M, _V, _H = Severity.MANDATORY, Severity.VERIFY, Severity.HINT

# Templates name no official label themselves: {table}, {where}, {lhs} and {rhs} are filled from the spec
# (table names, the labels of the cells on each side of the equation), so the wording follows the format.
RULES: dict[str, RuleSpec] = {
    r.id: r
    for r in (
        RuleSpec(
            "R-BALANCE", _M, "column", "表三勾稽关系",
            "{table}“{where}”列：{lhs}之和为 {actual}，{rhs}之和为 {expected}，两者应相等（相差 {difference}）",
            "表三表头的勾稽关系说明",
        ),
        RuleSpec(
            "R-RESULTS-SUM", _M, "column", "办理结果合计",
            "{table}“{where}”列：{lhs}为 {actual}，其上各项办理结果之和为 {expected}（相差 {difference}）",
        ),
        RuleSpec("R-ROW-TOTAL", _M, "row", "申请人合计", "{table}“{where}”行：{lhs}为 {actual}，{rhs}之和为 {expected}（相差 {difference}）"),
        RuleSpec("R-SEC4-TOTAL", _M, "group", "复议诉讼合计", "{table}“{where}”：{lhs}为 {actual}，{rhs}之和为 {expected}（相差 {difference}）"),
        RuleSpec("R-VALUE", _M, "cell", "数值无效", "{labels}：“{raw}”不是有效数值（{note}）"),
        RuleSpec("R-MISSING", _V, "cell", "未填写", "{labels}：未填写（没有发生请填 0，空白不等于 0）"),
        RuleSpec(
            "R-XYEAR-CARRIED", _V, "column", "上年结转与上年报告一致",
            "{table}“{where}”列：本年{lhs}为 {actual}，上年报告的{rhs}为 {expected}（相差 {difference}）",
        ),
        RuleSpec(
            "R-XYEAR-INFORCE", _H, "in_force", "现行有效件数连续",
            "{table}“{where}”：{lhs}为 {actual}，按上年{lhs}加{rhs}应为 {expected}（相差 {difference}）。"
            "文件也可能因有效期届满等原因失效，仅供参考",
        ),
        RuleSpec("R-TEXT-NUMBER", _V, "section", "正文数字与表格一致", "正文“{where}”：{note}"),
        RuleSpec(
            "R-CACHED-TOTAL", _M, "cell", "合计单元格被改写",
            "{labels}：工作簿中保存的合计为 {actual}，按输入单元格重新计算应为 {expected}（合计公式可能被改写）",
        ),
        RuleSpec("R-INTERNAL", _M, "rule", "检查程序错误", "检查规则 {where} 运行出错（gkxl 程序缺陷，请反馈）：{note}；其他规则已照常检查"),
        RuleSpec("R-IDENTITY", _M, "identity", "单位和年度", "{note}"),
        RuleSpec("R-LAYOUT", _M, "sheet", "模板结构", "{note}"),
        # Added in the second round (data-contract.md): the 落款日期, the evaluators' checks, unmatched 说明.
        RuleSpec("R-DATE", _M, "metadata", "落款日期", "{note}"),
        RuleSpec("R-APPLICANT-SWAP", _M, "columns", "申请人类型计错", "{note}"),
        RuleSpec("R-TEXT-REPEAT", _V, "section", "正文与上年重复", "正文“{where}”：{note}"),
        RuleSpec("R-TREND", _H, "cell", "与上年相比变化异常", "{labels}：{note}"),
        RuleSpec("R-STRUCTURE", _V, "structure", "报告结构和固定用语", "{note}"),
        RuleSpec("R-EXPLANATION", _H, "explanation", "说明未对应任何问题", "{note}"),
        # 零报告 (issue 17): a declaration of 基本信息 contradicted by its table.
        RuleSpec("R-DECLARATION", _M, "declaration", "零报告声明与表格一致", "{note}"),
        # The narrative as evaluators and notices judge it (issue 20): gkxl/rules/length.py, placeholder.py, promise.py,
        # requirements.py.
        RuleSpec("R-LENGTH", _H, "overview", "总体情况篇幅", "一、总体情况{note}", "国办公开办函〔2021〕30号：篇幅原则上不超过一千字"),
        RuleSpec("R-PLACEHOLDER", _M, "section", "正文中的占位文字", "正文“{where}”：{note}"),
        RuleSpec("R-PROMISE", _H, "section", "上年改进措施的落实", "{note}", "国办公开办函〔2021〕30号：改进举措要有实效性，不得年年雷同"),
        RuleSpec("R-REQUIREMENT", _V, "requirement", "要求清单", "{note}", "--requirements 给出的要求清单"),
    )
}

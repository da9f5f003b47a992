"""The annual plan as .xlsx and as a PDF in Chinese (WeasyPrint over an HTML template, with the
Noto CJK fonts of the machine). The .xlsx goes through govbuy.core.spreadsheets, which
neutralises text that a spreadsheet would run as a formula."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from govbuy.core.pdf import render_pdf
from govbuy.core.spreadsheets import write_xlsx
from govbuy.planning.models import AnnualPlan, Method, PlanEntry

COLUMNS_ZH = [
    "序号",
    "项目编号",
    "项目名称",
    "目录事项代码",
    "目录事项",
    "预算金额（元）",
    "建议采购方式",
    "政府采购范围内",
    "服务期起",
    "服务期止",
    "转制项目",
    "服务对象",
]


def plan_rows(plan: AnnualPlan, entries: list[PlanEntry]) -> list[list[Any]]:
    rows: list[list[Any]] = [COLUMNS_ZH]
    methods = dict(Method.choices)
    with translation.override("zh-hans"):
        for e in entries:
            rows.append(
                [
                    e.position,
                    e.reference,
                    e.title,
                    e.item_code,
                    e.item_name,
                    e.estimate,
                    str(methods.get(e.method, e.method)),
                    "是" if e.in_procurement_scope else "否",
                    e.period_start,
                    e.period_end,
                    "是" if e.is_conversion else "否",
                    e.beneficiaries,
                ]
            )
    return rows


def plan_xlsx(plan: AnnualPlan, entries: list[PlanEntry]) -> bytes:
    heading = f"{plan.purchaser.name_zh} {plan.fiscal_year}年度政府购买服务计划（第{plan.number}版）"
    rows = [[heading], *plan_rows(plan, entries), ["合计", "", "", "", "", plan.total]]
    return write_xlsx(rows, title=f"{plan.fiscal_year}年度计划 v{plan.number}")


def plan_pdf(plan: AnnualPlan, entries: list[PlanEntry]) -> bytes:
    with translation.override("zh-hans"):
        html = render_to_string(
            "planning/plan_pdf.html", {"plan": plan, "entries": entries, "methods": dict(Method.choices)}
        )
    # No base_url: the template has no external resources, so nothing is fetched while rendering.
    return render_pdf(html)

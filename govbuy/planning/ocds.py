"""The planning stage of a project in OCDS 1.1 terms, for the disclosure app's release builder.

`planning_release_parts(project)` is pure apart from reading the project's own rows: it returns
the parts of a release that planning knows (buyer, parties, planning.budget, tender as planned,
items classified by the guidance catalog, and our extension's `tender.costLines` (以事定費) and
`planning.conversionTransfers` (費隨事轉)). Disclosure adds ocid, id, date, tag and
initiationType. Classification follows docs/ocds-catalog-scheme.md."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

from govbuy.core.money import CENT
from govbuy.organizations.ocds import party, party_id
from govbuy.planning.models import Method, Project, ProjectStatus, Transfer

GP_ITEM_SCHEME = "x_govbuy_gp_item"

# OCDS procurementMethod is a closed codelist; details keep our statutory method's name.
METHOD_CODES: dict[str, str] = {
    Method.PUBLIC_TENDER: "open",
    Method.INVITATION_TENDER: "selective",
    Method.COMPETITIVE_NEGOTIATION: "limited",
    Method.COMPETITIVE_CONSULTATION: "selective",
    Method.SINGLE_SOURCE: "direct",
    Method.REQUEST_FOR_QUOTATION: "selective",
    Method.CONTRACT: "direct",
    Method.COMMISSION: "direct",
}
METHOD_DETAILS_ZH: dict[str, str] = {
    Method.PUBLIC_TENDER: "公开招标",
    Method.INVITATION_TENDER: "邀请招标",
    Method.COMPETITIVE_NEGOTIATION: "竞争性谈判",
    Method.COMPETITIVE_CONSULTATION: "竞争性磋商",
    Method.SINGLE_SOURCE: "单一来源采购",
    Method.REQUEST_FOR_QUOTATION: "询价",
    Method.CONTRACT: "合同方式购买（政府采购范围外）",
    Method.COMMISSION: "委托方式购买（政府采购范围外）",
}


def local_id(project: Project) -> str:
    """The contracting process of the purchase project: its planning releases and its first
    published tender share one ocid, built on this id; a later attempt is a process of its own
    (disclosure.builders.procurement.contracting_process)."""
    return project.reference


def _value(amount: Decimal) -> dict[str, Any]:
    return {"amount": Decimal(amount).quantize(CENT), "currency": "CNY"}


def _public_url(path: str) -> str:
    return str(settings.GOVBUY_PUBLIC_URL).rstrip("/") + path


def _item(project: Project) -> dict[str, Any]:
    item = project.catalog_item
    if item is None:
        return {
            "id": "1",
            "description": project.outside_catalog_name,
            "quantity": 1,
            "unit": {"name": "项", "value": _value(project.estimate)},
        }
    version = item.version
    region_code = version.region.code
    classification = {
        "scheme": settings.OCDS_CATALOG_SCHEME,
        "id": f"{region_code}:{version.number}:{item.code}",
        "description": item.name_zh,
        "uri": _public_url(f"/catalog/{region_code}/{version.number}/items/{item.code}/"),
    }
    top = item
    while top.parent_id is not None and top.parent is not None:
        top = top.parent
    out: dict[str, Any] = {
        "id": "1",
        "description": item.name_zh,
        "classification": classification,
        "catalogItem": {
            "id": item.code,
            "name": item.name_zh,
            "catalogVersion": str(version.number),
            "region": region_code,
            "category": top.code,
        },
        "quantity": 1,
        "unit": {"name": "项", "value": _value(project.estimate)},
    }
    if item.procurement_code:
        out["additionalClassifications"] = [
            {
                "scheme": GP_ITEM_SCHEME,
                "id": item.procurement_code,
                "description": f"政府采购品目 {item.procurement_code}",
            }
        ]
    return out


def _tender_status(project: Project) -> str:
    return "withdrawn" if project.status in (ProjectStatus.CANCELLED, ProjectStatus.WITHDRAWN) else "planned"


def planning_release_parts(project: Project) -> dict[str, Any]:
    buyer = project.purchaser
    line = project.budget_line
    cost_lines = [
        {
            "id": str(c.position),
            "description": c.description,
            "costCategory": c.category,
            "quantity": c.quantity,
            "unit": {"name": c.unit, "value": _value(c.unit_cost)},
            "value": _value(c.amount),
        }
        for c in project.cost_lines.all()
    ]
    planning: dict[str, Any] = {
        "rationale": project.service_description,
        "budget": {
            "id": f"{project.fiscal_year}-{line.code}",
            "description": f"{buyer.name_zh} {project.fiscal_year}年部门预算 {line.code} {line.name}",
            "amount": _value(project.estimate),
            "project": project.title,
            "projectID": project.reference,
        },
    }
    transfer = Transfer.objects.filter(project=project, reversed_at__isnull=True).select_related("source_line").first()
    if transfer is not None:
        planning["conversionTransfers"] = [
            {
                "id": str(transfer.pk),
                "fromInstitution": {"id": party_id(buyer), "name": buyer.name_zh},
                "fiscalYear": project.fiscal_year,
                "value": _value(transfer.amount),
                "description": (
                    f"费随事转：{transfer.former_service}；由支出科目 {transfer.source_line.code} "
                    f"{transfer.source_line.name} 调入 {line.code} {line.name}"
                ),
            }
        ]
    tender: dict[str, Any] = {
        "id": project.reference,
        "title": project.title,
        "description": project.service_description,
        "status": _tender_status(project),
        "mainProcurementCategory": "services",
        "procurementMethod": METHOD_CODES[project.suggested_method],
        "procurementMethodDetails": METHOD_DETAILS_ZH[project.suggested_method],
        "value": _value(project.estimate),
        "items": [_item(project)],
        "contractPeriod": {
            "startDate": f"{project.period_start.isoformat()}T00:00:00+08:00",
            "endDate": f"{project.period_end.isoformat()}T23:59:59+08:00",
        },
        "costLines": cost_lines,
    }
    return {
        "buyer": {"id": party_id(buyer), "name": buyer.name_zh},
        "parties": [party(buyer, ["buyer"])],
        "planning": planning,
        "tender": tender,
    }

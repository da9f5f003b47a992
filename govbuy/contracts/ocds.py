"""The contract stages in OCDS 1.1 terms, for the disclosure app's release builders: the contract
notice (`contract`), payments and milestones reached (`implementation`), amendments
(`contractAmendment`) and the end (`contractTermination`). Sections the purchaser marked as
commercial secrets are left out, each named with its reason (Reg. Art. 50)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse

from govbuy.contracts.models import Contract, ContractStatus, MilestoneStatus
from govbuy.core.money import CENT
from govbuy.organizations.ocds import party, party_reference

SECTION_TITLES = {
    "content": "服务内容",
    "quantity_quality": "服务数量和质量",
    "settlement": "资金结算方式和支付安排",
    "rights_duties": "双方的权利和义务",
    "liability": "违约责任",
}
STATUS = {
    ContractStatus.DRAFT: "pending",
    ContractStatus.PROVIDER_SIGNED: "pending",
    ContractStatus.SIGNED: "active",
    ContractStatus.PUBLISHED: "active",
    ContractStatus.SUSPENDED: "active",
    ContractStatus.TERMINATED: "terminated",
    ContractStatus.COMPLETED: "terminated",
    ContractStatus.CANCELLED: "cancelled",
}


def _value(amount: Decimal) -> dict[str, Any]:
    return {"amount": Decimal(amount).quantize(CENT), "currency": "CNY"}


def _date(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _day(day: Any) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def award_id(contract: Contract) -> str:
    """The award the contract implements: the procurement's award id, or the commission's own."""
    if contract.award is not None:
        return f"{contract.award.tender.reference}-{contract.award.lot.number}"
    return f"{contract.reference}-commission"


def notice_text(contract: Contract) -> str:
    """The public notice's terms: every section, a withheld one replaced by the reason."""
    withheld = {row["section"]: row["reason"] for row in contract.withheld or []}
    parts = []
    for key, title in SECTION_TITLES.items():
        if key in withheld:
            parts.append(f"{title}：作为商业秘密不予公开（理由：{withheld[key]}）")
        else:
            parts.append(f"{title}：{getattr(contract, key)}")
    return "\n".join(parts)


def contract_release_parts(contract: Contract) -> dict[str, Any]:
    buyer, supplier = contract.purchaser, contract.provider
    milestones = list(contract.milestones.order_by("sequence"))
    payments = list(contract.payments.order_by("paid_on", "pk"))
    amendments = [a for a in contract.amendments.order_by("number") if a.confirmed_at is not None]
    section: dict[str, Any] = {
        "id": contract.reference,
        "awardID": award_id(contract),
        "title": contract.title,
        "description": notice_text(contract),
        "status": STATUS[ContractStatus(contract.status)],
        "period": {"startDate": _day(contract.period_start), "endDate": _day(contract.period_end)},
        "value": _value(contract.value),
        "documents": [
            {
                "id": f"{contract.reference}-notice",
                "documentType": "contractNotice",
                "title": f"合同公告 {contract.reference}",
                "url": settings.GOVBUY_PUBLIC_URL.rstrip("/") + reverse("portal:project", args=[contract.project_id]),
                "format": "text/html",
            }
        ],
        "milestones": [
            {
                "id": f"{contract.reference}-m{m.sequence}",
                "title": m.title,
                "type": m.kind,
                "description": (
                    f"占合同金额 {m.percentage}%；数量目标：{m.quantity_target}；质量目标：{m.quality_target}"
                ),
                "dueDate": _day(m.due_date),
                "status": "met" if m.status == MilestoneStatus.ACCEPTED else "scheduled",
                **({"dateMet": _date(m.accepted_at)} if m.accepted_at else {}),
            }
            for m in milestones
        ],
    }
    if contract.signed_at:
        section["dateSigned"] = _date(contract.signed_at)
    if amendments:
        section["amendments"] = [
            {
                "id": f"{contract.reference}-a{a.number}",
                "date": _date(a.confirmed_at) if a.confirmed_at else None,
                "rationale": a.get_rationale_display(),
                "description": a.description
                + (f"；金额变更 {a.value_change} 元" if a.value_change else "")
                + (f"；期限延至 {a.new_period_end.isoformat()}" if a.new_period_end else ""),
            }
            for a in amendments
        ]
    if contract.status == ContractStatus.TERMINATED and contract.terminated_at:
        section["description"] += (
            f"\n合同于 {contract.terminated_at.date().isoformat()} 解除（{contract.get_termination_cause_display()}）："
            f"{contract.termination_reason}；已支付 {contract.amount_paid} 元。"
        )
    implementation: dict[str, Any] = {}
    if payments:
        implementation["transactions"] = [
            {
                "id": f"{contract.reference}-p{p.pk}",
                "date": _day(p.paid_on),
                "value": _value(p.amount),
                "payer": party_reference(buyer),
                "payee": party_reference(supplier),
            }
            for p in payments
        ]
    met = [m for m in milestones if m.accepted_at is not None]
    if met:
        implementation["milestones"] = [
            {
                "id": f"{contract.reference}-m{m.sequence}",
                "title": m.title,
                "type": m.kind,
                "status": "met",
                "dateMet": _date(m.accepted_at),
            }
            for m in met
            if m.accepted_at is not None
        ]
    if implementation:
        section["implementation"] = implementation
    parts: dict[str, Any] = {
        "buyer": party_reference(buyer),
        "parties": [party(buyer, ["buyer", "payer"]), party(supplier, ["supplier", "payee"])],
        "contracts": [section],
    }
    if contract.award is None:
        parts["awards"] = [
            {
                "id": award_id(contract),
                "title": contract.title,
                "description": f"政府采购范围外委托：{contract.commission_reason}",
                "status": "active",
                "date": _date(contract.award_notice_at),
                "value": _value(contract.original_value),
                "suppliers": [party_reference(supplier)],
            }
        ]
    return parts

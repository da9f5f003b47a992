"""The tender and award stages of a tender in OCDS 1.1 terms (with the bids and lots extensions),
for the disclosure app's release builders.

`tender_release_parts(tender)` reads only the tender's own rows and returns buyer, parties
(roles procuringEntity, tenderer) and the tender section; disclosure adds ocid, id, date, tag
and initiationType. Sealed bids contribute nothing before the opening: not a count, not a name,
not a price (design/reliability.md R5). After it, `bids.details` carries each opened bid.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

from govbuy.core.money import CENT
from govbuy.organizations.ocds import party, party_id, party_reference
from govbuy.procurement.models import Bid, EvaluationMethod, Tender, TenderStatus

METHOD_CODES: dict[str, str] = {
    "public_tender": "open",
    "invitation_tender": "selective",
    "competitive_negotiation": "limited",
    "competitive_consultation": "selective",
    "single_source": "direct",
    "request_for_quotation": "selective",
    "contract": "direct",
    "commission": "direct",
}
TENDER_STATUS: dict[str, str] = {
    TenderStatus.DRAFT: "planning",
    TenderStatus.PUBLISHED: "active",
    TenderStatus.OPENED: "active",
    TenderStatus.EVALUATED: "active",
    TenderStatus.AWARDED: "complete",
    TenderStatus.FAILED: "unsuccessful",
    TenderStatus.CANCELLED: "cancelled",
}


def _value(amount: Decimal) -> dict[str, Any]:
    return {"amount": Decimal(amount).quantize(CENT), "currency": "CNY"}


def _date(moment: Any) -> str:
    from datetime import UTC

    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def opened_bids(tender: Tender) -> list[Bid]:
    if tender.status not in (TenderStatus.OPENED, TenderStatus.EVALUATED, TenderStatus.AWARDED, TenderStatus.FAILED):
        return []
    return list(
        Bid.objects.filter(tender=tender, status="opened")
        .select_related("provider__region", "lot")
        .order_by("lot__number", "pk")
    )


def tender_release_parts(tender: Tender) -> dict[str, Any]:
    buyer = tender.purchaser
    bids = opened_bids(tender)
    parties: dict[str, dict[str, Any]] = {party_id(buyer): party(buyer, ["buyer", "procuringEntity"])}
    for bid in bids:
        parties.setdefault(party_id(bid.provider), party(bid.provider, ["tenderer"]))
    lots = list(tender.lots.all())
    section: dict[str, Any] = {
        "id": tender.reference,
        "title": tender.title,
        "description": tender.description,
        "status": TENDER_STATUS[tender.status],
        "procuringEntity": party_reference(buyer),
        "value": _value(tender.budget),
        "procurementMethod": METHOD_CODES.get(tender.method.code, "open"),
        "procurementMethodDetails": tender.method.name_zh,
        "mainProcurementCategory": "services",
        "awardCriteria": "priceOnly"
        if tender.method.evaluation_method == EvaluationMethod.LOWEST_PRICE
        else "ratedCriteria",
        "awardCriteriaDetails": "；".join(f"{c.name} {c.weight}分" for c in tender.criteria.all()),
        "tenderPeriod": {"endDate": _date(tender.bid_deadline)},
        "lots": [
            {"id": str(lot.number), "title": lot.title, "value": _value(lot.budget), "status": "active"} for lot in lots
        ],
        "documents": [
            {
                "id": str(doc.pk),
                "documentType": "biddingDocuments",
                "title": doc.title,
                "format": doc.content_type,
                "url": settings.GOVBUY_PUBLIC_URL.rstrip("/") + f"/tenders/{tender.pk}/documents/{doc.pk}/",
            }
            for doc in tender.documents.all()
        ],
    }
    if tender.published_at:
        section["tenderPeriod"]["startDate"] = _date(tender.published_at)
    _add_clarifications(tender, section)
    if tender.bid_bond:
        section["submissionMethodDetails"] = f"投标保证金 {Decimal(tender.bid_bond).quantize(CENT)} 元（非现金形式）"
    parts: dict[str, Any] = {"buyer": party_reference(buyer), "tender": section}
    if bids:
        section["numberOfTenderers"] = len({bid.provider_id for bid in bids})
        section["tenderers"] = [party_reference(p) for p in {bid.provider_id: bid.provider for bid in bids}.values()]
        parts["bids"] = {
            "details": [
                {
                    "id": str(bid.pk),
                    "date": _date(bid.submitted_at),
                    "status": "disqualified" if bid.disqualified_at else "valid",
                    "tenderers": [party_reference(bid.provider)],
                    "value": _value(bid.price or Decimal("0")),
                    "relatedLots": [str(bid.lot.number)],
                }
                for bid in bids
            ]
        }
    parts["parties"] = list(parties.values())
    return parts


def _add_clarifications(tender: Tender, section: dict[str, Any]) -> None:
    """Published answers to questions as `enquiries` (enquiry extension), the purchaser's own
    notices and every deadline a clarification moved as `amendments`. No `author`: who asked is
    never published (Reg. Art. 14); the selected columns leave the asker out of the query."""
    from govbuy.procurement.models import Clarification

    rows = list(
        Clarification.objects.filter(tender=tender, answered_at__isnull=False)
        .only("pk", "question", "asked_at", "answer", "answered_at", "deadline_before", "deadline_after")
        .order_by("answered_at", "pk")
    )
    if not rows:
        return
    questions = [row for row in rows if row.question]
    section["hasEnquiries"] = bool(questions)
    if questions:
        section["enquiries"] = [
            {
                "id": str(row.pk),
                "date": _date(row.asked_at),
                "title": "澄清问题",
                "description": row.question,
                "answer": row.answer,
                "dateAnswered": _date(row.answered_at),
            }
            for row in questions
        ]
    amendments = []
    for row in rows:
        moved = row.deadline_before is not None and row.deadline_after is not None
        if row.question and not moved:
            continue
        entry = {"id": f"clarification-{row.pk}", "date": _date(row.answered_at)}
        entry["rationale"] = row.answer if not row.question else "澄清答复可能影响投标文件编制"
        if moved:
            entry["description"] = (
                f"距投标截止不足15日，投标截止时间由 {_date(row.deadline_before)} 顺延至 {_date(row.deadline_after)}"
            )
        amendments.append(entry)
    if amendments:
        section["amendments"] = amendments


def award_id(tender: Tender, award: Any) -> str:
    """The first award of a lot keeps its id; an award replacing a refused one gets a suffix."""
    base = f"{tender.reference}-{award.lot.number}"
    return base if award.replaces_id is None else f"{base}-{award.pk}"


def award_release_parts(tender: Tender) -> dict[str, Any]:
    """The tender parts plus `awards` (the confirmed ones) and the suppliers among the parties."""
    from govbuy.procurement.models import Award, AwardStatus

    parts = tender_release_parts(tender)
    # Confirmed awards, and those superseded because the winner refused to sign (Reg. Art. 49):
    # the refused one stays in the release as "cancelled", its replacement has its own id.
    awards = list(
        Award.objects.filter(
            tender=tender, status__in=[AwardStatus.ACTIVE, AwardStatus.REFUSAL_RECORDED, AwardStatus.REFUSED]
        )
        .select_related("provider__region", "lot", "bid")
        .order_by("lot__number", "pk")
    )
    parties = {p["id"]: p for p in parts["parties"]}
    for award in awards:
        key = party_id(award.provider)
        if key in parties:
            parties[key]["roles"] = sorted(set(parties[key]["roles"]) | {"supplier"})
        else:
            parties[key] = party(award.provider, ["supplier"])
    parts["parties"] = list(parties.values())
    parts["awards"] = []
    for award in awards:
        if award.confirmed_at is None:
            continue
        entry: dict[str, Any] = {
            "id": award_id(tender, award),
            "title": award.lot.title,
            "status": "cancelled" if award.status == AwardStatus.REFUSED else "active",
            "date": _date(award.confirmed_at),
            "value": _value(award.amount),
            "suppliers": [party_reference(award.provider)],
            "relatedLots": [str(award.lot.number)],
            "relatedBid": str(award.bid_id),
        }
        if award.status == AwardStatus.REFUSED:
            entry["description"] = (
                "中标（成交）供应商拒绝签订合同，中标（成交）结果作废（《政府采购法实施条例》第四十九条）"
            )
        parts["awards"].append(entry)
    return parts

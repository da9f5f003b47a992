"""The facts behind the risk flags of a tender's later stages: its bidders' contacts, its winners'
credit, and its contracts' amendments, statutory clocks, payments and accepted deliverables.
Each function gathers one rule's facts in a fixed number of queries (one more per winner for the
credit record) and hands them to the pure rules in `oversight.risk`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Count, Min, Q
from django.utils import timezone

from govbuy.contracts import rules as contract_rules
from govbuy.contracts.models import Amendment, Contract, Milestone
from govbuy.core.calendar.rules import get_calendar, local_date
from govbuy.core.errors import ValidationFailed
from govbuy.credit import selectors as credit
from govbuy.oversight import risk
from govbuy.oversight.models import FlagRule
from govbuy.procurement.models import Award, AwardStatus, Bid, Tender, TenderStatus
from govbuy.providers.models import ProviderProfile

OPENED = (TenderStatus.OPENED, TenderStatus.EVALUATED, TenderStatus.AWARDED, TenderStatus.FAILED)
# A contract that was never concluded has no clocks to keep.
UNCONCLUDED = ("cancelled",)


def _contracts(tender: Tender) -> list[Contract]:
    return list(Contract.objects.filter(award__tender=tender).exclude(status__in=UNCONCLUDED).order_by("pk"))


def _today() -> dt.date:
    return local_date(timezone.now())


def shared_contacts(tender: Tender, rule: FlagRule) -> list[risk.Finding]:
    """Bidders of one tender sharing a telephone, an e-mail or an address (from their opening:
    sealed bids tell no one who bid)."""
    if tender.status not in OPENED:
        return []
    bidders = Bid.objects.filter(tender=tender).values("provider_id")
    rows = ProviderProfile.objects.filter(organisation_id__in=bidders).values_list(
        "organisation_id", "contact_phone", "contact_email", "registered_address"
    )
    contacts = {org: {"phone": phone, "email": email, "address": address} for org, phone, email, address in rows}
    return risk.shared_contacts(contacts, rule.threshold)


def negative_credit(tender: Tender, rule: FlagRule) -> list[risk.Finding]:
    """A winner whose credit record has negative facts that still count in its score (the credit
    service's own explanation of the score: objections pending and repaired facts excluded)."""
    found: list[risk.Finding] = []
    winners = Award.objects.filter(tender=tender, status=AwardStatus.ACTIVE).values_list("provider_id", flat=True)
    for provider in sorted(set(winners)):
        try:
            explanation = credit.score_of(provider)
        except ValidationFailed:  # no score scale in force: nothing to read
            return []
        facts = [
            (line.fact_id, line.kind, line.occurred_on.isoformat())
            for line in explanation.lines
            if line.counted and line.contribution < 0
        ]
        found += risk.negative_credit(provider, facts, rule.threshold)
    return found


def amendment_increase(tender: Tender, rule: FlagRule) -> list[risk.Finding]:
    contracts = _contracts(tender)
    changes: dict[int, list[tuple[int, Decimal]]] = {}
    for contract_id, number, change in Amendment.objects.filter(
        contract__in=contracts, status="active", value_change__gt=0
    ).values_list("contract_id", "number", "value_change"):
        changes.setdefault(contract_id, []).append((number, change))
    found: list[risk.Finding] = []
    for contract in contracts:
        found += risk.amendment_increase(
            contract.reference, contract.original_value, changes.get(contract.pk, []), rule.threshold
        )
    return found


def late_signing(tender: Tender, rule: FlagRule) -> list[risk.Finding]:
    """Law Art. 46: signed within 30 days of the award notice (contracts' own clock); an award
    whose contract is not even drawn is late on the same clock. One flag per award."""
    calendar, today, found = get_calendar(), _today(), []
    contracts = {c.award_id: c for c in _contracts(tender)}
    for award in Award.objects.filter(tender=tender, status=AwardStatus.ACTIVE, confirmed_at__isnull=False).order_by(
        "pk"
    ):
        contract = contracts.get(award.pk)
        notice = contract.award_notice_at if contract else award.confirmed_at
        if notice is None:
            continue
        due = contract_rules.signing_due(notice, calendar)
        done = local_date(contract.signed_at) if contract and contract.signed_at else None
        step = contract.reference if contract else tender.reference
        found += risk.late_step(f"award-{award.pk}", due, done, today, rule.threshold, step=step)
    return found


def late_publication(tender: Tender, rule: FlagRule) -> list[risk.Finding]:
    """Reg. Art. 50: published within 2 working days of signing (contracts' own clock)."""
    calendar, today, found = get_calendar(), _today(), []
    for contract in _contracts(tender):
        if contract.signed_at is None:
            continue
        due = contract_rules.publication_due(contract.signed_at, calendar)
        done = local_date(contract.published_at) if contract.published_at else None
        found += risk.late_step(contract.reference, due, done, today, rule.threshold)
    return found


def late_payment(tender: Tender, rule: FlagRule) -> list[risk.Finding]:
    """An accepted milestone paid (first payment) more than `threshold` days after its acceptance
    (保障中小企业款项支付条例 Art. 8: within 30 days of the acceptance), or still unpaid by then."""
    today, found = _today(), []
    rows = (
        Milestone.objects.filter(contract__in=_contracts(tender), accepted_at__isnull=False)
        .annotate(first_paid=Min("payments__paid_on"))
        .values_list("contract__reference", "sequence", "accepted_at", "first_paid")
        .order_by("contract_id", "sequence")
    )
    for reference, sequence, accepted_at, first_paid in rows:
        if accepted_at is None:
            continue
        due = local_date(accepted_at) + dt.timedelta(days=int(rule.threshold))
        found += risk.late_step(f"{reference}/{sequence}", due, first_paid, today, Decimal(0))
    return found


def accepted_without_evidence(tender: Tender, rule: FlagRule) -> list[risk.Finding]:
    rows = (
        Milestone.objects.filter(contract__in=_contracts(tender), status="accepted")
        .annotate(documents=Count("deliverables__documents", filter=Q(deliverables__status="accepted"), distinct=True))
        .values_list("pk", "contract__reference", "title", "documents")
    )
    return risk.accepted_without_evidence(list(rows), rule.threshold)


RULES: dict[str, Callable[[Tender, FlagRule], list[risk.Finding]]] = {
    "shared_contacts": shared_contacts,
    "negative_credit": negative_credit,
    "amendment_increase": amendment_increase,
    "late_signing": late_signing,
    "late_publication": late_publication,
    "late_payment": late_payment,
    "accepted_without_evidence": accepted_without_evidence,
}

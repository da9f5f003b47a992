"""Every read of contracts, from the reader's scope: the purchaser's and the provider's own
contracts, and those of oversight bodies whose region covers the purchaser (the finance bureau
of the region, auditors and supervisors, read-only). Outside the scope is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from govbuy.contracts import rules
from govbuy.contracts.models import (
    Amendment,
    AmendmentStatus,
    Contract,
    ContractStatus,
    ContractTemplate,
    Deliverable,
    DeliverableDocument,
    DeliverableStatus,
    Milestone,
    MilestoneStatus,
    PayeeAccount,
    Payment,
    SubcontractingFlag,
)
from govbuy.contracts.pdf import default_template_body
from govbuy.core.calendar.rules import get_calendar, local_date
from govbuy.organizations.scope import Scope, scope_for
from govbuy.procurement.models import Award, AwardStatus

LIST_RELATED = ("purchaser", "provider")


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def scope_q(scope: Scope) -> Q:
    if scope.is_anonymous:
        return Q(pk__in=[])
    if scope.all_regions:
        return Q()
    own = list(scope.organisation_ids)
    return Q(purchaser_id__in=own) | Q(provider_id__in=own) | Q(region_id__in=list(scope.region_ids))


def visible_contracts(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Contract]:
    scope = scope_for(user)
    qs = Contract.objects.filter(scope_q(scope)).select_related(*LIST_RELATED)
    status = str((filters or {}).get("status") or "")
    if status in ContractStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-pk")


def contract_for(user: Any, pk: Any) -> Contract:
    contract = (
        Contract.objects.filter(scope_q(scope_for(user)), pk=_pk(pk))
        .select_related("purchaser__region", "provider__region", "project", "region", "payee", "award__tender")
        .first()
    )
    if contract is None:
        raise Http404
    return contract


@dataclass(frozen=True)
class Clocks:
    signing_due: date
    publication_due: date | None
    filing_due: date | None
    today: date

    def overdue(self, contract: Contract) -> dict[str, bool]:
        return {
            "signing": contract.signed_at is None and self.today > self.signing_due,
            "publication": contract.published_at is None
            and self.publication_due is not None
            and self.today > self.publication_due,
            "filing": contract.filed_at is None and self.filing_due is not None and self.today > self.filing_due,
        }


def clocks_of(contract: Contract) -> Clocks:
    calendar = get_calendar()
    return Clocks(
        signing_due=rules.signing_due(contract.award_notice_at, calendar),
        publication_due=rules.publication_due(contract.signed_at, calendar) if contract.signed_at else None,
        filing_due=rules.filing_due(contract.signed_at, calendar) if contract.signed_at else None,
        today=local_date(timezone.now()),
    )


@dataclass(frozen=True)
class Role:
    purchaser: bool  # writes for the purchaser
    provider: bool  # writes for the provider
    finance: bool  # the finance bureau acting for the region
    sees_flags: bool  # purchaser, finance and oversight (not the provider)


def role_of(user: Any, contract: Contract) -> Role:
    scope = scope_for(user)
    purchaser = rules.purchaser_staff(scope, contract.purchaser_id)
    provider = scope.writes_for(contract.provider_id)
    finance = scope.finance_of(contract.region_id) is not None
    oversight = scope.all_regions or contract.region_id in scope.region_ids
    return Role(purchaser, provider, finance, purchaser or finance or oversight or scope.is_platform_admin)


def details(contract: Contract) -> dict[str, Any]:
    """Milestones (with their deliverables and documents), payments, amendments, roster, visits."""
    deliverables = Deliverable.objects.select_related("submitted_by", "decided_by", "first_acceptor").prefetch_related(
        Prefetch("documents", queryset=DeliverableDocument.objects.order_by("pk"))
    )
    milestones = list(
        Milestone.objects.filter(contract=contract)
        .prefetch_related(Prefetch("deliverables", queryset=deliverables.order_by("-submitted_at", "-pk")))
        .order_by("sequence")
    )
    return {
        "milestones": milestones,
        "payments": list(contract.payments.select_related("milestone", "payee").order_by("paid_on", "pk")),
        "amendments": list(contract.amendments.select_related("proposed_by", "confirmed_by").order_by("number")),
        "roster": list(contract.roster.order_by("pk")),
        "visits": list(contract.visits.select_related("recorded_by").order_by("-visited_on", "-pk")),
    }


def flags_of(user: Any, contract: Contract) -> list[SubcontractingFlag]:
    if not role_of(user, contract).sees_flags:
        return []
    return list(SubcontractingFlag.objects.filter(contract=contract).order_by("raised_at", "pk"))


def deliverable_for(user: Any, pk: Any) -> Deliverable:
    deliverable = (
        Deliverable.objects.filter(pk=_pk(pk))
        .select_related("contract", "milestone")
        .filter(contract__in=Contract.objects.filter(scope_q(scope_for(user))))
        .first()
    )
    if deliverable is None:
        raise Http404
    return deliverable


def document_for(user: Any, pk: Any) -> DeliverableDocument:
    document = (
        DeliverableDocument.objects.filter(pk=_pk(pk))
        .filter(deliverable__contract__in=Contract.objects.filter(scope_q(scope_for(user))))
        .first()
    )
    if document is None:
        raise Http404
    return document


def payee_accounts(user: Any, contract: Contract) -> list[PayeeAccount]:
    """The provider's own accounts: what the provider chooses from and the purchaser pays to."""
    role = role_of(user, contract)
    if not (role.provider or role.purchaser):
        return []
    return list(PayeeAccount.objects.filter(organisation_id=contract.provider_id).order_by("pk"))


def drawable_awards(user: Any) -> list[Award]:
    """Confirmed awards of the user's purchasers that have no contract yet."""
    scope = scope_for(user)
    orgs = [m.organisation_id for m in scope.memberships if rules.purchaser_staff(scope, m.organisation_id)]
    if not orgs:
        return []
    return list(
        Award.objects.filter(tender__purchaser_id__in=orgs, status=AwardStatus.ACTIVE, contract__isnull=True)
        .select_related("tender", "lot", "provider")
        .order_by("confirmed_at", "pk")[:20]
    )


# --- Home sections ------------------------------------------------------------------------------


def _purchaser_orgs(scope: Scope) -> list[int]:
    return sorted({m.organisation_id for m in scope.memberships if rules.purchaser_staff(scope, m.organisation_id)})


def to_sign(user: Any, limit: int = 10) -> tuple[list[Contract], int]:
    """The provider signs drafts; the purchaser signs what the provider signed."""
    scope = scope_for(user)
    q = Q(provider_id__in=scope.acting_providers(), status=ContractStatus.DRAFT, milestones__isnull=False)
    q |= Q(purchaser_id__in=_purchaser_orgs(scope), status=ContractStatus.PROVIDER_SIGNED)
    qs = Contract.objects.filter(q).distinct().select_related(*LIST_RELATED).order_by("award_notice_at", "pk")
    return list(qs[:limit]), qs.count()


def to_publish(user: Any, limit: int = 10) -> tuple[list[Contract], int]:
    qs = (
        Contract.objects.filter(purchaser_id__in=_purchaser_orgs(scope_for(user)), status=ContractStatus.SIGNED)
        .select_related(*LIST_RELATED)
        .order_by("signed_at", "pk")
    )
    return list(qs[:limit]), qs.count()


def to_file(user: Any, limit: int = 10) -> tuple[list[Contract], int]:
    qs = (
        Contract.objects.filter(
            purchaser_id__in=_purchaser_orgs(scope_for(user)), signed_at__isnull=False, filed_at__isnull=True
        )
        .exclude(status=ContractStatus.CANCELLED)
        .select_related(*LIST_RELATED)
        .order_by("signed_at", "pk")
    )
    return list(qs[:limit]), qs.count()


def to_accept(user: Any, limit: int = 10) -> tuple[list[Deliverable], int]:
    qs = (
        Deliverable.objects.filter(
            contract__purchaser_id__in=_purchaser_orgs(scope_for(user)),
            status__in=[DeliverableStatus.SUBMITTED, DeliverableStatus.ACCEPTING],
        )
        .select_related("contract", "milestone")
        .order_by("submitted_at", "pk")
    )
    return list(qs[:limit]), qs.count()


def payments_due(user: Any, limit: int = 10) -> tuple[list[Contract], int]:
    """Contracts in delivery with an accepted milestone and value still unpaid."""
    accepted = Milestone.objects.filter(contract=OuterRef("pk"), status=MilestoneStatus.ACCEPTED)
    qs = (
        Contract.objects.filter(
            Exists(accepted),
            purchaser_id__in=_purchaser_orgs(scope_for(user)),
            status__in=list(rules.DELIVERY_STATES),
        )
        .exclude(amount_paid=F("value"))
        .select_related(*LIST_RELATED)
        .order_by("pk")
    )
    return list(qs[:limit]), qs.count()


def flagged(user: Any, limit: int = 10) -> tuple[list[Contract], int]:
    """Contracts with signs of subcontracting, for their purchaser and the finance bureau."""
    scope = scope_for(user)
    if not (_purchaser_orgs(scope) or scope.is_finance()):
        return [], 0
    own = Q(purchaser_id__in=_purchaser_orgs(scope))
    finance = Q(pk__in=[])
    for row in scope.finance_memberships():
        finance |= Q() if row.region_level == "city" else Q(region_id=row.region_id)
    has_flags = Exists(SubcontractingFlag.objects.filter(contract=OuterRef("pk")))
    qs = (
        Contract.objects.filter(own | finance, has_flags, status__in=list(rules.IN_FORCE_STATES))
        .select_related(*LIST_RELATED)
        .order_by("pk")
    )
    return list(qs[:limit]), qs.count()


# --- Public ---------------------------------------------------------------------------------------


def public_contracts_of_project(project_id: int) -> list[Contract]:
    """Published contract notices of a project, with what the portal shows of each."""
    return list(
        Contract.objects.filter(project_id=project_id, published_at__isnull=False)
        .select_related("provider")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("sequence")),
            Prefetch("amendments", queryset=Amendment.objects.filter(status=AmendmentStatus.ACTIVE).order_by("number")),
            Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "pk")),
        )
        .order_by("published_at", "pk")
    )


# --- The contract template --------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateText:
    body: str
    version: int  # 0: the bundled text, never edited


def template_for(user: Any) -> TemplateText:
    """The text the city finance bureau edits (404 for everyone else)."""
    if not scope_for(user).is_city_finance():
        raise Http404
    row = ContractTemplate.objects.order_by("-pk").first()
    return TemplateText(row.body, row.version) if row else TemplateText(default_template_body(), 0)


def award_signed_by_provider(award_id: int) -> bool:
    """Whether a contract of the award carries the provider's signature (registered in
    govbuy.core.signing_gate: procurement then records no refusal to sign against the award)."""
    return (
        Contract.objects.filter(award_id=award_id, provider_signed_at__isnull=False)
        .exclude(status=ContractStatus.CANCELLED)
        .exists()
    )

"""Credit facts: recorded as earlier stages report them (govbuy.core.facts), entered by an
authority with evidence and confirmed by a second person, corrected by new facts (never edited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.calendar.rules import local_date
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.core.facts import ProviderFact
from govbuy.credit import rules
from govbuy.credit.models import ENTERED_KINDS, CreditFact, FactKind
from govbuy.credit.services.common import authority_for, rule_in_force, scope_of, store_documents
from govbuy.organizations.models import Organisation, OrganisationKind, Region

ENTRY_SOURCE = "credit.entry"
# The bodies that refer facts they found in a monitoring case (seed §四.一, §四.二).
REFERRING_KINDS = frozenset(
    {OrganisationKind.FINANCE_BUREAU, OrganisationKind.AUDIT_OFFICE, OrganisationKind.SUPERVISION}
)


def _direction(kind: str, on: dt.date) -> str:
    rule = rule_in_force(kind, on)
    return rules.direction_of(rule.points if rule else None)


def _event(actor: Any, action: str, fact: CreditFact, **data: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        obj=fact,
        organisation=fact.provider,
        data={"kind": fact.kind, "name": fact.provider.name_zh, "summary": fact.summary, **data},
    )


def record_reported_fact(reported: ProviderFact) -> CreditFact | None:
    """The govbuy.core.facts handler: runs inside the reporting stage's transaction. The same
    fact reported twice (a retried request) is recorded once."""
    provider = Organisation.objects.filter(pk=reported.provider_id).first()
    if provider is None:
        return None
    existing = CreditFact.objects.filter(
        source_type=reported.source_type, source_id=reported.source_id, kind=reported.kind
    ).first()
    if existing is not None:
        return existing
    now = timezone.now()
    fact = CreditFact.objects.create(
        provider=provider,
        kind=reported.kind,
        direction=_direction(reported.kind, local_date(reported.occurred_at)),
        occurred_at=reported.occurred_at,
        summary=(reported.summary or str(FactKind(reported.kind).label))[:1000],
        legal_basis=str(reported.data.get("legal_basis", ""))[:300],
        source_type=reported.source_type,
        source_id=reported.source_id,
        confirmed_at=now,
        notified_at=now,
        # Established by a decision of a public procedure (award, complaint, contract, grade).
        published=True,
        data=reported.data,
    )
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=reported.actor_id).first() if reported.actor_id else None
    _event(actor, "credit.fact.recorded", fact)
    return fact


@transaction.atomic
def enter_fact(
    *,
    actor: Any,
    provider: Organisation | int,
    kind: str,
    occurred_on: dt.date,
    summary: str,
    legal_basis: str,
    documents: list[tuple[str, bytes]] | None = None,
    published: bool = True,
) -> CreditFact:
    """An authority enters a fact it found (Law Art. 77 facts, commendations). It counts once a
    second person of the authority confirms it."""
    org = Organisation.objects.filter(pk=provider.pk if isinstance(provider, Organisation) else int(provider)).first()
    if org is None:
        raise NotFound()
    authority = authority_for(actor, org.region_id)
    if kind not in ENTERED_KINDS:
        message = _("Choose a kind of fact an authority enters.")
        raise ValidationFailed(message, code="invalid_kind", fields={"kind": [message]})
    text = (summary or "").strip()
    basis = (legal_basis or "").strip()
    missing = {n: [_("This field is required.")] for n, v in (("summary", text), ("legal_basis", basis)) if not v}
    if missing:
        raise ValidationFailed(_("Give the facts and the legal basis."), code="required", fields=missing)
    if occurred_on > timezone.localdate():
        message = _("A fact cannot have happened in the future.")
        raise ValidationFailed(message, fields={"occurred_on": [message]})
    rules.check_evidence(kind, len(documents or []))
    fact = CreditFact.objects.create(
        provider=org,
        kind=kind,
        direction=_direction(kind, occurred_on),
        occurred_at=dt.datetime.combine(occurred_on, dt.time(12), tzinfo=timezone.get_current_timezone()),
        summary=text[:1000],
        legal_basis=basis[:300],
        source_type=ENTRY_SOURCE,
        recording_authority=authority,
        entered_by=actor,
        published=published,
    )
    store_documents(documents, fact=fact)
    _event(actor, "credit.fact.entered", fact)
    return fact


def recording_bureau(region_id: int) -> Organisation:
    """The finance bureau that records a referred fact: the provider's region's own, else the city's."""
    own = Organisation.objects.filter(kind=OrganisationKind.FINANCE_BUREAU, region_id=region_id).order_by("pk").first()
    if own is not None:
        return own
    city = (
        Organisation.objects.filter(kind=OrganisationKind.FINANCE_BUREAU, region__level=Region.Level.CITY)
        .order_by("pk")
        .first()
    )
    if city is None:
        raise Conflict(_("No finance bureau records credit facts for this provider's region."))
    return city


@transaction.atomic
def refer_fact(
    *,
    actor: Any,
    provider: Organisation | int,
    kind: str,
    occurred_on: dt.date,
    summary: str,
    legal_basis: str,
    documents: list[tuple[str, bytes]] | None,
    source_type: str,
    source_id: int,
) -> CreditFact:
    """A monitoring body (audit, supervision or a finance bureau acting in a monitoring case)
    refers a fact it found: recorded unconfirmed for the finance bureau of the provider's region,
    which confirms it with `confirm_fact` (four eyes: the referrer is someone else) or withdraws
    it with `correct_fact`. The case is the source; one fact of a kind per case."""
    org = Organisation.objects.filter(pk=provider.pk if isinstance(provider, Organisation) else int(provider)).first()
    if org is None:
        raise NotFound()
    if not any(m.kind in REFERRING_KINDS for m in scope_of(actor).memberships):
        raise PermissionRefused(_("Only a finance bureau, the audit office or the supervision office refers facts."))
    if kind not in ENTERED_KINDS or kind == FactKind.COMMENDATION:
        message = _("Choose the kind of violation to refer to the credit record.")
        raise ValidationFailed(message, code="invalid_kind", fields={"fact_kind": [message]})
    text = (summary or "").strip()
    basis = (legal_basis or "").strip()
    if not basis:
        message = _("Give the legal basis of the fact referred to the credit record.")
        raise ValidationFailed(message, code="required", fields={"legal_basis": [message]})
    if not text:
        message = _("Give the facts referred to the credit record.")
        raise ValidationFailed(message, code="required", fields={"summary": [message]})
    if occurred_on > timezone.localdate():
        message = _("A fact cannot have happened in the future.")
        raise ValidationFailed(message, fields={"occurred_on": [message]})
    rules.check_evidence(kind, len(documents or []))
    if CreditFact.objects.filter(source_type=source_type, source_id=source_id, kind=kind).exists():
        raise Conflict(_("This fact has already been referred to the credit record."))
    bureau = recording_bureau(org.region_id)
    fact = CreditFact.objects.create(
        provider=org,
        kind=kind,
        direction=_direction(kind, occurred_on),
        occurred_at=dt.datetime.combine(occurred_on, dt.time(12), tzinfo=timezone.get_current_timezone()),
        summary=text[:1000],
        legal_basis=basis[:300],
        source_type=source_type,
        source_id=source_id,
        recording_authority=bureau,
        entered_by=actor,
        published=True,
    )
    store_documents(documents, fact=fact)
    _event(actor, "credit.fact.referred", fact, authority=bureau.name_zh)
    return fact


@transaction.atomic
def confirm_fact(*, actor: Any, fact: CreditFact | int) -> CreditFact:
    """The second person of the recording authority confirms; the provider is told from now."""
    pk = fact.pk if isinstance(fact, CreditFact) else int(fact)
    locked = CreditFact.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound()
    locked.provider = Organisation.objects.get(pk=locked.provider_id)
    scope = scope_of(actor)
    if locked.recording_authority_id is None or not scope.writes_for(locked.recording_authority_id):
        raise NotFound()
    if locked.confirmed_at is not None:
        raise Conflict(_("This fact has already been confirmed."))
    if CreditFact.objects.filter(corrects=locked).exists():
        raise Conflict(_("This fact has been withdrawn."))
    if locked.entered_by_id == getattr(actor, "pk", None):
        raise PermissionRefused(_("A second person of the authority confirms the fact (four eyes)."))
    now = timezone.now()
    locked.confirmed_by = actor
    locked.confirmed_at = now
    locked.notified_at = now
    locked.save(update_fields=["confirmed_by", "confirmed_at", "notified_at", "updated_at"])
    _event(actor, "credit.fact.confirmed", locked)
    return locked


def withdraw_fact(*, actor: Any, fact: CreditFact, reason: str) -> CreditFact:
    """A correction that voids `fact`: a new fact naming it (the old one is kept, unchanged).
    Called inside the deciding service's transaction."""
    if CreditFact.objects.filter(corrects=fact).exists():
        raise Conflict(_("This fact has already been corrected."))
    now = timezone.now()
    correction = CreditFact.objects.create(
        provider=fact.provider,
        kind=FactKind.WITHDRAWN,
        direction=CreditFact.Direction.NEUTRAL,
        occurred_at=now,
        summary=(reason or "").strip()[:1000],
        legal_basis=fact.legal_basis,
        source_type=ENTRY_SOURCE,
        recording_authority=fact.recording_authority,
        entered_by=actor if getattr(actor, "pk", None) else None,
        confirmed_at=now,
        notified_at=now,
        published=fact.published,
        corrects=fact,
    )
    record_event(
        actor=actor,
        action="credit.fact.corrected",
        obj=correction,
        organisation=fact.provider,
        data={"corrected": fact.pk, "name": fact.provider.name_zh, "summary": correction.summary},
    )
    return correction


@transaction.atomic
def correct_fact(*, actor: Any, fact: CreditFact | int, reason: str) -> CreditFact:
    """The recording authority withdraws a fact it recorded in error (a new fact, never an edit)."""
    pk = fact.pk if isinstance(fact, CreditFact) else int(fact)
    locked = CreditFact.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound()
    locked.provider = Organisation.objects.get(pk=locked.provider_id)
    authority_for(actor, locked.provider.region_id)
    if not (reason or "").strip():
        message = _("Give the reason for the correction.")
        raise ValidationFailed(message, code="required", fields={"reason": [message]})
    return withdraw_fact(actor=actor, fact=locked, reason=reason)

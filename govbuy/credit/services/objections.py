"""Objections: the provider objects to a negative fact within its period (10 working days by
default, ScoreRule data) with evidence; the recording authority decides with reasons. Upheld,
the fact is withdrawn by a correction (never edited) and a ban resting on it is lifted."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.calendar.rules import get_calendar, local_date
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.credit import rules
from govbuy.credit.models import Ban, CreditFact, Objection
from govbuy.credit.services.common import objection_days, scope_of, store_documents
from govbuy.credit.services.records import withdraw_fact
from govbuy.organizations.models import Organisation
from govbuy.providers.services import restrictions


def deadline_of(fact: CreditFact) -> Any:
    if fact.notified_at is None:
        return None
    days = objection_days(fact.kind, local_date(fact.occurred_at))
    return rules.objection_deadline(fact.notified_at, days, get_calendar())


@transaction.atomic
def file_objection(
    *, actor: Any, fact: CreditFact | int, text: str, documents: list[tuple[str, bytes]] | None = None
) -> Objection:
    pk = fact.pk if isinstance(fact, CreditFact) else int(fact)
    locked = CreditFact.objects.select_for_update().filter(pk=pk).first()
    if locked is None or not scope_of(actor).writes_for(locked.provider_id):
        raise NotFound()
    locked.provider = Organisation.objects.get(pk=locked.provider_id)
    if locked.direction != CreditFact.Direction.NEGATIVE or locked.confirmed_at is None:
        raise TransitionRefused(_("Only a recorded negative fact can be objected to."))
    if CreditFact.objects.filter(corrects=locked).exists():
        raise Conflict(_("This fact has already been corrected."))
    if Objection.objects.filter(fact=locked).exists():
        raise Conflict(_("This fact has already been objected to."))
    grounds = (text or "").strip()
    if not grounds:
        message = _("Give the grounds of the objection.")
        raise ValidationFailed(message, code="required", fields={"text": [message]})
    now = timezone.now()
    rules.check_objection_in_time(now, deadline_of(locked))
    objection = Objection.objects.create(
        fact=locked,
        filed_by=actor,
        filed_at=now,
        text=grounds[:4000],
        decide_by=rules.decision_deadline(now, get_calendar()),
    )
    store_documents(documents, objection=objection)
    record_event(
        actor=actor,
        action="credit.objection.filed",
        obj=objection,
        organisation=locked.provider,
        data={"fact": locked.pk, "name": locked.provider.name_zh},
    )
    return objection


@transaction.atomic
def decide_objection(*, actor: Any, objection: Objection | int, version: int, upheld: bool, reasons: str) -> Objection:
    pk = objection.pk if isinstance(objection, Objection) else int(objection)
    locked = Objection.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound()
    fact = CreditFact.objects.select_for_update().get(pk=locked.fact_id)
    fact.provider = Organisation.objects.get(pk=fact.provider_id)
    scope = scope_of(actor)
    deciders = {fact.recording_authority_id} if fact.recording_authority_id else set()
    if not deciders:
        # A reported fact: the finance bureau of the provider's region (or the city's) decides.
        row = scope.finance_of(fact.provider.region_id, write=True)
        deciders = {row.organisation_id} if row else set()
    if not any(scope.writes_for(org_id) for org_id in deciders):
        if scope.sees_organisation(fact.provider):
            raise PermissionRefused(_("Only the authority that recorded the fact decides the objection."))
        raise NotFound()
    if locked.version != version:
        raise Conflict(fields={"version": [_("Reload the page: it is now at version %(v)d.") % {"v": locked.version}]})
    after = Objection.Status.UPHELD if upheld else Objection.Status.REJECTED
    rules.check_objection_transition(locked.status, after)
    text = (reasons or "").strip()
    if not text:
        message = _("Give the reasons for the decision.")
        raise ValidationFailed(message, code="required", fields={"reasons": [message]})
    locked.status = after
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.reasons = text[:4000]
    locked.version += 1
    locked.save()
    if upheld:
        withdraw_fact(actor=actor, fact=fact, reason=text)
        for ban in Ban.objects.filter(fact=fact).select_related("restriction"):
            if ban.restriction.lifted_at is None and ban.restriction.ends_at > timezone.now():
                restrictions.lift_restriction(actor=actor, restriction=ban.restriction, reason=text)
    record_event(
        actor=actor,
        action="credit.objection.decided",
        obj=locked,
        organisation=fact.provider,
        changes={"status": (Objection.Status.PENDING, after)},
        data={"fact": fact.pk, "name": fact.provider.name_zh, "status": after, "reasons": text},
    )
    return locked

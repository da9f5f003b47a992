"""A provider's state: verified by its registration authority; suspended for a period, reinstated early."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.errors import Conflict, PermissionRefused, ValidationFailed
from govbuy.core.publication import announce
from govbuy.organizations.models import Organisation
from govbuy.providers import rules
from govbuy.providers.models import (
    Condition,
    DossierSection,
    IdentityChange,
    ProviderProfile,
    Restriction,
)
from govbuy.providers.services import restrictions
from govbuy.providers.services.common import check_version, lock_profile, scope_of
from govbuy.providers.services.dossiers import missing_evidence

# --- Provider state -------------------------------------------------------------------------------


def _state_change(actor: Any, locked: ProviderProfile, after: str, action: str, **data: Any) -> ProviderProfile:
    rules.check_provider_transition(locked.state, after)
    before = locked.state
    locked.state = after
    locked.version += 1
    locked.save()
    record_event(
        actor=actor,
        action=action,
        obj=locked,
        organisation=locked.organisation,
        changes={"state": (before, after)},
        data={"name": locked.organisation.name_zh, **data},
    )
    # The public directory and search list verified providers only.
    stage = "listed" if after == ProviderProfile.State.VERIFIED else "delisted"
    announce(stage, obj_type=ProviderProfile._meta.label_lower, obj_id=locked.pk, occurred_at=timezone.now())
    return locked


@transaction.atomic
def verify_provider(*, actor: Any, profile: ProviderProfile | int, version: int) -> ProviderProfile:
    """Every section accepted and no evidence expired: the provider becomes verified."""
    scope = scope_of(actor)
    locked = lock_profile(scope, profile)
    if not rules.is_authority_for(scope, authority_kind=locked.authority_kind, region_id=locked.organisation.region_id):
        raise PermissionRefused(_("Only the registration authority for this kind of provider verifies it."))
    check_version(locked, version)
    sections = list(DossierSection.objects.select_for_update().filter(profile=locked).order_by("pk"))
    open_sections = [s for s in sections if s.status != DossierSection.Status.ACCEPTED or missing_evidence(s)]
    if open_sections:
        labels = ", ".join(str(Condition(s.condition).label) for s in open_sections)
        raise ValidationFailed(
            _("Every section must be accepted, with current evidence, first. Still open: %(labels)s.")
            % {"labels": labels},
            code="dossier_incomplete",
        )
    locked.verified_at = timezone.now()
    locked.verified_by = actor
    locked.identity_changed_at = None
    return _state_change(actor, locked, ProviderProfile.State.VERIFIED, "providers.provider.verified")


@transaction.atomic
def suspend_provider(
    *, actor: Any, profile: ProviderProfile | int, version: int, reason: str, until: dt.date | None
) -> ProviderProfile:
    """The registration authority suspends a provider until a given day (at most a year): a
    restriction with a period, which ends by itself (nothing is suspended for ever by accident)."""
    scope = scope_of(actor)
    locked = lock_profile(scope, profile)
    check_version(locked, version)
    if until is None:
        message = _("Give the last day of the suspension.")
        raise ValidationFailed(message, code="required", fields={"until": [message]})
    if not (reason or "").strip():
        raise ValidationFailed(_("Give the reason for the suspension."), fields={"reason": [_("Required.")]})
    authority = None
    for membership in scope.memberships:
        if membership.kind == locked.authority_kind and membership.writes:
            authority = Organisation.objects.filter(pk=membership.organisation_id).first()
            break
    restrictions.impose_restriction(
        actor=actor,
        organisation_id=locked.organisation_id,
        kind=Restriction.Kind.SUSPENSION,
        starts_at=timezone.now(),
        ends_at=rules.restriction_end(until),
        legal_basis=str(_("registration authority's supervision (seed §四.二)")),
        reason=reason,
        authority=authority,
        reach=Restriction.Reach.PLATFORM,
    )
    locked.refresh_from_db()
    return locked


@transaction.atomic
def reinstate_provider(
    *, actor: Any, profile: ProviderProfile | int, version: int, reason: str = ""
) -> ProviderProfile:
    """Lift the provider's suspensions in force before their end (bans are lifted in credit)."""
    scope = scope_of(actor)
    locked = lock_profile(scope, profile)
    check_version(locked, version)
    now = timezone.now()
    current = list(
        Restriction.objects.filter(
            profile=locked, kind=Restriction.Kind.SUSPENSION, lifted_at__isnull=True, ends_at__gt=now
        ).order_by("pk")
    )
    if not current:
        raise Conflict(_("This provider has no suspension in force."))
    text = (reason or "").strip() or str(_("reinstated by the registration authority"))
    for restriction in current:
        restrictions.lift_restriction(actor=actor, restriction=restriction, reason=text)
    locked.refresh_from_db()
    return locked


# --- Identity changes: back to verification ---------------------------------------------------------


def record_identity_change(*, actor: Any, locked: ProviderProfile, changes: dict[str, tuple[Any, Any]]) -> None:
    """Keep the change in the provider's history and, unless the provider's own registration
    authority made it, send a verified provider back to verification. Called in the transaction
    of the change, with the profile locked."""
    from govbuy.organizations.scope import scope_for

    scope = None if actor is None else scope_for(actor)
    region_id = locked.organisation.region_id
    back = rules.identity_change_needs_reverification(scope, authority_kind=locked.authority_kind, region_id=region_id)
    now = timezone.now()
    before = locked.state
    visible = {
        name: ["…", "…"] if name == "legal_representative_key" else [str(a), str(b)] for name, (a, b) in changes.items()
    }
    if back:
        locked.identity_changed_at = now
    if back and before == ProviderProfile.State.VERIFIED:
        _state_change(
            actor,
            locked,
            ProviderProfile.State.REGISTERED,
            "providers.provider.reverification_required",
            fields=", ".join(sorted(changes)),
        )
    elif back:
        locked.version += 1
        locked.save()
    IdentityChange.objects.create(
        profile=locked,
        changed_at=now,
        changed_by=actor if getattr(actor, "pk", None) else None,
        changes=visible,
        state_before=before,
        state_after=locked.state,
    )


def organisation_identity_changed(*, actor: Any, organisation: Any, changes: dict[str, tuple[Any, Any]]) -> None:
    """The listener organizations calls when an organisation's identity fields change."""
    locked = ProviderProfile.objects.select_for_update().filter(organisation_id=organisation.pk).first()
    if locked is None:
        return
    locked.organisation = organisation
    record_identity_change(actor=actor, locked=locked, changes=changes)

"""A provider's state: verified by its registration authority, suspended with a reason, reinstated."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.errors import PermissionRefused, ValidationFailed
from govbuy.core.publication import announce
from govbuy.providers import rules
from govbuy.providers.models import (
    Condition,
    DossierSection,
    ProviderProfile,
)
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
    return _state_change(actor, locked, ProviderProfile.State.VERIFIED, "providers.provider.verified")


@transaction.atomic
def suspend_provider(*, actor: Any, profile: ProviderProfile | int, version: int, reason: str) -> ProviderProfile:
    """Called by the registration authority, or by the credit system (actor None) for a ban."""
    scope = scope_of(actor)
    locked = lock_profile(scope, profile)
    if not (
        scope.is_platform_admin
        or rules.is_authority_for(scope, authority_kind=locked.authority_kind, region_id=locked.organisation.region_id)
    ):
        raise PermissionRefused(_("Only the registration authority or the credit system suspends a provider."))
    check_version(locked, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for the suspension."), fields={"reason": [_("Required.")]})
    locked.suspended_at = timezone.now()
    locked.suspension_reason = reason[:500]
    return _state_change(actor, locked, ProviderProfile.State.SUSPENDED, "providers.provider.suspended", reason=reason)


@transaction.atomic
def reinstate_provider(
    *, actor: Any, profile: ProviderProfile | int, version: int, reason: str = ""
) -> ProviderProfile:
    scope = scope_of(actor)
    locked = lock_profile(scope, profile)
    if not (
        scope.is_platform_admin
        or rules.is_authority_for(scope, authority_kind=locked.authority_kind, region_id=locked.organisation.region_id)
    ):
        raise PermissionRefused(_("Only the registration authority or the credit system reinstates a provider."))
    check_version(locked, version)
    locked.suspended_at = None
    locked.suspension_reason = ""
    return _state_change(
        actor, locked, ProviderProfile.State.VERIFIED, "providers.provider.reinstated", reason=(reason or "").strip()
    )

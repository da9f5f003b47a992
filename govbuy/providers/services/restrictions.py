"""Bans and suspensions as restrictions with a period (issue 14). The credit system imposes and
lifts bans through these functions; the registration authority suspends through
standing.suspend_provider. The profile row is locked first, as every gate that reads the
restriction locks it (selectors.participation(lock=True)), so a ban and a bid queue in one order:
a bid committed after the ban has seen it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core import pagecache
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import Scope
from govbuy.providers import rules
from govbuy.providers.models import ProviderProfile, Restriction
from govbuy.providers.services.common import scope_of


def _may_restrict(scope: Scope, kind: str, profile: ProviderProfile) -> bool:
    if scope.is_platform_admin:
        return True
    if kind == Restriction.Kind.BAN:
        # Bans are decided by a finance bureau (Law Art. 77, Reg. Art. 72–73); the credit app
        # checks which one before calling here.
        return scope.is_finance(write=True)
    return rules.is_authority_for(
        scope, authority_kind=profile.authority_kind, region_id=profile.organisation.region_id
    )


def lock_provider(organisation_id: int) -> ProviderProfile:
    locked = (
        ProviderProfile.objects.select_for_update(of=("self",))
        .select_related("organisation__region")
        .filter(organisation_id=organisation_id)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


@transaction.atomic
def impose_restriction(
    *,
    actor: Any,
    organisation_id: int,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    legal_basis: str,
    reason: str,
    authority: Organisation | None,
    reach: str = Restriction.Reach.NATIONWIDE,
    source: str = "",
) -> Restriction:
    locked = lock_provider(organisation_id)
    scope = scope_of(actor)
    if not _may_restrict(scope, kind, locked):
        raise PermissionRefused(_("Only the deciding authority bans or suspends a provider."))
    basis = (legal_basis or "").strip()
    text = (reason or "").strip()
    missing = {
        name: [_("This field is required.")] for name, value in (("legal_basis", basis), ("reason", text)) if not value
    }
    if missing:
        raise ValidationFailed(_("Give the legal basis and the reason."), code="required", fields=missing)
    rules.check_restriction_period(kind, starts_at, ends_at)
    restriction = Restriction.objects.create(
        profile=locked,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        legal_basis=basis[:300],
        reason=text[:2000],
        authority=authority,
        authority_name=authority.name_zh if authority else str(_("platform administration")),
        reach=reach,
        source=source,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    # The profile's version moves so an edit page read before the restriction is refused.
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    record_event(
        actor=actor,
        action=f"providers.restriction.{kind}_imposed",
        obj=restriction,
        organisation=locked.organisation,
        data={
            "name": locked.organisation.name_zh,
            "starts": timezone.localtime(starts_at).date().isoformat(),
            "ends": rules.restriction_last_day(ends_at).isoformat(),
            "basis": basis,
            "reason": text,
        },
    )
    return restriction


@transaction.atomic
def lift_restriction(*, actor: Any, restriction: Restriction | int, reason: str) -> Restriction:
    """End a restriction early (an objection or a court decided against it); kept as a record."""
    pk = restriction.pk if isinstance(restriction, Restriction) else int(restriction)
    profile_id = Restriction.objects.filter(pk=pk).values_list("profile__organisation_id", flat=True).first()
    if profile_id is None:
        raise NotFound()
    locked = lock_provider(profile_id)
    target = Restriction.objects.select_for_update().get(pk=pk)
    scope = scope_of(actor)
    if not _may_restrict(scope, target.kind, locked):
        raise PermissionRefused(_("Only the deciding authority lifts a ban or suspension."))
    text = (reason or "").strip()
    if not text:
        message = _("Give the reason for lifting it.")
        raise ValidationFailed(message, code="required", fields={"reason": [message]})
    now = timezone.now()
    if target.lifted_at is not None or target.ends_at <= now:
        raise Conflict(_("This ban or suspension is no longer in force."))
    target.lifted_at = max(now, target.starts_at)
    target.lifted_by = actor if getattr(actor, "pk", None) else None
    target.lift_reason = text[:1000]
    target.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "updated_at"])
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    record_event(
        actor=actor,
        action=f"providers.restriction.{target.kind}_lifted",
        obj=target,
        organisation=locked.organisation,
        data={"name": locked.organisation.name_zh, "reason": text},
    )
    # A lifted ban changes the public serious-violation list (a cached page).
    pagecache.bump()
    return target

"""What the provider registry's services share: the acting scope, profile and section locks."""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import Conflict, NotFound, ValidationFailed
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import SYSTEM_SCOPE, Scope, scope_for
from govbuy.providers import rules
from govbuy.providers.models import (
    DossierSection,
    ProviderProfile,
)


def scope_of(actor: Any) -> Scope:
    return SYSTEM_SCOPE if actor is None else scope_for(actor)


def today() -> dt.date:
    return timezone.localdate()


def require_fields(values: dict[str, str]) -> None:
    missing = {name: [_("This field is required.")] for name, value in values.items() if not (value or "").strip()}
    if missing:
        raise ValidationFailed(_("Some required fields are empty."), code="required", fields=missing)


def check_version(obj: Any, version: int) -> None:
    if obj.version != version:
        raise Conflict(fields={"version": [_("Reload the page: it is now at version %(v)d.") % {"v": obj.version}]})


# --- Locks and visibility ----------------------------------------------------------------------------


def lock_profile(scope: Scope, profile: ProviderProfile | int) -> ProviderProfile:
    pk = profile.pk if isinstance(profile, ProviderProfile) else profile
    locked = ProviderProfile.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound()
    locked.organisation = Organisation.objects.select_related("region").get(pk=locked.organisation_id)
    if not rules.may_read_dossier(
        scope,
        organisation_id=locked.organisation_id,
        authority_kind=locked.authority_kind,
        region_id=locked.organisation.region_id,
    ):
        raise NotFound()
    return locked


def lock_section(scope: Scope, section: DossierSection | int) -> DossierSection:
    pk = section.pk if isinstance(section, DossierSection) else section
    profile_id = DossierSection.objects.filter(pk=pk).values_list("profile_id", flat=True).first()
    if profile_id is None:
        raise NotFound()
    # The profile row is locked first, always, so section edits and verification queue in one order.
    profile = lock_profile(scope, profile_id)
    locked = DossierSection.objects.select_for_update().get(pk=pk)
    locked.profile = profile
    return locked


def is_system(scope: Scope) -> bool:
    """The system itself (demo data, set-up scripts): never a request."""
    return scope is SYSTEM_SCOPE

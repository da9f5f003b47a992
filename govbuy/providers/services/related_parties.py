"""Writes for a provider's service areas (catalog items it offers) and its related parties
(Reg. Art. 18: same legal representative or a control relation). Same conventions as services.py."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.organizations.models import Organisation
from govbuy.providers import rules
from govbuy.providers.models import ProviderProfile, RelatedParty, ServiceArea
from govbuy.providers.services.common import is_system, lock_profile, scope_of

# --- Service areas -------------------------------------------------------------------------------------


@transaction.atomic
def add_service_area(*, actor: Any, profile: ProviderProfile | int, item: Any) -> ServiceArea:
    """A provider names a catalog item it offers; only items of a published catalog qualify."""
    from govbuy.catalog.models import CatalogItem, CatalogVersion

    scope = scope_of(actor)
    locked = lock_profile(scope, profile)
    if not (is_system(scope) or rules.may_edit_dossier(scope, locked.organisation_id)):
        raise PermissionRefused(_("Only the provider's own staff change its service areas."))
    item_pk = item.pk if isinstance(item, CatalogItem) else item
    found = CatalogItem.objects.select_related("version").filter(pk=item_pk).first()
    if found is None or found.version.status != CatalogVersion.Status.PUBLISHED:
        message = _("Choose an item of a published catalog.")
        raise ValidationFailed(message, code="catalog_item", fields={"item": [message]})
    if ServiceArea.objects.filter(profile=locked, item_code=found.code).exists():
        message = _("This service area is already listed.")
        raise ValidationFailed(message, code="service_area_exists", fields={"item": [message]})
    area = ServiceArea.objects.create(profile=locked, item=found, item_code=found.code, added_by=actor)
    record_event(
        actor=actor,
        action="providers.service_area.added",
        obj=area,
        organisation=locked.organisation,
        changes={"service_areas": (None, found.code)},
        data={"name": locked.organisation.name_zh, "item": f"{found.code} {found.name_zh}"},
    )
    return area


@transaction.atomic
def remove_service_area(*, actor: Any, area: ServiceArea | int) -> None:
    scope = scope_of(actor)
    pk = area.pk if isinstance(area, ServiceArea) else area
    profile_id = ServiceArea.objects.filter(pk=pk).values_list("profile_id", flat=True).first()
    if profile_id is None:
        raise NotFound()
    locked = lock_profile(scope, profile_id)
    if not rules.may_edit_dossier(scope, locked.organisation_id):
        raise PermissionRefused(_("Only the provider's own staff change its service areas."))
    row = ServiceArea.objects.select_for_update().select_related("item").get(pk=pk)
    code, name = row.item_code, row.item.name_zh
    row.delete()
    record_event(
        actor=actor,
        action="providers.service_area.removed",
        obj=locked,
        organisation=locked.organisation,
        changes={"service_areas": (code, None)},
        data={"name": locked.organisation.name_zh, "item": f"{code} {name}"},
    )


# --- Related parties ---------------------------------------------------------------------------------


@transaction.atomic
def record_control_relation(
    *, actor: Any, profile: ProviderProfile | int, other: Organisation | int, note: str
) -> RelatedParty:
    scope = scope_of(actor)
    locked = lock_profile(scope, profile)
    if not rules.may_record_relation(
        scope,
        organisation_id=locked.organisation_id,
        authority_kind=locked.authority_kind,
        region_id=locked.organisation.region_id,
    ):
        raise PermissionRefused(_("Only the provider's administrator or its registration authority records this."))
    other_id = other.pk if isinstance(other, Organisation) else other
    if not ProviderProfile.objects.filter(organisation_id=other_id).exists():
        raise ValidationFailed(fields={"other": [_("Choose a registered provider.")]})
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(fields={"note": [_("Describe the control relation.")]})
    first, second = rules.ordered_pair(locked.organisation_id, other_id)
    basis = RelatedParty.Basis.CONTROL
    if RelatedParty.objects.filter(first_id=first, second_id=second, basis=basis, ended_at__isnull=True).exists():
        raise Conflict(_("This control relation is already recorded."), code="relation_exists")
    link = RelatedParty.objects.create(
        first_id=first, second_id=second, basis=basis, note=note[:500], recorded_by=actor
    )
    record_event(
        actor=actor,
        action="providers.related_party.linked",
        obj=link,
        organisation=locked.organisation,
        changes={"basis": (None, basis)},
        data={"first": first, "second": second, "basis": str(basis), "note": note},
    )
    return link


@transaction.atomic
def end_relation(*, actor: Any, relation: RelatedParty | int, reason: str) -> RelatedParty:
    """Only the registration authority of one of the two ends a relation, with the reason."""
    scope = scope_of(actor)
    pk = relation.pk if isinstance(relation, RelatedParty) else relation
    link = RelatedParty.objects.select_for_update().filter(pk=pk, ended_at__isnull=True).first()
    if link is None:
        raise NotFound()
    profiles = ProviderProfile.objects.filter(organisation_id__in=[link.first_id, link.second_id]).select_related(
        "organisation"
    )
    if not any(
        rules.is_authority_for(scope, authority_kind=p.authority_kind, region_id=p.organisation.region_id)
        for p in profiles
    ):
        if any(
            rules.may_read_dossier(
                scope,
                organisation_id=p.organisation_id,
                authority_kind=p.authority_kind,
                region_id=p.organisation.region_id,
            )
            for p in profiles
        ):
            raise PermissionRefused(_("Only a registration authority ends a related-party link."))
        raise NotFound()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Give the reason.")]})
    link.ended_at = timezone.now()
    link.save(update_fields=["ended_at", "updated_at"])
    record_event(
        actor=actor,
        action="providers.related_party.ended",
        obj=link,
        changes={"ended_at": (None, link.ended_at.isoformat())},
        data={"first": link.first_id, "second": link.second_id, "basis": link.basis, "reason": reason},
    )
    return link

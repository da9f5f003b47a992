"""Self-registration of providers (organisation, first user, profile) and profile edits; providers
with the same legal representative are linked as related parties (Reg. Art. 18)."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from govbuy.accounts import services as account_services
from govbuy.audit.services import record_event
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.organizations import rules as org_rules
from govbuy.organizations import services as org_services
from govbuy.organizations.kinds import Family
from govbuy.organizations.models import Membership, Organisation, Region
from govbuy.providers import rules
from govbuy.providers.models import (
    Condition,
    DossierSection,
    ProviderProfile,
    RelatedParty,
)
from govbuy.providers.services.common import check_version, lock_profile, require_fields, scope_of, today

# --- Registration ----------------------------------------------------------------------------------


@transaction.atomic
def register_provider(
    *,
    name_zh: str,
    name_en: str = "",
    kind: str,
    region: Region,
    uscc: str,
    registration_authority: str,
    legal_representative: str,
    legal_representative_id: str,
    registered_address: str,
    registration_date: dt.date | None,
    contact_name: str,
    contact_phone: str,
    contact_email: str = "",
    username: str,
    password: str,
    display_name: str = "",
) -> ProviderProfile:
    """Self-registration: the organisation, its first user (its administrator), the profile and
    an empty dossier. Art. 8 kinds and non-provider kinds are refused with the reason."""
    family = org_rules.check_kind_allowed(kind)
    if family is not Family.PROVIDER or kind == "individual":
        message = _("Only organisations that may provide services register here (Order 102 Art. 6).")
        raise ValidationFailed(message, code="not_a_provider_kind", fields={"kind": [message]})
    require_fields(
        {
            "name_zh": name_zh,
            "uscc": uscc,
            "registration_authority": registration_authority,
            "legal_representative": legal_representative,
            "legal_representative_id": legal_representative_id,
            "registered_address": registered_address,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "username": username,
        }
    )
    rules.check_registration_date(registration_date, today())
    assert registration_date is not None
    identity = rules.normalise_identity(legal_representative_id)
    organisation = org_services.register_organisation(
        actor=None, name_zh=name_zh, name_en=name_en, kind=kind, region=region, uscc=uscc
    )
    user = account_services.create_user(
        actor=None, username=username, password=password, display_name=display_name or contact_name, email=contact_email
    )
    org_services.add_member(actor=None, organisation=organisation, user=user, role=Membership.Role.ADMIN)
    return _create_profile(
        actor=user,
        organisation=organisation,
        identity=identity,
        registration_authority=registration_authority,
        legal_representative=legal_representative,
        registered_address=registered_address,
        registration_date=registration_date,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )


@transaction.atomic
def open_profile(
    *,
    actor: Any,
    organisation: Organisation | int,
    registration_authority: str,
    legal_representative: str,
    legal_representative_id: str,
    registered_address: str,
    registration_date: dt.date | None,
    contact_name: str,
    contact_phone: str,
    contact_email: str = "",
) -> ProviderProfile:
    """A provider organisation registered before (by a platform administrator) gets its profile
    and an empty dossier: by its own administrator, or by the system."""
    scope = scope_of(actor)
    pk = organisation.pk if isinstance(organisation, Organisation) else organisation
    org = Organisation.objects.select_for_update().select_related("region").filter(pk=pk).first()
    if org is None or not (scope.is_platform_admin or rules.is_provider_member(scope, org.pk)):
        raise NotFound()
    if not (scope.is_platform_admin or rules.may_sign_declaration(scope, org.pk)):
        raise PermissionRefused(_("Only the provider's administrator opens its profile."))
    if org_rules.family_of(org.kind) is not Family.PROVIDER:
        raise ValidationFailed(_("Only providers have an eligibility dossier."), code="not_a_provider_kind")
    if ProviderProfile.objects.filter(organisation=org).exists():
        raise Conflict(_("This provider already has its profile."), code="profile_exists")
    require_fields(
        {
            "registration_authority": registration_authority,
            "legal_representative": legal_representative,
            "legal_representative_id": legal_representative_id,
            "registered_address": registered_address,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
        }
    )
    rules.check_registration_date(registration_date, today())
    assert registration_date is not None
    return _create_profile(
        actor=actor,
        organisation=org,
        identity=rules.normalise_identity(legal_representative_id),
        registration_authority=registration_authority,
        legal_representative=legal_representative,
        registered_address=registered_address,
        registration_date=registration_date,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )


def _create_profile(
    *,
    actor: Any,
    organisation: Organisation,
    identity: str,
    registration_authority: str,
    legal_representative: str,
    registered_address: str,
    registration_date: dt.date,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
) -> ProviderProfile:
    profile = ProviderProfile.objects.create(
        organisation=organisation,
        authority_kind=org_rules.verifier_kind_for(organisation.kind),
        registration_authority=registration_authority.strip(),
        legal_representative=legal_representative.strip(),
        legal_representative_key=rules.identity_key(identity),
        registered_address=registered_address.strip(),
        registration_date=registration_date,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        contact_email=(contact_email or "").strip(),
    )
    DossierSection.objects.bulk_create(DossierSection(profile=profile, condition=c) for c in Condition.values)
    record_event(
        actor=actor,
        action="providers.provider.registered",
        obj=profile,
        organisation=organisation,
        changes={"state": (None, profile.state)},
        data={"name": organisation.name_zh, "uscc": organisation.uscc or "", "kind": organisation.kind},
    )
    _link_same_representative(profile, actor=actor)
    return profile


def _link_same_representative(profile: ProviderProfile, *, actor: Any) -> None:
    others = (
        ProviderProfile.objects.filter(legal_representative_key=profile.legal_representative_key)
        .exclude(pk=profile.pk)
        .values_list("organisation_id", flat=True)
    )
    for other_id in others:
        first, second = rules.ordered_pair(profile.organisation_id, other_id)
        basis = RelatedParty.Basis.SAME_LEGAL_REPRESENTATIVE
        if RelatedParty.objects.filter(first_id=first, second_id=second, basis=basis, ended_at__isnull=True).exists():
            continue
        link = RelatedParty.objects.create(first_id=first, second_id=second, basis=basis, recorded_by=actor)
        record_event(
            actor=actor,
            action="providers.related_party.linked",
            obj=link,
            organisation=profile.organisation,
            changes={"basis": (None, basis)},
            data={"first": first, "second": second, "basis": str(basis)},
        )


@transaction.atomic
def update_profile(*, actor: Any, profile: ProviderProfile | int, version: int, **fields: Any) -> ProviderProfile:
    """Address, contact and legal representative, by the provider's administrator."""
    allowed = {
        "registered_address",
        "contact_name",
        "contact_phone",
        "contact_email",
        "legal_representative",
        "legal_representative_id",
        "registration_authority",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    scope = scope_of(actor)
    locked = lock_profile(scope, profile)
    if not (scope.is_platform_admin or rules.may_sign_declaration(scope, locked.organisation_id)):
        raise PermissionRefused(_("Only the provider's administrator changes its registration facts."))
    check_version(locked, version)
    changes: dict[str, tuple[Any, Any]] = {}
    identity = fields.pop("legal_representative_id", None)
    for name, value in fields.items():
        value = (value or "").strip()
        if name != "contact_email" and not value:
            raise ValidationFailed(fields={name: [_("This field is required.")]})
        if getattr(locked, name) != value:
            changes[name] = (getattr(locked, name), value)
            setattr(locked, name, value)
    if identity:
        key = rules.identity_key(rules.normalise_identity(identity))
        if key != locked.legal_representative_key:
            changes["legal_representative_key"] = ("…", "…")
            locked.legal_representative_key = key
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    record_event(
        actor=actor,
        action="providers.provider.updated",
        obj=locked,
        organisation=locked.organisation,
        changes=dict(changes),
        data={"name": locked.organisation.name_zh, "fields": ", ".join(sorted(changes))},
    )
    if "legal_representative_key" in changes:
        _link_same_representative(locked, actor=actor)
    identity = {name: pair for name, pair in changes.items() if name in rules.IDENTITY_FIELDS}
    if identity:
        from govbuy.providers.services.standing import record_identity_change

        record_identity_change(actor=actor, locked=locked, changes=identity)
    return locked

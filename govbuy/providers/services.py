"""Every write of the provider registry: one function per transition.

Each locks what it changes, checks rules.py, changes the rows and writes the audit event in the
same transaction. `actor=None` is the system (demo data, the credit system's jobs).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govbuy.accounts import services as account_services
from govbuy.audit.services import record_event
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.core.mail import send_each
from govbuy.core.publication import announce
from govbuy.core.storage import document_path, save_once
from govbuy.core.uploads import inspect_upload
from govbuy.organizations import rules as org_rules
from govbuy.organizations import services as org_services
from govbuy.organizations.models import Membership, Organisation, Region
from govbuy.organizations.scope import Scope, scope_for
from govbuy.providers import rules
from govbuy.providers.models import (
    Condition,
    DossierDocument,
    DossierSection,
    ExpiryNotice,
    ProviderProfile,
    RelatedParty,
    SectionDecision,
    StaffEntry,
)


def _scope(actor: Any) -> Scope:
    return org_services.SYSTEM_SCOPE if actor is None else scope_for(actor)


def today() -> dt.date:
    return timezone.localdate()


def _required(values: dict[str, str]) -> None:
    missing = {name: [_("This field is required.")] for name, value in values.items() if not (value or "").strip()}
    if missing:
        raise ValidationFailed(_("Some required fields are empty."), code="required", fields=missing)


def _check_version(obj: Any, version: int) -> None:
    if obj.version != version:
        raise Conflict(fields={"version": [_("Reload the page: it is now at version %(v)d.") % {"v": obj.version}]})


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
    if family is not org_rules.Family.PROVIDER or kind == "individual":
        message = _("Only organisations that may provide services register here (Order 102 Art. 6).")
        raise ValidationFailed(message, code="not_a_provider_kind", fields={"kind": [message]})
    _required(
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
    scope = _scope(actor)
    pk = organisation.pk if isinstance(organisation, Organisation) else organisation
    org = Organisation.objects.select_for_update().select_related("region").filter(pk=pk).first()
    if org is None or not (scope.is_platform_admin or rules.is_provider_member(scope, org.pk)):
        raise NotFound()
    if not (scope.is_platform_admin or rules.may_sign_declaration(scope, org.pk)):
        raise PermissionRefused(_("Only the provider's administrator opens its profile."))
    if org_rules.family_of(org.kind) is not org_rules.Family.PROVIDER:
        raise ValidationFailed(_("Only providers have an eligibility dossier."), code="not_a_provider_kind")
    if ProviderProfile.objects.filter(organisation=org).exists():
        raise Conflict(_("This provider already has its profile."), code="profile_exists")
    _required(
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
    scope = _scope(actor)
    locked = _lock_profile(scope, profile)
    if not (scope.is_platform_admin or rules.may_sign_declaration(scope, locked.organisation_id)):
        raise PermissionRefused(_("Only the provider's administrator changes its registration facts."))
    _check_version(locked, version)
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
    return locked


# --- Locks and visibility ----------------------------------------------------------------------------


def _lock_profile(scope: Scope, profile: ProviderProfile | int) -> ProviderProfile:
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


def _lock_section(scope: Scope, section: DossierSection | int) -> DossierSection:
    pk = section.pk if isinstance(section, DossierSection) else section
    profile_id = DossierSection.objects.filter(pk=pk).values_list("profile_id", flat=True).first()
    if profile_id is None:
        raise NotFound()
    # The profile row is locked first, always, so section edits and verification queue in one order.
    profile = _lock_profile(scope, profile_id)
    locked = DossierSection.objects.select_for_update().get(pk=pk)
    locked.profile = profile
    return locked


def _is_system(scope: Scope) -> bool:
    """The system itself (demo data, set-up scripts): never a request."""
    return scope is org_services.SYSTEM_SCOPE


def _editable_section(actor: Any, section: DossierSection | int, version: int) -> DossierSection:
    scope = _scope(actor)
    locked = _lock_section(scope, section)
    if not (_is_system(scope) or rules.may_edit_dossier(scope, locked.profile.organisation_id)):
        raise PermissionRefused(_("Only the provider's own staff change its dossier."))
    _check_version(locked, version)
    return locked


def _reopen(section: DossierSection) -> tuple[str, str] | None:
    """A change to submitted or decided evidence sends the section back to be prepared again."""
    if section.status == DossierSection.Status.DRAFT:
        return None
    before = section.status
    rules.check_section_transition(before, DossierSection.Status.DRAFT)
    section.status = DossierSection.Status.DRAFT
    return (before, section.status)


def _saved(section: DossierSection, actor: Any, action: str, changes: dict[str, Any], **data: Any) -> DossierSection:
    reopened = _reopen(section)
    if reopened:
        changes["status"] = reopened
    section.version += 1
    section.save()
    record_event(
        actor=actor,
        action=action,
        obj=section,
        organisation=section.profile.organisation,
        changes=changes,
        data={"name": section.profile.organisation.name_zh, "condition": section.condition, **data},
    )
    return section


# --- Dossier ---------------------------------------------------------------------------------------


@transaction.atomic
def update_statement(*, actor: Any, section: DossierSection | int, version: int, statement: str) -> DossierSection:
    locked = _editable_section(actor, section, version)
    statement = (statement or "").strip()
    if len(statement) > 5000:
        raise ValidationFailed(fields={"statement": [_("At most 5000 characters.")]})
    if statement == locked.statement:
        return locked
    before = locked.statement
    locked.statement = statement
    return _saved(locked, actor, "providers.section.statement_changed", {"statement": (before, statement)})


def add_document(
    *,
    actor: Any,
    section: DossierSection | int,
    version: int,
    title: str,
    file_name: str,
    data: bytes,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> DossierDocument:
    """Check the file (type by extension and content, size), store it write-once, record its hash."""
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(fields={"title": [_("Give the document a title.")]})
    rules.check_validity(valid_from, valid_until)
    inspected = inspect_upload(
        name=file_name, data=data, allowed=rules.UPLOAD_KINDS, max_bytes=settings.GOVBUY_UPLOAD_MAX_BYTES
    )
    # Stored before the transaction: the name is the hash, so a rolled-back upload leaves at most
    # an unreferenced copy of bytes that were checked, never a half-written or overwritten file.
    path = document_path(prefix="providers", upload=inspected)
    save_once(path=path, data=data, sha256=inspected.sha256)
    with transaction.atomic():
        locked = _editable_section(actor, section, version)
        document = DossierDocument.objects.create(
            section=locked,
            title=title[:200],
            display_name=inspected.display_name,
            path=path,
            sha256=inspected.sha256,
            size=inspected.size,
            kind=inspected.kind,
            content_type=inspected.content_type,
            valid_from=valid_from,
            valid_until=valid_until,
            uploaded_by=actor,
        )
        _saved(
            locked,
            actor,
            "providers.document.uploaded",
            {"documents": (None, document.pk)},
            title=title,
            sha256=inspected.sha256,
            valid_until=valid_until.isoformat() if valid_until else "",
        )
    return document


@transaction.atomic
def withdraw_document(*, actor: Any, document: DossierDocument | int, version: int) -> DossierDocument:
    pk = document.pk if isinstance(document, DossierDocument) else document
    section_id = DossierDocument.objects.filter(pk=pk).values_list("section_id", flat=True).first()
    if section_id is None:
        raise NotFound()
    locked = _editable_section(actor, section_id, version)
    doc = DossierDocument.objects.select_for_update().get(pk=pk)
    if doc.withdrawn_at is not None:
        raise Conflict(_("This document is already withdrawn."), code="already_withdrawn")
    doc.withdrawn_at = timezone.now()
    doc.save(update_fields=["withdrawn_at", "updated_at"])
    _saved(locked, actor, "providers.document.withdrawn", {"documents": (doc.pk, None)}, title=doc.title)
    return doc


@transaction.atomic
def add_staff(
    *,
    actor: Any,
    section: DossierSection | int,
    version: int,
    name: str,
    position: str,
    qualification: str,
    certificate_number: str = "",
    qualification_valid_until: dt.date | None = None,
) -> StaffEntry:
    locked = _editable_section(actor, section, version)
    if locked.condition != Condition.CAPACITY:
        raise ValidationFailed(_("The staff list belongs to the section on facilities, staff and expertise."))
    _required({"name": name, "position": position, "qualification": qualification})
    entry = StaffEntry.objects.create(
        section=locked,
        name=name.strip(),
        position=position.strip(),
        qualification=qualification.strip(),
        certificate_number=(certificate_number or "").strip(),
        qualification_valid_until=qualification_valid_until,
    )
    _saved(locked, actor, "providers.staff.added", {"staff": (None, entry.name)}, person=entry.name)
    return entry


@transaction.atomic
def remove_staff(*, actor: Any, entry: StaffEntry | int, version: int) -> None:
    pk = entry.pk if isinstance(entry, StaffEntry) else entry
    section_id = StaffEntry.objects.filter(pk=pk).values_list("section_id", flat=True).first()
    if section_id is None:
        raise NotFound()
    locked = _editable_section(actor, section_id, version)
    row = StaffEntry.objects.select_for_update().get(pk=pk)
    name = row.name
    row.delete()
    _saved(locked, actor, "providers.staff.removed", {"staff": (name, None)}, person=name)


@transaction.atomic
def sign_declaration(*, actor: Any, section: DossierSection | int, version: int) -> DossierSection:
    scope = _scope(actor)
    locked = _editable_section(actor, section, version)
    if locked.condition != Condition.NO_MAJOR_VIOLATION:
        raise ValidationFailed(_("Only the section on major violations takes the declaration."))
    if not (_is_system(scope) or rules.may_sign_declaration(scope, locked.profile.organisation_id)):
        raise PermissionRefused(_("Only the provider's administrator signs the declaration."))
    text = str(rules.DECLARATION_TEXT)
    before = locked.declaration_signed_at.isoformat() if locked.declaration_signed_at else None
    locked.declaration_text = text
    locked.declaration_signed_by = actor
    locked.declaration_signed_at = timezone.now()
    return _saved(
        locked,
        actor,
        "providers.declaration.signed",
        {"declaration_signed_at": (before, locked.declaration_signed_at.isoformat())},
        text=text,
    )


def _missing(section: DossierSection) -> list[str]:
    validity = list(
        DossierDocument.objects.filter(section=section, withdrawn_at__isnull=True).values_list("valid_until", flat=True)
    )
    return rules.section_missing(
        section.condition,
        statement=section.statement,
        document_validity=validity,
        staff_count=StaffEntry.objects.filter(section=section).count(),
        declaration_signed=section.declaration_signed_at is not None,
        today=today(),
    )


def _missing_error(missing: list[str]) -> ValidationFailed:
    items = ", ".join(str(rules.MISSING_LABELS[m]) for m in missing)
    message = _("This section still needs: %(items)s.") % {"items": items}
    return ValidationFailed(message, code="section_incomplete", fields={"missing": list(missing)})


@transaction.atomic
def submit_section(*, actor: Any, section: DossierSection | int, version: int) -> DossierSection:
    locked = _editable_section(actor, section, version)
    rules.check_section_transition(locked.status, DossierSection.Status.SUBMITTED)
    missing = _missing(locked)
    if missing:
        raise _missing_error(missing)
    before = locked.status
    locked.status = DossierSection.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.version += 1
    locked.save()
    record_event(
        actor=actor,
        action="providers.section.submitted",
        obj=locked,
        organisation=locked.profile.organisation,
        changes={"status": (before, locked.status)},
        data={"name": locked.profile.organisation.name_zh, "condition": locked.condition},
    )
    return locked


@transaction.atomic
def decide_section(
    *, actor: Any, section: DossierSection | int, version: int, decision: str, reason: str = ""
) -> DossierSection:
    """The registration authority accepts or rejects one section (a rejection says why)."""
    scope = _scope(actor)
    locked = _lock_section(scope, section)
    profile = locked.profile
    if not rules.is_authority_for(
        scope, authority_kind=profile.authority_kind, region_id=profile.organisation.region_id
    ):
        raise PermissionRefused(_("Only the registration authority for this kind of provider decides."))
    _check_version(locked, version)
    if decision not in (DossierSection.Status.ACCEPTED, DossierSection.Status.REJECTED):
        raise ValidationFailed(fields={"decision": [_("Choose accept or reject.")]})
    rules.check_section_transition(locked.status, decision)
    reason = (reason or "").strip()
    if decision == DossierSection.Status.REJECTED and not reason:
        raise ValidationFailed(_("Give the reason for the rejection."), fields={"reason": [_("Required.")]})
    if decision == DossierSection.Status.ACCEPTED:
        missing = _missing(locked)
        if missing:
            raise _missing_error(missing)
    now = timezone.now()
    before = locked.status
    locked.status = decision
    locked.decided_at = now
    locked.decided_by = actor
    locked.decision_reason = reason[:1000]
    locked.version += 1
    locked.save()
    SectionDecision.objects.create(
        section=locked, decision=decision, reason=reason[:1000], decided_by=actor, decided_at=now
    )
    record_event(
        actor=actor,
        action=f"providers.section.{decision}",
        obj=locked,
        organisation=profile.organisation,
        changes={"status": (before, decision)},
        data={"name": profile.organisation.name_zh, "condition": locked.condition, "reason": reason},
    )
    return locked


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
    scope = _scope(actor)
    locked = _lock_profile(scope, profile)
    if not rules.is_authority_for(scope, authority_kind=locked.authority_kind, region_id=locked.organisation.region_id):
        raise PermissionRefused(_("Only the registration authority for this kind of provider verifies it."))
    _check_version(locked, version)
    sections = list(DossierSection.objects.select_for_update().filter(profile=locked).order_by("pk"))
    open_sections = [s for s in sections if s.status != DossierSection.Status.ACCEPTED or _missing(s)]
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
    scope = _scope(actor)
    locked = _lock_profile(scope, profile)
    if not (
        scope.is_platform_admin
        or rules.is_authority_for(scope, authority_kind=locked.authority_kind, region_id=locked.organisation.region_id)
    ):
        raise PermissionRefused(_("Only the registration authority or the credit system suspends a provider."))
    _check_version(locked, version)
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
    scope = _scope(actor)
    locked = _lock_profile(scope, profile)
    if not (
        scope.is_platform_admin
        or rules.is_authority_for(scope, authority_kind=locked.authority_kind, region_id=locked.organisation.region_id)
    ):
        raise PermissionRefused(_("Only the registration authority or the credit system reinstates a provider."))
    _check_version(locked, version)
    locked.suspended_at = None
    locked.suspension_reason = ""
    return _state_change(
        actor, locked, ProviderProfile.State.VERIFIED, "providers.provider.reinstated", reason=(reason or "").strip()
    )


# --- Expiry job ------------------------------------------------------------------------------------------


def send_expiry_notices(*, on: dt.date | None = None) -> int:
    """Tell providers about documents that expired or expire soon; once per document and kind.
    Only notifications: whether a document counts is decided when it is read."""
    day = on or today()
    warn_days = int(getattr(settings, "GOVBUY_DOCUMENT_EXPIRY_WARNING_DAYS", 30))
    candidates = (
        DossierDocument.objects.filter(withdrawn_at__isnull=True, valid_until__isnull=False)
        .filter(valid_until__lte=day + dt.timedelta(days=warn_days))
        .select_related("section__profile__organisation")
        .order_by("pk")
    )
    sent = 0
    for document in candidates:
        kind = ExpiryNotice.Kind.EXPIRED if rules.is_expired(document.valid_until, day) else ExpiryNotice.Kind.EXPIRING
        with transaction.atomic():
            if ExpiryNotice.objects.select_for_update().filter(document=document, kind=kind).exists():
                continue
            ExpiryNotice.objects.create(document=document, kind=kind, sent_at=timezone.now())
            profile = document.section.profile
            record_event(
                actor=None,
                action=f"providers.document.{kind}",
                obj=document,
                organisation=profile.organisation,
                data={
                    "name": profile.organisation.name_zh,
                    "title": document.title,
                    "valid_until": document.valid_until.isoformat() if document.valid_until else "",
                },
            )
            if profile.contact_email:
                transaction.on_commit(_mail_expiry(profile.contact_email, document.title, document.valid_until, kind))
            sent += 1
    return sent


def _mail_expiry(address: str, title: str, until: dt.date | None, kind: str) -> Any:
    def send() -> None:
        subject = (
            gettext("A document in your eligibility dossier has expired")
            if kind == ExpiryNotice.Kind.EXPIRED
            else gettext("A document in your eligibility dossier expires soon")
        )
        body = gettext("“%(title)s” is valid until %(until)s. Upload a renewed document in govbuy.") % {
            "title": title,
            "until": until.isoformat() if until else "",
        }
        send_each([address], subject, body)

    return send

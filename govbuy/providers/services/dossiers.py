"""The eligibility dossier (seed §三.三): statements, documents, staff, the declaration; submission
of a section and the registration authority's decision on it."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.core.storage import document_path, save_once
from govbuy.core.uploads import inspect_upload
from govbuy.providers import rules
from govbuy.providers.models import (
    Condition,
    DossierDocument,
    DossierSection,
    SectionDecision,
    StaffEntry,
)
from govbuy.providers.services.common import check_version, is_system, lock_section, require_fields, scope_of, today


def _editable_section(actor: Any, section: DossierSection | int, version: int) -> DossierSection:
    scope = scope_of(actor)
    locked = lock_section(scope, section)
    if not (is_system(scope) or rules.may_edit_dossier(scope, locked.profile.organisation_id)):
        raise PermissionRefused(_("Only the provider's own staff change its dossier."))
    check_version(locked, version)
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
    require_fields({"name": name, "position": position, "qualification": qualification})
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
    scope = scope_of(actor)
    locked = _editable_section(actor, section, version)
    if locked.condition != Condition.NO_MAJOR_VIOLATION:
        raise ValidationFailed(_("Only the section on major violations takes the declaration."))
    if not (is_system(scope) or rules.may_sign_declaration(scope, locked.profile.organisation_id)):
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


def missing_evidence(section: DossierSection) -> list[str]:
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
    missing = missing_evidence(locked)
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
    scope = scope_of(actor)
    locked = lock_section(scope, section)
    profile = locked.profile
    if not rules.is_authority_for(
        scope, authority_kind=profile.authority_kind, region_id=profile.organisation.region_id
    ):
        raise PermissionRefused(_("Only the registration authority for this kind of provider decides."))
    check_version(locked, version)
    if decision not in (DossierSection.Status.ACCEPTED, DossierSection.Status.REJECTED):
        raise ValidationFailed(fields={"decision": [_("Choose accept or reject.")]})
    rules.check_section_transition(locked.status, decision)
    reason = (reason or "").strip()
    if decision == DossierSection.Status.REJECTED and not reason:
        raise ValidationFailed(_("Give the reason for the rejection."), fields={"reason": [_("Required.")]})
    if decision == DossierSection.Status.ACCEPTED:
        missing = missing_evidence(locked)
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

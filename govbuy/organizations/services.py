"""Every write to regions, organisations and memberships: one function per transition.

Each service locks what it changes, checks the decision in rules.py, changes the row and writes
its audit event in the same transaction. `actor=None` is the system itself (management commands
and demo data, never a request): it may do what a platform administrator may.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import diff, record_event
from govbuy.core import pagecache
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.organizations import rules, uscc
from govbuy.organizations.identity import IDENTITY_FIELDS, identity_changed
from govbuy.organizations.models import Membership, Organisation, Region
from govbuy.organizations.scope import SYSTEM_SCOPE, Scope, forget_scope, scope_for


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


def _scope(actor: Any) -> Scope:
    return SYSTEM_SCOPE if actor is None else scope_for(actor)


_AUDITED_FIELDS = ("name_zh", "name_en", "kind", "region_id", "uscc", "status", "uscc_warnings")


def _snapshot(org: Organisation) -> dict[str, Any]:
    return {name: getattr(org, name) for name in _AUDITED_FIELDS}


def _refuse() -> PermissionRefused:
    return PermissionRefused(_("You are not allowed to change this organisation."))


def _check_version(org: Organisation, version: int) -> None:
    if org.version != version:
        raise Conflict(
            fields={"version": [_("Reload the organisation: it is now at version %(v)d.") % {"v": org.version}]}
        )


def _lock_visible(scope: Scope, organisation: Organisation | int) -> Organisation:
    pk = organisation.pk if isinstance(organisation, Organisation) else organisation
    org = Organisation.objects.select_for_update().select_related("region").filter(pk=pk).first()
    if org is None or not scope.sees_organisation(org):
        raise NotFound()
    return org


def _duplicate_uscc(code: str) -> ValidationFailed:
    message = _("An organisation with the unified social credit code %(code)s is already registered.") % {"code": code}
    return ValidationFailed(message, code="uscc_duplicate", fields={"uscc": [message]})


def _validated_uscc(kind: str, raw: str | None) -> tuple[str | None, list[str]]:
    """The normalised code (None for individuals) and the warning codes to store."""
    code = uscc.normalise(raw or "")
    rules.check_uscc_presence(kind, bool(code))
    if not code:
        return None, []
    info = uscc.parse(code)
    warning_codes, _messages = uscc.warnings_for(info, kind)
    return info.code, warning_codes


# --- Regions ---------------------------------------------------------------------------------


def create_region(
    *, actor: Any, code: str, name_zh: str, name_en: str = "", level: str, parent: Region | None = None
) -> Region:
    """Platform admins set up the city once, then its districts. A district's parent is always the
    city; `parent`, when given, must be it."""
    if not _scope(actor).is_platform_admin:
        raise PermissionRefused(_("Only a platform administrator may add regions."))
    code = (code or "").strip()
    name_zh = (name_zh or "").strip()
    if not name_zh:
        message: Any = _("Enter the Chinese name.")
        raise ValidationFailed(message, fields={"name_zh": [message]})
    try:
        with transaction.atomic():
            city = Region.objects.select_for_update().filter(level=Region.Level.CITY).first()
            rules.check_region(code=code, level=level, city_code=city.code if city else None)
            if parent is not None and (level != Region.Level.DISTRICT or city is None or parent.pk != city.pk):
                message = _("A district's parent is the city; a city has no parent.")
                raise ValidationFailed(message, code="region_parent", fields={"parent": [message]})
            if Region.objects.filter(code=code).exists():
                message = _("A region with the code %(code)s already exists.") % {"code": code}
                raise ValidationFailed(message, code="region_duplicate", fields={"code": [message]})
            region = Region.objects.create(
                code=code,
                name_zh=name_zh,
                name_en=(name_en or "").strip(),
                level=level,
                parent=city if level == Region.Level.DISTRICT else None,
            )
            record_event(
                actor=actor,
                action="organizations.region.created",
                obj=region,
                region_id=region.pk,
                changes={"code": (None, code), "name_zh": (None, name_zh), "level": (None, level)},
                data={"name": name_zh, "code": code},
            )
    except IntegrityError as exc:
        # Another request created the same code or a second city between our check and insert.
        message = _("A region with the code %(code)s (or the city) already exists.") % {"code": code}
        raise ValidationFailed(message, code="region_duplicate", fields={"code": [message]}) from exc
    return region


# --- Organisations ---------------------------------------------------------------------------


def register_organisation(
    *,
    actor: Any,
    name_zh: str,
    name_en: str = "",
    kind: str,
    region: Region,
    uscc: str | None = None,
) -> Organisation:
    """Register a purchaser, provider or oversight body. Art. 8 kinds are refused with the reason,
    the code is normalised and validated, and doubts about it are kept for the verifier."""
    scope = _scope(actor)
    rules.check_kind_allowed(kind)
    if not rules.may_register(scope, kind=kind, region_id=region.pk, region_level=region.level):
        raise PermissionRefused(_("You may not register an organisation of this kind in this region."))
    name_zh = (name_zh or "").strip()
    if not name_zh:
        message = _("Enter the Chinese name.")
        raise ValidationFailed(message, fields={"name_zh": [message]})
    code, warning_codes = _validated_uscc(kind, uscc)
    if code is not None and Organisation.objects.filter(uscc=code).exists():
        raise _duplicate_uscc(code)
    try:
        with transaction.atomic():
            org = Organisation.objects.create(
                name_zh=name_zh,
                name_en=(name_en or "").strip(),
                kind=kind,
                region=region,
                uscc=code,
                uscc_warnings=warning_codes,
                uscc_review_pending=bool(warning_codes),
            )
            record_event(
                actor=actor,
                action="organizations.organisation.registered",
                obj=org,
                organisation=org,
                changes={k: [None, v] for k, v in _snapshot(org).items()},
                data={"name": org.name_zh, "kind": kind, "uscc": code or ""},
            )
    except IntegrityError as exc:
        # The unique index is the last word when two registrations of one code race.
        if code is not None and Organisation.objects.filter(uscc=code).exists():
            raise _duplicate_uscc(code) from exc
        raise
    return org


@transaction.atomic
def update_organisation(
    *,
    actor: Any,
    organisation: Organisation | int,
    version: int,
    name_zh: Any = UNCHANGED,
    name_en: Any = UNCHANGED,
    kind: Any = UNCHANGED,
    region: Any = UNCHANGED,
    uscc: Any = UNCHANGED,
) -> Organisation:
    """Edit names and code (the organisation's admin or its manager), kind and region (only its
    manager). `version` is the one the editor read; a stale one is a 409 and changes nothing."""
    scope = _scope(actor)
    org = _lock_visible(scope, organisation)
    if not rules.may_edit(
        scope, organisation_id=org.pk, kind=org.kind, region_id=org.region_id, region_level=org.region.level
    ):
        raise _refuse()
    _check_version(org, version)
    before = _snapshot(org)
    new_kind = org.kind if kind is UNCHANGED else kind
    new_region: Region = org.region if region is UNCHANGED else region
    if new_kind != org.kind or new_region.pk != org.region_id:
        rules.check_kind_allowed(new_kind)
        manages_now = rules.may_manage(scope, kind=org.kind, region_id=org.region_id, region_level=org.region.level)
        manages_after = rules.may_manage(scope, kind=new_kind, region_id=new_region.pk, region_level=new_region.level)
        if not (manages_now and manages_after):
            raise PermissionRefused(_("You may not move this organisation to that kind or region."))
    if name_zh is not UNCHANGED:
        org.name_zh = (name_zh or "").strip()
        if not org.name_zh:
            message = _("Enter the Chinese name.")
            raise ValidationFailed(message, fields={"name_zh": [message]})
    if name_en is not UNCHANGED:
        org.name_en = (name_en or "").strip()
    org.kind = new_kind
    org.region = new_region
    if uscc is not UNCHANGED or new_kind != before["kind"]:
        code, warning_codes = _validated_uscc(new_kind, org.uscc if uscc is UNCHANGED else uscc)
        if code is not None and code != before["uscc"] and Organisation.objects.filter(uscc=code).exists():
            raise _duplicate_uscc(code)
        org.uscc = code
        if code != before["uscc"] or warning_codes != before["uscc_warnings"]:
            org.uscc_warnings = warning_codes
            org.uscc_review_pending = bool(warning_codes)
            org.uscc_reviewed_at = None
            org.uscc_reviewed_by = None
    changes: dict[str, Any] = diff(before, _snapshot(org))
    if not changes:
        return org
    org.version += 1
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:
        if org.uscc is not None:
            raise _duplicate_uscc(org.uscc) from exc
        raise
    record_event(
        actor=actor,
        action="organizations.organisation.updated",
        obj=org,
        organisation=org,
        changes=dict(changes),
        data={"name": org.name_zh, "fields": ", ".join(sorted(changes))},
    )
    identity = {name: pair for name, pair in changes.items() if name in IDENTITY_FIELDS}
    if identity:
        identity_changed(actor=actor, organisation=org, changes=identity)
    pagecache.bump()  # organisations are named on the public notices and project pages
    return org


def _change_status(
    *, actor: Any, organisation: Organisation | int, version: int, status: str, reason: str
) -> Organisation:
    scope = _scope(actor)
    org = _lock_visible(scope, organisation)
    if not rules.may_manage(scope, kind=org.kind, region_id=org.region_id, region_level=org.region.level):
        raise _refuse()
    _check_version(org, version)
    rules.check_status_transition(org.status, status)
    before = org.status
    org.status = status
    org.version += 1
    org.save(update_fields=["status", "version", "updated_at"])
    verb = "deactivated" if status == Organisation.Status.INACTIVE else "reactivated"
    record_event(
        actor=actor,
        action=f"organizations.organisation.{verb}",
        obj=org,
        organisation=org,
        changes={"status": (before, status)},
        data={"name": org.name_zh, "reason": reason},
    )
    return org


@transaction.atomic
def deactivate_organisation(*, actor: Any, organisation: Organisation | int, version: int, reason: str) -> Organisation:
    """Members of an inactive organisation lose its scope; its history stays."""
    reason = (reason or "").strip()
    if not reason:
        message = _("Give the reason for deactivating this organisation.")
        raise ValidationFailed(message, fields={"reason": [message]})
    return _change_status(
        actor=actor, organisation=organisation, version=version, status=Organisation.Status.INACTIVE, reason=reason
    )


@transaction.atomic
def reactivate_organisation(*, actor: Any, organisation: Organisation | int, version: int) -> Organisation:
    return _change_status(
        actor=actor, organisation=organisation, version=version, status=Organisation.Status.ACTIVE, reason=""
    )


@transaction.atomic
def review_uscc_warnings(*, actor: Any, organisation: Organisation | int, version: int, note: str = "") -> Organisation:
    """The registration authority has looked at the doubts about the code; they stay on record."""
    scope = _scope(actor)
    org = _lock_visible(scope, organisation)
    if not rules.may_review_uscc(scope, kind=org.kind, region_id=org.region_id):
        raise PermissionRefused(_("Only the registration authority for this kind reviews its code."))
    _check_version(org, version)
    if not org.uscc_review_pending:
        raise Conflict(_("Nothing about this code awaits review."), code="nothing_to_review")
    org.uscc_review_pending = False
    org.uscc_reviewed_at = timezone.now()
    org.uscc_reviewed_by = actor
    org.version += 1
    org.save(update_fields=["uscc_review_pending", "uscc_reviewed_at", "uscc_reviewed_by", "version", "updated_at"])
    record_event(
        actor=actor,
        action="organizations.organisation.uscc_reviewed",
        obj=org,
        organisation=org,
        changes={"uscc_review_pending": (True, False)},
        data={"name": org.name_zh, "uscc": org.uscc or "", "warnings": list(org.uscc_warnings), "note": note.strip()},
    )
    return org


# --- Memberships -----------------------------------------------------------------------------


def _lock_for_members(scope: Scope, organisation: Organisation | int) -> Organisation:
    # The organisation row is the lock for its memberships, so two demotions cannot both pass
    # the last-administrator check.
    org = _lock_visible(scope, organisation)
    if not rules.may_manage_members(
        scope, organisation_id=org.pk, kind=org.kind, region_id=org.region_id, region_level=org.region.level
    ):
        raise PermissionRefused(_("You may not manage the members of this organisation."))
    return org


def _check_role(role: str) -> None:
    if role not in Membership.Role.values:
        message = _("Choose one of the roles.")
        raise ValidationFailed(message, code="invalid_role", fields={"role": [message]})


def _other_admins(org: Organisation, membership_id: int) -> int:
    return (
        Membership.objects.filter(organisation=org, role=Membership.Role.ADMIN, is_active=True)
        .exclude(pk=membership_id)
        .count()
    )


def _resolve_user(user: Any) -> Any:
    if isinstance(user, str):
        found = get_user_model().objects.filter(username=user.strip(), is_active=True).first()
        if found is None:
            message = _("No active user has this user name.")
            raise ValidationFailed(message, code="unknown_user", fields={"username": [message]})
        return found
    return user


def _forget(actor: Any, user: Any) -> None:
    forget_scope(user)
    if actor is not None and getattr(actor, "pk", None) == getattr(user, "pk", None):
        forget_scope(actor)


@transaction.atomic
def add_member(*, actor: Any, organisation: Organisation | int, user: Any, role: str) -> Membership:
    """Give a user a role in the organisation (a user may hold roles in several)."""
    scope = _scope(actor)
    org = _lock_for_members(scope, organisation)
    _check_role(role)
    user = _resolve_user(user)
    membership = Membership.objects.select_for_update().filter(organisation=org, user=user).first()
    if membership is not None and membership.is_active:
        message = _("%(user)s is already a member of this organisation.") % {"user": user}
        raise ValidationFailed(message, code="already_member", fields={"username": [message]})
    if membership is None:
        membership = Membership.objects.create(organisation=org, user=user, role=role)
    else:
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active", "updated_at"])
    record_event(
        actor=actor,
        action="organizations.membership.added",
        obj=membership,
        organisation=org,
        changes={"role": (None, role), "is_active": (False, True)},
        data={"name": org.name_zh, "username": user.username, "role": role},
    )
    _forget(actor, user)
    return membership


def _lock_membership(scope: Scope, membership: Membership | int) -> tuple[Organisation, Membership]:
    pk = membership.pk if isinstance(membership, Membership) else membership
    org_id = Membership.objects.filter(pk=pk).values_list("organisation_id", flat=True).first()
    if org_id is None:
        raise NotFound()
    org = _lock_for_members(scope, org_id)
    locked = Membership.objects.select_for_update().select_related("user").get(pk=pk)
    if not locked.is_active:
        raise NotFound()
    return org, locked


@transaction.atomic
def change_member_role(*, actor: Any, membership: Membership | int, role: str) -> Membership:
    scope = _scope(actor)
    org, locked = _lock_membership(scope, membership)
    _check_role(role)
    before = locked.role
    if before == role:
        return locked
    if before == Membership.Role.ADMIN:
        rules.check_last_admin(
            remaining_admins=_other_admins(org, locked.pk), actor_is_platform_admin=scope.is_platform_admin
        )
    locked.role = role
    locked.save(update_fields=["role", "updated_at"])
    record_event(
        actor=actor,
        action="organizations.membership.role_changed",
        obj=locked,
        organisation=org,
        changes={"role": (before, role)},
        data={"name": org.name_zh, "username": locked.user.username, "role": role, "before": before},
    )
    _forget(actor, locked.user)
    return locked


@transaction.atomic
def remove_member(*, actor: Any, membership: Membership | int) -> Membership:
    """The membership is ended, not deleted, so who held which role stays on record."""
    scope = _scope(actor)
    org, locked = _lock_membership(scope, membership)
    if locked.role == Membership.Role.ADMIN:
        rules.check_last_admin(
            remaining_admins=_other_admins(org, locked.pk), actor_is_platform_admin=scope.is_platform_admin
        )
    locked.is_active = False
    locked.save(update_fields=["is_active", "updated_at"])
    record_event(
        actor=actor,
        action="organizations.membership.removed",
        obj=locked,
        organisation=org,
        changes={"is_active": (True, False)},
        data={"name": org.name_zh, "username": locked.user.username, "role": locked.role},
    )
    _forget(actor, locked.user)
    return locked


@transaction.atomic
def update_contacts(
    *,
    actor: Any,
    organisation: Organisation | int,
    version: int,
    address: str,
    postcode: str,
    contact_person: str,
    phone: str,
    email: str,
) -> Organisation:
    """The address and contacts the public notices print: kept by the organisation's own
    administrator (or whoever manages it). `version` is the one the editor read."""
    scope = _scope(actor)
    org = _lock_visible(scope, organisation)
    if not rules.may_edit(
        scope, organisation_id=org.pk, kind=org.kind, region_id=org.region_id, region_level=org.region.level
    ):
        raise _refuse()
    _check_version(org, version)
    given = {
        "address": address,
        "postcode": postcode,
        "contact_person": contact_person,
        "phone": phone,
        "email": email,
    }
    values = {name: " ".join(str(value or "").split()) for name, value in given.items()}
    values["postcode"] = values["postcode"].replace(" ", "")
    values["email"] = values["email"].replace(" ", "")
    errors = rules.contact_errors(postcode=values["postcode"], phone=values["phone"], email=values["email"])
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    before = {name: getattr(org, name) for name in rules.CONTACT_FIELDS}
    changes = diff(before, values)
    if not changes:
        return org
    for name, value in values.items():
        setattr(org, name, value)
    org.version += 1
    org.save(update_fields=[*rules.CONTACT_FIELDS, "version", "updated_at"])
    record_event(
        actor=actor,
        action="organizations.organisation.contacts_updated",
        obj=org,
        organisation=org,
        changes=dict(changes),
        data={"name": org.name_zh, "fields": ", ".join(sorted(changes))},
    )
    pagecache.bump()  # the notices print these contacts
    return org

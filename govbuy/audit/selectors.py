"""Reading the audit trail, scoped to the oversight roles that may read it.

Who may read: supervision commissions, audit offices and finance bureaus, and platform admins.
A city-level body (and a platform admin) reads every event; a district-level body reads the
events of its district and of its own organisation. Everyone else gets a 404.

The audit app sits below `organizations` in the layer contract, so it reaches the scope function
through the AUDIT_SCOPE_FUNCTION setting rather than importing it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from govbuy.audit.models import AuditCheckpoint, AuditEvent, AuditSeal, VerifyRun
from govbuy.core.errors import NotFound

# Organisation kinds whose members read the audit trail (design/rules: oversight of the chain).
AUDIT_READER_KINDS = frozenset({"finance_bureau", "supervision", "audit_office"})
CITY_LEVEL = "city"


@dataclass(frozen=True)
class AuditAccess:
    all_events: bool
    region_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()

    def events_q(self) -> Q:
        if self.all_events:
            return Q()
        return Q(region_id__in=sorted(self.region_ids)) | Q(organisation_id__in=sorted(self.organisation_ids))


@dataclass(frozen=True)
class EventFilters:
    action_prefix: str = ""
    object_type: str = ""
    object_id: str = ""
    actor: str = ""
    organisation: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _scope_for(user: Any) -> Any:
    resolve: Callable[[Any], Any] = import_string(settings.AUDIT_SCOPE_FUNCTION)
    return resolve(user)


def audit_access(user: Any) -> AuditAccess | None:
    """What of the audit trail `user` may read, or None when nothing (the pages answer 404)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    scope = _scope_for(user)
    if scope.is_platform_admin:
        return AuditAccess(all_events=True)
    # memberships: (organisation_id, kind, role, region_id, region_level)
    readers = [m for m in scope.memberships if m.kind in AUDIT_READER_KINDS]
    if not readers:
        return None
    if any(m.region_level == CITY_LEVEL for m in readers):
        return AuditAccess(all_events=True)
    return AuditAccess(
        all_events=False,
        region_ids=frozenset(m.region_id for m in readers),
        organisation_ids=frozenset(m.organisation_id for m in readers),
    )


def require_audit_access(user: Any) -> AuditAccess:
    access = audit_access(user)
    if access is None:
        raise NotFound()
    return access


def _local_midnight_utc(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def readable_events(access: AuditAccess) -> QuerySet[AuditEvent]:
    """Events in scope, less the sealed ones: until a tender's opening no reader of the trail, of
    whatever rank (platform admin included), learns who bid on it or how many (Reg. Art. 14)."""
    sealed = AuditSeal.objects.filter(position=OuterRef("position"), lifted_at__isnull=True)
    return AuditEvent.objects.filter(access.events_q()).exclude(Exists(sealed))


def events(access: AuditAccess, filters: EventFilters | None = None) -> QuerySet[AuditEvent]:
    """Events in scope, newest first. Dates are calendar days in Asia/Shanghai, both inclusive."""
    filters = filters or EventFilters()
    qs = readable_events(access)
    if filters.action_prefix:
        qs = qs.filter(action__startswith=filters.action_prefix)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.actor:
        actor = filters.actor
        # A login, a user number, or the person's display name (what the screens show).
        named = Q(actor_id__in=get_user_model().objects.filter(display_name=actor).values("pk"))
        qs = (
            qs.filter(Q(actor_label=actor) | Q(actor_id=int(actor)))
            if actor.isdigit()
            else qs.filter(Q(actor_label=actor) | named)
        )
    if filters.organisation:
        qs = qs.filter(organisation_label__icontains=filters.organisation)
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=_local_midnight_utc(filters.date_from))
    if filters.date_to:
        qs = qs.filter(occurred_at__lt=_local_midnight_utc(filters.date_to + timedelta(days=1)))
    return qs.order_by("-position")


def event_at(access: AuditAccess, position: int) -> AuditEvent:
    event = readable_events(access).filter(position=position).first()
    if event is None:
        raise NotFound()
    return event


def checkpoints(access: AuditAccess) -> QuerySet[AuditCheckpoint]:
    """Checkpoints name only a position and a hash of the whole chain (and are published on the
    portal), so every reader of the trail sees all of them."""
    return AuditCheckpoint.objects.order_by("-position", "-id")


def latest_checkpoint(access: AuditAccess) -> AuditCheckpoint | None:
    return checkpoints(access).first()


def verify_runs(access: AuditAccess) -> QuerySet[VerifyRun]:
    return VerifyRun.objects.order_by("-created_at", "-id")


def latest_verify_run(access: AuditAccess) -> VerifyRun | None:
    return verify_runs(access).first()


def latest_finished_verify_run(access: AuditAccess) -> VerifyRun | None:
    return verify_runs(access).exclude(status__in=VerifyRun.ACTIVE_STATUSES).first()


def verify_run(access: AuditAccess, run_id: int) -> VerifyRun:
    run = verify_runs(access).filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    return run


def actor_names(events: Iterable[AuditEvent]) -> dict[Any, str]:
    """Display names of the people behind a page of events, in one query (sentences name
    people, not logins): keyed by user id for the actors, and by login for the people the
    events' data names by login (`describe.LOGIN_KEYS`, e.g. who proposed an acceptance)."""
    from django.db.models import Q

    from govbuy.audit.describe import LOGIN_KEYS

    events = list(events)
    ids = {event.actor_id for event in events if event.actor_id}
    logins = {
        str(event.data[key])
        for event in events
        if isinstance(event.data, dict)
        for key in LOGIN_KEYS
        if event.data.get(key)
    }
    if not ids and not logins:
        return {}
    names: dict[Any, str] = {}
    rows = get_user_model().objects.filter(Q(pk__in=ids) | Q(username__in=logins))
    for pk, username, display_name in rows.values_list("pk", "username", "display_name"):
        if pk in ids:
            names[pk] = display_name
        if username in logins and display_name:
            names[username] = display_name
    return names

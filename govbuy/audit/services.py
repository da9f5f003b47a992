"""Writing to the audit trail. Every service of every app calls `record_event` inside its own
transaction, so the event commits or rolls back with the change it describes."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from govbuy.audit.chain import event_hash, jsonable
from govbuy.audit.models import AuditEvent, AuditHead
from govbuy.core.middleware import current_client_ip, current_request_id


def _label(obj: Any) -> str:
    return str(obj)[:200] if obj is not None else ""


def record_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    organisation: Any = None,
    region_id: int | None = None,
    changes: dict[str, tuple[Any, Any] | list[Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `actor` is a user or None for the system; `changes` maps a field to
    (before, after); `organisation` is the organisation on whose behalf the actor acted (or the
    organisation the object belongs to)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if organisation is not None and region_id is None:
        region_id = getattr(organisation, "region_id", None)
    fields: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "actor_id": getattr(actor, "pk", None),
        "actor_label": _label(getattr(actor, "username", None) if actor is not None else "system") or "system",
        "organisation_id": getattr(organisation, "pk", None),
        "organisation_label": _label(organisation),
        "region_id": region_id,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id) if object_id not in (None, "") else "",
        "changes": jsonable({k: list(v) for k, v in (changes or {}).items()}),
        "data": jsonable(data or {}),
        "request_id": current_request_id() if current_request_id() != "-" else "",
        "ip": current_client_ip(),
    }
    with transaction.atomic():
        # The head row is the chain's lock: appenders queue on it, so two events can never
        # claim the same position or previous hash (and the UNIQUE constraints back this up).
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        fields["position"] = head.position + 1
        digest = event_hash(head.hash, fields)
        event = AuditEvent.objects.create(prev_hash=head.hash, hash=digest, **fields)
        AuditHead.objects.filter(pk=1).update(position=event.position, hash=digest)
    return event


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose values differ, as (before, after) pairs, for `record_event(changes=...)`."""
    return {k: (before.get(k), after.get(k)) for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}

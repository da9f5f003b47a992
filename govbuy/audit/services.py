"""Writing to the audit trail. Every service of every app calls `record_event` inside its own
transaction, so the event commits or rolls back with the change it describes.

Checkpoints (signed copies of the head hash) and verification runs are written here too.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.chain import CURRENT_SCHEME, LEGACY_BOUNDARY_REASON, checkpoint_signature, event_hash, jsonable
from govbuy.audit.models import AuditCheckpoint, AuditEvent, AuditHead, AuditSeal, VerifyRun
from govbuy.audit.publication import publish_checkpoint
from govbuy.audit.verify import ABANDONED, CheckpointLike, VerifyResult, verify_chain
from govbuy.core.errors import ValidationFailed
from govbuy.core.middleware import current_client_ip, current_request_id

security_log = logging.getLogger("govbuy.security")

ACTION_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
# A queued or running verification that shows no progress for this long is taken to be dead
# (its worker was stopped), so a new request starts a fresh run instead of waiting for it.
VERIFY_STALE_AFTER = timedelta(minutes=10)
REASON_MAX_LENGTH = 100  # AuditCheckpoint.reason


def _label(value: Any) -> str:
    return str(value)[:200] if value is not None else ""


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    if not getattr(actor, "is_authenticated", True):
        return "anonymous"
    return _label(getattr(actor, "username", None) or actor) or "system"


def _client() -> tuple[str, str]:
    request_id = current_request_id()
    return (request_id if request_id != "-" else ""), current_client_ip()


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
    sealed_until: str = "",
) -> AuditEvent:
    """Append one event. `actor` is a user or None for the system; `changes` maps a field to
    (before, after); `organisation` is the organisation on whose behalf the actor acted (or the
    organisation the object belongs to). With `sealed_until`, no reader of the trail sees the
    event until `lift_seal(key=sealed_until)` (a bid until its tender's opening).

    Call it late in the service's transaction: from here until that transaction commits, every
    other writer waits for the chain's head, which keeps the chain from forking.
    """
    if not ACTION_CODE.match(action):
        raise ValueError(f"audit action code must be dotted lowercase (app.object.verb), got {action!r}")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if organisation is not None and region_id is None:
        region_id = getattr(organisation, "region_id", None)
    request_id, ip = _client()
    fields: dict[str, Any] = {
        "actor_id": getattr(actor, "pk", None) if actor is not None else None,
        "actor_label": _actor_label(actor),
        "organisation_id": getattr(organisation, "pk", None),
        "organisation_label": _label(organisation)[:300],
        "region_id": region_id,
        "action": action,
        "object_type": object_type[:100],
        "object_id": str(object_id)[:64] if object_id not in (None, "") else "",
        "changes": jsonable({k: list(v) for k, v in (changes or {}).items()}),
        "data": jsonable(data or {}),
        "request_id": request_id[:64],
        "ip": ip[:64],
    }
    # No savepoint: inside a service's transaction a failed append must fail the whole change,
    # and outside one this still opens a transaction of its own.
    with transaction.atomic(savepoint=False):
        # The head row is the chain's lock: appenders queue on it, so two events can never
        # claim the same position or previous hash (and the UNIQUE constraints back this up).
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        # Taken under the lock so that time never runs backwards along the chain.
        fields["occurred_at"] = timezone.now()
        fields["position"] = head.position + 1
        digest = event_hash(head.hash, fields, scheme=CURRENT_SCHEME)
        event = AuditEvent.objects.create(prev_hash=head.hash, hash=digest, scheme=CURRENT_SCHEME, **fields)
        AuditHead.objects.filter(pk=1).update(position=event.position, hash=digest)
        if sealed_until:
            AuditSeal.objects.create(position=event.position, key=sealed_until[:100])
    return event


def lift_seal(*, key: str) -> int:
    """Show the events sealed under `key` from now on (called in the transaction of the opening
    or the cancellation of a tender). Returns how many were lifted."""
    return AuditSeal.objects.filter(key=key, lifted_at__isnull=True).update(lifted_at=timezone.now())


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose values differ, as (before, after) pairs, for `record_event(changes=...)`."""
    return {k: (before.get(k), after.get(k)) for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


def create_checkpoint(*, actor: Any, reason: str) -> AuditCheckpoint:
    """Sign the current head (position and hash). Run daily by `manage.py audit_checkpoint` and
    by the procurement services at openings and awards; the portal publishes every checkpoint,
    so a chain later cut short or rewritten no longer matches what the public saw."""
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX_LENGTH or reason == LEGACY_BOUNDARY_REASON:
        raise ValidationFailed(
            _("A checkpoint needs a reason of at most 100 characters."),
            fields={"reason": [_("Give a reason of at most 100 characters.")]},
        )
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        created_at = timezone.now()
        checkpoint = AuditCheckpoint.objects.create(
            position=head.position,
            head_hash=head.hash,
            reason=reason,
            created_at=created_at,
            signature=checkpoint_signature(
                key=settings.AUDIT_CHECKPOINT_KEY,
                position=head.position,
                head_hash=head.hash,
                reason=reason,
                created_at=created_at,
            ),
        )
        record_event(
            actor=actor,
            action="audit.checkpoint.created",
            obj=checkpoint,
            data={"position": checkpoint.position, "head_hash": checkpoint.head_hash, "reason": reason},
        )
        _request_id, ip = _client()
        # Copied outside the database once it is committed: the copy is what proves a cut tail
        # or a deleted checkpoint row later (verify_chain reads it back).
        transaction.on_commit(lambda: publish_checkpoint(checkpoint))
        transaction.on_commit(
            lambda: security_log.info(
                "audit.checkpoint.created actor=%s checkpoint=%s position=%s head=%s ip=%s",
                _actor_label(actor),
                checkpoint.pk,
                checkpoint.position,
                checkpoint.head_hash,
                ip or "-",
            )
        )
    return checkpoint


def ensure_checkpoint(*, actor: Any, reason: str, covering: int) -> AuditCheckpoint | None:
    """Make sure a signed checkpoint covers the event at position `covering`: none is made when
    a checkpoint at or after it exists already. Called once a service's transaction has
    committed (a sealed bid), so signing stays out of the service's locks, and a burst of bids
    shares the checkpoints signed after them instead of queueing for one each."""
    if AuditCheckpoint.objects.filter(position__gte=covering).exists():
        return None
    return create_checkpoint(actor=actor, reason=reason)


def _is_stale(run: VerifyRun, now: Any) -> bool:
    last_sign_of_life = run.heartbeat_at or run.started_at or run.created_at
    return bool(now - last_sign_of_life > VERIFY_STALE_AFTER)


def request_verify_run(*, actor: Any) -> VerifyRun:
    """Queue a verification of the whole chain as a background task. While one is queued or
    running, asking again returns that run instead of starting another (a verification reads
    every event, so repeated clicks must not pile them up)."""
    now = timezone.now()
    with transaction.atomic():
        for run in VerifyRun.objects.select_for_update().filter(status__in=VerifyRun.ACTIVE_STATUSES):
            if not _is_stale(run, now):
                return run
            run.status = VerifyRun.Status.FAILED
            run.reason = ABANDONED
            run.finished_at = now
            run.save(update_fields=["status", "reason", "finished_at"])
        head_position = AuditHead.objects.filter(pk=1).values_list("position", flat=True).first() or 0
        run = VerifyRun.objects.create(
            requested_by_id=getattr(actor, "pk", None) if actor is not None else None,
            requested_by_label=_actor_label(actor),
            created_at=now,
            total=head_position,
        )
        _request_id, ip = _client()
        security_log.info(
            "audit.verify.requested actor=%s run=%s events=%s ip=%s",
            _actor_label(actor),
            run.pk,
            head_position,
            ip or "-",
        )
        run_id = run.pk
        transaction.on_commit(lambda: verify_audit_chain.enqueue(run_id))
    return run


def start_verify_run(*, actor: Any) -> VerifyRun:
    """A run that the caller executes itself (the daily command), not through the task queue."""
    head_position = AuditHead.objects.filter(pk=1).values_list("position", flat=True).first() or 0
    return VerifyRun.objects.create(
        requested_by_id=getattr(actor, "pk", None) if actor is not None else None,
        requested_by_label=_actor_label(actor),
        created_at=timezone.now(),
        total=head_position,
    )


def execute_verify_run(*, run_id: int, checkpoint: CheckpointLike | None = None) -> VerifyRun:
    """Run a queued verification, recording progress on the row and the result in the chain.
    Delivered twice, the second delivery finds the run finished (or fresh and running) and
    leaves it alone."""
    now = timezone.now()
    with transaction.atomic():
        run = VerifyRun.objects.select_for_update().get(pk=run_id)
        if not run.is_active or (run.status == VerifyRun.Status.RUNNING and not _is_stale(run, now)):
            return run
        run.status = VerifyRun.Status.RUNNING
        run.started_at = run.heartbeat_at = now
        run.save(update_fields=["status", "started_at", "heartbeat_at"])

    def progress(checked: int) -> None:
        VerifyRun.objects.filter(pk=run_id).update(checked=checked, heartbeat_at=timezone.now())

    try:
        result = verify_chain(checkpoint, progress=progress)
    except Exception:
        VerifyRun.objects.filter(pk=run_id).update(status=VerifyRun.Status.FAILED, finished_at=timezone.now())
        security_log.exception("audit.verify.failed run=%s", run_id)
        raise
    return _finish_run(run_id, result)


def _finish_run(run_id: int, result: VerifyResult) -> VerifyRun:
    with transaction.atomic():
        run = VerifyRun.objects.select_for_update().get(pk=run_id)
        run.status = VerifyRun.Status.INTACT if result.ok else VerifyRun.Status.BROKEN
        run.finished_at = run.heartbeat_at = timezone.now()
        run.checked = result.checked
        run.first_broken_position = result.first_broken_position
        run.reason = result.reason
        run.checkpoint_position = result.checkpoint_position
        run.save()
        actor = (
            get_user_model().objects.filter(pk=run.requested_by_id).first() if run.requested_by_id is not None else None
        )
        record_event(
            actor=actor,
            action="audit.verify.completed",
            obj=run,
            data={
                "ok": result.ok,
                "checked": result.checked,
                "first_broken_position": result.first_broken_position,
                "reason": result.reason,
                "checkpoint_position": result.checkpoint_position,
            },
        )
    log = security_log.info if result.ok else security_log.warning
    log(
        "audit.verify.completed run=%s actor=%s status=%s checked=%s first_broken=%s reason=%s",
        run.pk,
        run.requested_by_label,
        run.status,
        result.checked,
        result.first_broken_position if result.first_broken_position is not None else "-",
        result.reason or "-",
    )
    return run


# The task lives beside the service that queues it and the one it runs: a separate tasks module
# would import this one and be imported by it (import-linter refuses the circle).
@task()
def verify_audit_chain(run_id: int) -> dict[str, Any]:
    """The background task: a primary key in, a summary out."""
    run = execute_verify_run(run_id=run_id)
    return {"run": run.pk, "status": run.status, "checked": run.checked}

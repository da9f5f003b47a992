"""Writes of public feedback: a submission from the portal (no account), and the purchaser's
moderation (publish, reject with a reason, reply). Each in one transaction with its audit event.

The submission's rate limit counts the sender's stored submissions in the window; the count and
the insert happen under one lock per sender (PostgreSQL: an advisory lock on the sender key;
SQLite: BEGIN IMMEDIATE already serialises writers), so parallel requests cannot all slip under it.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core import pagecache
from govbuy.core.errors import Conflict, NotFound
from govbuy.organizations.scope import scope_for
from govbuy.portal import rules
from govbuy.portal import selectors as portal_selectors
from govbuy.portal.models import Feedback, FeedbackStatus


def rate_limit() -> tuple[int, int]:
    """(submissions, window in seconds) per sender, from settings (docs/operations.md)."""
    limit = int(getattr(settings, "GOVBUY_FEEDBACK_RATE_LIMIT", rules.DEFAULT_RATE_LIMIT))
    window = int(getattr(settings, "GOVBUY_FEEDBACK_RATE_WINDOW_SECONDS", rules.DEFAULT_RATE_WINDOW_SECONDS))
    return limit, window


def _serialise_sender(key: str) -> None:
    if connection.vendor != "postgresql":
        return
    number = int.from_bytes(hashlib.sha256(f"govbuy.feedback\x00{key}".encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def submit_feedback(
    *, actor: Any, project: Any, name: Any = "", contact: Any = "", message: Any, client_address: str
) -> Feedback:
    """Store a comment on a public project as pending. `actor` is whoever is signed in (usually
    nobody: the portal needs no account). Bad input and an unknown or non-public project change
    nothing; past the rate limit the answer is RateLimited (429)."""
    submission = rules.clean_submission(name=name, contact=contact, message=message)
    key = rules.client_key(client_address or "unknown", str(settings.SECRET_KEY))
    limit, window = rate_limit()
    with transaction.atomic():
        public = portal_selectors.public_project_or_none(project)
        if public is None:
            raise NotFound(_("There is no public purchase project with this number."), code="project_not_found")
        _serialise_sender(key)
        now = timezone.now()
        counted = Feedback.objects.filter(client_key=key, submitted_at__gt=now - timedelta(seconds=window))
        recent = counted.count()
        oldest = counted.order_by("submitted_at").values_list("submitted_at", flat=True).first() if recent else None
        retry_after = int((oldest + timedelta(seconds=window) - now).total_seconds()) + 1 if oldest else None
        rules.check_rate(recent, limit=limit, window_seconds=window, retry_after=retry_after)
        feedback = Feedback.objects.create(
            project=public,
            purchaser_id=public.purchaser_id,
            name=submission.name,
            contact=submission.contact,
            message=submission.message,
            submitted_at=now,
            client_key=key,
        )
        # The contact stays out of the audit data: the log is read more widely than the queue.
        record_event(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action="portal.feedback.submitted",
            obj=feedback,
            organisation=public.purchaser,
            data={"reference": public.reference, "project": public.pk, "length": len(submission.message)},
        )
    return feedback


def _lock(actor: Any, feedback: Feedback | int, version: Any) -> Feedback:
    pk = feedback.pk if isinstance(feedback, Feedback) else feedback
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    locked = (
        Feedback.objects.select_for_update(of=("self",)).select_related("project", "purchaser").filter(pk=pk).first()
    )
    scope = scope_for(actor)
    # Outside the moderator's purchasers the comment does not exist for them (404, not 403).
    if locked is None or locked.purchaser_id not in rules.moderated_purchasers(scope):
        raise NotFound()
    if version is not None and str(version) != str(locked.version):
        raise Conflict()
    return locked


def _event(actor: Any, action: str, feedback: Feedback, changes: dict[str, Any], **data: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        obj=feedback,
        organisation=feedback.purchaser,
        changes=changes,
        data={"reference": feedback.project.reference, "project": feedback.project_id, **data},
    )


def publish_feedback(*, actor: Any, feedback: Feedback | int, version: Any) -> Feedback:
    with transaction.atomic():
        locked = _lock(actor, feedback, version)
        rules.check_transition(locked.status, FeedbackStatus.PUBLISHED)
        before = locked.status
        locked.status = FeedbackStatus.PUBLISHED
        locked.moderated_by = actor
        locked.moderated_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "moderated_by", "moderated_at", "version", "updated_at"])
        _event(actor, "portal.feedback.published", locked, {"status": (before, locked.status)})
        pagecache.bump()
    return locked


def reject_feedback(*, actor: Any, feedback: Feedback | int, version: Any, reason: Any) -> Feedback:
    text = rules.clean_text(
        reason, field="reason", maximum=rules.MAX_REASON, empty_message=_("Give the reason for rejecting it.")
    )
    with transaction.atomic():
        locked = _lock(actor, feedback, version)
        rules.check_transition(locked.status, FeedbackStatus.REJECTED)
        before = locked.status
        locked.status = FeedbackStatus.REJECTED
        locked.rejection_reason = text
        locked.moderated_by = actor
        locked.moderated_at = timezone.now()
        locked.version += 1
        locked.save(
            update_fields=["status", "rejection_reason", "moderated_by", "moderated_at", "version", "updated_at"]
        )
        _event(actor, "portal.feedback.rejected", locked, {"status": (before, locked.status)}, reason=text)
        pagecache.bump()
    return locked


def reply_to_feedback(*, actor: Any, feedback: Feedback | int, version: Any, reply: Any) -> Feedback:
    """Write (or correct) the purchaser's public reply; it shows with the comment once published."""
    text = rules.clean_text(reply, field="reply", maximum=rules.MAX_REPLY, empty_message=_("Write the reply."))
    with transaction.atomic():
        locked = _lock(actor, feedback, version)
        rules.check_replyable(locked.status)
        before = locked.reply
        locked.reply = text
        locked.replied_by = actor
        locked.replied_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["reply", "replied_by", "replied_at", "version", "updated_at"])
        _event(actor, "portal.feedback.replied", locked, {"reply": (before, text)})
        pagecache.bump()
    return locked

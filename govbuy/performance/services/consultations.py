"""Recipients and the public help decide what to buy (確定購買內容): a draft catalog version
(the finance bureau) or a draft annual plan (a purchaser) opened for comment for a period;
public comments, moderated like project feedback; the published summary of what was received
and what was changed."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.catalog.models import CatalogVersion
from govbuy.core.errors import NotFound, RateLimited, ValidationFailed
from govbuy.organizations.kinds import PURCHASER_KINDS
from govbuy.organizations.models import Organisation, OrganisationKind
from govbuy.organizations.scope import scope_for
from govbuy.performance import rules
from govbuy.performance.models import (
    CommentStatus,
    ConsultationComment,
    ConsultationStatus,
    PublicConsultation,
    Subject,
)
from govbuy.performance.services import common


def _text(value: Any, field: str, maximum: int) -> str:
    text = str(value or "").strip()
    if not text or len(text) > maximum:
        message = _("Write between 1 and %(n)d characters.") % {"n": maximum}
        raise ValidationFailed(message, code="text", fields={field: [message]})
    return text


def open_consultation(
    *,
    actor: Any,
    subject: str,
    title: str,
    description: str,
    opens_at: datetime,
    closes_at: datetime,
    catalog_version: CatalogVersion | int | None = None,
    fiscal_year: int | None = None,
) -> PublicConsultation:
    """A finance bureau opens a draft catalog version; a purchaser its draft annual plan."""
    scope = scope_for(actor)
    kinds = {OrganisationKind.FINANCE_BUREAU} if subject == Subject.CATALOG else set(PURCHASER_KINDS)
    if subject not in Subject.values:
        raise ValidationFailed(_("Choose what is opened for comment."), code="subject")
    owners = scope.written_organisations(frozenset(kinds))
    if not owners:
        raise NotFound()
    if closes_at <= opens_at:
        raise ValidationFailed(_("The period must end after it begins."), code="period")
    owner = Organisation.objects.select_related("region").get(pk=owners[0])
    version = None
    if subject == Subject.CATALOG:
        # Only a draft of the bureau's own region: a published version is no longer a proposal.
        version = CatalogVersion.objects.filter(
            pk=common.as_int(getattr(catalog_version, "pk", catalog_version) or 0),
            region_id=owner.region_id,
            status=CatalogVersion.Status.DRAFT,
        ).first()
        if version is None:
            raise ValidationFailed(_("Choose the draft catalog version."), code="catalog_version")
    elif not fiscal_year:
        raise ValidationFailed(_("Give the fiscal year of the draft plan."), code="fiscal_year")
    with transaction.atomic():
        consultation = PublicConsultation.objects.create(
            subject=subject,
            catalog_version=version,
            fiscal_year=fiscal_year if subject == Subject.ANNUAL_PLAN else None,
            owner=owner,
            region=owner.region,
            title=_text(title, "title", 200),
            description=_text(description, "description", 8000),
            opens_at=opens_at,
            closes_at=closes_at,
            created_by=actor,
        )
        record_event(
            actor=actor,
            action="performance.consultation.opened",
            obj=consultation,
            organisation=owner,
            data={"title": consultation.title, "closes_at": timezone.localtime(closes_at).strftime("%Y-%m-%d %H:%M")},
        )
    return consultation


def client_key(address: str) -> str:
    secret = str(settings.SECRET_KEY).encode()
    return hmac.new(secret, f"govbuy.consultation\x00{address}".encode(), hashlib.sha256).hexdigest()


def submit_comment(
    *, consultation: PublicConsultation | int, message: str, client_address: str, name: str = ""
) -> ConsultationComment:
    """A member of the public comments (no account); stored as pending."""
    text = _text(message, "message", 2000)
    key, now = client_key(client_address or "unknown"), timezone.now()
    with transaction.atomic():
        locked = (
            PublicConsultation.objects.select_for_update()
            .filter(pk=common.as_int(getattr(consultation, "pk", consultation)))
            .first()
        )
        if locked is None:
            raise NotFound()
        rules.check_open_for_comment(
            now=now, opens_at=locked.opens_at, closes_at=locked.closes_at, status=locked.status
        )
        window = ConsultationComment.objects.filter(client_key=key, submitted_at__gt=now - timedelta(hours=1))
        if window.count() >= rules.DEFAULT_COMMENTS_PER_HOUR:
            # Retry-After: until the oldest counted comment leaves the hour.
            oldest = window.order_by("submitted_at").values_list("submitted_at", flat=True).first() or now
            raise RateLimited(
                _("You have sent several comments in the last hour. Please wait and try again."),
                code="comment_rate_limited",
                retry_after=max(1, int((oldest + timedelta(hours=1) - now).total_seconds())),
            )
        comment = ConsultationComment.objects.create(
            consultation=locked, name=str(name or "").strip()[:100], message=text, submitted_at=now, client_key=key
        )
        record_event(
            actor=None,
            action="performance.consultation.commented",
            obj=comment,
            organisation=locked.owner_id,
            data={"title": locked.title},
        )
    return comment


def _owned(actor: Any, consultation_id: int) -> PublicConsultation:
    found = PublicConsultation.objects.select_for_update().filter(pk=consultation_id).first()
    if found is None or not scope_for(actor).writes_for(found.owner_id):
        raise NotFound()
    return found


def moderate_comment(
    *, actor: Any, comment: ConsultationComment | int, version: Any, publish: bool, reason: str = ""
) -> ConsultationComment:
    with transaction.atomic():
        locked = (
            ConsultationComment.objects.select_for_update()
            .filter(pk=common.as_int(getattr(comment, "pk", comment)))
            .first()
        )
        if locked is None:
            raise NotFound()
        consultation = _owned(actor, locked.consultation_id)
        common.check_version(locked, version)
        after = CommentStatus.PUBLISHED if publish else CommentStatus.REJECTED
        rules.check_comment_transition(locked.status, after)
        if not publish:
            locked.rejection_reason = _text(reason, "reason", 2000)
        before, locked.status = locked.status, after
        locked.moderated_by, locked.moderated_at = actor, timezone.now()
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action="performance.consultation.moderated",
            obj=locked,
            organisation=consultation.owner_id,
            changes={"status": (before, after)},
            data={"title": consultation.title, "status": after},
        )
    return locked


def publish_summary(
    *, actor: Any, consultation: PublicConsultation | int, version: Any, received: str, changed: str
) -> PublicConsultation:
    """What was received and what was changed, once the period is over and the comments moderated."""
    with transaction.atomic():
        locked = _owned(actor, common.as_int(getattr(consultation, "pk", consultation)))
        common.check_version(locked, version)
        pending = ConsultationComment.objects.filter(consultation=locked, status=CommentStatus.PENDING).count()
        rules.check_summary_allowed(now=timezone.now(), closes_at=locked.closes_at, pending=pending)
        locked.summary_received = _text(received, "received", 8000)
        locked.summary_changed = str(changed or "").strip()[:8000]
        locked.summary_published_at, locked.summary_by = timezone.now(), actor
        locked.status = ConsultationStatus.SUMMARISED
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action="performance.consultation.summarised",
            obj=locked,
            organisation=locked.owner_id,
            data={"title": locked.title},
        )
    return locked

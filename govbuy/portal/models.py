"""The public portal's own data: moderated public feedback on purchase projects (seed §二.二.3,
§三.六: social supervision, recipients take part). The table keeps its original name from when
the portal lived in the disclosure app (docs/decisions/0006-growth-rule.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import VersionedModel


class FeedbackStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class Feedback(VersionedModel):
    """A member of the public's comment on a public purchase project (the portal's project page).

    Stored as pending; the purchaser publishes it (with an optional reply, published with it) or
    rejects it with a reason. `contact` is for the purchaser only and is never published.
    `client_key` is a keyed hash of the sender's address, kept only to count submissions for the
    rate limit: the address itself is not stored here.
    """

    project = models.ForeignKey(
        "planning.Project", verbose_name=_("purchase project"), on_delete=models.PROTECT, related_name="+"
    )
    # The project's purchaser when the feedback came in: the moderation scope, without a join.
    purchaser = models.ForeignKey(
        "organizations.Organisation", verbose_name=_("purchaser"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    contact = models.CharField(_("contact (not published)"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.PENDING
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    client_key = models.CharField(_("sender key"), max_length=64, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, max_length=2000)
    reply = models.TextField(_("reply"), blank=True, max_length=2000)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("public feedback")
        verbose_name_plural = _("public feedback")
        db_table = "disclosure_feedback"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "published", "rejected"]),
                name="disclosure_feedback_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(moderated_at__isnull=False),
                name="disclosure_feedback_moderated_when_decided",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="disclosure_feedback_rejected_with_reason",
            ),
            models.CheckConstraint(condition=~models.Q(message=""), name="disclosure_feedback_message_not_empty"),
        ]
        indexes = [
            models.Index(fields=["project", "status", "submitted_at"], name="disclosure_feedback_project"),
            models.Index(fields=["purchaser", "status"], name="disclosure_feedback_queue"),
            models.Index(fields=["client_key", "submitted_at"], name="disclosure_feedback_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.pk} · {self.status}"

"""Recipients and the public help decide what to buy (確定購買內容): a draft catalog version or a
draft annual plan opened for comment for a period, comments moderated like project feedback, and
the published summary of what was received and what was changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import VersionedModel


class Subject(models.TextChoices):
    CATALOG = "catalog", _("draft catalog version")
    ANNUAL_PLAN = "annual_plan", _("draft annual plan")


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("open for comment")
    CLOSED = "closed", _("closed, summary to come")
    SUMMARISED = "summarised", _("summary published")


class PublicConsultation(VersionedModel):
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    catalog_version = models.ForeignKey(
        "catalog.CatalogVersion",
        verbose_name=_("catalog version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), null=True, blank=True)
    owner = models.ForeignKey(
        "organizations.Organisation", verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "organizations.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what is proposed"), max_length=8000)
    opens_at = models.DateTimeField(_("open from"))
    closes_at = models.DateTimeField(_("open until"))
    status = models.CharField(
        _("status"), max_length=12, choices=ConsultationStatus.choices, default=ConsultationStatus.OPEN
    )
    summary_received = models.TextField(_("what was received"), max_length=8000, blank=True)
    summary_changed = models.TextField(_("what was changed"), max_length=8000, blank=True)
    summary_published_at = models.DateTimeField(_("summary published at"), null=True, blank=True)
    summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("public consultation")
        verbose_name_plural = _("public consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="performance_consultation_period"
            ),
            models.CheckConstraint(
                condition=(Q(subject="catalog") & Q(catalog_version__isnull=False))
                | (Q(subject="annual_plan") & Q(fiscal_year__isnull=False)),
                name="performance_consultation_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status="summarised") | (Q(summary_published_at__isnull=False) & ~Q(summary_received="")),
                name="performance_consultation_summary",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class ConsultationComment(VersionedModel):
    """A public comment; stored pending, published or rejected with a reason by the owner (like the
    portal's project feedback). `client_key` is a keyed hash of the sender's address, for the rate
    limit only."""

    consultation = models.ForeignKey(
        PublicConsultation, verbose_name=_("consultation"), on_delete=models.PROTECT, related_name="comments"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    submitted_at = models.DateTimeField(_("submitted at"))
    client_key = models.CharField(max_length=64, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        constraints = [
            models.CheckConstraint(condition=~Q(message=""), name="performance_comment_not_empty"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(moderated_at__isnull=False), name="performance_comment_moderated"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="performance_comment_rejected_reason"
            ),
        ]
        indexes = [models.Index(fields=["client_key", "submitted_at"], name="performance_comment_sender")]

    def __str__(self) -> str:
        return f"{self.consultation_id} · {self.pk}"

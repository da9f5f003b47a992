"""A monitoring case, its questions to the purchaser and the documents of the answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govbuy.organizations.models import Organisation, Region


class CaseStatus(models.TextChoices):
    ACTIVE = "active", _("under monitoring")
    NO_VIOLATION = "no_violation", _("concluded: no violation")
    VIOLATION = "violation", _("concluded: violation, remedy due")
    REMEDY_REPORTED = "remedy_reported", _("remedy reported")
    CLOSED = "closed", _("closed")


class CaseReason(models.TextChoices):
    RISK_FLAG = "risk_flag", _("risk flag")
    COMPLAINT = "complaint", _("complaint")
    PUBLIC_FEEDBACK = "public_feedback", _("public feedback")
    PLAN = "plan", _("the body's own monitoring plan")


class MonitoringCase(models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    body = models.ForeignKey(Organisation, verbose_name=_("oversight body"), on_delete=models.PROTECT, related_name="+")
    purchaser = models.ForeignKey(Organisation, verbose_name=_("purchaser"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "planning.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="monitoring_cases"
    )
    tender = models.ForeignKey(
        "procurement.Tender",
        verbose_name=_("tender"),
        on_delete=models.PROTECT,
        related_name="monitoring_cases",
        null=True,
        blank=True,
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="monitoring_cases",
        null=True,
        blank=True,
    )
    reason = models.CharField(_("reason"), max_length=20, choices=CaseReason.choices)
    reason_details = models.TextField(_("reasons"))
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    conclusion = models.TextField(_("conclusion"), blank=True)
    obligations = models.TextField(_("obligations to remedy"), blank=True)
    remedy_due = models.DateField(_("remedy due"), null=True, blank=True)
    remedy_report = models.TextField(_("remedy report"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monitoring case")
        verbose_name_plural = _("monitoring cases")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="violation") | models.Q(remedy_due__isnull=False),
                name="oversight_violation_has_remedy_due",
            ),
        ]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["purchaser", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def published(self) -> bool:
        """A conclusion is public from the moment it is recorded (Prozorro publishes them)."""
        return self.concluded_at is not None


class CaseQuestion(models.Model):
    case = models.ForeignKey(MonitoringCase, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    due_on = models.DateField(_("answer due"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # When the purchaser was reminded that the answer falls due (once per question).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("asked_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(answer=""),
                name="oversight_answer_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.pk}"


class AnswerDocument(models.Model):
    question = models.ForeignKey(CaseQuestion, on_delete=models.CASCADE, related_name="documents")
    file_name = models.CharField(max_length=255)
    path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.file_name

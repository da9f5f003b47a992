"""Evaluation rounds of a contract, their scores (by the provider, the purchaser, the finance
bureau and a third party), third-party commissions and the provider's response."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import TimestampedModel, VersionedModel
from govbuy.performance.models.templates import Indicator, IndicatorTemplate


class RoundKind(models.TextChoices):
    PERIODIC = "periodic", _("periodic")
    FINAL = "final", _("final")


class RoundStatus(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("provider's self-assessment")
    PURCHASER_EVALUATION = "purchaser_evaluation", _("purchaser's evaluation")
    AWAITING_APPROVAL = "awaiting_approval", _("awaiting a second person to finalise")
    FINANCE_REVIEW = "finance_review", _("finance bureau's re-evaluation")
    PROVIDER_RESPONSE = "provider_response", _("open for the provider's response")
    PUBLISHED = "published", _("published")
    CANCELLED = "cancelled", _("cancelled")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优)")
    GOOD = "good", _("Good (良)")
    FAIR = "fair", _("Fair (中)")
    POOR = "poor", _("Poor (差)")


class ScoredBy(models.TextChoices):
    SELF = "self", _("provider's self-assessment")
    PURCHASER = "purchaser", _("purchaser")
    FINANCE = "finance", _("finance bureau")
    THIRD_PARTY = "third_party", _("third-party evaluator")


class EvaluationRound(VersionedModel):
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="evaluation_rounds"
    )
    number = models.PositiveSmallIntegerField(_("round"))
    kind = models.CharField(_("kind"), max_length=10, choices=RoundKind.choices)
    milestone = models.ForeignKey(
        "contracts.Milestone",
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
    )
    template = models.ForeignKey(
        IndicatorTemplate, verbose_name=_("template version used"), on_delete=models.PROTECT, related_name="rounds"
    )
    status = models.CharField(
        _("status"), max_length=24, choices=RoundStatus.choices, default=RoundStatus.SELF_ASSESSMENT
    )
    reevaluation_required = models.BooleanField(_("key project: re-evaluation required"), default=False)
    reevaluation_selected = models.BooleanField(_("selected for re-evaluation"), default=False)
    self_submitted_at = models.DateTimeField(_("self-assessment submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("evaluation submitted at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    reevaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reevaluated_at = models.DateTimeField(_("re-evaluated at"), null=True, blank=True)
    # Computed by the rules from the scores in force (the finance bureau's when it re-evaluated).
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    notified_at = models.DateTimeField(_("provider notified at"), null=True, blank=True)
    response_due = models.DateTimeField(_("response due by"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The evaluation report PDF in Chinese, rendered when the result is published and stored
    # once under its hash (core.storage), like the contract PDF.
    report_path = models.CharField(max_length=300, blank=True)
    report_sha256 = models.CharField(_("sha256 of the evaluation report"), max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="performance_round_number"),
            models.UniqueConstraint(
                fields=["contract"], condition=Q(kind="final") & ~Q(status="cancelled"), name="performance_one_final"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in RoundStatus]), name="performance_round_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["self_assessment", "purchaser_evaluation", "awaiting_approval", "cancelled"])
                | (Q(total__isnull=False) & ~Q(grade="")),
                name="performance_round_graded_when_final",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="performance_round_published_at",
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | (Q(total__gte=0) & Q(total__lte=100)),
                name="performance_round_total_range",
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at"], name="performance_round_status")]

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.number}"


class Score(TimestampedModel):
    round = models.ForeignKey(EvaluationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    by = models.CharField(_("scored by"), max_length=12, choices=ScoredBy.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    achieved = models.BooleanField(_("achieved"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    evidence = models.TextField(_("evidence"), max_length=4000, blank=True)
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["round_id", "indicator__position", "by"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["round", "indicator", "by"], name="performance_score_once"),
            models.CheckConstraint(condition=Q(points__gte=0) & Q(points__lte=100), name="performance_score_points"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.indicator_id} {self.by}"


class CommissionStatus(models.TextChoices):
    ACTIVE = "active", _("commissioned")
    REPORTED = "reported", _("report delivered")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ThirdPartyCommission(VersionedModel):
    """A third-party evaluator commissioned for one contract (財綜〔2018〕42號). The evaluator
    sees only the contracts it is commissioned for."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="commissions"
    )
    evaluator = models.ForeignKey(
        "organizations.Organisation", verbose_name=_("evaluator"), on_delete=models.PROTECT, related_name="+"
    )
    commissioned_by = models.ForeignKey(
        "organizations.Organisation", verbose_name=_("commissioned by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CommissionStatus.choices, default=CommissionStatus.ACTIVE
    )
    report_name = models.CharField(_("report"), max_length=200, blank=True)
    report_path = models.CharField(max_length=300, blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("third-party commission")
        verbose_name_plural = _("third-party commissions")
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=~Q(status="withdrawn"), name="performance_commission_one_live"
            ),
            models.CheckConstraint(
                condition=~Q(status="reported") | (Q(reported_at__isnull=False) & ~Q(report_path="")),
                name="performance_commission_report_when_reported",
            ),
        ]
        indexes = [models.Index(fields=["evaluator", "status"], name="performance_commission_eval")]

    def __str__(self) -> str:
        return f"{self.contract_id} · {self.evaluator_id}"


class ProviderResponse(TimestampedModel):
    round = models.OneToOneField(
        EvaluationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="response"
    )
    body = models.TextField(_("response"), max_length=4000)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("provider's response")
        verbose_name_plural = _("providers' responses")
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="performance_response_not_empty")]

    def __str__(self) -> str:
        return str(self.round_id)

"""Credit facts, the rules that weigh them, and objections (issue 14, seed §三.六).

A fact is never edited: a correction is a new fact that names the one it corrects, and the
corrected fact stops counting. Facts reported by earlier stages (govbuy.core.facts) are recorded
as they arrive; facts found by an authority carry evidence and are confirmed by a second person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import TimestampedModel, VersionedModel
from govbuy.organizations.models import Organisation


class FactKind(models.TextChoices):
    # Reported through govbuy.core.facts by procurement, contracts and performance.
    REFUSED_TO_SIGN = "procurement.refused_to_sign", _("refused to sign the contract after the award")
    COMPLAINT_UPHELD = "procurement.complaint_upheld_against", _("complaint against the provider upheld")
    FALSE_COMPLAINT = "procurement.false_complaint", _("false or malicious complaint")
    COMPLETED_ON_TIME = "contracts.completed_on_time", _("contract completed on time")
    DELIVERY_LATE = "contracts.delivery_late", _("late delivery")
    DELIVERABLE_RETURNED = "contracts.deliverable_returned", _("deliverable returned")
    TERMINATED_FOR_CAUSE = "contracts.terminated_for_cause", _("contract terminated for cause")
    SUBCONTRACTING = "contracts.subcontracting_found", _("subcontracting found")
    GRADE_EXCELLENT = "performance.grade_excellent", _("performance graded excellent (优)")
    GRADE_POOR = "performance.grade_poor", _("performance graded poor (差)")
    # Found and entered by an authority, with evidence and four eyes (Law Art. 77).
    FALSE_MATERIALS = "credit.false_materials", _("false materials")
    DEFAMATION = "credit.defamation", _("defamation of competitors")
    COLLUSION = "credit.collusion", _("collusion")
    BRIBERY = "credit.bribery", _("bribery")
    REFUSED_SUPERVISION = "credit.refused_supervision", _("refused supervision and inspection")
    COMMENDATION = "credit.commendation", _("commendation")
    # A correction that only voids the fact it corrects.
    WITHDRAWN = "credit.withdrawn", _("fact withdrawn (correction)")


REPORTED_KINDS = frozenset(k for k in FactKind.values if not k.startswith("credit."))
ENTERED_KINDS = frozenset(k for k in FactKind.values if k.startswith("credit.") and k != FactKind.WITHDRAWN)


class ScoreScale(models.Model):
    """Base, floor and ceiling of the score, from a date on (rules as data)."""

    effective_from = models.DateField(_("effective from"), unique=True)
    base = models.DecimalField(_("base score"), max_digits=7, decimal_places=2)
    floor = models.DecimalField(_("floor"), max_digits=7, decimal_places=2)
    ceiling = models.DecimalField(_("ceiling"), max_digits=7, decimal_places=2)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("score scale")
        verbose_name_plural = _("score scales")
        constraints = [
            models.CheckConstraint(
                condition=Q(floor__lte=models.F("base")) & Q(base__lte=models.F("ceiling")),
                name="credit_scale_floor_base_ceiling",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effective_from} {self.floor}–{self.ceiling}"


class ScoreRule(models.Model):
    """What one kind of fact counts, from a date on: points (negative against the provider), the
    half-life of its weight, when it stops counting (credit repair), and how many working days
    the provider has to object."""

    kind = models.CharField(_("kind of fact"), max_length=48, choices=FactKind.choices)
    effective_from = models.DateField(_("effective from"))
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    half_life_days = models.PositiveIntegerField(_("half-life (days)"))
    counts_for_days = models.PositiveIntegerField(_("counts for (days)"))
    objection_working_days = models.PositiveSmallIntegerField(_("objection period (working days)"), default=10)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "-effective_from"]
        verbose_name = _("score rule")
        verbose_name_plural = _("score rules")
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="credit_rule_kind_date_unique"),
            models.CheckConstraint(condition=Q(half_life_days__gt=0), name="credit_rule_half_life_positive"),
            models.CheckConstraint(condition=Q(objection_working_days__gt=0), name="credit_rule_objection_days"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.points} ({self.effective_from})"


class CreditFact(TimestampedModel):
    class Direction(models.TextChoices):
        POSITIVE = "positive", _("positive")
        NEGATIVE = "negative", _("negative")
        NEUTRAL = "neutral", _("neutral")

    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="credit_facts"
    )
    kind = models.CharField(_("kind of fact"), max_length=48, choices=FactKind.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    summary = models.CharField(_("facts"), max_length=1000)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    # Where it came from: the reporting record ("contracts.contract", 12) or "credit.entry".
    source_type = models.CharField(_("source"), max_length=64)
    source_id = models.BigIntegerField(null=True, blank=True)
    recording_authority = models.ForeignKey(
        Organisation,
        verbose_name=_("recording authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Four eyes for an authority's entry; a reported fact is confirmed by the stage that found it.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The provider is told when the fact is recorded; its objection period runs from then.
    notified_at = models.DateTimeField(_("provider told at"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("credit fact")
        verbose_name_plural = _("credit facts")
        constraints = [
            # A stage reporting the same fact twice records it once.
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind"],
                condition=Q(source_id__isnull=False),
                name="credit_fact_once_per_source",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["positive", "negative", "neutral"]), name="credit_fact_direction_valid"
            ),
            # A fact entered by an authority is confirmed by someone else (four eyes).
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True)
                | Q(entered_by__isnull=True)
                | ~Q(confirmed_by=models.F("entered_by")),
                name="credit_fact_four_eyes",
            ),
        ]
        indexes = [models.Index(fields=["provider", "confirmed_at"], name="credit_fact_provider")]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.kind} {self.occurred_at:%Y-%m-%d}"


class EvidenceDocument(models.Model):
    """A document proving a fact, or supporting an objection (stored once, by hash)."""

    fact = models.ForeignKey(CreditFact, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    objection = models.ForeignKey(
        "credit.Objection", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    name = models.CharField(_("document"), max_length=200)
    path = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(fact__isnull=False, objection__isnull=True) | Q(fact__isnull=True, objection__isnull=False),
                name="credit_document_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Objection(VersionedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("under objection")
        UPHELD = "upheld", _("upheld: the fact is withdrawn")
        REJECTED = "rejected", _("rejected: the fact stands")

    fact = models.ForeignKey(CreditFact, verbose_name=_("fact"), on_delete=models.PROTECT, related_name="objections")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed at"))
    text = models.CharField(_("grounds"), max_length=4000)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    decide_by = models.DateTimeField(_("to be decided by"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reasons = models.CharField(_("reasons"), max_length=4000, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(
                fields=["fact"], condition=Q(status="pending"), name="credit_one_open_objection_per_fact"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | (Q(decided_at__isnull=False) & ~Q(reasons="")),
                name="credit_objection_decided_with_reasons",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "upheld", "rejected"]), name="credit_objection_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fact_id} {self.status}"

"""Indicator templates the city finance bureau edits per catalog category, and the policy rows
that hold the local defaults (key-project threshold and the survey and publication settings),
each with the date from which it applies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import TimestampedModel
from govbuy.core.money import MoneyField


class Family(models.TextChoices):
    OUTPUT_QUANTITY = "output_quantity", _("output: quantity")
    OUTPUT_QUALITY = "output_quality", _("output: quality")
    OUTPUT_TIMELINESS = "output_timeliness", _("output: timeliness")
    OUTPUT_COST = "output_cost", _("output: cost")
    BENEFIT_SOCIAL = "benefit_social", _("benefit: social")
    BENEFIT_SUSTAINABILITY = "benefit_sustainability", _("benefit: sustainability")
    SATISFACTION = "satisfaction", _("satisfaction")


class ScoringRule(models.TextChoices):
    RATIO = "ratio", _("ratio to the target, in bands")
    YES_NO = "yes_no", _("achieved or not")
    GRADED = "graded", _("graded by the evaluator")


class TargetSource(models.TextChoices):
    PROJECT_TARGET = "project_target", _("the project's performance target")
    COST_LINES = "cost_lines", _("the project's cost lines")
    SURVEY = "survey", _("the satisfaction survey")
    TEMPLATE = "template", _("the value in this template")
    NONE = "none", _("no target (yes/no or graded)")


class Direction(models.TextChoices):
    HIGHER = "higher", _("more is better")
    LOWER = "lower", _("less is better")


class IndicatorTemplate(TimestampedModel):
    """One version of the indicators for a catalog category (matched across catalog versions by
    the category's code). A version never changes once saved: an edit is a new version, and an
    evaluation round keeps the version it used."""

    category_code = models.CharField(_("catalog category code"), max_length=32)
    category_name = models.CharField(_("catalog category"), max_length=200)
    number = models.PositiveIntegerField(_("template version"))
    effective_from = models.DateField(_("in force from"))
    note = models.CharField(_("note on this version"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("edited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["category_code", "-number"]
        verbose_name = _("indicator template")
        verbose_name_plural = _("indicator templates")
        constraints = [
            models.UniqueConstraint(fields=["category_code", "number"], name="performance_template_version"),
        ]

    def __str__(self) -> str:
        return f"{self.category_name} v{self.number}"


class Indicator(models.Model):
    template = models.ForeignKey(
        IndicatorTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    family = models.CharField(_("indicator family"), max_length=24, choices=Family.choices)
    name = models.CharField(_("indicator"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    rule = models.CharField(_("scoring rule"), max_length=8, choices=ScoringRule.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    target_source = models.CharField(_("target source"), max_length=16, choices=TargetSource.choices)
    # The project target (by name) or the cost line category this indicator measures against.
    target_key = models.CharField(_("target name"), max_length=200, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2, null=True, blank=True)
    # Ratio bands [[floor, factor, proportional], ...]; empty: the default bands (rules.DEFAULT_BANDS).
    bands = models.JSONField(_("ratio bands"), default=list, blank=True)
    guidance = models.TextField(_("how to score"), max_length=2000, blank=True)

    class Meta:
        ordering = ["template_id", "position"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="performance_indicator_position"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100), name="performance_indicator_weight"),
        ]

    def __str__(self) -> str:
        return self.name


class KeyProjectThreshold(TimestampedModel):
    """Beijing 2014: city-level contracts above this amount are key projects the finance bureau
    re-evaluates. The row in force on the day a round is opened applies."""

    effective_from = models.DateField(_("in force from"), unique=True)
    amount = MoneyField(_("threshold"))
    note = models.CharField(_("basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("key-project threshold")
        verbose_name_plural = _("key-project thresholds")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="performance_threshold_positive")]

    def __str__(self) -> str:
        return f"{self.effective_from} {self.amount}"


class Policy(TimestampedModel):
    """Local defaults that may change over time: the row in force on the day applies."""

    effective_from = models.DateField(_("in force from"), unique=True)
    response_working_days = models.PositiveSmallIntegerField(_("working days for the provider's response"), default=5)
    evaluator_lookback_years = models.PositiveSmallIntegerField(_("years an evaluator may not repeat"), default=2)
    min_answers = models.PositiveSmallIntegerField(_("minimum answers before figures are shown"), default=5)
    burst_count = models.PositiveSmallIntegerField(_("answers from one address that make a burst"), default=5)
    burst_seconds = models.PositiveIntegerField(_("seconds of a burst"), default=600)
    identical_count = models.PositiveSmallIntegerField(_("identical answer sets flagged from"), default=5)
    min_seconds_after_issue = models.PositiveIntegerField(_("seconds after issue below which to flag"), default=60)
    hours_from = models.TimeField(_("service hours from"), default="07:00")
    hours_to = models.TimeField(_("service hours to"), default="22:00")

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("performance policy")
        verbose_name_plural = _("performance policies")

    def __str__(self) -> str:
        return str(self.effective_from)

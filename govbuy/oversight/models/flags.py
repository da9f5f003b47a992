"""Risk flags (Open Contracting Partnership red-flag indicators): the rules are data (a threshold
and an explanation each, seeded by a data migration and tuned by the city finance bureau without
a release); the worker computes flags, each naming the data behind it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govbuy.organizations.models import Organisation, Region


class FlagRule(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name"), max_length=100)
    explanation_zh = models.TextField(_("explanation"))
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=4)
    window_days = models.PositiveIntegerField(_("window (days)"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("risk-flag rule")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.code


class FlagStatus(models.TextChoices):
    OPEN = "open", _("open")
    DISMISSED = "dismissed", _("dismissed")


class Flag(models.Model):
    rule = models.ForeignKey(FlagRule, on_delete=models.PROTECT, related_name="flags")
    tender = models.ForeignKey("procurement.Tender", on_delete=models.CASCADE, related_name="risk_flags")
    purchaser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # What makes this flag distinct within its rule and tender (a provider, a pair, an expert).
    key = models.CharField(max_length=100, default="", blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2)
    evidence = models.JSONField(default=dict)
    status = models.CharField(max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    raised_at = models.DateTimeField(auto_now_add=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "tender", "key"], name="oversight_flag_once"),
            models.CheckConstraint(
                condition=~models.Q(status="dismissed") | ~models.Q(dismiss_reason=""),
                name="oversight_dismissal_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["region", "status", "score"])]

    def __str__(self) -> str:
        return f"{self.rule_id}/{self.tender_id}/{self.key}"

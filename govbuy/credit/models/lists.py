"""The three external lists (財庫〔2016〕125號) imported with their provenance, and the automatic
three-list check of a bidder at evaluation and award, kept as a snapshot of what it found."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.organizations.models import Organisation
from govbuy.procurement.models import Bid


class ListKind(models.TextChoices):
    # The same three as procurement.CreditCheck's fields.
    DISHONEST_DEBTORS = "dishonest_debtors", _("dishonest judgment debtors (失信被执行人)")
    TAX_VIOLATIONS = "tax_violations", _("major tax-violation cases (重大税收违法案件当事人)")
    PROCUREMENT_VIOLATIONS = "procurement_violations", _("government-procurement serious violations")


class ExternalList(models.Model):
    kind = models.CharField(_("list"), max_length=32, choices=ListKind.choices)
    publisher = models.CharField(_("published by"), max_length=200)
    source = models.CharField(_("source (address or reference)"), max_length=500)
    as_of = models.DateField(_("as of"))
    file_name = models.CharField(_("file"), max_length=200)
    file_sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported at"))
    authority = models.ForeignKey(
        Organisation, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-as_of", "-pk"]
        verbose_name = _("external list")
        verbose_name_plural = _("external lists")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["dishonest_debtors", "tax_violations", "procurement_violations"]),
                name="credit_list_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.as_of}"


class ListEntry(models.Model):
    external_list = models.ForeignKey(ExternalList, on_delete=models.CASCADE, related_name="entries")
    row = models.PositiveIntegerField(_("row"))
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True, db_index=True)
    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    detail = models.CharField(_("details"), max_length=1000, blank=True)

    class Meta:
        ordering = ["external_list", "row"]
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        indexes = [models.Index(fields=["name"], name="credit_list_entry_name")]

    def __str__(self) -> str:
        return self.name


class ThreeListCheck(models.Model):
    """What the automatic check found for a bidder, kept as evidence. A hit may be overridden
    (a namesake, a list entry already revoked) only with a reason and a second person."""

    class Stage(models.TextChoices):
        EVALUATION = "evaluation", _("evaluation")
        AWARD = "award", _("award")

    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked at"))
    # [{kind, list_id, as_of, publisher}] — which list versions were searched.
    lists_used = models.JSONField(default=list)
    # {kind: [{list_id, row, name, uscc, case_number}]} plus "bans": [{ban_id, ends_on}].
    findings = models.JSONField(default=dict)
    listed = models.BooleanField(_("found on a list"))
    override_reason = models.CharField(_("reason for the override"), max_length=2000, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_at = models.DateTimeField(_("overridden at"), null=True, blank=True)
    # The procurement.CreditCheck this snapshot produced (the award reads that record).
    recorded_check_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        verbose_name = _("three-list check")
        verbose_name_plural = _("three-list checks")
        constraints = [
            models.CheckConstraint(
                condition=Q(override_at__isnull=True)
                | (~Q(override_reason="") & Q(override_confirmed_by__isnull=False)),
                name="credit_override_reason_and_second_person",
            ),
            models.CheckConstraint(
                condition=Q(override_confirmed_by__isnull=True) | ~Q(override_confirmed_by=models.F("override_by")),
                name="credit_override_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bid_id} {self.stage} {'listed' if self.listed else 'clear'}"

"""The statutory methods as one table of parameters, and tenders made from approved purchase
projects (lots, criteria, documents)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import TimestampedModel, VersionedModel
from govbuy.core.money import MoneyField
from govbuy.organizations.models import Organisation, Region


class PeriodUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    WORKING_DAYS = "working_days", _("working days")


class EvaluationMethod(models.TextChoices):
    LOWEST_PRICE = "lowest_price", _("lowest evaluated price")
    COMPREHENSIVE = "comprehensive", _("comprehensive scoring")


class ProcurementMethod(VersionedModel):
    """One statutory method (Law Art. 26–32) and its parameters. Seeded by migration from
    design/rules.md and edited by the city finance bureau (with an audit event), so a rule change
    is a data change. `code` matches planning.models.Method."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    in_procurement_scope = models.BooleanField(_("inside the government-procurement scope"), default=True)
    min_period = models.PositiveSmallIntegerField(_("minimum period from notice to bid deadline"))
    min_period_unit = models.CharField(_("unit of the minimum period"), max_length=16, choices=PeriodUnit.choices)
    min_suppliers = models.PositiveSmallIntegerField(_("minimum number of suppliers"))
    panel_size = models.PositiveSmallIntegerField(_("minimum panel size"), default=0)
    expert_share_percent = models.PositiveSmallIntegerField(_("minimum share of experts on the panel (%)"), default=0)
    evaluation_method = models.CharField(_("evaluation method"), max_length=16, choices=EvaluationMethod.choices)
    price_weight_min = models.PositiveSmallIntegerField(_("minimum price weight"))
    price_weight_max = models.PositiveSmallIntegerField(_("maximum price weight"))
    publicity_working_days = models.PositiveSmallIntegerField(_("publicity before award (working days)"), default=0)
    random_invitations = models.PositiveSmallIntegerField(_("suppliers invited at random"), default=0)
    requires_reason = models.BooleanField(_("a stated reason is required"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("procurement method")
        verbose_name_plural = _("procurement methods")
        constraints = [
            models.CheckConstraint(
                condition=Q(price_weight_min__lte=F("price_weight_max")) & Q(price_weight_max__lte=100),
                name="procurement_method_price_weight_bounds",
            ),
            models.CheckConstraint(condition=Q(min_suppliers__gte=1), name="procurement_method_min_suppliers"),
            models.CheckConstraint(condition=Q(expert_share_percent__lte=100), name="procurement_method_expert_share"),
        ]

    def __str__(self) -> str:
        return self.name_zh


class TenderStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("open for bids")
    OPENED = "opened", _("bids opened")
    EVALUATED = "evaluated", _("evaluated")
    AWARDED = "awarded", _("awarded")
    FAILED = "failed", _("failed procurement")
    CANCELLED = "cancelled", _("cancelled")


class Tender(VersionedModel):
    """A procurement of one approved purchase project under one method."""

    project = models.ForeignKey(
        "planning.Project", verbose_name=_("purchase project"), on_delete=models.PROTECT, related_name="tenders"
    )
    purchaser = models.ForeignKey(Organisation, verbose_name=_("purchaser"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    method = models.ForeignKey(
        ProcurementMethod, verbose_name=_("method"), on_delete=models.PROTECT, related_name="tenders"
    )
    method_reason = models.TextField(_("reason for the method"), blank=True, max_length=2000)
    reference = models.CharField(_("reference"), max_length=48, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    budget = MoneyField(_("budget"))
    bid_bond = MoneyField(_("bid bond"), default=0)
    bid_deadline = models.DateTimeField(_("bid deadline"))
    status = models.CharField(_("status"), max_length=16, choices=TenderStatus.choices, default=TenderStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    # The per-tender data key, wrapped (RFC 3394) by the key-encryption key that lives outside
    # the database: a dump holds this, never the key that unwraps it.
    wrapped_key = models.BinaryField(_("wrapped bid key"), editable=False)
    failure_reason = models.TextField(_("reason the procurement failed"), blank=True)
    # A failed tender may be followed by another method, once the finance bureau approves it.
    approved_method = models.ForeignKey(
        ProcurementMethod,
        verbose_name=_("method approved for the next attempt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_method_reason = models.TextField(_("reason for the change of method"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="procurement_tender_budget_positive"),
            models.CheckConstraint(condition=Q(bid_bond__gte=0), name="procurement_tender_bond_not_negative"),
            # Reg. Art. 33: the bid bond is at most 2 % of the budget.
            models.CheckConstraint(
                condition=Q(bid_bond__lte=F("budget") * Decimal("0.02")),
                name="procurement_tender_bond_at_most_2_percent",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in TenderStatus]), name="procurement_tender_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["purchaser", "status"], name="procurement_tender_owner"),
            # The public notice list's order (selectors.public_tenders): read along it, not sorted.
            models.Index(F("published_at").desc(), F("id").desc(), name="procurement_tender_public"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Lot(models.Model):
    """A part of a tender bid for separately. A tender that is not split has one lot."""

    tender = models.ForeignKey(Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("lot"))
    title = models.CharField(_("title"), max_length=200)
    budget = MoneyField(_("budget"))

    class Meta:
        ordering = ["tender_id", "number"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="procurement_lot_number"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="procurement_lot_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Criterion(models.Model):
    """A scoring criterion; the weights of a tender's criteria sum to 100."""

    tender = models.ForeignKey(Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"))
    is_price = models.BooleanField(_("price criterion"), default=False)

    class Meta:
        ordering = ["tender_id", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["tender", "position"], name="procurement_criterion_position"),
            models.UniqueConstraint(
                fields=["tender"], condition=Q(is_price=True), name="procurement_criterion_one_price"
            ),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="procurement_criterion_weight"),
        ]

    def __str__(self) -> str:
        return self.name


class StoredFile(models.Model):
    """A file in storage (govbuy.core.storage) with the sha256 `open_verified` checks on read."""

    file_name = models.CharField(_("file name"), max_length=200)
    path = models.CharField(max_length=300)
    sha256 = models.CharField(_("sha256"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)

    class Meta:
        abstract = True


class TenderDocument(TimestampedModel, StoredFile):
    """A tender document (public once the notice is published)."""

    tender = models.ForeignKey(Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["tender_id", "pk"]
        verbose_name = _("tender document")
        verbose_name_plural = _("tender documents")

    def __str__(self) -> str:
        return self.title

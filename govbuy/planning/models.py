"""Budgets and purchase projects (seed §三.四, §三.五): each purchaser's department budget with its
expenditure lines; purchase projects costed from the work (以事定費) and drawn on one line; funds
moved from in-house lines when a service is converted (費隨事轉); reviews; the published annual plan
in versions; and the public-tender threshold used by the splitting check."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import TimestampedModel, VersionedModel
from govbuy.core.money import MoneyField
from govbuy.organizations.models import Organisation, Region


class Budget(VersionedModel):
    """A purchaser's department budget for one fiscal year (§三.五: no separate special fund)."""

    purchaser = models.ForeignKey(
        Organisation, verbose_name=_("purchaser"), on_delete=models.PROTECT, related_name="budgets"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-fiscal_year", "purchaser__name_zh"]
        verbose_name = _("department budget")
        verbose_name_plural = _("department budgets")
        constraints = [
            models.UniqueConstraint(fields=["purchaser", "fiscal_year"], name="planning_budget_one_per_year"),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000, fiscal_year__lte=2100), name="planning_budget_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purchaser} {self.fiscal_year}"


class BudgetLine(VersionedModel):
    """One expenditure line (economic classification, amount). `amount` is what the line holds now:
    what was budgeted, less what conversions moved out, plus what they moved in. `committed` is
    the sum of the estimates of the live projects drawing on it, kept under the row's lock so the
    database CHECK below can hold the invariant Σ estimates ≤ amount by itself."""

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="lines")
    code = models.CharField(_("economic classification code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    budgeted_amount = MoneyField(_("amount budgeted"))
    amount = MoneyField(_("amount available to the line"))
    committed = MoneyField(_("committed to projects"), default=0)

    class Meta:
        ordering = ["budget_id", "code"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["budget", "code"], name="planning_line_code_unique"),
            models.CheckConstraint(condition=Q(budgeted_amount__gte=0), name="planning_line_budgeted_not_negative"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="planning_line_amount_not_negative"),
            models.CheckConstraint(condition=Q(committed__gte=0), name="planning_line_committed_not_negative"),
            models.CheckConstraint(condition=Q(committed__lte=F("amount")), name="planning_line_not_overcommitted"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def available(self):  # type: ignore[no-untyped-def]
        return self.amount - self.committed


class TenderThreshold(VersionedModel):
    """The public-tender threshold for services in a region (Law Art. 28, Reg. Art. 28), edited by
    the city finance bureau. Without a row, settings.GOVBUY_PUBLIC_TENDER_THRESHOLD applies."""

    region = models.OneToOneField(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="tender_threshold"
    )
    amount = MoneyField(_("public-tender threshold for services"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("public-tender threshold")
        verbose_name_plural = _("public-tender thresholds")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="planning_threshold_positive")]

    def __str__(self) -> str:
        return f"{self.region} {self.amount}"


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned with comments")
    IN_PLAN = "in_plan", _("in the annual plan")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CANCELLED = "cancelled", _("cancelled")


class Method(models.TextChoices):
    PUBLIC_TENDER = "public_tender", _("public tender")
    INVITATION_TENDER = "invitation_tender", _("invitation tender")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("competitive negotiation")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("competitive consultation")
    SINGLE_SOURCE = "single_source", _("single source")
    REQUEST_FOR_QUOTATION = "request_for_quotation", _("request for quotation")
    CONTRACT = "contract", _("contract (outside the procurement scope)")
    COMMISSION = "commission", _("commission (outside the procurement scope)")


class StaffingReview(models.TextChoices):
    NOT_REQUIRED = "not_required", _("not required")
    PENDING = "pending", _("awaiting the staffing office")
    CONFIRMED = "confirmed", _("confirmed: no new posts or bodies")
    RETURNED = "returned", _("returned by the staffing office")


class Project(VersionedModel):
    """A purchase project proposed by a purchaser while compiling its budget (§三.四)."""

    purchaser = models.ForeignKey(
        Organisation, verbose_name=_("purchaser"), on_delete=models.PROTECT, related_name="purchase_projects"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    catalog_item = models.ForeignKey(
        "catalog.CatalogItem",
        verbose_name=_("catalog item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A service not in the catalog: named here, and purchasable only after the finance bureau's
    # approval (Beijing 2014).
    outside_catalog_name = models.CharField(_("service outside the catalog"), max_length=200, blank=True)
    outside_catalog_approved = models.BooleanField(_("outside-catalog purchase approved"), default=False)
    purchasability = models.CharField(_("catalog check"), max_length=32, blank=True)
    service_description = models.TextField(_("service description"), max_length=4000)
    beneficiaries = models.TextField(_("beneficiaries"), max_length=2000)
    period_start = models.DateField(_("service period from"))
    period_end = models.DateField(_("service period to"))
    # Order 102 Art. 24: the conditions for a term over one year.
    recurring = models.BooleanField(_("recurring service"), default=False)
    stable_content = models.BooleanField(_("stable content"), default=False)
    budget_secured = models.BooleanField(_("budget secured for the whole term"), default=False)
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="projects"
    )
    estimate = MoneyField(_("estimate"), default=0)
    in_procurement_scope = models.BooleanField(_("inside the government-procurement scope"), default=True)
    suggested_method = models.CharField(_("suggested method"), max_length=32, choices=Method.choices)
    is_conversion = models.BooleanField(_("converts a service formerly done in-house"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT)
    staffing_review = models.CharField(
        _("staffing review"), max_length=16, choices=StaffingReview.choices, default=StaffingReview.NOT_REQUIRED
    )
    # Splitting check (Law Art. 28, Reg. Art. 28), recomputed at submission and approval.
    split_flag = models.BooleanField(_("possible split purchase"), default=False)
    split_details = models.JSONField(_("splitting check"), default=dict, blank=True)
    # Negative-list near-misses (Order 102 Art. 10) for the finance review, recomputed on every
    # edit, submission and approval: [{matter, name, basis, term, field, kind, reason}].
    negative_flag = models.BooleanField(_("possible negative-list matter"), default=False)
    negative_details = models.JSONField(_("negative-list doubts"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-fiscal_year", "-pk"]
        verbose_name = _("purchase project")
        verbose_name_plural = _("purchase projects")
        constraints = [
            models.CheckConstraint(condition=Q(estimate__gte=0), name="planning_project_estimate_not_negative"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="planning_project_period"),
            models.CheckConstraint(
                condition=Q(catalog_item__isnull=False) | ~Q(outside_catalog_name=""),
                name="planning_project_item_or_outside_name",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ProjectStatus]), name="planning_project_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["purchaser", "fiscal_year", "status"], name="planning_project_owner_year"),
            models.Index(fields=["region", "status"], name="planning_project_region_status"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("personnel")
    OPERATIONS = "operations", _("operations")
    MATERIALS = "materials", _("materials")
    MANAGEMENT = "management", _("management")
    OTHER = "other", _("other")


class CostLine(models.Model):
    """One task of the work and its cost: quantity × unit cost (以事定費). The project's estimate
    is the sum of these lines; nobody types a lump sum."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="cost_lines")
    position = models.PositiveSmallIntegerField(_("position"))
    description = models.CharField(_("task"), max_length=200)
    category = models.CharField(_("cost category"), max_length=16, choices=CostCategory.choices)
    unit = models.CharField(_("unit"), max_length=30)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    unit_cost = MoneyField(_("unit cost"))
    amount = MoneyField(_("amount"))

    class Meta:
        ordering = ["project_id", "position"]
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        constraints = [
            models.UniqueConstraint(fields=["project", "position"], name="planning_costline_position"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="planning_costline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_cost__gt=0), name="planning_costline_unit_cost_positive"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="planning_costline_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.description


class IndicatorFamily(models.TextChoices):
    QUANTITY = "quantity", _("quantity")
    QUALITY = "quality", _("quality")
    TIMELINESS = "timeliness", _("timeliness")
    COST = "cost", _("cost")
    SATISFACTION = "satisfaction", _("recipient satisfaction")


class PerformanceTarget(models.Model):
    """An indicator with its target value; the performance evaluation measures against it."""

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(_("position"))
    family = models.CharField(_("indicator family"), max_length=16, choices=IndicatorFamily.choices)
    name = models.CharField(_("indicator"), max_length=200)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.AT_LEAST)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)

    class Meta:
        ordering = ["project_id", "position"]
        verbose_name = _("performance target")
        verbose_name_plural = _("performance targets")
        constraints = [
            models.UniqueConstraint(fields=["project", "position"], name="planning_target_position"),
            models.CheckConstraint(condition=Q(target_value__gte=0), name="planning_target_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class Transfer(TimestampedModel):
    """費隨事轉: the amount moved from an in-house expenditure line to the line a conversion
    project draws on. Reversed (never deleted) when the project is withdrawn or cancelled."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="transfer"
    )
    source_line = models.ForeignKey(
        BudgetLine, verbose_name=_("source line"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    target_line = models.ForeignKey(
        BudgetLine, verbose_name=_("target line"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    amount = MoneyField(_("amount moved"))
    former_service = models.CharField(_("service formerly done in-house"), max_length=300)
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("budget transfer")
        verbose_name_plural = _("budget transfers")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="planning_transfer_positive"),
            models.CheckConstraint(condition=~Q(source_line=F("target_line")), name="planning_transfer_two_lines"),
        ]

    def __str__(self) -> str:
        return f"{self.source_line} → {self.target_line}: {self.amount}"


class Review(models.Model):
    """A reviewer's decision on a project: the finance bureau's, or the staffing office's."""

    class Kind(models.TextChoices):
        FINANCE = "finance", _("finance bureau")
        STAFFING = "staffing", _("staffing office")

    class Decision(models.TextChoices):
        APPROVED = "approved", _("approved")
        CONFIRMED = "confirmed", _("confirmed")
        RETURNED = "returned", _("returned with comments")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("reviewer"), max_length=10, choices=Kind.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comments"), blank=True, max_length=4000)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.project} · {self.kind} · {self.decision}"


class AnnualPlan(models.Model):
    """One published version of a purchaser's annual plan for a fiscal year (§三.四: 年度計劃向社會
    發佈). A change after publication is a new version; `changes` lists what moved against the
    version it replaced. Published versions never change."""

    purchaser = models.ForeignKey(
        Organisation, verbose_name=_("purchaser"), on_delete=models.PROTECT, related_name="annual_plans"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    number = models.PositiveIntegerField(_("plan version"))
    is_current = models.BooleanField(_("current version"), default=True)
    total = MoneyField(_("total"))
    changes = models.JSONField(_("changes against the previous version"), default=dict, blank=True)
    note = models.TextField(_("note on this version"), blank=True, max_length=2000)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["region__code", "-fiscal_year", "purchaser__name_zh", "-number"]
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        constraints = [
            models.UniqueConstraint(fields=["purchaser", "fiscal_year", "number"], name="planning_plan_version_unique"),
            models.UniqueConstraint(
                fields=["purchaser", "fiscal_year"], condition=Q(is_current=True), name="planning_plan_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purchaser} {self.fiscal_year} v{self.number}"


class PlanEntry(models.Model):
    """A project as it stood in one plan version: a snapshot, so the version reads the same later."""

    plan = models.ForeignKey(AnnualPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="entries")
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))
    reference = models.CharField(_("reference"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    item_code = models.CharField(_("catalog item code"), max_length=32, blank=True)
    item_name = models.CharField(_("catalog item"), max_length=200)
    estimate = MoneyField(_("estimate"))
    method = models.CharField(_("suggested method"), max_length=32, choices=Method.choices)
    in_procurement_scope = models.BooleanField(_("inside the government-procurement scope"))
    period_start = models.DateField(_("service period from"))
    period_end = models.DateField(_("service period to"))
    is_conversion = models.BooleanField(_("conversion of an in-house service"))
    beneficiaries = models.TextField(_("beneficiaries"), max_length=2000)

    class Meta:
        ordering = ["plan_id", "position"]
        verbose_name = _("plan entry")
        verbose_name_plural = _("plan entries")
        constraints = [models.UniqueConstraint(fields=["plan", "project"], name="planning_entry_once_per_plan")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

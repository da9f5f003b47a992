"""Statistics of purchases of services, pre-aggregated (issue 15 item 4).

The worker (`govbuy.oversight.statistics.services.refresh_statistics`) reads every lower app once
and writes `StatisticsCell` rows: one figure per measure, key, audience, fiscal year, region,
catalog category and method. Pages and the API sum a few of these rows instead of reading
100,000 projects. A `StatisticsRefresh` records each rebuild: who asked, its progress and when the
figures are "as of"."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.money import MoneyField
from govbuy.organizations.models import Region


class Measure(models.TextChoices):
    PLANNED = "planned", _("projects in the plans")
    AWARDED = "awarded", _("awards")
    CONTRACTED = "contracted", _("contracts signed")
    PAID = "paid", _("payments")
    BIDS_BY_KIND = "bids_by_kind", _("bids by kind of provider")
    WINS_BY_KIND = "wins_by_kind", _("awards by kind of provider")
    PROVIDERS_BY_KIND = "providers_by_kind", _("registered providers by kind")
    COMPETITION = "competition", _("competition")
    SAVINGS = "savings", _("savings against budgets")
    SIGNING = "signing", _("contract signing on time")
    PUBLICATION = "publication", _("contract publication on time")
    PAYMENT = "payment", _("payment on time")
    GRADES = "grades", _("performance grades")
    SATISFACTION = "satisfaction", _("recipient satisfaction")
    CONVERSIONS = "conversions", _("converted services (費隨事轉)")


class Audience(models.TextChoices):
    # Oversight bodies: every record in their reach. The public: only what the law has published.
    STAFF = "staff", _("oversight bodies")
    PUBLIC = "public", _("the public")


class Grain(models.TextChoices):
    # The worker writes every figure at full detail and three roll-ups, so each page query reads
    # the roll-up it groups by instead of summing the detail: totals, years and regions from
    # REGION; categories from CATEGORY; methods from METHOD.
    CELL = "cell", _("year, region, category and method")
    REGION = "region", _("year and region")
    CATEGORY = "category", _("year, region and category")
    METHOD = "method", _("year, region and method")


class StatisticsCell(models.Model):
    """One figure: `number` (a count) and `amount` (yuan, or a sum of scores for grades) of
    `measure`/`key` for one fiscal year, region, top-level catalog category and method (at the
    CELL grain; a roll-up leaves the dimensions it sums over blank). Year 0 holds snapshots that
    have no year (the providers registered now)."""

    measure = models.CharField(_("measure"), max_length=24, choices=Measure.choices)
    key = models.CharField(_("key"), max_length=40, blank=True)
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices)
    grain = models.CharField(_("detail"), max_length=8, choices=Grain.choices, default=Grain.CELL)
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("catalog category"), max_length=40, blank=True)
    category_name = models.CharField(_("catalog category name"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=32, blank=True)
    number = models.BigIntegerField(_("count"), default=0)
    amount = MoneyField(_("amount"), default=0)

    class Meta:
        verbose_name = _("statistics figure")
        verbose_name_plural = _("statistics figures")
        constraints = [
            models.UniqueConstraint(
                fields=["audience", "grain", "measure", "key", "year", "region", "category", "method"],
                name="oversight_statistics_cell_once",
            ),
        ]
        indexes = [models.Index(fields=["audience", "grain", "year", "region"], name="oversight_stat_filter")]

    def __str__(self) -> str:
        return f"{self.audience}/{self.measure}/{self.key}/{self.year}/{self.region_id}"


class StatisticsRefresh(models.Model):
    """One rebuild of the figures, queued from the statistics page, the API or the command; the
    page polls this row for progress. The figures are "as of" the last finished one's start."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    requested_by_id = models.BigIntegerField(_("requested by (id)"), null=True, blank=True)
    requested_by_label = models.CharField(_("requested by"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    steps_total = models.PositiveSmallIntegerField(_("steps"), default=0)
    steps_done = models.PositiveSmallIntegerField(_("steps done"), default=0)
    cells = models.PositiveIntegerField(_("figures written"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("statistics refresh")
        verbose_name_plural = _("statistics refreshes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(finished_at__isnull=False, started_at__isnull=False),
                name="oversight_statistics_done_has_times",
            ),
        ]

    def __str__(self) -> str:
        return f"statistics refresh {self.pk} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def percent(self) -> int:
        if not self.steps_total:
            return 0 if self.is_active else 100
        return min(100, int(self.steps_done * 100 / self.steps_total))

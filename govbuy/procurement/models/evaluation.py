"""Evaluation (Reg. Art. 39–45): experts, the panel and its declarations, scores, the report and
ranking, and the three-list credit check of a recommended bidder."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import VersionedModel
from govbuy.organizations.models import Organisation
from govbuy.procurement.models.bids import Bid
from govbuy.procurement.models.tenders import Criterion, Lot, Tender


class Expert(VersionedModel):
    """An evaluation expert in the pool the finance bureau keeps. `organisation` is the expert's
    employer when it is registered here: it decides the same-organisation and related-party
    exclusions at the draw."""

    name = models.CharField(_("name"), max_length=100)
    expertise = models.CharField(_("field of expertise"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    affiliation = models.CharField(_("employer (as stated)"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert",
    )
    is_active = models.BooleanField(_("in the pool"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return f"{self.name} · {self.expertise}"


class Panel(models.Model):
    """The evaluation panel of a tender, drawn at random: the seed and the candidate list are kept
    so that anyone can repeat the draw (rules.draw_order)."""

    tender = models.OneToOneField(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="panel")
    seed = models.CharField(_("seed"), max_length=64)
    candidates = models.JSONField(_("candidate experts (ids, in order)"), default=list)
    excluded = models.JSONField(_("excluded experts (id → reason)"), default=dict)
    size = models.PositiveSmallIntegerField(_("panel size"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn at"))

    class Meta:
        verbose_name = _("evaluation panel")
        verbose_name_plural = _("evaluation panels")
        constraints = [models.CheckConstraint(condition=Q(size__gte=1), name="procurement_panel_size_positive")]

    def __str__(self) -> str:
        return str(self.tender)


class PanelMember(models.Model):
    class Declaration(models.TextChoices):
        PENDING = "pending", _("not yet declared")
        NO_CONFLICT = "no_conflict", _("no conflict of interest")
        CONFLICT = "conflict", _("conflict of interest (recused)")

    panel = models.ForeignKey(Panel, verbose_name=_("panel"), on_delete=models.PROTECT, related_name="members")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position in the draw"))
    declaration = models.CharField(
        _("declaration"), max_length=16, choices=Declaration.choices, default=Declaration.PENDING
    )
    declaration_text = models.TextField(_("statement"), blank=True, max_length=2000)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)

    class Meta:
        ordering = ["panel_id", "position"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="procurement_panel_member_once"),
            models.CheckConstraint(
                condition=Q(declaration__in=["pending", "no_conflict", "conflict"]),
                name="procurement_panel_member_declaration_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.expert.name


class Score(models.Model):
    """One member's points for one bid on one non-price criterion (0..weight)."""

    member = models.ForeignKey(PanelMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="scores")
    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    scored_at = models.DateTimeField(_("scored at"))

    class Meta:
        ordering = ["member_id", "bid_id", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["member", "bid", "criterion"], name="procurement_score_once"),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(points__lte=100), name="procurement_score_points_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.bid_id}/{self.criterion_id}: {self.points}"


class Evaluation(models.Model):
    """The evaluation report of a tender: the ranking is computed once, from the scores, and kept."""

    tender = models.OneToOneField(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="evaluation")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("report date"))
    report_path = models.CharField(max_length=300, blank=True)
    report_sha256 = models.CharField(_("report sha256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")

    def __str__(self) -> str:
        return str(self.tender)


class Ranking(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.PROTECT, related_name="rankings"
    )
    bid = models.OneToOneField(Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="ranking")
    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="+")
    price_score = models.DecimalField(_("price score"), max_digits=6, decimal_places=2)
    quality_score = models.DecimalField(_("other criteria"), max_digits=6, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        ordering = ["lot_id", "rank"]
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "lot", "rank"], name="procurement_ranking_rank_once"),
            models.CheckConstraint(condition=Q(total__gte=0) & Q(total__lte=100), name="procurement_ranking_total"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id} #{self.rank}"


class CreditResult(models.TextChoices):
    CLEAR = "clear", _("not listed")
    LISTED = "listed", _("listed")


class CreditCheck(models.Model):
    """The three-list check (財庫〔2016〕125號) of a recommended bidder, with its evidence."""

    bid = models.OneToOneField(Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="credit_check")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"))
    dishonest_debtors = models.CharField(_("dishonest judgment debtors"), max_length=8, choices=CreditResult.choices)
    tax_violations = models.CharField(_("major tax-violation cases"), max_length=8, choices=CreditResult.choices)
    procurement_violations = models.CharField(
        _("government-procurement serious violations"), max_length=8, choices=CreditResult.choices
    )
    reference = models.CharField(_("reference (query number or page)"), max_length=500, blank=True)
    evidence_name = models.CharField(_("evidence file"), max_length=200, blank=True)
    evidence_path = models.CharField(max_length=300, blank=True)
    evidence_sha256 = models.CharField(_("evidence sha256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("credit check")
        verbose_name_plural = _("credit checks")
        constraints = [
            # Evidence is either a reference or a stored file: never nothing.
            models.CheckConstraint(
                condition=~Q(reference="") | ~Q(evidence_sha256=""), name="procurement_credit_check_evidence"
            ),
        ]

    def __str__(self) -> str:
        return str(self.bid_id)

    @property
    def is_clear(self) -> bool:
        return CreditResult.LISTED not in (self.dishonest_debtors, self.tax_violations, self.procurement_violations)

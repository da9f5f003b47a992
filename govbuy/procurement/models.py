"""Procurement (seed §三.四, §二.二.3): the statutory methods as one table of parameters, tenders
made from approved purchase projects (lots, criteria, documents), sealed bids and their opening.

Sealed means: before the opening a bid row holds only AES-GCM ciphertext, its nonce and the
receipt hash; the price, the condition responses and the documents exist in plaintext only after
the opening (govbuy/procurement/sealing.py, services/opening.py).
"""

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


class BidStatus(models.TextChoices):
    SEALED = "sealed", _("sealed")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REPLACED = "replaced", _("replaced")
    OPENED = "opened", _("opened")


class Bid(models.Model):
    """One sealed bid of a provider for one lot. Before the opening only the ciphertext, nonce and
    receipt hash exist; `price`, `responses` and the documents are filled in at the opening."""

    tender = models.ForeignKey(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="bids")
    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="bids")
    provider = models.ForeignKey(Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=BidStatus.choices, default=BidStatus.SEALED)
    # The database's clock at the moment the bid was accepted (never the application server's).
    submitted_at = models.DateTimeField(_("received at"))
    receipt_sha256 = models.CharField(_("receipt hash (sha256)"), max_length=64)
    ciphertext = models.BinaryField(_("sealed content"), editable=False)
    nonce = models.BinaryField(editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    price = MoneyField(_("price"), null=True, blank=True)
    responses = models.JSONField(_("responses to the conditions"), default=dict, blank=True)
    # An opened bid found invalid at evaluation leaves the ranking; the reason is kept.
    disqualified_reason = models.TextField(_("reason for disqualification"), blank=True, max_length=2000)
    disqualified_at = models.DateTimeField(_("disqualified at"), null=True, blank=True)

    class Meta:
        ordering = ["tender_id", "lot_id", "submitted_at", "pk"]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "provider"], condition=Q(status="sealed"), name="procurement_bid_one_sealed_per_lot"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in BidStatus]), name="procurement_bid_status_valid"
            ),
            # A price exists only once the bid is opened (R5).
            models.CheckConstraint(
                condition=Q(status="opened") | (Q(price__isnull=True) & Q(responses={})),
                name="procurement_bid_price_only_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gt=0), name="procurement_bid_price_positive"
            ),
        ]
        indexes = [models.Index(fields=["tender", "status"], name="procurement_bid_tender_status")]

    def __str__(self) -> str:
        return f"{self.tender.reference} · {self.lot.number} · {self.provider_id}"


class BidDocument(StoredFile):
    """A document of a bid, stored in plaintext only after the opening decrypted it."""

    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="documents")

    class Meta:
        ordering = ["bid_id", "pk"]
        verbose_name = _("bid document")
        verbose_name_plural = _("bid documents")

    def __str__(self) -> str:
        return self.file_name


class Opening(models.Model):
    """The bid opening: initiated by one authorised purchaser user, confirmed by another."""

    tender = models.OneToOneField(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="opening")
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("initiated by"), on_delete=models.PROTECT, related_name="+"
    )
    initiated_at = models.DateTimeField(_("initiated at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    bid_count = models.PositiveIntegerField(_("bids opened"), default=0)
    record_path = models.CharField(max_length=300, blank=True)
    record_sha256 = models.CharField(_("record sha256"), max_length=64, blank=True)
    checkpoint_hash = models.CharField(_("audit checkpoint"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("bid opening")
        verbose_name_plural = _("bid openings")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("initiated_by")),
                name="procurement_opening_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return str(self.tender)


# --- Evaluation (Reg. Art. 39–45) ----------------------------------------------------------------


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


# --- Award (Reg. Art. 43) ------------------------------------------------------------------------


class AwardStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed, awaiting a second confirmation")
    ACTIVE = "active", _("confirmed and announced")


class Award(models.Model):
    """The purchaser's confirmation of the winner of one lot. Above the four-eyes threshold one
    authorised user proposes and a different one confirms; the amount is the winning bid's price."""

    tender = models.ForeignKey(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="awards")
    lot = models.OneToOneField(Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="award")
    bid = models.OneToOneField(Bid, verbose_name=_("winning bid"), on_delete=models.PROTECT, related_name="award")
    provider = models.ForeignKey(Organisation, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("award amount"))
    status = models.CharField(_("status"), max_length=16, choices=AwardStatus.choices, default=AwardStatus.PROPOSED)
    # Why a bid other than the top-ranked qualified one wins (Reg. Art. 43 lets the purchaser
    # pass over it only for a stated reason, e.g. a failed credit check).
    reason = models.TextField(_("reason for not choosing the top-ranked bid"), blank=True, max_length=2000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("award notice date"), null=True, blank=True)
    checkpoint_hash = models.CharField(_("audit checkpoint"), max_length=64, blank=True)

    class Meta:
        ordering = ["tender_id", "lot_id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        # The portal's latest award notices, newest first.
        indexes = [models.Index(F("confirmed_at").desc(), F("id").desc(), name="procurement_award_latest")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="procurement_award_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in AwardStatus]), name="procurement_award_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status="proposed") & Q(confirmed_at__isnull=True))
                | (Q(status="active") & Q(confirmed_at__isnull=False) & Q(confirmed_by__isnull=False)),
                name="procurement_award_confirmed_when_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tender_id} · {self.lot_id} · {self.provider_id}"


# --- Challenges (質疑, Law Art. 52–53) and complaints (投訴, Law Art. 55–56) -----------------------


class ChallengeStatus(models.TextChoices):
    LODGED = "lodged", _("lodged, awaiting the purchaser's answer")
    ANSWERED = "answered", _("answered")


class Challenge(models.Model):
    """A bidder's written challenge to the award. While one is unanswered the contract may not be
    signed (Reg. Art. 54); the time limits are checked when each step is requested."""

    tender = models.ForeignKey(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="challenges")
    provider = models.ForeignKey(Organisation, verbose_name=_("challenger"), on_delete=models.PROTECT, related_name="+")
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lodged by"), on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField(_("lodged at"))
    grounds = models.TextField(_("grounds"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=16, choices=ChallengeStatus.choices, default=ChallengeStatus.LODGED
    )
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_late = models.BooleanField(_("answered after the time limit"), default=False)

    class Meta:
        ordering = ["tender_id", "lodged_at", "pk"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="lodged") & Q(answered_at__isnull=True))
                | (Q(status="answered") & Q(answered_at__isnull=False) & ~Q(answer="")),
                name="procurement_challenge_answered_when_answered",
            ),
        ]
        indexes = [models.Index(fields=["tender", "status"], name="procurement_challenge_open")]

    def __str__(self) -> str:
        return f"{self.tender_id} · {self.provider_id}"


class ComplaintStatus(models.TextChoices):
    LODGED = "lodged", _("lodged with the finance bureau")
    DECIDED = "decided", _("decided")


class Complaint(models.Model):
    """The challenger's escalation to the finance bureau after the answer (or its absence)."""

    challenge = models.OneToOneField(
        Challenge, verbose_name=_("challenge"), on_delete=models.PROTECT, related_name="complaint"
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lodged by"), on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField(_("lodged at"))
    grounds = models.TextField(_("grounds"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.LODGED
    )
    decision = models.TextField(_("decision"), blank=True, max_length=4000)
    upheld = models.BooleanField(_("complaint upheld"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_late = models.BooleanField(_("decided after the time limit"), default=False)

    class Meta:
        ordering = ["lodged_at", "pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="lodged") & Q(decided_at__isnull=True))
                | (Q(status="decided") & Q(decided_at__isnull=False) & Q(upheld__isnull=False)),
                name="procurement_complaint_decided_when_decided",
            ),
        ]

    def __str__(self) -> str:
        return str(self.challenge_id)


class ReminderKind(models.TextChoices):
    AWARD_DUE = "award_due", _("winner to be confirmed")
    ANSWER_DUE = "answer_due", _("challenge to be answered")
    DECISION_DUE = "decision_due", _("complaint to be decided")


class DeadlineReminder(models.Model):
    """One reminder mailed by `manage.py run_deadlines`; the unique key makes the job idempotent.
    Deadlines themselves are enforced at request time, never by this job."""

    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    deadline = models.DateTimeField(_("deadline"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="procurement_reminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


# --- Clarifications (Reg. Art. 31) and invitation draws (Law Art. 34) ----------------------------


class Clarification(models.Model):
    """A provider's question and the purchaser's answer, or a change notice of the purchaser's own
    (no question, no asker). An answered row is published to everyone; the asker is shown only to
    the purchaser and oversight (and to the asker itself), never on public pages or in OCDS."""

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="clarifications"
    )
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("asked by (provider)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.TextField(_("question"), blank=True, max_length=4000)
    asked_at = models.DateTimeField(_("asked at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Published at: the database clock when the answer (or notice) was given.
    answered_at = models.DateTimeField(_("published at"), null=True, blank=True)
    affects_bids = models.BooleanField(_("affects the preparation of bids"), default=False)
    # When the answer moved the bid deadline (15-day rule), from what to what.
    deadline_before = models.DateTimeField(_("bid deadline before"), null=True, blank=True)
    deadline_after = models.DateTimeField(_("bid deadline after"), null=True, blank=True)

    class Meta:
        ordering = ["tender_id", "pk"]
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        constraints = [
            # A question has its asker and moment; a notice has neither and is published at once.
            models.CheckConstraint(
                condition=(~Q(question="") & Q(provider__isnull=False) & Q(asked_at__isnull=False))
                | (Q(question="") & Q(provider__isnull=True) & Q(asked_by__isnull=True) & Q(answered_at__isnull=False)),
                name="procurement_clarification_question_or_notice",
            ),
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True) & Q(answer="") & Q(deadline_after__isnull=True))
                | (Q(answered_at__isnull=False) & ~Q(answer="") & Q(answered_by__isnull=False)),
                name="procurement_clarification_answered_when_published",
            ),
        ]
        indexes = [models.Index(fields=["tender", "answered_at"], name="procurement_clarif_published")]

    def __str__(self) -> str:
        return f"{self.tender_id} #{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.answered_at is not None

    @property
    def is_notice(self) -> bool:
        return not self.question


class InvitationDraw(models.Model):
    """The providers invited at random to an invitation tender when its notice was published: the
    seed, the candidate list (ids, ascending) and the invited ids in draw order are kept, so anyone
    can repeat the draw (rules.draw_order) and get the same providers."""

    tender = models.OneToOneField(
        Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="invitation_draw"
    )
    seed = models.CharField(_("seed"), max_length=64)
    candidates = models.JSONField(_("candidate providers (ids, in order)"), default=list)
    invited = models.JSONField(_("invited providers (ids, in draw order)"), default=list)
    size = models.PositiveSmallIntegerField(_("providers invited"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn at"))

    class Meta:
        verbose_name = _("invitation draw")
        verbose_name_plural = _("invitation draws")
        constraints = [models.CheckConstraint(condition=Q(size__gte=1), name="procurement_invitation_size_positive")]

    def __str__(self) -> str:
        return str(self.tender_id)

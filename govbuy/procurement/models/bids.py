"""Sealed bids and their opening. Before the opening a bid row holds only AES-GCM ciphertext, its
nonce and the receipt hash; the price, the condition responses and the documents exist in
plaintext only after the opening (govbuy/procurement/sealing.py, services/opening.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.money import MoneyField
from govbuy.organizations.models import Organisation
from govbuy.procurement.models.tenders import Lot, StoredFile, Tender


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

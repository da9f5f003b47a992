"""Clarifications (Reg. Art. 31) and invitation draws (Law Art. 34)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.organizations.models import Organisation
from govbuy.procurement.models.tenders import Tender


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

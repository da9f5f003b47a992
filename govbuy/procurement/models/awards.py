"""The award (Reg. Art. 43), challenges (質疑, Law Art. 52–53), complaints (投訴, Law Art. 55–56)
and the reminders of their time limits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.money import MoneyField
from govbuy.organizations.models import Organisation
from govbuy.procurement.models.bids import Bid
from govbuy.procurement.models.tenders import Lot, Tender


class AwardStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed, awaiting a second confirmation")
    ACTIVE = "active", _("confirmed and announced")
    # Reg. Art. 49: the winner refused to sign (or did not sign within the period). One user
    # records it with evidence, a different one confirms; the lot may then be awarded again.
    REFUSAL_RECORDED = "refusal_recorded", _("refusal to sign recorded, awaiting a second confirmation")
    REFUSED = "refused", _("superseded: the winner refused to sign")


# The statuses in which an award holds its lot (at most one per lot, a database constraint).
LIVE_AWARD_STATUSES = (AwardStatus.PROPOSED, AwardStatus.ACTIVE, AwardStatus.REFUSAL_RECORDED)


class RefusalGround(models.TextChoices):
    REFUSED = "refused", _("the winner refused to sign the contract")
    LAPSED = "lapsed", _("the winner did not sign within the period")


class Award(models.Model):
    """The purchaser's confirmation of the winner of one lot. Above the four-eyes threshold one
    authorised user proposes and a different one confirms; the amount is the winning bid's price.

    A lot holds one live award at a time. When the winner refuses to sign (Reg. Art. 49) the award
    is superseded (status `refused`, kept for the record) and the lot may be awarded to the
    next-ranked qualified bid: the new award names the one it `replaces`."""

    tender = models.ForeignKey(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="awards")
    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="awards")
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
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces the refused award"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    # The winner's refusal to sign (Reg. Art. 49), recorded with evidence and confirmed by a second user.
    refusal_ground = models.CharField(
        _("ground of the refusal"), max_length=16, choices=RefusalGround.choices, blank=True
    )
    refusal_reason = models.TextField(_("facts of the refusal"), blank=True, max_length=2000)
    refusal_evidence_name = models.CharField(_("evidence"), max_length=200, blank=True)
    refusal_evidence_path = models.CharField(max_length=300, blank=True)
    refusal_evidence_sha256 = models.CharField(max_length=64, blank=True)
    refusal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refusal recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_recorded_at = models.DateTimeField(_("refusal recorded at"), null=True, blank=True)
    refusal_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refusal confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_confirmed_at = models.DateTimeField(_("refusal confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["tender_id", "lot_id", "pk"]
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
                | (
                    Q(status__in=["active", "refusal_recorded", "refused"])
                    & Q(confirmed_at__isnull=False)
                    & Q(confirmed_by__isnull=False)
                ),
                name="procurement_award_confirmed_when_active",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "active"])
                | (
                    Q(status__in=["refusal_recorded", "refused"])
                    & Q(refusal_recorded_at__isnull=False)
                    & ~Q(refusal_ground="")
                    & ~Q(refusal_reason="")
                    & ~Q(refusal_evidence_sha256="")
                ),
                name="procurement_award_refusal_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused")
                | (Q(refusal_confirmed_at__isnull=False) & Q(refusal_confirmed_by__isnull=False)),
                name="procurement_award_refusal_confirmed",
            ),
            # One live award per lot: a refused one stays on record beside its replacement.
            models.UniqueConstraint(
                fields=["lot"],
                condition=Q(status__in=["proposed", "active", "refusal_recorded"]),
                name="procurement_award_one_live_per_lot",
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
    # The provider whose conduct the complaint concerns (e.g. another bidder's false materials),
    # when it names one. Upheld against it, or found false or malicious (Reg. Art. 73), the
    # decision becomes a credit fact (govbuy.core.facts).
    against_provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider whose conduct it concerns"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    upheld_against_provider = models.BooleanField(_("upheld against the provider named"), default=False)
    false_complaint = models.BooleanField(_("false or malicious complaint (Reg. Art. 73)"), default=False)

    class Meta:
        ordering = ["lodged_at", "pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.CheckConstraint(
                condition=Q(upheld_against_provider=False)
                | (Q(status="decided") & Q(upheld=True) & Q(against_provider__isnull=False)),
                name="procurement_complaint_upheld_against_named",
            ),
            models.CheckConstraint(
                condition=Q(false_complaint=False) | (Q(status="decided") & Q(upheld=False)),
                name="procurement_complaint_false_when_dismissed",
            ),
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

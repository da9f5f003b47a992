"""Delivery: milestones, the provider's deliverables with their evidence, acceptance (驗收),
monitoring visits (監督項目實施), payments, the delivery roster and subcontracting (轉包) flags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.contracts.models.contracts import Contract, PayeeAccount
from govbuy.core.models import TimestampedModel, VersionedModel
from govbuy.core.money import MoneyField


class MilestoneKind(models.TextChoices):
    DELIVERY = "delivery", _("service delivery")
    FINANCING = "financing", _("financing")


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SUBMITTED = "submitted", _("deliverable submitted")
    ACCEPTED = "accepted", _("accepted")


class Milestone(VersionedModel):
    """A service period with its quantity and quality targets; the percentages of a contract's
    milestones sum to 100."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="milestones"
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=MilestoneKind.choices, default=MilestoneKind.DELIVERY)
    due_date = models.DateField(_("due date"))
    percentage = models.DecimalField(_("share of the value (%)"), max_digits=5, decimal_places=2)
    quantity_target = models.CharField(_("quantity target"), max_length=300)
    quality_target = models.CharField(_("quality target"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # Set when the schedule is drafted: the milestone is paid only once the performance
    # evaluation round tied to it (the round's `milestone`) is finalised (core.evaluation_gate).
    needs_evaluation = models.BooleanField(_("paid after its performance evaluation"), default=False)

    class Meta:
        ordering = ["contract_id", "sequence"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="contracts_milestone_sequence"),
            models.CheckConstraint(
                condition=Q(percentage__gt=0) & Q(percentage__lte=100), name="contracts_milestone_percentage"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
                name="contracts_milestone_accepted_when_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.title}"


class DeliverableStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCEPTING = "accepting", _("acceptance awaiting a second confirmation")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned with reasons")


class Deliverable(VersionedModel):
    """What the provider hands in for a milestone: a report with its evidence."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="deliverables"
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="deliverables"
    )
    summary = models.TextField(_("summary of the work done"), max_length=4000)
    quantity_achieved = models.CharField(_("quantity achieved"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliverableStatus.choices, default=DeliverableStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    first_acceptor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reasons = models.TextField(_("reasons for returning"), blank=True, max_length=4000)

    class Meta:
        ordering = ["contract_id", "-submitted_at", "-pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reasons=""), name="contracts_deliverable_return_reasons"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "returned"]) | Q(decided_at__isnull=False),
                name="contracts_deliverable_decided",
            ),
        ]
        indexes = [models.Index(fields=["contract", "status"], name="contracts_deliverable_open")]

    def __str__(self) -> str:
        return f"{self.milestone_id} · {self.submitted_at:%Y-%m-%d}"


class DeliverableDocument(TimestampedModel):
    """Evidence: service records, attendance lists, reports, photos (checked by core.uploads)."""

    deliverable = models.ForeignKey(
        Deliverable, verbose_name=_("deliverable"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    display_name = models.CharField(_("file name"), max_length=200)
    path = models.CharField(max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    kind = models.CharField(_("type"), max_length=8)
    content_type = models.CharField(max_length=100)
    # The author or company the file's own metadata names (PDF /Author, OOXML dc:creator, company).
    author_metadata = models.CharField(_("author in the file's metadata"), max_length=300, blank=True)

    class Meta:
        ordering = ["deliverable_id", "pk"]
        verbose_name = _("deliverable document")
        verbose_name_plural = _("deliverable documents")
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="contracts_document_not_empty")]

    def __str__(self) -> str:
        return self.display_name


class VisitRating(models.TextChoices):
    SATISFACTORY = "satisfactory", _("satisfactory")
    CONCERNS = "concerns", _("concerns to follow up")
    SERIOUS = "serious", _("serious problems")


class MonitoringVisit(TimestampedModel):
    """The purchaser supervises the implementation (監督項目實施)."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    rating = models.CharField(_("rating"), max_length=16, choices=VisitRating.choices)
    findings = models.TextField(_("findings"), max_length=4000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["contract_id", "-visited_on", "-pk"]
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")

    def __str__(self) -> str:
        return f"{self.contract_id} {self.visited_on}"


class Payment(TimestampedModel):
    """A payment against an accepted milestone to the provider's own account."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="payments"
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.PROTECT, related_name="payments"
    )
    payee = models.ForeignKey(PayeeAccount, verbose_name=_("payee account"), on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["contract_id", "paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contracts_payment_positive"),
            models.UniqueConstraint(fields=["contract", "reference"], name="contracts_payment_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.amount}"


class RosterMember(TimestampedModel):
    """A person who does the work, drawn from the provider's own staff list."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="roster")
    name = models.CharField(_("name"), max_length=100)
    # Matches the staff list's certificate number; the key for "the same person elsewhere".
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=100)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    on_staff_list = models.BooleanField(_("on the provider's staff list"), default=False)
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"))

    class Meta:
        ordering = ["contract_id", "pk"]
        verbose_name = _("roster member")
        verbose_name_plural = _("delivery roster")
        constraints = [
            models.CheckConstraint(condition=Q(to_date__gte=models.F("from_date")), name="contracts_roster_period"),
        ]
        indexes = [models.Index(fields=["certificate_number"], name="contracts_roster_certificate")]

    def __str__(self) -> str:
        return self.name


class FlagKind(models.TextChoices):
    ROSTER_ELSEWHERE = "roster_elsewhere", _("a roster member works for another provider in the same period")
    ROSTER_NOT_STAFF = "roster_not_staff", _("the roster does not overlap the provider's declared staff")
    SHARED_PAYEE = "shared_payee", _("the payee account is also another provider's")
    SHARED_PHONE = "shared_phone", _("a telephone number is also another provider's")
    SHARED_ADDRESS = "shared_address", _("the address is also another provider's")
    DOCUMENT_AUTHOR = "document_author", _("a deliverable's author metadata names another organisation")


class SubcontractingFlag(models.Model):
    """A sign of subcontracting (轉包) for the purchaser and the finance bureau to look at."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("kind"), max_length=24, choices=FlagKind.choices)
    key = models.CharField(_("what matched"), max_length=300)
    detail = models.CharField(_("detail"), max_length=500)
    raised_at = models.DateTimeField(_("raised at"))

    class Meta:
        ordering = ["contract_id", "raised_at", "pk"]
        verbose_name = _("subcontracting flag")
        verbose_name_plural = _("subcontracting flags")
        constraints = [models.UniqueConstraint(fields=["contract", "kind", "key"], name="contracts_flag_once")]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.kind}"

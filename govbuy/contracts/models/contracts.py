"""The contract (Order 102 Art. 23), its payee account, amendments (Law Art. 49) and the template
the city finance bureau edits for the contract PDF."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import TimestampedModel, VersionedModel
from govbuy.core.money import MoneyField
from govbuy.organizations.models import Organisation, Region


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PROVIDER_SIGNED = "provider_signed", _("signed by the provider")
    SIGNED = "signed", _("signed by both parties")
    PUBLISHED = "published", _("published, in delivery")
    SUSPENDED = "suspended", _("suspended")
    TERMINATED = "terminated", _("terminated")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class Basis(models.TextChoices):
    AWARD = "award", _("award of a procurement")
    COMMISSION = "commission", _("commission outside the procurement scope")


class BondForm(models.TextChoices):
    NONE = "none", _("no performance bond")
    BANK_GUARANTEE = "bank_guarantee", _("bank guarantee")
    GUARANTEE_INSURANCE = "guarantee_insurance", _("guarantee insurance")
    GUARANTEE_LETTER = "guarantee_letter", _("guarantee letter of a guarantee institution")


class TerminationCause(models.TextChoices):
    AGREEMENT = "agreement", _("by agreement of the parties")
    PROVIDER_DEFAULT = "provider_default", _("for cause: the provider failed to perform")
    SUBCONTRACTING = "subcontracting", _("for cause: subcontracting (轉包) found")
    PURCHASER = "purchaser", _("by the purchaser for public interest")


class PayeeAccount(TimestampedModel):
    """A bank account a provider named for payments. Kept in contracts (not providers) because only
    payments use it; a payment goes only to an account of the contracting provider."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("account holder"), on_delete=models.PROTECT, related_name="+"
    )
    bank_name = models.CharField(_("bank"), max_length=200)
    account_name = models.CharField(_("account name"), max_length=200)
    account_number = models.CharField(_("account number"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation_id", "pk"]
        verbose_name = _("payee account")
        verbose_name_plural = _("payee accounts")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "account_number"], name="contracts_payee_once"),
        ]
        indexes = [models.Index(fields=["account_number"], name="contracts_payee_number")]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number}"


class Contract(VersionedModel):
    """A written contract between a purchaser and a provider for one awarded lot or one approved
    commission. `amount_paid` is the running sum of payments, kept under a row lock and backed by
    the CHECK that it never exceeds `value`."""

    reference = models.CharField(_("reference"), max_length=48, unique=True)
    title = models.CharField(_("title"), max_length=200)
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    purchaser = models.ForeignKey(Organisation, verbose_name=_("purchaser"), on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "planning.Project", verbose_name=_("purchase project"), on_delete=models.PROTECT, related_name="contracts"
    )
    award = models.OneToOneField(
        "procurement.Award",
        verbose_name=_("award"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract",
    )
    commission_reason = models.TextField(_("written reason for the commission"), blank=True, max_length=2000)
    award_notice_at = models.DateTimeField(_("award notice date"))
    # Order 102 Art. 23: the written terms.
    content = models.TextField(_("content of the service"), max_length=8000)
    quantity_quality = models.TextField(_("quantity and quality"), max_length=8000)
    settlement = models.TextField(_("settlement and payment schedule"), max_length=4000)
    rights_duties = models.TextField(_("rights and duties"), max_length=4000)
    liability = models.TextField(_("liability for breach"), max_length=4000)
    original_value = MoneyField(_("original contract value"))
    value = MoneyField(_("contract value"))
    amount_paid = MoneyField(_("amount paid"), default=0)
    period_start = models.DateField(_("contract period from"))
    period_end = models.DateField(_("contract period to"))
    # Order 102 Art. 24: a term over one year needs all three, and at most three years.
    recurring = models.BooleanField(_("recurring service"), default=False)
    stable_content = models.BooleanField(_("stable content"), default=False)
    budget_secured = models.BooleanField(_("budget secured for the whole term"), default=False)
    bond_amount = MoneyField(_("performance bond"), default=0)
    bond_form = models.CharField(_("form of the bond"), max_length=24, choices=BondForm.choices, default=BondForm.NONE)
    no_financing_guarantee = models.BooleanField(
        _("the purchaser gives no guarantee for the provider's financing"), default=False
    )
    payee = models.ForeignKey(
        PayeeAccount, verbose_name=_("payee account"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    provider_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_signed_at = models.DateTimeField(_("signed by the provider at"), null=True, blank=True)
    # Four eyes above the award threshold: the first purchaser signature waits for a second user.
    purchaser_first_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    purchaser_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_late = models.BooleanField(_("signed after the time limit"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_late = models.BooleanField(_("published after the time limit"), default=False)
    # Reg. Art. 50: the parts the purchaser marks as commercial secrets, each with its reason:
    # [{"section": "settlement", "reason": "..."}]
    withheld = models.JSONField(_("withheld commercial secrets"), default=list, blank=True)
    filed_at = models.DateTimeField(_("filed with the finance bureau at"), null=True, blank=True)
    filed_late = models.BooleanField(_("filed after the time limit"), default=False)
    suspended_from = models.CharField(_("status before the suspension"), max_length=16, blank=True)
    suspension_reason = models.TextField(_("reason for the suspension"), blank=True, max_length=2000)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    termination_cause = models.CharField(
        _("cause of termination"), max_length=24, choices=TerminationCause.choices, blank=True
    )
    termination_reason = models.TextField(_("reason for termination"), blank=True, max_length=4000)
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    pdf_path = models.CharField(max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("sha256 of the contract PDF"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn up by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="contracts_contract_value_positive"),
            models.CheckConstraint(condition=Q(original_value__gt=0), name="contracts_contract_original_positive"),
            # The sum of payments never exceeds the value (payments keep amount_paid under a lock).
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0) & Q(amount_paid__lte=F("value")),
                name="contracts_contract_paid_within_value",
            ),
            # Law Art. 49: supplementary agreements add at most 10 % of the original amount.
            models.CheckConstraint(
                condition=Q(value__lte=F("original_value") * Decimal("1.1")),
                name="contracts_contract_increase_at_most_10_percent",
            ),
            # Reg. Art. 48: the performance bond is at most 10 % of the contract value.
            models.CheckConstraint(
                condition=Q(bond_amount__gte=0) & Q(bond_amount__lte=F("value") * Decimal("0.1")),
                name="contracts_contract_bond_at_most_10_percent",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="contracts_contract_period"),
            models.CheckConstraint(
                condition=(Q(basis="award") & Q(award__isnull=False))
                | (Q(basis="commission") & Q(award__isnull=True) & ~Q(commission_reason="")),
                name="contracts_contract_basis",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ContractStatus]), name="contracts_contract_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "provider_signed", "cancelled"]) | Q(signed_at__isnull=False),
                name="contracts_contract_signed_when_signed",
            ),
        ]
        indexes = [
            models.Index(fields=["purchaser", "status"], name="contracts_contract_purchaser"),
            models.Index(fields=["provider", "status"], name="contracts_contract_provider"),
            models.Index(fields=["region", "status"], name="contracts_contract_region"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class AmendmentRationale(models.TextChoices):
    VALUE_INCREASE = "value_increase", _("additional services of the same kind (Law Art. 49)")
    TERM_CHANGE = "term_change", _("change of the contract period")
    SCOPE_CHANGE = "scope_change", _("change of quantity or content")
    PRICE_REDUCTION = "price_reduction", _("reduction of the price")


class AmendmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed, awaiting a second confirmation")
    ACTIVE = "active", _("in force")


class Amendment(models.Model):
    """A supplementary agreement. One purchaser user proposes, a different one confirms."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    rationale = models.CharField(_("rationale"), max_length=24, choices=AmendmentRationale.choices)
    description = models.TextField(_("description"), max_length=4000)
    value_change = MoneyField(_("change of value"), default=0)
    new_period_end = models.DateField(_("new end of the contract period"), null=True, blank=True)
    value_before = MoneyField(_("value before"))
    period_end_before = models.DateField(_("period end before"))
    status = models.CharField(
        _("status"), max_length=16, choices=AmendmentStatus.choices, default=AmendmentStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["contract_id", "number"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contracts_amendment_number"),
            models.UniqueConstraint(
                fields=["contract"], condition=Q(status="proposed"), name="contracts_amendment_one_open"
            ),
            models.CheckConstraint(
                condition=(Q(status="proposed") & Q(confirmed_at__isnull=True))
                | (Q(status="active") & Q(confirmed_at__isnull=False)),
                name="contracts_amendment_confirmed_when_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.number}"


class ContractTemplate(VersionedModel):
    """The text of the contract PDF (a Django template), edited by the city finance bureau. The
    newest row is used; earlier rows stay so every stored PDF can be traced to its text."""

    body = models.TextField(_("template"), max_length=40000)
    note = models.CharField(_("note on this version"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")

    def __str__(self) -> str:
        return f"{self.pk} {self.note}"

"""The provider registry (承接主體, seed §三.三): a provider's profile and state, its eligibility
dossier (one section per statutory condition, with statements, staff and documents), the
registration authority's decisions, service areas, related parties, and the extra conditions a
purchaser sets for a procurement (checked against a table of discriminatory patterns).

A provider is an `organizations.Organisation`; this app adds what only providers have.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import TimestampedModel, VersionedModel
from govbuy.organizations.models import Organisation


class Condition(models.TextChoices):
    """The statutory conditions of seed §三.三 (and Law Art. 22 for the declaration)."""

    CIVIL_LIABILITY = "civil_liability", _("independent civil liability")
    CAPACITY = "capacity", _("facilities, staff and expertise")
    GOVERNANCE = "governance", _("governance structure")
    FINANCE = "finance", _("financial accounting and asset management")
    REPUTATION = "reputation", _("good social and business reputation")
    TAX_SOCIAL_INSURANCE = "tax_social_insurance", _("tax and social-insurance record")
    NO_MAJOR_VIOLATION = "no_major_violation", _("no major violation in the last three years")
    AUTHORITY_CONDITIONS = "authority_conditions", _("conditions of the registration authority")


class ProviderProfile(VersionedModel):
    class State(models.TextChoices):
        REGISTERED = "registered", _("registered")
        VERIFIED = "verified", _("verified")

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="provider_profile"
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.REGISTERED)
    # The organisation kind whose members verify this provider (civil affairs, market regulation…),
    # fixed at registration from organizations.rules.verifier_kind_for.
    authority_kind = models.CharField(_("verifying authority kind"), max_length=48)
    registration_authority = models.CharField(_("registration authority"), max_length=200)
    legal_representative = models.CharField(_("legal representative"), max_length=100)
    # HMAC of the representative's identity-document number: enough to find providers sharing
    # one (Reg. Art. 18) without keeping the number itself.
    legal_representative_key = models.CharField(max_length=64, db_index=True)
    registered_address = models.CharField(_("registered address"), max_length=300)
    registration_date = models.DateField(_("registration date"))
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact telephone"), max_length=40)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when an identity field changed since the last verification (rules.IDENTITY_FIELDS and
    # organizations.identity.IDENTITY_FIELDS); cleared when the authority verifies it again.
    identity_changed_at = models.DateTimeField(_("identity changed at"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name_zh", "pk"]
        verbose_name = _("provider profile")
        verbose_name_plural = _("provider profiles")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["registered", "verified"]), name="provider_state_valid"),
            models.CheckConstraint(
                condition=Q(state="registered") | Q(verified_at__isnull=False), name="provider_verified_has_date"
            ),
        ]
        indexes = [models.Index(fields=["state", "authority_kind"], name="provider_state_authority")]

    def __str__(self) -> str:
        return self.organisation.name_zh


class Restriction(TimestampedModel):
    """A period in which a provider may not take part in procurement: a ban decided by the credit
    system (Law Art. 77, Reg. Art. 72–73; nationwide per 財庫〔2015〕150號) or a suspension by its
    registration authority. Every restriction has an end: it stops applying by itself when the
    period is over (read at each request by selectors.participation, no job). Never edited; an
    early end (an objection upheld, a court's decision) is recorded as its lifting."""

    class Kind(models.TextChoices):
        BAN = "ban", _("ban")
        SUSPENSION = "suspension", _("suspension")

    class Reach(models.TextChoices):
        NATIONWIDE = "nationwide", _("nationwide government procurement")
        PLATFORM = "platform", _("purchases on this platform")

    profile = models.ForeignKey(
        ProviderProfile, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="restrictions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    # Exclusive: a ban "until 2027-05-31" ends at 2027-06-01 00:00 Beijing time.
    ends_at = models.DateTimeField(_("ends at"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    reason = models.CharField(_("facts and reason"), max_length=2000)
    authority = models.ForeignKey(
        Organisation,
        verbose_name=_("deciding authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    authority_name = models.CharField(_("deciding authority"), max_length=200)
    reach = models.CharField(_("scope"), max_length=16, choices=Reach.choices, default=Reach.NATIONWIDE)
    # Which record decided it, e.g. "credit.ban:12" (empty for a registration authority's suspension).
    source = models.CharField(_("source"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.CharField(_("reason for lifting"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("restriction")
        verbose_name_plural = _("restrictions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="provider_restriction_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(kind__in=["ban", "suspension"]), name="provider_restriction_kind_valid"),
            models.CheckConstraint(
                condition=Q(reach__in=["nationwide", "platform"]), name="provider_restriction_reach_valid"
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | ~Q(lift_reason=""), name="provider_restriction_lift_reason"
            ),
        ]
        indexes = [models.Index(fields=["profile", "ends_at"], name="provider_restriction_period")]

    def __str__(self) -> str:
        return f"{self.kind} {self.profile_id} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"

    def active_at(self, moment: Any) -> bool:
        return self.starts_at <= moment < self.ends_at and (self.lifted_at is None or self.lifted_at > moment)


class IdentityChange(models.Model):
    """One change of a provider's identity fields, kept for good: who it was before and after,
    who changed it, and what it did to the provider's state (a verified provider goes back to
    verification unless its own registration authority made the change)."""

    profile = models.ForeignKey(
        ProviderProfile, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="identity_changes"
    )
    changed_at = models.DateTimeField(_("changed at"), db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # {field: [before, after]}; an identity number appears only as "changed", never in clear.
    changes = models.JSONField(_("changes"), default=dict)
    state_before = models.CharField(_("state before"), max_length=16)
    state_after = models.CharField(_("state after"), max_length=16)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("identity change")
        verbose_name_plural = _("identity changes")

    def __str__(self) -> str:
        return f"{self.profile_id} {self.changed_at:%Y-%m-%d}"


class DossierSection(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        SUBMITTED = "submitted", _("submitted for verification")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    profile = models.ForeignKey(ProviderProfile, on_delete=models.CASCADE, related_name="sections")
    condition = models.CharField(_("condition"), max_length=32, choices=Condition.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    statement = models.TextField(_("statement"), blank=True, max_length=5000)
    # The signed declaration (Law Art. 22; Reg. Art. 17): who signed which text, when.
    declaration_text = models.TextField(_("declaration"), blank=True)
    declaration_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declaration_signed_at = models.DateTimeField(_("declaration signed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.CharField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["profile_id", "pk"]
        verbose_name = _("dossier section")
        verbose_name_plural = _("dossier sections")
        constraints = [
            models.UniqueConstraint(fields=["profile", "condition"], name="dossier_section_one_per_condition"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "accepted", "rejected"]),
                name="dossier_section_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""), name="dossier_section_rejection_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["status", "profile"], name="dossier_section_status")]

    def __str__(self) -> str:
        return f"{self.profile_id}:{self.condition}"


class DossierDocument(TimestampedModel):
    """Evidence for a section. Never deleted (the file stays as verified); a provider withdraws a
    document, which keeps it on record but out of the section."""

    section = models.ForeignKey(DossierSection, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    display_name = models.CharField(_("file name"), max_length=200)
    path = models.CharField(max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    kind = models.CharField(_("type"), max_length=8)
    content_type = models.CharField(max_length=100)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["section_id", "-created_at", "pk"]
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="dossier_document_validity_ordered",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="dossier_document_not_empty"),
        ]
        indexes = [
            models.Index(fields=["valid_until"], condition=Q(withdrawn_at__isnull=True), name="dossier_document_expiry")
        ]

    def __str__(self) -> str:
        return self.display_name


class StaffEntry(TimestampedModel):
    """One person on the staff list of the capacity section, with the qualification they hold."""

    section = models.ForeignKey(DossierSection, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=100)
    qualification = models.CharField(_("qualification"), max_length=200)
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    qualification_valid_until = models.DateField(_("qualification valid until"), null=True, blank=True)

    class Meta:
        ordering = ["section_id", "pk"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff list")

    def __str__(self) -> str:
        return self.name


class SectionDecision(models.Model):
    """Every decision on a section, in order, so the provider sees the history, not only the last."""

    section = models.ForeignKey(DossierSection, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=16)
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["section_id", "-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=["accepted", "rejected"]), name="section_decision_valid")
        ]

    def __str__(self) -> str:
        return f"{self.section_id}:{self.decision}"


class ExpiryNotice(models.Model):
    """The expiry job's record that it told the provider about a document; one per document and
    kind, which makes the job idempotent. Whether a document is expired is decided at read time."""

    class Kind(models.TextChoices):
        EXPIRING = "expiring", _("expires soon")
        EXPIRED = "expired", _("expired")

    document = models.ForeignKey(DossierDocument, on_delete=models.CASCADE, related_name="expiry_notices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "kind"], name="expiry_notice_once")]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.kind}"


class ServiceArea(TimestampedModel):
    """A catalog item the provider offers, shown in the public directory. `item_code` matches the
    item across catalog versions (codes are stable; rows are per version)."""

    profile = models.ForeignKey(ProviderProfile, on_delete=models.CASCADE, related_name="service_areas")
    item = models.ForeignKey("catalog.CatalogItem", on_delete=models.PROTECT, related_name="+")
    item_code = models.CharField(_("catalog code"), max_length=32)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["profile_id", "item_code", "pk"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        constraints = [models.UniqueConstraint(fields=["profile", "item_code"], name="service_area_once_per_code")]

    def __str__(self) -> str:
        return self.item_code


class RelatedParty(TimestampedModel):
    """Two providers that may not bid in the same lot (Reg. Art. 18). Stored once per pair with
    the lower organisation id first."""

    class Basis(models.TextChoices):
        SAME_LEGAL_REPRESENTATIVE = "same_legal_representative", _("same legal representative")
        CONTROL = "control", _("control relation")

    first = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(_("basis"), max_length=32, choices=Basis.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["first_id", "second_id", "pk"]
        verbose_name = _("related party")
        verbose_name_plural = _("related parties")
        constraints = [
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="related_party_ordered_pair"),
            models.UniqueConstraint(
                fields=["first", "second", "basis"],
                condition=Q(ended_at__isnull=True),
                name="related_party_active_unique",
            ),
        ]


class ConditionPattern(VersionedModel):
    """One known discriminatory pattern (seed §三.三 last sentence): phrases that make a project
    condition suspect. Data the finance bureau edits, seeded by migration."""

    class Category(models.TextChoices):
        REGISTRATION_PLACE = "registration_place", _("place of registration")
        OWNERSHIP = "ownership", _("ownership type")
        SIZE_CAPITAL = "size_capital", _("size or capital beyond need")
        YEARS_IN_BUSINESS = "years_in_business", _("years in business beyond need")
        BRAND = "brand", _("named brand")
        PAST_CONTRACTS = "past_contracts", _("past contracts with this purchaser")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=48, unique=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    label_zh = models.CharField(_("label (Chinese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=300)
    # One phrase per line. `*` stands for up to six characters of anything ("成立*年以上").
    phrases = models.TextField(_("phrases"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("discriminatory condition pattern")
        verbose_name_plural = _("discriminatory condition patterns")

    def __str__(self) -> str:
        return self.code


class ProjectCondition(VersionedModel):
    """An extra condition a purchaser sets for a future procurement, tied to the service
    requirement it serves. A condition matching a pattern waits for the finance bureau."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        PENDING_APPROVAL = "pending_approval", _("flagged: awaits finance-bureau approval")
        APPROVED = "approved", _("approved by the finance bureau")
        REJECTED = "rejected", _("rejected as unrelated to the service")
        WITHDRAWN = "withdrawn", _("withdrawn")

    purchaser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="project_conditions")
    project_reference = models.CharField(_("project"), max_length=200)
    text = models.TextField(_("condition"), max_length=2000)
    service_requirement = models.TextField(_("service requirement it serves"), max_length=2000)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("project condition")
        verbose_name_plural = _("project conditions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["in_force", "pending_approval", "approved", "rejected", "withdrawn"]),
                name="project_condition_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""), name="project_condition_rejection_reason"
            ),
        ]
        indexes = [models.Index(fields=["status", "purchaser"], name="project_condition_status")]

    def __str__(self) -> str:
        return self.text[:60]

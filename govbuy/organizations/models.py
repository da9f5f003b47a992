from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import VersionedModel


class Region(models.Model):
    """The city (level city, no parent) or one of its districts (parent = the city)."""

    class Level(models.TextChoices):
        CITY = "city", _("city")
        DISTRICT = "district", _("district")

    code = models.CharField(_("administrative division code"), max_length=12, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="city", parent__isnull=True) | Q(level="district", parent__isnull=False)),
                name="region_city_has_no_parent_district_has_one",
            ),
            # One installation serves one city and its districts (mission §10).
            models.UniqueConstraint(fields=["level"], condition=Q(level="city"), name="region_single_city"),
        ]

    def __str__(self) -> str:
        return self.name_zh


class OrganisationKind(models.TextChoices):
    # Purchasers (購買主體) — seed §三.二, Order 102 Art. 5.
    ADMINISTRATIVE_AGENCY = "administrative_agency", _("administrative agency")
    PUBLIC_INSTITUTION_ADMINISTRATIVE = (
        "public_institution_administrative",
        _("public institution with administrative functions"),
    )
    MASS_ORGANISATION_BUDGET_FUNDED = (
        "mass_organisation_budget_funded",
        _("budget-funded mass organisation under administrative staffing"),
    )
    # Providers (承接主體) — seed §三.三, Order 102 Art. 6.
    SOCIAL_GROUP = "social_group", _("social group")
    SOCIAL_SERVICE_ORGANISATION = "social_service_organisation", _("social service organisation")
    FOUNDATION = "foundation", _("foundation")
    ENTERPRISE = "enterprise", _("enterprise")
    INDIVIDUAL_BUSINESS = "individual_business", _("individual business")
    PUBLIC_INSTITUTION_CLASS2 = "public_institution_class2", _("public institution (second public-welfare class)")
    PUBLIC_INSTITUTION_BUSINESS = "public_institution_business", _("public institution (business type)")
    RURAL_COLLECTIVE = "rural_collective", _("rural collective economic organisation")
    GRASSROOTS_SELF_GOVERNING = "grassroots_self_governing", _("grassroots self-governing organisation")
    INDIVIDUAL = "individual", _("individual")
    # Oversight bodies — seed §四.二.
    FINANCE_BUREAU = "finance_bureau", _("finance bureau")
    STAFFING_OFFICE = "staffing_office", _("staffing office")
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs bureau")
    MARKET_REGULATION = "market_regulation", _("market regulation administration")
    SUPERVISION = "supervision", _("supervision commission")
    AUDIT_OFFICE = "audit_office", _("audit office")
    THIRD_PARTY_EVALUATOR = "third_party_evaluator", _("third-party evaluator")
    # Order 102 Art. 8: may be neither purchaser nor provider. Listed so that a registration
    # naming them is refused with the reason instead of being silently impossible.
    PUBLIC_INSTITUTION_CLASS1 = "public_institution_class1", _("public institution (first public-welfare class)")
    MASS_ORGANISATION_INSTITUTIONAL_STAFFING = (
        "mass_organisation_institutional_staffing",
        _("fully budget-funded mass organisation under institutional staffing"),
    )


class Organisation(VersionedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=48, choices=OrganisationKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organisations")
    # Unified Social Credit Code (統一社會信用代碼), normalised; individuals have none.
    uscc = models.CharField(_("unified social credit code"), max_length=18, null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    # Stable codes of the doubts found when the code was last set (see uscc.WARNING_CODES); the
    # translated sentences are recomputed for display. A registration authority clears the
    # review flag once it has looked; the doubts themselves stay on record.
    uscc_warnings = models.JSONField(_("USCC warnings"), default=list, blank=True)
    uscc_review_pending = models.BooleanField(_("USCC warnings await review"), default=False)
    uscc_reviewed_at = models.DateTimeField(_("USCC warnings reviewed at"), null=True, blank=True)
    uscc_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("USCC warnings reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where and whom to contact: printed in the contacts of the public notices (the purchaser's
    # and the agency's in a tender notice, the winner's address in a result notice). Kept by the
    # organisation's own administrator (services.update_contacts).
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["region__code", "name_zh"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["uscc"], name="organisation_uscc_unique"),
            models.CheckConstraint(
                condition=~Q(kind__in=["public_institution_class1", "mass_organisation_institutional_staffing"]),
                name="organisation_kind_not_excluded_art8",
            ),
            # Individuals are identified otherwise; every other kind carries a code.
            models.CheckConstraint(
                condition=(Q(kind="individual", uscc__isnull=True) | (~Q(kind="individual") & Q(uscc__isnull=False))),
                name="organisation_uscc_iff_not_individual",
            ),
            # A Chinese postcode is six digits.
            models.CheckConstraint(
                condition=Q(postcode="") | Q(postcode__regex=r"^[0-9]{6}$"),
                name="organisation_postcode_six_digits",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "region"], name="organisation_kind_region"),
            models.Index(
                fields=["region", "kind"], condition=Q(uscc_review_pending=True), name="organisation_uscc_review"
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh


class Membership(models.Model):
    """A user's role in one organisation. A user may hold several."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        STAFF = "staff", _("staff")
        APPROVER = "approver", _("approver")
        READ_ONLY = "read_only", _("read-only")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["organisation_id", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_user_org_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

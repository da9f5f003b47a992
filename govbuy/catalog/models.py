"""The guidance catalog (指導性目錄, seed §三.一, §四.二): versions per region, their item trees, the
negative list (Order 102 Art. 10, Art. 18), district filings (備案) and staffing-office comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import TimestampedModel, VersionedModel
from govbuy.organizations.models import Organisation, Region

MAX_LEVEL = 4
CODE_MAX_LENGTH = 32


def localised_name(name_zh: str, name_zh_hant: str, name_en: str, language: str | None = None) -> str:
    """The name in the page's language: Traditional is converted from the Simplified name at write
    time; English falls back to Chinese when a row has no translation."""
    language = (language or get_language() or "zh-hans").lower()
    if language.startswith("en"):
        return name_en or name_zh
    if language in ("zh-hant", "zh-tw", "zh-hk", "zh-mo"):
        return name_zh_hant or name_zh
    return name_zh


class CatalogVersion(VersionedModel):
    """One version of a region's catalog. A published version never changes; an adjustment is
    a new draft that copies it. `version` (optimistic concurrency) covers the draft's items too."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded")
        DISCARDED = "discarded", _("discarded")

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="catalog_versions"
    )
    number = models.PositiveIntegerField(_("version number"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    notes = models.TextField(_("notes on this adjustment"), blank=True, max_length=4000)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    # The diff against the version it replaced, recorded at publication (see rules.diff_items).
    diff = models.JSONField(_("changes against the previous version"), default=dict, blank=True)
    diff_against = models.ForeignKey(
        "self",
        verbose_name=_("compared with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["region__code", "-number"]
        verbose_name = _("catalog version")
        verbose_name_plural = _("catalog versions")
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="catalog_version_region_number"),
            # One draft per region: two staff then edit the same draft and its version number
            # settles who was first, instead of two drafts racing to publication.
            models.UniqueConstraint(fields=["region"], condition=Q(status="draft"), name="catalog_version_one_draft"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "discarded"]) | Q(effective_from__isnull=False),
                name="catalog_version_published_has_date",
            ),
        ]
        indexes = [models.Index(fields=["region", "status", "effective_from"], name="catalog_version_effective")]

    def __str__(self) -> str:
        return f"{self.title_zh} (v{self.number})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.SUPERSEDED)

    @property
    def title(self) -> str:
        language = (get_language() or "zh-hans").lower()
        return self.title_en if language.startswith("en") and self.title_en else self.title_zh


class CatalogItem(models.Model):
    """A node of the tree: level 1 category, 2 sub-category, 3 item, optionally 4. Items are
    matched across versions by `code`, which is unique within a version."""

    version = models.ForeignKey(
        CatalogVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=CODE_MAX_LENGTH)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    position = models.PositiveIntegerField(_("position"), default=0)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    # OpenCC s2t of name_zh, computed when the name is written, so pages and search need no
    # conversion per request.
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    is_priority = models.BooleanField(_("priority livelihood service (民生)"), default=False)
    procurement_code = models.CharField(_("government procurement item code"), max_length=32, blank=True)

    class Meta:
        ordering = ["version_id", "position", "pk"]
        verbose_name = _("catalog item")
        verbose_name_plural = _("catalog items")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="catalog_item_code_unique_in_version"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=MAX_LEVEL), name="catalog_item_level_1_to_4"),
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                name="catalog_item_top_level_iff_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def name(self) -> str:
        return localised_name(self.name_zh, self.name_zh_hant, self.name_en)


class NegativeListMatter(VersionedModel):
    """A matter that may never be purchased, with its legal basis. `terms_zh` are the phrases
    that identify it in an item's name; a matter without terms is enforced by review only."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    legal_basis_zh = models.CharField(_("legal basis (Chinese)"), max_length=300)
    legal_basis_en = models.CharField(_("legal basis (English)"), max_length=300, blank=True)
    terms_zh = models.JSONField(_("identifying phrases"), default=list, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("negative-list matter")
        verbose_name_plural = _("negative list")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def name(self) -> str:
        language = (get_language() or "zh-hans").lower()
        return self.name_en if language.startswith("en") and self.name_en else self.name_zh

    @property
    def legal_basis(self) -> str:
        language = (get_language() or "zh-hans").lower()
        return self.legal_basis_en if language.startswith("en") and self.legal_basis_en else self.legal_basis_zh


class Filing(VersionedModel):
    """A district's catalog version filed with the city finance bureau (備案)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        RETURNED = "returned", _("returned with comments")

    catalog = models.ForeignKey(
        CatalogVersion, verbose_name=_("catalog version"), on_delete=models.PROTECT, related_name="filings"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="catalog_filings"
    )
    submitted_by_org = models.ForeignKey(
        Organisation, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="catalog_filings"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by (user)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    note = models.TextField(_("covering note"), blank=True, max_length=4000)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    # The city catalog the district version was compared with, and the result, as at submission.
    city_version = models.ForeignKey(
        CatalogVersion,
        verbose_name=_("city catalog compared"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    diff = models.JSONField(_("changes against the city catalog"), default=dict, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_comment = models.TextField(_("comments"), blank=True, max_length=4000)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("catalog filing")
        verbose_name_plural = _("catalog filings")
        constraints = [
            # A version waits in at most one filing at a time.
            models.UniqueConstraint(
                fields=["catalog"], condition=Q(status="submitted"), name="catalog_filing_one_open"
            ),
        ]
        indexes = [models.Index(fields=["status", "region"], name="catalog_filing_status_region")]

    def __str__(self) -> str:
        return f"{self.region} · {self.catalog}"


class DraftComment(TimestampedModel):
    """A comment on a draft by the staffing office (§四.二: it takes part in compiling the catalog)
    or the owning finance bureau. Comments are kept with the version after publication."""

    catalog = models.ForeignKey(
        CatalogVersion, verbose_name=_("catalog version"), on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    item_code = models.CharField(_("item code"), max_length=CODE_MAX_LENGTH, blank=True)
    body = models.TextField(_("comment"), max_length=4000)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("draft comment")
        verbose_name_plural = _("draft comments")

    def __str__(self) -> str:
        return f"{self.catalog} · {self.organisation}"


class ImportJob(models.Model):
    """A large spreadsheet import run in the background; small files are imported inline and
    leave no job. The file is kept on the row so any worker can run it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("imported")
        FAILED = "failed", _("refused")

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    # The draft to replace, or None to start a new draft when the import succeeds.
    catalog = models.ForeignKey(
        CatalogVersion,
        verbose_name=_("catalog version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(_("file name"), max_length=200)
    file_kind = models.CharField(_("file type"), max_length=8)
    file_sha256 = models.CharField(_("sha256"), max_length=64)
    # The file's name in storage (govbuy.core.storage): write-once, checked against file_sha256.
    file_path = models.CharField(_("stored file"), max_length=300)
    # The draft's version when the import was asked for; the import refuses to run if it moved.
    expected_version = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(_("phase"), max_length=16, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("catalog import")
        verbose_name_plural = _("catalog imports")

    def __str__(self) -> str:
        return f"{self.file_name} → {self.region}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

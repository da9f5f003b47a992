"""Published data: OCDS releases (immutable, in feed order) and the public search index."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Release(models.Model):
    """One OCDS release, written in the transaction of the stage event it publishes.

    `document` is the canonical JSON text (sorted keys, exact Decimal amounts) and `sha256` its
    digest; the release id is derived from the same digest, so one id can never carry two
    contents. `seq` is the feed position: dense, assigned under the feed head's lock, so feed
    order is commit order (design/reliability.md R10). PostgreSQL refuses UPDATE and DELETE.
    """

    seq = models.BigIntegerField(_("feed position"), unique=True)
    release_id = models.CharField(_("release id"), max_length=200, unique=True)
    ocid = models.CharField(_("OCID"), max_length=150)
    date = models.DateTimeField(_("release date"))
    tags = models.JSONField(_("tags"), default=list)
    stage = models.CharField(_("stage"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.BigIntegerField(_("object id"))
    document = models.TextField(_("document (canonical JSON)"))
    sha256 = models.CharField(_("sha256"), max_length=64)
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["seq"]
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")
        indexes = [
            models.Index(fields=["ocid", "seq"], name="disclosure_release_ocid_seq"),
            models.Index(fields=["object_type", "object_id"], name="disclosure_release_object"),
            models.Index(fields=["date"], name="disclosure_release_date"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(seq__gte=1), name="disclosure_release_seq_positive")]

    def __str__(self) -> str:
        return self.release_id


class FeedHead(models.Model):
    """The single row whose lock orders publications: the last feed position handed out."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"feed head #{self.last_seq}"


class SearchDocument(models.Model):
    """One public thing as search sees it. `tokens` holds the OpenCC-normalised, jieba-segmented
    words (and lower-cased English words), space-joined; SQLite indexes it in the FTS5 table
    `disclosure_search_fts` (rowid = id), PostgreSQL with a GIN index on its 'simple' tsvector."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("notice")
        PROJECT = "project", _("project")
        PROVIDER = "provider", _("provider")
        CATALOG_ITEM = "catalog_item", _("catalog item")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.BigIntegerField(_("object id"))
    region_id = models.BigIntegerField(_("region id"), null=True, blank=True)
    region_label = models.CharField(_("region"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=40, blank=True)
    category = models.CharField(_("catalog category"), max_length=40, blank=True)
    method = models.CharField(_("procurement method"), max_length=40, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    summary_zh = models.CharField(_("summary (Chinese)"), max_length=500, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=600, blank=True)
    url = models.CharField(_("URL"), max_length=300, blank=True)
    tokens = models.TextField(_("search tokens"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["kind", "-year", "title_zh", "id"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="disclosure_search_object_unique")
        ]
        indexes = [
            models.Index(fields=["kind", "region_id", "year"], name="disclosure_search_filters"),
            # PostgreSQL also has `disclosure_search_order` on the result order (kind, year DESC
            # NULLS LAST, title_zh, id), made in migration 0004: SQLite cannot index NULLS LAST.
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title_zh}"

"""Published data: OCDS releases (immutable, in feed order), the public search index, and the
public's feedback on purchase projects (moderated by the purchaser)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import VersionedModel


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


class FeedbackStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class Feedback(VersionedModel):
    """A member of the public's comment on a public purchase project (the portal's project page).

    Stored as pending; the purchaser publishes it (with an optional reply, published with it) or
    rejects it with a reason. `contact` is for the purchaser only and is never published.
    `client_key` is a keyed hash of the sender's address, kept only to count submissions for the
    rate limit: the address itself is not stored here.
    """

    project = models.ForeignKey(
        "planning.Project", verbose_name=_("purchase project"), on_delete=models.PROTECT, related_name="+"
    )
    # The project's purchaser when the feedback came in: the moderation scope, without a join.
    purchaser = models.ForeignKey(
        "organizations.Organisation", verbose_name=_("purchaser"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    contact = models.CharField(_("contact (not published)"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.PENDING
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    client_key = models.CharField(_("sender key"), max_length=64, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, max_length=2000)
    reply = models.TextField(_("reply"), blank=True, max_length=2000)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("public feedback")
        verbose_name_plural = _("public feedback")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "published", "rejected"]),
                name="disclosure_feedback_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(moderated_at__isnull=False),
                name="disclosure_feedback_moderated_when_decided",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="disclosure_feedback_rejected_with_reason",
            ),
            models.CheckConstraint(condition=~models.Q(message=""), name="disclosure_feedback_message_not_empty"),
        ]
        indexes = [
            models.Index(fields=["project", "status", "submitted_at"], name="disclosure_feedback_project"),
            models.Index(fields=["purchaser", "status"], name="disclosure_feedback_queue"),
            models.Index(fields=["client_key", "submitted_at"], name="disclosure_feedback_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.pk} · {self.status}"

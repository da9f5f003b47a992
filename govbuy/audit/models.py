from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One append-only entry of the hash chain. Never updated or deleted (triggers refuse it on
    PostgreSQL and SQLite); `position` is dense from 1 and `hash` covers `prev_hash` and every
    field, keyed under GOVBUY_AUDIT_CHAIN_KEY (`scheme` 2; govbuy.audit.chain)."""

    position = models.BigIntegerField(_("position"), unique=True)
    occurred_at = models.DateTimeField(_("time (UTC)"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True, blank=True, db_index=True)
    organisation_label = models.CharField(_("organisation"), max_length=300, blank=True)
    region_id = models.BigIntegerField(_("region id"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.CharField(_("IP address"), max_length=64, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, unique=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    # 1: plain sha256 (events written before the chain was keyed), 2: HMAC under the chain key.
    scheme = models.PositiveSmallIntegerField(_("hash scheme"), default=1)

    class Meta:
        ordering = ["position"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"#{self.position} {self.action}"


class AuditSeal(models.Model):
    """An event withheld from every reader of the trail until its seal is lifted: who bid on a
    tender, and how many, is nobody's business until the opening (Reg. Art. 14). The seal is not
    part of the chain (lifting it changes no event); `key` names what lifts it
    ("procurement.tender:<id>"), `position` the event."""

    position = models.BigIntegerField(_("position"), unique=True)
    key = models.CharField(_("sealed until"), max_length=100, db_index=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sealed audit event")
        verbose_name_plural = _("sealed audit events")

    def __str__(self) -> str:
        return f"#{self.position} sealed until {self.key}"


class AuditHead(models.Model):
    """A single row holding the chain's head. Appenders lock it, so the chain cannot fork."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    position = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.position}"


class AuditCheckpoint(models.Model):
    """The head hash at a moment, published on the portal, so a cut tail can be proven."""

    position = models.BigIntegerField(_("position"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    reason = models.CharField(_("reason"), max_length=100)
    created_at = models.DateTimeField(_("created at"))
    signature = models.CharField(_("signature"), max_length=64)

    class Meta:
        ordering = ["-position"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint #{self.position} {self.head_hash[:12]}"


class VerifyRun(models.Model):
    """One verification of the whole chain, requested from the audit page, the API or the daily
    command. A background task fills in progress and the result; the page polls this row."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        INTACT = "intact", _("intact")
        BROKEN = "broken", _("broken")
        FAILED = "failed", _("failed")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    requested_by_id = models.BigIntegerField(_("requested by (id)"), null=True, blank=True)
    requested_by_label = models.CharField(_("requested by"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Refreshed with every progress step, so a run whose worker died can be told from a slow one.
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    total = models.BigIntegerField(_("events to check"), default=0)
    checked = models.BigIntegerField(_("events checked"), default=0)
    first_broken_position = models.BigIntegerField(_("first broken position"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    checkpoint_position = models.BigIntegerField(_("checkpoint position"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit verification")
        verbose_name_plural = _("audit verifications")

    def __str__(self) -> str:
        return f"verify run {self.pk} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if not self.is_active else 0
        return min(100, int(self.checked * 100 / self.total))

"""Recipient satisfaction surveys (服務對象滿意度): one-time invitation codes stored only as a keyed
hash, anonymous answers (no link to a person or to the code that was used) and the flags that
suspicious patterns raise for a person to look at."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import TimestampedModel, VersionedModel


class SurveyStatus(models.TextChoices):
    OPEN = "open", _("open for answers")
    CLOSED = "closed", _("closed")


class Survey(VersionedModel):
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.ForeignKey(
        "performance.EvaluationRound",
        verbose_name=_("round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    title = models.CharField(_("title"), max_length=200)
    # The 5-point questions, in Chinese, in order.
    questions = models.JSONField(_("questions"), default=list)
    status = models.CharField(_("status"), max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    closes_at = models.DateTimeField(_("closes at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opened_at")), name="performance_survey_period")
        ]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """One printed or sent code. Only its keyed hash is stored (settings.GOVBUY_SURVEY_CODE_KEY)."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations")
    code_hash = models.CharField(max_length=64, unique=True)
    batch = models.PositiveIntegerField(_("batch"))
    issued_at = models.DateTimeField(_("issued at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["survey_id", "pk"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        indexes = [models.Index(fields=["survey", "used_at"], name="performance_invitation_used")]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.pk}"


class Answer(models.Model):
    """An anonymous answer: no user, no invitation. `issued_at` is the issue time of the code's
    batch (for the "seconds after issue" flag) and `address_key` a keyed hash of the sender's
    address (for the burst flag); neither identifies a person."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="answers")
    ratings = models.JSONField(_("ratings"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    issued_at = models.DateTimeField(_("code issued at"))
    address_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["survey_id", "pk"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [models.Index(fields=["survey", "submitted_at"], name="performance_answer_time")]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.pk}"


class FlagKind(models.TextChoices):
    BURST = "burst", _("burst of answers from one address")
    IDENTICAL = "identical", _("identical answer sets")
    TOO_FAST = "too_fast", _("answered seconds after the code was issued")
    OUT_OF_HOURS = "out_of_hours", _("answered outside the service hours")


class SurveyFlag(TimestampedModel):
    answer = models.ForeignKey(Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("pattern"), max_length=16, choices=FlagKind.choices)

    class Meta:
        ordering = ["answer_id", "kind"]
        verbose_name = _("survey flag")
        verbose_name_plural = _("survey flags")
        constraints = [models.UniqueConstraint(fields=["answer", "kind"], name="performance_flag_once")]

    def __str__(self) -> str:
        return f"{self.answer_id} {self.kind}"


class CodeAttempt(models.Model):
    """A wrong survey code, by a keyed hash of the sender's address: counted to refuse guessing."""

    address_key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("wrong survey code")
        verbose_name_plural = _("wrong survey codes")
        indexes = [models.Index(fields=["address_key", "at"], name="performance_attempt_sender")]

    def __str__(self) -> str:
        return self.address_key[:8]

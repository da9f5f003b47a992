from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimestampedModel):
    """Optimistic concurrency: a write names the version it read; a stale version gets 409."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class CalendarYear(models.Model):
    """Which years the holiday table covers, and how firmly.

    official: the State Council's notice is loaded (holidays and make-up working days).
    provisional: only the statutory holidays are known; make-up days await the notice.
    A year without a row is counted with weekends only, and pages say so.
    """

    class Status(models.TextChoices):
        OFFICIAL = "official", _("official notice loaded")
        PROVISIONAL = "provisional", _("statutory holidays only (notice not yet published)")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)
    # Bumped by every change to the year or to any of its days, so an edit page that read the
    # year at version N is refused (409) when someone changed the year since.
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["official", "provisional"]), name="core_calendaryear_status_valid"
            ),
        ]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return f"{self.year} ({self.get_status_display()})"


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule: a public holiday, or a make-up working day (調休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday (rest day)")
        WORKDAY = "workday", _("make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]), name="core_calendarday_kind_valid"
            ),
        ]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name_zh}"

"""Reports to registration authorities (seed §四.二): per authority and year, what its providers
did — kept with when they were issued, by whom and to whom, and when the authority took them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.organizations.models import Organisation


class AuthorityReport(models.Model):
    recipient = models.ForeignKey(
        Organisation, verbose_name=_("registration authority"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey(Organisation, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))
    rows = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(_("providers"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("report to a registration authority")
        verbose_name_plural = _("reports to registration authorities")
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000), name="credit_report_year_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.year}"

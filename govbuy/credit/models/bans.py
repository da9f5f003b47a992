"""Bans decided in the credit system (Law Art. 77, Reg. Art. 72–73). The restriction that the
participation gate reads lives in providers (providers.Restriction); a Ban is the credit record
of the decision, with the fields the national serious-violation list publishes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govbuy.core.models import TimestampedModel
from govbuy.credit.models.facts import CreditFact
from govbuy.organizations.models import Organisation
from govbuy.providers.models import Restriction


class Ban(TimestampedModel):
    provider = models.ForeignKey(Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    restriction = models.OneToOneField(
        Restriction, verbose_name=_("restriction"), on_delete=models.PROTECT, related_name="credit_ban"
    )
    fact = models.ForeignKey(
        CreditFact, verbose_name=_("fact"), null=True, blank=True, on_delete=models.PROTECT, related_name="bans"
    )
    # As published on the national list (名称, 统一社会信用代码, 地址) at the decision.
    name_zh = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    address = models.CharField(_("address"), max_length=300, blank=True)
    facts = models.CharField(_("facts of the violation"), max_length=2000)
    penalty = models.CharField(_("penalty"), max_length=1000)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    decision_number = models.CharField(_("decision number"), max_length=100)
    starts_on = models.DateField(_("ban starts"))
    ends_on = models.DateField(_("ban ends (last day)"))
    authority = models.ForeignKey(
        Organisation, verbose_name=_("deciding authority"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("decided on"))
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="credit_ban_ends_after_start"),
        ]
        indexes = [models.Index(fields=["ends_on"], name="credit_ban_ends")]

    def __str__(self) -> str:
        return f"{self.name_zh} {self.starts_on}–{self.ends_on}"

"""{{ flag|evidence }}: the data behind a risk flag as labelled lines (the rules keep their evidence
under codes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from govbuy.core import present

register = template.Library()

LABELS = {
    "opened_bids": _("valid bids at the opening"),
    "period_days": _("bidding period (days)"),
    "minimum_days": _("legal minimum (days)"),
    "margin_days": _("margin over the minimum (days)"),
    "amount": _("award amount (yuan)"),
    "budget": _("budget (yuan)"),
    "share": _("share"),
    "provider_id": _("provider"),
    "providers": _("providers"),
    "tenders": _("tenders"),
    "projects": _("projects"),
    "basis": _("relation"),
    "sha256": _("document SHA-256"),
    "member_id": _("panel member"),
    "bid_id": _("bid"),
    "points": _("points"),
    "others_mean": _("mean of the other members"),
    "contact": _("shared contact"),
    "value": _("value"),
    "facts": _("negative credit facts"),
    "contract": _("contract"),
    "original_value": _("original contract value (yuan)"),
    "increase": _("increase by amendments (yuan)"),
    "amendments": _("amendments"),
    "step": _("step"),
    "due": _("last day"),
    "done": _("done on"),
    "days_late": _("days late"),
    "milestone": _("milestone"),
    "milestone_id": _("milestone number"),
    "documents": _("evidence documents"),
    "threshold": _("rule threshold"),
}
MONEY = frozenset({"amount", "budget", "original_value", "increase"})
# Counts and days read as numbers ("20", "2.5"), never as stored decimals ("-0.00", "20.00").
NUMBERS = frozenset({"opened_bids", "period_days", "minimum_days", "margin_days", "days_late", "points", "others_mean"})


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values())
    if value == "":
        return str(_("not yet"))
    return str(value)


def _shown(key: str, value: Any) -> str:
    if key in MONEY:
        return present.yuan(Decimal(str(value)))
    if key in NUMBERS:
        return present.quantity(value)
    return _text(value)


@register.filter
def evidence(flag: Any) -> list[tuple[str, str]]:
    data = getattr(flag, "evidence", None) or {}
    return [(str(LABELS.get(key, key)), _shown(key, value)) for key, value in data.items()]

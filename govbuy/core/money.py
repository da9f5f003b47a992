"""Money is an exact Decimal in yuan with two places; never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import ValidationFailed

CENT = Decimal("0.01")
MAX_DIGITS = 16  # up to 99,999,999,999,999.99 yuan


def to_yuan(value: object) -> Decimal:
    """Parse a user or API value into yuan, refusing floats and anything inexact or non-finite."""
    if isinstance(value, float):
        raise ValidationFailed(_("Amounts must be given as exact decimals, not floating-point numbers."))
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("“%(value)s” is not a valid amount in yuan.") % {"value": value}) from None
    if not amount.is_finite():
        raise ValidationFailed(_("“%(value)s” is not a valid amount in yuan.") % {"value": value})
    if amount != amount.quantize(CENT):
        raise ValidationFailed(_("Amounts in yuan have at most two decimal places."))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_yuan(amount: Decimal) -> str:
    """¥1,234,567.80 — grouping in thousands as Chinese finance documents do."""
    return f"¥{amount.quantize(CENT):,}"


class MoneyField(models.DecimalField):
    """A DecimalField fixed at 16 digits and 2 places (yuan)."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

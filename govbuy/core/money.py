"""Money is an exact Decimal in yuan with two places; never a float.

Every amount and quantity typed by a person or sent to the API goes through `parse_decimal`: one
decision for the whole project (issue 18). Digits, an optional sign, an optional point and at most
two decimals; thousands separators and full-width digits (people type them with a Chinese input
method) are accepted and normalised; exponents ("1e30"), NaN, infinities and JSON floats are
refused with the same translated message in forms (`AmountFormField`) and the API.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import ValidationFailed

CENT = Decimal("0.01")
MAX_DIGITS = 16  # up to 99,999,999,999,999.99 yuan
MAX_AMOUNT = Decimal("99999999999999.99")

# Full-width digits, point, signs and commas as a Chinese input method types them.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋，", "0123456789.-+,")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPS = re.compile(r"[,\s]")

NOT_A_NUMBER = _("Enter a number in digits, with at most two decimals (for example 120000.50).")
NOT_EXACT = _("Amounts must be given as exact decimals in a string, not floating-point numbers.")
TOO_PRECISE = _("At most two decimal places are allowed.")
TOO_LARGE = _("The number is too large.")


def parse_decimal(value: object, *, field: str | None = None) -> Decimal:
    """Parse a money amount or a quantity: digits, at most two decimals, no exponent.

    Raises ValidationFailed (code `not_decimal`, `too_precise` or `too_large`) with the message
    under `field` when one is given.
    """

    def refuse(message: Any, code: str) -> ValidationFailed:
        return ValidationFailed(message, code=code, fields={field: [message]} if field else None)

    if isinstance(value, float | bool):
        raise refuse(NOT_EXACT, "not_decimal")
    if isinstance(value, Decimal):
        text = format(value, "f") if value.is_finite() else "nan"
    elif isinstance(value, int | str):
        text = str(value)
    else:
        raise refuse(NOT_A_NUMBER, "not_decimal")
    text = _GROUPS.sub("", text.translate(_FULL_WIDTH))
    if len(text) > 40 or not _NUMBER.fullmatch(text):
        raise refuse(NOT_A_NUMBER, "not_decimal")
    number = Decimal(text)
    if number != number.quantize(CENT):
        raise refuse(TOO_PRECISE, "too_precise")
    if abs(number) > MAX_AMOUNT:
        raise refuse(TOO_LARGE, "too_large")
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def to_yuan(value: object) -> Decimal:
    """Parse a user or API value into yuan (see `parse_decimal`)."""
    return parse_decimal(value)


def format_yuan(amount: Decimal) -> str:
    """¥1,234,567.80 — grouping in thousands as Chinese finance documents do."""
    return f"¥{amount.quantize(CENT):,}"


class MoneyField(models.DecimalField):
    """A DecimalField fixed at 16 digits and 2 places (yuan)."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class AmountFormField(forms.CharField):
    """A form field for yuan or quantities, parsed by `parse_decimal` (same messages as the API).

    No max_length: its validator would measure the Decimal; `parse_decimal` bounds the length."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_decimal(text)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None

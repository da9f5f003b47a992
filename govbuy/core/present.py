"""How values read on every screen, PDF, mail and audit sentence: one format for each kind.

- Times: Beijing time to the minute ("2026-12-05 09:30"), with seconds only where they matter
  (bid receipts, opening records); never ISO strings, "+00:00" or microseconds.
- Dates: "2026-12-05" (the Beijing date of a moment, never the UTC one).
- Money: yuan with thousands separators and two places ("1,687,200.00").
- Quantities: no trailing zeros ("800", "2.5").
- People: the display name and the organisation, never a login.

The template filters of the same names are in `govbuy.core.templatetags.present` (loaded in every
template as a builtin).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

BEIJING = ZoneInfo("Asia/Shanghai")
TIME_FORMAT = "%Y-%m-%d %H:%M"
TIME_SECONDS_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"

# An ISO 8601 timestamp as Python and JavaScript write it (a T, optional fraction and offset); a
# time already shown as "2026-12-05 09:30" has no T and is never converted twice.
ISO_TIMESTAMP = re.compile(
    r"\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(Z|[+-]\d{2}:?\d{2})?(?![\d:])"
)


def _as_datetime(value: Any) -> dt.datetime | dt.date | None:
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def beijing(value: dt.datetime) -> dt.datetime:
    """An aware moment in Beijing time (a naive one is taken to be UTC, as stored)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(BEIJING)


def when(value: Any, *, seconds: bool = False) -> str:
    """A moment in Beijing time: "2026-12-05 09:30" (or with ":05" seconds). A date stays a date."""
    moment = _as_datetime(value)
    if moment is None:
        return "" if value in (None, "") else str(value)
    if not isinstance(moment, dt.datetime):
        return moment.strftime(DATE_FORMAT)
    return beijing(moment).strftime(TIME_SECONDS_FORMAT if seconds else TIME_FORMAT)


def day(value: Any) -> str:
    """The Beijing date of a moment, or a date: "2026-12-05"."""
    moment = _as_datetime(value)
    if moment is None:
        return "" if value in (None, "") else str(value)
    if isinstance(moment, dt.datetime):
        moment = beijing(moment).date()
    return moment.strftime(DATE_FORMAT)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def yuan(value: Any) -> str:
    """1687200 → "1,687,200.00" (the unit, 元, goes in the column header or the sentence)."""
    number = _decimal(value)
    if number is None:
        return "" if value in (None, "") else str(value)
    return f"{number.quantize(Decimal('0.01')):,}"


def quantity(value: Any) -> str:
    """800.00 → "800"; 2.50 → "2.5"; 12000 → "12,000"."""
    number = _decimal(value)
    if number is None:
        return "" if value in (None, "") else str(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


def person(user: Any, organisation: Any = None) -> str:
    """ "李娜（北京市东城区卫生健康委员会）": the display name, never the login; the organisation
    when given or already loaded with the user's memberships (no query is made for it)."""
    if user is None:
        return ""
    name = (getattr(user, "display_name", "") or "").strip() or _("a user without a name")
    org = organisation
    if org is None:
        cache = getattr(user, "_prefetched_objects_cache", {}).get("memberships")
        if cache:
            org = cache[0].organisation
    org_name = getattr(org, "name_zh", None) or (str(org) if org else "")
    return f"{name}（{org_name}）" if org_name else str(name)


def times_in_text(text: str) -> str:
    """Rewrite ISO timestamps inside a sentence (from stored event data) into Beijing time."""

    def replace(match: re.Match[str]) -> str:
        return when(match.group(0))

    return ISO_TIMESTAMP.sub(replace, text)

"""Presentation of statistics: a rate as a percentage, a missing one as a dash."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    return "—" if value is None else f"{value}%"


@register.filter
def ratio(value: Any) -> str:
    return "—" if value is None else str(value)

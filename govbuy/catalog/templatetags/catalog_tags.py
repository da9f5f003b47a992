"""Names in the page's language for rows that are plain dicts (diffs stored as JSON)."""

from __future__ import annotations

from typing import Any

from django import template

from govbuy.catalog.chinese import to_traditional
from govbuy.catalog.models import localised_name

register = template.Library()


@register.filter
def localised(row: Any) -> str:
    """`{{ row|localised }}` for a dict with name_zh and name_en."""
    if not isinstance(row, dict):
        return ""
    name_zh = str(row.get("name_zh") or "")
    return localised_name(name_zh, to_traditional(name_zh), str(row.get("name_en") or ""))

"""Small helpers for the performance templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.simple_tag
def scale_label(value: int) -> str:
    labels = {
        1: _("very dissatisfied"),
        2: _("dissatisfied"),
        3: _("neutral"),
        4: _("satisfied"),
        5: _("very satisfied"),
    }
    return str(labels.get(int(value), ""))


@register.simple_tag
def grade_label(grade: str) -> str:
    from govbuy.performance.rules import GRADE_LABELS

    return str(GRADE_LABELS.get(grade, ""))

"""Filters of the audit pages: a checkpoint's reason in the reader's language."""

from __future__ import annotations

from django import template

from govbuy.audit.describe import checkpoint_reason as _checkpoint_reason

register = template.Library()


@register.filter
def checkpoint_reason(reason: str) -> str:
    return _checkpoint_reason(str(reason or ""))

"""Template filters of `govbuy.core.present` (a builtin library: no {% load %} needed).

{{ tender.bid_deadline|when }}        2026-12-25 09:30
{{ bid.submitted_at|when_s }}         2026-12-04 05:42:55
{{ plan.published_at|day }}           2026-12-05
{{ tender.budget|yuan }}              1,687,200.00
{{ line.quantity|qty }}               800
{{ user|person }} / {{ user|person:org }}   李娜（北京市东城区卫生健康委员会）
"""

from __future__ import annotations

from typing import Any

from django import template

from govbuy.core import present

register = template.Library()


@register.filter
def when(value: Any) -> str:
    return present.when(value)


@register.filter
def when_s(value: Any) -> str:
    return present.when(value, seconds=True)


@register.filter
def day(value: Any) -> str:
    return present.day(value)


@register.filter
def yuan(value: Any) -> str:
    return present.yuan(value)


@register.filter
def qty(value: Any) -> str:
    return present.quantity(value)


@register.filter
def person(value: Any, organisation: Any = None) -> str:
    return present.person(value, organisation)


@register.simple_tag(takes_context=True)
def staff_panels(context: Any, kind: str, pk: Any) -> str:
    """{% staff_panels "tender" tender.pk %}: what higher apps show on a process's staff page."""
    from govbuy.core.staff_panels import staff_panels as panels

    request = context.get("request")
    if request is None:
        return ""
    return panels(request, kind, int(pk))

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from govbuy.core.navigation import navigation_for, navigation_groups


def navigation(request: HttpRequest) -> dict[str, Any]:
    items = navigation_for(request)
    return {"nav_items": items, "nav_groups": navigation_groups(request, items)}

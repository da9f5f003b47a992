"""The staff navigation, by role. Each app registers its entries at start-up (AppConfig.ready).

An entry is shown when its `visible(request)` says so; apps decide visibility from the user's
scope (roles in organisations), so a provider never sees a finance bureau's menu.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    label: object  # a lazy translated string
    url_name: str
    visible: Callable[[HttpRequest], bool]
    order: int = 100


_entries: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if all(e.url_name != entry.url_name for e in _entries):
        _entries.append(entry)
        _entries.sort(key=lambda e: e.order)


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[dict[str, object]] = []
    for entry in _entries:
        if entry.visible(request):
            items.append({"label": entry.label, "url": reverse(entry.url_name), "active": False})
    # Only the entry whose URL is the longest prefix of this page is current (/a/ vs /a/b/).
    matches = [
        item
        for item in items
        if request.path == item["url"] or (item["url"] != "/" and request.path.startswith(str(item["url"])))
    ]
    if matches:
        max(matches, key=lambda item: len(str(item["url"])))["active"] = True
    return items


def _is_platform_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_superuser)


def register_core_entries() -> None:
    register(NavEntry(label=_("Home"), url_name="core:home", visible=lambda request: True, order=0))
    register(NavEntry(label=_("Administration"), url_name="admin:index", visible=_is_platform_admin, order=1000))

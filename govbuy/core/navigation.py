"""The staff navigation, by role. Each app registers its entries at import time (apps.ready)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: object  # a lazy translated string
    url_name: str
    visible: Callable[[HttpRequest], bool]
    order: int = 100


_entries: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if entry not in _entries:
        _entries.append(entry)
        _entries.sort(key=lambda e: e.order)


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for entry in _entries:
        if entry.visible(request):
            url = reverse(entry.url_name)
            items.append({"label": entry.label, "url": url, "active": request.path.startswith(url) and url != "/"})
    return items

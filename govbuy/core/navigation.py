"""The staff navigation, by role. Each app registers its entries at start-up (AppConfig.ready).

An entry is shown when its `visible(request)` says so; apps decide visibility from the user's
scope (roles in organisations), so a provider never sees a finance bureau's menu.

The menu is grouped by task (`GROUPS`): an entry belongs to the group its `group` names, or else
the group of its URL namespace (`NAMESPACE_GROUPS`), so an app that registers an entry needs no
change here. A group with one visible entry is a plain link; a group with more opens a submenu.
Signed-in people see the public pages as one more group, without the pages their own menu has.
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
    group: str = ""


@dataclass(frozen=True)
class Group:
    key: str
    label: object


# In menu order. At most about seven top-level entries for any role (issue 16).
GROUPS = [
    Group("home", _("Home")),
    Group("plan", _("Budgets and plans")),
    Group("procure", _("Procurement")),
    Group("deliver", _("Contracts and performance")),
    Group("providers", _("Providers")),
    Group("oversight", _("Oversight")),
    Group("account", _("Account")),
    Group("public", _("Public information")),
]
NAMESPACE_GROUPS = {
    "core": "home",
    "catalog": "plan",
    "planning": "plan",
    "plans": "plan",
    "procurement": "procure",
    "tenders": "procure",
    "contracts": "deliver",
    "performance": "deliver",
    "providers": "providers",
    "credit": "providers",
    "audit": "oversight",
    "oversight": "oversight",
    "portal": "oversight",
    "organizations": "oversight",
    "accounts": "account",
    "admin": "account",
}
# Entries whose namespace says less than their task.
URL_GROUPS = {
    "core:calendar-edit-current": "plan",
    "accounts:security": "account",
    "admin:index": "account",
}
# The public pages (everyone sees them; signed-in people as the last group of their menu).
PUBLIC_PAGES = [
    (_("Public notices"), "portal:home"),
    (_("Tender notices"), "tenders:index"),
    (_("Annual plans"), "plans:index"),
    (_("Guidance catalog"), "catalog:index"),
    (_("Provider directory"), "providers:directory"),
    (_("Search"), "disclosure:search"),
    (_("Open data (OCDS)"), "disclosure:ocds-policy"),
    (_("Public consultations"), "performance-public:consultations"),
    (_("Statistics"), "oversight_public:statistics"),
]


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
            group = (
                entry.group
                or URL_GROUPS.get(entry.url_name)
                or NAMESPACE_GROUPS.get(entry.url_name.split(":")[0], "oversight")
            )
            items.append({"label": entry.label, "url": reverse(entry.url_name), "active": False, "group": group})
    # Only the entry whose URL is the longest prefix of this page is current (/a/ vs /a/b/).
    matches = [
        item
        for item in items
        if request.path == item["url"] or (item["url"] != "/" and request.path.startswith(str(item["url"])))
    ]
    if matches:
        max(matches, key=lambda item: len(str(item["url"])))["active"] = True
    return items


def navigation_groups(request: HttpRequest, items: list[dict[str, object]] | None = None) -> list[dict[str, object]]:
    """The menu: one entry per group that has something for this person, in `GROUPS` order."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = navigation_for(request) if items is None else items
    own_urls = {item["url"] for item in items}
    public = [
        {"label": label, "url": url, "active": request.path == url, "group": "public"}
        for label, url in ((label, reverse(name)) for label, name in PUBLIC_PAGES)
        if url not in own_urls
    ]
    groups = []
    for group in GROUPS:
        members = [item for item in items + public if item["group"] == group.key]
        if not members:
            continue
        groups.append(
            {
                "key": group.key,
                "label": members[0]["label"] if len(members) == 1 else group.label,
                "url": members[0]["url"] if len(members) == 1 else "",
                "items": members if len(members) > 1 else [],
                "active": any(item["active"] for item in members),
            }
        )
    return groups


def _is_platform_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_superuser)


def register_core_entries() -> None:
    register(NavEntry(label=_("Home"), url_name="core:home", visible=lambda request: True, order=0))
    register(NavEntry(label=_("Administration"), url_name="admin:index", visible=_is_platform_admin, order=1000))

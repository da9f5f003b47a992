"""What the catalog adds to the navigation and to the home page (what waits for the user)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from govbuy.catalog import rules, selectors
from govbuy.core import present
from govbuy.organizations.scope import scope_for


def sees_workspace(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return scope.has_kind(rules.FINANCE) or rules.is_city_staffing(scope)


def sees_filings(request: HttpRequest) -> bool:
    return scope_for(request.user).has_kind(rules.FINANCE)


def _more(items: list[dict[str, Any]], total: int, url: str) -> list[dict[str, Any]]:
    if total > len(items):
        items.append({"label": _("%(n)d more") % {"n": total - len(items)}, "url": url, "note": ""})
    return items


def filings_waiting_section(request: HttpRequest) -> dict[str, Any] | None:
    """City finance: district catalogs filed and not yet acknowledged or returned."""
    if not rules.is_city_finance(scope_for(request.user)):
        return None
    filings, total = selectors.filings_waiting(request.user)
    items = [
        {
            "label": f"{f.region.name_zh} · {f.catalog.title_zh} · "
            + _("version %(number)s") % {"number": f.catalog.number},
            "url": reverse("catalog:filing", args=[f.pk]),
            "note": _("filed on %(date)s") % {"date": present.day(f.submitted_at)},
        }
        for f in filings
    ]
    return {
        "id": "catalog-filings-waiting",
        "title": _("District catalog filings to acknowledge"),
        "items": _more(items, total, reverse("catalog:filings") + "?status=submitted"),
        "empty": _("No district catalog filing waits for you."),
    }


def returned_filings_section(request: HttpRequest) -> dict[str, Any] | None:
    """District finance: filings the city returned with comments, not yet filed again."""
    scope = scope_for(request.user)
    if not any(m.kind == rules.FINANCE and m.region_level == "district" for m in scope.memberships):
        return None
    filings, total = selectors.returned_filings(request.user)
    items = [
        {
            "label": f"{f.catalog.title_zh} · " + _("version %(number)s") % {"number": f.catalog.number},
            "url": reverse("catalog:filing", args=[f.pk]),
            "note": f.decision_comment[:120],
        }
        for f in filings
    ]
    return {
        "id": "catalog-filings-returned",
        "title": _("Catalog filings returned with comments"),
        "items": _more(items, total, reverse("catalog:filings") + "?status=returned"),
        "empty": _("No filing of yours was returned."),
    }


def drafts_for_comment_section(request: HttpRequest) -> dict[str, Any] | None:
    """Staffing office: the city's draft catalog, open for its comments."""
    if not rules.is_city_staffing(scope_for(request.user)):
        return None
    drafts = selectors.drafts_awaiting_comment(request.user)
    items = [
        {
            "label": f"{d.title_zh} · " + _("version %(number)s") % {"number": d.number},
            "url": reverse("catalog:version", args=[d.region.code, d.number]),
            "note": _("%(n)d comments so far") % {"n": d.comment_count},
        }
        for d in drafts
    ]
    return {
        "id": "catalog-drafts-comment",
        "title": _("City catalog drafts open for comments"),
        "items": items,
        "empty": _("No city catalog draft is open for comments."),
    }

"""What planning adds to the navigation and to the home page: the reviewers' to-do lists and the
purchaser's returned or approved projects."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from govbuy.core import present
from govbuy.organizations.scope import scope_for
from govbuy.planning import rules, selectors


def sees_projects(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return bool(rules.purchaser_ids(scope)) or scope.is_oversight or scope.is_platform_admin


def sees_budgets(request: HttpRequest) -> bool:
    return sees_projects(request)


def _items(projects: list[Any], total: int, note: Any) -> list[dict[str, Any]]:
    items = [
        {
            "label": f"{p.reference} · {p.title} · {p.purchaser.name_zh}",
            "url": reverse("planning:project", args=[p.pk]),
            "note": note(p),
        }
        for p in projects
    ]
    if total > len(items):
        items.append(
            {"label": _("%(n)d more") % {"n": total - len(items)}, "url": reverse("planning:projects"), "note": ""}
        )
    return items


def finance_section(request: HttpRequest) -> dict[str, Any] | None:
    if not rules.finance_region_ids(scope_for(request.user)):
        return None
    projects, total = selectors.finance_queue(request.user)

    def note(p: Any) -> str:
        parts = [str(p.get_status_display()), _("estimate %(amount)s yuan") % {"amount": present.yuan(p.estimate)}]
        if p.split_flag:
            parts.append(_("possible split purchase"))
        if p.negative_flag:
            parts.append(_("possible negative-list matter"))
        if p.purchasability == "outside_catalog":
            parts.append(_("outside the catalog"))
        return " · ".join(parts)

    return {
        "id": "planning-finance-review",
        "title": _("Purchase projects to review"),
        "items": _items(projects, total, note),
        "empty": _("No purchase project waits for your review."),
    }


def staffing_section(request: HttpRequest) -> dict[str, Any] | None:
    if not rules.staffing_members(scope_for(request.user)):
        return None
    projects, total = selectors.staffing_queue(request.user)
    return {
        "id": "planning-staffing-review",
        "title": _("Conversions to confirm (no new posts or bodies)"),
        "items": _items(
            projects, total, lambda p: _("estimate %(amount)s yuan") % {"amount": present.yuan(p.estimate)}
        ),
        "empty": _("No conversion waits for the staffing office."),
    }


def purchaser_section(request: HttpRequest) -> dict[str, Any] | None:
    if not rules.purchaser_ids(scope_for(request.user), write=True):
        return None
    projects, total = selectors.purchaser_todo(request.user)
    return {
        "id": "planning-purchaser",
        "title": _("Projects returned to you or waiting for the annual plan"),
        "items": _items(projects, total, lambda p: str(p.get_status_display())),
        "empty": _("No project waits for you."),
        "actions": [{"label": _("Propose a purchase project"), "url": reverse("planning:project_create")}],
    }

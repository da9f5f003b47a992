"""What the organisations app adds to the navigation and the home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govbuy.organizations import rules, selectors
from govbuy.organizations.scope import scope_for


def sees_organisation_list(request: HttpRequest) -> bool:
    """Anyone with a role sees at least their own organisation; outsiders see nothing."""
    scope = scope_for(request.user)
    return scope.is_platform_admin or bool(scope.memberships)


def uscc_review_section(request: HttpRequest) -> dict[str, Any] | None:
    """For registration authorities: codes whose doubts nobody has looked at yet."""
    scope = scope_for(request.user)
    if scope.is_anonymous or not rules.is_uscc_verifier(scope):
        return None
    organisations, total = selectors.uscc_review_queue(request.user)
    items = [
        {
            "label": f"{org.name_zh} ({org.uscc})",
            "url": reverse("organizations:detail", args=[org.pk]),
            "note": f"{org.region.name_zh} · {org.get_kind_display()} · "
            + ngettext("%(n)d warning", "%(n)d warnings", len(org.uscc_warnings)) % {"n": len(org.uscc_warnings)},
        }
        for org in organisations
    ]
    if total > len(items):
        items.append(
            {
                "label": _("%(n)d more") % {"n": total - len(items)},
                "url": reverse("organizations:list") + "?review=1",
                "note": "",
            }
        )
    return {
        "id": "uscc-review",
        "title": _("Unified social credit codes to review"),
        "items": items,
        "empty": _("No code awaits your review."),
    }

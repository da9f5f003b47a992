"""What the provider registry adds to the navigation and the home page: for each role, what waits."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from govbuy.organizations import rules as org_rules
from govbuy.organizations.scope import scope_for
from govbuy.providers import rules, selectors


def always(request: HttpRequest) -> bool:
    return True


def is_provider(request: HttpRequest) -> bool:
    return scope_for(request.user).is_provider


def sees_registry(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return (
        scope.is_platform_admin
        or bool(rules.authority_regions(scope))
        or scope.has_kind(*rules.READING_OVERSIGHT_KINDS)
    )


def sees_conditions(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return scope.is_platform_admin or scope.is_purchaser or scope.is_oversight


def _more(items: list[dict[str, Any]], total: int, url: str) -> None:
    if total > len(items):
        items.append({"label": _("%(n)d more") % {"n": total - len(items)}, "url": url, "note": ""})


def verification_section(request: HttpRequest) -> dict[str, Any] | None:
    scope = scope_for(request.user)
    if scope.is_anonymous or not any(k in org_rules.VERIFIER_KINDS for k in rules.authority_regions(scope)):
        return None
    profiles, total = selectors.verification_queue(request.user)
    items = [
        {
            "label": f"{p.organisation.name_zh} ({p.organisation.uscc})",
            "url": reverse("providers:detail", args=[p.pk]),
            "note": f"{p.organisation.region.name_zh} · {p.organisation.get_kind_display()}",
        }
        for p in profiles
    ]
    _more(items, total, reverse("providers:list") + "?awaiting=1")
    return {
        "id": "provider-verification",
        "title": _("Provider dossiers awaiting verification"),
        "items": items,
        "empty": _("No dossier awaits your decision."),
    }


def dossier_section(request: HttpRequest) -> dict[str, Any] | None:
    if not scope_for(request.user).is_provider:
        return None
    rows = selectors.attention_needed(request.user)
    if not rows:
        return None
    items = [
        {
            "label": f"{profile.organisation.name_zh}: {view.label}",
            "url": reverse("providers:section", args=[profile.pk, view.condition]),
            "note": str(view.state_label)
            + (": " + ", ".join(str(m) for m in view.missing_labels) if view.missing else ""),
        }
        for profile, views in rows
        for view in views
    ]
    return {
        "id": "provider-dossier",
        "title": _("Your eligibility dossier: what to complete or renew"),
        "items": items,
        "empty": _("Every section of your dossier is complete and current."),
    }


def conditions_section(request: HttpRequest) -> dict[str, Any] | None:
    scope = scope_for(request.user)
    if not any(m.kind == "finance_bureau" and m.writes for m in scope.memberships):
        return None
    conditions, total = selectors.pending_conditions(request.user)
    items = [
        {
            "label": f"{c.purchaser.name_zh} · {c.project_reference}",
            "url": reverse("providers:condition", args=[c.pk]),
            "note": c.text[:80],
        }
        for c in conditions
    ]
    _more(items, total, reverse("providers:conditions") + "?status=pending_approval")
    return {
        "id": "provider-conditions",
        "title": _("Flagged project conditions awaiting approval"),
        "items": items,
        "empty": _("No flagged condition awaits your approval."),
    }

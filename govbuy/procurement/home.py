"""What procurement adds to the navigation and to the home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from govbuy.organizations.scope import scope_for
from govbuy.procurement import selectors


def sees_tenders(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return scope.is_purchaser or scope.is_provider or scope.is_oversight or scope.is_platform_admin


def sees_methods(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_authenticated", False))


def sees_experts(request: HttpRequest) -> bool:
    return selectors.sees_experts(request.user)


def purchaser_section(request: HttpRequest) -> dict[str, Any] | None:
    tenders, total = selectors.purchaser_todo(request.user)
    if not total:
        return None
    items = [
        {
            "label": f"{t.reference} · {t.title}",
            "url": reverse("procurement:tender", args=[t.pk]),
            "note": t.get_status_display(),
        }
        for t in tenders
    ]
    return {"id": "procurement-purchaser", "title": _("Tenders in progress"), "items": items, "empty": ""}


def provider_section(request: HttpRequest) -> dict[str, Any] | None:
    bids, total = selectors.provider_todo(request.user)
    if not total:
        return None
    items = [
        {
            "label": f"{b.tender.reference} · {b.tender.title}",
            "url": reverse("procurement:tender", args=[b.tender_id]),
            "note": _("sealed bid, receipt %(hash)s…") % {"hash": b.receipt_sha256[:12]},
        }
        for b in bids
    ]
    return {"id": "procurement-provider", "title": _("Your sealed bids"), "items": items, "empty": ""}


def expert_section(request: HttpRequest) -> dict[str, Any] | None:
    seats, total = selectors.expert_todo(request.user)
    if not total:
        return None
    items = [
        {
            "label": f"{m.panel.tender.reference} · {m.panel.tender.title}",
            "url": reverse("procurement:evaluation", args=[m.panel.tender_id]),
            "note": m.get_declaration_display(),
        }
        for m in seats
    ]
    return {"id": "procurement-expert", "title": _("Evaluations waiting for you"), "items": items, "empty": ""}

"""What procurement adds to the navigation and to the home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from govbuy.core import present
from govbuy.organizations.scope import scope_for
from govbuy.procurement.selectors import follow_ups, panels, tendering


def sees_tenders(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return scope.is_purchaser or scope.is_provider or scope.is_oversight or scope.is_platform_admin


def sees_methods(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_authenticated", False))


def sees_experts(request: HttpRequest) -> bool:
    return panels.sees_experts(request.user)


def purchaser_section(request: HttpRequest) -> dict[str, Any] | None:
    tenders, total = tendering.purchaser_todo(request.user)
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
    bids, total = tendering.provider_todo(request.user)
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
    seats, total = panels.expert_todo(request.user)
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


def expert_history_section(request: HttpRequest) -> dict[str, Any] | None:
    seats, total = panels.expert_history(request.user)
    if not total:
        return None
    items = [
        {
            "label": f"{m.panel.tender.reference} · {m.panel.tender.title}",
            "url": reverse("procurement:evaluation", args=[m.panel.tender_id]),
            "note": _("evaluated; the tender is now %(status)s") % {"status": m.panel.tender.get_status_display()},
        }
        for m in seats
    ]
    return {
        "id": "procurement-expert-history",
        "title": _("Evaluations you took part in"),
        "items": items,
        "empty": "",
        "reference": True,
    }


def _day(moment: Any) -> str:
    return present.day(moment)


def awards_section(request: HttpRequest) -> dict[str, Any] | None:
    """Winners to confirm within 5 working days of the evaluation report (Reg. Art. 43)."""
    rows, total = follow_ups.awards_todo(request.user)
    if not total:
        return None
    items = []
    for report, due, proposed in rows:
        note = _("confirm the winner by %(day)s") % {"day": _day(due)}
        if proposed:
            note = _("a proposed winner awaits the second user's confirmation; by %(day)s") % {"day": _day(due)}
        items.append(
            {
                "label": f"{report.tender.reference} · {report.tender.title}",
                "url": reverse("procurement:awards", args=[report.tender_id]),
                "note": note,
            }
        )
    return {"id": "procurement-awards", "title": _("Winners to confirm"), "items": items, "empty": ""}


def challenges_section(request: HttpRequest) -> dict[str, Any] | None:
    """Challenges to answer within 7 working days (Law Art. 53)."""
    rows, total = follow_ups.challenges_todo(request.user)
    if not total:
        return None
    items = [
        {
            "label": f"{c.tender.reference} · {c.provider.name_zh}",
            "url": reverse("procurement:challenges", args=[c.tender_id]),
            "note": _("answer by %(day)s") % {"day": _day(due)},
        }
        for c, due in rows
    ]
    return {"id": "procurement-challenges", "title": _("Challenges to answer"), "items": items, "empty": ""}


def complaints_section(request: HttpRequest) -> dict[str, Any] | None:
    """Complaints for the finance bureau to decide within 30 working days (Law Art. 56)."""
    rows, total = follow_ups.complaints_todo(request.user)
    if not total:
        return None
    items = [
        {
            "label": f"{c.challenge.tender.reference} · {c.challenge.provider.name_zh}",
            "url": reverse("procurement:challenges", args=[c.challenge.tender_id]),
            "note": _("decide by %(day)s") % {"day": _day(due)},
        }
        for c, due in rows
    ]
    return {"id": "procurement-complaints", "title": _("Complaints to decide"), "items": items, "empty": ""}


def award_notices_section(request: HttpRequest) -> dict[str, Any] | None:
    """Award notices of tenders the provider bid on, while they may be challenged (Law Art. 52)."""
    rows, total = follow_ups.award_notices_todo(request.user)
    if not total:
        return None
    items = []
    for tender, until, won in rows:
        note = _("challenge period until %(day)s") % {"day": _day(until)}
        if won:
            note = _("you won; challenge period until %(day)s") % {"day": _day(until)}
        items.append(
            {
                "label": f"{tender.reference} · {tender.title}",
                "url": reverse("procurement:challenges", args=[tender.pk]),
                "note": note,
            }
        )
    return {"id": "procurement-award-notices", "title": _("Award notices"), "items": items, "empty": ""}

"""What the portal's feedback adds to the signed-in home page and the staff navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from govbuy.core import present
from govbuy.portal import selectors as portal_selectors


def sees_feedback(request: HttpRequest) -> bool:
    return portal_selectors.moderates_any(request.user)


def feedback_section(request: HttpRequest) -> dict[str, Any] | None:
    """Comments awaiting the purchaser's moderation (none: no section)."""
    items, total = portal_selectors.pending_for(request.user)
    if not total:
        return None
    rows = [
        {
            "label": f"{f.project.reference} · {f.message[:60]}",
            "url": reverse("portal:feedback", args=[f.pk]),
            "note": _("received %(when)s") % {"when": present.when(f.submitted_at)},
        }
        for f in items
    ]
    if total > len(rows):
        rows.append(
            {
                "label": _("All %(count)d comments awaiting moderation") % {"count": total},
                "url": reverse("portal:feedback-queue"),
                "note": "",
            }
        )
    return {"id": "feedback-moderation", "title": _("Feedback awaiting moderation"), "items": rows, "empty": ""}

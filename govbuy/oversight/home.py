"""What monitoring adds to the navigation and to the home page: the body's cases with answers to
read or a remedy to check, and the purchaser's questions to answer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from govbuy.core import present
from govbuy.organizations.scope import scope_for
from govbuy.oversight import notifications, selectors


def sees_cases(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return selectors.monitors_any(request.user) or scope.is_purchaser


def monitors(request: HttpRequest) -> bool:
    return selectors.monitors_any(request.user)


def body_section(request: HttpRequest) -> dict[str, Any] | None:
    cases, total = selectors.body_todo(request.user)
    if not total:
        return None
    items = [
        {
            "label": f"{c.reference} · {notifications.subject_of(c)}",
            "url": reverse("oversight:case", args=[c.pk]),
            "note": c.get_status_display(),
        }
        for c in cases
    ]
    return {"id": "oversight-body", "title": _("Monitoring cases waiting for you"), "items": items, "empty": ""}


def _flag_items(flags: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "label": f"{f.rule.name_zh} · {f.tender.reference} · {f.tender.title}",
            "url": reverse("procurement:tender", args=[f.tender_id]) + "#oversight-panel",
            "note": _("score %(score)s · %(purchaser)s") % {"score": f.score, "purchaser": f.purchaser.name_zh},
        }
        for f in flags
    ]


def high_risk_section(request: HttpRequest) -> dict[str, Any] | None:
    flags, total = selectors.new_high_risk_flags(request.user)
    if not total:
        return None
    return {"id": "oversight-flags", "title": _("New high-risk flags"), "items": _flag_items(flags), "empty": ""}


def late_section(request: HttpRequest) -> dict[str, Any] | None:
    flags, total = selectors.late_step_flags(request.user)
    if not total:
        return None
    return {"id": "oversight-late", "title": _("Late steps"), "items": _flag_items(flags), "empty": ""}


def purchaser_section(request: HttpRequest) -> dict[str, Any] | None:
    questions, total = selectors.purchaser_todo(request.user)
    if not total:
        return None
    items = [
        {
            "label": f"{q.case.reference} · {q.text[:60]}",
            "url": reverse("oversight:case", args=[q.case_id]),
            "note": _("answer by %(day)s") % {"day": present.day(q.due_on)},
        }
        for q in questions
    ]
    return {"id": "oversight-questions", "title": _("Questions of oversight bodies"), "items": items, "empty": ""}


def conclusions_panel(project_id: int) -> dict[str, Any] | None:
    """The published conclusions of monitoring on the project's public page (and its API)."""
    cases = selectors.published_conclusions(project_id)
    if not cases:
        return None
    items = []
    for case in cases:
        text = case.conclusion
        if case.obligations:
            text += "\n" + _("Obligations to remedy: %(obligations)s (due %(day)s)") % {
                "obligations": case.obligations,
                "day": present.day(case.remedy_due),
            }
        items.append(
            {
                "label": f"{case.reference} · {case.body.name_zh}",
                "text": text,
                "note": _("%(status)s on %(day)s")
                % {"status": case.get_status_display(), "day": present.day(case.concluded_at)},
            }
        )
    return {"id": "monitoring-conclusions", "title": _("Conclusions of monitoring"), "items": items}

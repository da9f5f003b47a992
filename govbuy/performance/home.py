"""What performance adds to the home page of whoever has to act: self-assessments due (the
provider), evaluations to finalise (a second person of the purchaser), re-evaluations (the
finance bureau) and surveys running low on answers (the purchaser); and the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govbuy.organizations.scope import scope_for
from govbuy.performance import selectors
from govbuy.performance.services import common


def sees_rounds(request: HttpRequest) -> bool:
    return bool(scope_for(request.user).memberships) or bool(getattr(request.user, "is_superuser", False))


def always(request: HttpRequest) -> bool:
    return True


def _rounds(section_id: str, title: str, found: tuple[list[Any], int]) -> dict[str, Any] | None:
    rows, total = found
    if not total:
        return None
    items = [
        {
            "label": f"{r.contract.reference} · {r.contract.title} · " + _("round %(number)s") % {"number": r.number},
            "url": reverse("performance:round", args=[r.pk]),
            "note": "",
        }
        for r in rows
    ]
    if total > len(items):
        items.append({"label": _("All %(count)d") % {"count": total}, "url": reverse("performance:rounds"), "note": ""})
    return {"id": section_id, "title": title, "items": items, "empty": ""}


def self_assessment_section(request: HttpRequest) -> dict[str, Any] | None:
    return _rounds("performance-self", _("Self-assessments due"), selectors.self_assessments_due(request.user))


def finalise_section(request: HttpRequest) -> dict[str, Any] | None:
    return _rounds("performance-finalise", _("Evaluations to finalise"), selectors.to_finalise(request.user))


def reevaluation_section(request: HttpRequest) -> dict[str, Any] | None:
    return _rounds("performance-reevaluate", _("Re-evaluations of key projects"), selectors.to_reevaluate(request.user))


def surveys_section(request: HttpRequest) -> dict[str, Any] | None:
    minimum = common.policy_on(timezone.localdate()).min_answers
    rows, total = selectors.surveys_low(request.user, minimum)
    if not total:
        return None
    items = [
        {
            "label": f"{s.title} · {s.contract.reference}",
            "url": reverse("performance:survey", args=[s.pk]),
            "note": _("%(answers)d of %(minimum)d answers needed") % {"answers": s.answer_count, "minimum": minimum},
        }
        for s in rows
    ]
    return {"id": "performance-surveys", "title": _("Surveys running low on answers"), "items": items, "empty": ""}

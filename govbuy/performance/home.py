"""What performance adds to the home page of whoever has to act: self-assessments due (the
provider), evaluations to finalise (a second person of the purchaser), re-evaluations (the
finance bureau) and surveys running low on answers (the purchaser); and the navigation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govbuy.core.present import day, person, when
from govbuy.organizations.kinds import PURCHASER_KINDS
from govbuy.organizations.models import OrganisationKind
from govbuy.organizations.scope import scope_for
from govbuy.performance import rules, selectors
from govbuy.performance.services import common


def sees_rounds(request: HttpRequest) -> bool:
    return bool(scope_for(request.user).memberships) or bool(getattr(request.user, "is_superuser", False))


def always(request: HttpRequest) -> bool:
    return True


def round_label(obj: Any) -> str:
    """ "HT-… · 居家养老上门服务 · 第1轮（期末）": a round is named by its number and kind."""
    return _("%(reference)s · %(title)s · round %(number)d (%(kind)s)") % {
        "reference": obj.contract.reference,
        "title": obj.contract.title,
        "number": obj.number,
        "kind": obj.get_kind_display(),
    }


def _self_note(obj: Any) -> str:
    return _("opened on %(day)s") % {"day": day(obj.created_at)}


def _finalise_note(obj: Any) -> str:
    return _("submitted by %(person)s, %(when)s") % {"person": person(obj.submitted_by), "when": when(obj.submitted_at)}


def _reevaluation_note(obj: Any) -> str:
    return _("finalised by the purchaser %(when)s: %(total)s points, %(grade)s") % {
        "when": when(obj.finalised_at),
        "total": obj.total,
        "grade": obj.get_grade_display(),
    }


def _rounds(
    section_id: str, title: str, found: tuple[list[Any], int], note: Callable[[Any], str]
) -> dict[str, Any] | None:
    rows, total = found
    if not total:
        return None
    items = [{"label": round_label(r), "url": reverse("performance:round", args=[r.pk]), "note": note(r)} for r in rows]
    if total > len(items):
        items.append({"label": _("All %(count)d") % {"count": total}, "url": reverse("performance:rounds"), "note": ""})
    return {"id": section_id, "title": title, "items": items, "empty": ""}


def self_assessment_section(request: HttpRequest) -> dict[str, Any] | None:
    return _rounds(
        "performance-self", _("Self-assessments due"), selectors.self_assessments_due(request.user), _self_note
    )


def finalise_section(request: HttpRequest) -> dict[str, Any] | None:
    return _rounds(
        "performance-finalise", _("Evaluations to finalise"), selectors.to_finalise(request.user), _finalise_note
    )


def reevaluation_section(request: HttpRequest) -> dict[str, Any] | None:
    return _rounds(
        "performance-reevaluate",
        _("Re-evaluations of key projects"),
        selectors.to_reevaluate(request.user),
        _reevaluation_note,
    )


def surveys_section(request: HttpRequest) -> dict[str, Any] | None:
    minimum = common.policy_on(timezone.localdate()).min_answers
    rows, total = selectors.surveys_low(request.user, minimum)
    if not total:
        return None
    items = [
        {
            "label": _("%(title)s · contract %(reference)s") % {"title": s.title, "reference": s.contract.reference},
            "url": reverse("performance:survey", args=[s.pk]),
            "note": _("%(answers)d answers so far, figures are shown from %(minimum)d; closes %(day)s")
            % {"answers": s.answer_count, "minimum": minimum, "day": day(s.closes_at)},
        }
        for s in rows
    ]
    return {"id": "performance-surveys", "title": _("Surveys running low on answers"), "items": items, "empty": ""}


def consultations_section(request: HttpRequest) -> dict[str, Any] | None:
    """The user's consultations with comments to moderate, or ended and waiting for the summary."""
    rows, total = selectors.consultations_to_act(request.user)
    if not total:
        return None
    items = [
        {
            "label": c.title,
            "url": reverse("performance:consultation", args=[c.pk]),
            "note": _("%(count)d comments awaiting moderation") % {"count": c.pending}
            if c.pending
            else _("Publish the summary of what was received and what was changed"),
        }
        for c in rows
    ]
    if total > len(items):
        items.append(
            {"label": _("All %(count)d") % {"count": total}, "url": reverse("performance:consultations"), "note": ""}
        )
    title = _("Public consultations to act on")
    return {"id": "performance-consultations", "title": title, "items": items, "empty": ""}


def reports_section(request: HttpRequest) -> dict[str, Any] | None:
    """The evaluator's commissions still waiting for its report."""
    rows, total = selectors.reports_due(request.user)
    if not total:
        return None
    items = [
        {
            "label": f"{c.contract.reference} · {c.contract.title} · {c.round.number}",
            "url": reverse("performance:commission", args=[c.pk]),
            "note": "",
        }
        for c in rows
    ]
    if total > len(items):
        items.append(
            {"label": _("All %(count)d") % {"count": total}, "url": reverse("performance:commissions"), "note": ""}
        )
    return {"id": "performance-reports", "title": _("Third-party reports to deliver"), "items": items, "empty": ""}


def sees_surveys(request: HttpRequest) -> bool:
    return bool(scope_for(request.user).written_organisations(frozenset(PURCHASER_KINDS)))


def sees_commissions(request: HttpRequest) -> bool:
    return bool(scope_for(request.user).written_organisations(frozenset({OrganisationKind.THIRD_PARTY_EVALUATOR})))


def sees_consultations(request: HttpRequest) -> bool:
    return bool(selectors.consultation_subjects(request.user))


def edits_templates(request: HttpRequest) -> bool:
    return rules.edits_templates(scope_for(request.user))

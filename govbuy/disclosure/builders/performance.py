"""Release builder for a published final performance evaluation (issue 13): an
`implementationUpdate` of the contract's contracting process (the same ocid as its contract
releases) whose implementation carries the evaluation as a `projectEvaluation` document, with the
score, grade and score per indicator family in its description."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from govbuy.core.publication import Announcement
from govbuy.disclosure import ocds
from govbuy.disclosure.builders.contracts import CONTRACT_TYPE, build_contract
from govbuy.disclosure.registry import register_release_builder

ROUND_TYPE = "performance.evaluationround"
FAMILY_NAMES = {"output": "产出", "benefit": "效益", "satisfaction": "满意度"}


def evaluation_document(obj: Any, families: list[dict[str, Any]]) -> dict[str, Any]:
    from govbuy.performance.rules import GRADE_LABELS

    scores = "；".join(f"{FAMILY_NAMES[f['family']]} {f['points']}/{f['weight']}" for f in families)
    return {
        "id": f"{obj.contract.reference}-evaluation-{obj.number}",
        "documentType": "projectEvaluation",
        "title": f"绩效评价结果 {obj.contract.reference}",
        "description": f"得分 {obj.total}，等级 {GRADE_LABELS[obj.grade]}。{scores}",
        "url": settings.GOVBUY_PUBLIC_URL.rstrip("/") + reverse("performance-public:result", args=[obj.pk]),
        "datePublished": ocds.format_date(obj.published_at),
        "format": "text/html",
        "language": "zh",
    }


def build_evaluation(announcement: Announcement) -> dict[str, Any] | None:
    from govbuy.performance.models import EvaluationRound, RoundKind, RoundStatus
    from govbuy.performance.selectors import family_points

    obj = (
        EvaluationRound.objects.select_related("contract")
        .filter(pk=announcement.obj_id, kind=RoundKind.FINAL, status=RoundStatus.PUBLISHED)
        .first()
    )
    if obj is None or obj.published_at is None:
        return None
    release = build_contract(
        Announcement("implementationUpdate", CONTRACT_TYPE, obj.contract_id, announcement.occurred_at)
    )
    if release is None:
        return None
    section = release["contracts"][0]
    implementation = section.setdefault("implementation", {})
    implementation.setdefault("documents", []).append(evaluation_document(obj, family_points(obj)))
    release["tag"] = ["implementationUpdate"]
    return release


# Registered on import, from DisclosureConfig.ready().
register_release_builder(ROUND_TYPE, "implementationUpdate", build_evaluation)

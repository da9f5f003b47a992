"""The evaluation report PDF in Chinese (绩效评价报告) of a finalised round: the contract, each
indicator with its scores grouped by family, the score and grade, recipient satisfaction with its
response rate and confidence interval, the third-party reports, and the provider's response.
Rendered through `core.pdf` (which refuses without a Chinese font) and stored once under its
sha256, like the contract PDF."""

from __future__ import annotations

import hashlib
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from govbuy.core.pdf import render_pdf
from govbuy.core.storage import save_once
from govbuy.performance.models import (
    CommissionStatus,
    EvaluationRound,
    Family,
    ProviderResponse,
    ScoredBy,
    ThirdPartyCommission,
)
from govbuy.performance.selectors import family_points, scores_table

TEMPLATE = "performance/round_report_pdf.html"


def _families(obj: EvaluationRound) -> list[dict[str, Any]]:
    """Indicator rows grouped by family, in the template's order, with each party's score."""
    parties = list(ScoredBy.values)
    deciding = parties.index(ScoredBy.FINANCE if obj.reevaluated_at else ScoredBy.PURCHASER)
    groups: dict[str, dict[str, Any]] = {}
    for row in scores_table(obj):
        indicator = row["indicator"]
        group = groups.setdefault(
            indicator.family, {"label": Family(indicator.family).label, "rows": [], "weight": 0, "points": 0}
        )
        by_party = dict(zip(parties, row["scores"], strict=True))
        decided = row["scores"][deciding]
        group["rows"].append({"indicator": indicator, "decided": decided, **by_party})
        group["weight"] += indicator.weight
        group["points"] += decided.points if decided else 0
    return list(groups.values())


def render_report(obj: EvaluationRound) -> bytes:
    from govbuy.performance.services.surveys import summary_for_round

    summary, visible = summary_for_round(obj)
    commissions = list(
        ThirdPartyCommission.objects.filter(round=obj, status=CommissionStatus.REPORTED).select_related("evaluator")
    )
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        html = render_to_string(
            TEMPLATE,
            {
                "round": obj,
                "contract": obj.contract,
                "families": _families(obj),
                "public_families": family_points(obj),
                "summary": summary if visible else None,
                "answers": summary.answers if summary else 0,
                "interval": summary.interval() if summary and visible else None,
                "commissions": commissions,
                "response": ProviderResponse.objects.filter(round=obj).first(),
                "issued_at": timezone.now(),
            },
        )
    return render_pdf(html)


def store_report(obj: EvaluationRound) -> list[str]:
    """Render and store the report once under its hash; record it on the round (the caller
    saves the returned fields)."""
    pdf = render_report(obj)
    digest = hashlib.sha256(pdf).hexdigest()
    obj.report_path = save_once(
        path=f"performance/{digest[:2]}/{obj.contract.reference}-{obj.number}-{digest[:16]}.pdf",
        data=pdf,
        sha256=digest,
    )
    obj.report_sha256 = digest
    return ["report_path", "report_sha256"]

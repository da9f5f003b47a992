"""Where evaluation results feed back into the stages below (issue 13, "Results feed back"):

- a contract's milestone drafted as "paid after its performance evaluation" waits for the round
  tied to it (the round's `milestone`) to be finalised — registered into `core.evaluation_gate`;
- a planning proposal that renews a service shows its reviewers the last published grades of that
  service (the same purchaser's earlier projects for the same catalog item) and of the providers
  that delivered it — registered into `core.review_panels`.

Contracts and planning cannot import performance; these functions are their only view of it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from govbuy.performance import rules
from govbuy.performance.models import EvaluationRound, RoundKind, RoundStatus

# A round's result is settled once the purchaser has finalised it and, for a key project or a
# selected one, the finance bureau has re-evaluated it: from then on only the provider's
# response and the publication follow, and the grade no longer changes.
SETTLED = (RoundStatus.PROVIDER_RESPONSE, RoundStatus.PUBLISHED)
PANEL_ROWS = 5


def milestone_evaluation_finalised(milestone_id: int) -> bool:
    return EvaluationRound.objects.filter(milestone_id=milestone_id, status__in=SETTLED).exists()


def _line(obj: EvaluationRound) -> dict[str, Any]:
    kind = _("final") if obj.kind == RoundKind.FINAL else _("periodic")
    published = obj.published_at.year if obj.published_at else ""
    return {
        "label": f"{obj.contract.reference} · {obj.contract.title}",
        "text": _("%(year)s, round %(number)d (%(kind)s): %(grade)s, %(total)s points")
        % {
            "year": published,
            "number": obj.number,
            "kind": kind,
            "grade": rules.GRADE_LABELS.get(obj.grade, ""),
            "total": obj.total,
        },
        "note": obj.contract.provider.name_zh,
    }


def _earlier_contracts(project_id: int) -> tuple[Any, list[int]]:
    """The project and the contracts of the same purchaser's earlier projects for the same
    catalog item (matched by the item's code, across catalog versions)."""
    from govbuy.contracts.models import Contract
    from govbuy.planning.models import Project

    project = Project.objects.select_related("catalog_item").filter(pk=project_id).first()
    if project is None or project.catalog_item is None:
        return project, []
    contracts = (
        Contract.objects.filter(
            project__purchaser_id=project.purchaser_id, project__catalog_item__code=project.catalog_item.code
        )
        .exclude(project_id=project.pk)
        .values_list("pk", flat=True)
    )
    return project, list(contracts)


def _published() -> Any:
    return (
        EvaluationRound.objects.filter(status=RoundStatus.PUBLISHED)
        .select_related("contract__provider")
        .order_by("-published_at", "-pk")
    )


def service_grades_panel(project_id: int) -> dict[str, Any] | None:
    """The last published grades of the service this proposal renews."""
    _project, contracts = _earlier_contracts(project_id)
    if not contracts:
        return None
    rows = list(_published().filter(contract_id__in=contracts)[:PANEL_ROWS])
    return {
        "id": "renewal-service-grades",
        "title": _("Last grades of this service"),
        "items": [_line(r) for r in rows],
        "empty": _("The earlier contracts for this service have no published evaluation yet."),
    }


def provider_grades_panel(project_id: int) -> dict[str, Any] | None:
    """The last published grades of the providers that delivered the service before, on any of
    their contracts."""
    from govbuy.contracts.models import Contract

    _project, contracts = _earlier_contracts(project_id)
    if not contracts:
        return None
    providers = Contract.objects.filter(pk__in=contracts).values("provider_id")
    rows = list(_published().filter(contract__provider_id__in=providers)[:PANEL_ROWS])
    return {
        "id": "renewal-provider-grades",
        "title": _("Last grades of the providers that delivered it"),
        "items": [_line(r) for r in rows],
        "empty": _("These providers have no published evaluation yet."),
    }

"""Release builders for the contract stages (decision 0004), built from govbuy.contracts.ocds.

A contract drawn from an award belongs to the contracting process of its tender (same ocid and
related processes as the tender's releases), so its compiled record runs from plan to last
payment. A commission outside the procurement scope has no tender: it shares the project's ocid
(the planning process) and carries its own award, the commission decision."""

from __future__ import annotations

from typing import Any

from govbuy.core.publication import Announcement
from govbuy.disclosure import ocds
from govbuy.disclosure.builders.procurement import contracting_process
from govbuy.disclosure.registry import register_release_builder

CONTRACT_TYPE = "contracts.contract"
CONTRACT_STAGES = ("contract", "contractAmendment", "implementation", "contractTermination")


def _process_of_tender(tender: Any) -> tuple[str, list[dict[str, Any]]]:
    """The tender attempt's process, exactly as its own releases name it."""
    from govbuy.procurement.models import Tender

    attempts = list(
        Tender.objects.filter(project_id=tender.project_id, published_at__isnull=False)
        .order_by("published_at", "pk")
        .values_list("pk", "reference", "title")
    )
    position = next(i for i, (pk, _ref, _title) in enumerate(attempts) if pk == tender.pk)
    return contracting_process(
        project_reference=tender.project.reference,
        project_title=tender.project.title,
        attempts=[(reference, title) for _pk, reference, title in attempts],
        position=position,
    )


def build_contract(announcement: Announcement) -> dict[str, Any] | None:
    from govbuy.contracts.models import Contract
    from govbuy.contracts.ocds import contract_release_parts

    contract = (
        Contract.objects.select_related(
            "purchaser__region", "provider__region", "project", "award__tender__project", "award__lot"
        )
        .filter(pk=announcement.obj_id)
        .first()
    )
    if contract is None or contract.published_at is None:
        return None
    related: list[dict[str, Any]] = []
    if contract.award is not None:
        local_id, related = _process_of_tender(contract.award.tender)
    else:
        local_id = contract.project.reference
    release: dict[str, Any] = {
        "ocid": ocds.ocid_for(local_id),
        "date": ocds.format_date(announcement.occurred_at),
        "tag": [announcement.stage],
        "initiationType": "tender",
        "language": "zh",
    }
    if related:
        release["relatedProcesses"] = related
    release.update(contract_release_parts(contract))
    return release


# Registered on import, from DisclosureConfig.ready().
for _stage in CONTRACT_STAGES:
    register_release_builder(CONTRACT_TYPE, _stage, build_contract)

"""Release builders for procurement's stages (decision 0004): the tender notice, its updates
(opening), its cancellation and the award notice, built from govbuy.procurement.ocds.

Each tender attempt is a contracting process of its own (docs/ocds.md, "Attempts"). The first
published attempt of a project shares the project's ocid, so its record shows the plan, the
tender and the award; an attempt after a failed or cancelled one gets the ocid of its own
reference and names, in `relatedProcesses`, the attempt before it (relationship
`unsuccessfulProcess`) and the planning process (`planning`). So the compiled release of the live
process never shows the tenderers and bids of a round that failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from govbuy.core.publication import Announcement
from govbuy.disclosure import ocds
from govbuy.disclosure.registry import register_release_builder

TENDER_TYPE = "procurement.tender"
TENDER_STAGES = ("tender", "tenderUpdate", "tenderCancellation")


def _process_reference(ocid: str, title: str, relationship: list[str], number: int) -> dict[str, Any]:
    return {
        "id": str(number),
        "relationship": relationship,
        "title": title,
        "scheme": "ocid",
        "identifier": ocid,
        "uri": ocds.public_url(reverse("disclosure:ocds-record", kwargs={"ocid": ocid})),
    }


def contracting_process(
    *, project_reference: str, project_title: str, attempts: Sequence[tuple[str, str]], position: int
) -> tuple[str, list[dict[str, Any]]]:
    """(local id of the ocid, relatedProcesses) of the published attempt at `position` among a
    project's published attempts [(reference, title)] in publication order. Pure: the demo's
    synthetic data builds its releases with it too."""
    if position == 0:
        return project_reference, []
    previous_reference, previous_title = attempts[position - 1]
    if position == 1:
        # The attempt before was the project's own process, which also holds its planning.
        return attempts[position][0], [
            _process_reference(ocds.ocid_for(project_reference), previous_title, ["planning", "unsuccessfulProcess"], 1)
        ]
    return attempts[position][0], [
        _process_reference(ocds.ocid_for(previous_reference), previous_title, ["unsuccessfulProcess"], 1),
        _process_reference(ocds.ocid_for(project_reference), project_title, ["planning"], 2),
    ]


def _process_of(tender: Any) -> tuple[str, list[dict[str, Any]]]:
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


def build_tender(announcement: Announcement) -> dict[str, Any] | None:
    from govbuy.procurement.models import Tender
    from govbuy.procurement.ocds import tender_release_parts

    tender = (
        Tender.objects.select_related("purchaser__region", "method", "project").filter(pk=announcement.obj_id).first()
    )
    if tender is None or tender.published_at is None:
        return None
    local_id, related = _process_of(tender)
    release: dict[str, Any] = {
        "ocid": ocds.ocid_for(local_id),
        "date": ocds.format_date(announcement.occurred_at),
        "tag": [announcement.stage],
        "initiationType": "tender",
        "language": "zh",
    }
    if related:
        release["relatedProcesses"] = related
    release.update(tender_release_parts(tender))
    return release


def build_award(announcement: Announcement) -> dict[str, Any] | None:
    from govbuy.procurement.ocds import award_release_parts

    release = build_tender(announcement)
    if release is None:
        return None
    from govbuy.procurement.models import Tender

    tender = Tender.objects.select_related("purchaser__region", "method", "project").get(pk=announcement.obj_id)
    release.update(award_release_parts(tender))
    return release


# Registered on import, from DisclosureConfig.ready().
for _stage in TENDER_STAGES:
    register_release_builder(TENDER_TYPE, _stage, build_tender)
register_release_builder(TENDER_TYPE, "award", build_award)
# A winner's refusal to sign supersedes its award (Reg. Art. 49): the release shows it cancelled.
register_release_builder(TENDER_TYPE, "awardUpdate", build_award)

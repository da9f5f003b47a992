"""Release builders for procurement's stages (decision 0004): the tender notice, its updates
(opening), its cancellation and the award notice, built from govbuy.procurement.ocds."""

from __future__ import annotations

from typing import Any

from govbuy.core.publication import Announcement
from govbuy.disclosure import ocds
from govbuy.disclosure.registry import register_release_builder

TENDER_TYPE = "procurement.tender"
TENDER_STAGES = ("tender", "tenderUpdate", "tenderCancellation")


def build_tender(announcement: Announcement) -> dict[str, Any] | None:
    from govbuy.procurement.models import Tender
    from govbuy.procurement.ocds import local_id, tender_release_parts

    tender = (
        Tender.objects.select_related("purchaser__region", "method", "project").filter(pk=announcement.obj_id).first()
    )
    if tender is None or tender.published_at is None:
        return None
    release: dict[str, Any] = {
        "ocid": ocds.ocid_for(local_id(tender)),
        "date": ocds.format_date(announcement.occurred_at),
        "tag": [announcement.stage],
        "initiationType": "tender",
        "language": "zh",
    }
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

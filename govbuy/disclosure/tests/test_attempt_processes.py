"""Open data of a failed round and its re-tender (docs/ocds.md, "Attempts"): each attempt is a
contracting process of its own; the live one links back to the failed one (relatedProcesses,
unsuccessfulProcess) and its compiled release never shows the failed round's tenderers or bids."""

from __future__ import annotations

import json

import pytest

from govbuy.disclosure import jsonutil, ocds
from govbuy.disclosure.builders.procurement import contracting_process
from govbuy.disclosure.models import Release
from govbuy.procurement.services import bids, opening, tenders
from tests.builders.procurement import CRITERIA, far_deadline, past_opening_time

pytestmark = pytest.mark.django_db


def _record(client, ocid: str) -> dict:
    response = client.get(f"/ocds/records/{ocid}")
    assert response.status_code == 200
    return response.json()["records"][0]


def test_a_re_tender_is_its_own_process_linked_to_the_failed_one(world, noticed, client):
    published, project = noticed, noticed.project
    bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price="100.00")
    past_opening_time(published)
    opening.initiate_opening(actor=world.purchaser_a, tender=published)
    opening.confirm_opening(actor=world.purchaser_a_approver, tender=published)
    published.refresh_from_db()
    assert published.status == "failed"

    retender = tenders.create_tender(
        actor=world.purchaser_a, project=project, bid_deadline=far_deadline(40), criteria=CRITERIA
    )
    retender = tenders.publish_tender(actor=world.purchaser_a, tender=retender, version=retender.version)
    bids.submit_bid(actor=world.provider_b, tender=retender, provider=world.provider_b_org, price="90.00")

    first_ocid = ocds.ocid_for(project.reference)
    live_ocid = ocds.ocid_for(retender.reference)
    assert set(
        Release.objects.filter(object_id=published.pk, object_type="procurement.tender").values_list("ocid", flat=True)
    ) == {first_ocid}
    live_releases = [jsonutil.loads(r.document) for r in Release.objects.filter(object_id=retender.pk)]
    assert {r["ocid"] for r in live_releases} == {live_ocid}
    related = live_releases[0]["relatedProcesses"]
    assert related == [
        {
            "id": "1",
            "relationship": ["planning", "unsuccessfulProcess"],
            "title": published.title,
            "scheme": "ocid",
            "identifier": first_ocid,
            "uri": ocds.public_url(f"/ocds/records/{first_ocid}"),
        }
    ]

    live = _record(client, live_ocid)["compiledRelease"]
    assert live["tender"]["status"] == "active"
    assert "bids" not in live
    assert "tenderers" not in live["tender"]
    assert world.provider_a_org.name_zh not in json.dumps(live, ensure_ascii=False)
    failed = _record(client, first_ocid)["compiledRelease"]
    assert failed["tender"]["status"] == "unsuccessful"
    assert [b["tenderers"][0]["name"] for b in failed["bids"]["details"]] == [world.provider_a_org.name_zh]
    assert "planning" in failed  # the first attempt's process is the project's, plan included


def test_a_third_attempt_links_the_one_before_and_the_plan():
    attempts = [("P-T1", "一期"), ("P-T2", "二期"), ("P-T3", "三期")]
    local, related = contracting_process(project_reference="P", project_title="项目", attempts=attempts, position=2)
    assert local == "P-T3"
    assert [(r["identifier"], r["relationship"]) for r in related] == [
        (ocds.ocid_for("P-T2"), ["unsuccessfulProcess"]),
        (ocds.ocid_for("P"), ["planning"]),
    ]
    assert contracting_process(project_reference="P", project_title="项目", attempts=attempts, position=0) == ("P", [])

"""R5, sealed bids: before the opening no role reads a bid's price or documents anywhere.

The matrix is generated: every URL pattern of the project (walked like test_headers.py) × every
persona and the public. Procurement's patterns are filled with real objects from SAMPLES below;
a new procurement pattern missing there fails the test, so it cannot go unchecked. A canary price
is then grepped in every response, in a JSON dump of every table, in the media folder and in
the captured logs.
"""

from __future__ import annotations

import io
import logging
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from govbuy.accounts.testing import force_login_verified
from govbuy.procurement.services import bids, tenders
from govbuy.providers.samples import minimal_pdf
from tests.builders.planning import approved_project
from tests.builders.procurement import awarded_tender, draft_tender, open_tender, verified_providers
from tests.security.test_headers import reachable_endpoints, walk

CANARY = "98765.43"
CANARY_TEXT = "98765.43"
# Pages show yuan with thousands separators: the canary is looked for in both spellings.
CANARY_SHOWN = "98,765.43"
# The portal's project pages and feedback show a tender's history: filled with the same objects.
PROCUREMENT = re.compile(r"(^|:)(procurement|tenders)[:-]|procurement|public-tender|(^|:)portal[:-]")

# Procurement's URL patterns → how to fill their arguments from the objects made below.
SAMPLES = {
    "procurement:tenders": lambda o: {},
    "procurement:tender_create": lambda o: {"project_pk": o["project"].pk},
    "procurement:tender": lambda o: {"pk": o["tender"].pk},
    "procurement:tender_publish": lambda o: {"pk": o["tender"].pk},
    "procurement:tender_cancel": lambda o: {"pk": o["tender"].pk},
    "procurement:tender_document": lambda o: {"pk": o["tender"].pk},
    "procurement:opening_initiate": lambda o: {"pk": o["tender"].pk},
    "procurement:opening_confirm": lambda o: {"pk": o["tender"].pk},
    "procurement:opening_record": lambda o: {"pk": o["tender"].pk},
    "procurement:method_change": lambda o: {"pk": o["tender"].pk},
    "procurement:bid_submit": lambda o: {"pk": o["tender"].pk},
    "procurement:bid_withdraw": lambda o: {"pk": o["bid"].pk},
    "procurement:bid_document": lambda o: {"pk": o["bid"].pk},
    "procurement:evaluation": lambda o: {"pk": o["tender"].pk},
    "procurement:panel_draw": lambda o: {"pk": o["tender"].pk},
    "procurement:panel_declare": lambda o: {"pk": o["tender"].pk},
    "procurement:bid_score": lambda o: {"pk": o["tender"].pk, "bid_pk": o["bid"].pk},
    "procurement:bid_disqualify": lambda o: {"pk": o["tender"].pk, "bid_pk": o["bid"].pk},
    "procurement:evaluation_complete": lambda o: {"pk": o["tender"].pk},
    "procurement:evaluation_report": lambda o: {"pk": o["tender"].pk},
    "procurement:credit_check": lambda o: {"pk": o["tender"].pk, "bid_pk": o["bid"].pk},
    "procurement:experts": lambda o: {},
    "procurement:expert_toggle": lambda o: {"pk": o["expert"].pk},
    "procurement:methods": lambda o: {},
    "procurement:method_edit": lambda o: {"pk": o["method"].pk},
    "tenders:index": lambda o: {},
    "tenders:tender": lambda o: {"pk": o["tender"].pk},
    "tenders:document": lambda o: {"pk": o["tender"].pk, "doc_pk": o["document"].pk},
    "api:procurement-methods": lambda o: {},
    "api:procurement-method": lambda o: {"pk": o["method"].pk},
    "api:procurement-tenders": lambda o: {},
    "api:procurement-tender": lambda o: {"pk": o["tender"].pk},
    "api:procurement-tender-publish": lambda o: {"pk": o["tender"].pk},
    "api:procurement-tender-cancel": lambda o: {"pk": o["tender"].pk},
    "api:procurement-tender-documents": lambda o: {"pk": o["tender"].pk},
    "api:procurement-tender-method-change": lambda o: {"pk": o["tender"].pk},
    "api:procurement-tender-bids": lambda o: {"pk": o["tender"].pk},
    "api:procurement-tender-opening": lambda o: {"pk": o["tender"].pk},
    "api:procurement-bid-withdraw": lambda o: {"pk": o["bid"].pk},
    "api:procurement-experts": lambda o: {},
    "api:procurement-evaluation": lambda o: {"pk": o["tender"].pk},
    # A document of the bid (its own primary key: equal to the bid's only by chance of the sequences).
    "api:procurement-bid-document": lambda o: {"pk": o["bid"].documents.values_list("pk", flat=True).first() or 0},
    "api:procurement-panel": lambda o: {"pk": o["tender"].pk},
    "api:procurement-declaration": lambda o: {"pk": o["tender"].pk},
    "api:procurement-scores": lambda o: {"pk": o["tender"].pk, "bid_pk": o["bid"].pk},
    "api:procurement-disqualify": lambda o: {"pk": o["tender"].pk, "bid_pk": o["bid"].pk},
    "api:procurement-evaluation-complete": lambda o: {"pk": o["tender"].pk},
    "api:procurement-credit-check": lambda o: {"pk": o["tender"].pk, "bid_pk": o["bid"].pk},
    "procurement:awards": lambda o: {"pk": o["tender"].pk},
    "procurement:award_propose": lambda o: {"pk": o["tender"].pk},
    "procurement:award_confirm": lambda o: {"pk": o["tender"].pk, "award_pk": 1},
    "api:procurement-awards": lambda o: {"pk": o["tender"].pk},
    "api:procurement-award-confirm": lambda o: {"pk": o["tender"].pk, "award_pk": 1},
    "procurement:award_refusal_record": lambda o: {"pk": o["tender"].pk, "award_pk": 1},
    "procurement:award_refusal_confirm": lambda o: {"pk": o["tender"].pk, "award_pk": 1},
    "api:procurement-award-refusal": lambda o: {"pk": o["tender"].pk, "award_pk": 1},
    "api:procurement-award-refusal-confirm": lambda o: {"pk": o["tender"].pk, "award_pk": 1},
    "procurement:award_refusal_withdraw": lambda o: {"pk": o["tender"].pk, "award_pk": 1},
    "procurement:award_refusal_evidence": lambda o: {"pk": o["tender"].pk, "award_pk": 1},
    "api:procurement-award-refusal-withdraw": lambda o: {"pk": o["tender"].pk, "award_pk": 1},
    "api:procurement-award-refusal-evidence": lambda o: {"pk": o["tender"].pk, "award_pk": 1},
    "procurement:challenges": lambda o: {"pk": o["tender"].pk},
    "procurement:challenge_lodge": lambda o: {"pk": o["tender"].pk},
    "procurement:challenge_answer": lambda o: {"pk": o["tender"].pk, "challenge_pk": 1},
    "procurement:complaint_lodge": lambda o: {"pk": o["tender"].pk, "challenge_pk": 1},
    "procurement:complaint_decide": lambda o: {"pk": o["tender"].pk, "complaint_pk": 1},
    "api:procurement-challenges": lambda o: {"pk": o["tender"].pk},
    "api:procurement-challenge-answer": lambda o: {"pk": o["tender"].pk, "challenge_pk": 1},
    "api:procurement-complaint": lambda o: {"pk": o["tender"].pk, "challenge_pk": 1},
    "api:procurement-complaint-decide": lambda o: {"pk": o["tender"].pk, "complaint_pk": 1},
    "procurement:clarification_ask": lambda o: {"pk": o["tender"].pk},
    "procurement:clarification_answer": lambda o: {"pk": o["tender"].pk, "clarification_pk": 1},
    "procurement:clarification_notice": lambda o: {"pk": o["tender"].pk},
    "api:procurement-clarifications": lambda o: {"pk": o["tender"].pk},
    "api:procurement-clarification-answer": lambda o: {"pk": o["tender"].pk, "clarification_pk": 1},
    "api:procurement-clarification-notice": lambda o: {"pk": o["tender"].pk},
    "api:procurement-invitation-draw": lambda o: {"pk": o["tender"].pk},
    "api:public-tender-clarifications": lambda o: {"pk": o["tender"].pk},
    "portal:home": lambda o: {},
    "portal:project": lambda o: {"pk": o["project"].pk},
    "portal:feedback-submit": lambda o: {"pk": o["project"].pk},
    "portal:feedback-queue": lambda o: {},
    "portal:feedback": lambda o: {"pk": 1},
    "portal:feedback-publish": lambda o: {"pk": 1},
    "portal:feedback-reject": lambda o: {"pk": 1},
    "portal:feedback-reply": lambda o: {"pk": 1},
    "api:portal-home": lambda o: {},
    "api:portal-project": lambda o: {"pk": o["project"].pk},
    "api:portal-project-feedback": lambda o: {"pk": o["project"].pk},
    "api:portal-feedback-queue": lambda o: {},
    "api:portal-feedback": lambda o: {"pk": 1},
    "api:portal-feedback-publish": lambda o: {"pk": 1},
    "api:portal-feedback-reject": lambda o: {"pk": 1},
    "api:portal-feedback-reply": lambda o: {"pk": 1},
    "api:public-tenders": lambda o: {},
    "api:public-tender": lambda o: {"pk": o["tender"].pk},
}


def _sealed_world(world):
    project = approved_project(world)
    verified_providers(world)
    tender = draft_tender(world, project)
    document = tenders.add_document(
        actor=world.purchaser_a,
        tender=tender,
        version=tender.version,
        title="招标文件",
        file_name="招标文件.pdf",
        data=minimal_pdf("招标文件"),
    )
    tender.refresh_from_db()
    tender = tenders.publish_tender(actor=world.purchaser_a, tender=tender, version=tender.version)
    bid = bids.submit_bid(
        actor=world.provider_a,
        tender=tender,
        provider=world.provider_a_org,
        price=CANARY,
        documents=[("报价单.pdf", minimal_pdf(f"报价 {CANARY}"))],
    )
    bids.submit_bid(actor=world.provider_b, tender=tender, provider=world.provider_b_org, price=CANARY)
    from govbuy.procurement.models import ProcurementMethod
    from govbuy.procurement.services import evaluation

    # An expert whose account is the evaluator persona: the pool exists, no panel can before the opening.
    expert = evaluation.create_expert(actor=world.city_finance, name="专家", expertise="养老", user=world.evaluator)

    return {
        "project": project,
        "tender": tender,
        "bid": bid,
        "document": document,
        "method": ProcurementMethod.objects.first(),
        "expert": expert,
    }


def _urls(objects) -> list[tuple[str, str]]:
    from django.urls import reverse

    generic = dict(reachable_endpoints()[0])
    uncovered = []
    urls = []
    for endpoint in walk():
        if PROCUREMENT.search(endpoint.key):
            if endpoint.key not in SAMPLES:
                uncovered.append(endpoint.key)
                continue
            urls.append((endpoint.key, reverse(endpoint.key, kwargs=SAMPLES[endpoint.key](objects))))
        elif endpoint.key in generic:
            urls.append((endpoint.key, generic[endpoint.key]))
    assert not uncovered, (
        f"procurement URL patterns missing from SAMPLES in tests/security/test_sealed_bids.py: {uncovered}"
    )
    stale = sorted(set(SAMPLES) - {e.key for e in walk()})
    assert not stale, f"SAMPLES lists patterns that no longer exist: {stale}"
    return urls


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.django_db
def test_no_role_reads_a_sealed_bid_anywhere_before_the_opening(world, caplog, settings):
    caplog.set_level(logging.DEBUG)
    objects = _sealed_world(world)
    urls = _urls(objects)
    assert len([k for k, _u in urls if PROCUREMENT.search(k)]) == len(SAMPLES)
    clients = {"public": Client()}
    for name, user in world.users.items():
        clients[name] = force_login_verified(Client(), user)
    leaks = []
    for role, client in clients.items():
        for key, url in urls:
            response = client.get(url)
            if CANARY_TEXT.encode() in _body(response) or CANARY_SHOWN.encode() in _body(response):
                leaks.append(f"{role} GET {url} ({key})")
    assert leaks == []
    dump = io.StringIO()
    call_command("dumpdata", format="json", stdout=dump)
    assert CANARY_TEXT not in dump.getvalue()
    assert '"procurement.bid"' in dump.getvalue()
    media = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert media
    assert not [p for p in media if CANARY_TEXT.encode() in p.read_bytes()]
    assert CANARY_TEXT not in caplog.text


@pytest.mark.django_db
def test_ocds_releases_are_valid_and_carry_bids_only_after_the_opening(world):
    from govbuy.disclosure import jsonutil, schema
    from govbuy.disclosure.models import Release

    objects = _sealed_world(world)
    tender = objects["tender"]
    notice = jsonutil.loads(Release.objects.get(object_id=tender.pk, stage="tender").document)
    assert schema.errors("release", notice) == []
    assert notice["tender"]["status"] == "active"
    assert "bids" not in notice
    assert CANARY_TEXT not in jsonutil.dumps(notice)
    open_tender(world, tender)
    update = jsonutil.loads(Release.objects.get(object_id=tender.pk, stage="tenderUpdate").document)
    assert schema.errors("release", update) == []
    assert update["tender"]["numberOfTenderers"] == 2
    assert {d["value"]["amount"] for d in update["bids"]["details"]} == {Decimal(CANARY)}
    roles = {p["name"]: p["roles"] for p in update["parties"]}
    assert roles[world.provider_a_org.name_zh] == ["tenderer"]
    assert roles[world.purchaser_a_org.name_zh] == ["buyer", "procuringEntity"]
    # The canary matrix can fail: after the opening the purchaser's page shows the price.
    client = force_login_verified(Client(), world.purchaser_a)
    assert CANARY_SHOWN.encode() in client.get(f"/procurement/tenders/{tender.pk}/").content


@pytest.mark.django_db
def test_the_award_release_is_valid_and_names_the_supplier(world):
    from django.test import override_settings

    from govbuy.disclosure import jsonutil, schema
    from govbuy.disclosure.models import Release

    objects = _sealed_world(world)
    tender = open_tender(world, objects["tender"])
    # Above the canary's price the proposal would wait for a second user: here it is the award.
    with override_settings(GOVBUY_AWARD_FOUR_EYES_THRESHOLD=str(Decimal(CANARY) + 1)):
        top = awarded_tender(world, tender).award.bid
    release = jsonutil.loads(Release.objects.get(object_id=tender.pk, stage="award").document)
    assert schema.errors("release", release) == []
    assert release["tag"] == ["award"]
    [award] = release["awards"]
    assert award["status"] == "active"
    assert award["value"] == {"amount": Decimal(CANARY), "currency": "CNY"}
    assert award["suppliers"][0]["name"] == top.provider.name_zh
    roles = {p["name"]: p["roles"] for p in release["parties"]}
    assert "supplier" in roles[top.provider.name_zh]
    assert release["tender"]["status"] == "complete"

"""The expert's evaluation page (issue 16): after the opening a seated member reaches the
documents of the bids it scores, each download audited as a read of sealed material; an
outsider, another tender's expert and a member who declared a conflict get 404. The page speaks
plainly: no random seed or candidate ids for the expert, and the consequential buttons ask first."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from govbuy.accounts.testing import force_login_verified
from govbuy.audit.describe import describe
from govbuy.audit.models import AuditEvent
from govbuy.procurement.models import BidDocument, Expert
from govbuy.procurement.services import bids, evaluation
from govbuy.procurement.services.oversight_reads import PANEL_ACTION
from govbuy.providers.samples import minimal_pdf
from tests.builders.procurement import lower_minimums, make_experts, open_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def tender(world, published, providers):
    lower_minimums(world)
    bids.submit_bid(
        actor=world.provider_a,
        tender=published,
        provider=world.provider_a_org,
        price="100.00",
        documents=[("服务方案.pdf", minimal_pdf())],
    )
    bids.submit_bid(actor=world.provider_b, tender=published, provider=world.provider_b_org, price="120.00")
    return open_tender(world, published)


@pytest.fixture
def panel(world, tender):
    make_experts(world, 5)
    return evaluation.draw_panel(actor=world.purchaser_a, tender=tender)


def _members(panel):
    return list(panel.members.select_related("expert__user").order_by("position"))


def test_a_seated_expert_downloads_the_bid_documents_and_each_download_is_audited(world, tender, panel):
    member = _members(panel)[0]
    client = force_login_verified(Client(), member.expert.user)
    document = BidDocument.objects.get()
    url = reverse("procurement:bid_document", args=[document.pk])
    page = client.get(reverse("procurement:evaluation", args=[tender.pk])).content.decode()
    assert url not in page  # not before the declaration
    assert client.get(url).status_code == 404
    evaluation.declare(actor=member.expert.user, tender=tender, conflict=False)
    page = client.get(reverse("procurement:evaluation", args=[tender.pk])).content.decode()
    assert f'href="{url}"' in page
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    events = list(AuditEvent.objects.filter(action=PANEL_ACTION).order_by("position"))
    assert len(events) == 2
    assert events[0].actor_id == member.expert.user_id
    assert events[0].object_type == "procurement.biddocument"
    sentence = describe(events[0])
    assert "服务方案.pdf" in sentence
    assert tender.reference in sentence
    assert world.provider_a_org.name_zh in sentence


def test_the_purchaser_reads_without_a_panel_event_and_others_get_404(world, tender, panel):
    document = BidDocument.objects.get()
    url = reverse("procurement:bid_document", args=[document.pk])
    assert force_login_verified(Client(), world.purchaser_a).get(url).status_code == 200
    conflicted = _members(panel)[1]
    evaluation.declare(actor=conflicted.expert.user, tender=tender, conflict=True, statement="曾任投标人顾问")
    seated_ids = {m.expert_id for m in _members(panel)}
    outside = Expert.objects.exclude(pk__in=seated_ids).select_related("user").first()
    assert outside is not None  # an expert of the pool whom this draw did not seat
    for user in (world.outsider, world.purchaser_b, conflicted.expert.user, outside.user):
        assert force_login_verified(Client(), user).get(url).status_code == 404, user.username
    unseated = _members(panel)[2].expert.user
    assert force_login_verified(Client(), unseated).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=PANEL_ACTION).exists()


def test_the_expert_sees_names_not_seeds_and_the_purchaser_can_check_the_draw(world, tender, panel):
    member = _members(panel)[0]
    evaluation.declare(actor=member.expert.user, tender=tender, conflict=False)
    expert_page = force_login_verified(Client(), member.expert.user).get(
        reverse("procurement:evaluation", args=[tender.pk])
    )
    text = expert_page.content.decode()
    assert panel.seed not in text
    assert 'id="panel-candidates"' not in text
    assert member.expert.name in text
    purchaser_page = force_login_verified(Client(), world.purchaser_a).get(
        reverse("procurement:evaluation", args=[tender.pk])
    )
    text = purchaser_page.content.decode()
    assert f'<code id="panel-seed">{panel.seed}</code>' in text
    candidates = text[text.index('id="panel-candidates"') :]
    assert all(f"<li>专家{i}" in candidates for i in range(5))


def test_disqualifying_and_completing_ask_for_confirmation(world, tender, panel):
    member = _members(panel)[0]
    evaluation.declare(actor=member.expert.user, tender=tender, conflict=False)
    text = (
        force_login_verified(Client(), member.expert.user)
        .get(reverse("procurement:evaluation", args=[tender.pk]))
        .content.decode()
    )
    disqualify = text[text.index("/disqualify/") :]
    assert "data-confirm=" in disqualify[: disqualify.index("</form>")]
    complete = re.search(r'<button[^>]*id="complete-evaluation"[^>]*>', text)
    assert complete is not None
    assert "data-confirm=" in complete.group(0)


def test_the_api_gives_the_seated_expert_the_documents_and_audits_each_download(world, tender, panel):
    member = _members(panel)[0]
    evaluation.declare(actor=member.expert.user, tender=tender, conflict=False)
    client = force_login_verified(Client(), member.expert.user)
    body = client.get(reverse("api:procurement-evaluation", args=[tender.pk])).json()
    assert body["seed"] is None
    assert body["candidates"] == []
    [document] = [d for bid in body["bids"] for d in bid["documents"]]
    assert document["file_name"] == "服务方案.pdf"
    assert client.get(document["download"]).status_code == 200
    assert AuditEvent.objects.filter(action=PANEL_ACTION, actor_id=member.expert.user_id).count() == 1
    outsider = force_login_verified(Client(), world.outsider)
    assert outsider.get(document["download"]).status_code == 404
    purchaser = force_login_verified(Client(), world.purchaser_a).get(
        reverse("api:procurement-evaluation", args=[tender.pk])
    )
    assert purchaser.json()["seed"] == panel.seed

"""Invitation tender (Law Art. 34): at publication the system invites at least three qualified
providers at random; the seed, the candidates and the result are kept so that anyone repeats the
draw; only the invited bid or ask; too few candidates refuse the publication. And the bid
submission rate limit (design/reliability.md R15)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govbuy.audit.describe import describe
from govbuy.audit.models import AuditEvent
from govbuy.core.errors import PermissionRefused, RateLimited, ValidationFailed
from govbuy.organizations.models import Organisation
from govbuy.organizations.uscc import make_code
from govbuy.procurement import rules
from govbuy.procurement.models import Bid, InvitationDraw, Tender
from govbuy.procurement.services import bids, clarifications, tenders
from govbuy.providers.models import ProviderProfile, Restriction
from tests.builders.planning import advance
from tests.builders.procurement import CRITERIA, far_deadline

from .conftest import CANARY

pytestmark = pytest.mark.django_db


def extra_providers(world, n, *, state="verified"):
    """Providers registered straight in the table (their dossiers do not matter to the draw);
    state "banned" is a verified provider with a ban in force."""
    out = []
    for _ in range(n):
        i = Organisation.objects.count()
        org = Organisation.objects.create(
            name_zh=f"测试社会工作服务社{i}",
            name_en=f"extra{i}",
            kind="social_service_organisation",
            region=world.city,
            uscc=make_code("52", world.city.code, f"{40000000 + i:08d}"),
        )
        ProviderProfile.objects.create(
            organisation=org,
            state="verified" if state == "banned" else state,
            authority_kind="civil_affairs",
            registration_authority="北京市民政局",
            legal_representative=f"代表{i}",
            legal_representative_key=f"{i:064d}",
            registered_address="北京市",
            registration_date=dt.date(2016, 1, 1),
            contact_name="联系人",
            contact_phone="010-1",
            verified_at=timezone.now() if state != "registered" else None,
        )
        if state == "banned":
            Restriction.objects.create(
                profile=org.provider_profile,
                kind="ban",
                starts_at=timezone.now() - dt.timedelta(days=1),
                ends_at=timezone.now() + dt.timedelta(days=365),
                legal_basis="政府采购法第七十七条",
                reason="提供虚假材料",
                authority_name="北京市财政局",
            )
        out.append(org)
    return out


@pytest.fixture
def invitation_tender(world, propose):
    project = advance(propose(suggested_method="invitation_tender"), world, to="approved")
    return tenders.create_tender(
        actor=world.purchaser_a, project=project, bid_deadline=far_deadline(), bid_bond="0", criteria=CRITERIA
    )


def publish(world, tender):
    return tenders.publish_tender(actor=world.purchaser_a, tender=tender, version=tender.version)


def publish_with(world, tender, monkeypatch, want):
    """Publish with the first seed `seed-0`, `seed-1`, … whose draw satisfies `want(invited)`;
    the seed goes through the same code path as a secret one."""
    candidates = tenders.invitation_candidates()
    size = rules.invitations_needed(tender.method.random_invitations, tender.method.min_suppliers)
    seed = next(f"seed-{i}" for i in range(1000) if want(rules.draw_invitations(candidates, f"seed-{i}", size)))
    monkeypatch.setattr(tenders.secrets, "token_hex", lambda n=16: seed)
    return publish(world, tender)


def test_publication_draws_three_providers_reproducibly(world, providers, invitation_tender):
    extras = extra_providers(world, 4)
    extra_providers(world, 1, state="banned")
    extra_providers(world, 1, state="registered")
    published = publish(world, invitation_tender)
    draw = InvitationDraw.objects.get(tender=published)
    eligible = sorted([world.provider_a_org.pk, world.provider_b_org.pk, *(o.pk for o in extras)])
    assert draw.candidates == eligible  # verified only, ascending
    assert draw.size == 3
    assert len(set(draw.invited)) == 3
    assert set(draw.invited) <= set(eligible)
    assert len(draw.seed) == 32
    # Anyone repeats it: the recorded seed and candidates give the same providers, by the rule
    # and by the recipe the page states (random.Random(seed).sample over the ids, first ones).
    assert rules.draw_invitations(draw.candidates, draw.seed, draw.size) == draw.invited
    assert random.Random(draw.seed).sample(sorted(draw.candidates), len(draw.candidates))[:3] == draw.invited
    event = AuditEvent.objects.get(action="procurement.invitation.drawn")
    assert event.data["invited"] == draw.invited
    assert event.data["seed"] == draw.seed
    assert draw.seed in describe(event)


def test_two_publications_draw_with_different_seeds(world, providers, invitation_tender, propose):
    extra_providers(world, 6)
    first = InvitationDraw.objects.get(tender=publish(world, invitation_tender))
    tenders.cancel_tender(
        actor=world.purchaser_a,
        tender=invitation_tender,
        version=Tender.objects.get(pk=invitation_tender.pk).version,
        reason="重新招标",
    )
    project = advance(propose(suggested_method="invitation_tender"), world, to="approved")
    second_tender = tenders.create_tender(
        actor=world.purchaser_a, project=project, bid_deadline=far_deadline(), criteria=CRITERIA
    )
    second = InvitationDraw.objects.get(tender=publish(world, second_tender))
    assert first.seed != second.seed


def test_fewer_eligible_providers_than_needed_refuse_the_publication(world, providers, invitation_tender):
    extra_providers(world, 1, state="banned")
    with pytest.raises(ValidationFailed, match="at least 3") as exc:
        publish(world, invitation_tender)
    assert "only 2" in str(exc.value.message)
    tender = Tender.objects.get(pk=invitation_tender.pk)
    assert tender.status == "draft"
    assert not InvitationDraw.objects.exists()
    assert not AuditEvent.objects.filter(action="procurement.tender.published").exists()


def test_a_public_tender_draws_nobody(world, providers, published):
    assert not InvitationDraw.objects.exists()


def test_only_invited_providers_bid_and_ask(world, providers, invitation_tender, monkeypatch):
    extra_providers(world, 2)
    a, b = world.provider_a_org.pk, world.provider_b_org.pk
    published = publish_with(world, invitation_tender, monkeypatch, lambda inv: a in inv and b not in inv)
    bid = bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price=CANARY)
    assert bid.status == "sealed"
    with pytest.raises(PermissionRefused, match="invited"):
        bids.submit_bid(actor=world.provider_b, tender=published, provider=world.provider_b_org, price=CANARY)
    with pytest.raises(PermissionRefused, match="invited"):
        clarifications.ask_question(
            actor=world.provider_b, tender=published, provider=world.provider_b_org, question="能否参加？"
        )
    clarifications.ask_question(actor=world.provider_a, tender=published, provider=world.provider_a_org, question="问")
    assert Bid.objects.filter(provider=world.provider_b_org).count() == 0


def test_the_draw_is_shown_to_the_purchaser_and_oversight_only(world, login, providers, invitation_tender, monkeypatch):
    extras = extra_providers(world, 2)
    a, b = world.provider_a_org.pk, world.provider_b_org.pk
    published = publish_with(world, invitation_tender, monkeypatch, lambda inv: a in inv and b not in inv)
    draw = InvitationDraw.objects.get(tender=published)
    page = reverse("procurement:tender", args=[published.pk])
    api = reverse("api:procurement-invitation-draw", args=[published.pk])
    for user in (world.purchaser_a, world.district_finance_a):
        assert draw.seed in login(user).get(page).content.decode()
        body = login(user).get(api).json()
        assert body["seed"] == draw.seed
        assert body["invited"] == draw.invited
    invited_page = login(world.provider_a).get(page).content.decode()
    assert draw.seed not in invited_page
    assert 'id="invited-notice"' in invited_page
    assert 'id="bid-link"' in invited_page
    assert login(world.provider_a).get(api).json() == {
        "invites_you": True,
        "seed": None,
        "candidates": [],
        "invited": [],
        "invited_names": [],
        "size": None,
        "drawn_at": None,
    }
    rival_page = login(world.provider_b).get(page).content.decode()
    assert draw.seed not in rival_page
    assert 'id="bid-link"' not in rival_page
    for org in extras:
        assert org.name_zh not in rival_page
    assert login(world.provider_b).get(api).status_code == 404
    assert login(world.outsider).get(api).status_code == 404
    assert Client().get(reverse("tenders:tender", args=[published.pk])).content.decode().count(draw.seed) == 0


# --- Bid submission rate limit (R15) -------------------------------------------------------------


def test_bids_under_the_limit_always_pass_and_past_it_get_429(world, login, providers, published):
    limit = rules.BID_SUBMISSIONS
    for _ in range(limit.count):
        bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price=CANARY)
    with pytest.raises(RateLimited):
        bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price=CANARY)
    assert Bid.objects.filter(provider=world.provider_a_org).count() == limit.count
    assert Bid.objects.filter(provider=world.provider_a_org, status="sealed").count() == 1
    api = login(world.provider_a).post(
        reverse("api:procurement-tender-bids", args=[published.pk]),
        {"price": CANARY, "currency": "CNY"},
        content_type="application/json",
    )
    assert api.status_code == 429
    assert api.json()["code"] == "rate_limited"
    page = login(world.provider_a).post(
        reverse("procurement:bid_submit", args=[published.pk]), {"price": CANARY, "currency": "CNY"}
    )
    assert page.status_code == 429
    # Another provider is not held back by A's submissions.
    bids.submit_bid(actor=world.provider_b, tender=published, provider=world.provider_b_org, price=CANARY)
    # The window slides: submissions older than an hour no longer count.
    Bid.objects.filter(provider=world.provider_a_org).update(
        submitted_at=bids.db_now() - limit.window - dt.timedelta(seconds=1)
    )
    bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price=CANARY)

"""The demo data (`manage.py seed_demo`) holds tenders in every state, built through the services:
an award with its challenge window, a challenge awaiting its answer and a complaint; loading it
again adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from govbuy.audit.models import AuditEvent
from govbuy.audit.verify import verify_chain
from govbuy.core.calendar.rules import get_calendar
from govbuy.procurement import demo_refusal, rules
from govbuy.procurement.models import (
    Award,
    AwardStatus,
    Bid,
    Challenge,
    ChallengeStatus,
    Complaint,
    ComplaintStatus,
    Expert,
    Panel,
    Tender,
    TenderStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def counts() -> tuple[int, ...]:
    return (
        Tender.objects.count(),
        Bid.objects.count(),
        Award.objects.count(),
        Challenge.objects.count(),
        Complaint.objects.count(),
        Expert.objects.count(),
        Panel.objects.count(),
        AuditEvent.objects.count(),
    )


def test_every_tender_state_is_in_the_demo(seeded):
    states = set(Tender.objects.values_list("status", flat=True))
    assert states == set(TenderStatus.values)
    # The contracts demo awards one more tender (unchallenged) to draw a contract from it.
    awarded = Tender.objects.get(status=TenderStatus.AWARDED, project__title="东城区社区养老驿站运营服务")
    award = Award.objects.get(tender=awarded)
    assert award.status == AwardStatus.ACTIVE
    # Four eyes above the threshold: proposed and confirmed by two users.
    assert award.confirmed_by_id is not None
    assert award.confirmed_by_id != award.proposed_by_id
    assert timezone.now() <= rules.challenge_deadline(award.confirmed_at, get_calendar()), "window still open"
    assert Challenge.objects.filter(tender=awarded, status=ChallengeStatus.LODGED).count() == 1
    assert Complaint.objects.filter(challenge__tender=awarded, status=ComplaintStatus.LODGED).count() == 1
    failed = Tender.objects.get(status=TenderStatus.FAILED)
    assert failed.failure_reason
    published = Tender.objects.get(status=TenderStatus.PUBLISHED)
    assert published.bid_deadline > timezone.now(), "open for bids"
    assert Bid.objects.filter(tender=published, status="sealed", price__isnull=True).count() == 1
    # The opened tender's panel waits for its experts, who have accounts.
    opened = Tender.objects.get(status=TenderStatus.OPENED)
    assert Panel.objects.get(tender=opened).members.filter(declaration="pending").count() == 3
    assert not Expert.objects.filter(user__isnull=True).exists()
    # The events were made by the demo users through the services.
    # Four here, one for the contracts demo's award, one for the tender whose winner refused to sign.
    assert AuditEvent.objects.filter(action="procurement.opening.confirmed").count() == 4 + 1 + 1
    approver = get_user_model().objects.get(username="dongcheng.health.approver")
    assert AuditEvent.objects.filter(action="procurement.award.confirmed", actor_id=approver.pk).exists()


def test_loading_the_demo_twice_adds_nothing(seeded):
    before = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == before
    assert verify_chain().ok


def test_a_winner_refused_to_sign_and_the_lot_passed_to_the_next_ranked_bid(seeded):
    """Reg. Art. 49, on its days: the refusal within the 30 days to sign (Law Art. 46), confirmed
    by a second user, the new award within 5 working days of the confirmation."""
    calendar = get_calendar()
    tender = Tender.objects.get(project__title=demo_refusal.PROJECT[0])
    assert tender.status == TenderStatus.AWARDED
    refused, following = Award.objects.filter(tender=tender).order_by("pk")
    assert refused.status == AwardStatus.REFUSED
    assert refused.provider.name_zh == "北京清源物业管理有限公司"
    assert refused.refusal_confirmed_by_id != refused.refusal_recorded_by_id
    assert refused.refusal_evidence_sha256
    assert refused.refusal_recorded_at - refused.confirmed_at < dt.timedelta(days=30)
    assert following.status == AwardStatus.ACTIVE
    assert following.replaces_id == refused.pk
    assert following.provider_id != refused.provider_id
    assert following.proposed_at <= calendar.deadline_at(refused.refusal_confirmed_at, rules.AWARD_LIMIT)
    assert following.proposed_at <= timezone.now()
    assert AuditEvent.objects.filter(action="procurement.award.refusal_confirmed", object_id=str(tender.pk)).exists()

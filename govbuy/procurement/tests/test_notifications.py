"""Event mails through Django's mail backend: the award notice to every bidder and the purchaser,
a challenge to the purchaser, its answer to the challenger, a complaint to the finance bureau
and its decision to the complainant and the purchaser; sent only once the step commits, one
message per recipient, in the site's language. Also the audit sentence of a decided complaint,
which reads its outcome as a translated word."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.utils import translation

from govbuy.audit.describe import describe
from govbuy.audit.models import AuditEvent
from govbuy.procurement.models import Ranking
from govbuy.procurement.services import awards, challenges
from tests.builders.procurement import clear_credit, evaluated_tender

pytestmark = pytest.mark.django_db

EMAILS = {
    "purchaser_a": "buyer@example.cn",
    "purchaser_a_approver": "approver@example.cn",
    "provider_a": "a@example.org",
    "provider_b": "b@example.org",
    "district_finance_a": "finance-a@example.cn",
    "city_finance": "city@example.cn",
    "purchaser_b": "other-buyer@example.cn",
    "district_finance_b": "finance-b@example.cn",
}


@pytest.fixture
def emails(world):
    for name, address in EMAILS.items():
        get_user_model().objects.filter(pk=getattr(world, name).pk).update(email=address)


@pytest.fixture
def evaluated(world, published, providers, emails):
    evaluated_tender(world, published)
    top = clear_credit(world, published)
    return published, top


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def award(world, evaluated, capture):
    tender, top = evaluated
    mail.outbox.clear()
    with capture(execute=True):
        awards.propose_award(actor=world.purchaser_a, tender=tender, bid=top)
    tender.refresh_from_db()
    return tender


def loser_user(world, tender):
    other = Ranking.objects.get(evaluation__tender=tender, rank=2).bid.provider
    return (world.provider_a if other == world.provider_a_org else world.provider_b), other


def test_the_award_notice_reaches_every_bidder_and_the_purchaser(world, evaluated, django_capture_on_commit_callbacks):
    tender = award(world, evaluated, django_capture_on_commit_callbacks)
    # One message each; bidders never see each other's addresses; no one outside the tender.
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    assert recipients() == sorted(["a@example.org", "b@example.org", "buyer@example.cn", "approver@example.cn"])
    message = mail.outbox[0]
    assert tender.reference in message.subject
    assert f"/procurement/tenders/{tender.pk}/challenges/" in message.body


def test_each_challenge_step_mails_the_next_party(world, evaluated, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    tender = award(world, evaluated, capture)
    user, provider = loser_user(world, tender)
    own = "a@example.org" if user == world.provider_a else "b@example.org"

    mail.outbox.clear()
    with capture(execute=True):
        challenge = challenges.lodge_challenge(actor=user, tender=tender, provider=provider, grounds="评分有误")
    assert recipients() == ["approver@example.cn", "buyer@example.cn"]
    assert provider.name_zh in mail.outbox[0].body

    mail.outbox.clear()
    with capture(execute=True):
        challenges.answer_challenge(actor=world.purchaser_a, tender=tender, challenge=challenge, answer="复核无误")
    assert recipients() == [own]

    mail.outbox.clear()
    with capture(execute=True):
        complaint = challenges.lodge_complaint(actor=user, tender=tender, challenge=challenge, grounds="答复不当")
    # The district's bureau and the city's, never another district's.
    assert recipients() == ["city@example.cn", "finance-a@example.cn"]

    mail.outbox.clear()
    with capture(execute=True):
        challenges.decide_complaint(
            actor=world.district_finance_a, tender=tender, complaint=complaint, upheld=False, decision="投诉不成立"
        )
    assert recipients() == sorted(["approver@example.cn", "buyer@example.cn", own])
    # Written in the site's language (zh-hans) although this test runs in English.
    assert translation.get_language() == "en"
    assert "驳回" in mail.outbox[0].body


def fail_after(step) -> None:
    """The service succeeds, then the request fails before its transaction commits."""
    with transaction.atomic():
        step()
        raise RuntimeError("the request failed after the service")


def test_no_mail_when_the_step_rolls_back(world, evaluated, django_capture_on_commit_callbacks):
    tender, top = evaluated
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        fail_after(lambda: awards.propose_award(actor=world.purchaser_a, tender=tender, bid=top))
    assert callbacks == []
    assert mail.outbox == []
    tender = award(world, evaluated, django_capture_on_commit_callbacks)
    user, provider = loser_user(world, tender)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        fail_after(lambda: challenges.lodge_challenge(actor=user, tender=tender, provider=provider, grounds="评分有误"))
    assert callbacks == []
    assert mail.outbox == []


def test_a_refused_step_mails_no_one(world, evaluated, django_capture_on_commit_callbacks):
    tender = award(world, evaluated, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="Only a provider"):
        challenges.lodge_challenge(actor=world.purchaser_a, tender=tender, provider=world.provider_a_org, grounds="x")
    assert mail.outbox == []


def test_the_decided_complaint_reads_its_outcome_in_chinese(world, evaluated, django_capture_on_commit_callbacks):
    tender = award(world, evaluated, django_capture_on_commit_callbacks)
    user, provider = loser_user(world, tender)
    challenge = challenges.lodge_challenge(actor=user, tender=tender, provider=provider, grounds="评分有误")
    challenges.answer_challenge(actor=world.purchaser_a, tender=tender, challenge=challenge, answer="复核无误")
    complaint = challenges.lodge_complaint(actor=user, tender=tender, challenge=challenge, grounds="答复不当")
    challenges.decide_complaint(
        actor=world.district_finance_a, tender=tender, complaint=complaint, upheld=True, decision="重新评审"
    )
    event = AuditEvent.objects.get(action="procurement.complaint.decided")
    assert event.data["outcome"] == "upheld"  # the event keeps the code; the sentence translates it
    with translation.override("zh-hans"):
        sentence = describe(event)
    assert sentence.endswith("：成立"), sentence
    assert "upheld" not in sentence
    with translation.override("en"):
        assert describe(event).endswith(": upheld")

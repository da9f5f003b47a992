"""`manage.py run_deadlines`: reminders of the award, answer and decision limits, mailed once
through Django's mail backend; running it again sends nothing; the rules never wait for it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from govbuy.audit.models import AuditEvent
from govbuy.core.errors import TransitionRefused
from govbuy.procurement.models import Challenge, DeadlineReminder, Evaluation, Ranking
from govbuy.procurement.services import awards, challenges
from tests.builders.procurement import awarded_tender, clear_credit, evaluated_tender

pytestmark = pytest.mark.django_db
LONG_AGO = dt.datetime(2026, 1, 5, 2, tzinfo=dt.UTC)


def run() -> str:
    out = io.StringIO()
    call_command("run_deadlines", stdout=out)
    return out.getvalue()


def test_reminders_are_mailed_once_and_the_limits_hold_without_the_job(
    world, published, providers, django_capture_on_commit_callbacks
):
    evaluated_tender(world, published)
    type(world.purchaser_a).objects.filter(pk=world.purchaser_a.pk).update(email="buyer@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "0 reminder(s) sent\n"
    Evaluation.objects.filter(tender=published).update(reported_at=LONG_AGO)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "1 reminder(s) sent\n"
    assert len(mail.outbox) == 1
    assert "buyer@example.cn" in mail.outbox[0].to
    assert published.reference in mail.outbox[0].subject
    assert DeadlineReminder.objects.get().kind == "award_due"
    assert AuditEvent.objects.filter(action="procurement.deadline.reminded").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "0 reminder(s) sent\n"
    assert len(mail.outbox) == 1
    # The limit is enforced by the service whether or not the job ran.
    top = clear_credit(world, published)
    with pytest.raises(TransitionRefused):
        awards.propose_award(actor=world.purchaser_a, tender=published, bid=top)


def test_challenge_and_complaint_reminders(world, published, providers, django_capture_on_commit_callbacks):
    awarded_tender(world, published)
    second = Ranking.objects.get(rank=2).bid
    user = world.provider_a if second.provider_id == world.provider_a_org.pk else world.provider_b
    challenge = challenges.lodge_challenge(actor=user, tender=published, provider=second.provider_id, grounds="x")
    # Unanswered for 20 days: the challenger complains; then both limits lie in the past.
    Challenge.objects.filter(pk=challenge.pk).update(lodged_at=challenge.lodged_at - dt.timedelta(days=20))
    complaint = challenges.lodge_complaint(actor=user, tender=published, challenge=challenge, grounds="y")
    Challenge.objects.filter(pk=challenge.pk).update(lodged_at=LONG_AGO)
    type(complaint).objects.filter(pk=complaint.pk).update(lodged_at=LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "2 reminder(s) sent\n"
    assert set(DeadlineReminder.objects.values_list("kind", flat=True)) == {"answer_due", "decision_due"}
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "0 reminder(s) sent\n"

"""Public consultation on a draft annual plan or catalog version: comments during the period only,
moderated by the owner, and a summary once the period is over and every comment is moderated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from govbuy.audit.describe import describe, registered_codes
from govbuy.audit.models import AuditEvent
from govbuy.core.errors import NotFound, RateLimited, TransitionRefused
from govbuy.performance.models import PublicConsultation
from govbuy.performance.services import consultations

pytestmark = pytest.mark.django_db


def open_plan(world, *, hours=48):
    now = timezone.now()
    return consultations.open_consultation(
        actor=world.purchaser_a,
        subject="annual_plan",
        fiscal_year=2027,
        title="东城区民政局2027年度购买服务计划（征求意见稿）",
        description="拟购买居家养老上门服务、社区助餐服务等事项。",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=hours),
    )


def test_comment_moderate_and_summarise(world):
    consultation = open_plan(world)
    comment = consultations.submit_comment(
        consultation=consultation, message="建议增加助浴服务。", client_address="1.2.3.4"
    )
    with pytest.raises(TransitionRefused):  # the period has not ended
        consultations.publish_summary(
            actor=world.purchaser_a, consultation=consultation, version=consultation.version, received="x", changed=""
        )
    PublicConsultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    consultation.refresh_from_db()
    with pytest.raises(TransitionRefused):  # a comment awaits moderation
        consultations.publish_summary(
            actor=world.purchaser_a, consultation=consultation, version=consultation.version, received="x", changed=""
        )
    consultations.moderate_comment(actor=world.purchaser_a, comment=comment, version=comment.version, publish=True)
    done = consultations.publish_summary(
        actor=world.purchaser_a,
        consultation=consultation,
        version=consultation.version,
        received="共收到意见1条，建议增加助浴服务。",
        changed="已将助浴服务纳入居家养老上门服务内容。",
    )
    assert done.status == "summarised"
    events = AuditEvent.objects.filter(action__startswith="performance.consultation.")
    assert {e.action for e in events} <= registered_codes()
    assert all("performance." not in describe(e) for e in events)


def test_no_comment_after_the_period(world):
    consultation = open_plan(world)
    PublicConsultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(TransitionRefused):
        consultations.submit_comment(consultation=consultation, message="晚了", client_address="1.2.3.4")


def test_comments_are_rate_limited_per_sender(world):
    consultation = open_plan(world)
    for _i in range(5):
        consultations.submit_comment(consultation=consultation, message="意见", client_address="1.2.3.5")
    with pytest.raises(RateLimited):
        consultations.submit_comment(consultation=consultation, message="意见", client_address="1.2.3.5")


@pytest.mark.parametrize("persona", ["purchaser_b", "provider_a", "outsider"])
def test_only_the_owner_moderates(world, persona):
    consultation = open_plan(world)
    comment = consultations.submit_comment(consultation=consultation, message="意见", client_address="1.2.3.4")
    with pytest.raises(NotFound):
        consultations.moderate_comment(actor=getattr(world, persona), comment=comment, version=1, publish=True)


def test_a_provider_cannot_open_a_consultation(world):
    with pytest.raises(NotFound):
        consultations.open_consultation(
            actor=world.provider_a,
            subject="annual_plan",
            fiscal_year=2027,
            title="t",
            description="d",
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=1),
        )

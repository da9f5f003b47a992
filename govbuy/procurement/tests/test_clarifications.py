"""Clarifications (Reg. Art. 31): providers ask, the purchaser answers and every answer is
published; the asker stays hidden from everyone but the purchaser and oversight; the 15-day rule
moves the deadline or refuses; after the deadline nothing is asked; outsiders get 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from govbuy.audit.describe import describe
from govbuy.audit.models import AuditEvent
from govbuy.core.errors import PermissionRefused, RateLimited, TransitionRefused, ValidationFailed
from govbuy.procurement import rules
from govbuy.procurement.models import Clarification, Tender
from govbuy.procurement.services import clarifications
from govbuy.procurement.services.bids import db_now
from tests.builders.procurement import move_deadline

pytestmark = pytest.mark.django_db

QUESTION = "第三章评分标准中“服务方案”的细项如何计分？"
ANSWER = "细项见招标文件附件二，按每项满分计。"


def _ask(world, tender, key="a", text=QUESTION):
    return clarifications.ask_question(
        actor=world.users[f"provider_{key}"], tender=tender, provider=world.orgs[f"provider_{key}_org"], question=text
    )


def _secrets_of(world):
    """What would give provider A away: its names, its code, its user."""
    org = world.provider_a_org
    return [org.name_zh, org.uscc, world.provider_a.display_name + "<", org.name_en]


def _releases(tender):
    release = apps.get_model("disclosure", "Release")
    return list(release.objects.filter(object_type="procurement.tender", object_id=tender.pk).order_by("seq"))


def test_a_question_is_answered_and_published_without_the_asker(world, login, published, providers, announced):
    question = _ask(world, published)
    assert question.asked_at is not None
    assert question.answered_at is None
    # Before the answer: only the purchaser (with the asker) and the asker itself see it.
    purchaser_page = login(world.purchaser_a).get(reverse("procurement:tender", args=[published.pk]))
    assert QUESTION in purchaser_page.content.decode()
    assert world.provider_a_org.name_zh in purchaser_page.content.decode()
    rival_page = login(world.provider_b).get(reverse("procurement:tender", args=[published.pk])).content.decode()
    assert QUESTION not in rival_page
    own_page = login(world.provider_a).get(reverse("procurement:tender", args=[published.pk])).content.decode()
    assert QUESTION in own_page
    assert QUESTION not in Client().get(reverse("tenders:tender", args=[published.pk])).content.decode()

    answered = clarifications.answer_question(actor=world.purchaser_a, clarification=question, answer=ANSWER)
    assert answered.answered_by == world.purchaser_a
    assert announced[-1].stage == "tenderUpdate"
    assert announced[-1].obj_id == published.pk

    views = {
        "rival page": login(world.provider_b).get(reverse("procurement:tender", args=[published.pk])),
        "rival api": login(world.provider_b).get(reverse("api:procurement-clarifications", args=[published.pk])),
        "public page": Client().get(reverse("tenders:tender", args=[published.pk])),
        "public api": Client().get(reverse("api:public-tender-clarifications", args=[published.pk])),
    }
    for name, response in views.items():
        body = response.content.decode()
        assert response.status_code == 200, name
        assert QUESTION in body, name
        assert ANSWER in body, name
        for secret in _secrets_of(world):
            assert secret not in body, (name, secret)
    assert (
        login(world.provider_b).get(reverse("api:procurement-clarifications", args=[published.pk])).json()[0]["asker"]
        is None
    )
    release = _releases(published)[-1]
    assert "tenderUpdate" in release.tags
    assert ANSWER in release.document
    for secret in _secrets_of(world):
        assert secret not in release.document, secret
    # The purchaser's API shows who asked; the asker's own shows `own`.
    staff = login(world.purchaser_a).get(reverse("api:procurement-clarifications", args=[published.pk])).json()
    assert staff[0]["asker"] == {"provider": world.provider_a_org.name_zh, "user": world.provider_a.display_name}
    own = login(world.provider_a).get(reverse("api:procurement-clarifications", args=[published.pk])).json()
    assert own[0]["own"] is True
    assert own[0]["asker"] is None


def test_the_audit_trail_says_who_asked_and_who_answered(world, published, providers):
    question = _ask(world, published)
    clarifications.answer_question(actor=world.purchaser_a, clarification=question, answer=ANSWER)
    asked = AuditEvent.objects.get(action="procurement.clarification.asked")
    assert asked.organisation_id == world.provider_a_org.pk
    assert world.provider_a_org.name_zh in describe(asked)
    answered = AuditEvent.objects.get(action="procurement.clarification.answered")
    assert published.reference in describe(answered)


def test_an_answer_affecting_bids_within_15_days_needs_a_new_deadline(world, published, providers, announced):
    question = _ask(world, published)
    move_deadline(published, db_now() + dt.timedelta(days=10))
    before = published.bid_deadline
    announcements = len(announced)
    with pytest.raises(ValidationFailed, match="15 days") as exc:
        clarifications.answer_question(
            actor=world.purchaser_a, clarification=question, answer=ANSWER, affects_bids=True
        )
    assert "new_deadline" in exc.value.fields
    with pytest.raises(ValidationFailed, match="15 days"):
        clarifications.answer_question(
            actor=world.purchaser_a,
            clarification=question,
            answer=ANSWER,
            affects_bids=True,
            new_deadline=db_now() + dt.timedelta(days=14, hours=23),
        )
    # Nothing changed: the question is open, the deadline stands, no event, no release.
    question.refresh_from_db()
    assert question.answered_at is None
    assert question.answer == ""
    assert Tender.objects.get(pk=published.pk).bid_deadline == before
    assert not AuditEvent.objects.filter(action__startswith="procurement.clarification.answered").exists()
    assert len(announced) == announcements

    new_deadline = (db_now() + dt.timedelta(days=16)).replace(microsecond=0)
    answered = clarifications.answer_question(
        actor=world.purchaser_a, clarification=question, answer=ANSWER, affects_bids=True, new_deadline=new_deadline
    )
    tender = Tender.objects.get(pk=published.pk)
    assert tender.bid_deadline == new_deadline
    assert tender.version == published.version + 1
    assert answered.deadline_before == before
    assert answered.deadline_after == new_deadline
    assert answered.deadline_after - answered.answered_at >= rules.CLARIFICATION_NOTICE
    moved = AuditEvent.objects.get(action="procurement.tender.deadline_extended")
    assert moved.data["after"] == new_deadline.isoformat()
    assert announced[-1].stage == "tenderUpdate"


def test_an_answer_not_affecting_bids_or_early_enough_keeps_the_deadline(world, published, providers):
    first, second = _ask(world, published), _ask(world, published, "b", "第二个问题")
    clarifications.answer_question(actor=world.purchaser_a, clarification=first, answer=ANSWER, affects_bids=True)
    assert Tender.objects.get(pk=published.pk).bid_deadline == published.bid_deadline  # 40 days away
    move_deadline(published, db_now() + dt.timedelta(days=3))
    row = clarifications.answer_question(actor=world.purchaser_a, clarification=second, answer="不影响投标。")
    assert row.deadline_after is None
    assert Tender.objects.get(pk=published.pk).bid_deadline == published.bid_deadline


def test_a_notice_of_the_purchaser_follows_the_same_rule(world, published, providers, announced):
    move_deadline(published, db_now() + dt.timedelta(days=5))
    with pytest.raises(ValidationFailed, match="15 days"):
        clarifications.publish_notice(
            actor=world.purchaser_a, tender=published, text="修改服务期限。", affects_bids=True
        )
    assert not Clarification.objects.exists()
    later = db_now() + dt.timedelta(days=20)
    notice = clarifications.publish_notice(
        actor=world.purchaser_a, tender=published, text="修改服务期限。", affects_bids=True, new_deadline=later
    )
    assert notice.is_notice
    assert notice.provider_id is None
    assert notice.answered_at is not None
    assert Tender.objects.get(pk=published.pk).bid_deadline == later
    assert AuditEvent.objects.filter(action="procurement.clarification.notice_published").count() == 1
    with pytest.raises(ValidationFailed, match="later than the current"):
        clarifications.publish_notice(
            actor=world.purchaser_a, tender=published, text="再次修改。", new_deadline=later - dt.timedelta(days=1)
        )
    with pytest.raises(PermissionRefused):
        clarifications.publish_notice(actor=world.auditor, tender=published, text="监督机构不发布澄清。")


def test_no_question_after_the_deadline_nor_on_a_closed_tender(world, published, providers):
    move_deadline(published, db_now() - dt.timedelta(seconds=1))
    with pytest.raises(TransitionRefused, match="deadline has passed"):
        _ask(world, published)
    move_deadline(published, db_now() + dt.timedelta(days=30))
    question = _ask(world, published)
    move_deadline(published, db_now() - dt.timedelta(seconds=1))
    with pytest.raises(TransitionRefused, match="deadline has passed"):
        clarifications.answer_question(actor=world.purchaser_a, clarification=question, answer=ANSWER)
    Tender.objects.filter(pk=published.pk).update(status="cancelled", bid_deadline=db_now() + dt.timedelta(days=30))
    with pytest.raises(TransitionRefused, match="open for bids"):
        _ask(world, published)
    assert Clarification.objects.count() == 1


def test_only_a_providers_own_staff_ask_and_only_the_purchaser_answers(world, published, providers):
    with pytest.raises(PermissionRefused):
        clarifications.ask_question(
            actor=world.provider_b, tender=published, provider=world.provider_a_org, question=QUESTION
        )
    question = _ask(world, published)
    with pytest.raises(PermissionRefused):
        clarifications.answer_question(actor=world.auditor, clarification=question, answer=ANSWER)
    with pytest.raises(Exception) as exc:
        clarifications.answer_question(actor=world.provider_a, clarification=question, answer=ANSWER)
    assert getattr(exc.value, "status", None) == 404
    clarifications.answer_question(actor=world.purchaser_a, clarification=question, answer=ANSWER)
    with pytest.raises(Exception) as twice:
        clarifications.answer_question(actor=world.purchaser_a, clarification=question, answer="又一次")
    assert getattr(twice.value, "status", None) == 409


def test_questions_are_rate_limited_per_provider_and_tender(world, login, published, providers):
    for i in range(rules.QUESTIONS.count):
        _ask(world, published, text=f"问题{i}")
    with pytest.raises(RateLimited):
        _ask(world, published, text="再问一个")
    _ask(world, published, "b", "另一家的问题")  # another provider is not limited by A's questions
    response = login(world.provider_a).post(
        reverse("api:procurement-clarifications", args=[published.pk]),
        {"question": "还有"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    page = login(world.provider_a).post(
        reverse("procurement:clarification_ask", args=[published.pk]), {"question": "x"}
    )
    assert page.status_code == 429
    # The window slides: questions older than a day no longer count.
    Clarification.objects.filter(provider=world.provider_a_org).update(
        asked_at=db_now() - rules.QUESTIONS.window - dt.timedelta(seconds=1)
    )
    _ask(world, published, text="一天之后")


def test_outsiders_get_404_and_nothing_changes(world, login, published, providers):
    question = _ask(world, published)
    for user in (world.outsider, world.purchaser_b):
        client = login(user)
        assert (
            client.post(reverse("procurement:clarification_ask", args=[published.pk]), {"question": "x"}).status_code
            == 404
        )
        assert (
            client.post(
                reverse("procurement:clarification_answer", args=[published.pk, question.pk]), {"answer": "x"}
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("procurement:clarification_notice", args=[published.pk]), {"text": "x"}).status_code
            == 404
        )
        assert client.get(reverse("api:procurement-clarifications", args=[published.pk])).status_code == 404
        api_answer = reverse("api:procurement-clarification-answer", args=[published.pk, question.pk])
        assert client.post(api_answer, {"answer": "x"}, content_type="application/json").status_code == 404
        api_notice = reverse("api:procurement-clarification-notice", args=[published.pk])
        assert client.post(api_notice, {"text": "x"}, content_type="application/json").status_code == 404
    # A rival provider cannot answer A's question either: the question is not its to see.
    rival = login(world.provider_b)
    answer_url = reverse("procurement:clarification_answer", args=[published.pk, question.pk])
    assert rival.post(answer_url, {"answer": "x"}).status_code == 404
    assert Clarification.objects.count() == 1
    assert Clarification.objects.get().answered_at is None


def test_pages_and_api_take_the_purchasers_steps(world, login, published, providers):
    provider = login(world.provider_a)
    response = provider.post(reverse("procurement:clarification_ask", args=[published.pk]), {"question": QUESTION})
    assert response.status_code == 302
    question = Clarification.objects.get()
    move_deadline(published, db_now() + dt.timedelta(days=7))
    client = login(world.purchaser_a)
    answer_url = reverse("procurement:clarification_answer", args=[published.pk, question.pk])
    refused = client.post(answer_url, {"answer": ANSWER, "affects_bids": "on"}, follow=True)
    assert any("15" in str(m) for m in refused.context["messages"])
    assert Clarification.objects.get().answered_at is None
    later = (db_now() + dt.timedelta(days=20)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    done = client.post(
        answer_url, {"answer": ANSWER, "affects_bids": "on", "new_deadline": later.strftime("%Y-%m-%dT%H:%M")}
    )
    assert done.status_code == 302
    assert Clarification.objects.get().deadline_after is not None
    api = client.post(
        reverse("api:procurement-clarification-notice", args=[published.pk]),
        {"text": "补充说明：服务地点不变。"},
        content_type="application/json",
    )
    assert api.status_code == 201
    assert [row["is_notice"] for row in api.json()] == [False, True]
    bad = client.post(
        reverse("api:procurement-clarification-notice", args=[published.pk]),
        {"text": "x", "affects_bids": True},
        content_type="application/json",
    )
    assert bad.status_code == 201  # the deadline (20 days away) leaves the 15 days
    public = Client().get(reverse("tenders:tender", args=[published.pk])).content.decode()
    assert "补充说明" in public
    assert ANSWER in public


@pytest.mark.parametrize(
    ("url_name", "who"),
    [
        ("api:procurement-clarifications", "purchaser_a"),
        ("api:procurement-clarifications", "provider_b"),
        ("api:public-tender-clarifications", None),
        ("procurement:tender", "purchaser_a"),
        ("procurement:tender", "provider_b"),
        ("tenders:tender", None),
    ],
)
def test_clarification_lists_use_a_fixed_number_of_queries(
    world, login, published, providers, django_assert_num_queries, url_name, who
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def more(n):
        for i in range(n):
            key = "a" if i % 2 else "b"
            row = _ask(world, published, key, f"问题{Clarification.objects.count()}")
            clarifications.answer_question(actor=world.purchaser_a, clarification=row, answer=f"答复{i}")
        clarifications.publish_notice(actor=world.purchaser_a, tender=published, text="说明")

    client = Client() if who is None else login(world.users[who])
    url = reverse(url_name, args=[published.pk])
    more(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    more(6)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200

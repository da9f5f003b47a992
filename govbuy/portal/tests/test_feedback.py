"""Public feedback on a project page: the form (honeypot, rate limit, bad input), the purchaser's
moderation (publish, reject with a reason, reply) scoped to its own projects, the home section,
the audit trail, the API twins and query counts that do not grow with rows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from govbuy.accounts.testing import force_login_verified
from govbuy.audit.describe import describe
from govbuy.audit.models import AuditEvent
from govbuy.core.errors import Conflict, TransitionRefused, ValidationFailed
from govbuy.portal import services as feedback_services
from govbuy.portal.models import Feedback

pytestmark = pytest.mark.django_db

CONTACT = "13800138000"


def send(client, project, *, ip="198.51.100.7", language="zh-hans", **data):
    payload = {"name": "王女士", "contact": CONTACT, "message": "希望增加周末上门服务。", **data}
    return client.post(f"/projects/{project.pk}/feedback/", payload, REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE=language)


def staff(user):
    return force_login_verified(Client(), user)


# --- Submission ------------------------------------------------------------------------------------


def test_a_comment_is_stored_pending_and_not_shown_until_published(client, planned):
    response = send(client, planned)
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{planned.pk}/?feedback=received#feedback"
    feedback = Feedback.objects.get()
    assert (feedback.status, feedback.name, feedback.contact) == ("pending", "王女士", CONTACT)
    assert feedback.purchaser_id == planned.purchaser_id
    assert "198.51.100.7" not in feedback.client_key
    page = client.get(response["Location"]).content.decode()
    assert 'id="feedback-received"' in page
    assert "希望增加周末上门服务。" not in page
    event = AuditEvent.objects.get(action="portal.feedback.submitted")
    assert CONTACT not in str(event.data)
    assert planned.reference in describe(event)


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client, planned):
    response = send(client, planned, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{planned.pk}/?feedback=received#feedback"
    assert not Feedback.objects.exists()
    assert not AuditEvent.objects.filter(action="portal.feedback.submitted").exists()
    # The field is on the form, hidden from people and from screen readers.
    page = client.get(f"/projects/{planned.pk}/").content.decode()
    assert '<div hidden aria-hidden="true">' in page
    assert 'name="website"' in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message": ""}, "message"),
        ({"message": "   "}, "message"),
        ({"message": "长" * 2001}, "message"),
        ({"name": "名" * 101}, "name"),
        ({"contact": "1" * 201}, "contact"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(client, planned, data, field):
    response = client.post(
        f"/projects/{planned.pk}/feedback/",
        {"name": "", "contact": "", "message": "好", **data},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="feedback-errors"' in page
    assert 'role="alert"' in page
    assert f'href="#id_{field}"' in page
    assert not Feedback.objects.exists()


def test_exactly_2000_characters_are_accepted(client, planned):
    assert send(client, planned, message="长" * 2000).status_code == 302
    assert len(Feedback.objects.get().message) == 2000


def test_unknown_or_not_yet_public_projects_take_no_comment(client, approved):
    assert send(client, approved).status_code == 404  # approved, not yet in a published plan
    assert client.post("/projects/999999/feedback/", {"message": "x"}).status_code == 404
    assert client.get(f"/projects/{approved.pk}/feedback/").status_code == 405
    with pytest.raises(Exception) as error:
        feedback_services.submit_feedback(actor=None, project=approved.pk, message="x", client_address="1.2.3.4")
    assert getattr(error.value, "code", "") == "project_not_found"
    assert not Feedback.objects.exists()


def test_the_rate_limit_is_per_address_and_never_below_it(client, planned, settings):
    settings.GOVBUY_FEEDBACK_RATE_LIMIT = 3
    for _ in range(3):
        assert send(client, planned).status_code == 302
    refused = send(client, planned, language="en")
    assert refused.status_code == 429
    assert "You have sent 3 comments in the last 60 minutes" in refused.content.decode()
    assert Feedback.objects.count() == 3
    assert send(client, planned, ip="203.0.113.9").status_code == 302
    api = client.post(
        f"/api/v1/portal/projects/{planned.pk}/feedback/",
        {"message": "再来一条"},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.7",
    )
    assert api.status_code == 429
    assert api.json()["code"] == "feedback_rate_limited"
    assert Feedback.objects.count() == 4


# --- Moderation ------------------------------------------------------------------------------------


@pytest.fixture
def pending(client, planned):
    send(client, planned)
    return Feedback.objects.get()


def test_the_purchaser_publishes_with_a_reply_and_the_page_shows_both_but_never_the_contact(
    client, world, planned, pending
):
    purchaser = staff(world.purchaser_a)
    detail = purchaser.get(f"/feedback/{pending.pk}/").content.decode()
    assert CONTACT in detail  # the purchaser sees it
    response = purchaser.post(
        f"/feedback/{pending.pk}/reply/", {"version": pending.version, "reply": "已纳入明年计划。"}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert client.get(f"/projects/{planned.pk}/").content.decode().count("已纳入明年计划。") == 0
    purchaser.post(f"/feedback/{pending.pk}/publish/", {"version": pending.version})
    pending.refresh_from_db()
    assert pending.status == "published"
    assert pending.moderated_by == world.purchaser_a
    page = client.get(f"/projects/{planned.pk}/").content.decode()
    assert "希望增加周末上门服务。" in page
    assert "已纳入明年计划。" in page
    assert "王女士" in page
    assert CONTACT not in page
    api = client.get(f"/api/v1/portal/projects/{planned.pk}/feedback/").json()
    assert [row["reply"] for row in api["results"]] == ["已纳入明年计划。"]
    assert CONTACT not in str(api)
    actions = list(AuditEvent.objects.filter(action__startswith="portal.feedback.").values_list("action", flat=True))
    assert actions == ["portal.feedback.submitted", "portal.feedback.replied", "portal.feedback.published"]
    for event in AuditEvent.objects.filter(action__startswith="portal.feedback."):
        assert planned.reference in describe(event)


def test_rejecting_needs_a_reason_and_hides_the_comment(client, world, planned, pending):
    with pytest.raises(ValidationFailed):
        feedback_services.reject_feedback(
            actor=world.purchaser_a, feedback=pending, version=pending.version, reason=" "
        )
    pending.refresh_from_db()
    assert pending.status == "pending"
    staff(world.purchaser_a).post(f"/feedback/{pending.pk}/reject/", {"version": pending.version, "reason": "广告"})
    pending.refresh_from_db()
    assert (pending.status, pending.rejection_reason) == ("rejected", "广告")
    assert "希望增加周末上门服务。" not in client.get(f"/projects/{planned.pk}/").content.decode()
    with pytest.raises(TransitionRefused):
        feedback_services.publish_feedback(actor=world.purchaser_a, feedback=pending, version=pending.version)
    with pytest.raises(TransitionRefused):
        feedback_services.reply_to_feedback(
            actor=world.purchaser_a, feedback=pending, version=pending.version, reply="x"
        )


def test_a_stale_version_changes_nothing(world, pending):
    with pytest.raises(Conflict):
        feedback_services.publish_feedback(actor=world.purchaser_a, feedback=pending, version=pending.version + 1)
    pending.refresh_from_db()
    assert pending.status == "pending"
    feedback_services.publish_feedback(actor=world.purchaser_a, feedback=pending, version=pending.version)
    with pytest.raises(TransitionRefused):
        feedback_services.publish_feedback(actor=world.purchaser_a, feedback=pending, version=pending.version + 1)


@pytest.mark.parametrize("persona", ["purchaser_b", "district_finance_a", "provider_a", "outsider", "auditor"])
def test_nobody_but_the_purchaser_reaches_a_comment(world, pending, persona):
    other = staff(getattr(world, persona))
    assert other.get(f"/feedback/{pending.pk}/").status_code == 404
    queue = other.get("/feedback/")
    # Purchaser B moderates its own projects' comments (none here); nobody else has a queue.
    assert queue.status_code == (200 if persona == "purchaser_b" else 404)
    assert f"/feedback/{pending.pk}/" not in queue.content.decode()
    payloads = {
        "publish": {"version": pending.version},
        "reject": {"version": pending.version, "reason": "x"},
        "reply": {"version": pending.version, "reply": "x"},
    }
    for action, data in payloads.items():
        assert other.post(f"/feedback/{pending.pk}/{action}/", data).status_code == 404
        api = other.post(f"/api/v1/feedback/{pending.pk}/{action}/", data, content_type="application/json")
        assert api.status_code == 404
        assert api.json()["code"] == "not_found"
    assert other.get(f"/api/v1/feedback/{pending.pk}/").status_code == 404
    assert other.get("/api/v1/feedback/").json()["results"] == []
    pending.refresh_from_db()
    assert (pending.status, pending.version) == ("pending", 1)


def test_signed_out_moderation_pages_ask_to_sign_in(client, pending):
    assert client.get("/feedback/").status_code == 302
    assert client.post(f"/feedback/{pending.pk}/publish/", {"version": 1}).status_code == 302
    assert client.get("/api/v1/feedback/").status_code == 401


def test_the_purchaser_home_shows_comments_awaiting_moderation(world, pending):
    home = staff(world.purchaser_a).get("/workspace/").content.decode()
    assert 'id="home-feedback-moderation"' in home
    assert f'href="/feedback/{pending.pk}/"' in home
    assert 'href="/feedback/"' in home  # the navigation entry
    other = staff(world.purchaser_b).get("/workspace/").content.decode()
    assert 'id="home-feedback-moderation"' not in other
    feedback_services.publish_feedback(actor=world.purchaser_a, feedback=pending, version=pending.version)
    assert 'id="home-feedback-moderation"' not in staff(world.purchaser_a).get("/workspace/").content.decode()


# --- API ------------------------------------------------------------------------------------------


def test_the_api_takes_a_comment_and_refuses_bad_input_in_the_error_shape(client, planned):
    url = f"/api/v1/portal/projects/{planned.pk}/feedback/"
    ok = client.post(url, {"message": "好", "contact": CONTACT}, content_type="application/json")
    assert ok.status_code == 202
    assert ok.json()["status"] == "pending"
    for body, field in (
        ({"message": ""}, "message"),
        ({"message": "长" * 2001}, "message"),
        ({"status": "x"}, "status"),
    ):
        bad = client.post(url, body, content_type="application/json")
        assert bad.status_code == 400
        assert set(bad.json()) == {"code", "message", "fields"}
        assert field in bad.json()["fields"]
    missing = client.post(
        "/api/v1/portal/projects/999999/feedback/", {"message": "好"}, content_type="application/json"
    )
    assert missing.status_code == 404
    assert Feedback.objects.count() == 1


def test_the_api_moderation_publishes_rejects_and_replies(world, planned, pending):
    api = staff(world.purchaser_a)
    queue = api.get("/api/v1/feedback/").json()
    assert [row["id"] for row in queue["results"]] == [pending.pk]
    assert queue["results"][0]["contact"] == CONTACT
    replied = api.post(
        f"/api/v1/feedback/{pending.pk}/reply/", {"version": 1, "reply": "谢谢"}, content_type="application/json"
    )
    assert replied.status_code == 200
    assert replied.json()["version"] == 2
    stale = api.post(f"/api/v1/feedback/{pending.pk}/publish/", {"version": 1}, content_type="application/json")
    assert stale.status_code == 409
    published = api.post(f"/api/v1/feedback/{pending.pk}/publish/", {"version": 2}, content_type="application/json")
    assert published.json()["status"] == "published"
    empty = api.post(
        f"/api/v1/feedback/{pending.pk}/reject/", {"version": 3, "reason": ""}, content_type="application/json"
    )
    assert empty.status_code == 400
    assert "reason" in empty.json()["fields"]
    taken_down = api.post(
        f"/api/v1/feedback/{pending.pk}/reject/",
        {"version": 3, "reason": "涉及个人隐私"},
        content_type="application/json",
    )
    assert taken_down.json()["status"] == "rejected"
    assert api.get("/api/v1/feedback/?status=rejected").json()["results"][0]["rejection_reason"] == "涉及个人隐私"


# --- Query counts ---------------------------------------------------------------------------------


def _many(world, project, count, status):
    now = timezone.now()
    Feedback.objects.bulk_create(
        Feedback(
            project=project,
            purchaser=world.purchaser_a_org,
            message=f"意见{i}",
            status=status,
            submitted_at=now,
            moderated_at=None if status == "pending" else now,
            client_key="k",
        )
        for i in range(count)
    )


@pytest.mark.parametrize(
    ("url", "public", "status", "queries"),
    [
        # session, user, memberships, count, page
        ("/feedback/", False, "pending", 5),
        ("/api/v1/feedback/", False, "pending", 5),
        # count, page (the project is read once: 1 more)
        ("/api/v1/portal/projects/{pk}/feedback/", True, "published", 3),
    ],
)
def test_feedback_lists_query_counts_do_not_grow(
    client, world, planned, django_assert_num_queries, url, public, status, queries
):
    reader = client if public else staff(world.purchaser_a)
    url = url.format(pk=planned.pk)
    _many(world, planned, 1, status)
    with django_assert_num_queries(queries):
        assert reader.get(url).status_code == 200
    _many(world, planned, 40, status)
    with django_assert_num_queries(queries):
        assert reader.get(url).status_code == 200

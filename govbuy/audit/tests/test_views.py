from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govbuy.audit.models import AuditEvent, VerifyRun
from govbuy.audit.services import create_checkpoint, record_event
from govbuy.audit.tests.conftest import append, tampering
from govbuy.core.home import home_sections
from govbuy.core.navigation import navigation_for

pytestmark = pytest.mark.django_db

READERS = ["city_finance", "district_finance_a", "supervisor", "auditor", "platform_admin"]
NOT_READERS = ["purchaser_a", "purchaser_b", "provider_a", "provider_b", "outsider", "evaluator", "staffing"]


@pytest.fixture
def events(world):
    """One event in each district, one of district A's finance bureau itself, one of the city."""
    a = record_event(
        actor=world.purchaser_a,
        action="organizations.organisation.updated",
        obj=world.purchaser_a_org,
        organisation=world.purchaser_a_org,
        changes={"name_zh": ("东城区民政局", "东城区民政局（新）")},
    )
    b = record_event(
        actor=world.purchaser_b,
        action="organizations.organisation.updated",
        obj=world.purchaser_b_org,
        organisation=world.purchaser_b_org,
    )
    own = record_event(
        actor=world.district_finance_a,
        action="organizations.membership.added",
        obj=world.district_finance_a_org,
        organisation=world.district_finance_a_org,
        region_id=None,
    )
    city = record_event(
        actor=world.city_finance, action="core.calendar_year.created", organisation=world.city_finance_org
    )
    return {"a": a, "b": b, "own": own, "city": city}


def _positions(response) -> list[int]:
    return [row["event"].position for row in response.context["rows"]]


@pytest.mark.parametrize("persona", READERS)
def test_oversight_readers_open_the_audit_page(world, events, login, persona):
    response = login(getattr(world, persona)).get(reverse("audit:event_list"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


@pytest.mark.parametrize("persona", NOT_READERS)
def test_everyone_else_gets_404_on_every_audit_page(world, events, login, persona):
    client = login(getattr(world, persona))
    run = VerifyRun.objects.create(created_at=events["a"].occurred_at)
    for url in (
        reverse("audit:event_list"),
        reverse("audit:event_detail", kwargs={"position": events["a"].position}),
        reverse("audit:checkpoint_list"),
        reverse("audit:verify_run_detail", kwargs={"run_id": run.pk}),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("audit:verify_run_create")).status_code == 404
    assert VerifyRun.objects.count() == 1


def test_the_public_is_sent_to_sign_in(client, events):
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_city_level_oversight_sees_every_event(world, events, login):
    response = login(world.supervisor).get(reverse("audit:event_list"))
    assert _positions(response) == [4, 3, 2, 1]


def test_a_district_finance_bureau_sees_its_district_and_its_own_organisation(world, events, login):
    client = login(world.district_finance_a)
    response = client.get(reverse("audit:event_list"))
    assert _positions(response) == [events["own"].position, events["a"].position]
    detail = reverse("audit:event_detail", kwargs={"position": events["b"].position})
    assert client.get(detail).status_code == 404
    assert client.get(reverse("audit:event_detail", kwargs={"position": events["a"].position})).status_code == 200


def test_filters_narrow_the_list(world, events, login):
    client = login(world.auditor)
    url = reverse("audit:event_list")
    assert _positions(client.get(url, {"action": "organizations."})) == [3, 2, 1]
    assert _positions(client.get(url, {"action": "organizations.membership"})) == [3]
    assert _positions(client.get(url, {"object_type": "organizations.organisation"})) == [3, 2, 1]
    assert _positions(client.get(url, {"object_type": "organizations.region"})) == []
    assert _positions(
        client.get(url, {"object_type": "organizations.organisation", "object_id": str(world.purchaser_b_org.pk)})
    ) == [2]
    assert _positions(client.get(url, {"actor": "purchaser_a"})) == [1]
    assert _positions(client.get(url, {"actor": str(world.city_finance.pk)})) == [4]


def test_the_date_range_is_in_beijing_days(world, events, login):
    # 2026-03-01 23:30 Beijing is 15:30 UTC on the same day; 2026-03-02 00:30 Beijing is 16:30 UTC on 03-01.
    with tampering():
        AuditEvent.objects.filter(position=1).update(occurred_at=datetime(2026, 3, 1, 15, 30, tzinfo=UTC))
        AuditEvent.objects.filter(position=2).update(occurred_at=datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
    client = login(world.auditor)
    url = reverse("audit:event_list")
    assert _positions(client.get(url, {"date_from": "2026-03-01", "date_to": "2026-03-01"})) == [1]
    assert _positions(client.get(url, {"date_from": "2026-03-02", "date_to": "2026-03-02"})) == [2]
    response = client.get(url, {"date_from": "2026-03-03", "date_to": "2026-03-01"})
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors


def test_the_list_shows_sentences_and_paginates(world, login):
    append(55, actor=world.city_finance, organisation=world.city_finance_org)
    client = login(world.auditor)
    first = client.get(reverse("audit:event_list"))
    assert len(first.context["rows"]) == 50
    assert first.context["page"].paginator.count == 55
    second = client.get(reverse("audit:event_list"), {"page": 2})
    assert _positions(second) == [5, 4, 3, 2, 1]
    assert "tests.thing.changed" in first.content.decode()


def test_the_detail_page_shows_before_after_and_the_hashes(world, events, login):
    event = events["a"]
    response = login(world.auditor).get(reverse("audit:event_detail", kwargs={"position": event.position}))
    body = response.content.decode()
    assert "东城区民政局（新）" in body
    assert event.hash in body
    assert event.prev_hash in body
    assert response.context["changes"] == [
        {"field": "name_zh", "before": "东城区民政局", "after": "东城区民政局（新）"}
    ]
    assert response.context["hash_recomputes"] is True


def test_the_detail_page_says_when_an_event_no_longer_matches_its_hash(world, events, login):
    with tampering():
        AuditEvent.objects.filter(position=1).update(actor_label="mallory")
    response = login(world.auditor).get(reverse("audit:event_detail", kwargs={"position": 1}))
    assert response.context["hash_recomputes"] is False


def test_verify_now_runs_and_the_page_shows_the_result(world, events, login, django_capture_on_commit_callbacks):
    client = login(world.city_finance)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("audit:verify_run_create"))
    run = VerifyRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:verify_run_detail", kwargs={"run_id": run.pk})
    page = client.get(response["Location"])
    assert page.context["run"].status == VerifyRun.Status.INTACT
    assert page.context["refresh_seconds"] is None
    listing = client.get(reverse("audit:event_list"))
    assert listing.context["latest_run"].pk == run.pk


def test_a_running_verification_page_reloads_itself(world, login):
    run = VerifyRun.objects.create(created_at=datetime.now(UTC), status=VerifyRun.Status.RUNNING, total=10, checked=4)
    response = login(world.auditor).get(reverse("audit:verify_run_detail", kwargs={"run_id": run.pk}))
    assert response.context["refresh_seconds"] == 3
    assert 'http-equiv="refresh"' in response.content.decode()
    assert run.percent == 40


def test_the_checkpoint_page_lists_checkpoints_with_their_signature_state(world, events, login):
    checkpoint = create_checkpoint(actor=world.city_finance, reason="daily")
    response = login(world.district_finance_a).get(reverse("audit:checkpoint_list"))
    assert response.status_code == 200
    assert [row["checkpoint"].pk for row in response.context["rows"]] == [checkpoint.pk]
    assert response.context["rows"][0]["signature_valid"] is True


def _count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("audit:event_list")).status_code == 200
    return len(queries)


def test_the_list_page_query_count_does_not_grow_with_rows(world, login, django_assert_num_queries):
    create_checkpoint(actor=None, reason="daily")
    VerifyRun.objects.create(created_at=datetime.now(UTC) - timedelta(hours=1), status=VerifyRun.Status.INTACT)
    client = login(world.district_finance_a)
    append(2, actor=world.purchaser_a, organisation=world.purchaser_a_org)
    # session, user, memberships (scope), count, page of events, the actors' names, latest
    # checkpoint, latest run
    with django_assert_num_queries(8):
        client.get(reverse("audit:event_list"))
    append(18, actor=world.purchaser_a, organisation=world.purchaser_a_org)
    with django_assert_num_queries(8):
        response = client.get(reverse("audit:event_list"))
    assert len(response.context["rows"]) == 20


def test_the_navigation_and_home_show_the_audit_trail_to_readers_only(world, rf):
    create_checkpoint(actor=None, reason="daily")
    for persona, expected in (("auditor", True), ("district_finance_b", True), ("purchaser_a", False)):
        request = rf.get("/")
        request.user = getattr(world, persona)
        urls = [item["url"] for item in navigation_for(request)]
        assert (reverse("audit:event_list") in urls) is expected, persona
        sections = {section["id"]: section for section in home_sections(request)}
        assert ("audit" in sections) is expected, persona
        if expected:
            assert sections["audit"]["items"][-1]["url"] == reverse("audit:checkpoint_list")


@pytest.mark.django_db(transaction=True)
def test_an_event_written_during_a_request_carries_its_request_id_and_ip(world, login):
    client = login(world.auditor)
    response = client.post(
        reverse("audit:verify_run_create"), HTTP_X_REQUEST_ID="req-audit-0001", REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-audit-0001"
    event = AuditEvent.objects.get(action="audit.verify.completed")
    assert (event.request_id, event.ip, event.actor_id) == ("req-audit-0001", "203.0.113.9", world.auditor.pk)
    # Outside a request there is neither.
    later = record_event(actor=None, action="tests.thing.changed")
    assert (later.request_id, later.ip) == ("", "")

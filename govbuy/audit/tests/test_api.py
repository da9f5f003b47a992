from __future__ import annotations

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.urls import reverse

from govbuy.audit.models import VerifyRun
from govbuy.audit.services import create_checkpoint, record_event
from govbuy.audit.tests.conftest import append

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/audit/events/"
CHECKPOINTS = "/api/v1/audit/checkpoints/"
RUNS = "/api/v1/audit/verify-runs/"


@pytest.fixture
def events(world):
    a = record_event(
        actor=world.purchaser_a,
        action="organizations.organisation.updated",
        obj=world.purchaser_a_org,
        organisation=world.purchaser_a_org,
        changes={"name_en": ("old", "new")},
    )
    b = record_event(
        actor=world.purchaser_b,
        action="organizations.organisation.updated",
        obj=world.purchaser_b_org,
        organisation=world.purchaser_b_org,
    )
    return {"a": a, "b": b}


def test_the_urls_are_where_the_api_says():
    assert reverse("api:audit-events") == EVENTS
    assert reverse("api:audit-event-detail", kwargs={"position": 3}) == EVENTS + "3/"
    assert reverse("api:audit-checkpoints") == CHECKPOINTS
    assert reverse("api:audit-verify-runs") == RUNS


def test_a_reader_lists_events_with_sentences_and_hashes(world, events, login):
    body = login(world.auditor).get(EVENTS).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["position"] == 2
    assert first["hash"] == events["b"].hash
    assert first["prev_hash"] == events["a"].hash
    assert first["description"]
    assert body["results"][1]["changes"] == {"name_en": ["old", "new"]}


def test_filters_work_like_the_page(world, events, login):
    client = login(world.supervisor)
    assert [e["position"] for e in client.get(EVENTS, {"actor": "purchaser_b"}).json()["results"]] == [2]
    assert client.get(EVENTS, {"action": "audit."}).json()["count"] == 0
    response = client.get(EVENTS, {"date_from": "2026-02-02", "date_to": "2026-02-01"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "date_to" in response.json()["fields"]
    assert client.get(EVENTS, {"date_from": "not-a-date"}).status_code == 400


def test_a_district_bureau_reads_only_its_district(world, events, login):
    client = login(world.district_finance_a)
    assert [e["position"] for e in client.get(EVENTS).json()["results"]] == [1]
    assert client.get(EVENTS + "1/").status_code == 200
    response = client.get(EVENTS + "2/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("persona", ["purchaser_a", "provider_a", "outsider", "evaluator", "civil_affairs"])
def test_everyone_else_gets_404_on_every_endpoint(world, events, login, persona):
    client = login(getattr(world, persona))
    run = VerifyRun.objects.create(created_at=events["a"].occurred_at)
    for url in (EVENTS, EVENTS + "1/", CHECKPOINTS, RUNS, f"{RUNS}{run.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(RUNS).status_code == 404
    assert VerifyRun.objects.count() == 1


def test_the_public_is_refused(client, events):
    assert client.get(EVENTS).status_code == 401
    assert client.post(RUNS).status_code == 401


def test_checkpoints_are_listed_with_their_signature_state(world, events, login):
    checkpoint = create_checkpoint(actor=None, reason="daily")
    body = login(world.district_finance_b).get(CHECKPOINTS).json()
    assert body["results"] == [
        {
            "id": checkpoint.pk,
            "position": 2,
            "head_hash": events["b"].hash,
            "reason": "daily",
            "created_at": body["results"][0]["created_at"],
            "signature": checkpoint.signature,
            "signature_valid": True,
        }
    ]


def test_a_verify_run_is_started_and_its_state_read(world, events, login, django_capture_on_commit_callbacks):
    client = login(world.platform_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RUNS)
    assert response.status_code == 202
    run_id = response.json()["id"]
    state = client.get(f"{RUNS}{run_id}/").json()
    assert state["status"] == "intact"
    assert (state["checked"], state["percent"], state["first_broken_position"]) == (2, 100, None)
    assert [r["id"] for r in client.get(RUNS).json()["results"]] == [run_id]
    assert client.get(f"{RUNS}999999/").status_code == 404


def test_the_openapi_schema_describes_the_audit_endpoints(world, login):
    response = login(world.auditor).get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    for path in (EVENTS, EVENTS + "{position}/", CHECKPOINTS, RUNS, RUNS + "{run_id}/"):
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"][EVENTS]["get"]["parameters"]}
    assert {"action", "object_type", "object_id", "actor", "date_from", "date_to", "page"} <= parameters
    assert "202" in schema["paths"][RUNS]["post"]["responses"]


def test_the_event_list_query_count_does_not_grow_with_rows(world, login, django_assert_num_queries):
    client = login(world.district_finance_a)
    append(2, actor=world.purchaser_a, organisation=world.purchaser_a_org)
    # session, user, memberships (scope), count, page of events, the people's names
    with django_assert_num_queries(6):
        assert client.get(EVENTS).json()["count"] == 2
    append(18, actor=world.purchaser_a, organisation=world.purchaser_a_org)
    with django_assert_num_queries(6):
        assert len(client.get(EVENTS).json()["results"]) == 20


def test_the_checkpoint_list_query_count_does_not_grow_with_rows(world, login, django_assert_num_queries):
    client = login(world.auditor)
    for _ in range(2):
        create_checkpoint(actor=None, reason="daily")
    with django_assert_num_queries(5):
        client.get(CHECKPOINTS)
    for _ in range(18):
        create_checkpoint(actor=None, reason="daily")
    with django_assert_num_queries(5):
        assert len(client.get(CHECKPOINTS).json()["results"]) == 20


def test_the_sentences_name_people_as_the_page_does(world, login):
    """The API's description names the actor and the people its data names by login (who
    proposed an acceptance) by their display names, as the /audit/ page does."""
    get_user_model().objects.filter(pk=world.purchaser_a_approver.pk).update(display_name="李审核")
    get_user_model().objects.filter(pk=world.purchaser_a.pk).update(display_name="王采购")
    event = record_event(
        actor=world.purchaser_a_approver,
        action="contracts.deliverable.accepted",
        obj=world.purchaser_a_org,
        organisation=world.purchaser_a_org,
        data={"milestone": "第一季度", "reference": "HT-1", "proposed_by": world.purchaser_a.username},
    )
    client = login(world.city_finance)
    listed = next(e for e in client.get(EVENTS).json()["results"] if e["position"] == event.position)
    one = client.get(f"{EVENTS}{event.position}/").json()
    for description in (listed["description"], one["description"]):
        assert description.startswith("李审核")
        assert "王采购" in description
        assert world.purchaser_a.username not in description
        assert world.purchaser_a_approver.username not in description

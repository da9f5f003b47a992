"""The primary + streaming replica pair (govbuy.core.replica, issue 17), on a real replica.

Runs only with DATABASE_REPLICA_URL set, against a replica of the test's own primary made by
`scripts/replica-pair.sh start` (.ci/run does both). The test database is created on the primary
and reaches the replica by streaming, like every write: the tests commit for real
(transactional) and pause the replica's replay to make it lag on demand.
"""

from __future__ import annotations

import os
import time

import dj_database_url
import psycopg
import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from govbuy.accounts.testing import force_login_verified
from govbuy.catalog.services import negative_list
from govbuy.core import replica
from govbuy.portal.models import Feedback

REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
pytestmark = [
    pytest.mark.skipif(not REPLICA_URL, reason="needs a streaming replica: DATABASE_REPLICA_URL"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]
PROBE = "pg_last_wal_replay_lsn"


def _replica_settings() -> dict:
    primary = connections["default"].settings_dict
    parsed = dj_database_url.parse(REPLICA_URL)
    return {**primary, "HOST": parsed["HOST"], "PORT": parsed["PORT"]}


def _admin(sql: str):
    """A statement on the replica outside Django (pausing and resuming its replay)."""
    settings = _replica_settings()
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    ) as conn:
        return conn.execute(sql).fetchone()


def wait_for_replica(timeout: float = 30.0) -> None:
    target = replica.primary_position()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replay = replica.parse_lsn(_admin("SELECT pg_last_wal_replay_lsn()::text")[0])
        if replay is not None and target is not None and replay >= target:
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up")


@pytest.fixture(autouse=True)
def _real_replica(settings):
    """Point the "replica" alias (a test mirror of the primary) at the real replica."""
    settings.GOVBUY_REPLICA_MAX_LAG_SECONDS = 60
    settings.GOVBUY_REPLICA_CHECK_SECONDS = 0
    mirror = connections["replica"].settings_dict
    connections["replica"].close()
    connections["replica"].settings_dict = _replica_settings()
    replica.forget_health()
    wait_for_replica()
    yield
    _admin("SELECT pg_wal_replay_resume()")
    connections["replica"].close()
    connections["replica"].settings_dict = mirror
    replica.forget_health()


def page_queries(client: Client, path: str) -> tuple[int, int, object]:
    """(queries on the primary, queries on the replica other than its health probe, answer)."""
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        response = client.get(path)
    assert response.status_code in (200, 204)  # an empty feed answers 204
    reads = [query for query in on_replica.captured_queries if PROBE not in query["sql"]]
    return len(on_primary.captured_queries), len(reads), response


def test_anonymous_public_pages_read_the_replica_and_signed_in_pages_the_primary(world):
    wait_for_replica()
    primary, from_replica, _answer = page_queries(Client(), "/catalog/negative-list/")
    assert (primary, from_replica > 0) == (0, True)
    primary, from_replica, _answer = page_queries(Client(), "/ocds/releases")
    assert (primary, from_replica > 0) == (0, True)
    staff = force_login_verified(Client(), world.city_finance)
    primary, from_replica, _answer = page_queries(staff, "/catalog/negative-list/")
    assert (primary > 0, from_replica) == (True, 0)


def test_pages_outside_the_public_list_read_the_primary(world):
    wait_for_replica()
    _primary, from_replica, _answer = page_queries(Client(), "/healthz")
    assert from_replica == 0


def test_a_public_change_is_never_read_from_a_replica_that_has_not_replayed_it(world):
    wait_for_replica()
    _admin("SELECT pg_wal_replay_pause()")
    negative_list.add_matter(actor=world.city_finance, code="N-RYW", name_zh="只在主库的事项", legal_basis_zh="依据")
    primary, from_replica, answer = page_queries(Client(), "/catalog/negative-list/")
    assert (primary > 0, from_replica) == (True, 0)
    assert "只在主库的事项" in answer.content.decode()
    _admin("SELECT pg_wal_replay_resume()")
    wait_for_replica()
    primary, from_replica, answer = page_queries(Client(), "/catalog/negative-list/")
    assert (primary, from_replica > 0) == (0, True)
    assert "只在主库的事项" in answer.content.decode()


def test_a_visitor_who_wrote_reads_the_primary_until_the_replica_has_replayed_it(planned):
    wait_for_replica()
    _admin("SELECT pg_wal_replay_pause()")
    writer = Client()
    sent = writer.post(
        f"/projects/{planned.pk}/feedback/", {"name": "王女士", "contact": "13800138000", "message": "复制测试。"}
    )
    assert sent.status_code == 302
    assert Feedback.objects.filter(message="复制测试。").exists()
    assert replica.COOKIE in sent.cookies
    primary, from_replica, _answer = page_queries(writer, f"/projects/{planned.pk}/")
    assert (primary > 0, from_replica) == (True, 0)
    # Someone else, who wrote nothing, still reads the (paused) replica.
    primary, from_replica, _answer = page_queries(Client(), f"/projects/{planned.pk}/")
    assert (primary, from_replica > 0) == (0, True)
    _admin("SELECT pg_wal_replay_resume()")
    wait_for_replica()
    primary, from_replica, answer = page_queries(writer, f"/projects/{planned.pk}/")
    assert (primary, from_replica > 0) == (0, True)
    assert answer.cookies[replica.COOKIE].value == ""  # caught up: the cookie is dropped


def test_a_replica_lagging_past_the_bound_is_not_read(world, settings):
    wait_for_replica()
    _admin("SELECT pg_wal_replay_pause()")
    negative_list.add_matter(actor=world.city_finance, code="N-LAG", name_zh="滞后事项", legal_basis_zh="依据")
    settings.GOVBUY_REPLICA_MAX_LAG_SECONDS = 0.5
    time.sleep(1.0)
    primary, from_replica, _answer = page_queries(Client(), "/ocds/releases")
    assert (primary > 0, from_replica) == (True, 0)


def test_a_replica_that_does_not_answer_is_left_for_the_primary(world, settings):
    settings.GOVBUY_REPLICA_RETRY_SECONDS = 30
    connections["replica"].close()
    connections["replica"].settings_dict = {**_replica_settings(), "PORT": "1"}
    replica.forget_health()
    with CaptureQueriesContext(connections["default"]) as on_primary:
        answer = Client().get("/catalog/negative-list/")
    assert answer.status_code == 200
    assert on_primary.captured_queries
    assert replica.replica_usable() is False  # left alone for the retry time, without a new try

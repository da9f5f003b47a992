"""Published audit checkpoints (issue 15 §5): the signed checkpoint that closed each past day is
public on a page and as open data; the day's other checkpoints (taken after each bid) and
today's are not, so the public cannot tell when bids arrived."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from govbuy.audit.services import create_checkpoint, record_event

pytestmark = pytest.mark.django_db


def _checkpoint(at, reason="daily"):
    """An event and a checkpoint taken at `at` (the trail is append-only: time is set, not edited)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        record_event(actor=None, action="core.test.event", data={"n": reason})
        return create_checkpoint(actor=None, reason=reason)


def test_the_last_checkpoint_of_each_past_day_is_published(db, client):
    now = timezone.now()
    two_days_ago = now - dt.timedelta(days=2)
    yesterday = now - dt.timedelta(days=1)
    _checkpoint(two_days_ago.replace(hour=2), "bid")
    closing_1 = _checkpoint(two_days_ago.replace(hour=15), "daily")
    _checkpoint(yesterday.replace(hour=1), "bid")
    closing_2 = _checkpoint(yesterday.replace(hour=15, minute=30), "daily")
    today = _checkpoint(now, "bid")
    page = client.get(reverse("oversight_public:checkpoints"))
    assert page.status_code == 200
    body = page.content.decode()
    assert closing_1.head_hash in body
    assert closing_2.head_hash in body
    assert closing_2.signature in body
    assert today.head_hash not in body
    data = client.get(reverse("api:public-audit-checkpoints")).json()
    assert [row["position"] for row in data["results"]] == [closing_2.position, closing_1.position]
    assert set(data["results"][0]) == {"position", "head_hash", "signature", "created_at"}
    assert "reason" not in data["results"][0]


def test_the_published_list_uses_a_fixed_number_of_queries(db, client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    _checkpoint(now - dt.timedelta(days=8))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("api:public-audit-checkpoints"))
    for days in range(7, 1, -1):
        _checkpoint(now - dt.timedelta(days=days))
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(reverse("api:public-audit-checkpoints")).json()["count"] == 7

"""Behind our reverse proxy the feedback limit counts each real client (not the proxy), and its
429 says when to come back (Retry-After), on the page and in the API."""

from __future__ import annotations

import pytest

from govbuy.portal.models import Feedback

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def send(client, project, forwarded: str, *, remote: str = PROXY):
    payload = {"name": "王女士", "contact": "", "message": "希望增加周末上门服务。"}
    return client.post(f"/projects/{project.pk}/feedback/", payload, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)


def test_each_client_behind_the_proxy_has_its_own_limit(client, planned, settings):
    settings.GOVBUY_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.GOVBUY_FEEDBACK_RATE_LIMIT = 2
    settings.GOVBUY_FEEDBACK_RATE_WINDOW_SECONDS = 3600
    assert [send(client, planned, "203.0.113.7").status_code for _ in range(2)] == [302, 302]
    refused = send(client, planned, "203.0.113.7")
    assert refused.status_code == 429
    assert 3500 <= int(refused["Retry-After"]) <= 3601
    # Another person behind the same proxy is not refused for the first one's comments.
    assert send(client, planned, "203.0.113.8").status_code == 302
    # A client cannot pick another address by writing the header itself.
    assert send(client, planned, "198.51.100.1, 203.0.113.7").status_code == 429
    api = client.post(
        f"/api/v1/portal/projects/{planned.pk}/feedback/",
        {"message": "再来一条"},
        content_type="application/json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert api.status_code == 429
    assert api.json()["code"] == "feedback_rate_limited"
    assert int(api["Retry-After"]) > 0
    assert Feedback.objects.count() == 3


def test_without_the_proxy_configured_everyone_behind_it_is_one_client(client, planned, settings):
    settings.GOVBUY_TRUSTED_PROXIES = []
    settings.GOVBUY_FEEDBACK_RATE_LIMIT = 1
    assert send(client, planned, "203.0.113.7").status_code == 302
    assert send(client, planned, "203.0.113.8").status_code == 429

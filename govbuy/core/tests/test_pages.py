"""govbuy.core.pages: one way for a staff button to call a service and come back to the page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from govbuy.core.errors import Conflict
from govbuy.core.pages import act_then_redirect


@pytest.fixture
def request_():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _texts(request) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_success_is_confirmed_and_the_user_returns_to_the_object(request_):
    calls = []
    response = act_then_redirect(request_, SimpleNamespace(pk=7), calls.append, "Done.", "portal:feedback")
    assert len(calls) == 1
    assert response.status_code == 302
    assert response.url.rstrip("/").endswith("/7")
    assert _texts(request_) == [("success", "Done.")]


def test_a_refusal_is_flashed_with_its_field_messages_once(request_):
    def refuse(obj):
        raise Conflict("Stale.", fields={"version": ["Stale.", "Reload the page."]})

    response = act_then_redirect(request_, SimpleNamespace(pk=7), refuse, "Done.", "portal:feedback")
    assert response.status_code == 302
    assert _texts(request_) == [("error", "Stale. Reload the page.")]

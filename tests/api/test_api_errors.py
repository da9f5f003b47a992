"""Every API error answers {code, message, fields}, in the request's language."""

from __future__ import annotations

import api_probes
import pytest
from django.test import Client
from django.utils.translation import gettext, override

from govbuy.accounts.testing import api_token_for

PROBE = "/api/v1/_probe/"
DOMAIN = "/api/v1/_probe/domain/"


@pytest.fixture(autouse=True)
def _probe_urls(settings):
    settings.ROOT_URLCONF = api_probes.__name__


def translated(msgid: str, language: str) -> str:
    with override(language):
        return gettext(msgid)


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["fields"], dict)
    return body


def bearer(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_for(user)}"})


def test_anonymous_gets_401_with_a_bearer_challenge(db, client):
    response = client.get(PROBE)
    body = assert_error_shape(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"
    assert body["fields"] == {}


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_401_message_follows_accept_language(db, client, language):
    body = assert_error_shape(client.get(PROBE, headers={"accept-language": language}), 401, "not_authenticated")
    assert body["message"] == translated("Authentication credentials were not provided.", language)


def test_401_messages_really_differ_between_languages(db, client):
    messages = {
        language: client.get(PROBE, headers={"accept-language": language}).json()["message"]
        for language in ("zh-hans", "zh-hant", "en")
    }
    assert messages["en"] == "Authentication credentials were not provided."
    # zh-hant falls back to the default language's catalogue where a package lacks a
    # Traditional entry, so only Chinese vs English is certain to differ.
    assert messages["zh-hans"] != messages["en"]
    assert messages["zh-hant"] != messages["en"]


def test_unknown_api_url_is_a_json_404_not_an_html_page(db, client):
    response = client.get("/api/v1/no-such-endpoint/", headers={"accept-language": "en"})
    body = assert_error_shape(response, 404, "not_found")
    assert body["message"] == "Not found."


def test_http404_from_a_view_hides_the_lookup(world):
    response = bearer(world.provider_a).get(DOMAIN, headers={"accept-language": "zh-hans"})
    body = assert_error_shape(response, 404, "not_found")
    assert body["message"] == translated("Not found.", "zh-hans")
    assert "User" not in body["message"]
    assert "pk" not in body["message"]


def test_method_not_allowed_is_405(world):
    response = bearer(world.provider_a).delete(PROBE, headers={"accept-language": "en"})
    body = assert_error_shape(response, 405, "method_not_allowed")
    assert body["message"] == 'Method "DELETE" not allowed.'


def test_validation_errors_name_each_field_including_nested_items(world):
    response = bearer(world.provider_a).post(
        PROBE,
        {"name": "far too long", "amount": "abc", "items": [{"qty": 2}, {"qty": 0}]},
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    body = assert_error_shape(response, 400, "invalid")
    assert body["message"] == translated("The data is not valid.", "en")
    assert set(body["fields"]) == {"name", "amount", "items.1.qty"}
    assert body["fields"]["name"] == ["Ensure this field has no more than 5 characters."]
    assert body["fields"]["items.1.qty"] == ["Ensure this value is greater than or equal to 1."]


def test_validation_field_messages_are_translated(world):
    client = bearer(world.provider_a)
    payload = {"name": "far too long", "amount": "1.00"}
    en = client.post(PROBE, payload, content_type="application/json", headers={"accept-language": "en"}).json()
    zh = client.post(PROBE, payload, content_type="application/json", headers={"accept-language": "zh-hans"}).json()
    assert zh["message"] == translated("The data is not valid.", "zh-hans")
    assert zh["fields"]["name"] != en["fields"]["name"]
    assert zh["code"] == en["code"] == "invalid"


def test_malformed_json_is_a_400_in_the_shape(world):
    response = bearer(world.provider_a).post(PROBE, "{not json", content_type="application/json")
    assert_error_shape(response, 400, "parse_error")


def test_domain_error_from_a_view_keeps_its_status_code_and_language(world):
    client = bearer(world.provider_a)
    for language in ("zh-hans", "en"):
        body = assert_error_shape(client.post(DOMAIN, {}, headers={"accept-language": language}), 409, "conflict")
        assert body["message"] == translated(
            "This record was changed by someone else. Reload it and try again.", language
        )


def test_domain_validation_error_carries_translated_field_messages(world):
    client = bearer(world.provider_a)
    zh = client.post(DOMAIN, {"kind": "validation"}, headers={"accept-language": "zh-hans"})
    en = client.post(DOMAIN, {"kind": "validation"}, headers={"accept-language": "en"})
    assert assert_error_shape(en, 400, "invalid")["fields"] == {"name": ["This field is required."]}
    zh_fields = assert_error_shape(zh, 400, "invalid")["fields"]
    assert zh_fields == {"name": [translated("This field is required.", "zh-hans")]}
    assert zh_fields != {"name": ["This field is required."]}


def test_session_write_without_csrf_token_is_refused_in_the_shape(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.provider_a)
    response = client.post(PROBE, {"name": "ok", "amount": "1.00"}, content_type="application/json")
    body = assert_error_shape(response, 403, "permission_denied")
    assert "CSRF" in body["message"]

"""The registry's API: same scope and decisions as the pages, the project's error shape."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govbuy.accounts.testing import force_login_verified
from govbuy.organizations.uscc import make_code
from govbuy.providers.models import Condition, DossierDocument, ProjectCondition, ProviderProfile
from govbuy.providers.samples import minimal_pdf, resident_id
from govbuy.providers.services import dossiers
from govbuy.providers.tests.conftest import published_item
from tests.builders.procurement import fill_section, open_profile, section, verified_profile

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api(user):
    return force_login_verified(Client(), user)


def test_public_directory_and_registration(world, client):
    verified = verified_profile(world)
    response = client.get(f"{API}/provider-directory/")
    assert response.status_code == 200
    assert [row["uscc"] for row in response.json()["results"]] == [verified.organisation.uscc]
    assert client.get(f"{API}/provider-directory/{verified.pk}/").status_code == 200
    body = {
        "name_zh": "北京星光社工",
        "kind": "social_service_organisation",
        "region": world.district_a.pk,
        "uscc": make_code("52", "110101", "MJ0W0001"),
        "registration_authority": "东城区民政局",
        "legal_representative": "钱七",
        "legal_representative_id": resident_id(33),
        "registered_address": "东城区2号",
        "registration_date": "2020-02-02",
        "contact_name": "钱七",
        "contact_phone": "010-1",
        "username": "xingguang",
        "password": "A-long-enough-passphrase-2026",
    }
    created = client.post(f"{API}/provider-registrations/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["state"] == "registered"
    again = client.post(f"{API}/provider-registrations/", {**body, "username": "x2"}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["code"] == "uscc_duplicate"
    assert set(again.json()) == {"code", "message", "fields"}
    sneaky = client.post(
        f"{API}/provider-registrations/", {**body, "state": "verified"}, content_type="application/json"
    )
    assert sneaky.status_code == 400
    assert "state" in sneaky.json()["fields"]


def test_registration_date_error_in_english(world, client):
    response = client.post(
        f"{API}/provider-registrations/",
        {"registration_date": "2020-13-45"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "registration_date" in response.json()["fields"]


def test_dossier_flow_over_the_api(world):
    profile = open_profile(world.provider_a_org)
    provider = api(world.provider_a)
    url = f"{API}/providers/{profile.pk}/sections/{Condition.FINANCE}/"
    response = provider.patch(url, {"version": 1, "statement": "有财务制度"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["missing"] == ["document"]
    upload = provider.post(
        url + "documents/",
        {
            "version": 2,
            "title": "报表",
            "file": SimpleUploadedFile("fs.pdf", minimal_pdf()),
            "valid_until": "2030-01-01",
        },
    )
    assert upload.status_code == 201, upload.json()
    doc = upload.json()
    assert len(doc["sha256"]) == 64
    bad = provider.post(
        url + "documents/", {"version": 3, "title": "x", "file": SimpleUploadedFile("x.pdf", b"MZ\0\0")}
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "upload_refused"
    stale = provider.patch(url, {"version": 1, "statement": "x"}, content_type="application/json")
    assert stale.status_code == 409
    submitted = provider.post(url + "submit/", {"version": 3}, content_type="application/json")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    authority = api(world.civil_affairs)
    rejected = authority.post(url + "decide/", {"version": 4, "decision": "rejected"}, content_type="application/json")
    assert rejected.status_code == 400
    decided = authority.post(url + "decide/", {"version": 4, "decision": "accepted"}, content_type="application/json")
    assert decided.status_code == 200
    assert decided.json()["state"] == "accepted"
    download = authority.get(f"{API}/providers/{profile.pk}/documents/{doc['id']}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    detail = provider.get(f"{API}/providers/{profile.pk}/").json()
    states = {s["condition"]: s["state"] for s in detail["sections"]}
    assert states[Condition.FINANCE] == "accepted"
    assert states[Condition.GOVERNANCE] == "missing"


@pytest.mark.parametrize("persona", ["provider_b", "purchaser_a", "market_regulation", "outsider", "evaluator"])
def test_outsiders_get_404_on_dossier_endpoints(world, persona):
    profile = open_profile(world.provider_a_org)
    s = section(profile, Condition.FINANCE)
    from govbuy.providers.services import dossiers

    doc = dossiers.add_document(
        actor=world.provider_a, section=s, version=1, title="t", file_name="a.pdf", data=minimal_pdf()
    )
    client = api(world.users[persona])
    for url in (
        f"{API}/providers/{profile.pk}/",
        f"{API}/providers/{profile.pk}/sections/{Condition.FINANCE}/",
        f"{API}/providers/{profile.pk}/documents/{doc.pk}/",
        f"{API}/providers/{profile.pk}/related-parties/",
        f"{API}/providers/{profile.pk}/service-areas/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"{API}/providers/{profile.pk}/sections/{Condition.FINANCE}/documents/",
        {"version": 2, "title": "x", "file": SimpleUploadedFile("a.pdf", minimal_pdf("z"))},
    )
    assert response.status_code == 404
    assert DossierDocument.objects.count() == 1


def test_verify_over_the_api(world):
    profile = open_profile(world.provider_a_org)
    for condition in Condition.values:
        s = fill_section(profile, condition, world.provider_a)
        dossiers.decide_section(actor=world.civil_affairs, section=s, version=s.version, decision="accepted")
    profile.refresh_from_db()
    assert (
        api(world.provider_a)
        .post(f"{API}/providers/{profile.pk}/verify/", {"version": profile.version}, content_type="application/json")
        .status_code
        == 403
    )
    response = api(world.civil_affairs).post(
        f"{API}/providers/{profile.pk}/verify/", {"version": profile.version}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["state"] == "verified"
    stale = api(world.civil_affairs).post(
        f"{API}/providers/{profile.pk}/suspend/",
        {"version": profile.version, "reason": "x"},
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_provider_list_query_count(world, django_assert_num_queries):
    from govbuy.organizations.models import Organisation

    open_profile(world.provider_a_org)
    client = api(world.civil_affairs)
    client.get(f"{API}/providers/")
    with django_assert_num_queries(5):
        client.get(f"{API}/providers/")
    for i in range(5):
        org = Organisation.objects.create(
            name_zh=f"中心{i}",
            kind="social_service_organisation",
            region=world.district_a,
            uscc=make_code("52", "110101", f"MJ3{i:05d}"),
        )
        open_profile(org, serial=300 + i)
    with django_assert_num_queries(5):
        response = client.get(f"{API}/providers/")
    assert response.json()["count"] == 6


def test_directory_api_query_count(world, client, django_assert_num_queries):
    from govbuy.organizations.models import Organisation
    from govbuy.providers.models import ServiceArea

    first = verified_profile(world)
    item = published_item(world, "A01")
    ServiceArea.objects.create(profile=first, item=item, item_code=item.code)
    with django_assert_num_queries(4):
        client.get(f"{API}/provider-directory/")
    for i in range(5):
        org = Organisation.objects.create(
            name_zh=f"中心{i}",
            kind="enterprise",
            region=world.district_a,
            uscc=make_code("91", "110101", f"MA4{i:05d}"),
        )
        profile = open_profile(org, serial=400 + i)
        ProviderProfile.objects.filter(pk=profile.pk).update(state="verified", verified_at=dt.datetime.now(dt.UTC))
        ServiceArea.objects.create(profile=profile, item=item, item_code=item.code)
    with django_assert_num_queries(4):
        response = client.get(f"{API}/provider-directory/")
    assert response.json()["count"] == 6


def test_conditions_api(world):
    purchaser = api(world.purchaser_a)
    created = purchaser.post(
        f"{API}/project-conditions/",
        {
            "purchaser": world.purchaser_a_org.pk,
            "project_reference": "P",
            "text": "Registered capital of at least 10 million yuan",
            "service_requirement": "Home care",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["status"] == "pending_approval"
    pk = created.json()["id"]
    assert api(world.purchaser_b).get(f"{API}/project-conditions/{pk}/").status_code == 404
    decided = api(world.district_finance_a).post(
        f"{API}/project-conditions/{pk}/decide/",
        {"version": 1, "decision": "rejected", "reason": "Unrelated"},
        content_type="application/json",
    )
    assert decided.status_code == 200
    assert ProjectCondition.objects.get().status == "rejected"
    patterns = api(world.city_finance).get(f"{API}/condition-patterns/").json()
    assert {p["category"] for p in patterns} >= {"brand", "ownership"}


def test_related_parties_api(world):
    a = open_profile(world.provider_a_org, serial=1)
    open_profile(world.provider_b_org, serial=2)
    response = api(world.provider_a).post(
        f"{API}/providers/{a.pk}/related-parties/",
        {"other_uscc": world.provider_b_org.uscc, "note": "控股"},
        content_type="application/json",
    )
    assert response.status_code == 201
    listed = api(world.provider_a).get(f"{API}/providers/{a.pk}/related-parties/").json()
    assert listed[0]["basis"] == "control"

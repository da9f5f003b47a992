"""API: same scope and decisions as the pages; versions, protected fields, error shape, spec."""

from __future__ import annotations

import pytest

from govbuy.audit.models import AuditEvent
from govbuy.organizations import uscc
from govbuy.organizations.models import Membership, Organisation

pytestmark = pytest.mark.django_db

CODE = "91350100M000100Y43"


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_regions_list_and_create(world, login):
    client = login(world.purchaser_a)
    body = client.get("/api/v1/regions/").json()
    assert [r["code"] for r in body] == ["110000", "110101", "110105"]
    assert (
        _post(client, "/api/v1/regions/", {"code": "110108", "name_zh": "海淀区", "level": "district"}).status_code
        == 403
    )
    admin = login(world.platform_admin)
    created = _post(admin, "/api/v1/regions/", {"code": "110108", "name_zh": "海淀区", "level": "district"})
    assert created.status_code == 201
    assert created.json()["parent"] == world.city.pk
    bad = _post(admin, "/api/v1/regions/", {"code": "999999", "name_zh": "外地", "level": "district"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"code", "message", "fields"}
    assert "code" in bad.json()["fields"]


def test_create_organisation_normalises_and_audits(world, login):
    client = login(world.platform_admin)
    response = _post(
        client,
        "/api/v1/organisations/",
        {
            "name_zh": "某公司",
            "kind": "enterprise",
            "region": world.district_a.pk,
            "uscc": "９１３５０１００-m000100y43",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["uscc"] == CODE
    assert body["uscc_parts"]["prefix"] == "91"
    assert body["uscc_warnings"] == {"warning_codes": [], "warnings": []}
    assert body["status"] == "active"
    assert body["version"] == 1
    assert body["family"] == "provider"
    assert AuditEvent.objects.filter(action="organizations.organisation.registered", object_id=str(body["id"])).exists()


def test_protected_fields_cannot_be_set(world, login):
    client = login(world.platform_admin)
    response = _post(
        client,
        "/api/v1/organisations/",
        {
            "name_zh": "某公司",
            "kind": "enterprise",
            "region": world.district_a.pk,
            "uscc": CODE,
            "status": "inactive",
            "version": 7,
        },
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"status", "version"}
    assert not Organisation.objects.filter(uscc=CODE).exists()
    org = world.purchaser_a_org
    response = _patch(client, f"/api/v1/organisations/{org.pk}/", {"version": 1, "status": "inactive"})
    assert response.status_code == 400
    org.refresh_from_db()
    assert org.status == "active"
    assert org.version == 1


@pytest.mark.parametrize("kind", ["public_institution_class1", "mass_organisation_institutional_staffing"])
def test_art8_refused_through_the_api(world, login, kind):
    response = _post(
        login(world.city_finance),
        "/api/v1/organisations/",
        {
            "name_zh": "某单位",
            "kind": kind,
            "region": world.district_a.pk,
            "uscc": uscc.make_code("12", "110101", "40000062"),
        },
    )
    assert response.status_code == 400
    assert response.json()["code"] == "excluded_by_art8"
    assert "kind" in response.json()["fields"]


def test_duplicate_code_refused(world, login):
    response = _post(
        login(world.platform_admin),
        "/api/v1/organisations/",
        {
            "name_zh": "冒名",
            "kind": "social_service_organisation",
            "region": world.district_a.pk,
            "uscc": world.provider_a_org.uscc.lower(),
        },
    )
    assert response.status_code == 400
    assert response.json()["code"] == "uscc_duplicate"


def test_update_with_version_and_stale_409(world, login):
    client = login(world.district_finance_a)
    org = world.purchaser_a_org
    url = f"/api/v1/organisations/{org.pk}/"
    ok = _patch(client, url, {"version": 1, "name_en": "Dongcheng Civil Affairs"})
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = _patch(client, url, {"version": 1, "name_en": "Other"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert _patch(client, url, {"name_en": "No version"}).status_code == 400
    org.refresh_from_db()
    assert org.name_en == "Dongcheng Civil Affairs"


def test_status_actions_and_review(world, login):
    finance = login(world.district_finance_a)
    org = world.purchaser_a_org
    r = _post(finance, f"/api/v1/organisations/{org.pk}/deactivate/", {"version": 1, "reason": "撤并"})
    assert r.status_code == 200
    assert r.json()["status"] == "inactive"
    assert (
        _post(finance, f"/api/v1/organisations/{org.pk}/deactivate/", {"version": 2, "reason": "x"}).status_code == 409
    )
    r = _post(finance, f"/api/v1/organisations/{org.pk}/reactivate/", {"version": 2})
    assert r.json()["status"] == "active"
    flagged = Organisation.objects.create(
        name_zh="疑码基金会",
        kind="foundation",
        region=world.district_b,
        uscc=uscc.make_code("91", "110105", "70707070"),
        uscc_warnings=[uscc.WARNING_KIND_PREFIX],
        uscc_review_pending=True,
    )
    civil = login(world.civil_affairs)
    seen = civil.get(f"/api/v1/organisations/{flagged.pk}/").json()
    assert seen["uscc_review_pending"] is True
    assert seen["uscc_warnings"]["warning_codes"] == [uscc.WARNING_KIND_PREFIX]
    assert civil.get("/api/v1/organisations/?review=1").json()["count"] == 1
    r = _post(civil, f"/api/v1/organisations/{flagged.pk}/review-uscc/", {"version": 1, "note": "已电话核实"})
    assert r.status_code == 200
    assert r.json()["uscc_review_pending"] is False


def test_warnings_hidden_from_non_oversight(world, login):
    body = login(world.provider_a).get(f"/api/v1/organisations/{world.provider_a_org.pk}/").json()
    assert body["uscc_warnings"] is None
    assert body["uscc_review_pending"] is None
    assert body["uscc_parts"]["code"] == world.provider_a_org.uscc


def test_members_api(world, login):
    client = login(world.provider_a)
    org = world.provider_a_org
    url = f"/api/v1/organisations/{org.pk}/members/"
    added = _post(client, url, {"username": "outsider", "role": "staff"})
    assert added.status_code == 201
    mid = added.json()["id"]
    assert {m["username"] for m in client.get(url).json()["results"]} == {"provider_a", "outsider"}
    changed = _patch(client, f"{url}{mid}/", {"role": "approver"})
    assert changed.status_code == 200
    assert changed.json()["role"] == "approver"
    assert _patch(client, f"{url}{mid}/", {"role": "approver", "is_active": False}).status_code == 400
    assert client.delete(f"{url}{mid}/").status_code == 204
    assert client.get(f"{url}{mid}/").status_code == 404
    assert not Membership.objects.get(pk=mid).is_active
    own = Membership.objects.get(user=world.provider_a, organisation=org)
    last = client.delete(f"{url}{own.pk}/")
    assert last.status_code == 400
    assert last.json()["code"] == "last_admin"
    staff = login(world.purchaser_a)
    purl = f"/api/v1/organisations/{world.purchaser_a_org.pk}/members/"
    assert _post(staff, purl, {"username": "outsider", "role": "admin"}).status_code == 403


def test_uscc_check_endpoint(world, login):
    client = login(world.outsider)
    ok = _post(client, "/api/v1/uscc/check/", {"code": " 9135 0100 m000100y43 ", "kind": "social_group"})
    assert ok.status_code == 200
    body = ok.json()
    assert body["code"] == CODE
    assert body["authority"] == "9"
    assert body["category"] == "1"
    assert body["warning_codes"] == [uscc.WARNING_KIND_PREFIX]
    bad = _post(client, "/api/v1/uscc/check/", {"code": "91350100M000100Y44"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "uscc_check"
    assert bad.json()["fields"]["uscc"]
    assert _post(client, "/api/v1/uscc/check/", {"code": "ISOZV"}).json()["code"] in {"uscc_length", "uscc_alphabet"}


def _make(world, n, start=0):
    for i in range(start, start + n):
        Organisation.objects.create(
            name_zh=f"接口机构{i:03d}",
            kind="enterprise",
            region=world.district_b,
            uscc=uscc.make_code("91", "110105", f"{50000000 + i:08d}"),
        )


# session, user, memberships (scope), count, rows (regions joined)
API_LIST_QUERIES = 5


@pytest.mark.parametrize("persona", ["city_finance", "district_finance_b", "civil_affairs"])
def test_api_list_query_count(world, login, django_assert_num_queries, persona):
    client = login(getattr(world, persona))
    client.get("/api/v1/organisations/")
    _make(world, 2)
    with django_assert_num_queries(API_LIST_QUERIES):
        assert client.get("/api/v1/organisations/").status_code == 200
    _make(world, 20, start=2)
    with django_assert_num_queries(API_LIST_QUERIES):
        response = client.get("/api/v1/organisations/")
    assert response.json()["count"] >= 22


def test_api_members_query_count(world, login, django_assert_num_queries):
    from django.contrib.auth import get_user_model

    client = login(world.provider_a)
    url = f"/api/v1/organisations/{world.provider_a_org.pk}/members/"
    client.get(url)

    def add(n, start):
        for i in range(start, start + n):
            user = get_user_model().objects.create_user(username=f"m{i}", password="x")
            Membership.objects.create(user=user, organisation=world.provider_a_org, role="staff")

    add(2, 0)
    # session, user, memberships (scope), the organisation, count, rows (users joined)
    with django_assert_num_queries(6):
        client.get(url)
    add(20, 2)
    with django_assert_num_queries(6):
        assert client.get(url).json()["count"] == 23


def test_schema_lists_the_endpoints(world, login):
    schema = login(world.platform_admin).get("/api/v1/schema/?format=json").json()
    for path in [
        "/api/v1/regions/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{id}/",
        "/api/v1/organisations/{id}/members/",
        "/api/v1/organisations/{id}/members/{membership_id}/",
        "/api/v1/organisations/{id}/deactivate/",
        "/api/v1/organisations/{id}/review-uscc/",
        "/api/v1/uscc/check/",
    ]:
        assert path in schema["paths"], path
    create_props = schema["components"]["schemas"]["OrganisationCreateRequest"]["properties"]
    assert "status" not in create_props
    assert "version" not in create_props

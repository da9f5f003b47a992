"""Staff pages: list filters and query counts, detail with the code explained, forms, members, home."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govbuy.audit.models import AuditEvent
from govbuy.organizations import uscc
from govbuy.organizations.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def _make_providers(world, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        Organisation.objects.create(
            name_zh=f"批量服务机构{i:03d}",
            kind="social_service_organisation",
            region=world.district_a,
            uscc=uscc.make_code("52", "110101", f"{40000000 + i:08d}"),
        )


# session, user, the user's memberships (scope), regions for the "may register" check, regions for
# the filter, the page count, the page rows (regions joined).
LIST_QUERIES = 7


@pytest.mark.parametrize("persona", ["city_finance", "district_finance_a", "provider_a"])
def test_list_query_count_does_not_grow(world, login, django_assert_num_queries, persona):
    client = login(getattr(world, persona))
    url = reverse("organizations:list")
    client.get(url)  # warm caches (content types, session) outside the count
    _make_providers(world, 2)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(url).status_code == 200
    _make_providers(world, 20, start=2)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    if persona != "provider_a":
        assert response.context["page"].paginator.count >= 22


def test_list_filters(world, login):
    client = login(world.city_finance)
    url = reverse("organizations:list")
    names = lambda r: {o.name_zh for o in r.context["page"].object_list}  # noqa: E731
    assert names(client.get(url, {"family": "purchaser"})) == {"东城区民政局", "朝阳区民政局"}
    assert names(client.get(url, {"kind": "social_service_organisation", "region": world.district_b.pk})) == {
        "朝阳区康乐社会工作事务所"
    }
    assert names(client.get(url, {"q": "阳光"})) == {"东城区阳光养老服务中心"}
    code = world.provider_b_org.uscc
    spaced = " ".join(code[i : i + 4] for i in range(0, 18, 4)).lower()
    assert names(client.get(url, {"q": spaced})) == {"朝阳区康乐社会工作事务所"}
    assert names(client.get(url, {"family": "nonsense"})) == {o.name_zh for o in world.orgs.values()}


def test_list_paginates(world, login):
    _make_providers(world, 30)
    client = login(world.city_finance)
    first = client.get(reverse("organizations:list"))
    second = client.get(reverse("organizations:list"), {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.count == 43
    assert len(second.context["page"].object_list) == 18


def test_detail_explains_the_code_and_warnings_only_for_oversight(world, login):
    org = Organisation.objects.create(
        name_zh="错配社团",
        kind="social_group",
        region=world.district_a,
        uscc=uscc.make_code("91", "110101", "66666666"),
        uscc_warnings=[uscc.WARNING_KIND_PREFIX],
        uscc_review_pending=True,
    )
    Membership.objects.create(user=world.outsider, organisation=org, role="admin")
    url = reverse("organizations:detail", args=[org.pk])
    oversight = login(world.civil_affairs).get(url)
    body = oversight.content.decode()
    assert 'id="uscc-explained"' in body
    assert 'id="uscc-warnings"' in body
    assert 'id="review-uscc"' in body  # civil affairs reviews social groups
    assert oversight.context["explained"]["prefix"] == "91"
    own = login(world.outsider).get(url).content.decode()
    assert 'id="uscc-explained"' in own
    assert 'id="uscc-warnings"' not in own


def test_register_through_the_form_normalises_the_code(world, login):
    client = login(world.district_finance_a)
    code = uscc.make_code("11", "110101", "MB000001")
    typed = code[:4].translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}) + "-" + code[4:].lower() + " "
    response = client.post(
        reverse("organizations:create"),
        {
            "name_zh": "东城区卫生健康委员会",
            "kind": "administrative_agency",
            "region": world.district_a.pk,
            "uscc": typed,
        },
    )
    org = Organisation.objects.get(name_zh="东城区卫生健康委员会")
    assert response.status_code == 302
    assert response.url == reverse("organizations:detail", args=[org.pk])
    assert org.uscc == code
    assert AuditEvent.objects.filter(action="organizations.organisation.registered", object_id=str(org.pk)).exists()


def test_form_refusal_shows_the_normalised_code_and_the_art8_message(world, login):
    client = login(world.platform_admin)
    code = uscc.make_code("12", "110101", "40000062")
    response = client.post(
        reverse("organizations:create"),
        {
            "name_zh": "某一类事业单位",
            "kind": "public_institution_class1",
            "region": world.district_a.pk,
            "uscc": code.lower(),
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "第八条" in " ".join(form.errors["kind"])
    assert form["uscc"].value() == code
    assert not Organisation.objects.filter(name_zh="某一类事业单位").exists()


def test_form_bad_check_character(world, login):
    client = login(world.platform_admin)
    response = client.post(
        reverse("organizations:create"),
        {"name_zh": "坏码", "kind": "enterprise", "region": world.district_a.pk, "uscc": "91350100-m000100y44"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["uscc"]
    assert response.context["form"]["uscc"].value() == "91350100M000100Y44"


def test_provider_may_not_open_the_register_form(world, login):
    response = login(world.provider_a).get(reverse("organizations:create"))
    assert response.status_code == 302


def test_edit_form_stale_version_conflict(world, login):
    client = login(world.district_finance_a)
    org = world.purchaser_a_org
    url = reverse("organizations:edit", args=[org.pk])
    data = {
        "name_zh": "新名称",
        "name_en": "",
        "kind": org.kind,
        "region": org.region_id,
        "uscc": org.uscc,
        "version": 1,
    }
    assert client.post(url, data).status_code == 302
    data["name_zh"] = "再改"
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["version"]
    org.refresh_from_db()
    assert org.name_zh == "新名称"
    assert org.version == 2


def test_own_admin_cannot_move_kind_through_the_form(world, login):
    client = login(world.provider_a)
    org = world.provider_a_org
    url = reverse("organizations:edit", args=[org.pk])
    data = {
        "name_zh": org.name_zh,
        "name_en": "Sunshine",
        "kind": "enterprise",
        "region": world.district_b.pk,
        "uscc": org.uscc,
        "version": 1,
    }
    assert client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert org.name_en == "Sunshine"
    assert org.kind == "social_service_organisation"
    assert org.region == world.district_a


def test_staff_cannot_edit(world, login):
    response = login(world.purchaser_a).get(reverse("organizations:edit", args=[world.purchaser_a_org.pk]))
    assert response.status_code == 302


def test_deactivate_and_reactivate_pages(world, login):
    client = login(world.district_finance_a)
    org = world.purchaser_a_org
    client.post(reverse("organizations:deactivate", args=[org.pk]), {"version": 1, "reason": "机构改革"})
    org.refresh_from_db()
    assert org.status == "inactive"
    client.post(reverse("organizations:reactivate", args=[org.pk]), {"version": 2})
    org.refresh_from_db()
    assert org.status == "active"
    # The purchaser itself may not.
    login(world.purchaser_a).post(reverse("organizations:deactivate", args=[org.pk]), {"version": 3, "reason": "x"})
    org.refresh_from_db()
    assert org.status == "active"


def test_members_page_add_change_remove(world, login):
    client = login(world.provider_a)
    org = world.provider_a_org
    url = reverse("organizations:members", args=[org.pk])
    assert client.post(url, {"username": "outsider", "role": "staff"}).status_code == 302
    m = Membership.objects.get(user=world.outsider, organisation=org)
    client.post(reverse("organizations:member_role", args=[org.pk, m.pk]), {"role": "approver"})
    m.refresh_from_db()
    assert m.role == "approver"
    client.post(reverse("organizations:member_remove", args=[org.pk, m.pk]))
    m.refresh_from_db()
    assert not m.is_active
    page = client.get(url)
    assert [x.user.username for x in page.context["members"]] == ["provider_a"]


def test_members_page_read_only_for_staff(world, login):
    client = login(world.purchaser_a)
    org = world.purchaser_a_org
    url = reverse("organizations:members", args=[org.pk])
    assert 'id="add-member-form"' not in client.get(url).content.decode()
    client.post(url, {"username": "outsider", "role": "admin"})
    assert not Membership.objects.filter(user=world.outsider).exists()


def test_region_page(world, login):
    admin = login(world.platform_admin)
    url = reverse("organizations:regions")
    assert admin.post(url, {"code": "110108", "name_zh": "海淀区", "level": "district"}).status_code == 302
    refused = admin.post(url, {"code": "120101", "name_zh": "外市区", "level": "district"})
    assert refused.context["form"].errors["code"]
    staff = login(world.purchaser_a)
    page = staff.get(url)
    assert page.context["form"] is None
    assert "海淀区" in page.content.decode()


def test_uscc_check_page(world, login):
    client = login(world.provider_a)
    url = reverse("organizations:uscc_check")
    ok = client.post(url, {"code": "９１３５０１００ｍ０００１００ｙ４３", "kind": "foundation"})
    assert ok.context["result"]["code"] == "91350100M000100Y43"
    assert ok.context["result"]["warning_codes"] == [uscc.WARNING_KIND_PREFIX]
    bad = client.post(url, {"code": "91350100M000100Y4O"})
    assert bad.context["result"] is None
    assert bad.context["form"].errors["code"]


def test_nav_entry_for_roles_only(world, login):
    urls = lambda r: [i["url"] for i in r.context["nav_items"]]  # noqa: E731
    target = reverse("organizations:list")
    for persona in ("purchaser_a", "provider_a", "city_finance", "platform_admin"):
        assert target in urls(login(getattr(world, persona)).get(reverse("core:home"))), persona
    assert target not in urls(login(world.outsider).get(reverse("core:home")))


def test_home_section_for_verifiers(world, login):
    flagged = Organisation.objects.create(
        name_zh="待核社团",
        kind="social_group",
        region=world.district_a,
        uscc=uscc.make_code("91", "110101", "67676767"),
        uscc_warnings=[uscc.WARNING_KIND_PREFIX],
        uscc_review_pending=True,
    )
    section = lambda r: next((s for s in r.context["sections"] if s["id"] == "uscc-review"), None)  # noqa: E731
    civil = section(login(world.civil_affairs).get(reverse("core:home")))
    assert [i["url"] for i in civil["items"]] == [reverse("organizations:detail", args=[flagged.pk])]
    market = section(login(world.market_regulation).get(reverse("core:home")))
    assert market["items"] == []
    assert section(login(world.provider_a).get(reverse("core:home"))) is None
    assert section(login(world.supervisor).get(reverse("core:home"))) is None  # read-only: not a verifier
    # District finance b looks at purchasers of its district only.
    Organisation.objects.create(
        name_zh="待核采购人",
        kind="administrative_agency",
        region=world.district_a,
        uscc=uscc.make_code("12", "110101", "68686868"),
        uscc_warnings=[uscc.WARNING_KIND_PREFIX],
        uscc_review_pending=True,
    )
    assert section(login(world.district_finance_b).get(reverse("core:home")))["items"] == []
    assert len(section(login(world.district_finance_a).get(reverse("core:home")))["items"]) == 1

"""Pages: the public directory and registration, the permission matrix for dossiers and documents,
uploads through the form, query counts of the lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from govbuy.accounts.testing import force_login_verified
from govbuy.organizations.uscc import make_code
from govbuy.providers.models import Condition, DossierDocument, ProviderProfile
from govbuy.providers.samples import minimal_pdf, resident_id
from govbuy.providers.services import dossiers
from govbuy.providers.tests.conftest import published_item
from tests.builders.procurement import fill_section, open_profile, section, verified_profile

pytestmark = pytest.mark.django_db


def signed_in(user):
    return force_login_verified(Client(), user)


def _document(world, profile):
    s = section(profile, Condition.FINANCE)
    return dossiers.add_document(
        actor=world.provider_a, section=s, version=s.version, title="报表", file_name="报表.pdf", data=minimal_pdf("x")
    )


# --- Public ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_directory_lists_only_verified_providers_in_every_language(world, client, language):
    verified = verified_profile(world)
    open_profile(world.provider_b_org, serial=2)
    client.cookies["django_language"] = language
    response = client.get(reverse("providers:directory"))
    assert response.status_code == 200
    body = response.content.decode()
    assert verified.organisation.name_zh in body
    assert world.provider_b_org.name_zh not in body
    assert response.headers["Content-Language"] == language
    detail = client.get(reverse("providers:directory_detail", args=[verified.pk]))
    assert detail.status_code == 200
    assert verified.organisation.uscc in detail.content.decode()


def test_the_directory_links_each_provider_to_its_public_credit_page(world, client):
    verified = verified_profile(world)
    credit_page = reverse("credit_public:provider", args=[verified.organisation_id])
    assert f'href="{credit_page}"' in client.get(reverse("providers:directory")).content.decode()
    detail = client.get(reverse("providers:directory_detail", args=[verified.pk])).content.decode()
    assert f'href="{credit_page}"' in detail
    assert client.get(credit_page).status_code == 200
    listed = client.get(reverse("api:provider-directory")).json()
    assert listed["results"][0]["credit_page"] == credit_page


def test_directory_detail_of_an_unverified_provider_is_404(world, client):
    profile = open_profile(world.provider_b_org, serial=2)
    assert client.get(reverse("providers:directory_detail", args=[profile.pk])).status_code == 404


def test_directory_query_count_does_not_grow(world, client, django_assert_num_queries):
    from govbuy.organizations.models import Organisation
    from govbuy.providers.models import ServiceArea

    first = verified_profile(world)
    item = published_item(world, "A01")
    ServiceArea.objects.create(profile=first, item=item, item_code=item.code)
    with django_assert_num_queries(4):
        client.get(reverse("providers:directory"))
    for i in range(6):
        org = Organisation.objects.create(
            name_zh=f"服务中心{i}",
            kind="social_service_organisation",
            region=world.district_a,
            uscc=make_code("52", "110101", f"MJ1{i:05d}"),
        )
        profile = open_profile(org, serial=100 + i)
        ProviderProfile.objects.filter(pk=profile.pk).update(state="verified", verified_at=dt.datetime.now(dt.UTC))
        ServiceArea.objects.create(profile=profile, item=item, item_code=item.code)
    with django_assert_num_queries(4):
        response = client.get(reverse("providers:directory"))
    assert response.content.decode().count("/providers/directory/") >= 7


def test_self_registration_through_the_form(world, client):
    response = client.post(
        reverse("providers:register"),
        {
            "name_zh": "北京市新星社工服务中心",
            "kind": "social_service_organisation",
            "region": world.district_a.pk,
            "uscc": make_code("52", "110101", "MJ0Y0001").lower(),
            "registration_authority": "东城区民政局",
            "legal_representative": "赵六",
            "legal_representative_id": resident_id(9),
            "registered_address": "东城区1号",
            "registration_date": "2019-01-02",
            "contact_name": "赵六",
            "contact_phone": "13800000000",
            "username": "newprovider",
            "password": "A-long-enough-passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert ProviderProfile.objects.filter(organisation__name_zh="北京市新星社工服务中心").exists()


def test_registration_errors_are_shown_on_the_form(world, client):
    existing = world.provider_a_org.uscc
    response = client.post(
        reverse("providers:register"),
        {
            "name_zh": "重复",
            "kind": "public_institution_class1",
            "region": world.district_a.pk,
            "uscc": existing,
            "registration_authority": "x",
            "legal_representative": "x",
            "legal_representative_id": resident_id(9),
            "registered_address": "x",
            "registration_date": "2019-01-02",
            "contact_name": "x",
            "contact_phone": "1",
            "username": "u1",
            "password": "A-long-enough-passphrase-2026",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Order 102 Art. 8" in response.content.decode()
    response = client.post(
        reverse("providers:register"),
        {
            "name_zh": "x",
            "kind": "enterprise",
            "region": world.district_a.pk,
            "uscc": existing,
            "registration_date": "not-a-date",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Enter a valid date." in response.content.decode()


# --- Permission matrix ------------------------------------------------------------------------------------

READERS = {"provider_a": True, "civil_affairs": True, "supervisor": True, "auditor": True, "platform_admin": True}
ALL_PERSONAS = [
    "provider_a",
    "provider_b",
    "purchaser_a",
    "purchaser_b",
    "city_finance",
    "district_finance_a",
    "staffing",
    "civil_affairs",
    "market_regulation",
    "supervisor",
    "auditor",
    "evaluator",
    "outsider",
    "platform_admin",
]


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_dossier_pages_and_documents_permission_matrix(world, persona):
    profile = open_profile(world.provider_a_org)
    doc = _document(world, profile)
    client = signed_in(world.users[persona])
    urls = [
        reverse("providers:detail", args=[profile.pk]),
        reverse("providers:section", args=[profile.pk, Condition.FINANCE]),
        reverse("providers:document", args=[profile.pk, doc.pk]),
    ]
    expected = 200 if READERS.get(persona) else 404
    for url in urls:
        assert client.get(url).status_code == expected, (persona, url)


def test_another_provider_gets_404_on_every_dossier_url(world):
    profile = open_profile(world.provider_a_org)
    doc = _document(world, profile)
    client = signed_in(world.provider_b)
    s = section(profile, Condition.FINANCE)
    gets = [
        reverse("providers:detail", args=[profile.pk]),
        reverse("providers:edit", args=[profile.pk]),
        reverse("providers:section", args=[profile.pk, Condition.FINANCE]),
        reverse("providers:document", args=[profile.pk, doc.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("providers:section_statement", args=[profile.pk, Condition.FINANCE]),
        reverse("providers:section_submit", args=[profile.pk, Condition.FINANCE]),
        reverse("providers:section_decide", args=[profile.pk, Condition.FINANCE]),
        reverse("providers:verify", args=[profile.pk]),
        reverse("providers:document_withdraw", args=[profile.pk, doc.pk]),
        reverse("providers:relation_add", args=[profile.pk]),
    ]
    for url in posts:
        assert client.post(url, {"version": s.version, "statement": "x"}).status_code == 404, url
    s.refresh_from_db()
    assert s.statement == ""


def test_document_is_served_as_attachment_with_nosniff(world):
    profile = open_profile(world.provider_a_org)
    doc = _document(world, profile)
    response = signed_in(world.civil_affairs).get(reverse("providers:document", args=[profile.pk, doc.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == minimal_pdf("x")


def test_corrupted_document_is_not_served(world, settings):
    profile = open_profile(world.provider_a_org)
    doc = _document(world, profile)
    path = settings.MEDIA_ROOT / doc.path
    data = bytearray(path.read_bytes())
    data[15] ^= 0x01
    path.write_bytes(bytes(data))
    response = signed_in(world.provider_a).get(reverse("providers:document", args=[profile.pk, doc.pk]))
    assert response.status_code == 500
    assert b"%PDF" not in response.content
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("verify_documents")


def test_verify_documents_passes_on_intact_files(world, capsys):
    from django.core.management import call_command

    _document(world, open_profile(world.provider_a_org))
    call_command("verify_documents")
    assert "1 document(s) checked, 0 problem(s)" in capsys.readouterr().out


# --- Uploads through the form ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("invoice.pdf", b"MZ" + b"\0" * 200, "program"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20 + b"PK\x05\x06" + b"\0" * 18, "PNG"),
        # Django's multipart parser already drops the override character; what is left is an .exe.
        ("report\u202efdp.exe", minimal_pdf(), "not accepted"),
        ("../../etc/passwd", minimal_pdf(), "not accepted"),
    ],
)
def test_bad_upload_through_the_form_shows_a_message(world, name, data, fragment):
    profile = open_profile(world.provider_a_org)
    client = signed_in(world.provider_a)
    client.cookies["django_language"] = "en"
    url = reverse("providers:section_document", args=[profile.pk, Condition.FINANCE])
    response = client.post(url, {"version": 1, "title": "t", "file": SimpleUploadedFile(name, data)}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any(fragment in m for m in shown), shown
    assert not DossierDocument.objects.exists()


def test_oversized_upload_through_the_form(world, settings):
    settings.GOVBUY_UPLOAD_MAX_BYTES = 300
    profile = open_profile(world.provider_a_org)
    client = signed_in(world.provider_a)
    client.cookies["django_language"] = "en"
    url = reverse("providers:section_document", args=[profile.pk, Condition.FINANCE])
    response = client.post(
        url, {"version": 1, "title": "t", "file": SimpleUploadedFile("big.pdf", minimal_pdf("x" * 500))}, follow=True
    )
    assert "too large" in response.content.decode()
    assert not DossierDocument.objects.exists()


def test_good_upload_and_stale_form(world):
    profile = open_profile(world.provider_a_org)
    client = signed_in(world.provider_a)
    url = reverse("providers:section_document", args=[profile.pk, Condition.FINANCE])
    client.post(url, {"version": 1, "title": "t", "file": SimpleUploadedFile("a.pdf", minimal_pdf())})
    assert DossierDocument.objects.count() == 1
    client.cookies["django_language"] = "en"
    response = client.post(
        url, {"version": 1, "title": "t2", "file": SimpleUploadedFile("b.pdf", minimal_pdf("b"))}, follow=True
    )
    assert "changed by someone else" in response.content.decode()
    assert DossierDocument.objects.count() == 1


def test_provider_sees_what_is_missing_and_rejected(world):
    profile = open_profile(world.provider_a_org)
    s = fill_section(profile, Condition.GOVERNANCE, world.provider_a)
    dossiers.decide_section(
        actor=world.civil_affairs, section=s, version=s.version, decision="rejected", reason="缺章程"
    )
    client = signed_in(world.provider_a)
    body = client.get(reverse("providers:detail", args=[profile.pk])).content.decode()
    assert "缺章程" in body
    from govbuy.providers import home

    section = home.dossier_section(_request(world.provider_a))
    labels = [item["url"] for item in section["items"]]
    assert reverse("providers:section", args=[profile.pk, Condition.GOVERNANCE]) in labels


def test_authority_home_lists_dossiers_awaiting(world):
    from govbuy.providers import home

    profile = open_profile(world.provider_a_org)
    fill_section(profile, Condition.GOVERNANCE, world.provider_a)
    section = home.verification_section(_request(world.civil_affairs))
    assert [item["url"] for item in section["items"]] == [reverse("providers:detail", args=[profile.pk])]
    assert home.verification_section(_request(world.market_regulation))["items"] == []


def test_staff_list_query_count_does_not_grow(world, django_assert_num_queries):
    from govbuy.organizations.models import Organisation

    open_profile(world.provider_a_org)
    client = signed_in(world.civil_affairs)
    client.get(reverse("providers:list"))
    with django_assert_num_queries(5):
        client.get(reverse("providers:list"))
    for i in range(6):
        org = Organisation.objects.create(
            name_zh=f"中心{i}",
            kind="social_service_organisation",
            region=world.district_a,
            uscc=make_code("52", "110101", f"MJ2{i:05d}"),
        )
        open_profile(org, serial=200 + i)
    with django_assert_num_queries(5):
        response = client.get(reverse("providers:list"))
    assert response.content.decode().count('href="/providers/') >= 7


def test_authority_report_is_an_xlsx_of_its_providers(world):
    import io

    from openpyxl import load_workbook

    verified_profile(world)
    open_profile(world.provider_b_org, serial=2)
    response = signed_in(world.civil_affairs).get(reverse("providers:report"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    names = {row[0] for row in rows[1:]}
    assert names == {world.provider_a_org.name_zh, world.provider_b_org.name_zh}
    # Market regulation verifies enterprises only: none here.
    response = signed_in(world.market_regulation).get(reverse("providers:report"))
    assert len(list(load_workbook(io.BytesIO(response.content)).active.iter_rows())) == 1
    assert signed_in(world.provider_a).get(reverse("providers:report")).status_code == 404


def test_report_neutralises_formula_leaders():
    from govbuy.core.spreadsheets import neutralise

    assert neutralise("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert neutralise("正常") == "正常"
    assert neutralise(3) == 3


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_navigation_entries_by_role(world, persona):
    from govbuy.core.navigation import navigation_for

    open_profile(world.provider_a_org)
    urls = {item["url"] for item in navigation_for(_request(world.users[persona]))}
    assert reverse("providers:directory") in urls
    assert (reverse("providers:mine") in urls) == (persona in {"provider_a", "provider_b"})
    sees_registry = persona in {
        "civil_affairs",
        "market_regulation",
        "city_finance",
        "district_finance_a",
        "supervisor",
        "auditor",
        "platform_admin",
    }
    assert (reverse("providers:list") in urls) == sees_registry


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_home_sections_by_role(world, persona):
    from govbuy.providers import home

    profile = open_profile(world.provider_a_org)
    fill_section(profile, Condition.GOVERNANCE, world.provider_a)
    request = _request(world.users[persona])
    verification = home.verification_section(request)
    dossier = home.dossier_section(request)
    assert (verification is not None and bool(verification["items"])) == (persona == "civil_affairs")
    assert (dossier is not None and bool(dossier["items"])) == (persona == "provider_a")


def test_provider_without_profile_is_told_so(world):
    response = signed_in(world.provider_b).get(reverse("providers:mine"))
    assert response.status_code == 404

"""A provider registers itself, uploads evidence (a bad file is refused), submits, and the civil
affairs bureau accepts and verifies it — in a real Chromium; the public directory then lists it."""

from __future__ import annotations

import pytest

from govbuy.core.testing import PASSWORD
from govbuy.organizations.uscc import make_code
from govbuy.providers.models import Condition, DossierDocument, DossierSection, ProviderProfile
from govbuy.providers.samples import minimal_pdf, resident_id
from govbuy.providers.services import dossiers
from tests.builders.procurement import fill_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "A-long-enough-passphrase-2026"


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("main form [name='username']", username)
    page.fill("main form [name='password']", password)
    with page.expect_navigation():
        page.click("main form button[type='submit']")


def sign_out(page) -> None:
    with page.expect_navigation():
        page.click("#logout-button")


def test_provider_registers_uploads_evidence_and_gets_verified(world, live_server, page, page_problems):
    base = live_server.url
    uscc = make_code("52", "110101", "MJ0B0777")

    # 1. Self-registration, without signing in.
    page.goto(f"{base}/providers/register/")
    form = page.locator("#registration-form")
    form.locator("[name='name_zh']").fill("北京市东城区晨光社会工作服务中心")
    form.locator("[name='kind']").select_option("social_service_organisation")
    form.locator("[name='region']").select_option(str(world.district_a.pk))
    form.locator("[name='uscc']").fill(uscc)
    form.locator("[name='registration_authority']").fill("北京市东城区民政局")
    form.locator("[name='legal_representative']").fill("郑八")
    form.locator("[name='legal_representative_id']").fill(resident_id(888))
    form.locator("[name='registered_address']").fill("北京市东城区晨光路8号")
    form.locator("[name='registration_date']").fill("2019-06-01")
    form.locator("[name='contact_name']").fill("郑八")
    form.locator("[name='contact_phone']").fill("010-88888888")
    form.locator("[name='username']").fill("chenguang")
    form.locator("[name='password']").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.click("#register-submit")
    assert "/accounts/login/" in page.url
    profile = ProviderProfile.objects.get(organisation__uscc=uscc)
    assert profile.state == "registered"

    # 2. The new administrator signs in and fills the financial section through the pages.
    sign_in(page, base, "chenguang", NEW_PASSWORD)
    page.goto(f"{base}/providers/mine/")
    assert page.locator("#provider-state").inner_text().strip()
    with page.expect_navigation():
        page.click(f"#section-{Condition.FINANCE} a")
    page.fill("#statement-form [name='statement']", "本单位财务会计和资产管理制度健全。")
    with page.expect_navigation():
        page.click("#statement-form button[type='submit']")

    # A renamed executable is refused with a message and stores nothing.
    page.fill("#document-form [name='title']", "财务报表")
    page.set_input_files(
        "#document-form [name='file']",
        files=[{"name": "报表.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + b"\0" * 300}],
    )
    with page.expect_navigation():
        page.click("#upload-document")
    assert page.locator(".messages .error").count() == 1
    assert DossierDocument.objects.count() == 0

    # The real statement is accepted and its hash shown.
    pdf = minimal_pdf("financial statements 2025")
    page.fill("#document-form [name='title']", "2025 年度财务报表")
    page.set_input_files(
        "#document-form [name='file']", files=[{"name": "报表.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    with page.expect_navigation():
        page.click("#upload-document")
    document = DossierDocument.objects.get()
    assert page.locator("#documents code.hash").inner_text().strip() == document.sha256
    with page.expect_navigation():
        page.click("#submit-section")
    assert DossierSection.objects.get(profile=profile, condition=Condition.FINANCE).status == "submitted"

    # The other sections are filled the same way (through the services, to keep the test short).
    user = profile.organisation.memberships.get().user
    for condition in Condition.values:
        if condition != Condition.FINANCE:
            fill_section(profile, condition, user)
    sign_out(page)

    # 3. The civil affairs bureau sees the dossier on its home page, accepts and verifies.
    sign_in(page, base, world.civil_affairs.get_username(), PASSWORD)
    assert "晨光" in page.locator("#main").inner_text()
    page.goto(f"{base}/providers/{profile.pk}/sections/{Condition.FINANCE}/")
    page.check("#decision-form input[value='accepted']")
    with page.expect_navigation():
        page.click("#decide-section")
    assert DossierSection.objects.get(profile=profile, condition=Condition.FINANCE).status == "accepted"
    for section in DossierSection.objects.filter(profile=profile, status="submitted"):
        dossiers.decide_section(
            actor=world.civil_affairs, section=section, version=section.version, decision="accepted"
        )
    page.goto(f"{base}/providers/{profile.pk}/")
    with page.expect_navigation():
        page.click("#verify-provider")
    profile.refresh_from_db()
    assert profile.state == "verified"
    sign_out(page)

    # 4. The public directory lists it, without signing in.
    page.goto(f"{base}/providers/directory/")
    assert uscc in page.locator("#provider-directory").inner_text()
    page_problems.assert_clean()

from __future__ import annotations

import datetime as dt

import pytest

from govbuy.providers.models import Condition, DossierSection
from govbuy.providers.samples import minimal_pdf, resident_id
from govbuy.providers.services import dossiers, registration, standing


def open_profile(org, *, serial=1, identity=None):
    return registration.open_profile(
        actor=None,
        organisation=org,
        registration_authority="北京市民政局",
        legal_representative="张三",
        legal_representative_id=identity or resident_id(serial),
        registered_address="北京市东城区某街1号",
        registration_date=dt.date(2015, 3, 1),
        contact_name="李四",
        contact_phone="010-12345678",
        contact_email="contact@example.org",
    )


def section(profile, condition):
    return DossierSection.objects.get(profile=profile, condition=condition)


def fill_section(profile, condition, user, *, valid_until=None, submit=True):
    s = section(profile, condition)
    s = dossiers.update_statement(actor=user, section=s, version=s.version, statement=f"说明：{condition}")
    dossiers.add_document(
        actor=user,
        section=s,
        version=s.version,
        title=f"证明 {condition}",
        file_name=f"{condition}.pdf",
        data=minimal_pdf(condition),
        valid_until=valid_until,
    )
    s.refresh_from_db()
    if condition == Condition.CAPACITY:
        dossiers.add_staff(
            actor=user, section=s, version=s.version, name="王五", position="社工", qualification="社会工作师"
        )
        s.refresh_from_db()
    if condition == Condition.NO_MAJOR_VIOLATION:
        s = dossiers.sign_declaration(actor=user, section=s, version=s.version)
    if submit:
        s = dossiers.submit_section(actor=user, section=s, version=s.version)
    return s


def verified_profile(world, org_key="provider_a_org", user_key="provider_a", serial=1):
    profile = open_profile(world.orgs[org_key], serial=serial)
    for condition in Condition.values:
        s = fill_section(profile, condition, world.users[user_key])
        dossiers.decide_section(actor=world.civil_affairs, section=s, version=s.version, decision="accepted")
    profile.refresh_from_db()
    return standing.verify_provider(actor=world.civil_affairs, profile=profile, version=profile.version)


@pytest.fixture
def profile_a(world):
    return open_profile(world.provider_a_org, serial=1)


@pytest.fixture
def profile_b(world):
    return open_profile(world.provider_b_org, serial=2)


def published_item(world, code="01"):
    from govbuy.catalog.models import CatalogItem, CatalogVersion

    version = CatalogVersion.objects.filter(region=world.city, status="published").first()
    if version is None:
        version = CatalogVersion.objects.create(
            region=world.city, number=1, title_zh="指导性目录", status="published", effective_from=dt.date(2026, 1, 1)
        )
    parent = CatalogItem.objects.filter(version=version, level=1).first() or CatalogItem.objects.create(
        version=version, code="A", level=1, name_zh="基本公共服务", name_en="Basic public services"
    )
    return CatalogItem.objects.create(version=version, code=code, level=2, parent=parent, name_zh=f"养老服务{code}")

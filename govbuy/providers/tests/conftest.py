"""Fixtures for the provider registry: two opened profiles and a published catalog item. Opening,
filling and verifying a profile are tests/builders/'s (every app's tests verify providers)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders.procurement import open_profile


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

"""The public project page shows the published performance evaluations of its contracts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govbuy.portal import selectors as portal_selectors
from tests.builders.performance import published_rounds

pytestmark = pytest.mark.django_db


def test_the_grade_shows_on_the_public_project_page(client, world, template, contract, monkeypatch):
    # The project's own publication (plan or tender notice) is portal's to test; here it is public.
    monkeypatch.setattr(portal_selectors, "public_project", lambda pk: contract.project)
    monkeypatch.setattr(portal_selectors, "project_history", lambda _p: {"events": [], "has_record": False})
    published_rounds(world, contract, template, grade="excellent")
    page = client.get(reverse("portal:project", args=[contract.project_id])).content.decode()
    assert 'id="project-evaluations"' in page
    assert "优" in page

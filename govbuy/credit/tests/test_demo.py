"""The demo has good, mixed and poor records, an objection decided each way, an active and an
expired ban, and the three lists imported; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from govbuy.credit import demo, selectors
from govbuy.credit.models import AuthorityReport, Ban, ExternalList, Objection
from govbuy.organizations.models import Organisation
from govbuy.providers import selectors as provider_selectors

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_credit_situation():
    call_command("seed_demo")
    orgs = {o.name_zh: o for o in Organisation.objects.filter(name_zh__in=[demo.GOOD, demo.MIXED, demo.POOR])}
    scores = {name: selectors.score_of(org.pk).score for name, org in orgs.items()}
    assert scores[demo.GOOD] > scores[demo.MIXED] > scores[demo.POOR]
    assert set(Objection.objects.values_list("status", flat=True)) == {"upheld", "rejected"}
    poor = orgs[demo.POOR]
    assert provider_selectors.participation(poor.pk, gate=provider_selectors.Gate.BID).code == "banned"
    expired = Ban.objects.get(decision_number="京财采处〔2023〕6号")
    assert provider_selectors.participation(expired.provider_id, gate=provider_selectors.Gate.BID).allowed
    assert ExternalList.objects.count() == 3
    assert selectors.public_bans({"state": "expired"}).count() == 1
    assert AuthorityReport.objects.filter(recipient__kind="civil_affairs").exists()
    assert demo.load(password="x" * 16) == 0

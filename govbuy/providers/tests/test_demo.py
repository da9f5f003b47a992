"""The demo has providers in every state, with valid tiny documents; loading twice adds nothing."""

from __future__ import annotations

import pytest

from govbuy.core.storage import check_stored
from govbuy.providers import demo, selectors
from govbuy.providers.models import DossierDocument, ProviderProfile, RelatedParty

pytestmark = pytest.mark.django_db


def test_demo_providers_cover_every_state():
    from django.core.management import call_command

    # Through the command: the demo app sits above this one, so its module is not imported here.
    call_command("seed_demo")
    profiles = {p.organisation.name_zh: p for p in ProviderProfile.objects.select_related("organisation")}
    assert len(profiles) == 10
    states = {p.state for p in profiles.values()}
    assert states == {"verified", "registered"}
    assert sum(p.state == "verified" for p in profiles.values()) == 6

    def views(name):
        return {v.condition: v.state for v in selectors.dossier(profiles[name])}

    assert "submitted" in views("北京市志愿服务联合会").values()
    assert views("北京安心家政服务部")["tax_social_insurance"] == "expired"
    assert views("北京市群众艺术馆服务中心")["governance"] == "rejected"
    assert set(views("北京市东城区阳光居家养老服务中心").values()) == {"accepted"}
    assert RelatedParty.objects.filter(basis="same_legal_representative").count() == 1
    for document in DossierDocument.objects.all():
        assert check_stored(document.path, document.sha256) is None
    assert demo.load() == 0

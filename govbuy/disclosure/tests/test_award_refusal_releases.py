"""A winner's refusal to sign (Reg. Art. 49) publishes an awardUpdate release with the superseded
award cancelled; the next-ranked award gets its own award release. Both validate against OCDS."""

from __future__ import annotations

import pytest

from govbuy.disclosure import jsonutil, schema
from govbuy.disclosure.models import Release
from govbuy.procurement.models import Ranking
from govbuy.procurement.services import awards, evaluation, refusals
from govbuy.providers.samples import minimal_pdf
from tests.builders.procurement import awarded_tender

pytestmark = pytest.mark.django_db


def test_the_refusal_and_the_new_award_are_valid_releases(world, published, providers):
    won = awarded_tender(world, published)
    refusals.record_refusal(
        actor=world.purchaser_a,
        tender=won.tender,
        award=won.award,
        ground="refused",
        reason="书面放弃签约。",
        evidence=("函.pdf", minimal_pdf("放弃")),
    )
    refusals.confirm_refusal(actor=world.purchaser_a_approver, tender=won.tender, award=won.award)
    update = jsonutil.loads(Release.objects.get(object_id=won.tender.pk, stage="awardUpdate").document)
    assert schema.errors("release", update) == []
    assert update["tag"] == ["awardUpdate"]
    [cancelled] = update["awards"]
    assert cancelled["status"] == "cancelled"
    assert "第四十九条" in cancelled["description"]
    second = Ranking.objects.filter(evaluation__tender=won.tender).order_by("rank")[1].bid
    evaluation.record_credit_check(
        actor=world.purchaser_a,
        tender=won.tender,
        bid=second,
        dishonest_debtors="clear",
        tax_violations="clear",
        procurement_violations="clear",
        reference="信用中国 2027-003",
    )
    awards.propose_award(actor=world.purchaser_a, tender=won.tender, bid=second)
    latest = Release.objects.filter(object_id=won.tender.pk, stage="award").order_by("-pk").first()
    release = jsonutil.loads(latest.document)
    assert schema.errors("release", release) == []
    assert [a["status"] for a in release["awards"]] == ["cancelled", "active"]
    assert release["awards"][1]["suppliers"][0]["name"] == second.provider.name_zh

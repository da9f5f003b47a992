"""A tender's clarifications in OCDS: each answer publishes a tenderUpdate release that validates,
with the answered questions as `tender.enquiries` (enquiry extension, declared in every package)
without an author, the purchaser's notices and moved deadlines as `tender.amendments`, and the
new deadline in `tenderPeriod`. The asker never appears."""

from __future__ import annotations

import datetime as dt

import pytest

from govbuy.disclosure import jsonutil, ocds, schema
from govbuy.disclosure.models import Release
from govbuy.procurement.services import clarifications
from govbuy.procurement.services.bids import db_now
from tests.builders.procurement import move_deadline

pytestmark = pytest.mark.django_db


def _updates(tender):
    rows = Release.objects.filter(object_type="procurement.tender", object_id=tender.pk, stage="tenderUpdate")
    return [jsonutil.loads(row.document) for row in rows.order_by("seq")]


def test_answers_publish_valid_tender_updates_without_the_asker(world, published, providers):
    question = clarifications.ask_question(
        actor=world.provider_a, tender=published, provider=world.provider_a_org, question="服务人数如何计算？"
    )
    assert _updates(published) == []  # a question alone publishes nothing
    clarifications.answer_question(actor=world.purchaser_a, clarification=question, answer="按实际服务人次计算。")
    move_deadline(published, db_now() + dt.timedelta(days=10))
    new_deadline = (db_now() + dt.timedelta(days=18)).replace(microsecond=0)
    clarifications.publish_notice(
        actor=world.purchaser_a,
        tender=published,
        text="服务期限改为两年。",
        affects_bids=True,
        new_deadline=new_deadline,
    )
    first, second = _updates(published)
    for release in (first, second):
        assert schema.errors("release", release) == []
        text = jsonutil.dumps(release)
        for secret in (world.provider_a_org.name_zh, world.provider_a_org.uscc, world.provider_a.display_name):
            assert secret not in text
        assert all("author" not in enquiry for enquiry in release["tender"]["enquiries"])
        assert release["tender"]["hasEnquiries"] is True
    [enquiry] = first["tender"]["enquiries"]
    assert enquiry["description"] == "服务人数如何计算？"
    assert enquiry["answer"] == "按实际服务人次计算。"
    assert enquiry["id"] == str(question.pk)
    assert "amendments" not in first["tender"]
    [amendment] = second["tender"]["amendments"]
    assert amendment["rationale"] == "服务期限改为两年。"
    assert ocds.format_date(new_deadline) in amendment["description"]
    assert second["tender"]["tenderPeriod"]["endDate"] == ocds.format_date(new_deadline)
    assert ocds.ENQUIRY_EXTENSION in ocds.extensions()

"""The winner's refusal to sign after the award (Reg. Art. 49): recorded with facts and evidence,
confirmed by a second user, reported as a credit fact; the award is superseded (kept on record,
never drawn into a contract) and the lot passes to the next-ranked qualified bid under a new
award that names the refused one, with its own result notice and OCDS award."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from govbuy.accounts.testing import force_login_verified
from govbuy.audit.describe import describe
from govbuy.audit.models import AuditEvent
from govbuy.core import facts
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.procurement.models import Award, AwardStatus, Ranking, TenderStatus
from govbuy.procurement.ocds import award_release_parts
from govbuy.procurement.services import awards, evaluation, refusals
from govbuy.providers.samples import minimal_pdf
from tests.builders.procurement import awarded_tender

pytestmark = pytest.mark.django_db

EVIDENCE = ("拒签函.pdf", minimal_pdf("拒绝签订合同"))


@pytest.fixture
def reported():
    seen: list[facts.ProviderFact] = []
    facts.register(seen.append, order=1000)
    yield seen
    facts.unregister(seen.append)


@pytest.fixture
def won(world, published, providers):
    return awarded_tender(world, published)


def _record(world, won, actor=None, **overrides):
    values = {"ground": "refused", "reason": "中标供应商书面表示放弃签约。", "evidence": EVIDENCE, **overrides}
    return refusals.record_refusal(actor=actor or world.purchaser_a, tender=won.tender, award=won.award, **values)


def _second(tender):
    rows = Ranking.objects.filter(evaluation__tender=tender).select_related("bid").order_by("rank")
    return list(rows)[1].bid


def _clear(world, tender, bid):
    evaluation.record_credit_check(
        actor=world.purchaser_a,
        tender=tender,
        bid=bid,
        dishonest_debtors="clear",
        tax_violations="clear",
        procurement_violations="clear",
        reference="信用中国 2027-002",
    )


def test_a_refusal_needs_its_ground_facts_and_evidence(world, won):
    with pytest.raises(ValidationFailed) as refused:
        _record(world, won, ground="", reason=" ", evidence=None)
    assert set(refused.value.fields) == {"ground", "reason", "evidence"}
    with pytest.raises(ValidationFailed):
        _record(world, won, evidence=("拒签.exe", b"MZ\x90\x00"))
    with pytest.raises(NotFound):
        _record(world, won, actor=world.purchaser_b)
    assert Award.objects.get().status == AwardStatus.ACTIVE


def test_a_second_user_confirms_the_refusal_and_it_becomes_a_credit_fact(world, won, reported, announced):
    recorded = _record(world, won)
    assert recorded.status == AwardStatus.REFUSAL_RECORDED
    assert recorded.refusal_evidence_sha256
    with pytest.raises(Conflict):
        _record(world, won)
    with pytest.raises(PermissionRefused, match="four eyes"):
        refusals.confirm_refusal(actor=world.purchaser_a, tender=won.tender, award=won.award)
    assert reported == []
    done = refusals.confirm_refusal(actor=world.purchaser_a_approver, tender=won.tender, award=won.award)
    assert done.status == AwardStatus.REFUSED
    assert done.refusal_confirmed_by == world.purchaser_a_approver
    (fact,) = reported
    assert fact.kind == "procurement.refused_to_sign"
    assert fact.provider_id == won.award.provider_id
    assert (fact.source_type, fact.source_id) == ("procurement.award", won.award.pk)
    assert "拒绝签订合同" in fact.summary
    assert "awardUpdate" in [a.stage for a in announced]
    with pytest.raises(Conflict):
        refusals.confirm_refusal(actor=world.purchaser_a_approver, tender=won.tender, award=won.award)
    for action in ("procurement.award.refusal_recorded", "procurement.award.refusal_confirmed"):
        event = AuditEvent.objects.get(action=action)
        assert won.award.provider.name_zh in describe(event)
    won.tender.refresh_from_db()
    assert won.tender.status == TenderStatus.AWARDED


def test_the_lot_passes_to_the_next_ranked_bid_under_a_new_award(world, won, announced):
    second = _second(won.tender)
    with pytest.raises(TransitionRefused, match="once"):
        awards.propose_award(actor=world.purchaser_a, tender=won.tender, bid=second)
    _record(world, won)
    with pytest.raises(TransitionRefused, match="once"):
        awards.propose_award(actor=world.purchaser_a, tender=won.tender, bid=second)
    refusals.confirm_refusal(actor=world.purchaser_a_approver, tender=won.tender, award=won.award)
    _clear(world, won.tender, second)
    with pytest.raises(ValidationFailed, match="refused to sign"):
        awards.propose_award(actor=world.purchaser_a, tender=won.tender, bid=won.award.bid, reason="x")
    # The refusing bid no longer counts as top-ranked: the next-ranked one wins without a reason.
    new = awards.propose_award(actor=world.purchaser_a, tender=won.tender, bid=second)
    assert new.status == AwardStatus.ACTIVE
    assert new.replaces_id == won.award.pk
    assert new.provider_id == second.provider_id
    assert Award.objects.filter(lot=won.award.lot).count() == 2
    # A new result notice: the award release has the refused award cancelled and the new one active.
    releases = award_release_parts(won.tender)["awards"]
    assert [(a["status"], a["suppliers"][0]["name"]) for a in releases] == [
        ("cancelled", won.award.provider.name_zh),
        ("active", second.provider.name_zh),
    ]
    assert releases[0]["id"] != releases[1]["id"]
    assert [a.stage for a in announced].count("award") == 1
    public = Client().get(reverse("tenders:tender", args=[won.tender.pk])).content.decode()
    assert second.provider.name_zh in public
    assert 'id="award-refusals"' in public


def test_the_database_keeps_one_live_award_per_lot(world, won):
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(
            tender=won.tender,
            lot=won.award.lot,
            bid=_second(won.tender),
            provider=won.award.provider,
            amount=won.award.amount,
            proposed_by=world.purchaser_a,
            proposed_at=won.award.proposed_at,
        )


def test_the_lot_is_awarded_again_within_five_working_days_of_the_confirmation(world, won):
    _record(world, won)
    refusals.confirm_refusal(actor=world.purchaser_a_approver, tender=won.tender, award=won.award)
    second = _second(won.tender)
    _clear(world, won.tender, second)
    Award.objects.filter(pk=won.award.pk).update(refusal_confirmed_at=dt.datetime(2026, 1, 5, 2, tzinfo=dt.UTC))
    with pytest.raises(TransitionRefused, match="time limit"):
        awards.propose_award(actor=world.purchaser_a, tender=won.tender, bid=second)
    assert not Award.objects.filter(replaces=won.award).exists()


def test_the_purchaser_records_and_confirms_through_the_page_and_the_api(world, won):
    page = force_login_verified(Client(), world.purchaser_a)
    url = reverse("procurement:awards", args=[won.tender.pk])
    assert b'class="refusal-record"' in page.get(url).content
    upload = {"ground": "lapsed", "reason": "期限内未签订合同。", "evidence": _file()}
    response = page.post(reverse("procurement:award_refusal_record", args=[won.tender.pk, won.award.pk]), upload)
    assert response.status_code == 302
    assert Award.objects.get().status == AwardStatus.REFUSAL_RECORDED
    api = force_login_verified(Client(), world.purchaser_a_approver)
    outsider = force_login_verified(Client(), world.purchaser_b)
    confirm = reverse("api:procurement-award-refusal-confirm", args=[won.tender.pk, won.award.pk])
    assert outsider.post(confirm).status_code == 404
    ok = api.post(confirm)
    assert ok.status_code == 200
    assert ok.json()[0]["status"] == "refused"
    assert ok.json()[0]["refusal_ground"] == "lapsed"
    assert b'id="award-again"' in page.get(url).content


def test_the_api_records_a_refusal_with_inline_evidence(world, won):
    import base64

    api = force_login_verified(Client(), world.purchaser_a)
    url = reverse("api:procurement-award-refusal", args=[won.tender.pk, won.award.pk])
    body = {
        "ground": "refused",
        "reason": "书面放弃。",
        "evidence": {"name": "函.pdf", "content_base64": base64.b64encode(EVIDENCE[1]).decode()},
    }
    created = api.post(url, body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()[0]["status"] == "refusal_recorded"
    again = api.post(url, body, content_type="application/json")
    assert again.status_code == 409


def _file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("拒签.pdf", EVIDENCE[1], content_type="application/pdf")


def test_a_refusal_recorded_by_mistake_is_withdrawn_with_a_reason_before_its_confirmation(world, won):
    _record(world, won)
    with pytest.raises(ValidationFailed) as missing:
        refusals.withdraw_refusal(actor=world.purchaser_a_approver, tender=won.tender, award=won.award, reason=" ")
    assert set(missing.value.fields) == {"reason"}
    with pytest.raises(NotFound):
        refusals.withdraw_refusal(actor=world.purchaser_b, tender=won.tender, award=won.award, reason="误录。")
    # Another purchaser user than the recorder may withdraw it.
    back = refusals.withdraw_refusal(
        actor=world.purchaser_a_approver, tender=won.tender, award=won.award, reason="录错了中标包。"
    )
    assert back.status == AwardStatus.ACTIVE
    assert (back.refusal_ground, back.refusal_evidence_sha256, back.refusal_recorded_by) == ("", "", None)
    event = AuditEvent.objects.get(action="procurement.award.refusal_withdrawn")
    assert event.data["reason"] == "录错了中标包。"
    assert event.data["evidence"]
    with translation.override("zh-hans"):
        sentence = describe(event)
    assert "录错了中标包。" in sentence
    assert won.award.provider.name_zh in sentence
    assert "withdrew" not in sentence
    with pytest.raises(Conflict):
        refusals.withdraw_refusal(actor=world.purchaser_a, tender=won.tender, award=won.award, reason="再撤一次。")
    # Recorded again (by the recorder) and confirmed: a confirmed refusal is never withdrawn.
    _record(world, won)
    refusals.confirm_refusal(actor=world.purchaser_a_approver, tender=won.tender, award=won.award)
    with pytest.raises(Conflict):
        refusals.withdraw_refusal(actor=world.purchaser_a, tender=won.tender, award=won.award, reason="误录。")
    assert Award.objects.get(pk=won.award.pk).status == AwardStatus.REFUSED


def test_the_withdrawal_through_the_page_and_the_api(world, won):
    _record(world, won)
    page = force_login_verified(Client(), world.purchaser_a)
    url = reverse("procurement:awards", args=[won.tender.pk])
    html = page.get(url).content.decode()
    assert 'class="refusal-withdraw"' in html
    withdraw = reverse("procurement:award_refusal_withdraw", args=[won.tender.pk, won.award.pk])
    assert f'action="{withdraw}"' in html
    assert page.post(withdraw, {"reason": "误录。"}).status_code == 302
    assert Award.objects.get().status == AwardStatus.ACTIVE
    _record(world, won)
    endpoint = reverse("api:procurement-award-refusal-withdraw", args=[won.tender.pk, won.award.pk])
    outsider = force_login_verified(Client(), world.purchaser_b)
    assert outsider.post(endpoint, {"reason": "x"}, content_type="application/json").status_code == 404
    api = force_login_verified(Client(), world.purchaser_a_approver)
    assert api.post(endpoint, {}, content_type="application/json").status_code == 400
    ok = api.post(endpoint, {"reason": "供应商已签约。"}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()[0]["status"] == "active"
    again = api.post(endpoint, {"reason": "供应商已签约。"}, content_type="application/json")
    assert again.status_code == 409


def _persona_of(world, provider_id):
    return world.provider_a if provider_id == world.orgs["provider_a_org"].pk else world.provider_b


def test_the_evidence_is_downloaded_by_the_purchaser_the_provider_concerned_and_oversight(world, won):
    _record(world, won)
    winner = _persona_of(world, won.award.provider_id)
    other = world.provider_b if winner == world.provider_a else world.provider_a
    page_url = reverse("procurement:award_refusal_evidence", args=[won.tender.pk, won.award.pk])
    api_url = reverse("api:procurement-award-refusal-evidence", args=[won.tender.pk, won.award.pk])
    for reader in (world.purchaser_a, winner, world.city_finance, world.auditor):
        client = force_login_verified(Client(), reader)
        for url in (page_url, api_url):
            response = client.get(url)
            assert response.status_code == 200, (reader, url)
            assert b"".join(response.streaming_content) == EVIDENCE[1]
    for reader in (world.purchaser_b, other, world.outsider, world.district_finance_b):
        client = force_login_verified(Client(), reader)
        assert client.get(page_url).status_code == 404, reader
        assert client.get(api_url).status_code == 404, reader
    # Oversight reads are audited like bid documents; the purchaser's and the provider's are not.
    reads = AuditEvent.objects.filter(action="procurement.oversight.read")
    assert sorted((e.actor_id, e.data["subject"]) for e in reads) == sorted(
        [(world.city_finance.pk, "refusal_evidence")] * 2 + [(world.auditor.pk, "refusal_evidence")] * 2
    )
    assert all(e.data["object_id"] == str(won.award.pk) for e in reads)
    html = force_login_verified(Client(), world.purchaser_a).get(reverse("procurement:awards", args=[won.tender.pk]))
    assert f'href="{page_url}"'.encode() in html.content


def test_no_evidence_no_download(world, won):
    page = force_login_verified(Client(), world.purchaser_a)
    url = reverse("procurement:award_refusal_evidence", args=[won.tender.pk, won.award.pk])
    assert page.get(url).status_code == 404


def test_the_signing_gate_fails_closed_when_nobody_can_tell_whether_the_winner_signed(world, won, monkeypatch):
    from govbuy.core import signing_gate

    monkeypatch.setattr(signing_gate, "_checkers", [])
    with pytest.raises(TransitionRefused, match="cannot be checked"):
        _record(world, won)
    monkeypatch.setattr(signing_gate, "_checkers", [lambda award_id: False, lambda award_id: award_id == won.award.pk])
    with pytest.raises(TransitionRefused, match="has signed the contract"):
        _record(world, won)
    assert Award.objects.get().status == AwardStatus.ACTIVE
    monkeypatch.setattr(signing_gate, "_checkers", [lambda award_id: False])
    assert _record(world, won).status == AwardStatus.REFUSAL_RECORDED

"""A violation by a provider becomes a credit fact (issue 15, item 2): the body concluding a case
names a bidder, winner or contractor of the process; the fact is referred to the finance bureau
of the provider's region, unconfirmed until a second person of that bureau confirms it."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from govbuy.accounts.testing import force_login_verified
from govbuy.audit.describe import describe, registered_codes
from govbuy.audit.models import AuditEvent
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.credit import selectors as credit_selectors
from govbuy.credit.models import CreditFact
from govbuy.credit.services import records
from govbuy.organizations.models import Membership
from govbuy.oversight.models import CaseStatus, MonitoringCase
from govbuy.oversight.services import monitoring
from govbuy.procurement.services import bids
from govbuy.providers.samples import minimal_pdf
from tests.builders.procurement import open_tender, published_tender, verified_providers

pytestmark = pytest.mark.django_db

KIND = "credit.false_materials"
BASIS = "《政府采购法》第七十七条第一款第（一）项"


@pytest.fixture
def opened(world, approved):
    """Provider A alone bids and the bids are opened; provider B is verified but did not bid."""
    verified_providers(world)
    tender = published_tender(world, approved)
    bids.submit_bid(actor=world.provider_a, tender=tender, provider=world.provider_a_org, price="100000.00")
    return open_tender(world, tender)


@pytest.fixture
def case(world, opened):
    return monitoring.open_case(actor=world.auditor, tender=opened, reason="plan", reason_details="抽查投标材料")


@pytest.fixture
def second_district_finance(world):
    user = get_user_model().objects.create_user(username="dfa2", password="x" * 16, display_name="东城财政复核人")
    Membership.objects.create(user=user, organisation=world.district_finance_a_org, role="staff")
    return user


def _conclude(world, case, actor=None, **referral):
    case.refresh_from_db()
    return monitoring.conclude_case(
        actor=actor or world.auditor,
        case=case,
        version=case.version,
        violation=True,
        conclusion="投标人提供虚假业绩证明",
        obligations="重新评审",
        remedy_days=10,
        **referral,
    )


def _referral(world, **overrides):
    return {
        "provider": world.provider_a_org,
        "fact_kind": KIND,
        "legal_basis": BASIS,
        "documents": [("核查报告.pdf", minimal_pdf("核查报告"))],
        **overrides,
    }


def test_a_violation_naming_a_bidder_refers_an_unconfirmed_fact(world, case):
    concluded = _conclude(world, case, **_referral(world))
    assert concluded.status == CaseStatus.VIOLATION
    fact = CreditFact.objects.get()
    assert fact.provider == world.provider_a_org
    assert fact.kind == KIND
    assert fact.confirmed_at is None
    # The provider's region's own bureau records it; the auditor who referred it entered it.
    assert fact.recording_authority == world.district_finance_a_org
    assert fact.entered_by == world.auditor
    assert (fact.source_type, fact.source_id) == ("oversight.monitoringcase", case.pk)
    assert fact.summary == "投标人提供虚假业绩证明"
    assert fact.documents.count() == 1
    event = AuditEvent.objects.get(action="credit.fact.referred")
    assert event.action in registered_codes()
    assert "东城区财政局" in describe(event)
    assert "…" not in describe(event)
    # Not counted before the confirmation; waiting in the district bureau's list.
    assert credit_selectors.score_of(world.provider_a_org.pk).lines == []
    assert [f.pk for f in credit_selectors.facts_to_confirm(world.district_finance_a)] == [fact.pk]
    assert list(credit_selectors.facts_to_confirm(world.district_finance_b)) == []


def test_the_bureaus_second_person_confirms_and_the_fact_counts(world, case, second_district_finance):
    _conclude(world, case, **_referral(world))
    fact = CreditFact.objects.get()
    before = credit_selectors.score_of(world.provider_a_org.pk).score
    confirmed = records.confirm_fact(actor=second_district_finance, fact=fact)
    assert confirmed.confirmed_by == second_district_finance
    after = credit_selectors.score_of(world.provider_a_org.pk)
    assert [line.fact_id for line in after.lines] == [fact.pk]
    assert after.score < before


def test_the_referrer_cannot_confirm(world, opened, second_district_finance):
    # District A's finance bureau monitors its own district and refers to itself: four eyes hold.
    case = monitoring.open_case(actor=world.district_finance_a, tender=opened, reason="plan", reason_details="抽查")
    _conclude(world, case, actor=world.district_finance_a, **_referral(world))
    fact = CreditFact.objects.get()
    with pytest.raises(PermissionRefused, match="four eyes"):
        records.confirm_fact(actor=world.district_finance_a, fact=fact)
    assert list(credit_selectors.facts_to_confirm(world.district_finance_a)) == []
    # The auditor who refers from another body is not of the bureau at all.
    with pytest.raises(NotFound):
        records.confirm_fact(actor=world.auditor, fact=fact)
    assert records.confirm_fact(actor=second_district_finance, fact=fact).confirmed_at is not None


def test_the_bureau_withdraws_a_referred_fact_with_reasons(world, case, second_district_finance):
    _conclude(world, case, **_referral(world))
    fact = CreditFact.objects.get()
    records.correct_fact(actor=second_district_finance, fact=fact, reason="证据不足，不予记录")
    assert list(credit_selectors.facts_to_confirm(second_district_finance)) == []
    with pytest.raises(Conflict, match="withdrawn"):
        records.confirm_fact(actor=second_district_finance, fact=fact)


def test_a_provider_outside_the_process_is_refused_and_nothing_is_written(world, case):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        _conclude(world, case, **_referral(world, provider=world.provider_b_org))
    assert "provider" in exc.value.fields
    assert CreditFact.objects.count() == 0
    assert MonitoringCase.objects.get(pk=case.pk).status == CaseStatus.ACTIVE
    assert AuditEvent.objects.count() == events


def test_a_sealed_bidder_is_not_yet_of_the_process(world, approved):
    verified_providers(world)
    tender = published_tender(world, approved)
    bids.submit_bid(actor=world.provider_a, tender=tender, provider=world.provider_a_org, price="100000.00")
    case = monitoring.open_case(actor=world.auditor, tender=tender, reason="plan", reason_details="x")
    with pytest.raises(ValidationFailed):
        _conclude(world, case, **_referral(world))
    assert CreditFact.objects.count() == 0


def test_a_referral_needs_a_violation_kind_a_basis_and_evidence(world, case):
    for bad, field in (
        ({"fact_kind": "credit.commendation"}, "fact_kind"),
        ({"fact_kind": ""}, "fact_kind"),
        ({"legal_basis": " "}, "legal_basis"),
        ({"documents": []}, "documents"),
    ):
        with pytest.raises(ValidationFailed) as exc:
            _conclude(world, case, **_referral(world, **bad))
        assert field in exc.value.fields
    case.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        monitoring.conclude_case(
            actor=world.auditor,
            case=case,
            version=case.version,
            violation=False,
            conclusion="程序合规",
            **_referral(world),
        )
    assert "provider" in exc.value.fields
    assert CreditFact.objects.count() == 0
    assert MonitoringCase.objects.get(pk=case.pk).status == CaseStatus.ACTIVE


def test_no_provider_named_no_fact(world, case):
    assert _conclude(world, case).status == CaseStatus.VIOLATION
    assert CreditFact.objects.count() == 0


def test_the_case_page_offers_the_providers_and_shows_the_referral(world, case, second_district_finance):
    client = force_login_verified(Client(), world.auditor)
    page = client.get(reverse("oversight:case", args=[case.pk])).content.decode()
    assert f'<option value="{world.provider_a_org.pk}">' in page
    assert f'<option value="{world.provider_b_org.pk}">' not in page
    case.refresh_from_db()
    response = client.post(
        reverse("oversight:case_conclude", args=[case.pk]),
        {
            "version": case.version,
            "outcome": "violation",
            "conclusion": "投标人提供虚假业绩证明",
            "obligations": "重新评审",
            "remedy_days": 10,
            "provider": world.provider_a_org.pk,
            "fact_kind": KIND,
            "legal_basis": BASIS,
            "evidence": [_upload()],
        },
    )
    assert response.status_code == 302
    fact = CreditFact.objects.get()
    page = client.get(reverse("oversight:case", args=[case.pk])).content.decode()
    assert f'id="referral-{fact.pk}"' in page
    assert "待东城区财政局确认" in page
    records.confirm_fact(actor=second_district_finance, fact=fact)
    page = client.get(reverse("oversight:case", args=[case.pk])).content.decode()
    assert "财政部门已于" in page
    workspace = force_login_verified(Client(), second_district_finance).get(reverse("credit:workspace"))
    assert workspace.status_code == 200


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("核查报告.pdf", minimal_pdf("核查报告"), content_type="application/pdf")


def test_the_api_refers_and_refuses_like_the_service(world, case):
    client = force_login_verified(Client(), world.auditor)
    url = reverse("api:oversight-case-conclude", args=[case.pk])
    payload = {
        "version": case.version,
        "violation": True,
        "conclusion": "投标人提供虚假业绩证明",
        "obligations": "重新评审",
        "remedy_days": 10,
        "provider": world.provider_b_org.pk,
        "fact_kind": KIND,
        "legal_basis": BASIS,
        "documents": [{"file_name": "核查报告.pdf", "content_base64": base64.b64encode(minimal_pdf()).decode()}],
    }
    refused = client.post(url, payload, content_type="application/json")
    assert refused.status_code == 400
    assert CreditFact.objects.count() == 0
    answered = client.post(url, {**payload, "provider": world.provider_a_org.pk}, content_type="application/json")
    assert answered.status_code == 200
    [referral] = answered.json()["referrals"]
    assert referral["provider_id"] == world.provider_a_org.pk
    assert referral["status"] == "awaiting_confirmation"
    assert referral["recording_authority"] == "东城区财政局"


def test_the_api_concludes_without_a_referral(world, case):
    client = force_login_verified(Client(), world.auditor)
    answered = client.post(
        reverse("api:oversight-case-conclude", args=[case.pk]),
        {"version": case.version, "violation": True, "conclusion": "违规", "obligations": "整改", "remedy_days": 10},
        content_type="application/json",
    )
    assert answered.status_code == 200
    assert answered.json()["referrals"] == []
    assert CreditFact.objects.count() == 0

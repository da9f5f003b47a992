"""The oversight demo (issue 15): monitoring cases in every state, made through the services; risk
flags where the demo's data raise them (a tender that failed with a single valid bid, winners with
negative credit facts, the purchaser's many commissions of one catalog item) and none on the clean
processes; loading again changes nothing."""

import pytest
from django.core.management import call_command

from govbuy.credit import selectors as credit
from govbuy.oversight import demo
from govbuy.oversight.models import CaseQuestion, CaseStatus, Flag, MonitoringCase
from govbuy.procurement.models import Award, Tender, TenderStatus


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def _codes(tender):
    return set(Flag.objects.filter(tender=tender).values_list("rule__code", flat=True))


def test_the_oversight_demo(seeded):
    assert set(MonitoringCase.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    active = CaseQuestion.objects.filter(case__status=CaseStatus.ACTIVE)
    assert active.filter(answered_at__isnull=True).exists(), "a question waits for the purchaser"
    assert active.filter(answered_at__isnull=False).exists(), "an answer waits for the body"
    assert MonitoringCase.objects.filter(contract__isnull=False).exists()
    assert MonitoringCase.objects.filter(tender__isnull=True, contract__isnull=True).exists(), "a case on a project"
    violation = MonitoringCase.objects.get(status=CaseStatus.VIOLATION)
    assert violation.obligations
    assert violation.remedy_due

    # Flags where the data raise them ...
    failed = Tender.objects.get(status=TenderStatus.FAILED)
    assert "single_bidder" in _codes(failed)
    for award in Award.objects.filter(status="active").select_related("tender"):
        negative = [line for line in credit.score_of(award.provider_id).lines if line.counted and line.contribution < 0]
        assert ("negative_credit" in _codes(award.tender)) == bool(negative), award.tender.reference
    # ... and none on the clean processes.
    clean = Tender.objects.exclude(status=TenderStatus.DRAFT).exclude(risk_flags__isnull=False)
    assert clean.filter(status__in=[TenderStatus.OPENED, TenderStatus.EVALUATED]).count() >= 2
    assert demo.load() == 0  # loading again changes nothing

"""Statistics (issue 15 item 4): each measure on crafted data, staff and public figures apart,
the refresh queued by the task worker with its progress, and who may ask for it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from govbuy.audit.models import AuditEvent
from govbuy.contracts.models import Contract, Milestone, PayeeAccount, Payment
from govbuy.core.errors import PermissionRefused
from govbuy.oversight.models import StatisticsCell, StatisticsRefresh
from govbuy.oversight.statistics import rules, services
from govbuy.oversight.statistics.selectors import Figures, Filters, figures
from govbuy.planning.models import BudgetLine, Project, Transfer
from tests.builders.performance import make_contract, published_rounds, survey_with_answers

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 6, 30)


def refreshed(world, today=TODAY):
    run = services.request_refresh(actor=world.city_finance, queue=False)
    return services.run_refresh(refresh_id=run.pk, today=today)


def total(world, audience="staff", **filters) -> Figures:
    regions = [world.city, world.district_a, world.district_b]
    stats = figures(
        audience=audience,
        filters=Filters(year=filters.get("year"), region=filters.get("region")),
        regions=regions,
        years=[],
    )
    return stats.total


def cell(audience="staff", **match):
    qs = StatisticsCell.objects.filter(audience=audience, grain="cell", **match)
    return qs.values_list("number", "amount").get()


def test_planned_projects_by_year_region_category_and_method(world, approved):
    refreshed(world)
    number, amount = cell(measure="planned")
    assert (number, amount) == (1, approved.estimate)
    row = StatisticsCell.objects.get(audience="staff", grain="cell", measure="planned")
    assert (row.year, row.region, row.category, row.category_name, row.method) == (
        2027,
        world.district_a,
        "A",
        "基本公共服务",
        "public_tender",
    )
    # Approved but not yet in the published plan: not a public figure.
    assert not StatisticsCell.objects.filter(audience="public", measure="planned").exists()
    Project.objects.filter(pk=approved.pk).update(status="in_plan")
    refreshed(world)
    assert cell("public", measure="planned") == (1, approved.estimate)


def test_contract_spending_and_on_time_signing_and_publication(world, contract):
    late = make_contract(world, contract.project, value="50000.00")
    Contract.objects.filter(pk=late.pk).update(signed_late=True, published_late=True)
    unpublished = make_contract(world, contract.project, value="7000.00")
    Contract.objects.filter(pk=unpublished.pk).update(published_at=None)
    refreshed(world)
    staff = total(world)
    assert staff.contracted_count == 3
    assert staff.contracted_amount == Decimal("237000.00")
    assert staff.signing_rate == Decimal("66.67")  # 2 of 3 signed on time
    assert staff.publication_rate == Decimal("50.00")  # 1 of the 2 published on time
    public = total(world, "public")
    assert public.contracted_amount == Decimal("230000.00")  # the unpublished contract is not public
    assert public.signing_rate == Decimal("50.00")


def _milestone(contract, sequence, accepted_at):
    return Milestone.objects.create(
        contract=contract,
        sequence=sequence,
        title=f"第{sequence}期",
        due_date=dt.date(2027, 6, 30),
        percentage=Decimal("25"),
        quantity_target="300 人次",
        quality_target="合格",
        status="accepted",
        accepted_at=accepted_at,
    )


def test_payments_on_time_late_and_overdue(world, contract):
    account = PayeeAccount.objects.create(
        organisation=world.provider_a_org,
        bank_name="银行",
        account_name="账户",
        account_number="1",
        created_by=world.purchaser_a,
    )
    accepted = dt.datetime(2027, 3, 1, 10, tzinfo=dt.UTC)
    on_time, late, overdue = (_milestone(contract, n, accepted) for n in (1, 2, 3))
    _milestone(contract, 4, dt.datetime(2027, 6, 20, 10, tzinfo=dt.UTC))  # unpaid, still within 30 days
    for milestone, paid_on in ((on_time, dt.date(2027, 3, 31)), (late, dt.date(2027, 4, 1))):
        Payment.objects.create(
            contract=contract,
            milestone=milestone,
            payee=account,
            amount=Decimal("1000.00"),
            paid_on=paid_on,
            reference=f"P{milestone.pk}",
            recorded_by=world.purchaser_a,
        )
    refreshed(world)
    assert cell(measure="payment", key="on_time")[0] == 1
    assert cell(measure="payment", key="late")[0] == 1
    assert cell(measure="payment", key="overdue")[0] == 1
    staff = total(world)
    assert staff.payment_rate == Decimal("33.33")
    assert staff.paid_amount == Decimal("2000.00")
    assert overdue.payments.count() == 0


def test_grades_and_satisfaction_by_category(world, contract, template):
    published_rounds(world, contract, template, n=2, grade="good")
    published_rounds(world, contract, template, n=1, grade="excellent")
    survey_with_answers(world, contract, n=6, rating=5)
    survey_with_answers(world, contract, n=2, rating=2)
    refreshed(world)
    staff = total(world)
    assert staff.graded == 3
    assert staff.average_score == Decimal("85.00")
    assert {g["count"] for g in staff.grades()} == {2, 1, 0}
    assert staff.answers == 8
    assert staff.satisfaction_rate == Decimal("75.00")  # 6 of 8 answers average 4 or more
    row = StatisticsCell.objects.get(audience="staff", grain="cell", measure="grades", key="good")
    assert (row.category, row.number) == ("A", 2)


def test_satisfaction_is_not_published_from_fewer_than_five_answers(world, contract):
    survey_with_answers(world, contract, n=4, rating=5)
    refreshed(world)
    assert total(world).satisfaction_rate == Decimal("100.00")
    assert total(world, "public").answers == 4
    assert total(world, "public").satisfaction_rate is None


def test_converted_services_and_the_budget_that_moved(world, approved):
    source = BudgetLine.objects.get(budget=approved.budget_line.budget, code="30199")
    Transfer.objects.create(
        project=approved,
        source_line=source,
        target_line=approved.budget_line,
        amount=Decimal("80000.00"),
        former_service="原由街道自办的助老服务",
    )
    refreshed(world)
    assert cell(measure="conversions") == (1, Decimal("80000.00"))
    Transfer.objects.filter(project=approved).update(reversed_at=timezone.now())
    refreshed(world)
    assert not StatisticsCell.objects.filter(measure="conversions").exists()


def test_the_kind_groups_and_the_payment_limit():
    assert rules.kind_group("foundation") == rules.SOCIAL
    assert rules.kind_group("individual_business") == rules.ENTERPRISE
    assert rules.kind_group("public_institution_class2") == rules.INSTITUTION
    assert rules.kind_group("rural_collective") == rules.OTHER
    accepted = dt.date(2027, 1, 1)
    assert rules.payment_key(accepted, dt.date(2027, 1, 31), TODAY) == rules.ON_TIME
    assert rules.payment_key(accepted, dt.date(2027, 2, 1), TODAY) == rules.LATE
    assert rules.payment_key(accepted, None, dt.date(2027, 1, 31)) is None
    assert rules.payment_key(accepted, None, dt.date(2027, 2, 1)) == rules.OVERDUE


def test_the_refresh_is_queued_to_the_worker_with_progress_and_audited(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_refresh(actor=world.city_finance)
    run.refresh_from_db()
    assert run.status == StatisticsRefresh.Status.DONE
    assert (run.steps_done, run.percent) == (run.steps_total, 100)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"oversight.statistics.requested", "oversight.statistics.refreshed"} <= actions


def test_a_second_request_while_one_is_queued_returns_it(world):
    first = services.request_refresh(actor=world.city_finance, queue=False)
    assert services.request_refresh(actor=world.district_finance_a, queue=False).pk == first.pk


def test_audit_and_supervision_read_but_may_not_refresh(world):
    for user in (world.auditor, world.supervisor, world.purchaser_a):
        with pytest.raises(PermissionRefused):
            services.request_refresh(actor=user)
    assert not StatisticsRefresh.objects.exists()


def test_awards_competition_savings_and_kinds_of_providers(world, award):
    """Purchaser A's tender, two bids opened, awarded to a social service organisation."""
    refreshed(world)
    staff = total(world)
    assert staff.awarded_count == 1
    assert staff.awarded_amount == award.amount
    assert (staff.tenders, staff.bids, staff.single_bid) == (1, 2, 0)
    assert staff.bids_per_tender == Decimal("2.00")
    assert staff.budget == award.lot.budget
    assert staff.savings == award.lot.budget - award.amount
    kinds = {k["key"]: k for k in staff.kinds()}
    assert kinds[rules.SOCIAL]["wins"] == 1
    assert kinds[rules.SOCIAL]["wins_share"] == Decimal("100.00")
    assert kinds[rules.SOCIAL]["bids"] == 2
    assert kinds[rules.SOCIAL]["registered"] == 2
    assert kinds[rules.ENTERPRISE]["wins"] == 0
    # The announced award and the opening record are public.
    assert total(world, "public").awarded_amount == award.amount
    row = StatisticsCell.objects.get(audience="staff", grain="cell", measure="awarded")
    assert (row.year, row.region, row.category, row.method) == (2027, world.district_a, "A", "public_tender")
    # On TODAY the award is months old and no contract is signed: signing is overdue (Law Art. 46).
    assert cell(measure="signing", key="overdue")[0] == 1
    assert staff.signing_rate == Decimal("0.00")
    # Within the 30 days it is not.
    refreshed(world, today=timezone.localdate(award.confirmed_at) + dt.timedelta(days=30))
    assert not StatisticsCell.objects.filter(measure="signing").exists()

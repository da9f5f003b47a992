"""The demo tells a story over past months (issue 16 item 8): events spread over the year in the
order the law requires, with the statutory periods between them, none in the future, and the
audit trail in time order and intact. Every assertion fails if `seed_demo` collapses to one moment
again (or if a step is dated out of its legal order)."""

import datetime as dt
import itertools

import pytest
from django.core.management import call_command
from django.db.models import Max, Min
from django.utils import timezone

from govbuy.audit.models import AuditEvent
from govbuy.audit.verify import verify_chain
from govbuy.contracts.models import Contract
from govbuy.contracts.rules import PUBLICATION_LIMIT, SIGNING_LIMIT
from govbuy.core import clock, timeline
from govbuy.core.calendar.rules import get_calendar, local_date
from govbuy.procurement.models import Tender
from govbuy.procurement.services.bids import db_now
from govbuy.procurement.services.tenders import method_params


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def test_the_demo_spans_months_in_time_order_and_nothing_lies_ahead(seeded):
    span = AuditEvent.objects.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    assert span["last"] - span["first"] >= dt.timedelta(days=90)
    assert span["last"] <= timezone.now()
    events = list(AuditEvent.objects.order_by("position").values_list("occurred_at", "action"))
    backwards = [(a, b) for a, b in itertools.pairwise(events) if b[0] < a[0]]
    assert not backwards, f"the audit trail runs forward in time: {backwards[:3]}"
    moments = [moment for moment, _action in events]
    # Work happens on many days, not in one burst.
    assert len({local_date(moment) for moment in moments}) >= 60
    assert verify_chain().ok


def test_tenders_keep_their_statutory_periods_and_one_is_open_today(seeded):
    published = Tender.objects.filter(published_at__isnull=False).select_related("method")
    assert published.count() >= 6
    for tender in published:
        minimum = get_calendar().last_day(tender.published_at, method_params(tender.method).limit)
        assert local_date(tender.bid_deadline) >= minimum, tender.reference
        if tender.method.code == "public_tender":
            assert tender.bid_deadline - tender.published_at >= dt.timedelta(days=20), tender.reference
    now = timezone.now()
    assert published.filter(status="published", bid_deadline__gt=now).exists()
    assert not published.exclude(status="published").filter(bid_deadline__gt=now).exists()


def test_contracts_are_signed_and_published_within_the_legal_limits(seeded):
    calendar = get_calendar()
    signed = Contract.objects.filter(signed_at__isnull=False).select_related("award")
    assert signed.count() >= 6
    assert signed.filter(award__isnull=False).exists()
    for contract in signed:
        if contract.award is not None:
            assert local_date(contract.signed_at) <= calendar.last_day(contract.award.confirmed_at, SIGNING_LIMIT)
        if contract.published_at is not None:
            assert local_date(contract.published_at) <= calendar.last_day(contract.signed_at, PUBLICATION_LIMIT)
            assert contract.published_at >= contract.signed_at


def test_the_database_clock_follows_the_demo_clock_only_while_replaying(db):
    with timeline.replaying(), timeline.at(timeline.day(5)) as moment:
        assert abs(db_now() - moment) < dt.timedelta(minutes=5)
    assert abs(db_now() - timezone.now()) < dt.timedelta(minutes=5)


def test_replaying_is_refused_under_production(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(clock.ReplayRefused), timeline.replaying():
        pass


def test_a_demo_step_may_not_lie_in_the_future(db):
    with timeline.replaying(), pytest.raises(ValueError), timeline.at(timezone.now() + dt.timedelta(days=1)):
        pass


def test_stories_run_interleaved_by_moment_and_the_clock_never_goes_back(db):
    seen: list[tuple[str, dt.datetime]] = []

    def story(name: str, days: list[int]) -> timeline.Story:
        for n in days:
            yield timeline.day(n)
            seen.append((name, timezone.now()))
        return 1

    with timeline.replaying():
        created = timeline.run([story("a", [10, 30, 31]), story("b", [20, 25, 5])])
    assert created == 2
    assert [name for name, _moment in seen] == ["a", "b", "b", "b", "a", "a"]
    moments = [moment for _name, moment in seen]
    assert moments == sorted(moments)
    # b's last step asked for day 5, already past: it goes on at the latest moment instead.
    assert timeline.day(25) < moments[3] < timeline.day(30)
    assert all(local_date(moment) <= timeline.today() for moment in moments)

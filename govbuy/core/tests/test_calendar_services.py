"""Writes to the holiday table: who may, versions, audit, seeding and the cached calendar."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from govbuy.audit.describe import describe, registered_codes
from govbuy.audit.models import AuditEvent
from govbuy.core.calendar import data as calendar_data
from govbuy.core.calendar import rules as working_calendar
from govbuy.core.calendar import services as calendar_services
from govbuy.core.calendar.rules import YearStatus, get_calendar
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.core.models import CalendarDay, CalendarYear


def d(text: str) -> date:
    return date.fromisoformat(text)


def events(action: str | None = None):
    rows = AuditEvent.objects.order_by("position")
    return list(rows.filter(action=action) if action else rows)


@pytest.fixture
def seeded(db):
    call_command("load_holidays", stdout=None)


def version_of(year: int) -> int:
    row = CalendarYear.objects.filter(year=year).first()
    return row.version if row else 0


# --- seeding -----------------------------------------------------------------------------------


def test_load_holidays_seeds_three_years_and_is_idempotent(db, capsys):
    call_command("load_holidays")
    assert dict(CalendarYear.objects.values_list("year", "status")) == {
        2025: "official",
        2026: "official",
        2027: "provisional",
    }
    assert CalendarDay.objects.filter(date__year=2026).count() == 39
    assert CalendarDay.objects.filter(date__year=2027, kind="workday").count() == 0
    first = AuditEvent.objects.count()
    assert [e.action for e in events("core.calendar_year.loaded")] == ["core.calendar_year.loaded"] * 3

    call_command("load_holidays")
    call_command("load_holidays", "--replace")
    assert AuditEvent.objects.count() == first  # nothing changed, nothing recorded
    assert CalendarDay.objects.count() == 33 + 39 + 13


def test_load_holidays_keeps_the_bureaus_edits_unless_replaced(seeded, world):
    calendar_services.remove_day(actor=world.city_finance, day=d("2026-02-14"), year_version=version_of(2026))
    call_command("load_holidays")
    assert not CalendarDay.objects.filter(date=d("2026-02-14")).exists()
    call_command("load_holidays", "--replace", "--year", "2026")
    assert CalendarDay.objects.get(date=d("2026-02-14")).kind == "workday"
    loaded = events("core.calendar_year.loaded")[-1]
    assert loaded.data["dates_added"] == ["2026-02-14"]
    assert loaded.actor_id is None


def test_load_holidays_does_not_downgrade_an_official_year(seeded, world):
    calendar_services.mark_year(
        actor=world.city_finance, year=2027, status="official", source="国办发明电", version=version_of(2027)
    )
    call_command("load_holidays", "--replace", "--year", "2027")
    assert CalendarYear.objects.get(year=2027).status == "official"


def test_load_year_replaces_the_year_exactly(seeded):
    data = calendar_data.bundled(2026)
    fewer = tuple(x for x in data.days if x.date != d("2026-10-10"))
    result = calendar_services.load_year(actor=None, year=2026, status="official", source=data.source, days=fewer)
    assert result.removed == [d("2026-10-10")]
    assert not result.added
    assert not CalendarDay.objects.filter(date=d("2026-10-10")).exists()
    with pytest.raises(ValidationFailed):
        calendar_services.load_year(actor=None, year=2025, status="official", source="", days=fewer)


# --- who may edit ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["district_finance_a", "purchaser_a", "provider_a", "supervisor", "outsider", "platform_admin"]
)
def test_only_the_city_finance_bureau_edits(world, persona):
    user = getattr(world, persona)
    with pytest.raises(PermissionRefused):
        calendar_services.set_day(actor=user, day=d("2028-01-26"), kind="holiday", year_version=0)
    with pytest.raises(PermissionRefused):
        calendar_services.mark_year(actor=user, year=2028, status="official", version=0)
    with pytest.raises(PermissionRefused):
        calendar_services.load_year(actor=user, year=2028, status="official", source="", days=())
    assert not CalendarDay.objects.exists()
    assert not AuditEvent.objects.exists()


# --- every edit is audited -----------------------------------------------------------------------


def test_set_day_creates_the_year_and_audits(world):
    day, changed = calendar_services.set_day(
        actor=world.city_finance, day=d("2028-01-26"), kind="holiday", name_zh="春节", year_version=0
    )
    assert changed
    assert day.kind == "holiday"
    year = CalendarYear.objects.get(year=2028)
    assert year.status == "provisional"
    assert year.version == 1
    created, added = events()
    assert created.action == "core.calendar_year.created"
    assert added.action == "core.calendar_day.added"
    assert added.actor_id == world.city_finance.pk
    assert added.organisation_id == world.city_finance_org.pk
    assert added.changes["kind"] == [None, "holiday"]
    assert added.data["date"] == "2028-01-26"
    assert "2028-01-26" in describe(added)


def test_change_and_remove_bump_the_version_and_audit(seeded, world):
    v = version_of(2026)
    calendar_services.set_day(
        actor=world.city_finance, day=d("2026-02-14"), kind="holiday", name_zh="春节", year_version=v
    )
    assert version_of(2026) == v + 1
    changed = events("core.calendar_day.changed")[-1]
    assert changed.changes == {"kind": ["workday", "holiday"], "name_en": ["Spring Festival", ""]}

    calendar_services.remove_day(actor=world.city_finance, day=d("2026-02-14"), year_version=v + 1)
    assert version_of(2026) == v + 2
    removed = events("core.calendar_day.removed")[-1]
    assert removed.changes["kind"] == ["holiday", None]
    assert removed.object_type == "core.calendarday"


def test_setting_a_day_to_what_it_is_changes_nothing(seeded, world):
    v, before = version_of(2026), AuditEvent.objects.count()
    _day, changed = calendar_services.set_day(
        actor=world.city_finance,
        day=d("2026-02-14"),
        kind="workday",
        name_zh="春节",
        name_en="Spring Festival",
        year_version=v,
    )
    assert not changed
    assert version_of(2026) == v
    assert AuditEvent.objects.count() == before


def test_mark_year_audits_the_status_change(seeded, world):
    row = calendar_services.mark_year(
        actor=world.city_finance, year=2027, status="official", source="国务院办公厅通知", version=version_of(2027)
    )
    assert row.status == "official"
    marked = events("core.calendar_year.marked")[-1]
    assert marked.changes["status"] == ["provisional", "official"]


def test_every_calendar_action_has_a_sentence():
    assert set(calendar_services.AUDIT_SENTENCES) <= registered_codes()


# --- versions and validation ---------------------------------------------------------------------


def test_stale_version_is_a_conflict_and_changes_nothing(seeded, world):
    v = version_of(2026)
    calendar_services.set_day(actor=world.city_finance, day=d("2026-03-10"), kind="holiday", year_version=v)
    before = AuditEvent.objects.count()
    with pytest.raises(Conflict):
        calendar_services.set_day(actor=world.city_finance, day=d("2026-03-11"), kind="holiday", year_version=v)
    with pytest.raises(Conflict):
        calendar_services.remove_day(actor=world.city_finance, day=d("2026-03-10"), year_version=v)
    with pytest.raises(Conflict):
        calendar_services.mark_year(actor=world.city_finance, year=2026, status="provisional", version=v)
    with pytest.raises(Conflict):  # the year does not exist: its version is 0
        calendar_services.set_day(actor=world.city_finance, day=d("2030-01-01"), kind="holiday", year_version=1)
    assert not CalendarDay.objects.filter(date=d("2026-03-11")).exists()
    assert AuditEvent.objects.count() == before


def test_a_make_up_working_day_must_be_a_weekend_day(world):
    with pytest.raises(ValidationFailed) as caught:
        calendar_services.set_day(actor=world.city_finance, day=d("2028-02-02"), kind="workday", year_version=0)
    assert "kind" in caught.value.fields
    with pytest.raises(ValidationFailed):
        calendar_services.set_day(actor=world.city_finance, day=d("2028-02-02"), kind="rest", year_version=0)
    with pytest.raises(ValidationFailed):
        calendar_services.set_day(actor=world.city_finance, day=d("1999-02-02"), kind="holiday", year_version=0)
    assert not CalendarYear.objects.exists()


def test_removing_an_absent_day_is_not_found(seeded, world):
    with pytest.raises(NotFound):
        calendar_services.remove_day(actor=world.city_finance, day=d("2026-03-10"), year_version=version_of(2026))


# --- the cached calendar -------------------------------------------------------------------------


def test_get_calendar_follows_the_table(seeded, world):
    calendar = get_calendar()
    assert calendar.year_status(2026) == YearStatus.OFFICIAL
    assert calendar.add_working_days(d("2026-02-13"), 1) == d("2026-02-14")
    calendar_services.remove_day(actor=world.city_finance, day=d("2026-02-14"), year_version=version_of(2026))
    assert working_calendar.add_working_days(d("2026-02-13"), 1) == d("2026-02-24")
    assert working_calendar.is_working_day(d("2026-02-24"))
    assert working_calendar.working_days_between(d("2026-02-13"), d("2026-02-24")) == 1


def test_cache_outside_a_transaction_is_trusted_for_the_recheck_interval(
    seeded, world, settings, monkeypatch, django_assert_num_queries
):
    """Outside a transaction the cache is reused without a query until the interval passes;
    then one query (the fingerprint) notices a change made behind its back."""
    settings.GOVBUY_CALENDAR_RECHECK_SECONDS = 30
    clock = [1000.0]
    monkeypatch.setattr(working_calendar, "_clock", lambda: clock[0])
    monkeypatch.setattr(type(working_calendar.connection), "in_atomic_block", False, raising=False)
    working_calendar._forget()
    first = get_calendar()
    with django_assert_num_queries(0):
        assert get_calendar() is first
    CalendarDay.objects.filter(date=d("2026-02-14")).delete()  # behind the services' back
    clock[0] += 10
    with django_assert_num_queries(0):
        assert get_calendar().is_working_day(d("2026-02-14"))  # still the cached copy
    clock[0] += 30
    fresh = get_calendar()
    assert not fresh.is_working_day(d("2026-02-14"))
    clock[0] += 31
    with django_assert_num_queries(1):  # unchanged table: one fingerprint query, no reload
        assert get_calendar() is fresh


def test_inside_a_transaction_the_fingerprint_is_always_checked(seeded, django_assert_num_queries):
    get_calendar()
    with django_assert_num_queries(1):
        get_calendar()

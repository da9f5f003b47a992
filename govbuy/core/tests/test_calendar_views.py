"""The calendar pages: public year page and calculator, the city finance bureau's edit page,
its home section and navigation entry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from govbuy.audit.models import AuditEvent
from govbuy.core.calendar import services as calendar_services
from govbuy.core.models import CalendarDay, CalendarYear


@pytest.fixture
def seeded(db):
    call_command("load_holidays")


def version_of(year: int) -> int:
    row = CalendarYear.objects.filter(year=year).first()
    return row.version if row else 0


def year_url(year: int) -> str:
    return reverse("core:calendar-year", args=[year])


def edit_url(year: int) -> str:
    return reverse("core:calendar-edit", args=[year])


# --- public page -----------------------------------------------------------------------------------


def test_public_year_page_without_login(client, seeded):
    response = client.get(year_url(2026))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="official"' in html
    assert 'id="calendar-warning"' not in html
    assert 'data-date="2026-02-14"' in html
    assert 'data-date="2026-02-28"' in html
    assert 'id="edit-link"' not in html


def test_public_page_warns_for_a_provisional_year(client, seeded):
    html = client.get(year_url(2027)).content.decode()
    assert 'data-status="provisional"' in html
    assert 'id="calendar-warning"' in html
    assert 'data-date="2027-02-05"' in html


def test_public_page_warns_for_a_year_without_data(client, seeded):
    response = client.get(year_url(2031))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="missing"' in html
    assert 'id="calendar-warning"' in html


def test_public_page_refuses_absurd_years(client, db):
    assert client.get(year_url(1900)).status_code == 404
    assert client.get(year_url(9999)).status_code == 404


def test_calendar_root_redirects_to_the_current_year(client, db):
    response = client.get(reverse("core:calendar"))
    assert response.status_code == 302
    assert response["Location"].startswith("/calendar/20")


def test_public_page_query_count_does_not_grow(client, db, django_assert_num_queries):
    def make(n: int) -> None:
        CalendarDay.objects.all().delete()
        CalendarYear.objects.all().delete()
        CalendarYear.objects.create(year=2026, status="official")
        CalendarYear.objects.create(year=2027, status="provisional")
        start = date(2026, 3, 2)
        CalendarDay.objects.bulk_create(
            [CalendarDay(date=start + timedelta(days=7 * i), kind="holiday", name_zh="假") for i in range(n)]
        )

    make(2)
    with django_assert_num_queries(3):  # the year, its days, the list of years
        response = client.get(year_url(2026))
    assert response.content.decode().count('class="calendar-day') == 2
    make(20)
    with django_assert_num_queries(3):
        response = client.get(year_url(2026))
    assert response.content.decode().count('class="calendar-day') == 20


def test_calculator_page(client, seeded):
    response = client.get(reverse("core:calendar-calculator"), {"start": "2026-02-13", "days": "5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-02-27" in html
    assert 'id="calculator-warning"' not in html
    html = client.get(reverse("core:calendar-calculator"), {"start": "2027-12-20", "days": "20"}).content.decode()
    assert 'id="calculator-warning"' in html
    response = client.get(reverse("core:calendar-calculator"), {"start": "2026-02-13", "days": "5000"})
    assert response.status_code == 200
    assert 'id="calculator-result"' not in response.content.decode()


# --- edit page: the city finance bureau only ----------------------------------------------------


def test_edit_page_sends_the_anonymous_to_sign_in(client, db):
    response = client.get(edit_url(2026))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "persona", ["district_finance_a", "purchaser_a", "provider_a", "auditor", "outsider", "platform_admin"]
)
def test_edit_pages_are_404_for_everyone_but_city_finance(world, login, persona):
    client = login(getattr(world, persona))
    assert client.get(edit_url(2026)).status_code == 404
    assert client.get(reverse("core:calendar-edit-current")).status_code == 404
    post = {"date": "2026-03-10", "kind": "holiday", "version": "0"}
    assert client.post(edit_url(2026), post).status_code == 404
    assert client.post(reverse("core:calendar-remove-day", args=[2026]), post).status_code == 404
    status_post = {"status": "official", "version": "0"}
    assert client.post(reverse("core:calendar-mark-year", args=[2026]), status_post).status_code == 404
    assert not CalendarDay.objects.exists()
    assert not AuditEvent.objects.exists()


def test_city_finance_adds_changes_and_removes_a_day(world, login, seeded):
    client = login(world.city_finance)
    page = client.get(edit_url(2026))
    assert page.status_code == 200
    v = version_of(2026)
    assert f'name="version" value="{v}"' in page.content.decode()

    response = client.post(
        edit_url(2026), {"date": "2026-03-10", "kind": "holiday", "name_zh": "测试", "name_en": "", "version": v}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2026, 3, 10)).name_zh == "测试"
    assert AuditEvent.objects.filter(action="core.calendar_day.added", actor_id=world.city_finance.pk).count() == 1

    response = client.post(
        reverse("core:calendar-remove-day", args=[2026]), {"date": "2026-03-10", "version": version_of(2026)}
    )
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=date(2026, 3, 10)).exists()
    assert AuditEvent.objects.filter(action="core.calendar_day.removed").count() == 1


def test_a_stale_form_gets_409_and_changes_nothing(world, login, seeded):
    client = login(world.city_finance)
    stale = version_of(2026)
    calendar_services.set_day(actor=world.city_finance, day=date(2026, 3, 10), kind="holiday", year_version=stale)
    response = client.post(edit_url(2026), {"date": "2026-03-11", "kind": "holiday", "version": stale})
    assert response.status_code == 409
    assert 'id="calendar-error"' in response.content.decode()
    assert not CalendarDay.objects.filter(date=date(2026, 3, 11)).exists()
    # The page now carries the current version: sending it again applies the change.
    assert f'name="version" value="{version_of(2026)}"' in response.content.decode()

    response = client.post(reverse("core:calendar-remove-day", args=[2026]), {"date": "2026-03-10", "version": stale})
    assert response.status_code == 409
    assert CalendarDay.objects.filter(date=date(2026, 3, 10)).exists()
    response = client.post(reverse("core:calendar-mark-year", args=[2026]), {"status": "provisional", "version": stale})
    assert response.status_code == 409
    assert CalendarYear.objects.get(year=2026).status == "official"


def test_invalid_day_is_a_form_error(world, login, seeded):
    client = login(world.city_finance)
    v = version_of(2026)
    weekday_workday = {"date": "2026-03-10", "kind": "workday", "version": v}
    response = client.post(edit_url(2026), weekday_workday)
    assert response.status_code == 400
    other_year = {"date": "2025-03-10", "kind": "holiday", "version": v}
    assert client.post(edit_url(2026), other_year).status_code == 400
    assert not CalendarDay.objects.filter(date__in=[date(2026, 3, 10), date(2025, 3, 10)]).exists()


def test_city_finance_marks_a_year_official(world, login, seeded):
    client = login(world.city_finance)
    response = client.post(
        reverse("core:calendar-mark-year", args=[2027]),
        {"status": "official", "source": "国办发明电〔2026〕", "version": version_of(2027)},
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).status == "official"
    assert AuditEvent.objects.filter(action="core.calendar_year.marked").count() == 1


def test_edit_current_redirects_city_finance(world, login, db):
    response = login(world.city_finance).get(reverse("core:calendar-edit-current"))
    assert response.status_code == 302
    assert response["Location"].startswith("/calendar/20")


def test_public_page_links_to_the_editor_for_city_finance(world, login, seeded):
    html = login(world.city_finance).get(year_url(2026)).content.decode()
    assert 'id="edit-link"' in html


# --- home section and navigation ------------------------------------------------------------------


def test_home_section_lists_years_waiting_for_the_notice(world, login, seeded, time_machine):
    time_machine.move_to("2026-11-25 10:00 +08:00")
    response = login(world.city_finance).get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="home-working-day-calendar"' in html
    assert edit_url(2027) in html
    assert edit_url(2026) not in html


def test_home_section_names_a_missing_year(world, login, seeded, time_machine):
    time_machine.move_to("2027-06-01 10:00 +08:00")
    html = login(world.city_finance).get(reverse("core:home")).content.decode()
    assert edit_url(2027) in html
    assert edit_url(2028) in html


def test_home_section_and_nav_entry_only_for_city_finance(world, login, seeded):
    html = login(world.purchaser_a).get(reverse("core:home")).content.decode()
    assert 'id="home-working-day-calendar"' not in html
    assert reverse("core:calendar-edit-current") not in html
    html = login(world.city_finance).get(reverse("core:home")).content.decode()
    assert reverse("core:calendar-edit-current") in html

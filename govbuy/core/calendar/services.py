"""Every write to the holiday table. Only the city finance bureau edits it (or the system, when
`actor` is None: the load_holidays command). Each write locks the year's row, checks the version
the caller read, changes the table, bumps the version, writes the audit event in the same
transaction and drops the cached calendar.

The table sits in core (every app counts working days), but who may edit it and the audit trail
live above core: the imports of govbuy.audit and govbuy.organizations below are the declared
exceptions in the import contract (pyproject.toml, ignore_imports).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.calendar import rules as working_calendar
from govbuy.core.calendar.data import DayData
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.core.models import CalendarDay, CalendarYear
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for

MIN_YEAR = 2000
MAX_YEAR = 2100
NAME_MAX = 60

AUDIT_SENTENCES: dict[str, Any] = {
    "core.calendar_year.created": _("{actor} added year {year} to the working-day calendar"),
    "core.calendar_year.marked": _("{actor} changed the status of the working-day calendar of {year}"),
    "core.calendar_year.loaded": _(
        "{actor} loaded the working-day calendar of {year} ({added} added, {changed} changed, {removed} removed)"
    ),
    "core.calendar_day.added": _("{actor} added {date} ({name}) to the working-day calendar"),
    "core.calendar_day.changed": _("{actor} changed {date} ({name}) in the working-day calendar"),
    "core.calendar_day.removed": _("{actor} removed {date} ({name}) from the working-day calendar"),
}


def register_audit_sentences() -> None:
    from govbuy.audit.describe import register

    for code, sentence in AUDIT_SENTENCES.items():
        register(code, sentence)


@dataclass
class LoadResult:
    year: CalendarYear
    added: list[date] = field(default_factory=list)
    changed: list[date] = field(default_factory=list)
    removed: list[date] = field(default_factory=list)
    status_changed: bool = False

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.status_changed)


def _acting_organisation(actor: Any) -> Organisation | None:
    """The city finance bureau the actor acts for; None for the system. Anyone else is refused."""
    if actor is None:
        return None
    scope = scope_for(actor)
    if not scope.is_city_finance():
        raise PermissionRefused(_("Only the city finance bureau may edit the working-day calendar."))
    org_id = next(
        m.organisation_id for m in scope.memberships if m.kind == "finance_bureau" and m.region_level == "city"
    )
    return Organisation.objects.get(pk=org_id)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(
            _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            fields={"year": [_("Out of range.")]},
        )


def _lock_year(year: int, expected_version: int | None) -> CalendarYear | None:
    """The year's row, locked; None when the year has no row yet (version 0).

    expected_version None skips the check (the system loading bundled data)."""
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    current = row.version if row is not None else 0
    if expected_version is not None and expected_version != current:
        raise Conflict(fields={"version": [_("The calendar of this year was changed by someone else.")]})
    return row


def _create_year(*, actor: Any, organisation: Organisation | None, year: int, status: str, source: str) -> CalendarYear:
    try:
        with transaction.atomic():
            row = CalendarYear.objects.create(year=year, status=status, source=source, version=1)
    except IntegrityError as exc:  # another writer created the year between our lock and insert
        raise Conflict() from exc
    record_event(
        actor=actor,
        action="core.calendar_year.created",
        obj=row,
        organisation=organisation,
        changes={"status": (None, status), "source": (None, source)},
        data={"year": year},
    )
    return row


def _bump(row: CalendarYear) -> None:
    row.version += 1
    row.save(update_fields=["version", "updated_at"])


def _clean_day(day: date, kind: str, name_zh: str, name_en: str) -> None:
    errors: dict[str, list[Any]] = {}
    if kind not in CalendarDay.Kind.values:
        errors["kind"] = [_("Choose a public holiday or a make-up working day.")]
    elif kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
        errors["kind"] = [_("A make-up working day must be a Saturday or a Sunday.")]
    if len(name_zh) > NAME_MAX:
        errors["name_zh"] = [_("At most %(n)s characters.") % {"n": NAME_MAX}]
    if len(name_en) > NAME_MAX:
        errors["name_en"] = [_("At most %(n)s characters.") % {"n": NAME_MAX}]
    if errors:
        raise ValidationFailed(fields=errors)


def _day_values(day: CalendarDay) -> dict[str, Any]:
    return {"kind": day.kind, "name_zh": day.name_zh, "name_en": day.name_en}


def _day_data(day: date, kind: str, name_zh: str, name_en: str) -> dict[str, Any]:
    return {"date": day.isoformat(), "year": day.year, "kind": kind, "name": name_zh or name_en or "—"}


@transaction.atomic
def set_day(
    *,
    actor: Any,
    day: date,
    kind: str,
    name_zh: str = "",
    name_en: str = "",
    year_version: int | None,
) -> tuple[CalendarDay, bool]:
    """Add a public holiday or make-up working day, or change an existing one.

    Returns (day, changed). Setting a day to what it already is changes nothing and writes no
    event. A year without a row is created as provisional (year_version 0)."""
    organisation = _acting_organisation(actor)
    _check_year(day.year)
    name_zh, name_en = name_zh.strip(), name_en.strip()
    _clean_day(day, kind, name_zh, name_en)
    year = _lock_year(day.year, year_version)
    existing = CalendarDay.objects.select_for_update().filter(date=day).first()
    after = {"kind": kind, "name_zh": name_zh, "name_en": name_en}
    if existing is not None and _day_values(existing) == after:
        return existing, False
    if year is None:
        year = _create_year(
            actor=actor, organisation=organisation, year=day.year, status=CalendarYear.Status.PROVISIONAL, source=""
        )
    else:
        _bump(year)
    if existing is None:
        row = CalendarDay.objects.create(date=day, **after)
        changes: dict[str, tuple[Any, Any] | list[Any]] = {k: (None, v) for k, v in after.items()}
        action = "core.calendar_day.added"
    else:
        before = _day_values(existing)
        for key, value in after.items():
            setattr(existing, key, value)
        existing.save()
        row = existing
        changes = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
        action = "core.calendar_day.changed"
    record_event(
        actor=actor,
        action=action,
        obj=row,
        organisation=organisation,
        changes=changes,
        data={**_day_data(day, kind, name_zh, name_en), "year_version": year.version},
    )
    working_calendar.invalidate_cache()
    return row, True


@transaction.atomic
def remove_day(*, actor: Any, day: date, year_version: int | None) -> None:
    """Remove an exception: the day goes back to the Monday–Friday rule."""
    organisation = _acting_organisation(actor)
    year = _lock_year(day.year, year_version)
    existing = CalendarDay.objects.select_for_update().filter(date=day).first()
    if existing is None:
        raise NotFound(_("This day is not in the working-day calendar."))
    before = _day_values(existing)
    pk = existing.pk
    existing.delete()
    if year is not None:
        _bump(year)
    record_event(
        actor=actor,
        action="core.calendar_day.removed",
        object_type=CalendarDay._meta.label_lower,
        object_id=pk,
        organisation=organisation,
        changes={k: (v, None) for k, v in before.items()},
        data={
            **_day_data(day, before["kind"], before["name_zh"], before["name_en"]),
            "year_version": year.version if year is not None else 0,
        },
    )
    working_calendar.invalidate_cache()


@transaction.atomic
def mark_year(*, actor: Any, year: int, status: str, source: str = "", version: int | None) -> CalendarYear:
    """Mark a year official (the State Council notice is loaded) or provisional again."""
    organisation = _acting_organisation(actor)
    _check_year(year)
    if status not in CalendarYear.Status.values:
        raise ValidationFailed(fields={"status": [_("Choose official or provisional.")]})
    source = source.strip()
    if len(source) > 200:
        raise ValidationFailed(fields={"source": [_("At most %(n)s characters.") % {"n": 200}]})
    row = _lock_year(year, version)
    if row is None:
        row = _create_year(actor=actor, organisation=organisation, year=year, status=status, source=source)
        working_calendar.invalidate_cache()
        return row
    before = {"status": row.status, "source": row.source}
    after = {"status": status, "source": source}
    if before == after:
        return row
    row.status, row.source = status, source
    row.version += 1
    row.save(update_fields=["status", "source", "version", "updated_at"])
    record_event(
        actor=actor,
        action="core.calendar_year.marked",
        obj=row,
        organisation=organisation,
        changes={k: (before[k], after[k]) for k in after if before[k] != after[k]},
        data={"year": year, "status": status, "version": row.version},
    )
    working_calendar.invalidate_cache()
    return row


@transaction.atomic
def load_year(
    *,
    actor: Any,
    year: int,
    status: str,
    source: str,
    days: Sequence[DayData],
    version: int | None = None,
) -> LoadResult:
    """Make the year's table exactly `days` with `status`: a State Council notice loaded at once.

    Idempotent: loading the same data again changes nothing and writes no event. One audit event
    lists every date added, changed and removed."""
    organisation = _acting_organisation(actor)
    _check_year(year)
    if status not in CalendarYear.Status.values:
        raise ValidationFailed(fields={"status": [_("Choose official or provisional.")]})
    wanted: dict[date, dict[str, Any]] = {}
    for item in days:
        if item.date.year != year:
            raise ValidationFailed(
                _("%(date)s is not in %(year)s.") % {"date": item.date.isoformat(), "year": year},
                fields={"days": [_("Every day must be in the year being loaded.")]},
            )
        if item.date in wanted:
            raise ValidationFailed(fields={"days": [_("%(date)s appears twice.") % {"date": item.date.isoformat()}]})
        _clean_day(item.date, item.kind, item.name_zh, item.name_en)
        wanted[item.date] = {"kind": item.kind, "name_zh": item.name_zh, "name_en": item.name_en}

    row = _lock_year(year, version)
    created = row is None
    if row is None:
        row = _create_year(actor=actor, organisation=organisation, year=year, status=status, source=source)
    result = LoadResult(year=row)
    current = {d.date: d for d in CalendarDay.objects.select_for_update().filter(date__year=year)}
    for day, existing in current.items():
        if day not in wanted:
            result.removed.append(day)
        elif _day_values(existing) != wanted[day]:
            result.changed.append(day)
    result.added = sorted(set(wanted) - set(current))
    if not created and (row.status, row.source) != (status, source):
        result.status_changed = True
    if not result.changed_anything:
        return result

    CalendarDay.objects.filter(date__in=result.removed).delete()
    for day in result.changed:
        for key, value in wanted[day].items():
            setattr(current[day], key, value)
        current[day].save()
    CalendarDay.objects.bulk_create([CalendarDay(date=day, **wanted[day]) for day in result.added])
    before_status = {"status": row.status, "source": row.source}
    if not created:
        row.status, row.source = status, source
        row.version += 1
        row.save(update_fields=["status", "source", "version", "updated_at"])
    record_event(
        actor=actor,
        action="core.calendar_year.loaded",
        obj=row,
        organisation=organisation,
        changes={k: (before_status[k], v) for k, v in {"status": status, "source": source}.items()}
        if result.status_changed
        else {},
        data={
            "year": year,
            "status": status,
            "added": len(result.added),
            "changed": len(result.changed),
            "removed": len(result.removed),
            "dates_added": [d.isoformat() for d in result.added],
            "dates_changed": [d.isoformat() for d in result.changed],
            "dates_removed": [d.isoformat() for d in sorted(result.removed)],
            "version": row.version,
        },
    )
    working_calendar.invalidate_cache()
    return result

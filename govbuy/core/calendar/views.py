"""Pages of the working-day calendar: the public year page and calculator, and the city finance
bureau's edit page. The edit pages answer 404 to every other signed-in user (the staff-side rule:
what is outside your scope does not exist), and send the anonymous to sign in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govbuy.core.calendar import rules as working_calendar
from govbuy.core.calendar import selectors, services
from govbuy.core.calendar.forms import CalculatorForm, DayForm, RemoveDayForm, YearStatusForm
from govbuy.core.calendar.rules import YearStatus
from govbuy.core.errors import DomainError, NotFound
from govbuy.core.home import register_home_section
from govbuy.core.navigation import NavEntry, register


def _today() -> Any:
    return working_calendar.local_date(timezone.now())


def _overview_or_404(year: int) -> selectors.YearOverview:
    try:
        return selectors.year_overview(year)
    except NotFound as exc:
        raise Http404 from exc


# --- public -----------------------------------------------------------------------------------


@require_GET
def calendar_current(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(reverse("core:calendar-year", args=[_today().year]))


@require_GET
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    overview = _overview_or_404(year)
    return render(
        request,
        "core/calendar/year.html",
        {
            "overview": overview,
            "known_years": selectors.known_years(),
            "can_edit": request.user.is_authenticated and selectors.can_edit_calendar(request.user),
        },
    )


@require_GET
def calendar_calculator(request: HttpRequest) -> HttpResponse:
    form = CalculatorForm(request.GET or None)
    result = None
    if form.is_valid():
        start, days = form.cleaned_data["start"], form.cleaned_data["days"]
        calendar = working_calendar.get_calendar()
        end = calendar.add_working_days(start, days)
        result = {
            "start": start,
            "days": days,
            "result": end,
            "deadline": calendar.deadline_at(start, working_calendar.TimeLimit.working_days(days))
            if days >= 0
            else None,
            "uncertain_years": calendar.uncertain_years(start, end),
        }
    return render(request, "core/calendar/calculator.html", {"form": form, "result": result})


# --- city finance bureau ----------------------------------------------------------------------


def _editable_or_404(request: HttpRequest, year: int) -> selectors.YearOverview:
    try:
        return selectors.editable_year(request.user, year)
    except NotFound as exc:
        raise Http404 from exc


def _edit_url(year: int) -> str:
    return reverse("core:calendar-edit", args=[year])


def _render_edit(
    request: HttpRequest,
    overview: selectors.YearOverview,
    *,
    day_form: DayForm | None = None,
    status_form: YearStatusForm | None = None,
    error: DomainError | None = None,
) -> HttpResponse:
    year = overview.year
    context = {
        "overview": overview,
        "day_form": day_form or DayForm(year=year, initial={"version": overview.version}),
        "status_form": status_form
        or YearStatusForm(
            initial={
                "status": YearStatus.OFFICIAL if overview.is_missing else overview.status,
                "source": overview.source,
                "version": overview.version,
            }
        ),
        "error": error,
        "known_years": selectors.known_years(),
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "core/calendar/edit.html", context, status=error.status if error else 200)


def _with_version(request: HttpRequest, version: int) -> Any:
    """The submitted data with the version now current: after a 409 the page shows the table as
    it is now, and submitting the form again applies the change on top of it."""
    data = request.POST.copy()
    data["version"] = str(version)
    return data


def _apply_domain_error(form: Any, error: DomainError) -> None:
    for name, msgs in error.fields.items():
        if name == "version":  # a hidden field: the page's error box explains the conflict
            continue
        target = name if name in form.fields else None
        for msg in msgs:
            form.add_error(target, msg)


@login_required
@require_GET
def calendar_edit_current(request: HttpRequest) -> HttpResponse:
    _editable_or_404(request, _today().year)
    return HttpResponseRedirect(_edit_url(_today().year))


@login_required
@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, year: int) -> HttpResponse:
    """GET: the year's exceptions with the edit forms. POST: add or change one day."""
    overview = _editable_or_404(request, year)
    if request.method != "POST":
        return _render_edit(request, overview)
    form = DayForm(request.POST, year=year)
    if not form.is_valid():
        return _render_edit(request, overview, day_form=form, error=DomainError(_("Check the highlighted fields.")))
    data = form.cleaned_data
    try:
        _day, changed = services.set_day(
            actor=request.user,
            day=data["date"],
            kind=data["kind"],
            name_zh=data["name_zh"],
            name_en=data["name_en"],
            year_version=data["version"],
        )
    except DomainError as error:
        fresh = selectors.year_overview(year)
        form = DayForm(_with_version(request, fresh.version), year=year)
        form.is_valid()
        _apply_domain_error(form, error)
        return _render_edit(request, fresh, day_form=form, error=error)
    if changed:
        messages.success(request, gettext("%(date)s is saved in the calendar.") % {"date": data["date"].isoformat()})
    else:
        messages.info(
            request, gettext("Nothing changed: %(date)s was already so.") % {"date": data["date"].isoformat()}
        )
    return HttpResponseRedirect(_edit_url(year))


@login_required
@require_POST
def calendar_remove_day(request: HttpRequest, year: int) -> HttpResponse:
    overview = _editable_or_404(request, year)
    form = RemoveDayForm(request.POST, year=year)
    if not form.is_valid():
        return _render_edit(request, overview, error=DomainError(_("The request could not be processed.")))
    try:
        services.remove_day(
            actor=request.user, day=form.cleaned_data["date"], year_version=form.cleaned_data["version"]
        )
    except DomainError as error:
        return _render_edit(request, selectors.year_overview(year), error=error)
    messages.success(
        request,
        gettext("%(date)s is removed: it follows the Monday-to-Friday rule again.")
        % {"date": form.cleaned_data["date"].isoformat()},
    )
    return HttpResponseRedirect(_edit_url(year))


@login_required
@require_POST
def calendar_mark_year(request: HttpRequest, year: int) -> HttpResponse:
    overview = _editable_or_404(request, year)
    form = YearStatusForm(request.POST)
    if not form.is_valid():
        return _render_edit(request, overview, status_form=form, error=DomainError(_("Check the highlighted fields.")))
    try:
        services.mark_year(
            actor=request.user,
            year=year,
            status=form.cleaned_data["status"],
            source=form.cleaned_data["source"],
            version=form.cleaned_data["version"],
        )
    except DomainError as error:
        fresh = selectors.year_overview(year)
        form = YearStatusForm(_with_version(request, fresh.version))
        form.is_valid()
        _apply_domain_error(form, error)
        return _render_edit(request, fresh, status_form=form, error=error)
    messages.success(request, gettext("The status of %(year)s is saved.") % {"year": year})
    return HttpResponseRedirect(_edit_url(year))


# --- home section and navigation ---------------------------------------------------------------


def calendar_home_section(request: HttpRequest) -> dict[str, Any] | None:
    """For the city finance bureau: years in the next 12 months still waiting for the notice."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not selectors.can_edit_calendar(user):
        return None
    items = []
    for year, status in selectors.years_needing_notice(_today()):
        if status == YearStatus.MISSING:
            label = gettext("%(year)s: no holiday data, working days count Monday to Friday only") % {"year": year}
        else:
            label = gettext("%(year)s: statutory holidays only, make-up working days unknown") % {"year": year}
        items.append(
            {
                "label": label,
                "url": _edit_url(year),
                "note": gettext("Load the State Council notice on the %(year)s holiday arrangements.") % {"year": year},
            }
        )
    return {
        "id": "working-day-calendar",
        "title": gettext("Working-day calendar"),
        "items": items,
        "empty": gettext("The holiday table covers the next 12 months."),
    }


def _sees_calendar_editor(request: HttpRequest) -> bool:
    return selectors.can_edit_calendar(request.user)


def register_calendar_ui() -> None:
    register(NavEntry(_("Working-day calendar"), "core:calendar-edit-current", _sees_calendar_editor, order=900))
    register_home_section(calendar_home_section, order=900)
    services.register_audit_sentences()

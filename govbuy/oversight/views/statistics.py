"""Statistics pages: the oversight bodies' (their reach, with a refresh that queues the worker and
shows its progress), the public's (published figures only, cached by the page cache), and the
streamed xlsx exports of both. Thin: parse the filters, read through the selectors, render."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from govbuy.core.calendar.rules import local_date
from govbuy.core.errors import DomainError
from govbuy.core.pages import flash_domain_error
from govbuy.core.spreadsheets import XLSX_CONTENT_TYPE, stream_xlsx
from govbuy.organizations.models import Region
from govbuy.organizations.scope import scope_for
from govbuy.oversight.models import Audience, Measure
from govbuy.oversight.statistics import rules, selectors, services

MEASURE_LABELS = dict(Measure.choices)


def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A year that is not a year (400), a region or year without figures (404): said plainly."""
    return render(request, "oversight/statistics_error.html", {"message": exc.message}, status=exc.status)


def _read(request: HttpRequest, audience: str, regions: list[Region]) -> selectors.Statistics:
    years = selectors.years_with_figures(audience)
    filters = selectors.parse_filters(
        regions=regions, years=years, year=request.GET.get("year"), region=request.GET.get("region")
    )
    return selectors.figures(audience=audience, filters=filters, regions=regions, years=years)


def _query(stats: selectors.Statistics) -> str:
    params = {}
    if stats.filters.year is not None:
        params["year"] = str(stats.filters.year)
    if stats.filters.region is not None:
        params["region"] = stats.filters.region.name_zh
    return urlencode(params)


@login_required
@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    regions = selectors.regions_in_reach(request.user)
    try:
        stats = _read(request, Audience.STAFF, regions)
    except DomainError as exc:
        return _refused(request, exc)
    return render(
        request,
        "oversight/statistics.html",
        {
            "stats": stats,
            "query": _query(stats),
            "side_by_side": len(regions) > 1 and stats.filters.region is None,
            "may_refresh": rules.may_refresh(scope_for(request.user)),
        },
    )


@login_required
@require_POST
def statistics_refresh(request: HttpRequest) -> HttpResponse:
    selectors.regions_in_reach(request.user)
    try:
        run = services.request_refresh(actor=request.user)
    except DomainError as exc:
        flash_domain_error(request, exc)
        return redirect("oversight:statistics")
    return redirect("oversight:statistics_progress", run.pk)


@login_required
@require_safe
def statistics_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.refresh_for(request.user, pk)
    return render(request, "oversight/statistics_progress.html", {"run": run, "refresh_seconds": 2 * run.is_active})


def _export(stats_rows: Any, name: str) -> StreamingHttpResponse:
    header = [
        _("Fiscal year"),
        _("Region"),
        _("Measure"),
        _("Key"),
        _("Catalog category"),
        _("Category name"),
        _("Method"),
        _("Count"),
        _("Amount (yuan)"),
    ]

    def rows() -> Iterator[list[Any]]:
        yield header
        for year, region, measure, key, category, category_name, method, number, amount in stats_rows.iterator(
            chunk_size=2000
        ):
            label = MEASURE_LABELS.get(measure, measure)
            yield [year or "", region, str(label), key, category, category_name, method, number, amount]

    response = StreamingHttpResponse(stream_xlsx(rows(), title=_("Statistics")), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}-{local_date(timezone.now()).isoformat()}.xlsx"'
    return response


@login_required
@require_safe
def statistics_export(request: HttpRequest) -> HttpResponse:
    regions = selectors.regions_in_reach(request.user)
    try:
        years = selectors.years_with_figures(Audience.STAFF)
        filters = selectors.parse_filters(
            regions=regions, years=years, year=request.GET.get("year"), region=request.GET.get("region")
        )
    except DomainError as exc:
        return _refused(request, exc)
    return _export(selectors.export_cells(audience=Audience.STAFF, filters=filters, regions=regions), "statistics")


# --- Public -----------------------------------------------------------------------------------


@require_safe
def public_statistics(request: HttpRequest) -> HttpResponse:
    try:
        stats = _read(request, Audience.PUBLIC, selectors.public_regions())
    except DomainError as exc:
        return _refused(request, exc)
    return render(
        request,
        "oversight/statistics_public.html",
        {"stats": stats, "query": _query(stats), "side_by_side": stats.filters.region is None},
    )


@require_safe
def public_statistics_export(request: HttpRequest) -> HttpResponse:
    regions = selectors.public_regions()
    try:
        years = selectors.years_with_figures(Audience.PUBLIC)
        filters = selectors.parse_filters(
            regions=regions, years=years, year=request.GET.get("year"), region=request.GET.get("region")
        )
    except DomainError as exc:
        return _refused(request, exc)
    cells = selectors.export_cells(audience=Audience.PUBLIC, filters=filters, regions=regions)
    # A cell of a few survey answers could tell one answer: the public page shows satisfaction
    # only from PUBLIC_MIN_ANSWERS up, so the public export leaves those cells out.
    return _export(cells.exclude(measure=Measure.SATISFACTION), "public-statistics")

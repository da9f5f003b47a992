"""API for the working-day calendar: the holiday table (public to read, the city finance bureau
edits it) and the working-day calculator, so that clients count deadlines the way govbuy does.

Reading is open to everyone, like the public page. A write by anyone but the city finance bureau
is a 403: the table is public, so hiding it behind a 404 would hide nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import parse
from govbuy.api.calendar.serializers import (
    CalculatorQuerySerializer,
    CalculatorResultSerializer,
    CalendarDaySerializer,
    CalendarYearSerializer,
    DayInputSerializer,
    YearDetailSerializer,
    YearStatusInputSerializer,
)
from govbuy.api.errors import error_responses
from govbuy.core.calendar import rules as working_calendar
from govbuy.core.calendar import selectors, services
from govbuy.core.calendar.forms import MAX_CALCULATOR_DAYS
from govbuy.core.errors import NotFound
from govbuy.core.models import CalendarDay


def _year_payload(year: int) -> dict[str, Any]:
    overview = selectors.year_overview(year)
    return {
        "year": overview.year,
        "status": overview.status.value,
        "status_label": str(overview.status_label),
        "source": overview.source,
        "version": overview.version,
        "warning": selectors.year_warning(overview.status, overview.year),
        "days": CalendarDaySerializer(overview.days, many=True).data,
    }


def _year_from_path(year: int) -> int:
    if not selectors.valid_year(year):
        raise NotFound()
    return year


# --- Views ---------------------------------------------------------------------------------------


class _PublicReadStaffWrite(APIView):
    def get_permissions(self) -> list[Any]:
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return [AllowAny()]
        return [IsAuthenticated()]


@extend_schema_view(get=extend_schema(summary="Years in the holiday table"))
class YearListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = CalendarYearSerializer

    def get_queryset(self) -> Any:
        return selectors.years()


class YearDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="One year: status, warning and its public holidays and make-up working days",
        description="A year with no row answers status `missing`, version 0 and a warning: it is counted "
        "with weekends only.",
        responses={200: YearDetailSerializer, **error_responses(404)},
    )
    def get(self, request: Request, year: int) -> Response:
        return Response(_year_payload(_year_from_path(year)))


class YearStatusView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Mark a year official or provisional (city finance bureau)",
        request=YearStatusInputSerializer,
        responses={200: YearDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, year: int) -> Response:
        data = parse(YearStatusInputSerializer, request)
        services.mark_year(actor=request.user, year=_year_from_path(year), **data)
        return Response(_year_payload(year))


@extend_schema_view(
    get=extend_schema(
        summary="Public holidays and make-up working days",
        parameters=[OpenApiParameter("year", int, description="Only this year.")],
        responses={200: CalendarDaySerializer(many=True), **error_responses(400)},
    )
)
class DayListView(_PublicReadStaffWrite, generics.ListAPIView):
    serializer_class = CalendarDaySerializer

    def get_queryset(self) -> Any:
        raw = self.request.query_params.get("year")
        year = None
        if raw not in (None, ""):
            field = serializers.IntegerField(min_value=selectors.MIN_YEAR, max_value=selectors.MAX_YEAR)
            try:
                year = field.run_validation(raw)
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"year": exc.detail}) from exc
        return selectors.days(year)

    @extend_schema(
        summary="Add or change a day (city finance bureau)",
        description="Answers 201 for a new day, 200 for a changed or unchanged one. A make-up working day "
        "must be a Saturday or Sunday.",
        request=DayInputSerializer,
        responses={200: CalendarDaySerializer, 201: CalendarDaySerializer, **error_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        data = parse(DayInputSerializer, request)
        existed = CalendarDay.objects.filter(date=data["date"]).exists()
        day, _changed = services.set_day(
            actor=request.user,
            day=data["date"],
            kind=data["kind"],
            name_zh=data["name_zh"],
            name_en=data["name_en"],
            year_version=data["year_version"],
        )
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(CalendarDaySerializer(day).data, status=code)


DAY_PARAMETER = OpenApiParameter("day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="YYYY-MM-DD")


class DayDetailView(_PublicReadStaffWrite):
    @extend_schema(
        summary="One day of the holiday table",
        parameters=[DAY_PARAMETER],
        responses={200: CalendarDaySerializer, **error_responses(404)},
    )
    def get(self, request: Request, day: str) -> Response:
        row = CalendarDay.objects.filter(date=_parse_date(day)).first()
        if row is None:
            raise NotFound()
        return Response(CalendarDaySerializer(row).data)

    @extend_schema(
        summary="Remove a day (city finance bureau): it follows the Monday-to-Friday rule again",
        parameters=[
            DAY_PARAMETER,
            OpenApiParameter("year_version", int, required=True, description="The version of the year you read."),
        ],
        responses={204: None, **error_responses(400, 401, 403, 404, 409)},
    )
    def delete(self, request: Request, day: str) -> Response:
        field = serializers.IntegerField(min_value=0)
        try:
            version = field.run_validation(request.query_params.get("year_version", ""))
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"year_version": exc.detail}) from exc
        services.remove_day(actor=request.user, day=_parse_date(day), year_version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _parse_date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise NotFound() from exc


class AddWorkingDaysView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Working-day calculator",
        description="The days-th working day after start: start is not counted, weekends and public holidays "
        "are skipped, make-up working days count. days = 0 returns start; a negative number counts backwards. "
        "The deadline is the end of that day in Asia/Shanghai.",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter(
                "days", int, required=True, description=f"-{MAX_CALCULATOR_DAYS} to {MAX_CALCULATOR_DAYS}"
            ),
        ],
        responses={200: CalculatorResultSerializer, **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        data = parse(CalculatorQuerySerializer, request, query=True)
        start, days = data["start"], data["days"]
        calendar = working_calendar.get_calendar()
        result = calendar.add_working_days(start, days)
        uncertain = calendar.uncertain_years(start, result)
        warning = None
        if uncertain:
            warning = " ".join(filter(None, (selectors.year_warning(calendar.year_status(y), y) for y in uncertain)))
        deadline = calendar.deadline_at(start, working_calendar.TimeLimit.working_days(days)) if days >= 0 else None
        body = {
            "start": start,
            "days": days,
            "result": result,
            "result_weekday": result.isoweekday(),
            "deadline_at": deadline,
            "uncertain_years": list(uncertain),
            "warning": warning,
        }
        return Response(CalculatorResultSerializer(body).data)

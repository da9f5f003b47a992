"""Statistics: the oversight bodies' figures in their reach (with the refresh that queues the
worker and its progress, and the list of every figure), and the public figures (no sign-in).
Filters `year` (a fiscal year) and `region` (its Chinese name or its code) as on the pages; a year
that is not a year is a 400, a region or year without figures a 404, each with its message."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import StrictInputSerializer, paginate, parse, scoped
from govbuy.api.errors import error_responses
from govbuy.oversight.models import Audience, Measure, StatisticsRefresh
from govbuy.oversight.statistics import selectors, services

MONEY = {"max_digits": 18, "decimal_places": 2, "coerce_to_string": True}
RATE = {"max_digits": 7, "decimal_places": 2, "coerce_to_string": True, "allow_null": True}
FILTERS = [
    OpenApiParameter("year", str, description="A fiscal year with figures, e.g. 2026; blank for every year."),
    OpenApiParameter("region", str, description="A region's Chinese name (朝阳区) or code (110105); blank for all."),
]


class FilterInput(StrictInputSerializer):
    year = serializers.CharField(required=False, allow_blank=True, max_length=20)
    region = serializers.CharField(required=False, allow_blank=True, max_length=60)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class FiguresSerializer(serializers.Serializer):
    label = serializers.CharField()
    planned_count = serializers.IntegerField()
    planned_amount = serializers.DecimalField(**MONEY)
    awarded_count = serializers.IntegerField()
    awarded_amount = serializers.DecimalField(**MONEY)
    contracted_count = serializers.IntegerField()
    contracted_amount = serializers.DecimalField(**MONEY)
    paid_amount = serializers.DecimalField(**MONEY)
    tenders_opened = serializers.IntegerField()
    bids_opened = serializers.IntegerField()
    bids_per_tender = serializers.DecimalField(**RATE)
    single_bid_tenders = serializers.IntegerField()
    single_bid_rate = serializers.DecimalField(**RATE)
    budget_of_awarded_lots = serializers.DecimalField(**MONEY)
    savings = serializers.DecimalField(**MONEY)
    savings_rate = serializers.DecimalField(**RATE)
    signing_on_time_rate = serializers.DecimalField(**RATE)
    publication_on_time_rate = serializers.DecimalField(**RATE)
    payment_on_time_rate = serializers.DecimalField(**RATE)
    social_organisation_win_share = serializers.DecimalField(**RATE)
    evaluations_graded = serializers.IntegerField()
    average_score = serializers.DecimalField(**RATE)
    survey_answers = serializers.IntegerField()
    satisfaction_rate = serializers.DecimalField(**RATE)
    conversions = serializers.IntegerField()
    converted_amount = serializers.DecimalField(**MONEY)


class KindSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    registered = serializers.IntegerField()
    bids = serializers.IntegerField()
    wins = serializers.IntegerField()
    won = serializers.DecimalField(**MONEY)
    wins_share = serializers.DecimalField(**RATE)
    won_share = serializers.DecimalField(**RATE)


class StepSerializer(serializers.Serializer):
    label = serializers.CharField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rate = serializers.DecimalField(**RATE)


class RefreshSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField()

    class Meta:
        model = StatisticsRefresh
        fields = ("id", "status", "created_at", "started_at", "finished_at", "steps_done", "steps_total", "percent")


class StatisticsSerializer(serializers.Serializer):
    as_of = serializers.DateTimeField(allow_null=True)
    refreshing = RefreshSerializer(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    years = serializers.ListField(child=serializers.IntegerField())
    regions = serializers.ListField(child=serializers.CharField())
    total = FiguresSerializer()
    kinds = KindSerializer(many=True)
    timeliness = StepSerializer(many=True)
    by_year = FiguresSerializer(many=True)
    by_region = FiguresSerializer(many=True)
    by_category = FiguresSerializer(many=True)
    by_method = FiguresSerializer(many=True)


class CellSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    region = serializers.CharField()
    measure = serializers.ChoiceField(choices=Measure.choices)
    key = serializers.CharField()
    category = serializers.CharField()
    category_name = serializers.CharField()
    method = serializers.CharField()
    number = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)

    def to_representation(self, instance: Any) -> Any:
        names = ("year", "region", "measure", "key", "category", "category_name", "method", "number", "amount")
        return super().to_representation(dict(zip(names, instance, strict=True)))


def _figures(figures: selectors.Figures) -> dict[str, Any]:
    return {"label": figures.label, **figures.as_dict()}


def _statistics(request: Request, audience: str, regions: list[Any]) -> dict[str, Any]:
    data = parse(FilterInput, request, query=True)
    years = selectors.years_with_figures(audience)
    filters = selectors.parse_filters(regions=regions, years=years, year=data.get("year"), region=data.get("region"))
    stats = selectors.figures(audience=audience, filters=filters, regions=regions, years=years)
    return {
        "as_of": stats.refreshed.started_at if stats.refreshed else None,
        "refreshing": stats.running,
        "year": filters.year,
        "region": filters.region.name_zh if filters.region else None,
        "years": stats.years,
        "regions": [r.name_zh for r in stats.regions],
        "total": _figures(stats.total),
        "kinds": stats.total.kinds(),
        "timeliness": stats.total.timeliness(),
        "by_year": [_figures(f) for f in stats.by_year],
        "by_region": [_figures(f) for f in stats.by_region],
        "by_category": [_figures(f) for f in stats.by_category],
        "by_method": [_figures(f) for f in stats.by_method],
    }


class StatisticsView(APIView):
    @extend_schema(
        summary="Statistics in reach: totals and the figures by year, region, category and method",
        parameters=FILTERS,
        responses={200: StatisticsSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        regions = scoped(selectors.regions_in_reach, request.user)
        return Response(StatisticsSerializer(_statistics(request, Audience.STAFF, regions)).data)


class FiguresView(APIView):
    @extend_schema(
        summary="Every pre-aggregated figure in reach, one per measure, year, region, category and method",
        parameters=FILTERS,
        responses={200: CellSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        regions = scoped(selectors.regions_in_reach, request.user)
        data = parse(FilterInput, request, query=True)
        years = selectors.years_with_figures(Audience.STAFF)
        filters = selectors.parse_filters(
            regions=regions, years=years, year=data.get("year"), region=data.get("region")
        )
        rows = selectors.export_cells(audience=Audience.STAFF, filters=filters, regions=regions)
        return paginate(self, request, rows, CellSerializer)


class RefreshView(APIView):
    @extend_schema(
        summary="Queue a refresh of the figures (a finance bureau's staff); answers the refresh with its progress",
        request=None,
        responses={202: RefreshSerializer, **error_responses(403, 404)},
    )
    def post(self, request: Request) -> Response:
        scoped(selectors.regions_in_reach, request.user)
        run = services.request_refresh(actor=request.user)
        return Response(RefreshSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class RefreshDetailView(APIView):
    @extend_schema(
        summary="The progress of a refresh of the figures", responses={200: RefreshSerializer, **error_responses(404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(RefreshSerializer(scoped(selectors.refresh_for, request.user, pk)).data)


class PublicStatisticsView(APIView):
    permission_classes = [AllowAny]
    # JSON whatever the Accept header says: the public page cache keys an answer by its path,
    # query and language only (govbuy.core.public_pages), so the answer may not vary by format.
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="Public statistics: the published figures by year, region, category and method (no sign-in)",
        parameters=FILTERS,
        responses={200: StatisticsSerializer, **error_responses(400, 404)},
        tags=["portal"],
    )
    def get(self, request: Request) -> Response:
        payload = _statistics(request, Audience.PUBLIC, selectors.public_regions())
        return Response(StatisticsSerializer(payload).data)

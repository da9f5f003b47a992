"""Risk flags: the ranked list in reach and the dismissal with a reason."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import StrictInputSerializer, parse, scoped
from govbuy.api.errors import error_responses
from govbuy.api.pagination import PageNumberPagination
from govbuy.oversight import selectors
from govbuy.oversight.models import Flag
from govbuy.oversight.services import flagging


class RiskFlagSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.code")
    rule_name = serializers.CharField(source="rule.name_zh")
    explanation = serializers.CharField(source="rule.explanation_zh")
    tender = serializers.CharField(source="tender.reference")
    purchaser = serializers.CharField(source="purchaser.name_zh")

    class Meta:
        model = Flag
        fields = (
            "id",
            "rule",
            "rule_name",
            "explanation",
            "tender",
            "purchaser",
            "score",
            "evidence",
            "status",
            "raised_at",
            "dismissed_at",
            "dismiss_reason",
            "version",
        )


class DismissSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")


class FlagListView(APIView):
    @extend_schema(
        summary="Risk flags in reach, the highest score first", responses={200: RiskFlagSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        paginator = PageNumberPagination()
        rows = selectors.ranked_flags(request.user, status=str(request.query_params.get("status") or "open"))
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(RiskFlagSerializer(page, many=True).data)


class FlagDismissView(APIView):
    @extend_schema(
        summary="Dismiss a risk flag with the reason",
        request=DismissSerializer,
        responses={200: RiskFlagSerializer, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        flag = scoped(selectors.flag_for, request.user, pk)
        data = parse(DismissSerializer, request)
        done = flagging.dismiss_flag(actor=request.user, flag=flag, version=data["version"], reason=data["reason"])
        return Response(RiskFlagSerializer(done).data)

"""Endpoints of performance evaluation. Outside the caller's scope a round is a 404."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import parse, scoped
from govbuy.api.errors import error_responses
from govbuy.api.performance import serializers as s
from govbuy.api.performance import setup
from govbuy.core.errors import NotFound
from govbuy.core.middleware import client_ip
from govbuy.core.storage import open_verified
from govbuy.organizations.scope import scope_for
from govbuy.performance import selectors as performance_selectors
from govbuy.performance.services import rounds, surveys

FILTERS = [OpenApiParameter(name, OpenApiTypes.STR, required=False) for name in ("region", "category", "year", "grade")]


@extend_schema(tags=["performance"], parameters=FILTERS)
class ResultList(generics.ListAPIView):
    """Published evaluation results, filterable by region, category, year and grade."""

    permission_classes = [AllowAny]
    serializer_class = s.ResultSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return performance_selectors.published_results(
            **{key: str(params.get(key) or "") for key in ("region", "category", "year", "grade")}
        )


@extend_schema(tags=["performance"], responses={200: s.ResultSerializer, **error_responses(404)})
class ResultDetail(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request, pk: int) -> Response:
        obj = performance_selectors.published_result(pk)
        data = dict(s.ResultSerializer(obj).data)
        data["families"] = s.FamilySerializer(performance_selectors.family_points(obj), many=True).data
        return Response(data)


@extend_schema(tags=["performance"])
class TemplateList(generics.ListAPIView):
    serializer_class = s.IndicatorTemplateSerializer

    def get_queryset(self) -> Any:
        return performance_selectors.templates_list().prefetch_related("indicators")

    @extend_schema(
        operation_id="performance_templates_create",
        summary="Save a new version of a category's indicator template (city finance; weights sum to 100)",
        request=setup.IndicatorTemplateInput,
        responses={201: s.IndicatorTemplateSerializer, **error_responses(400, 404)},
    )
    def post(self, request: Request) -> Response:
        return setup.create_template(request)


@extend_schema(tags=["performance"], responses={200: s.IndicatorTemplateSerializer, **error_responses(404)})
class TemplateDetail(APIView):
    """One version of an indicator template (the staff of any organisation)."""

    def get(self, request: Request, pk: int) -> Response:
        if not scope_for(request.user).memberships:
            raise NotFound()
        found = scoped(performance_selectors.template_detail, pk)
        return Response(s.IndicatorTemplateSerializer(found).data)


@extend_schema(tags=["performance"])
class RoundList(generics.ListCreateAPIView):
    serializer_class = s.RoundSerializer

    def get_queryset(self) -> Any:
        return performance_selectors.rounds_for(
            self.request.user, status=str(self.request.query_params.get("status") or "")
        )

    @extend_schema(request=s.OpenRoundSerializer, responses={201: s.RoundSerializer, **error_responses(400, 404, 409)})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = parse(s.OpenRoundSerializer, request)
        obj = rounds.open_round(
            actor=request.user,
            contract=data["contract"],
            kind=data["kind"],
            milestone=data.get("milestone"),
            select_reevaluation=data.get("select_reevaluation", False),
        )
        return Response(s.RoundSerializer(obj).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["performance"], responses={200: s.RoundDetailSerializer, **error_responses(404)})
class RoundDetail(APIView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.RoundDetailSerializer(performance_selectors.round_for(request.user, pk)).data)


@extend_schema(
    tags=["performance"],
    summary="The evaluation report PDF of a published round (in Chinese, served after its sha256 is checked)",
    responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **error_responses(404, 500)},
)
class RoundReport(APIView):
    """The stored report of a round the caller may see; 404 before the result is published."""

    def get(self, request: Request, pk: int) -> HttpResponse:
        obj = performance_selectors.round_for(request.user, pk)
        if not obj.report_path:
            raise NotFound()
        response = FileResponse(
            open_verified(obj.report_path, obj.report_sha256),
            as_attachment=True,
            filename=f"{obj.contract.reference}-{obj.number}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema(
    tags=["performance"],
    request=s.RoundScoresSerializer,
    responses={200: s.RoundDetailSerializer, **error_responses(400, 404, 409)},
)
class RoundScores(APIView):
    def post(self, request: Request, pk: int) -> Response:
        obj = performance_selectors.round_for(request.user, pk)
        data = parse(s.RoundScoresSerializer, request)
        obj = rounds.enter_scores(
            actor=request.user, round=obj, version=data["version"], scores=[dict(r) for r in data["scores"]]
        )
        return Response(s.RoundDetailSerializer(performance_selectors.round_for(request.user, obj.pk)).data)


ACTIONS = {
    "submit-self": rounds.submit_self_assessment,
    "submit": rounds.submit_evaluation,
    "finalise": rounds.finalise,
    "select": rounds.select_for_reevaluation,
    "reevaluate": rounds.reevaluate,
    "publish": rounds.publish,
}


@extend_schema(
    tags=["performance"],
    request=s.RoundActionSerializer,
    responses={200: s.RoundSerializer, **error_responses(400, 404, 409)},
)
class RoundAction(APIView):
    """One transition of a round: submit-self, submit, finalise, return, select, reevaluate,
    respond or publish."""

    @extend_schema(operation_id="performance_rounds_action")
    def post(self, request: Request, pk: int, action: str) -> Response:
        obj = performance_selectors.round_for(request.user, pk)
        data = parse(s.RoundActionSerializer, request)
        if action == "return":
            rounds.return_evaluation(
                actor=request.user, round=obj, version=data["version"], reason=data.get("reason", "")
            )
        elif action == "respond":
            rounds.respond(actor=request.user, round=obj, version=data["version"], body=data.get("body", ""))
        elif action in ACTIONS:
            ACTIONS[action](actor=request.user, round=obj, version=data["version"])
        else:
            raise NotFound()
        return Response(s.RoundSerializer(performance_selectors.round_for(request.user, obj.pk)).data)


@extend_schema(
    tags=["performance"], request=s.SurveyAnswerSerializer, responses={201: None, **error_responses(400, 429)}
)
class SurveyAnswer(APIView):
    """An anonymous answer with a one-time code (no account)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    def post(self, request: Request) -> Response:
        data = parse(s.SurveyAnswerSerializer, request)
        surveys.submit_answer(
            code=data["code"],
            ratings=data["ratings"],
            comment=data.get("comment", ""),
            client_address=client_ip(request),
        )
        return Response(status=status.HTTP_201_CREATED)


def _survey_data(survey: Any) -> dict[str, Any]:
    from govbuy.performance import rules
    from govbuy.performance.services import common

    summary = surveys.summary(survey)
    visible = rules.aggregates_visible(summary.answers, common.policy_on(survey.opened_at.date()).min_answers)
    return {
        "id": survey.pk,
        "title": survey.title,
        "status": survey.status,
        "questions": survey.questions,
        "closes_at": survey.closes_at,
        "version": survey.version,
        "invitations": summary.invitations,
        "answers": summary.answers,
        "satisfaction_rate": summary.satisfaction_rate if visible else None,
        "response_rate": summary.response_rate if visible else None,
        "interval": list(summary.interval()) if visible else None,
        "distribution": {str(k): v for k, v in summary.distribution.items()} if visible else None,
    }


@extend_schema(tags=["performance"], responses={200: s.SurveySerializer, **error_responses(404)})
class SurveyDetail(APIView):
    """The purchaser's survey, with aggregates only (from the minimum number of answers)."""

    def get(self, request: Request, pk: int) -> Response:
        return Response(s.SurveySerializer(_survey_data(performance_selectors.survey_for(request.user, pk))).data)


@extend_schema(
    tags=["performance"],
    request=s.IssueSerializer,
    responses={201: s.IssuedSerializer, **error_responses(400, 404, 409)},
)
class SurveyIssue(APIView):
    """Issue one-time codes: returned once (only their keyed hashes are kept)."""

    def post(self, request: Request, pk: int) -> Response:
        survey = performance_selectors.survey_for(request.user, pk)
        data = parse(s.IssueSerializer, request)
        survey, codes = surveys.issue_invitations(
            actor=request.user, survey=survey, version=data["version"], count=data["count"]
        )
        links = [request.build_absolute_uri(reverse("performance-public:survey", args=[c])) for c in codes]
        response = Response({"codes": codes, "links": links}, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

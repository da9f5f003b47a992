"""The performance API's setting-up endpoints: opening a survey from a template with its first
codes, commissioning a third-party evaluator and the evaluator's commissions and report, new
template versions and the key-project thresholds (city finance)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import (
    AmountField,
    Base64Field,
    StrictInputSerializer,
    TransitionView,
    VersionSerializer,
    paginate,
    parse,
    scoped,
)
from govbuy.api.errors import error_responses
from govbuy.api.performance import serializers as s
from govbuy.core.errors import NotFound
from govbuy.organizations.scope import scope_for
from govbuy.performance import rules, survey_templates
from govbuy.performance import selectors as performance_selectors
from govbuy.performance.models import KeyProjectThreshold, Survey, ThirdPartyCommission
from govbuy.performance.services import commissions, surveys, templates

TAGS = ["performance"]


class SurveyRowSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.reference", read_only=True)
    answers = serializers.IntegerField(source="answer_count", read_only=True)
    invitations = serializers.IntegerField(source="invitation_count", read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "contract", "title", "status", "opened_at", "closes_at", "answers", "invitations", "version"]
        read_only_fields = fields


class LaunchInput(StrictInputSerializer):
    contract = serializers.IntegerField()
    template = serializers.ChoiceField(choices=[t.key for t in survey_templates.TEMPLATES])
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    count = serializers.IntegerField(min_value=1, max_value=2000)
    closes_at = serializers.DateTimeField()
    round = serializers.IntegerField(required=False, allow_null=True)


class LaunchedSerializer(serializers.Serializer):
    survey = SurveyRowSerializer()
    codes = serializers.ListField(child=serializers.CharField())
    links = serializers.ListField(child=serializers.CharField())


class SurveyList(APIView):
    @extend_schema(
        operation_id="performance_surveys_list",
        summary="Your purchasers' satisfaction surveys, with answer and invitation counts",
        responses={200: SurveyRowSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return paginate(self, request, performance_selectors.survey_rows(request.user), SurveyRowSerializer)

    @extend_schema(
        operation_id="performance_surveys_open",
        summary="Open a survey from a template and issue its first codes (returned once, never again)",
        request=LaunchInput,
        responses={201: LaunchedSerializer, **error_responses(400, 404, 409)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = parse(LaunchInput, request)
        survey, codes = surveys.launch_survey(actor=request.user, **data)
        links = [request.build_absolute_uri(reverse("performance-public:survey", args=[c])) for c in codes]
        row = performance_selectors.survey_rows(request.user).get(pk=survey.pk)
        body = {"survey": SurveyRowSerializer(row).data, "codes": codes, "links": links}
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


class CommissionSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.reference", read_only=True)
    round_number = serializers.IntegerField(source="round.number", read_only=True)
    evaluator = serializers.CharField(source="evaluator.name_zh", read_only=True)
    commissioned_by = serializers.CharField(source="commissioned_by.name_zh", read_only=True)

    class Meta:
        model = ThirdPartyCommission
        fields = [
            "id",
            "contract",
            "round",
            "round_number",
            "evaluator",
            "commissioned_by",
            "status",
            "report_name",
            "report_sha256",
            "reported_at",
            "version",
        ]
        read_only_fields = fields


class CommissionInput(VersionSerializer):
    """`version`: the round's version."""

    round = serializers.IntegerField()
    evaluator = serializers.IntegerField()


class ReportInput(VersionSerializer):
    name = serializers.CharField(max_length=200)
    content_base64 = Base64Field()


def _commission_row(pk: int) -> ThirdPartyCommission:
    return ThirdPartyCommission.objects.select_related("contract", "round", "evaluator", "commissioned_by").get(pk=pk)


class CommissionList(APIView):
    @extend_schema(
        operation_id="performance_commissions_list",
        summary="The third-party evaluator's own commissions (only those)",
        responses={200: CommissionSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return paginate(self, request, performance_selectors.commissions_for(request.user), CommissionSerializer)

    @extend_schema(
        operation_id="performance_commissions_create",
        summary="Commission a third-party evaluator for a round (the purchaser or the finance bureau)",
        description=(
            "Refused (400, code evaluator_refused) when the evaluator is related to the provider, bid in the "
            "same tender, or evaluated this provider's contracts for this purchaser within the look-back "
            "period; 409 when it is banned or the round already has one."
        ),
        request=CommissionInput,
        responses={201: CommissionSerializer, **error_responses(400, 404, 409)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = parse(CommissionInput, request)
        obj = scoped(performance_selectors.round_for, request.user, data["round"])
        created = commissions.commission(
            actor=request.user, round=obj, version=data["version"], evaluator=data["evaluator"]
        )
        return Response(CommissionSerializer(_commission_row(created.pk)).data, status=status.HTTP_201_CREATED)


class CommissionDetail(APIView):
    @extend_schema(
        operation_id="performance_commission",
        summary="One of the evaluator's commissions",
        responses={200: CommissionSerializer, **error_responses(404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(CommissionSerializer(scoped(performance_selectors.commission_for, request.user, pk)).data)


class CommissionReport(TransitionView):
    summary = "Deliver the evaluator's report (a PDF, stored write-once); its scores go in on the round"
    operation_id = "performance_commission_report"
    input_serializer = ReportInput
    output_serializer = CommissionSerializer
    tags = TAGS

    def lookup(self, request: Request, pk: int) -> ThirdPartyCommission:
        return performance_selectors.commission_for(request.user, pk)

    def perform(self, request: Request, obj: ThirdPartyCommission, data: dict[str, Any]) -> Any:
        return commissions.deliver_report(
            actor=request.user, commission=obj, version=data["version"], name=data["name"], data=data["content_base64"]
        )

    def refetch(self, result: ThirdPartyCommission) -> ThirdPartyCommission:
        return _commission_row(result.pk)


class IndicatorInput(StrictInputSerializer):
    family = serializers.CharField(max_length=24)
    name = serializers.CharField(max_length=200)
    weight = AmountField()
    unit = serializers.CharField(required=False, allow_blank=True, max_length=30)
    rule = serializers.CharField(max_length=8)
    direction = serializers.CharField(required=False, allow_blank=True, max_length=8)
    target_source = serializers.CharField(required=False, allow_blank=True, max_length=16)
    target_key = serializers.CharField(required=False, allow_blank=True, max_length=200)
    target_value = AmountField(required=False, allow_blank=True)
    guidance = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class IndicatorTemplateInput(StrictInputSerializer):
    category_code = serializers.CharField(max_length=32)
    category_name = serializers.CharField(max_length=200)
    effective_from = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    indicators = IndicatorInput(many=True, max_length=40)


def create_template(request: Request) -> Response:
    data = parse(IndicatorTemplateInput, request)
    created = templates.create_template(
        actor=request.user, **{**data, "indicators": [dict(row) for row in data["indicators"]]}
    )
    found = performance_selectors.templates_list().prefetch_related("indicators").get(pk=created.pk)
    return Response(s.IndicatorTemplateSerializer(found).data, status=status.HTTP_201_CREATED)


class ThresholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyProjectThreshold
        fields = ["id", "effective_from", "amount", "note"]
        read_only_fields = fields


class ThresholdInput(StrictInputSerializer):
    effective_from = serializers.DateField()
    amount = AmountField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ThresholdList(APIView):
    def _require(self, request: Request) -> None:
        if not rules.edits_templates(scope_for(request.user)):
            raise NotFound()

    @extend_schema(
        operation_id="performance_thresholds_list",
        summary="Key-project thresholds with the date each applies from (city finance)",
        responses={200: ThresholdSerializer(many=True), **error_responses(404)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        self._require(request)
        return paginate(self, request, performance_selectors.thresholds(), ThresholdSerializer)

    @extend_schema(
        operation_id="performance_thresholds_set",
        summary="Set the key-project threshold from a date (a row for the same date is replaced)",
        request=ThresholdInput,
        responses={201: ThresholdSerializer, **error_responses(400, 404)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        self._require(request)
        data = parse(ThresholdInput, request)
        row = templates.set_threshold(actor=request.user, **data)
        return Response(ThresholdSerializer(row).data, status=status.HTTP_201_CREATED)

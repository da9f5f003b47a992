"""Monitoring cases: list and open, read one, ask, answer (documents as base64), conclude,
report the remedy, close. Scoped like the pages; outside the reach a 404."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import StrictInputSerializer, parse, scoped
from govbuy.api.errors import error_responses
from govbuy.api.pagination import PageNumberPagination
from govbuy.core.errors import ValidationFailed
from govbuy.oversight import selectors
from govbuy.oversight.models import CaseQuestion, CaseReason, CaseStatus, MonitoringCase
from govbuy.oversight.services import monitoring


class QuestionSerializer(serializers.ModelSerializer):
    documents = serializers.SerializerMethodField()

    class Meta:
        model = CaseQuestion
        fields = ("id", "text", "due_on", "asked_at", "answer", "answered_at", "documents")

    def get_documents(self, obj: CaseQuestion) -> list[dict[str, Any]]:
        return [{"id": d.pk, "file_name": d.file_name, "sha256": d.sha256, "size": d.size} for d in obj.documents.all()]


class CaseSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.name_zh")
    purchaser = serializers.CharField(source="purchaser.name_zh")
    tender = serializers.CharField(source="tender.reference", allow_null=True)
    contract = serializers.CharField(source="contract.reference", allow_null=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    reason = serializers.ChoiceField(choices=CaseReason.choices)

    class Meta:
        model = MonitoringCase
        fields = (
            "id",
            "reference",
            "body",
            "purchaser",
            "tender",
            "contract",
            "project_id",
            "reason",
            "reason_details",
            "status",
            "conclusion",
            "obligations",
            "remedy_due",
            "remedy_report",
            "opened_at",
            "concluded_at",
            "closed_at",
            "version",
        )


class ReferralSerializer(serializers.Serializer):
    """A credit fact the case referred: unconfirmed until the provider's finance bureau confirms."""

    id = serializers.IntegerField(source="pk")
    provider = serializers.CharField(source="provider.name_zh")
    provider_id = serializers.IntegerField()
    kind = serializers.CharField()
    recording_authority = serializers.CharField(source="recording_authority.name_zh")
    status = serializers.SerializerMethodField()
    confirmed_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, obj: Any) -> str:
        if getattr(obj, "corrected_by", None) is not None:
            return "withdrawn"
        return "confirmed" if obj.confirmed_at else "awaiting_confirmation"


class CaseDetailSerializer(CaseSerializer):
    questions = QuestionSerializer(many=True, source="question_rows")
    referrals = ReferralSerializer(many=True, source="referral_rows")

    class Meta(CaseSerializer.Meta):
        fields = (*CaseSerializer.Meta.fields, "questions", "referrals")


class OpenSerializer(StrictInputSerializer):
    """Exactly one of project, tender and contract."""

    tender = serializers.IntegerField(required=False, allow_null=True, default=None)
    contract = serializers.IntegerField(required=False, allow_null=True, default=None)
    project = serializers.IntegerField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=20, allow_blank=True, default="")
    reason_details = serializers.CharField(max_length=4000, allow_blank=True, default="")


class AskSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)
    text = serializers.CharField(max_length=4000, allow_blank=True, default="")
    answer_days = serializers.IntegerField()


class DocumentSerializer(StrictInputSerializer):
    file_name = serializers.CharField(max_length=255)
    content_base64 = serializers.CharField()


class CaseAnswerSerializer(StrictInputSerializer):
    answer = serializers.CharField(max_length=4000, allow_blank=True, default="")
    documents = DocumentSerializer(many=True, required=False, default=list)


class ConcludeSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)
    violation = serializers.BooleanField()
    conclusion = serializers.CharField(max_length=4000, allow_blank=True, default="")
    obligations = serializers.CharField(max_length=4000, allow_blank=True, default="")
    remedy_days = serializers.IntegerField(required=False, allow_null=True, default=None)
    # A violation by a provider of the process, referred to its credit record.
    provider = serializers.IntegerField(required=False, allow_null=True, default=None)
    fact_kind = serializers.CharField(max_length=48, allow_blank=True, default="")
    legal_basis = serializers.CharField(max_length=300, allow_blank=True, default="")
    documents = DocumentSerializer(many=True, required=False, default=list)


class RemedySerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)
    report = serializers.CharField(max_length=4000, allow_blank=True, default="")


class CloseSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)


def _decoded(documents: list[dict[str, Any]]) -> list[tuple[str, bytes]]:
    out = []
    for doc in documents:
        try:
            out.append((doc["file_name"], base64.b64decode(doc["content_base64"], validate=True)))
        except (binascii.Error, ValueError) as exc:
            raise ValidationFailed(fields={"documents": ["Not valid base64."]}) from exc
    return out


def _case(request: Request, pk: Any) -> MonitoringCase:
    return scoped(selectors.case_for, request.user, pk)


def _detail(request: Request, pk: Any, code: int = status.HTTP_200_OK) -> Response:
    case = _case(request, pk)
    case.question_rows = selectors.questions_of(case)  # type: ignore[attr-defined]
    case.referral_rows = selectors.case_referrals(case)  # type: ignore[attr-defined]
    return Response(CaseDetailSerializer(case).data, status=code)


class CaseListView(APIView):
    @extend_schema(summary="Monitoring cases in reach", responses={200: CaseSerializer(many=True)})
    def get(self, request: Request) -> Response:
        paginator = PageNumberPagination()
        rows = selectors.visible_cases(request.user, status=str(request.query_params.get("status") or ""))
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(CaseSerializer(page, many=True).data)

    @extend_schema(
        summary="Open a monitoring case on a project, tender or contract, with its reason and reasons",
        request=OpenSerializer,
        responses={201: CaseDetailSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        data = parse(OpenSerializer, request)
        case = monitoring.open_case(
            actor=request.user,
            tender=data["tender"],
            contract=data["contract"],
            project=data["project"],
            reason=data["reason"],
            reason_details=data["reason_details"],
        )
        return _detail(request, case.pk, status.HTTP_201_CREATED)


class CaseView(APIView):
    @extend_schema(summary="A monitoring case with its questions and answers", responses={200: CaseDetailSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, pk)


class AskView(APIView):
    @extend_schema(
        summary="Ask the purchaser a question, to answer within working days",
        request=AskSerializer,
        responses={201: CaseDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(AskSerializer, request)
        monitoring.ask_question(actor=request.user, case=_case(request, pk), **data)
        return _detail(request, pk, status.HTTP_201_CREATED)


class AnswerView(APIView):
    @extend_schema(
        summary="The purchaser's answer, with documents (base64)",
        request=CaseAnswerSerializer,
        responses={200: CaseDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, question_pk: int) -> Response:
        data = parse(CaseAnswerSerializer, request)
        documents = _decoded(data["documents"])
        monitoring.answer_question(
            actor=request.user,
            case=_case(request, pk),
            question=question_pk,
            answer=data["answer"],
            documents=documents,
        )
        return _detail(request, pk)


class ConcludeView(APIView):
    @extend_schema(
        summary="Record the conclusion (published): no violation, or a violation with obligations and a deadline",
        request=ConcludeSerializer,
        responses={200: CaseDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(ConcludeSerializer, request)
        data["documents"] = _decoded(data["documents"])
        monitoring.conclude_case(actor=request.user, case=_case(request, pk), **data)
        return _detail(request, pk)


class RemedyView(APIView):
    @extend_schema(
        summary="The purchaser reports the remedy of a violation",
        request=RemedySerializer,
        responses={200: CaseDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(RemedySerializer, request)
        monitoring.report_remedy(actor=request.user, case=_case(request, pk), **data)
        return _detail(request, pk)


class CloseView(APIView):
    @extend_schema(
        summary="Close a concluded case",
        request=CloseSerializer,
        responses={200: CaseDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(CloseSerializer, request)
        monitoring.close_case(actor=request.user, case=_case(request, pk), **data)
        return _detail(request, pk)

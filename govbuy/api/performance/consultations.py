"""Public consultations (確定購買內容) in the API: the owner's list, opening one, its comments and
their moderation, the summary; and for the public the open and past consultations, their
published comments and the comment form (rate-limited per client address)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import StrictInputSerializer, TransitionView, VersionSerializer, paginate, parse, scoped
from govbuy.api.errors import error_responses
from govbuy.core.middleware import client_ip
from govbuy.performance import selectors as performance_selectors
from govbuy.performance.models import CommentStatus, ConsultationComment, PublicConsultation
from govbuy.performance.services import consultations

TAGS = ["performance"]


class ConsultationSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.name_zh", read_only=True)

    class Meta:
        model = PublicConsultation
        fields = [
            "id",
            "subject",
            "catalog_version",
            "fiscal_year",
            "owner",
            "title",
            "description",
            "opens_at",
            "closes_at",
            "status",
            "summary_received",
            "summary_changed",
            "summary_published_at",
            "version",
        ]
        read_only_fields = fields


class PublicCommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsultationComment
        fields = ["id", "name", "message", "submitted_at"]
        read_only_fields = fields


class ConsultationCommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsultationComment
        fields = ["id", "consultation", "name", "message", "status", "submitted_at", "rejection_reason", "version"]
        read_only_fields = fields


class OpenInput(StrictInputSerializer):
    subject = serializers.ChoiceField(choices=["catalog", "annual_plan"])
    catalog_version = serializers.IntegerField(required=False, allow_null=True)
    fiscal_year = serializers.IntegerField(required=False, allow_null=True, min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=8000)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()


class ConsultationCommentInput(StrictInputSerializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    message = serializers.CharField(max_length=2000, allow_blank=True)


class RejectInput(VersionSerializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class SummaryInput(VersionSerializer):
    received = serializers.CharField(max_length=8000, allow_blank=True)
    changed = serializers.CharField(max_length=8000, allow_blank=True, required=False)


class ReceiptSerializer(serializers.Serializer):
    status = serializers.CharField()
    detail = serializers.CharField()


class ConsultationList(APIView):
    @extend_schema(
        operation_id="performance_consultations_list",
        summary="The consultations of the organisations you act for",
        responses={200: ConsultationSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return paginate(self, request, performance_selectors.consultations_for(request.user), ConsultationSerializer)

    @extend_schema(
        operation_id="performance_consultations_open",
        summary="Open a draft catalog version (finance bureau) or a draft annual plan (purchaser) for comment",
        request=OpenInput,
        responses={201: ConsultationSerializer, **error_responses(400, 404)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = parse(OpenInput, request)
        created = consultations.open_consultation(actor=request.user, **data)
        return Response(ConsultationSerializer(created).data, status=status.HTTP_201_CREATED)


class ConsultationDetail(APIView):
    @extend_schema(
        operation_id="performance_consultation",
        summary="One of your consultations",
        responses={200: ConsultationSerializer, **error_responses(404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ConsultationSerializer(scoped(performance_selectors.consultation_for, request.user, pk)).data)


class ConsultationComments(APIView):
    @extend_schema(
        operation_id="performance_consultation_comments",
        summary="The comments on one of your consultations (status=pending, published or rejected)",
        responses={200: ConsultationCommentSerializer(many=True), **error_responses(404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        found = scoped(performance_selectors.consultation_for, request.user, pk)
        rows = performance_selectors.consultation_comments(found, status=str(request.query_params.get("status") or ""))
        return paginate(self, request, rows, ConsultationCommentSerializer)


class CommentPublish(TransitionView):
    summary = "Publish a comment on a consultation"
    operation_id = "performance_consultation_comment_publish"
    output_serializer = ConsultationCommentSerializer
    tags = TAGS

    def lookup(self, request: Request, pk: int) -> ConsultationComment:
        return performance_selectors.comment_for(request.user, pk)

    def perform(self, request: Request, obj: ConsultationComment, data: dict[str, Any]) -> Any:
        return consultations.moderate_comment(actor=request.user, comment=obj, version=data["version"], publish=True)


class CommentReject(TransitionView):
    summary = "Reject a comment on a consultation, with the reason (staff and auditors only)"
    operation_id = "performance_consultation_comment_reject"
    input_serializer = RejectInput
    output_serializer = ConsultationCommentSerializer
    tags = TAGS

    def lookup(self, request: Request, pk: int) -> ConsultationComment:
        return performance_selectors.comment_for(request.user, pk)

    def perform(self, request: Request, obj: ConsultationComment, data: dict[str, Any]) -> Any:
        return consultations.moderate_comment(
            actor=request.user, comment=obj, version=data["version"], publish=False, reason=data["reason"]
        )


class ConsultationSummary(TransitionView):
    summary = "Publish what was received and what was changed (after the period, every comment moderated)"
    operation_id = "performance_consultation_summary"
    input_serializer = SummaryInput
    output_serializer = ConsultationSerializer
    tags = TAGS

    def lookup(self, request: Request, pk: int) -> PublicConsultation:
        return performance_selectors.consultation_for(request.user, pk)

    def perform(self, request: Request, obj: PublicConsultation, data: dict[str, Any]) -> Any:
        return consultations.publish_summary(
            actor=request.user,
            consultation=obj,
            version=data["version"],
            received=data["received"],
            changed=data.get("changed", ""),
        )


class PublicConsultationList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="performance_public_consultations",
        summary="Drafts opened for public comment, open and past (public)",
        responses={200: ConsultationSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return paginate(self, request, performance_selectors.public_consultations(), ConsultationSerializer)


class PublicConsultationDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="performance_public_consultation",
        summary="One consultation with its summary once published (public)",
        responses={200: ConsultationSerializer, **error_responses(404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ConsultationSerializer(scoped(performance_selectors.public_consultation, pk)).data)


class PublicConsultationComments(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="performance_public_consultation_comments",
        summary="The published comments on a consultation (public)",
        responses={200: PublicCommentSerializer(many=True), **error_responses(404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        found = scoped(performance_selectors.public_consultation, pk)
        return paginate(self, request, performance_selectors.published_comments(found), PublicCommentSerializer)

    @extend_schema(
        operation_id="performance_public_consultation_comment",
        summary="Comment on a consultation while it is open (public; published after moderation)",
        description="Rate-limited per client address: past the limit the answer is 429.",
        request=ConsultationCommentInput,
        responses={202: ReceiptSerializer, **error_responses(400, 404, 409, 429)},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(ConsultationCommentInput, request)
        found = scoped(performance_selectors.public_consultation, pk)
        consultations.submit_comment(
            consultation=found,
            message=data["message"],
            name=data.get("name", ""),
            client_address=client_ip(request._request),
        )
        return Response(
            {
                "status": CommentStatus.PENDING,
                "detail": _("Thank you. Your comment will appear here once it has been read."),
            },
            status=status.HTTP_202_ACCEPTED,
        )

"""API of the public portal: the latest notices, a public project's history from plan to award,
its published feedback and the public's comment form; and the purchaser's moderation of the
comments. Same selectors, services and rules as the pages (govbuy/portal/)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.errors import error_responses
from govbuy.api.organizations import StrictInputSerializer
from govbuy.api.pagination import PageNumberPagination
from govbuy.core.errors import NotFound, ValidationFailed
from govbuy.core.middleware import client_ip
from govbuy.core.public_panels import project_panels
from govbuy.planning.models import AnnualPlan, Project
from govbuy.portal import rules as feedback_rules
from govbuy.portal import selectors as portal_selectors
from govbuy.portal import services as feedback_services
from govbuy.portal.models import Feedback, FeedbackStatus
from govbuy.procurement.models import Award, Tender


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _name(obj: Any) -> str:
    return str(obj.name_en if _english() and getattr(obj, "name_en", "") else obj.name_zh)


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        raise ValidationFailed(
            fields={k: [str(m) for m in v] if isinstance(v, list) else [str(v)] for k, v in serializer.errors.items()}
        )
    data: dict[str, Any] = serializer.validated_data
    return data


def _public_project(pk: Any) -> Project:
    try:
        return portal_selectors.public_project(pk)
    except Http404 as exc:
        raise NotFound(_("There is no public purchase project with this number."), code="project_not_found") from exc


# --- Home ------------------------------------------------------------------------------------------


class LatestTenderSerializer(serializers.ModelSerializer):
    purchaser = serializers.SerializerMethodField()
    method = serializers.SerializerMethodField()
    project = serializers.IntegerField(source="project_id")
    url = serializers.SerializerMethodField()
    project_url = serializers.SerializerMethodField()

    class Meta:
        model = Tender
        fields = [
            "id",
            "reference",
            "title",
            "status",
            "purchaser",
            "method",
            "budget",
            "published_at",
            "bid_deadline",
            "project",
            "url",
            "project_url",
        ]
        read_only_fields = fields

    def get_purchaser(self, obj: Tender) -> str:
        return _name(obj.purchaser)

    def get_method(self, obj: Tender) -> str:
        return _name(obj.method)

    def get_url(self, obj: Tender) -> str:
        return reverse("tenders:tender", args=[obj.pk])

    def get_project_url(self, obj: Tender) -> str:
        return reverse("portal:project", args=[obj.project_id])


class LatestAwardSerializer(serializers.ModelSerializer):
    tender = serializers.IntegerField(source="tender_id")
    reference = serializers.CharField(source="tender.reference")
    title = serializers.CharField(source="tender.title")
    lot = serializers.IntegerField(source="lot.number")
    supplier = serializers.SerializerMethodField()
    project_url = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = ["id", "tender", "reference", "title", "lot", "supplier", "amount", "confirmed_at", "project_url"]
        read_only_fields = fields

    def get_supplier(self, obj: Award) -> str:
        return _name(obj.provider)

    def get_project_url(self, obj: Award) -> str:
        return reverse("portal:project", args=[obj.tender.project_id])


class LatestPlanSerializer(serializers.ModelSerializer):
    purchaser = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = AnnualPlan
        fields = ["id", "purchaser", "region", "fiscal_year", "number", "total", "published_at", "url"]
        read_only_fields = fields

    def get_purchaser(self, obj: AnnualPlan) -> str:
        return _name(obj.purchaser)

    def get_region(self, obj: AnnualPlan) -> str:
        return _name(obj.region)

    def get_url(self, obj: AnnualPlan) -> str:
        return reverse("plans:plan", args=[obj.pk])


class PortalHomeSerializer(serializers.Serializer):
    tenders = LatestTenderSerializer(many=True)
    awards = LatestAwardSerializer(many=True)
    plans = LatestPlanSerializer(many=True)


class PortalHomeView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="portal_latest",
        summary="The portal home: the latest tender notices, awards and annual plans (public)",
        description=f"The newest {portal_selectors.LATEST} of each kind, newest first. Times in UTC (ISO 8601).",
        responses={200: PortalHomeSerializer},
        tags=["portal"],
    )
    def get(self, request: Request) -> Response:
        return Response(
            PortalHomeSerializer(
                {
                    "tenders": portal_selectors.latest_tenders(),
                    "awards": portal_selectors.latest_awards(),
                    "plans": portal_selectors.latest_plans(),
                }
            ).data
        )


# --- Project history -------------------------------------------------------------------------------


class HistoryEventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["plan", "plan_update", "tender", "clarification", "opening", "evaluation", "award"]
    )
    date = serializers.DateTimeField(allow_null=True)
    ref = serializers.CharField(help_text="A stable anchor of the step, e.g. tender-12.")
    url = serializers.CharField(help_text="The public page with the step's details.")
    facts = serializers.DictField(help_text="The step's public facts (amounts, counts, names); keys depend on kind.")


class ProjectHistorySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="project.pk")
    reference = serializers.CharField(source="project.reference")
    title = serializers.CharField(source="project.title")
    purchaser = serializers.CharField(source="project.purchaser.name_zh")
    region = serializers.CharField(source="project.region.name_zh")
    fiscal_year = serializers.IntegerField(source="project.fiscal_year")
    service_description = serializers.CharField(source="project.service_description")
    beneficiaries = serializers.CharField(source="project.beneficiaries")
    period_start = serializers.DateField(source="project.period_start")
    period_end = serializers.DateField(source="project.period_end")
    ocid = serializers.CharField()
    ocds_record = serializers.SerializerMethodField()
    events = HistoryEventSerializer(many=True)
    panels = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        default=list,
        help_text="What higher apps publish about the project, e.g. oversight's monitoring conclusions.",
    )

    def get_ocds_record(self, obj: Any) -> str | None:
        return reverse("disclosure:ocds-record", args=[obj.ocid]) if obj.has_record else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)  # Decimal amounts as exact strings, like the rest of the API


class ProjectHistoryView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="portal_project",
        summary="A public purchase project and its history from plan to award (public)",
        description=(
            "404 until the project is public (in a published annual plan, or with a published tender "
            "notice). Nothing about bids appears before the opening; after it, only their number."
        ),
        responses={200: ProjectHistorySerializer, **error_responses(404)},
        tags=["portal"],
    )
    def get(self, request: Request, pk: int) -> Response:
        history = portal_selectors.project_history(_public_project(pk))
        data: Any = ProjectHistorySerializer(history).data
        data["events"] = [{**event, "facts": _jsonable(event["facts"])} for event in data["events"]]
        data["panels"] = _jsonable(project_panels(history.project.pk))
        return Response(data)


# --- Feedback (public) -----------------------------------------------------------------------------


class PublishedFeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["id", "name", "message", "submitted_at", "reply", "replied_at"]
        read_only_fields = fields


class FeedbackInputSerializer(StrictInputSerializer):
    # Lengths are the rules' (feedback_rules.clean_submission), so the page and the API say the same.
    name = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    contact = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="Seen only by the purchaser; never published.",
    )
    message = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text=f"At most {feedback_rules.MAX_MESSAGE} characters."
    )


class FeedbackReceiptSerializer(serializers.Serializer):
    status = serializers.CharField()
    detail = serializers.CharField()


class ProjectFeedbackView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="portal_project_feedback_list",
        summary="The published comments on a public project, with the purchaser's replies (public)",
        responses={200: PublishedFeedbackSerializer(many=True), **error_responses(404)},
        tags=["portal"],
    )
    def get(self, request: Request, pk: int) -> Response:
        project = _public_project(pk)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(portal_selectors.published_feedback(project), request, view=self)
        return paginator.get_paginated_response(PublishedFeedbackSerializer(page, many=True).data)

    @extend_schema(
        operation_id="portal_project_feedback_submit",
        summary="Comment on a public project (public; stored for the purchaser's moderation)",
        description=(
            "The comment is published only after the purchaser reviews it. Rate-limited per client "
            "address (docs/operations.md): past the limit the answer is 429 with code feedback_rate_limited."
        ),
        request=FeedbackInputSerializer,
        responses={202: FeedbackReceiptSerializer, **error_responses(400, 404, 429)},
        tags=["portal"],
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(FeedbackInputSerializer, request)
        project = _public_project(pk)
        feedback_services.submit_feedback(
            actor=request.user,
            project=project,
            name=data["name"],
            contact=data["contact"],
            message=data["message"],
            client_address=client_ip(request._request),
        )
        return Response(
            {
                "status": FeedbackStatus.PENDING,
                "detail": _("Thank you. Your comment will appear here once the purchaser has reviewed it."),
            },
            status=status.HTTP_202_ACCEPTED,
        )


# --- Moderation (the purchaser) --------------------------------------------------------------------


class FeedbackModerationSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id")
    project_reference = serializers.CharField(source="project.reference")
    project_title = serializers.CharField(source="project.title")

    class Meta:
        model = Feedback
        fields = [
            "id",
            "project",
            "project_reference",
            "project_title",
            "name",
            "contact",
            "message",
            "status",
            "submitted_at",
            "moderated_at",
            "rejection_reason",
            "reply",
            "replied_at",
            "version",
        ]
        read_only_fields = fields


class FeedbackVersionSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)


class FeedbackRejectSerializer(FeedbackVersionSerializer):
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)


class FeedbackReplySerializer(FeedbackVersionSerializer):
    reply = serializers.CharField(allow_blank=True, trim_whitespace=False)


def _feedback(request: Request, pk: int) -> Feedback:
    try:
        return portal_selectors.feedback_for(request.user, pk)
    except Http404 as exc:
        raise NotFound() from exc


def _moderated(feedback: Feedback) -> Response:
    fresh = Feedback.objects.select_related("project").get(pk=feedback.pk)
    return Response(FeedbackModerationSerializer(fresh).data)


class ModerationQueueView(APIView):
    @extend_schema(
        operation_id="feedback_queue",
        summary="Comments on the projects of the purchasers you moderate for",
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=[*FeedbackStatus.values, "all"],
                description="pending (default, oldest first), published, rejected or all (newest first).",
            )
        ],
        responses={200: FeedbackModerationSerializer(many=True), **error_responses(401)},
        tags=["portal"],
    )
    def get(self, request: Request) -> Response:
        queue = portal_selectors.moderation_queue(
            request.user, status=str(request.query_params.get("status") or FeedbackStatus.PENDING)
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queue, request, view=self)
        return paginator.get_paginated_response(FeedbackModerationSerializer(page, many=True).data)


class ModerationDetailView(APIView):
    @extend_schema(
        operation_id="feedback_detail",
        summary="One comment, with the sender's contact (moderators of the project's purchaser)",
        responses={200: FeedbackModerationSerializer, **error_responses(401, 404)},
        tags=["portal"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(FeedbackModerationSerializer(_feedback(request, pk)).data)


class PublishView(APIView):
    @extend_schema(
        operation_id="feedback_publish",
        summary="Publish a pending comment (with its reply, if any) on the project page",
        request=FeedbackVersionSerializer,
        responses={200: FeedbackModerationSerializer, **error_responses(400, 401, 404, 409)},
        tags=["portal"],
    )
    def post(self, request: Request, pk: int) -> Response:
        feedback = _feedback(request, pk)  # out of reach: 404 before anything else is said
        data = _valid(FeedbackVersionSerializer, request)
        feedback = feedback_services.publish_feedback(actor=request.user, feedback=feedback, version=data["version"])
        return _moderated(feedback)


class RejectView(APIView):
    @extend_schema(
        operation_id="feedback_reject",
        summary="Reject a comment (or take a published one down), with the reason",
        request=FeedbackRejectSerializer,
        responses={200: FeedbackModerationSerializer, **error_responses(400, 401, 404, 409)},
        tags=["portal"],
    )
    def post(self, request: Request, pk: int) -> Response:
        feedback = _feedback(request, pk)
        data = _valid(FeedbackRejectSerializer, request)
        feedback = feedback_services.reject_feedback(
            actor=request.user, feedback=feedback, version=data["version"], reason=data["reason"]
        )
        return _moderated(feedback)


class ReplyView(APIView):
    @extend_schema(
        operation_id="feedback_reply",
        summary="Write the purchaser's public reply (shown with the comment once published)",
        request=FeedbackReplySerializer,
        responses={200: FeedbackModerationSerializer, **error_responses(400, 401, 404, 409)},
        tags=["portal"],
    )
    def post(self, request: Request, pk: int) -> Response:
        feedback = _feedback(request, pk)
        data = _valid(FeedbackReplySerializer, request)
        feedback = feedback_services.reply_to_feedback(
            actor=request.user, feedback=feedback, version=data["version"], reply=data["reply"]
        )
        return _moderated(feedback)


urlpatterns = [
    path("portal/", PortalHomeView.as_view(), name="portal-home"),
    path("portal/projects/<int:pk>/", ProjectHistoryView.as_view(), name="portal-project"),
    path("portal/projects/<int:pk>/feedback/", ProjectFeedbackView.as_view(), name="portal-project-feedback"),
    path("feedback/", ModerationQueueView.as_view(), name="portal-feedback-queue"),
    path("feedback/<int:pk>/", ModerationDetailView.as_view(), name="portal-feedback"),
    path("feedback/<int:pk>/publish/", PublishView.as_view(), name="portal-feedback-publish"),
    path("feedback/<int:pk>/reject/", RejectView.as_view(), name="portal-feedback-reject"),
    path("feedback/<int:pk>/reply/", ReplyView.as_view(), name="portal-feedback-reply"),
]

"""API of the public portal: the latest notices, a public project's history from plan to award,
its published feedback and the public's comment form; and the purchaser's moderation of the
comments. Same selectors, services and rules as the pages (govbuy/portal/)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import TransitionView, paginate, parse, scoped
from govbuy.api.errors import error_responses
from govbuy.api.pagination import PageNumberPagination
from govbuy.api.portal.serializers import (
    FeedbackInputSerializer,
    FeedbackModerationSerializer,
    FeedbackReceiptSerializer,
    FeedbackRejectSerializer,
    FeedbackReplySerializer,
    FeedbackVersionSerializer,
    PortalHomeSerializer,
    ProjectHistorySerializer,
    PublishedFeedbackSerializer,
)
from govbuy.core.errors import NotFound
from govbuy.core.middleware import client_ip
from govbuy.core.public_panels import project_panels
from govbuy.planning.models import Project
from govbuy.portal import selectors as portal_selectors
from govbuy.portal import services as feedback_services
from govbuy.portal.models import Feedback, FeedbackStatus


def _public_project(pk: Any) -> Project:
    try:
        return portal_selectors.public_project(pk)
    except Http404 as exc:
        raise NotFound(_("There is no public purchase project with this number."), code="project_not_found") from exc


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
        summary="A public purchase project and its history from plan to last payment (public)",
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
        data = parse(FeedbackInputSerializer, request)
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


def _feedback(request: Request, pk: int) -> Feedback:
    return scoped(portal_selectors.feedback_for, request.user, pk)


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
        return paginate(self, request, queue, FeedbackModerationSerializer)


class ModerationDetailView(APIView):
    @extend_schema(
        operation_id="feedback_detail",
        summary="One comment, with the sender's contact (moderators of the project's purchaser)",
        responses={200: FeedbackModerationSerializer, **error_responses(401, 404)},
        tags=["portal"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(FeedbackModerationSerializer(_feedback(request, pk)).data)


# `POST feedback/<pk>/<action>/`: one moderation service, answered with the comment as stored.
class ModerationStepView(TransitionView):
    output_serializer = FeedbackModerationSerializer
    errors = (400, 401, 404, 409)
    tags = ["portal"]

    def lookup(self, request: Request, pk: int) -> Feedback:
        return portal_selectors.feedback_for(request.user, pk)

    def refetch(self, result: Feedback) -> Feedback:
        return Feedback.objects.select_related("project").get(pk=result.pk)


class PublishView(ModerationStepView):
    summary = "Publish a pending comment (with its reply, if any) on the project page"
    operation_id = "feedback_publish"
    input_serializer = FeedbackVersionSerializer

    def perform(self, request: Request, obj: Feedback, data: dict[str, Any]) -> Feedback:
        return feedback_services.publish_feedback(actor=request.user, feedback=obj, version=data["version"])


class RejectView(ModerationStepView):
    summary = "Reject a comment (or take a published one down), with the reason"
    operation_id = "feedback_reject"
    input_serializer = FeedbackRejectSerializer

    def perform(self, request: Request, obj: Feedback, data: dict[str, Any]) -> Feedback:
        return feedback_services.reject_feedback(actor=request.user, feedback=obj, **data)


class ReplyView(ModerationStepView):
    summary = "Write the purchaser's public reply (shown with the comment once published)"
    operation_id = "feedback_reply"
    input_serializer = FeedbackReplySerializer

    def perform(self, request: Request, obj: Feedback, data: dict[str, Any]) -> Feedback:
        return feedback_services.reply_to_feedback(actor=request.user, feedback=obj, **data)

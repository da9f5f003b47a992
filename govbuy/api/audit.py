"""API for the audit trail: events, checkpoints and verification runs.

Same readers and scope as the audit pages (govbuy.audit.selectors): supervision, audit offices,
finance bureaus and platform admins; a district body reads its district's events. Everyone else
gets 404 on every endpoint.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.errors import error_responses
from govbuy.api.pagination import PageNumberPagination
from govbuy.audit import selectors, services
from govbuy.audit.describe import describe
from govbuy.audit.models import AuditCheckpoint, AuditEvent, VerifyRun
from govbuy.audit.selectors import EventFilters
from govbuy.audit.verify import checkpoint_signature_valid, reason_label

# --- Serializers -------------------------------------------------------------------------------


class EventFilterSerializer(serializers.Serializer):
    action = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Action codes starting with this, e.g. `audit.`."
    )
    object_type = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="e.g. `organizations.organisation`."
    )
    object_id = serializers.CharField(required=False, allow_blank=True, max_length=64)
    actor = serializers.CharField(required=False, allow_blank=True, max_length=150, help_text="User name or user id.")
    date_from = serializers.DateField(required=False, help_text="First day (Beijing time), inclusive.")
    date_to = serializers.DateField(required=False, help_text="Last day (Beijing time), inclusive.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"date_to": [_("The end date is before the start date.")]})
        return attrs

    def filters(self) -> EventFilters:
        data = self.validated_data
        return EventFilters(
            action_prefix=data.get("action", "").strip(),
            object_type=data.get("object_type", "").strip(),
            object_id=data.get("object_id", "").strip(),
            actor=data.get("actor", "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class AuditEventSerializer(serializers.ModelSerializer):
    description = serializers.SerializerMethodField(help_text="The event as a sentence in the request's language.")
    changes = serializers.JSONField(help_text="Changed fields: {field: [before, after]}.")
    data = serializers.JSONField(help_text="Further details of the event.")

    class Meta:
        model = AuditEvent
        fields = [
            "position",
            "occurred_at",
            "action",
            "description",
            "actor_id",
            "actor_label",
            "organisation_id",
            "organisation_label",
            "region_id",
            "object_type",
            "object_id",
            "changes",
            "data",
            "request_id",
            "ip",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_description(self, obj: AuditEvent) -> str:
        return describe(obj)


class AuditCheckpointSerializer(serializers.ModelSerializer):
    signature_valid = serializers.SerializerMethodField()

    class Meta:
        model = AuditCheckpoint
        fields = ["id", "position", "head_hash", "reason", "created_at", "signature", "signature_valid"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_signature_valid(self, obj: AuditCheckpoint) -> bool:
        return checkpoint_signature_valid(obj)


class VerifyRunSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True, help_text="Progress, 0–100.")
    reason_label = serializers.SerializerMethodField()

    class Meta:
        model = VerifyRun
        fields = [
            "id",
            "status",
            "status_label",
            "requested_by_label",
            "created_at",
            "started_at",
            "finished_at",
            "total",
            "checked",
            "percent",
            "first_broken_position",
            "reason",
            "reason_label",
            "checkpoint_position",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_reason_label(self, obj: VerifyRun) -> str:
        return reason_label(obj.reason)


# --- Views ---------------------------------------------------------------------------------------


class AuditListView(generics.ListAPIView):
    """A paginated list in the reader's scope; filtering is the selectors' job, not a backend's."""

    pagination_class = PageNumberPagination

    def access(self) -> selectors.AuditAccess:
        return selectors.require_audit_access(self.request.user)


@extend_schema_view(
    get=extend_schema(
        summary="Audit events in your scope, newest first",
        parameters=[EventFilterSerializer],
        responses={200: AuditEventSerializer(many=True), **error_responses(400, 404)},
    )
)
class EventListView(AuditListView):
    serializer_class = AuditEventSerializer

    def get_queryset(self) -> Any:
        access = self.access()
        query = EventFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.events(access, query.filters())


class EventDetailView(APIView):
    @extend_schema(summary="One audit event", responses={200: AuditEventSerializer, **error_responses(404)})
    def get(self, request: Request, position: int) -> Response:
        access = selectors.require_audit_access(request.user)
        return Response(AuditEventSerializer(selectors.event_at(access, position)).data)


@extend_schema_view(
    get=extend_schema(
        summary="Signed checkpoints of the chain's head, newest first",
        responses={200: AuditCheckpointSerializer(many=True), **error_responses(404)},
    )
)
class CheckpointListView(AuditListView):
    serializer_class = AuditCheckpointSerializer

    def get_queryset(self) -> Any:
        return selectors.checkpoints(self.access())


@extend_schema_view(
    get=extend_schema(
        summary="Verifications of the chain, newest first",
        responses={200: VerifyRunSerializer(many=True), **error_responses(404)},
    )
)
class VerifyRunListView(AuditListView):
    serializer_class = VerifyRunSerializer

    def get_queryset(self) -> Any:
        return selectors.verify_runs(self.access())

    @extend_schema(
        summary="Verify the whole chain now (in the background)",
        description="Answers 202 with the run to poll. While a run is queued or running, the same run is "
        "returned instead of starting another.",
        request=None,
        responses={202: VerifyRunSerializer, **error_responses(404)},
    )
    def post(self, request: Request) -> Response:
        self.access()
        run = services.request_verify_run(actor=request.user)
        run.refresh_from_db()
        return Response(VerifyRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class VerifyRunDetailView(APIView):
    @extend_schema(
        summary="State and result of one verification", responses={200: VerifyRunSerializer, **error_responses(404)}
    )
    def get(self, request: Request, run_id: int) -> Response:
        access = selectors.require_audit_access(request.user)
        return Response(VerifyRunSerializer(selectors.verify_run(access, run_id)).data)


urlpatterns = [
    path("audit/events/", EventListView.as_view(), name="audit-events"),
    path("audit/events/<int:position>/", EventDetailView.as_view(), name="audit-event-detail"),
    path("audit/checkpoints/", CheckpointListView.as_view(), name="audit-checkpoints"),
    path("audit/verify-runs/", VerifyRunListView.as_view(), name="audit-verify-runs"),
    path("audit/verify-runs/<int:run_id>/", VerifyRunDetailView.as_view(), name="audit-verify-run-detail"),
]

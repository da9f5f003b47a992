"""API for the audit trail: events, checkpoints and verification runs.

Same readers and scope as the audit pages (govbuy.audit.selectors): supervision, audit offices,
finance bureaus and platform admins; a district body reads its district's events. Everyone else
gets 404 on every endpoint."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.audit.serializers import (
    AuditCheckpointSerializer,
    AuditEventSerializer,
    EventFilterSerializer,
    VerifyRunSerializer,
)
from govbuy.api.errors import error_responses
from govbuy.api.pagination import PageNumberPagination
from govbuy.audit import selectors, services

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

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        # The sentences name people, not logins: their names for the whole page in one query.
        if args and kwargs.get("many"):
            kwargs["context"] = {**self.get_serializer_context(), "names": selectors.actor_names(args[0])}
        return super().get_serializer(*args, **kwargs)


class EventDetailView(APIView):
    @extend_schema(summary="One audit event", responses={200: AuditEventSerializer, **error_responses(404)})
    def get(self, request: Request, position: int) -> Response:
        access = selectors.require_audit_access(request.user)
        event = selectors.event_at(access, position)
        names = selectors.actor_names([event])
        return Response(AuditEventSerializer(event, context={"request": request, "names": names}).data)


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

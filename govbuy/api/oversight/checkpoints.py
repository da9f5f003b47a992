"""The audit chain's published daily checkpoints, as open data (no sign-in)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.pagination import PageNumberPagination
from govbuy.audit.models import AuditCheckpoint
from govbuy.oversight import selectors


class CheckpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditCheckpoint
        fields = ("position", "head_hash", "signature", "created_at")


class PublishedCheckpointsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="The signed checkpoint that closed each past day, newest first (public)",
        responses={200: CheckpointSerializer(many=True)},
        tags=["portal"],
    )
    def get(self, request: Request) -> Response:
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.published_checkpoints(), request, view=self)
        return paginator.get_paginated_response(CheckpointSerializer(page, many=True).data)

"""Serializers of the audit API (inputs derive from govbuy.api.base.StrictInputSerializer)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
        # The people's display names, looked up once for the page by the view
        # (govbuy.audit.selectors.actor_names), as the /audit/ page names them.
        return describe(obj, self.context.get("names"))


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

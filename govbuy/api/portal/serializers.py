"""Serializers of the portal API (inputs derive from govbuy.api.base.StrictInputSerializer)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from rest_framework import serializers

from govbuy.api.base import StrictInputSerializer
from govbuy.planning.models import AnnualPlan
from govbuy.portal import rules as feedback_rules
from govbuy.portal.models import Feedback
from govbuy.procurement.models import Award, Tender


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _name(obj: Any) -> str:
    return str(obj.name_en if _english() and getattr(obj, "name_en", "") else obj.name_zh)


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


# --- Project history -------------------------------------------------------------------------------


class HistoryEventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            "plan",
            "plan_update",
            "tender",
            "clarification",
            "opening",
            "evaluation",
            "award",
            "contract",
            "amendment",
            "milestone",
            "payment",
            "termination",
            "completion",
        ]
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

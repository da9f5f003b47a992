"""Serializers of the planning API (inputs derive from govbuy.api.base.StrictInputSerializer)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from govbuy.api.base import AmountField, StrictInputSerializer
from govbuy.core.review_panels import review_panels
from govbuy.planning import selectors
from govbuy.planning.models import (
    AnnualPlan,
    Budget,
    BudgetLine,
    CostCategory,
    CostLine,
    IndicatorFamily,
    Method,
    PerformanceTarget,
    PlanEntry,
    Project,
    Review,
    TenderThreshold,
    Transfer,
)

# --- Serializers ---------------------------------------------------------------------------------


class PlanningLineSerializer(serializers.ModelSerializer):
    available = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = BudgetLine
        fields = ["id", "budget", "code", "name", "budgeted_amount", "amount", "committed", "available", "version"]
        read_only_fields = fields


class PlanningTransferSerializer(serializers.ModelSerializer):
    source_code = serializers.CharField(source="source_line.code", read_only=True)
    target_code = serializers.CharField(source="target_line.code", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "project",
            "source_line",
            "source_code",
            "target_line",
            "target_code",
            "amount",
            "former_service",
            "created_at",
            "reversed_at",
        ]
        read_only_fields = fields


class PlanningBudgetSerializer(serializers.ModelSerializer):
    purchaser_name = serializers.CharField(source="purchaser.name_zh", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Budget
        fields = ["id", "purchaser", "purchaser_name", "region", "region_code", "fiscal_year", "note", "version"]
        read_only_fields = fields


class PlanningBudgetDetailSerializer(PlanningBudgetSerializer):
    lines = serializers.SerializerMethodField()
    transfers = serializers.SerializerMethodField()

    class Meta(PlanningBudgetSerializer.Meta):
        fields = [*PlanningBudgetSerializer.Meta.fields, "lines", "transfers"]
        read_only_fields = fields

    @extend_schema(responses=PlanningLineSerializer(many=True))
    def get_lines(self, obj: Budget) -> Any:
        return PlanningLineSerializer(selectors.lines_of(obj), many=True).data

    @extend_schema(responses=PlanningTransferSerializer(many=True))
    def get_transfers(self, obj: Budget) -> Any:
        return PlanningTransferSerializer(selectors.transfers_of(obj), many=True).data


class PlanningBudgetCreateSerializer(StrictInputSerializer):
    purchaser = serializers.IntegerField(min_value=1)
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PlanningLineCreateSerializer(StrictInputSerializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    amount = AmountField(help_text='Yuan as a decimal string, e.g. "120000.00".')


class PlanningLineUpdateSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read; a stale one answers 409.")
    name = serializers.CharField(max_length=200, required=False)
    amount = AmountField(required=False, help_text="The amount budgeted, in yuan.")


class PlanningImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx with the columns code, name, amount.")


class PlanningImportOutcomeSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class PlanningCostLineSerializer(serializers.ModelSerializer):
    cost_category = serializers.ChoiceField(source="category", choices=CostCategory.choices, read_only=True)

    class Meta:
        model = CostLine
        fields = ["position", "description", "cost_category", "unit", "quantity", "unit_cost", "amount"]
        read_only_fields = fields


class PlanningTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = PerformanceTarget
        fields = ["position", "family", "name", "direction", "target_value", "unit"]
        read_only_fields = fields


class PlanningReviewSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name_zh", read_only=True)

    class Meta:
        model = Review
        fields = ["kind", "decision", "comment", "organisation", "organisation_name", "decided_at"]
        read_only_fields = fields


PROJECT_FIELDS = [
    "id",
    "reference",
    "purchaser",
    "purchaser_name",
    "region",
    "fiscal_year",
    "title",
    "catalog_item",
    "outside_catalog_name",
    "outside_catalog_approved",
    "purchasability",
    "service_description",
    "beneficiaries",
    "period_start",
    "period_end",
    "recurring",
    "stable_content",
    "budget_secured",
    "budget_line",
    "estimate",
    "in_procurement_scope",
    "suggested_method",
    "is_conversion",
    "status",
    "staffing_review",
    "split_flag",
    "split_details",
    "negative_flag",
    "negative_details",
    "submitted_at",
    "decided_at",
    "version",
]


class PlanningProjectSerializer(serializers.ModelSerializer):
    purchaser_name = serializers.CharField(source="purchaser.name_zh", read_only=True)

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        read_only_fields = fields


class PlanningPanelItemSerializer(serializers.Serializer):
    label = serializers.CharField()
    text = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class PlanningPanelSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    items = PlanningPanelItemSerializer(many=True)
    empty = serializers.CharField(allow_blank=True)


class PlanningProjectDetailSerializer(PlanningProjectSerializer):
    cost_lines = PlanningCostLineSerializer(many=True, read_only=True)
    targets = PlanningTargetSerializer(many=True, read_only=True)
    reviews = PlanningReviewSerializer(many=True, read_only=True)
    transfer = serializers.SerializerMethodField()
    panels = serializers.SerializerMethodField()

    class Meta(PlanningProjectSerializer.Meta):
        fields = [*PROJECT_FIELDS, "cost_lines", "targets", "reviews", "transfer", "panels"]
        read_only_fields = fields

    @extend_schema_field(PlanningPanelSerializer(many=True))
    def get_panels(self, obj: Project) -> Any:
        """What higher apps show the reviewers, e.g. the last grades of the service it renews."""
        return PlanningPanelSerializer(review_panels(obj.pk), many=True).data

    @extend_schema(responses=PlanningTransferSerializer(allow_null=True))
    def get_transfer(self, obj: Project) -> Any:
        transfer = selectors.transfer_of(obj)
        return PlanningTransferSerializer(transfer).data if transfer else None


class PlanningCostInputSerializer(StrictInputSerializer):
    description = serializers.CharField(max_length=200)
    cost_category = serializers.ChoiceField(source="category", choices=CostCategory.choices)
    unit = serializers.CharField(max_length=30)
    quantity = serializers.CharField(max_length=20, help_text="Decimal string, > 0.")
    unit_cost = serializers.CharField(max_length=30, help_text="Yuan as a decimal string, > 0.")


class PlanningTargetInputSerializer(StrictInputSerializer):
    family = serializers.ChoiceField(choices=IndicatorFamily.choices)
    name = serializers.CharField(max_length=200)
    direction = serializers.ChoiceField(choices=PerformanceTarget.Direction.choices, default="at_least")
    target_value = serializers.CharField(max_length=20)
    unit = serializers.CharField(max_length=30)


class PlanningConversionInputSerializer(StrictInputSerializer):
    source_line = serializers.IntegerField(min_value=1, help_text="The in-house line the funds move from.")
    amount = AmountField(help_text="Yuan moved, > 0.")
    former_service = serializers.CharField(max_length=300)


class PlanningProjectWriteSerializer(StrictInputSerializer):
    budget_line = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200)
    catalog_item = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    outside_catalog_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    service_description = serializers.CharField(max_length=4000)
    beneficiaries = serializers.CharField(max_length=2000)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    recurring = serializers.BooleanField(required=False, default=False)
    stable_content = serializers.BooleanField(required=False, default=False)
    budget_secured = serializers.BooleanField(required=False, default=False)
    in_procurement_scope = serializers.BooleanField(required=False, default=True)
    suggested_method = serializers.ChoiceField(choices=Method.choices)
    cost_lines = PlanningCostInputSerializer(many=True, help_text="The work: quantity × unit cost per line.")
    targets = PlanningTargetInputSerializer(many=True)


class PlanningProjectCreateSerializer(PlanningProjectWriteSerializer):
    purchaser = serializers.IntegerField(min_value=1)
    conversion = PlanningConversionInputSerializer(required=False, allow_null=True, default=None)


class PlanningProjectUpdateSerializer(PlanningProjectWriteSerializer):
    """Sent with partial=True: only the fields given change; `version` is required by the view."""

    version = serializers.IntegerField(min_value=1, help_text="The version you read; a stale one answers 409.")


class PlanningVersionSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)


class PlanningCommentSerializer(PlanningVersionSerializer):
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class PlanningApproveSerializer(PlanningCommentSerializer):
    approve_outside_catalog = serializers.BooleanField(required=False, default=False)


class PlanningReasonSerializer(PlanningVersionSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PlanningPlanEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanEntry
        fields = [
            "position",
            "project",
            "reference",
            "title",
            "item_code",
            "item_name",
            "estimate",
            "method",
            "in_procurement_scope",
            "period_start",
            "period_end",
            "is_conversion",
            "beneficiaries",
        ]
        read_only_fields = fields


class PlanningPlanSerializer(serializers.ModelSerializer):
    purchaser_name = serializers.CharField(source="purchaser.name_zh", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "purchaser",
            "purchaser_name",
            "region",
            "region_code",
            "fiscal_year",
            "number",
            "is_current",
            "total",
            "note",
            "published_at",
        ]
        read_only_fields = fields


class PlanningPlanDetailSerializer(PlanningPlanSerializer):
    entries = PlanningPlanEntrySerializer(many=True, read_only=True)

    class Meta(PlanningPlanSerializer.Meta):
        fields = [*PlanningPlanSerializer.Meta.fields, "changes", "entries"]
        read_only_fields = fields


class PlanningPublishSerializer(StrictInputSerializer):
    purchaser = serializers.IntegerField(min_value=1)
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PlanningThresholdSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = TenderThreshold
        fields = ["id", "region", "region_code", "amount", "source", "version"]
        read_only_fields = fields


class PlanningThresholdInputSerializer(StrictInputSerializer):
    region = serializers.CharField(max_length=12, help_text="Region code, e.g. 110000.")
    amount = AmountField()
    source = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)


class PlanningTodoSerializer(serializers.Serializer):
    finance = PlanningProjectSerializer(many=True)
    staffing = PlanningProjectSerializer(many=True)
    purchaser = PlanningProjectSerializer(many=True)

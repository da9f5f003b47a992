"""Serializers of the procurement API (inputs derive from govbuy.api.base.StrictInputSerializer)."""

from __future__ import annotations

from rest_framework import serializers

from govbuy.api.base import (
    AmountField,
    Base64Field,
    StrictInputSerializer,
    VersionSerializer,
)
from govbuy.procurement.models import (
    Bid,
    CreditCheck,
    CreditResult,
    Criterion,
    Expert,
    Lot,
    PanelMember,
    ProcurementMethod,
    Ranking,
    Tender,
)


class MethodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcurementMethod
        fields = [
            "id",
            "code",
            "name_zh",
            "name_en",
            "in_procurement_scope",
            "min_period",
            "min_period_unit",
            "min_suppliers",
            "panel_size",
            "expert_share_percent",
            "evaluation_method",
            "price_weight_min",
            "price_weight_max",
            "publicity_working_days",
            "random_invitations",
            "requires_reason",
            "legal_basis",
            "version",
        ]
        read_only_fields = fields


class MethodUpdateSerializer(VersionSerializer):
    min_period = serializers.IntegerField(min_value=0, max_value=365, required=False)
    min_period_unit = serializers.ChoiceField(choices=["calendar_days", "working_days"], required=False)
    min_suppliers = serializers.IntegerField(min_value=1, max_value=100, required=False)
    panel_size = serializers.IntegerField(min_value=0, max_value=50, required=False)
    expert_share_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    price_weight_min = serializers.IntegerField(min_value=0, max_value=100, required=False)
    price_weight_max = serializers.IntegerField(min_value=0, max_value=100, required=False)
    publicity_working_days = serializers.IntegerField(min_value=0, max_value=60, required=False)
    random_invitations = serializers.IntegerField(min_value=0, max_value=50, required=False)


class LotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lot
        fields = ["id", "number", "title", "budget"]
        read_only_fields = fields


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["position", "name", "weight", "is_price"]
        read_only_fields = fields


class TenderSerializer(serializers.ModelSerializer):
    purchaser = serializers.CharField(source="purchaser.name_zh", read_only=True)
    method = serializers.CharField(source="method.code", read_only=True)

    class Meta:
        model = Tender
        fields = [
            "id",
            "reference",
            "title",
            "purchaser",
            "method",
            "budget",
            "bid_bond",
            "bid_deadline",
            "status",
            "published_at",
            "version",
        ]
        read_only_fields = fields


class TenderDetailSerializer(TenderSerializer):
    lots = LotSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta(TenderSerializer.Meta):
        fields = [
            *TenderSerializer.Meta.fields,
            "description",
            "method_reason",
            "failure_reason",
            "opened_at",
            "lots",
            "criteria",
        ]
        read_only_fields = fields


class CriterionInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    weight = serializers.IntegerField()
    is_price = serializers.BooleanField(default=False)


class LotInputSerializer(StrictInputSerializer):
    title = serializers.CharField(max_length=200)
    budget = AmountField(help_text='Yuan as a decimal string, e.g. "120000.00".')


class TenderCreateSerializer(StrictInputSerializer):
    project = serializers.IntegerField()
    title = serializers.CharField(max_length=200, required=False, default="")
    description = serializers.CharField(max_length=4000, required=False, default="")
    bid_deadline = serializers.DateTimeField()
    bid_bond = AmountField(required=False, default="0")
    criteria = CriterionInputSerializer(many=True)
    lots = LotInputSerializer(many=True, required=False, default=list)
    method = serializers.CharField(max_length=32, required=False, default="")
    method_reason = serializers.CharField(max_length=2000, required=False, default="")


class ReasonSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=2000)


class MethodChangeSerializer(ReasonSerializer):
    method = serializers.CharField(max_length=32)


class BidSerializer(serializers.ModelSerializer):
    lot = serializers.IntegerField(source="lot.number", read_only=True)
    provider = serializers.CharField(source="provider.name_zh", read_only=True)

    class Meta:
        model = Bid
        fields = ["id", "lot", "provider", "status", "submitted_at", "receipt_sha256", "price"]
        read_only_fields = fields


class BidDocumentInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    content_base64 = Base64Field()


class BidCreateSerializer(StrictInputSerializer):
    provider = serializers.IntegerField(required=False)
    lot = serializers.IntegerField(required=False, allow_null=True, default=None)
    price = AmountField(help_text='Yuan as a decimal string, e.g. "98000.00".')
    currency = serializers.CharField(max_length=8)
    responses = serializers.DictField(child=serializers.CharField(max_length=4000), required=False, default=dict)
    documents = BidDocumentInputSerializer(many=True, required=False, default=list)


class OpeningSerializer(serializers.Serializer):
    initiated_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    bid_count = serializers.IntegerField()
    record_sha256 = serializers.CharField()


class TenderDocumentInputSerializer(VersionSerializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField()


# --- Evaluation ----------------------------------------------------------------------------------


class ExpertSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name_zh", read_only=True, default="")
    user = serializers.CharField(source="user.username", read_only=True, default="")

    class Meta:
        model = Expert
        fields = ["id", "name", "expertise", "organisation", "affiliation", "user", "is_active", "version"]
        read_only_fields = fields


class ExpertCreateSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=100)
    expertise = serializers.CharField(max_length=200)
    organisation = serializers.IntegerField(required=False, allow_null=True, default=None)
    affiliation = serializers.CharField(max_length=200, required=False, default="")
    username = serializers.CharField(max_length=150, required=False, default="")


class PanelMemberSerializer(serializers.ModelSerializer):
    expert = serializers.CharField(source="expert.name", read_only=True)
    expertise = serializers.CharField(source="expert.expertise", read_only=True)

    class Meta:
        model = PanelMember
        fields = ["position", "expert", "expertise", "declaration", "declared_at"]
        read_only_fields = fields


class RankingSerializer(serializers.ModelSerializer):
    lot = serializers.IntegerField(source="lot.number", read_only=True)
    provider = serializers.CharField(source="bid.provider.name_zh", read_only=True)
    price = serializers.DecimalField(source="bid.price", max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Ranking
        fields = ["bid", "lot", "rank", "provider", "price", "price_score", "quality_score", "total"]
        read_only_fields = fields


class CreditCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditCheck
        fields = [
            "bid",
            "checked_at",
            "dishonest_debtors",
            "tax_violations",
            "procurement_violations",
            "reference",
            "evidence_name",
            "evidence_sha256",
        ]
        read_only_fields = fields


class EvaluationBidDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    file_name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    download = serializers.CharField(help_text="The API path of the file; each download is audited.")


class EvaluationBidSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    lot = serializers.IntegerField()
    provider = serializers.CharField()
    price = serializers.DecimalField(max_digits=14, decimal_places=2)
    disqualified_reason = serializers.CharField(allow_blank=True)
    documents = EvaluationBidDocumentSerializer(many=True)


class EvaluationSerializer(serializers.Serializer):
    seed = serializers.CharField(
        allow_null=True, help_text="For those who check the draw (purchaser, oversight); null for panel members."
    )
    candidates = serializers.ListField(child=serializers.IntegerField())
    members = PanelMemberSerializer(many=True)
    bids = EvaluationBidSerializer(many=True)
    reported_at = serializers.DateTimeField(allow_null=True)
    report_sha256 = serializers.CharField(allow_null=True)
    rankings = RankingSerializer(many=True)
    credit_checks = CreditCheckSerializer(many=True)


class DeclarationSerializer(StrictInputSerializer):
    conflict = serializers.BooleanField()
    statement = serializers.CharField(max_length=2000, required=False, default="")


class ScoresSerializer(StrictInputSerializer):
    scores = serializers.DictField(child=serializers.CharField(max_length=12))


class DisqualifySerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000)


class CreditCheckInputSerializer(StrictInputSerializer):
    dishonest_debtors = serializers.ChoiceField(choices=CreditResult.choices)
    tax_violations = serializers.ChoiceField(choices=CreditResult.choices)
    procurement_violations = serializers.ChoiceField(choices=CreditResult.choices)
    reference = serializers.CharField(max_length=500, required=False, default="")
    evidence = BidDocumentInputSerializer(required=False, allow_null=True, default=None)

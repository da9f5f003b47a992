"""Serializers of the contract API: read shapes of a contract and its parts, and one strict input
serializer per write (unknown fields are refused, so a status cannot be slipped in)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from govbuy.api.base import AmountField, StrictInputSerializer
from govbuy.contracts.models import (
    Amendment,
    AmendmentRationale,
    BondForm,
    Contract,
    Deliverable,
    DeliverableDocument,
    Milestone,
    MilestoneKind,
    MonitoringVisit,
    Payment,
    RosterMember,
    SubcontractingFlag,
    TerminationCause,
    VisitRating,
)


class ContractSerializer(serializers.ModelSerializer):
    purchaser = serializers.CharField(source="purchaser.name_zh")
    provider = serializers.CharField(source="provider.name_zh")

    class Meta:
        model = Contract
        fields = [
            "id",
            "reference",
            "title",
            "basis",
            "purchaser",
            "provider",
            "value",
            "amount_paid",
            "period_start",
            "period_end",
            "status",
            "signed_at",
            "signed_late",
            "published_at",
            "published_late",
            "filed_at",
            "filed_late",
            "version",
        ]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliverableDocument
        fields = ["id", "title", "display_name", "sha256", "size", "kind"]
        read_only_fields = fields


class DeliverableSerializer(serializers.ModelSerializer):
    documents = DocumentSerializer(many=True)

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "summary",
            "quantity_achieved",
            "status",
            "submitted_at",
            "decided_at",
            "return_reasons",
            "version",
            "documents",
        ]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    deliverables = DeliverableSerializer(many=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "sequence",
            "title",
            "kind",
            "due_date",
            "percentage",
            "quantity_target",
            "quality_target",
            "needs_evaluation",
            "status",
            "accepted_at",
            "deliverables",
        ]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "milestone", "amount", "paid_on", "reference"]
        read_only_fields = fields


class AmendmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Amendment
        fields = [
            "id",
            "number",
            "rationale",
            "description",
            "value_change",
            "new_period_end",
            "status",
            "proposed_at",
            "confirmed_at",
        ]
        read_only_fields = fields


class RosterSerializer(serializers.ModelSerializer):
    class Meta:
        model = RosterMember
        fields = ["id", "name", "role", "on_staff_list", "from_date", "to_date"]
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonitoringVisit
        fields = ["id", "visited_on", "rating", "findings"]
        read_only_fields = fields


class FlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubcontractingFlag
        fields = ["id", "kind", "detail", "raised_at"]
        read_only_fields = fields


class ClocksSerializer(serializers.Serializer):
    signing_due = serializers.DateField()
    publication_due = serializers.DateField(allow_null=True)
    filing_due = serializers.DateField(allow_null=True)


class ContractDetailSerializer(ContractSerializer):
    content = serializers.CharField()
    quantity_quality = serializers.CharField()
    settlement = serializers.CharField()
    original_value = serializers.DecimalField(max_digits=16, decimal_places=2)
    bond_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    bond_form = serializers.CharField()
    withheld = serializers.JSONField()
    pdf_sha256 = serializers.CharField()
    termination_cause = serializers.CharField()
    termination_reason = serializers.CharField()
    clocks = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField()
    payments = serializers.SerializerMethodField()
    amendments = serializers.SerializerMethodField()
    roster = serializers.SerializerMethodField()
    visits = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta(ContractSerializer.Meta):
        fields = [
            *ContractSerializer.Meta.fields,
            "content",
            "quantity_quality",
            "settlement",
            "original_value",
            "bond_amount",
            "bond_form",
            "withheld",
            "pdf_sha256",
            "termination_cause",
            "termination_reason",
            "clocks",
            "milestones",
            "payments",
            "amendments",
            "roster",
            "visits",
            "flags",
        ]
        read_only_fields = fields

    def _extra(self, key: str) -> Any:
        return self.context["extra"][key]

    @extend_schema_field(ClocksSerializer)
    def get_clocks(self, obj: Contract) -> Any:
        return ClocksSerializer(self._extra("clocks")).data

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, obj: Contract) -> Any:
        return MilestoneSerializer(self._extra("milestones"), many=True).data

    @extend_schema_field(PaymentSerializer(many=True))
    def get_payments(self, obj: Contract) -> Any:
        return PaymentSerializer(self._extra("payments"), many=True).data

    @extend_schema_field(AmendmentSerializer(many=True))
    def get_amendments(self, obj: Contract) -> Any:
        return AmendmentSerializer(self._extra("amendments"), many=True).data

    @extend_schema_field(RosterSerializer(many=True))
    def get_roster(self, obj: Contract) -> Any:
        return RosterSerializer(self._extra("roster"), many=True).data

    @extend_schema_field(VisitSerializer(many=True))
    def get_visits(self, obj: Contract) -> Any:
        return VisitSerializer(self._extra("visits"), many=True).data

    @extend_schema_field(FlagSerializer(many=True))
    def get_flags(self, obj: Contract) -> Any:
        return FlagSerializer(self._extra("flags"), many=True).data


# --- Inputs -----------------------------------------------------------------------------------------


class VersionInput(StrictInputSerializer):
    version = serializers.IntegerField()


class DrawInput(StrictInputSerializer):
    award = serializers.IntegerField()
    bond_amount = AmountField(required=False, default="0")
    bond_form = serializers.ChoiceField(choices=[*BondForm.values, "cash"], required=False, default="none")
    no_financing_guarantee = serializers.BooleanField()


class MilestoneInput(StrictInputSerializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()
    percentage = AmountField()
    quantity_target = serializers.CharField(max_length=300)
    quality_target = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=MilestoneKind.values, required=False, default="delivery")
    needs_evaluation = serializers.BooleanField(required=False, default=False)


class MilestonesInput(VersionInput):
    milestones = MilestoneInput(many=True)


class PayeeInput(VersionInput):
    account = serializers.IntegerField(required=False)
    bank_name = serializers.CharField(max_length=200, required=False, default="")
    account_name = serializers.CharField(max_length=200, required=False, default="")
    account_number = serializers.CharField(max_length=60, required=False, default="")


class WithheldInput(StrictInputSerializer):
    section = serializers.CharField(max_length=32)
    reason = serializers.CharField(max_length=500)


class PublishInput(VersionInput):
    withheld = WithheldInput(many=True, required=False, default=list)


class ReasonInput(VersionInput):
    reason = serializers.CharField(max_length=2000)


class DeliverableInput(StrictInputSerializer):
    milestone = serializers.IntegerField()
    summary = serializers.CharField(max_length=4000)
    quantity_achieved = serializers.CharField(max_length=300)
    title = serializers.CharField(max_length=200, required=False, default="")
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class ReturnInput(VersionInput):
    reasons = serializers.CharField(max_length=4000)


class VisitInput(StrictInputSerializer):
    visited_on = serializers.DateField()
    rating = serializers.ChoiceField(choices=VisitRating.values)
    findings = serializers.CharField(max_length=4000)


class PaymentInput(StrictInputSerializer):
    milestone = serializers.IntegerField()
    amount = AmountField()
    payee = serializers.IntegerField()
    reference = serializers.CharField(max_length=64)


class AmendmentInput(VersionInput):
    rationale = serializers.ChoiceField(choices=AmendmentRationale.values)
    description = serializers.CharField(max_length=4000)
    value_change = AmountField(required=False, default="0")
    new_period_end = serializers.DateField(required=False, allow_null=True, default=None)


class TerminateInput(ReasonInput):
    cause = serializers.ChoiceField(choices=TerminationCause.values)


class RosterInput(StrictInputSerializer):
    name = serializers.CharField(max_length=100)
    role = serializers.CharField(max_length=100)
    certificate_number = serializers.CharField(max_length=100, required=False, default="")
    phone = serializers.CharField(max_length=40, required=False, default="")
    from_date = serializers.DateField()
    to_date = serializers.DateField()


class FindingInput(VersionInput):
    finding = serializers.CharField(max_length=2000)


class TemplateSerializer(serializers.Serializer):
    body = serializers.CharField()
    version = serializers.IntegerField()


class TemplateInput(VersionInput):
    body = serializers.CharField(max_length=40000)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)

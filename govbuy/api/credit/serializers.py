from __future__ import annotations

from typing import Any

from rest_framework import serializers

from govbuy.api.base import StrictInputSerializer
from govbuy.credit.models import ENTERED_KINDS, Ban, CreditFact, ListKind, Objection


class CreditBanSerializer(serializers.ModelSerializer):
    authority = serializers.CharField(source="authority.name_zh", read_only=True)
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = Ban
        fields = [
            "id",
            "provider",
            "name_zh",
            "uscc",
            "address",
            "facts",
            "penalty",
            "legal_basis",
            "decision_number",
            "starts_on",
            "ends_on",
            "authority",
            "decided_on",
            "in_force",
        ]
        read_only_fields = fields

    def get_in_force(self, ban: Ban) -> bool:
        from django.utils import timezone

        today = timezone.localdate()
        return ban.starts_on <= today <= ban.ends_on and ban.restriction.lifted_at is None


class CreditFactSerializer(serializers.ModelSerializer):
    under_objection = serializers.SerializerMethodField()
    withdrawn = serializers.SerializerMethodField()

    class Meta:
        model = CreditFact
        fields = [
            "id",
            "provider",
            "kind",
            "direction",
            "occurred_at",
            "summary",
            "legal_basis",
            "source_type",
            "confirmed_at",
            "published",
            "under_objection",
            "withdrawn",
        ]
        read_only_fields = fields

    def get_under_objection(self, fact: CreditFact) -> bool:
        return bool(getattr(fact, "under_objection", False))

    def get_withdrawn(self, fact: CreditFact) -> bool:
        return bool(getattr(fact, "void", False))


class CreditLineSerializer(serializers.Serializer):
    fact_id = serializers.IntegerField()
    kind = serializers.CharField()
    occurred_on = serializers.DateField()
    points = serializers.DecimalField(max_digits=9, decimal_places=2)
    weight = serializers.DecimalField(max_digits=6, decimal_places=4)
    contribution = serializers.DecimalField(max_digits=9, decimal_places=2)
    counted = serializers.BooleanField()
    under_objection = serializers.BooleanField()
    note = serializers.CharField()
    stops_counting_on = serializers.DateField(allow_null=True)


class CreditChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    fact_id = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()
    on = serializers.DateField(allow_null=True)
    delta = serializers.DecimalField(max_digits=9, decimal_places=2)


class CreditRecordSerializer(serializers.Serializer):
    provider = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=9, decimal_places=2)
    base = serializers.DecimalField(max_digits=9, decimal_places=2)
    floor = serializers.DecimalField(max_digits=9, decimal_places=2)
    ceiling = serializers.DecimalField(max_digits=9, decimal_places=2)
    lines = CreditLineSerializer(many=True)
    changes = CreditChangeSerializer(many=True)
    facts = CreditFactSerializer(many=True)
    bans = CreditBanSerializer(many=True)


def record_data(provider_id: int, record: dict[str, Any]) -> dict[str, Any]:
    explanation = record["explanation"]
    return CreditRecordSerializer(
        {
            "provider": provider_id,
            "score": explanation.score,
            "base": explanation.base,
            "floor": explanation.floor,
            "ceiling": explanation.ceiling,
            "lines": explanation.lines,
            "changes": [change for change, _label in record["changes"]],
            "facts": [fact for fact, _line in record["facts"]],
            "bans": record["bans"],
        }
    ).data


class CreditObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "fact", "filed_at", "text", "status", "decide_by", "decided_at", "reasons", "version"]
        read_only_fields = fields


class CreditFactInputSerializer(StrictInputSerializer):
    provider = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=sorted(ENTERED_KINDS))
    occurred_on = serializers.DateField()
    summary = serializers.CharField(max_length=1000)
    legal_basis = serializers.CharField(max_length=300)
    evidence = serializers.FileField(required=False)


class CreditObjectionInputSerializer(StrictInputSerializer):
    text = serializers.CharField(max_length=4000)
    evidence = serializers.FileField(required=False)


class CreditDecisionInputSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)
    upheld = serializers.BooleanField()
    reasons = serializers.CharField(max_length=4000)


class CreditBanInputSerializer(StrictInputSerializer):
    provider = serializers.IntegerField(min_value=1)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    facts = serializers.CharField(max_length=2000)
    penalty = serializers.CharField(max_length=1000)
    legal_basis = serializers.CharField(max_length=300)
    decision_number = serializers.CharField(max_length=100)


class CreditListImportSerializer(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=ListKind.values)
    publisher = serializers.CharField(max_length=200)
    source = serializers.CharField(max_length=500)
    as_of = serializers.DateField()
    file = serializers.FileField()


class CreditListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    publisher = serializers.CharField()
    source = serializers.CharField()
    as_of = serializers.DateField()
    row_count = serializers.IntegerField()
    file_sha256 = serializers.CharField()


class CreditCheckSnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    bid = serializers.IntegerField(source="bid_id")
    provider = serializers.IntegerField(source="provider_id")
    stage = serializers.CharField()
    checked_at = serializers.DateTimeField()
    lists_used = serializers.JSONField()
    findings = serializers.JSONField()
    listed = serializers.BooleanField()
    override_reason = serializers.CharField()
    override_at = serializers.DateTimeField(allow_null=True)
    recorded = serializers.SerializerMethodField()

    def get_recorded(self, check: Any) -> bool:
        return check.recorded_check_id is not None


class CreditRankedBidSerializer(serializers.Serializer):
    bid = serializers.IntegerField()
    lot = serializers.IntegerField()
    rank = serializers.IntegerField()
    provider = serializers.CharField()
    check = CreditCheckSnapshotSerializer(allow_null=True)


class CreditRunCheckSerializer(StrictInputSerializer):
    bid = serializers.IntegerField(min_value=1)
    stage = serializers.ChoiceField(choices=["evaluation", "award"], default="evaluation")


class CreditCheckActionSerializer(StrictInputSerializer):
    action = serializers.ChoiceField(choices=["accept", "override", "confirm"])
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CreditReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    recipient = serializers.CharField(source="recipient.name_zh")
    issuer = serializers.CharField(source="issuer.name_zh")
    year = serializers.IntegerField()
    issued_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)
    row_count = serializers.IntegerField()
    rows = serializers.JSONField()


class CreditReportIssueSerializer(StrictInputSerializer):
    recipient = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=2000)

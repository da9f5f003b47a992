"""Serializers of the performance API. Score, points and grade are read-only everywhere: they
are computed by the rules and cannot be typed in."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from govbuy.api.base import StrictInputSerializer
from govbuy.performance.models import EvaluationRound, Indicator, IndicatorTemplate, Score


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "position",
            "family",
            "name",
            "weight",
            "unit",
            "rule",
            "direction",
            "target_source",
            "target_value",
        ]
        read_only_fields = fields


class IndicatorTemplateSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorTemplate
        fields = ["id", "category_code", "category_name", "number", "effective_from", "note", "indicators"]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.reference", read_only=True)
    contract_title = serializers.CharField(source="contract.title", read_only=True)
    provider = serializers.CharField(source="contract.provider.name_zh", read_only=True)
    purchaser = serializers.CharField(source="contract.purchaser.name_zh", read_only=True)
    template_version = serializers.IntegerField(source="template.number", read_only=True)

    class Meta:
        model = EvaluationRound
        fields = [
            "id",
            "contract",
            "contract_title",
            "purchaser",
            "provider",
            "number",
            "kind",
            "status",
            "template",
            "template_version",
            "reevaluation_required",
            "reevaluation_selected",
            "total",
            "grade",
            "response_due",
            "published_at",
            "report_sha256",
            "version",
        ]
        read_only_fields = fields


class ScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Score
        fields = ["indicator", "by", "value", "achieved", "target", "points", "evidence", "comment"]
        read_only_fields = fields


class RoundDetailSerializer(RoundSerializer):
    scores = serializers.SerializerMethodField()

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "scores"]
        read_only_fields = fields

    def get_scores(self, obj: EvaluationRound) -> list[dict[str, Any]]:
        return list(ScoreSerializer(obj.scores.all(), many=True).data)


class FamilySerializer(serializers.Serializer):
    family = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)


class ResultSerializer(RoundSerializer):
    class Meta(RoundSerializer.Meta):
        fields = [
            "id",
            "contract",
            "contract_title",
            "purchaser",
            "provider",
            "number",
            "kind",
            "total",
            "grade",
            "published_at",
            "report_sha256",
        ]
        read_only_fields = fields


class OpenRoundSerializer(StrictInputSerializer):
    contract = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["periodic", "final"])
    milestone = serializers.IntegerField(required=False, allow_null=True)
    select_reevaluation = serializers.BooleanField(required=False, default=False)


class ScoreInputSerializer(StrictInputSerializer):
    indicator = serializers.IntegerField()
    value = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    achieved = serializers.BooleanField(required=False, allow_null=True)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class RoundScoresSerializer(StrictInputSerializer):
    version = serializers.IntegerField()
    scores = ScoreInputSerializer(many=True)


class RoundActionSerializer(StrictInputSerializer):
    version = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    body = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class SurveyAnswerSerializer(StrictInputSerializer):
    code = serializers.CharField(max_length=40)
    ratings = serializers.ListField(child=serializers.IntegerField(), max_length=20)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SurveySerializer(serializers.Serializer):
    """A survey with aggregates only: the distribution and rates appear from the minimum number
    of answers, and never anything that tells one answer from another."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    questions = serializers.ListField(child=serializers.CharField())
    closes_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    invitations = serializers.IntegerField()
    answers = serializers.IntegerField()
    satisfaction_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    response_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    interval = serializers.ListField(child=serializers.DecimalField(max_digits=5, decimal_places=2), allow_null=True)
    distribution = serializers.DictField(child=serializers.IntegerField(), allow_null=True)


class IssueSerializer(StrictInputSerializer):
    version = serializers.IntegerField()
    count = serializers.IntegerField(min_value=1, max_value=2000)


class IssuedSerializer(serializers.Serializer):
    codes = serializers.ListField(child=serializers.CharField())
    links = serializers.ListField(child=serializers.CharField())

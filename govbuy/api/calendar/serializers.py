"""Serializers of the calendar API (inputs derive from govbuy.api.base.StrictInputSerializer)."""

from __future__ import annotations

from rest_framework import serializers

from govbuy.api.base import StrictInputSerializer
from govbuy.core.calendar.forms import MAX_CALCULATOR_DAYS
from govbuy.core.calendar.rules import YearStatus
from govbuy.core.models import CalendarDay, CalendarYear

YEAR_STATUSES = [s.value for s in YearStatus]


# --- Serializers -------------------------------------------------------------------------------


class CalendarDaySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "kind_label", "name_zh", "name_en", "updated_at"]
        read_only_fields = fields


class CalendarYearSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    holiday_count = serializers.IntegerField(read_only=True)
    workday_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CalendarYear
        fields = ["year", "status", "status_label", "source", "version", "holiday_count", "workday_count", "updated_at"]
        read_only_fields = fields


class YearDetailSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=YEAR_STATUSES, help_text="missing: no data, weekends only.")
    status_label = serializers.CharField()
    source = serializers.CharField()
    version = serializers.IntegerField(help_text="Name it when you edit the year; 0 when the year has no row.")
    warning = serializers.CharField(allow_null=True, help_text="Set when the year is provisional or missing.")
    days = CalendarDaySerializer(many=True)


class DayInputSerializer(StrictInputSerializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=CalendarDay.Kind.choices)
    name_zh = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    name_en = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    year_version = serializers.IntegerField(
        min_value=0, help_text="The version of the date's year you read (0 for a year with no row); stale → 409."
    )


class YearStatusInputSerializer(StrictInputSerializer):
    status = serializers.ChoiceField(choices=CalendarYear.Status.choices)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=0, help_text="The version you read (0 for a year with no row).")


class CalculatorQuerySerializer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField(min_value=-MAX_CALCULATOR_DAYS, max_value=MAX_CALCULATOR_DAYS)


class CalculatorResultSerializer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    result = serializers.DateField(help_text="The days-th working day after start (before it when days < 0).")
    result_weekday = serializers.IntegerField(help_text="ISO weekday of the result, 1 = Monday.")
    deadline_at = serializers.DateTimeField(
        allow_null=True, help_text="End of the result day in Asia/Shanghai; null when days < 0."
    )
    uncertain_years = serializers.ListField(
        child=serializers.IntegerField(), help_text="Years in the span whose holiday data is provisional or missing."
    )
    warning = serializers.CharField(allow_null=True)

"""Indicator templates and the key-project threshold: data the city finance bureau edits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.errors import NotFound, ValidationFailed
from govbuy.core.money import to_yuan
from govbuy.organizations.scope import scope_for
from govbuy.performance import rules
from govbuy.performance.models import (
    Direction,
    Indicator,
    IndicatorTemplate,
    KeyProjectThreshold,
    ScoringRule,
    TargetSource,
)


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    # Refused: not a number, NaN and infinities, more than two decimals (the column's precision).
    if not number.is_finite() or number.as_tuple().exponent < -2 or abs(number) >= 10**12:  # type: ignore[operator]
        raise ValidationFailed(_("Give a number."), code="not_a_number", fields={field: [_("Give a number.")]})
    return number


def _require_city_finance(actor: Any) -> None:
    if not rules.edits_templates(scope_for(actor)):
        raise NotFound()


def create_template(
    *,
    actor: Any,
    category_code: str,
    category_name: str,
    effective_from: date,
    indicators: list[dict[str, Any]],
    note: str = "",
) -> IndicatorTemplate:
    """A new version of a category's template. Earlier versions stay as they were: rounds keep
    the version they used."""
    _require_city_finance(actor)
    code = str(category_code or "").strip()
    if not code or not str(category_name or "").strip():
        raise ValidationFailed(_("Name the catalog category."), code="category_missing")
    cleaned = []
    for index, row in enumerate(indicators):
        weight = _decimal(row.get("weight"), f"indicators.{index}.weight")
        rule = str(row.get("rule") or "")
        cleaned.append(
            (
                row,
                rules.IndicatorInput(
                    name=str(row.get("name") or ""), family=str(row.get("family") or ""), weight=weight, rule=rule
                ),
            )
        )
    rules.check_template([c for _row, c in cleaned])
    with transaction.atomic():
        # Lock the category's versions so two editors cannot both create the same number.
        list(IndicatorTemplate.objects.select_for_update().filter(category_code=code).values_list("pk", flat=True))
        number = (IndicatorTemplate.objects.filter(category_code=code).aggregate(n=Max("number"))["n"] or 0) + 1
        template = IndicatorTemplate.objects.create(
            category_code=code,
            category_name=str(category_name).strip(),
            number=number,
            effective_from=effective_from,
            note=str(note or "")[:300],
            created_by=actor,
        )
        for position, (row, item) in enumerate(cleaned, start=1):
            source = str(
                row.get("target_source")
                or (TargetSource.NONE if item.rule != ScoringRule.RATIO else TargetSource.TEMPLATE)
            )
            if source not in TargetSource.values:
                message = _("Unknown target source.")
                raise ValidationFailed(
                    message, code="target_source", fields={f"indicators.{position - 1}.target_source": [message]}
                )
            direction = str(row.get("direction") or Direction.HIGHER)
            if direction not in Direction.values:
                message = _("Choose whether more or less is better.")
                raise ValidationFailed(
                    message, code="direction", fields={f"indicators.{position - 1}.direction": [message]}
                )
            target = row.get("target_value")
            target_value = None if target in (None, "") else _decimal(target, f"indicators.{position - 1}.target_value")
            Indicator.objects.create(
                template=template,
                position=position,
                family=item.family,
                name=item.name.strip(),
                weight=item.weight,
                unit=str(row.get("unit") or "")[:30],
                rule=item.rule,
                direction=direction,
                target_source=source,
                target_key=str(row.get("target_key") or "")[:200],
                target_value=target_value,
                guidance=str(row.get("guidance") or "")[:2000],
            )
        record_event(
            actor=actor,
            action="performance.template.created",
            obj=template,
            data={"category": template.category_name, "number": number, "indicators": len(cleaned)},
        )
    return template


def set_threshold(*, actor: Any, effective_from: date, amount: Any, note: str = "") -> KeyProjectThreshold:
    _require_city_finance(actor)
    value = to_yuan(amount)
    if value <= 0:
        raise ValidationFailed(_("The threshold must be above zero."), code="threshold_positive")
    with transaction.atomic():
        row, created = KeyProjectThreshold.objects.select_for_update().get_or_create(
            effective_from=effective_from, defaults={"amount": value, "note": note}
        )
        before = None if created else str(row.amount)
        if not created:
            row.amount, row.note = value, note
            row.save(update_fields=["amount", "note", "updated_at"])
        record_event(
            actor=actor,
            action="performance.threshold.set",
            obj=row,
            changes={"amount": (before, str(value))},
            data={"effective_from": effective_from.isoformat(), "amount": str(value)},
        )
    return row

"""Helpers shared by the performance services: the policy and thresholds in force, and the
audit event of a round."""

from __future__ import annotations

from datetime import date
from typing import Any

from govbuy.audit.services import record_event
from govbuy.core.calendar.rules import TimeLimit
from govbuy.core.errors import Conflict, NotFound
from govbuy.performance import rules
from govbuy.performance.models import EvaluationRound, KeyProjectThreshold, Policy


def policy_on(day: date) -> Policy:
    """The policy row in force on `day`; the defaults when there is none (an unsaved row)."""
    return Policy.objects.filter(effective_from__lte=day).order_by("-effective_from").first() or Policy(
        effective_from=day
    )


def flag_policy(policy: Policy) -> rules.FlagPolicy:
    return rules.FlagPolicy(
        burst_count=policy.burst_count,
        burst_seconds=policy.burst_seconds,
        identical_count=policy.identical_count,
        min_seconds_after_issue=policy.min_seconds_after_issue,
        hours_from=policy.hours_from if not isinstance(policy.hours_from, str) else rules.FlagPolicy().hours_from,
        hours_to=policy.hours_to if not isinstance(policy.hours_to, str) else rules.FlagPolicy().hours_to,
    )


def response_period(policy: Policy) -> TimeLimit:
    return TimeLimit.working_days(policy.response_working_days)


def thresholds() -> list[rules.KeyThreshold]:
    return [
        rules.KeyThreshold(day, amount)
        for day, amount in KeyProjectThreshold.objects.values_list("effective_from", "amount")
    ]


def as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def check_version(obj: Any, version: Any) -> None:
    if version is not None and str(version) != str(obj.version):
        raise Conflict()


def lock_round(pk: Any) -> EvaluationRound:
    locked = (
        EvaluationRound.objects.select_for_update(of=("self",))
        .select_related("contract__region", "contract__purchaser", "contract__provider", "template")
        .filter(pk=as_int(pk))
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


def round_event(
    actor: Any, action: str, obj: EvaluationRound, organisation: Any, changes: dict[str, Any] | None = None, **data: Any
) -> None:
    record_event(
        actor=actor,
        action=action,
        obj=obj,
        organisation=organisation,
        region_id=obj.contract.region_id,
        changes=changes or {},
        data={"contract": obj.contract.reference, "round": obj.number, **data},
    )

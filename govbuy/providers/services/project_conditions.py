"""Writes for project conditions and the table of discriminatory patterns (seed §三.三: the
purchaser sets a procurement's conditions with the finance bureau, and may not add conditions
unrelated to the service)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.organizations.kinds import PURCHASER_KINDS
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import Scope
from govbuy.providers import rules
from govbuy.providers.models import ConditionPattern, ProjectCondition
from govbuy.providers.services.common import scope_of


def active_patterns() -> list[rules.PatternRow]:
    return [
        rules.PatternRow(code=p.code, category=p.category, label_zh=p.label_zh, label_en=p.label_en, phrases=p.phrases)
        for p in ConditionPattern.objects.filter(is_active=True).order_by("category", "code")
    ]


@transaction.atomic
def create_condition(
    *, actor: Any, purchaser: Organisation | int, project_reference: str, text: str, service_requirement: str
) -> ProjectCondition:
    scope = scope_of(actor)
    purchaser_id = purchaser.pk if isinstance(purchaser, Organisation) else purchaser
    org = Organisation.objects.select_related("region").filter(pk=purchaser_id).first()
    if org is None or not scope.sees_organisation(org):
        raise NotFound()
    if not rules.may_set_conditions(scope, org.pk, PURCHASER_KINDS):
        raise PermissionRefused(_("Only the purchaser's staff set conditions for its procurements."))
    fields: dict[str, list[Any]] = {}
    for name, value in (
        ("project_reference", project_reference),
        ("text", text),
        ("service_requirement", service_requirement),
    ):
        if not (value or "").strip():
            fields[name] = [_("This field is required.")]
    if fields:
        message = _("Name the project, the condition and the service requirement it serves.")
        raise ValidationFailed(message, code="required", fields=fields)
    flags = rules.match_condition(text, active_patterns())
    status = ProjectCondition.Status.PENDING_APPROVAL if flags else ProjectCondition.Status.IN_FORCE
    condition = ProjectCondition.objects.create(
        purchaser=org,
        project_reference=project_reference.strip()[:200],
        text=text.strip()[:2000],
        service_requirement=service_requirement.strip()[:2000],
        status=status,
        flags=flags,
        created_by=actor,
    )
    record_event(
        actor=actor,
        action="providers.condition.flagged" if flags else "providers.condition.created",
        obj=condition,
        organisation=org,
        changes={"status": (None, status)},
        data={
            "project": condition.project_reference,
            "text": condition.text[:200],
            "flags": ", ".join(f["code"] for f in flags),
        },
    )
    return condition


def _lock_condition(scope: Scope, condition: ProjectCondition | int) -> ProjectCondition:
    pk = condition.pk if isinstance(condition, ProjectCondition) else condition
    locked = ProjectCondition.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound()
    locked.purchaser = Organisation.objects.select_related("region").get(pk=locked.purchaser_id)
    if not scope.sees_organisation(locked.purchaser):
        raise NotFound()
    return locked


@transaction.atomic
def decide_condition(
    *, actor: Any, condition: ProjectCondition | int, version: int, decision: str, reason: str = ""
) -> ProjectCondition:
    """The finance bureau approves a flagged condition, or rejects any condition as unrelated to
    the service (with the reason)."""
    scope = scope_of(actor)
    locked = _lock_condition(scope, condition)
    if not (scope.is_platform_admin or rules.is_finance_for(scope, locked.purchaser.region_id)):
        raise PermissionRefused(_("Only the finance bureau decides on project conditions."))
    if locked.version != version:
        raise Conflict()
    if decision not in (ProjectCondition.Status.APPROVED, ProjectCondition.Status.REJECTED):
        raise ValidationFailed(fields={"decision": [_("Choose approve or reject.")]})
    rules.check_condition_transition(locked.status, decision)
    reason = (reason or "").strip()
    if decision == ProjectCondition.Status.REJECTED and not reason:
        message = _("Say why the condition is unrelated to the service.")
        raise ValidationFailed(message, fields={"reason": [message]})
    before = locked.status
    locked.status = decision
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = reason[:1000]
    locked.version += 1
    locked.save()
    record_event(
        actor=actor,
        action=f"providers.condition.{decision}",
        obj=locked,
        organisation=locked.purchaser,
        changes={"status": (before, decision)},
        data={"project": locked.project_reference, "text": locked.text[:200], "reason": reason},
    )
    return locked


@transaction.atomic
def withdraw_condition(*, actor: Any, condition: ProjectCondition | int, version: int) -> ProjectCondition:
    scope = scope_of(actor)
    locked = _lock_condition(scope, condition)
    if not rules.may_set_conditions(scope, locked.purchaser_id, PURCHASER_KINDS):
        raise PermissionRefused(_("Only the purchaser's staff withdraw its conditions."))
    if locked.version != version:
        raise Conflict()
    rules.check_condition_transition(locked.status, ProjectCondition.Status.WITHDRAWN)
    before = locked.status
    locked.status = ProjectCondition.Status.WITHDRAWN
    locked.version += 1
    locked.save()
    record_event(
        actor=actor,
        action="providers.condition.withdrawn",
        obj=locked,
        organisation=locked.purchaser,
        changes={"status": (before, locked.status)},
        data={"project": locked.project_reference, "text": locked.text[:200]},
    )
    return locked


# --- Pattern table ----------------------------------------------------------------------------------


def _pattern_values(**values: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "phrases" in values:
        out["phrases"] = "\n".join(rules.check_phrases(values["phrases"]))
    for name in ("label_zh", "label_en"):
        if name in values:
            value = (values[name] or "").strip()
            if not value:
                raise ValidationFailed(fields={name: [_("This field is required.")]})
            out[name] = value
    if "category" in values:
        if values["category"] not in ConditionPattern.Category.values:
            raise ValidationFailed(fields={"category": [_("Choose a category.")]})
        out["category"] = values["category"]
    if "is_active" in values:
        out["is_active"] = bool(values["is_active"])
    return out


@transaction.atomic
def create_pattern(
    *, actor: Any, code: str, category: str, label_zh: str, label_en: str, phrases: str
) -> ConditionPattern:
    if not rules.may_edit_patterns(scope_of(actor)):
        raise PermissionRefused(_("Only the city finance bureau edits the pattern table."))
    code = (code or "").strip().lower()
    if not code or not code.replace("_", "").replace("-", "").isalnum() or not code.isascii():
        raise ValidationFailed(fields={"code": [_("Use lower-case letters, digits, “-” and “_”.")]})
    values = _pattern_values(category=category, label_zh=label_zh, label_en=label_en, phrases=phrases)
    try:
        with transaction.atomic():
            pattern = ConditionPattern.objects.create(code=code, **values)
    except IntegrityError:
        raise ValidationFailed(fields={"code": [_("A pattern with this code exists.")]}) from None
    record_event(
        actor=actor,
        action="providers.pattern.created",
        obj=pattern,
        changes={k: (None, v) for k, v in values.items()},
        data={"code": code},
    )
    return pattern


@transaction.atomic
def update_pattern(*, actor: Any, pattern: ConditionPattern | int, version: int, **values: Any) -> ConditionPattern:
    if not rules.may_edit_patterns(scope_of(actor)):
        raise PermissionRefused(_("Only the city finance bureau edits the pattern table."))
    unknown = set(values) - {"category", "label_zh", "label_en", "phrases", "is_active"}
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    pk = pattern.pk if isinstance(pattern, ConditionPattern) else pattern
    locked = ConditionPattern.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound()
    if locked.version != version:
        raise Conflict()
    cleaned = _pattern_values(**values)
    changes = {k: (getattr(locked, k), v) for k, v in cleaned.items() if getattr(locked, k) != v}
    if not changes:
        return locked
    for name, (_before, after) in changes.items():
        setattr(locked, name, after)
    locked.version += 1
    locked.save()
    record_event(
        actor=actor,
        action="providers.pattern.updated",
        obj=locked,
        changes=dict(changes),
        data={"code": locked.code, "fields": ", ".join(sorted(changes))},
    )
    return locked

"""Writes of the tender itself: methods (data the city finance bureau edits), a tender drafted
from an approved project, its documents, publication of the notice, cancellation, and the change
of method after a failed procurement (finance-bureau approval)."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import lift_seal, record_event
from govbuy.core import publication
from govbuy.core.calendar.rules import get_calendar
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.core.money import parse_decimal
from govbuy.core.storage import document_path, save_once
from govbuy.core.uploads import inspect_upload
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.planning.models import Project, ProjectStatus
from govbuy.procurement import rules, sealing
from govbuy.procurement.models import (
    Criterion,
    InvitationDraw,
    Lot,
    PeriodUnit,
    ProcurementMethod,
    Tender,
    TenderDocument,
    TenderStatus,
)
from govbuy.providers import selectors as provider_selectors

TENDER_TYPE = "procurement.tender"
DOCUMENT_KINDS = frozenset({"pdf", "docx", "xlsx"})
METHOD_FIELDS = (
    "min_period",
    "min_period_unit",
    "min_suppliers",
    "panel_size",
    "expert_share_percent",
    "price_weight_min",
    "price_weight_max",
    "publicity_working_days",
    "random_invitations",
)


def method_params(method: ProcurementMethod) -> rules.MethodParams:
    return rules.MethodParams(
        code=method.code,
        min_period=method.min_period,
        min_period_unit=method.min_period_unit,
        min_suppliers=method.min_suppliers,
        price_weight_min=method.price_weight_min,
        price_weight_max=method.price_weight_max,
        evaluation_method=method.evaluation_method,
        requires_reason=method.requires_reason,
    )


# --- Methods -------------------------------------------------------------------------------------


def update_method(*, actor: Any, method: ProcurementMethod | int, version: int, **values: Any) -> ProcurementMethod:
    """The city finance bureau changes a method's statutory parameters (a rule change is data)."""
    scope = scope_for(actor)
    if not scope.is_city_finance() or not any(m.kind == "finance_bureau" and m.writes for m in scope.memberships):
        raise PermissionRefused(_("Only the city finance bureau changes the procurement methods."))
    unknown = sorted(set(values) - set(METHOD_FIELDS))
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(f)s.") % {"f": ", ".join(unknown)})
    with transaction.atomic():
        pk = method.pk if isinstance(method, ProcurementMethod) else int(method)
        locked = ProcurementMethod.objects.select_for_update().filter(pk=pk).first()
        if locked is None:
            raise NotFound()
        if locked.version != int(version):
            raise Conflict()
        changes: dict[str, tuple[Any, Any] | list[Any]] = {}
        for name, raw in values.items():
            if name == "min_period_unit":
                if raw not in PeriodUnit.values:
                    raise ValidationFailed(_("Unknown unit."), fields={name: [_("Choose calendar or working days.")]})
                value: Any = raw
            else:
                try:
                    value = int(str(raw))
                except ValueError:
                    value = -1
                if value < 0 or value > 365:
                    message = _("Give a whole number from 0 to 365.")
                    raise ValidationFailed(message, fields={name: [message]})
            if getattr(locked, name) != value:
                changes[name] = (getattr(locked, name), value)
                setattr(locked, name, value)
        if locked.min_suppliers < 1:
            raise ValidationFailed(_("At least one supplier is needed."), fields={"min_suppliers": [_("At least 1.")]})
        if not locked.price_weight_min <= locked.price_weight_max <= 100:
            message = _("The price-weight bounds must satisfy minimum ≤ maximum ≤ 100.")
            raise ValidationFailed(message, fields={"price_weight_min": [message]})
        if locked.expert_share_percent > 100:
            raise ValidationFailed(_("A share is at most 100 %."), fields={"expert_share_percent": [_("At most 100.")]})
        if not changes:
            return locked
        locked.version += 1
        locked.save()
        org = next(
            (Organisation.objects.get(pk=m.organisation_id) for m in scope.memberships if m.kind == "finance_bureau"),
            None,
        )
        record_event(
            actor=actor,
            action="procurement.method.changed",
            obj=locked,
            organisation=org,
            changes=changes,
            data={"method": locked.name_zh, "fields": ", ".join(sorted(changes))},
        )
    return locked


# --- Tenders -------------------------------------------------------------------------------------


def _lock_tender(tender: Tender | int, version: int | None = None) -> Tender:
    pk = tender.pk if isinstance(tender, Tender) else int(tender)
    locked = (
        Tender.objects.select_for_update(of=("self",))
        .select_related("purchaser__region", "method", "project")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    if version is not None and locked.version != int(version):
        raise Conflict()
    return locked


def _check_purchaser(actor: Any, purchaser_id: int) -> None:
    if not rules.purchaser_staff_of(scope_for(actor), purchaser_id):
        raise PermissionRefused(_("Only the purchaser's staff manage its tenders."))


def _method_for(project: Project, method_code: str | None) -> ProcurementMethod:
    """The project's planned method, or the one the finance bureau approved after a failure."""
    code = method_code or project.suggested_method
    method = ProcurementMethod.objects.filter(code=code).first()
    if method is None:
        raise ValidationFailed(_("Unknown procurement method."), fields={"method": [_("Unknown method.")]})
    if code != project.suggested_method:
        approved = Tender.objects.filter(project=project, status=TenderStatus.FAILED, approved_method=method).exists()
        if not approved:
            message = _(
                "A method other than the planned one needs the finance bureau's approval after a failed procurement."
            )
            raise ValidationFailed(message, fields={"method": [message]})
    return method


def _refuse_negative_matter(fields: dict[str, str]) -> None:
    """The project passed the negative list (Order 102 Art. 10); the tender's own texts must not
    put a matter back in (same normalised matching as the project's)."""
    from govbuy.catalog import rules as catalog_rules
    from govbuy.catalog import selectors as catalog_selectors

    for finding in catalog_selectors.negative_findings_for(fields):
        if finding.kind == "match":
            message = catalog_rules.negative_refusal(finding.matter)
            raise ValidationFailed(message, code="negative_list", fields={finding.field: [message]})


def create_tender(
    *,
    actor: Any,
    project: Project | int,
    title: str = "",
    description: str = "",
    bid_deadline: Any,
    bid_bond: Any = "0",
    criteria: list[dict[str, Any]],
    lots: list[dict[str, Any]] | None = None,
    method: str | None = None,
    method_reason: str = "",
) -> Tender:
    """Draft a tender from an approved project (Order 102 Art. 14: budget arranged, in the plan)."""
    pk = project.pk if isinstance(project, Project) else int(project)
    with transaction.atomic():
        locked = Project.objects.select_for_update(of=("self",)).select_related("purchaser").filter(pk=pk).first()
        if locked is None or not scope_for(actor).sees_organisation(locked.purchaser):
            raise NotFound()
        _check_purchaser(actor, locked.purchaser_id)
        if locked.status not in (ProjectStatus.APPROVED, ProjectStatus.IN_PLAN):
            message = _("A tender can only be made from an approved project.")
            raise ValidationFailed(message, fields={"project": [message]})
        live = Tender.objects.filter(project=locked, status__in=rules.LIVE_STATES).first()
        if live is not None:
            conflict = _(
                "This project already has a tender (%(reference)s, %(status)s): continue with that one, "
                "or cancel it before drafting another."
            ) % {"reference": live.reference, "status": live.get_status_display()}
            raise Conflict(conflict, fields={"project": [conflict]})
        chosen = _method_for(locked, method)
        params = method_params(chosen)
        reason = (method_reason or "").strip()
        if params.requires_reason and not reason:
            message = _("This method needs a stated reason.")
            raise ValidationFailed(message, fields={"method_reason": [message]})
        budget = locked.estimate
        bond = parse_decimal(bid_bond or "0", field="bid_bond")
        rules.check_bond(bond, budget)
        cleaned = rules.clean_criteria(criteria, params)
        lot_rows = rules.clean_lots(lots or [], budget, title or locked.title)
        deadline = rules.parse_moment(
            bid_deadline, field="bid_deadline", message=_("Give the bid deadline as a date and time.")
        )
        rules.check_deadline(start=timezone.now(), deadline=deadline, method=params, calendar=get_calendar())
        name = (title or locked.title).strip()[:200]
        lot_titles = {f"lots.{i}.title": lot_title for i, (_n, lot_title, _b) in enumerate(lot_rows)}
        _refuse_negative_matter({"title": name, "description": description, **lot_titles})
        attempt = Tender.objects.filter(project=locked).count() + 1
        tender = Tender.objects.create(
            project=locked,
            purchaser=locked.purchaser,
            region_id=locked.region_id,
            method=chosen,
            method_reason=reason,
            reference=f"{locked.reference}-T{attempt}",
            title=name,
            description=(description or locked.service_description).strip()[:4000],
            budget=budget,
            bid_bond=bond,
            bid_deadline=deadline,
            wrapped_key=sealing.new_wrapped_key(),
            created_by=actor,
        )
        Lot.objects.bulk_create([Lot(tender=tender, number=n, title=t, budget=b) for n, t, b in lot_rows])
        Criterion.objects.bulk_create(
            [
                Criterion(tender=tender, position=i, name=c.name, weight=c.weight, is_price=c.is_price)
                for i, c in enumerate(cleaned, start=1)
            ]
        )
        record_event(
            actor=actor,
            action="procurement.tender.created",
            obj=tender,
            organisation=locked.purchaser,
            data={
                "reference": tender.reference,
                "title": tender.title,
                "method": chosen.name_zh,
                "budget": str(budget),
                "deadline": deadline.isoformat(),
            },
        )
    return tender


def add_document(
    *, actor: Any, tender: Tender | int, version: int, title: str, file_name: str, data: bytes
) -> TenderDocument:
    from django.conf import settings

    upload = inspect_upload(
        name=file_name, data=data, allowed=DOCUMENT_KINDS, max_bytes=int(settings.GOVBUY_UPLOAD_MAX_BYTES)
    )
    name = (title or "").strip()
    if not name or len(name) > 200:
        message = _("Give the document a title of at most 200 characters.")
        raise ValidationFailed(message, fields={"title": [message]})
    with transaction.atomic():
        locked = _lock_tender(tender, version)
        _check_purchaser(actor, locked.purchaser_id)
        if locked.status != TenderStatus.DRAFT:
            raise Conflict(_("Documents are added before the notice is published."))
        path = save_once(path=document_path(prefix="tenders", upload=upload), data=data, sha256=upload.sha256)
        doc = TenderDocument.objects.create(
            tender=locked,
            title=name,
            file_name=upload.display_name or upload.safe_name,
            path=path,
            sha256=upload.sha256,
            size=upload.size,
            content_type=upload.content_type,
        )
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        record_event(
            actor=actor,
            action="procurement.tender.document_added",
            obj=locked,
            organisation=locked.purchaser,
            data={"reference": locked.reference, "title": name, "sha256": upload.sha256},
        )
    return doc


def publish_tender(*, actor: Any, tender: Tender | int, version: int) -> Tender:
    """Publish the notice: portal and OCDS tender release, in this transaction (decision 0004).
    The statutory period is checked again from the moment of publication; a method that invites
    at random draws its providers here (decision 0005)."""
    with transaction.atomic():
        locked = _lock_tender(tender, version)
        _check_purchaser(actor, locked.purchaser_id)
        rules.check_transition(locked.status, TenderStatus.PUBLISHED)
        now = timezone.now()
        rules.check_deadline(
            start=now, deadline=locked.bid_deadline, method=method_params(locked.method), calendar=get_calendar()
        )
        locked.status = TenderStatus.PUBLISHED
        locked.published_at = now
        locked.version += 1
        locked.save()
        draw_invitations(actor=actor, tender=locked, now=now)
        record_event(
            actor=actor,
            action="procurement.tender.published",
            obj=locked,
            organisation=locked.purchaser,
            changes={"status": (TenderStatus.DRAFT, TenderStatus.PUBLISHED)},
            data={"reference": locked.reference, "title": locked.title, "deadline": locked.bid_deadline.isoformat()},
        )
        publication.announce("tender", obj_type=TENDER_TYPE, obj_id=locked.pk, occurred_at=now)
    return locked


def invitation_candidates() -> list[int]:
    """The providers an invitation tender may invite (Law Art. 34: those meeting the conditions):
    those the providers' participation gate admits at the draw (verified, no ban or suspension in
    force). Ascending ids, the order the draw record keeps. A provider banned after the draw is
    still refused at its bid (services/bids.py)."""
    return provider_selectors.participating_ids(gate=provider_selectors.Gate.INVITATION)


def draw_invitations(*, actor: Any, tender: Tender, now: Any, seed: str | None = None) -> InvitationDraw | None:
    """For a method that invites at random (random_invitations > 0): draw the invited providers
    from the candidates with a fresh secret seed and keep seed, candidates and result, so that
    rules.draw_invitations(candidates, seed, size) repeats the draw. Runs inside the publication's
    transaction: too few candidates refuse the publication. `seed` only replays a draw in tests."""
    size = rules.invitations_needed(tender.method.random_invitations, tender.method.min_suppliers)
    if size == 0:
        return None
    candidates = invitation_candidates()
    if len(candidates) < size:
        message = _(
            "An invitation tender invites at least %(need)d qualified providers at random; "
            "only %(have)d are eligible (verified and not suspended)."
        ) % {"need": size, "have": len(candidates)}
        raise ValidationFailed(message, fields={"method": [message]})
    seed = seed or secrets.token_hex(16)
    invited = rules.draw_invitations(candidates, seed, size)
    draw = InvitationDraw.objects.create(
        tender=tender, seed=seed, candidates=candidates, invited=invited, size=size, drawn_by=actor, drawn_at=now
    )
    record_event(
        actor=actor,
        action="procurement.invitation.drawn",
        obj=draw,
        organisation=tender.purchaser,
        data={
            "reference": tender.reference,
            "size": size,
            "seed": seed,
            "candidates": candidates,
            "invited": invited,
        },
    )
    return draw


def cancel_tender(*, actor: Any, tender: Tender | int, version: int, reason: str) -> Tender:
    text = (reason or "").strip()
    if not text or len(text) > 2000:
        message = _("Give the reason for the cancellation.")
        raise ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        locked = _lock_tender(tender, version)
        _check_purchaser(actor, locked.purchaser_id)
        before = locked.status
        rules.check_transition(before, TenderStatus.CANCELLED)
        locked.status = TenderStatus.CANCELLED
        locked.failure_reason = text
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action="procurement.tender.cancelled",
            obj=locked,
            organisation=locked.purchaser,
            changes={"status": (before, TenderStatus.CANCELLED)},
            data={"reference": locked.reference, "reason": text},
        )
        # Nothing will be opened: the bid events need no more secrecy than the bids themselves,
        # which stay sealed; oversight sees who had bid on a cancelled tender.
        lift_seal(key=f"procurement.tender:{locked.pk}")
        if before == TenderStatus.PUBLISHED:
            publication.announce(
                "tenderCancellation", obj_type=TENDER_TYPE, obj_id=locked.pk, occurred_at=timezone.now()
            )
    return locked


def approve_method_change(*, actor: Any, tender: Tender | int, version: int, method: str, reason: str) -> Tender:
    """After a failed procurement the finance bureau of the tender's region (or the city's)
    approves another method for the next attempt (Law Art. 36–37)."""
    scope = scope_for(actor)
    text = (reason or "").strip()
    if not text:
        message = _("Give the reason for the change of method.")
        raise ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        locked = _lock_tender(tender, version)
        bureau = scope.finance_of(locked.region_id)
        if bureau is None:
            if scope.sees_organisation(locked.purchaser):
                raise PermissionRefused(_("Only the finance bureau approves a change of method."))
            raise NotFound()
        if locked.status != TenderStatus.FAILED:
            raise Conflict(_("A change of method follows a failed procurement only."))
        chosen = ProcurementMethod.objects.filter(code=method).first()
        if chosen is None or chosen.pk == locked.method_id:
            message = _("Choose a method other than the one that failed.")
            raise ValidationFailed(message, fields={"method": [message]})
        locked.approved_method = chosen
        locked.approved_method_reason = text
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action="procurement.tender.method_change_approved",
            obj=locked,
            organisation=Organisation.objects.get(pk=bureau[0]),
            changes={"approved_method": (None, chosen.code)},
            data={"reference": locked.reference, "method": chosen.name_zh, "reason": text},
        )
    return locked


def bond_limit(budget: Decimal) -> Decimal:
    return (budget * rules.BOND_SHARE).quantize(Decimal("0.01"))

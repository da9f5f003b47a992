"""The three external lists (財庫〔2016〕125號): imported from xlsx/csv with provenance and date
(every bad row listed, nothing written), and the automatic check of a ranked bidder against
them and our own bans. The check keeps a snapshot of what it found and records the result in
procurement through procurement's own service, which the award reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.catalog.spreadsheets import ImportRefused, RowError, read_table
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.credit.models import Ban, ExternalList, ListEntry, ListKind, ThreeListCheck
from govbuy.credit.services.common import authority_for
from govbuy.organizations import uscc as uscc_rules
from govbuy.organizations.models import Organisation
from govbuy.procurement.models import Bid, Tender
from govbuy.procurement.services import evaluation
from govbuy.providers import selectors as provider_selectors

HEADERS = {
    "name": ("name", "名称", "被执行人名称", "当事人名称", "企业名称", "供应商名称", "单位名称"),
    "uscc": ("uscc", "统一社会信用代码", "信用代码", "纳税人识别号"),
    "case_number": ("case_number", "案号", "文书编号", "决定书文号"),
    "detail": ("detail", "details", "详情", "主要违法事实", "失信情形", "处罚结果"),
}
LIMITS = {"name": 200, "case_number": 100, "detail": 1000}


def _columns(headers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = header.strip().lower()
        for field, names in HEADERS.items():
            if key in names and field not in found:
                found[field] = index
    return found


def _letter(index: int) -> str:
    return chr(65 + index) if index < 26 else f"A{chr(65 + index - 26)}"


def parse_rows(headers: list[str], rows: list[tuple[int, list[str]]]) -> tuple[list[dict[str, Any]], list[RowError]]:
    columns = _columns(headers)
    errors: list[RowError] = []
    if "name" not in columns:
        errors.append(RowError(1, "name", "A", "missing_column", _g("The list needs a name column (名称).")))
        return [], errors
    out = []
    for number, cells in rows:
        values = {f: (cells[i].strip() if i < len(cells) else "") for f, i in columns.items()}
        row_errors = []
        if not values.get("name"):
            row_errors.append(("name", "required", _g("The name is empty.")))
        for field, limit in LIMITS.items():
            if len(values.get(field, "")) > limit:
                row_errors.append((field, "too_long", _g("At most %(n)d characters.") % {"n": limit}))
        code = values.get("uscc", "")
        if code:
            try:
                values["uscc"] = uscc_rules.parse(code).code
            except ValidationFailed as exc:
                row_errors.append(("uscc", "uscc_invalid", str(exc.message)))
        for field, error_code, message in row_errors:
            errors.append(RowError(number, field, _letter(columns.get(field, 0)), error_code, message))
        if not row_errors:
            out.append({"row": number, **values})
    return out, errors


@transaction.atomic
def import_list(
    *,
    actor: Any,
    kind: str,
    publisher: str,
    source: str,
    as_of: dt.date,
    file_name: str,
    data: bytes,
) -> ExternalList:
    authority = authority_for(actor)
    if kind not in ListKind.values:
        message = _("Choose one of the three lists.")
        raise ValidationFailed(message, fields={"kind": [message]})
    provenance = {"publisher": (publisher or "").strip(), "source": (source or "").strip()}
    missing = {n: [_("This field is required.")] for n, v in provenance.items() if not v}
    if missing:
        raise ValidationFailed(_("Give who published the list and where it comes from."), fields=missing)
    if as_of > timezone.localdate():
        message = _("The list's date cannot be in the future.")
        raise ValidationFailed(message, fields={"as_of": [message]})
    table, upload = read_table(name=file_name, data=data)
    rows, errors = parse_rows(table.headers, table.rows)
    if errors:
        raise ImportRefused(errors)
    if not rows:
        message = _("The list has no rows.")
        raise ValidationFailed(message, code="empty_file", fields={"file": [message]})
    imported = ExternalList.objects.create(
        kind=kind,
        publisher=provenance["publisher"][:200],
        source=provenance["source"][:500],
        as_of=as_of,
        file_name=(upload.display_name or upload.safe_name)[:200],
        file_sha256=upload.sha256,
        row_count=len(rows),
        imported_by=actor,
        imported_at=timezone.now(),
        authority=authority,
    )
    ListEntry.objects.bulk_create(
        ListEntry(
            external_list=imported,
            row=r["row"],
            name=r["name"],
            uscc=r.get("uscc", ""),
            case_number=r.get("case_number", ""),
            detail=r.get("detail", ""),
        )
        for r in rows
    )
    record_event(
        actor=actor,
        action="credit.list.imported",
        obj=imported,
        organisation=authority,
        data={"kind": kind, "as_of": as_of.isoformat(), "rows": len(rows), "sha256": upload.sha256},
    )
    return imported


def current_lists() -> dict[str, ExternalList]:
    """The latest import of each list (by its date, then by import)."""
    out: dict[str, ExternalList] = {}
    for item in ExternalList.objects.order_by("kind", "-as_of", "-imported_at", "-pk"):
        out.setdefault(item.kind, item)
    return out


def findings_for(provider: Organisation, lists: dict[str, ExternalList]) -> dict[str, list[dict[str, Any]]]:
    findings: dict[str, list[dict[str, Any]]] = {}
    for kind, item in lists.items():
        match = ListEntry.objects.filter(external_list=item).filter(name=provider.name_zh)
        if provider.uscc:
            match = ListEntry.objects.filter(external_list=item, uscc=provider.uscc) | match
        findings[kind] = [
            {"list_id": item.pk, "row": e.row, "name": e.name, "uscc": e.uscc, "case_number": e.case_number}
            for e in match.order_by("row")
        ]
    gate = provider_selectors.participation(provider.pk, gate=provider_selectors.Gate.AWARD)
    bans = []
    if gate.code == "banned" and gate.restriction is not None:
        ban = Ban.objects.filter(restriction=gate.restriction).first()
        bans.append({"ban_id": ban.pk if ban else None, "ends": gate.restriction.ends_at.isoformat()})
    findings["bans"] = bans
    return findings


def _record(actor: Any, check: ThreeListCheck, tender: Tender, *, clear: bool, reason: str) -> None:
    results = {
        kind: "clear" if clear or not check.findings.get(kind) else "listed"
        for kind in ("dishonest_debtors", "tax_violations", "procurement_violations")
    }
    if not clear and check.findings.get("bans"):
        results["procurement_violations"] = "listed"
    recorded = evaluation.record_credit_check(
        actor=actor,
        tender=tender,
        bid=check.bid_id,
        dishonest_debtors=results["dishonest_debtors"],
        tax_violations=results["tax_violations"],
        procurement_violations=results["procurement_violations"],
        reference=f"govbuy 三名单自动核查 #{check.pk}{(' ' + reason) if reason else ''}"[:500],
    )
    check.recorded_check_id = recorded.pk
    check.save(update_fields=["recorded_check_id"])


@transaction.atomic
def run_check(*, actor: Any, tender: Tender | int, bid: Bid | int, stage: str = "evaluation") -> ThreeListCheck:
    """Check a ranked bidder against the current lists and our bans; a clear result is recorded
    in procurement at once, a hit waits for the purchaser to accept it or override it."""
    tender_obj = Tender.objects.filter(pk=tender.pk if isinstance(tender, Tender) else int(tender)).first()
    target = (
        Bid.objects.defer("ciphertext", "nonce")
        .filter(pk=bid.pk if isinstance(bid, Bid) else int(bid), tender=tender_obj)
        .first()
    )
    if tender_obj is None or target is None:
        raise NotFound()
    from govbuy.organizations.scope import scope_for

    if not scope_for(actor).writes_for(tender_obj.purchaser_id):
        raise NotFound()
    if stage not in ThreeListCheck.Stage.values:
        raise ValidationFailed(_("Choose evaluation or award."), fields={"stage": [_("Invalid.")]})
    lists = current_lists()
    absent = [str(ListKind(k).label) for k in ListKind.values if k not in lists]
    if absent:
        raise TransitionRefused(
            _("The automatic check needs all three lists; not yet imported: %(lists)s.") % {"lists": "、".join(absent)},
            code="lists_missing",
        )
    provider = Organisation.objects.get(pk=target.provider_id)
    findings = findings_for(provider, lists)
    listed = any(findings.values())
    check = ThreeListCheck.objects.create(
        bid=target,
        provider=provider,
        stage=stage,
        checked_by=actor,
        checked_at=timezone.now(),
        lists_used=[
            {"kind": k, "list_id": v.pk, "as_of": v.as_of.isoformat(), "publisher": v.publisher}
            for k, v in sorted(lists.items())
        ],
        findings=findings,
        listed=listed,
    )
    record_event(
        actor=actor,
        action="credit.check.run",
        obj=check,
        organisation=tender_obj.purchaser,
        data={"name": provider.name_zh, "stage": stage, "result": "listed" if listed else "clear"},
    )
    if not listed:
        _record(actor, check, tender_obj, clear=True, reason="")
    return check


def _lock_check(actor: Any, check: ThreeListCheck | int) -> tuple[ThreeListCheck, Tender]:
    pk = check.pk if isinstance(check, ThreeListCheck) else int(check)
    locked = ThreeListCheck.objects.select_for_update().select_related("provider").filter(pk=pk).first()
    if locked is None:
        raise NotFound()
    tender = Tender.objects.get(pk=Bid.objects.filter(pk=locked.bid_id).values_list("tender_id", flat=True)[0])
    from govbuy.organizations.scope import scope_for

    if not scope_for(actor).writes_for(tender.purchaser_id):
        raise NotFound()
    if locked.recorded_check_id is not None:
        raise Conflict(_("The result of this check has already been recorded."))
    return locked, tender


@transaction.atomic
def accept_findings(*, actor: Any, check: ThreeListCheck | int) -> ThreeListCheck:
    locked, tender = _lock_check(actor, check)
    _record(actor, locked, tender, clear=False, reason="")
    return locked


@transaction.atomic
def propose_override(*, actor: Any, check: ThreeListCheck | int, reason: str) -> ThreeListCheck:
    """A hit that is not this provider (a namesake) or no longer stands: one person gives the reason."""
    locked, _tender = _lock_check(actor, check)
    text = (reason or "").strip()
    if not text:
        message = _("Give the reason for the override.")
        raise ValidationFailed(message, code="required", fields={"reason": [message]})
    if locked.findings.get("bans"):
        raise PermissionRefused(_("A ban in force cannot be overridden; it ends with its period."))
    locked.override_reason = text[:2000]
    locked.override_by = actor
    locked.save(update_fields=["override_reason", "override_by"])
    record_event(
        actor=actor,
        action="credit.check.override_proposed",
        obj=locked,
        organisation=tender_org(_tender),
        data={"name": locked.provider.name_zh, "reason": text},
    )
    return locked


def tender_org(tender: Tender) -> Organisation:
    return Organisation.objects.get(pk=tender.purchaser_id)


@transaction.atomic
def confirm_override(*, actor: Any, check: ThreeListCheck | int) -> ThreeListCheck:
    """A second person confirms; the bidder is recorded clear, the reason kept with the snapshot."""
    locked, tender = _lock_check(actor, check)
    if not locked.override_reason or locked.override_by_id is None:
        raise TransitionRefused(_("No override has been proposed for this check."))
    if locked.override_by_id == getattr(actor, "pk", None):
        raise PermissionRefused(_("A second person confirms the override (four eyes)."))
    locked.override_confirmed_by = actor
    locked.override_at = timezone.now()
    locked.save(update_fields=["override_confirmed_by", "override_at"])
    record_event(
        actor=actor,
        action="credit.check.overridden",
        obj=locked,
        organisation=tender_org(tender),
        data={"name": locked.provider.name_zh, "reason": locked.override_reason},
    )
    _record(actor, locked, tender, clear=True, reason=_g("override: %(r)s") % {"r": locked.override_reason})
    return locked

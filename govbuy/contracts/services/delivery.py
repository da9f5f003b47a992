"""Delivery (Order 102 Art. 25–26): the provider submits deliverables with evidence; the purchaser
accepts them (驗收, four eyes: one user proposes, a different one confirms) or returns them with
reasons, and records its monitoring visits (監督項目實施)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from govbuy.contracts import notifications, rules
from govbuy.contracts.models import (
    Contract,
    Deliverable,
    DeliverableDocument,
    DeliverableStatus,
    Milestone,
    MilestoneStatus,
    MonitoringVisit,
    VisitRating,
)
from govbuy.contracts.services import common
from govbuy.core import facts
from govbuy.core.calendar.rules import local_date
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.core.storage import document_path, save_once
from govbuy.core.uploads import inspect_upload
from govbuy.providers.selectors import Gate

EVIDENCE_KINDS = frozenset({"pdf", "png", "jpeg", "docx", "xlsx"})
MAX_FILES = 10
_PDF_AUTHOR = re.compile(rb"/Author\s*\(([^)]{1,300})\)")
_OOXML_FIELDS = (("docProps/core.xml", "dc:creator"), ("docProps/app.xml", "Company"))


def author_metadata(kind: str, data: bytes) -> str:
    """The author or company a file's own metadata names (PDF /Author, OOXML creator and company):
    a deliverable written by another organisation is a sign of subcontracting."""
    names: list[str] = []
    if kind == "pdf":
        match = _PDF_AUTHOR.search(data)
        if match:
            raw = match.group(1)
            text = (
                raw[2:].decode("utf-16-be", "ignore") if raw.startswith(b"\xfe\xff") else raw.decode("utf-8", "ignore")
            )
            names.append(text)
    elif kind in ("docx", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            present = set(archive.namelist())
            for part, tag in _OOXML_FIELDS:
                if part in present:
                    xml = archive.read(part).decode("utf-8", "ignore")
                    found = re.search(rf"<{tag}>([^<]{{1,300}})</{tag}>", xml)
                    if found:
                        names.append(found.group(1))
    return "；".join(n.strip() for n in names if n.strip())[:300]


def _documents(files: list[tuple[str, str, bytes]]) -> list[dict[str, Any]]:
    message: Any
    if not files:
        message = _("Attach the evidence: service records, attendance lists, reports or photos.")
        raise ValidationFailed(message, fields={"file": [message]})
    if len(files) > MAX_FILES:
        message = _("Attach at most %(n)d files.") % {"n": MAX_FILES}
        raise ValidationFailed(message, fields={"file": [message]})
    out = []
    for title, name, data in files:
        upload = inspect_upload(
            name=name, data=data, allowed=EVIDENCE_KINDS, max_bytes=int(settings.GOVBUY_UPLOAD_MAX_BYTES)
        )
        out.append(
            {
                "title": (str(title or "").strip() or upload.display_name)[:200],
                "upload": upload,
                "data": data,
                "author": author_metadata(upload.kind, data),
            }
        )
    return out


def submit_deliverable(
    *,
    actor: Any,
    contract: Contract | int,
    milestone: Milestone | int,
    summary: str,
    quantity_achieved: str,
    files: list[tuple[str, str, bytes]],
) -> Deliverable:
    """`files`: (title, file name, bytes). Refused for a provider that is suspended or banned."""
    checked = _documents(files)
    text = rules.check_reason(summary, "summary")
    achieved = str(quantity_achieved or "").strip()[:300]
    if not achieved:
        message = _("State the quantity achieved.")
        raise ValidationFailed(message, fields={"quantity_achieved": [message]})
    with transaction.atomic():
        locked = common.lock_contract(contract)
        common.check_provider(actor, locked)
        common.check_participation(locked.provider_id, Gate.DELIVERY)
        if locked.status not in rules.DELIVERY_STATES:
            raise TransitionRefused(_("Deliverables are submitted while the contract is in force and not suspended."))
        pk = milestone.pk if isinstance(milestone, Milestone) else int(milestone)
        target = Milestone.objects.select_for_update().filter(pk=pk, contract=locked).first()
        if target is None:
            raise NotFound()
        if target.status != MilestoneStatus.PENDING:
            raise Conflict(_("This milestone already has a deliverable awaiting a decision or accepted."))
        deliverable = Deliverable.objects.create(
            contract=locked,
            milestone=target,
            summary=text,
            quantity_achieved=achieved,
            submitted_by=actor,
            submitted_at=common.now(),
        )
        for item in checked:
            upload = item["upload"]
            path = save_once(
                path=document_path(prefix=f"deliverables/{locked.pk}", upload=upload),
                data=item["data"],
                sha256=upload.sha256,
            )
            DeliverableDocument.objects.create(
                deliverable=deliverable,
                title=item["title"],
                display_name=upload.display_name,
                path=path,
                sha256=upload.sha256,
                size=upload.size,
                kind=upload.kind,
                content_type=upload.content_type,
                author_metadata=item["author"],
            )
        target.status = MilestoneStatus.SUBMITTED
        target.version += 1
        target.save()
        common.audit(
            actor=actor,
            action="contracts.deliverable.submitted",
            contract=locked,
            data={"milestone": target.title, "files": len(checked)},
        )
        from govbuy.contracts.services import subcontracting

        subcontracting.refresh_flags(locked)
        notifications.submitted(locked)
    return deliverable


def _lock_deliverable(deliverable: Deliverable | int, version: int) -> tuple[Contract, Deliverable]:
    pk = deliverable.pk if isinstance(deliverable, Deliverable) else int(deliverable)
    contract_id = Deliverable.objects.filter(pk=pk).values_list("contract_id", flat=True).first()
    if contract_id is None:
        raise NotFound()
    locked = common.lock_contract(contract_id)
    target = Deliverable.objects.select_for_update(of=("self",)).select_related("milestone").get(pk=pk)
    if target.version != int(version):
        raise Conflict()
    return locked, target


def accept_deliverable(*, actor: Any, deliverable: Deliverable | int, version: int) -> Deliverable:
    """Acceptance needs two different authorised purchaser users: the first proposes, the second
    confirms; the milestone is then accepted."""
    with transaction.atomic():
        contract, target = _lock_deliverable(deliverable, version)
        common.check_purchaser(actor, contract)
        if contract.status not in rules.DELIVERY_STATES:
            raise TransitionRefused(_("Deliverables are decided while the contract is in force and not suspended."))
        milestone = target.milestone
        if target.status == DeliverableStatus.SUBMITTED:
            target.status = DeliverableStatus.ACCEPTING
            target.first_acceptor = actor
            target.version += 1
            target.save()
            common.audit(
                actor=actor,
                action="contracts.deliverable.acceptance_proposed",
                contract=contract,
                data={"milestone": milestone.title},
            )
            return target
        if target.status != DeliverableStatus.ACCEPTING:
            raise TransitionRefused(_("This deliverable has already been decided."))
        if target.first_acceptor_id == actor.pk:
            raise PermissionRefused(_("A second authorised user must confirm the acceptance (four eyes)."))
        moment = common.now()
        target.status = DeliverableStatus.ACCEPTED
        target.decided_by = actor
        target.decided_at = moment
        target.version += 1
        target.save()
        milestone.status = MilestoneStatus.ACCEPTED
        milestone.accepted_at = moment
        milestone.version += 1
        milestone.save()
        common.bump(contract)
        common.audit(
            actor=actor,
            action="contracts.deliverable.accepted",
            contract=contract,
            changes={"milestone_status": (MilestoneStatus.SUBMITTED, MilestoneStatus.ACCEPTED)},
            data={"milestone": milestone.title, "proposed_by": getattr(target.first_acceptor, "username", "")},
        )
    return target


def return_deliverable(*, actor: Any, deliverable: Deliverable | int, version: int, reasons: str) -> Deliverable:
    text = rules.check_reason(reasons, "reasons")
    with transaction.atomic():
        contract, target = _lock_deliverable(deliverable, version)
        common.check_purchaser(actor, contract)
        if target.status not in (DeliverableStatus.SUBMITTED, DeliverableStatus.ACCEPTING):
            raise TransitionRefused(_("This deliverable has already been decided."))
        moment = common.now()
        target.status = DeliverableStatus.RETURNED
        target.return_reasons = text
        target.decided_by = actor
        target.decided_at = moment
        target.version += 1
        target.save()
        milestone = target.milestone
        milestone.status = MilestoneStatus.PENDING
        milestone.version += 1
        milestone.save()
        common.bump(contract)
        common.audit(
            actor=actor,
            action="contracts.deliverable.returned",
            contract=contract,
            data={"milestone": milestone.title, "reasons": text},
        )
        facts.report(
            "contracts.deliverable_returned",
            provider_id=contract.provider_id,
            source_type=common.CONTRACT_TYPE,
            source_id=contract.pk,
            occurred_at=moment,
            actor=actor,
            summary=f"合同 {contract.reference} 阶段“{milestone.title}”的履约成果被退回：{text}"[:500],
            data={"deliverable": target.pk},
        )
        notifications.returned(contract)
    return target


def record_visit(
    *, actor: Any, contract: Contract | int, visited_on: date, rating: str, findings: str
) -> MonitoringVisit:
    text = rules.check_reason(findings, "findings")
    if rating not in VisitRating.values:
        raise ValidationFailed(_("Choose a rating."), fields={"rating": [_("Choose a rating.")]})
    with transaction.atomic():
        locked = common.lock_contract(contract)
        common.check_purchaser(actor, locked)
        if locked.signed_at is None or locked.status == "cancelled":
            raise TransitionRefused(_("Monitoring visits are recorded once the contract is signed."))
        if visited_on > local_date(common.now()) or visited_on < local_date(locked.signed_at):
            message = _("The visit date lies between the signature and today.")
            raise ValidationFailed(message, fields={"visited_on": [message]})
        visit = MonitoringVisit.objects.create(
            contract=locked, visited_on=visited_on, rating=rating, findings=text, recorded_by=actor
        )
        common.audit(
            actor=actor,
            action="contracts.visit.recorded",
            contract=locked,
            data={"day": visited_on.isoformat(), "rating": rating},
        )
    return visit

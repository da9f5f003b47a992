"""What the credit services share: who acts as a credit authority, evidence storage, rules as data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import PermissionRefused
from govbuy.core.storage import document_path, save_once
from govbuy.core.uploads import inspect_upload
from govbuy.credit.models import EvidenceDocument, ScoreRule
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import SYSTEM_SCOPE, Scope, scope_for

EVIDENCE_KINDS = frozenset({"pdf", "png", "jpeg"})
DEFAULT_OBJECTION_DAYS = 10


def scope_of(actor: Any) -> Scope:
    return SYSTEM_SCOPE if actor is None else scope_for(actor)


def authority_for(actor: Any, region_id: int | None = None) -> Organisation:
    """The finance bureau (政府采购监督管理部门) the actor records credit facts and bans for:
    the provider's region's own bureau, else the city's. Anyone else is refused."""
    scope = scope_of(actor)
    rows = scope.finance_memberships(write=True)
    row = scope.finance_of(region_id, write=True) if region_id is not None else (rows[0] if rows else None)
    if row is None:
        raise PermissionRefused(_("Only a finance bureau records credit facts and decides bans."))
    return Organisation.objects.get(pk=row.organisation_id)


def store_documents(documents: list[tuple[str, bytes]] | None, **owner: Any) -> list[EvidenceDocument]:
    out = []
    for name, data in documents or []:
        upload = inspect_upload(
            name=name, data=data, allowed=EVIDENCE_KINDS, max_bytes=int(settings.GOVBUY_UPLOAD_MAX_BYTES)
        )
        path = save_once(path=document_path(prefix="credit/evidence", upload=upload), data=data, sha256=upload.sha256)
        out.append(
            EvidenceDocument.objects.create(
                name=upload.display_name or upload.safe_name,
                path=path,
                sha256=upload.sha256,
                size=upload.size,
                content_type=upload.content_type,
                uploaded_at=timezone.now(),
                **owner,
            )
        )
    return out


def rule_in_force(kind: str, on: dt.date) -> ScoreRule | None:
    return ScoreRule.objects.filter(kind=kind, effective_from__lte=on).order_by("-effective_from").first()


def objection_days(kind: str, on: dt.date) -> int:
    rule = rule_in_force(kind, on)
    return rule.objection_working_days if rule else DEFAULT_OBJECTION_DAYS

"""The negative list (Order 102 Art. 10, Art. 18) as data: matters and their terms, kept by the city
finance bureau."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import diff as field_diff
from govbuy.audit.services import record_event
from govbuy.catalog import rules
from govbuy.catalog.models import (
    NegativeListMatter,
)
from govbuy.catalog.services.common import SYSTEM_SCOPE, UNCHANGED, acting_org, required_text, scope_of
from govbuy.core import pagecache
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.organizations.models import Region
from govbuy.organizations.scope import Scope

# --- Negative list ---------------------------------------------------------------------------


def _clean_terms(terms: Any) -> list[str]:
    if isinstance(terms, str):
        terms = terms.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    cleaned = []
    for term in terms or []:
        term = str(term).strip()
        if term and term not in cleaned:
            if len(term) < 2:
                message = _("An identifying phrase has at least 2 characters, so it does not match every name.")
                raise ValidationFailed(message, fields={"terms_zh": [message]})
            cleaned.append(term[:50])
    return cleaned[:50]


def _may_maintain(scope: Scope) -> None:
    if scope is not SYSTEM_SCOPE and not rules.may_maintain_negative_list(scope):
        raise PermissionRefused(_("Only the city finance bureau maintains the negative list."))


def _matter_snapshot(m: NegativeListMatter) -> dict[str, Any]:
    return {
        "code": m.code,
        "name_zh": m.name_zh,
        "name_en": m.name_en,
        "legal_basis_zh": m.legal_basis_zh,
        "legal_basis_en": m.legal_basis_en,
        "terms_zh": list(m.terms_zh),
        "is_active": m.is_active,
    }


@transaction.atomic
def add_matter(
    *,
    actor: Any,
    code: str,
    name_zh: str,
    legal_basis_zh: str,
    name_en: str = "",
    legal_basis_en: str = "",
    terms_zh: Any = (),
) -> NegativeListMatter:
    scope = scope_of(actor)
    _may_maintain(scope)
    code = (code or "").strip()
    problem = rules.check_code(code)
    if problem:
        raise ValidationFailed(problem, fields={"code": [problem]})
    if NegativeListMatter.objects.filter(code=code).exists():
        message = _("A matter with the code %(code)s already exists.") % {"code": code}
        raise ValidationFailed(message, fields={"code": [message]})
    last = NegativeListMatter.objects.aggregate(p=Max("position"))["p"] or 0
    matter = NegativeListMatter.objects.create(
        code=code,
        name_zh=required_text(name_zh, "name_zh", _("Enter the Chinese name.")),
        name_en=(name_en or "").strip(),
        legal_basis_zh=required_text(legal_basis_zh, "legal_basis_zh", _("Give the legal basis.")),
        legal_basis_en=(legal_basis_en or "").strip(),
        terms_zh=_clean_terms(terms_zh),
        position=last + 1,
    )
    city = Region.objects.filter(level=Region.Level.CITY).first()
    pagecache.bump()  # the public negative list changes with the commit
    record_event(
        actor=actor,
        action="catalog.negative_matter.added",
        obj=matter,
        organisation=acting_org(scope, city.pk) if city and scope is not SYSTEM_SCOPE else None,
        region_id=city.pk if city else None,
        changes={k: (None, v) for k, v in _matter_snapshot(matter).items()},
        data={"code": code, "name": matter.name_zh, "basis": matter.legal_basis_zh},
    )
    return matter


@transaction.atomic
def update_matter(
    *,
    actor: Any,
    matter: NegativeListMatter | int,
    version: int,
    name_zh: Any = UNCHANGED,
    name_en: Any = UNCHANGED,
    legal_basis_zh: Any = UNCHANGED,
    legal_basis_en: Any = UNCHANGED,
    terms_zh: Any = UNCHANGED,
    is_active: Any = UNCHANGED,
) -> NegativeListMatter:
    scope = scope_of(actor)
    _may_maintain(scope)
    pk = matter.pk if isinstance(matter, NegativeListMatter) else matter
    locked = NegativeListMatter.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound()
    if locked.version != version:
        raise Conflict(
            fields={"version": [_("Reload the matter: it is now at version %(v)d.") % {"v": locked.version}]}
        )
    before = _matter_snapshot(locked)
    if name_zh is not UNCHANGED:
        locked.name_zh = required_text(name_zh, "name_zh", _("Enter the Chinese name."))
    if name_en is not UNCHANGED:
        locked.name_en = (name_en or "").strip()
    if legal_basis_zh is not UNCHANGED:
        locked.legal_basis_zh = required_text(legal_basis_zh, "legal_basis_zh", _("Give the legal basis."))
    if legal_basis_en is not UNCHANGED:
        locked.legal_basis_en = (legal_basis_en or "").strip()
    if terms_zh is not UNCHANGED:
        locked.terms_zh = _clean_terms(terms_zh)
    if is_active is not UNCHANGED:
        locked.is_active = bool(is_active)
    changes = field_diff(before, _matter_snapshot(locked))
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    city = Region.objects.filter(level=Region.Level.CITY).first()
    pagecache.bump()  # the public negative list changes with the commit
    record_event(
        actor=actor,
        action="catalog.negative_matter.changed",
        obj=locked,
        organisation=acting_org(scope, city.pk) if city and scope is not SYSTEM_SCOPE else None,
        region_id=city.pk if city else None,
        changes=dict(changes),
        data={"code": locked.code, "name": locked.name_zh, "fields": ", ".join(sorted(changes))},
    )
    return locked

"""Pure decisions about the catalog: transitions, who may do what, the diff between two item
lists, the checks on imported rows, the negative list and whether an item may be purchased.
No queries here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from govbuy.catalog.models import CODE_MAX_LENGTH, MAX_LEVEL, CatalogVersion, Filing
from govbuy.core.errors import TransitionRefused, ValidationFailed

if TYPE_CHECKING:
    from govbuy.organizations.scope import Scope

V = CatalogVersion.Status
F = Filing.Status

VERSION_TRANSITIONS: dict[str, frozenset[str]] = {
    V.DRAFT: frozenset({V.PUBLISHED, V.DISCARDED}),
    V.PUBLISHED: frozenset({V.SUPERSEDED}),
    V.SUPERSEDED: frozenset(),
    V.DISCARDED: frozenset(),
}

FILING_TRANSITIONS: dict[str, frozenset[str]] = {
    F.SUBMITTED: frozenset({F.ACKNOWLEDGED, F.RETURNED}),
    F.ACKNOWLEDGED: frozenset(),
    F.RETURNED: frozenset(),
}


def check_version_transition(before: str, after: str) -> None:
    if after not in VERSION_TRANSITIONS.get(before, frozenset()):
        raise TransitionRefused(
            _("A catalog version cannot go from “%(before)s” to “%(after)s”.") % {"before": before, "after": after}
        )


def check_filing_transition(before: str, after: str) -> None:
    if after not in FILING_TRANSITIONS.get(before, frozenset()):
        raise TransitionRefused(
            _("A filing cannot go from “%(before)s” to “%(after)s”.") % {"before": before, "after": after}
        )


# --- Who may do what -------------------------------------------------------------------------

WRITER_ROLES = frozenset({"admin", "staff", "approver"})
FINANCE = "finance_bureau"
STAFFING = "staffing_office"


def _member(scope: Scope, kind: str, *, region_id: int | None = None, level: str | None = None, write: bool) -> bool:
    return any(
        m.kind == kind
        and (region_id is None or m.region_id == region_id)
        and (level is None or m.region_level == level)
        and (not write or m.role in WRITER_ROLES)
        for m in scope.memberships
    )


def owns_region_catalog(scope: Scope, region_id: int, *, write: bool = True) -> bool:
    """The finance bureau of the region itself (the city's owns the city catalog only)."""
    return _member(scope, FINANCE, region_id=region_id, write=write)


def is_city_finance(scope: Scope, *, write: bool = False) -> bool:
    return _member(scope, FINANCE, level="city", write=write)


def is_city_staffing(scope: Scope, *, write: bool = False) -> bool:
    return _member(scope, STAFFING, level="city", write=write)


def sees_drafts(scope: Scope, *, region_id: int, region_level: str) -> bool:
    """Drafts: the owning bureau, and for the city's drafts the staffing office that comments."""
    if owns_region_catalog(scope, region_id, write=False):
        return True
    return region_level == "city" and is_city_staffing(scope)


def may_comment(scope: Scope, *, region_id: int, region_level: str) -> bool:
    if owns_region_catalog(scope, region_id):
        return True
    return region_level == "city" and is_city_staffing(scope, write=True)


def sees_filing(scope: Scope, *, region_id: int) -> bool:
    return owns_region_catalog(scope, region_id, write=False) or is_city_finance(scope)


def may_submit_filing(scope: Scope, *, region_id: int, region_level: str) -> bool:
    return region_level == "district" and owns_region_catalog(scope, region_id)


def may_decide_filing(scope: Scope) -> bool:
    return is_city_finance(scope, write=True)


def may_maintain_negative_list(scope: Scope) -> bool:
    return is_city_finance(scope, write=True)


def writable_region_ids(scope: Scope) -> frozenset[int]:
    return frozenset(m.region_id for m in scope.memberships if m.kind == FINANCE and m.role in WRITER_ROLES)


def draft_region_ids(scope: Scope) -> tuple[frozenset[int], bool]:
    """(regions whose drafts the user sees as owner, whether the user also sees the city's)."""
    own = frozenset(m.region_id for m in scope.memberships if m.kind == FINANCE)
    return own, is_city_staffing(scope)


# --- Items -----------------------------------------------------------------------------------

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def check_code(code: str) -> str | None:
    """The problem with a code, or None. Codes are plain so they can sit in URLs and OCDS ids."""
    if not code:
        return str(_("Enter the code."))
    if len(code) > CODE_MAX_LENGTH:
        return str(_("A code has at most %(n)d characters.") % {"n": CODE_MAX_LENGTH})
    if not _CODE.match(code):
        return str(_("A code uses only letters, digits, “.”, “_” and “-”, and starts with a letter or digit."))
    return None


def check_parent(*, level: int, parent_level: int | None) -> str | None:
    if level < 1 or level > MAX_LEVEL:
        return str(_("The level must be 1, 2, 3 or 4."))
    if level == 1 and parent_level is not None:
        return str(_("A level-1 category has no parent."))
    if level > 1 and parent_level is None:
        return str(
            _("An item of level %(level)d needs a parent of level %(parent)d.") % {"level": level, "parent": level - 1}
        )
    if parent_level is not None and parent_level != level - 1:
        return str(
            _("The parent is of level %(actual)d; an item of level %(level)d needs a parent of level %(parent)d.")
            % {"actual": parent_level, "level": level, "parent": level - 1}
        )
    return None


@dataclass(frozen=True)
class MatterFacts:
    code: str
    name_zh: str
    legal_basis_zh: str
    terms: tuple[str, ...]


def negative_match(names: Iterable[str], matters: Sequence[MatterFacts]) -> MatterFacts | None:
    """The first matter whose identifying phrase appears in one of the names (Simplified)."""
    texts = [n for n in names if n]
    for matter in matters:
        for term in matter.terms:
            if term and any(term in text for text in texts):
                return matter
    return None


def negative_refusal(matter: MatterFacts) -> str:
    return str(
        _("“%(name)s” is on the negative list and may never be purchased (%(basis)s).")
        % {"name": matter.name_zh, "basis": matter.legal_basis_zh}
    )


# --- Diff ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFacts:
    code: str
    parent_code: str
    level: int
    name_zh: str
    name_en: str = ""
    is_priority: bool = False
    procurement_code: str = ""
    description: str = ""


DIFF_KINDS = ("added", "removed", "renamed", "moved", "reflagged", "remapped")


def diff_items(old: Iterable[ItemFacts], new: Iterable[ItemFacts]) -> dict[str, Any]:
    """What changed from `old` to `new`, item by item (matched by code). JSON-ready."""
    before = {i.code: i for i in old}
    after = {i.code: i for i in new}
    out: dict[str, list[dict[str, Any]]] = {kind: [] for kind in DIFF_KINDS}
    for code in sorted(after.keys() - before.keys()):
        i = after[code]
        out["added"].append(
            {"code": code, "name_zh": i.name_zh, "name_en": i.name_en, "parent_code": i.parent_code, "level": i.level}
        )
    for code in sorted(before.keys() - after.keys()):
        i = before[code]
        out["removed"].append(
            {"code": code, "name_zh": i.name_zh, "name_en": i.name_en, "parent_code": i.parent_code, "level": i.level}
        )
    for code in sorted(before.keys() & after.keys()):
        a, b = before[code], after[code]
        if (a.name_zh, a.name_en) != (b.name_zh, b.name_en):
            out["renamed"].append(
                {
                    "code": code,
                    "before": {"name_zh": a.name_zh, "name_en": a.name_en},
                    "after": {"name_zh": b.name_zh, "name_en": b.name_en},
                }
            )
        if (a.parent_code, a.level) != (b.parent_code, b.level):
            out["moved"].append(
                {
                    "code": code,
                    "name_zh": b.name_zh,
                    "before": {"parent_code": a.parent_code, "level": a.level},
                    "after": {"parent_code": b.parent_code, "level": b.level},
                }
            )
        if a.is_priority != b.is_priority:
            out["reflagged"].append(
                {"code": code, "name_zh": b.name_zh, "before": a.is_priority, "after": b.is_priority}
            )
        if (a.procurement_code, a.description) != (b.procurement_code, b.description):
            out["remapped"].append(
                {
                    "code": code,
                    "name_zh": b.name_zh,
                    "before": {"procurement_code": a.procurement_code, "description": a.description},
                    "after": {"procurement_code": b.procurement_code, "description": b.description},
                }
            )
    return {**out, "counts": {kind: len(out[kind]) for kind in DIFF_KINDS}}


def diff_is_empty(diff: Mapping[str, Any]) -> bool:
    return not any(diff.get("counts", {}).get(kind) for kind in DIFF_KINDS)


# --- Publication -----------------------------------------------------------------------------


def check_effective_from(effective_from: date | None, *, today: date, previous: date | None, allow_past: bool) -> None:
    if effective_from is None:
        message = _("Enter the date from which this version is in effect.")
        raise ValidationFailed(message, code="effective_from_required", fields={"effective_from": [message]})
    if not allow_past and effective_from < today:
        message = _("A catalog cannot take effect in the past; choose today or a later date.")
        raise ValidationFailed(message, code="effective_from_past", fields={"effective_from": [message]})
    if previous is not None and effective_from < previous:
        later = _("The version in effect now started on %(date)s; the new one cannot start earlier.") % {
            "date": previous.isoformat()
        }
        raise ValidationFailed(later, code="effective_from_before_previous", fields={"effective_from": [later]})


# --- Purchasability --------------------------------------------------------------------------


@dataclass(frozen=True)
class Purchasability:
    """The answer of `selectors.is_purchasable`: `allowed`, and the reason in words and as a code.

    codes: in_catalog, negative_list, outside_catalog (needs the finance bureau's approval first,
    as Beijing requires), approved_outside_catalog.
    """

    allowed: bool
    code: str
    reason: str
    needs_approval: bool = False
    version_id: int | None = None
    item_code: str = ""
    matter_code: str = ""
    legal_basis: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def decide_purchasable(
    *,
    item_code: str,
    version_id: int | None,
    in_catalog: bool,
    matter: MatterFacts | None,
    approved_outside_catalog: bool,
) -> Purchasability:
    if matter is not None:
        return Purchasability(
            allowed=False,
            code="negative_list",
            reason=negative_refusal(matter),
            version_id=version_id,
            item_code=item_code,
            matter_code=matter.code,
            legal_basis=matter.legal_basis_zh,
        )
    if in_catalog:
        return Purchasability(
            allowed=True,
            code="in_catalog",
            reason=str(_("The item is in the catalog in effect on that date.")),
            version_id=version_id,
            item_code=item_code,
        )
    if approved_outside_catalog:
        return Purchasability(
            allowed=True,
            code="approved_outside_catalog",
            reason=str(_("The item is outside the catalog; the finance bureau has approved the purchase.")),
            version_id=version_id,
            item_code=item_code,
        )
    return Purchasability(
        allowed=False,
        code="outside_catalog",
        needs_approval=True,
        reason=str(
            _(
                "The item is not in the catalog in effect on that date; it may be purchased only after the "
                "finance bureau approves."
            )
        ),
        version_id=version_id,
        item_code=item_code,
    )

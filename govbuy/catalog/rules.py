"""Pure decisions about the catalog: transitions, who may do what, the diff between two item
lists, the checks on imported rows, the negative list and whether an item may be purchased.
No queries here."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
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


# Characters that change nothing a reader sees, or hide what they see: zero-width spaces and joiners,
# bidi embeddings/overrides/isolates and marks, soft hyphens, BOMs, controls, private use. They
# are dropped before matching, so a term with one inside is the term.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cs"})
# A near-miss: the term's characters in order, with at most this many others between them in all
# ("劳务人员派遣", "装修改造工程"), in the text without spaces and punctuation.
NEAR_MISS_GAP = 2
# A term right after one of these ("不涉及劳务派遣", "不含工程施工") is what the text rules out, not what it
# buys: not refused, but shown to the finance review ("negated"), which reads the sentence.
_NEGATIONS = ("不", "非", "无", "未", "禁止", "严禁", "不得", "不含", "不包括", "不涉及", "除外", "排除")
_NEGATION_WINDOW = 6


def _identity(text: str) -> str:
    return text


def strict_form(text: str, simplify: Callable[[str], str] = _identity) -> str:
    """What a term is matched against: NFKC (full-width and compatibility forms folded), invisible
    characters removed, Traditional made Simplified (`simplify`, OpenCC t2s), case folded."""
    folded = unicodedata.normalize("NFKC", text or "")
    visible = "".join(ch for ch in folded if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)
    return simplify(visible).casefold()


def loose_form(strict: str) -> str:
    """The strict form without separators and punctuation: where a term split by a space, a dot
    or a dash ("劳务 派遣", "劳务·派遣") is found."""
    return "".join(ch for ch in strict if unicodedata.category(ch)[0] not in ("Z", "P") and not ch.isspace())


def _positions(text: str, term: str) -> list[int]:
    out, at = [], text.find(term)
    while at >= 0:
        out.append(at)
        at = text.find(term, at + 1)
    return out


def _negated(text: str, at: int) -> bool:
    before = text[max(0, at - _NEGATION_WINDOW) : at]
    return any(word in before for word in _NEGATIONS)


def _near(term: str, text: str, gap: int = NEAR_MISS_GAP) -> bool:
    """The term's characters appear in order in `text` with at most `gap` others between them."""
    if len(term) < 3:
        return False  # two characters with a gap match far too much
    for start in (i for i, ch in enumerate(text) if ch == term[0]):
        position, spent = start + 1, 0
        for ch in term[1:]:
            found = text.find(ch, position, position + gap - spent + 1)
            if found < 0:
                break
            spent += found - position
            position = found + 1
        else:
            return True
    return False


@dataclass(frozen=True)
class NegativeFinding:
    """A negative-list term in one field: `kind` "match" (refused), or a near-miss for the finance
    review: "spacing" (found once spaces and punctuation are removed) or "variant" (the term's
    characters in order, a few others between) or "negated" (the text rules the term out)."""

    matter: MatterFacts
    term: str
    field: str
    kind: str

    def as_dict(self) -> dict[str, str]:
        return {
            "matter": self.matter.code,
            "name": self.matter.name_zh,
            "basis": self.matter.legal_basis_zh,
            "term": self.term,
            "field": self.field,
            "kind": self.kind,
        }


def negative_findings(
    fields: Mapping[str, str], matters: Sequence[MatterFacts], simplify: Callable[[str], str] = _identity
) -> list[NegativeFinding]:
    """Every term of every matter, in every field (title, outside-catalog name, description…):
    matches first, then near-misses, at most one finding per matter and field."""
    forms = {name: strict_form(text, simplify) for name, text in fields.items() if text}
    loose = {name: loose_form(form) for name, form in forms.items()}
    found: list[NegativeFinding] = []
    near: list[NegativeFinding] = []
    for matter in matters:
        for name, text in forms.items():
            kind = ""
            hit = ""
            for raw in matter.terms:
                term = loose_form(strict_form(raw, simplify))
                if not term:
                    continue
                if term in text:
                    if all(_negated(text, at) for at in _positions(text, term)):
                        kind, hit = "negated", raw
                        continue
                    kind, hit = "match", raw
                    break
                if not kind and term in loose[name]:
                    kind, hit = "spacing", raw
                elif not kind and _near(term, loose[name]):
                    kind, hit = "variant", raw
            if kind == "match":
                found.append(NegativeFinding(matter, hit, name, kind))
            elif kind:
                near.append(NegativeFinding(matter, hit, name, kind))
    return found + near


def negative_match(
    names: Iterable[str], matters: Sequence[MatterFacts], simplify: Callable[[str], str] = _identity
) -> MatterFacts | None:
    """The first matter one of whose terms appears in one of the names (normalised: see
    `strict_form`), or None."""
    fields = {str(i): text for i, text in enumerate(names) if text}
    for finding in negative_findings(fields, matters, simplify):
        if finding.kind == "match":
            return finding.matter
    return None


def near_miss_reason(finding: NegativeFinding) -> str:
    """The sentence the finance bureau reads on the project."""
    if finding.kind == "negated":
        text = _("The text says it does not include “%(term)s”: check that the service is not “%(name)s” (%(basis)s).")
    elif finding.kind == "spacing":
        text = _(
            "“%(term)s” appears once spaces or punctuation are removed: check that this is not “%(name)s” (%(basis)s)."
        )
    else:
        text = _("A phrase close to “%(term)s” appears: check that this is not “%(name)s” (%(basis)s).")
    return str(text % {"term": finding.term, "name": finding.matter.name_zh, "basis": finding.matter.legal_basis_zh})


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

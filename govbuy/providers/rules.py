"""Pure decisions of the provider registry: transitions, what a section still needs, who may do
what, identity checks and the discriminatory-pattern matcher. No queries here."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import TransitionRefused, ValidationFailed
from govbuy.organizations.kinds import WRITE_ROLES
from govbuy.organizations.models import Membership
from govbuy.organizations.models import OrganisationKind as K
from govbuy.organizations.rules import VERIFIER_KINDS
from govbuy.organizations.scope import Scope
from govbuy.providers.models import Condition, DossierSection, ProjectCondition, ProviderProfile

# Supervision and audit read every dossier of their region (seed §四.二).
READING_OVERSIGHT_KINDS = frozenset({K.SUPERVISION, K.AUDIT_OFFICE})

# --- Transitions -------------------------------------------------------------------------------

SECTION_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted"}),
    "submitted": frozenset({"accepted", "rejected", "draft"}),
    "accepted": frozenset({"draft"}),
    "rejected": frozenset({"draft"}),
}
PROVIDER_TRANSITIONS: dict[str, frozenset[str]] = {
    "registered": frozenset({"verified"}),
    # Back to "registered" when an identity field changes (re-verification, IDENTITY_FIELDS).
    # A suspension or ban is not a state but a Restriction with a period (decision 0003, issue 14).
    "verified": frozenset({"registered"}),
}
# The provider's own registration facts that say who it is (with the organisation's, listed in
# govbuy.organizations.identity.IDENTITY_FIELDS): the legal representative and the keyed hash of
# the identity number (related parties, Reg. Art. 18), and the authority it is registered with.
# Address and contacts are not identity: changing them changes nothing of the verification.
IDENTITY_FIELDS = ("legal_representative", "legal_representative_key", "registration_authority")


def identity_change_needs_reverification(scope: Scope | None, *, authority_kind: str, region_id: int) -> bool:
    """Anyone but the provider's own registration authority (and the system itself, scope None)
    changing its identity sends a verified provider back to verification; the authority that
    changes it has checked it."""
    if scope is None:
        return False
    return not is_authority_for(scope, authority_kind=authority_kind, region_id=region_id)


CONDITION_TRANSITIONS: dict[str, frozenset[str]] = {
    "in_force": frozenset({"rejected", "withdrawn"}),
    "pending_approval": frozenset({"approved", "rejected", "withdrawn"}),
    "approved": frozenset({"rejected", "withdrawn"}),
    "rejected": frozenset(),
    "withdrawn": frozenset(),
}


def _check(table: dict[str, frozenset[str]], labels: dict[str, Any], before: str, after: str) -> None:
    if after not in table.get(before, frozenset()):
        raise TransitionRefused(
            _("This cannot go from “%(before)s” to “%(after)s”.")
            % {"before": labels.get(before, before), "after": labels.get(after, after)}
        )


def check_section_transition(before: str, after: str) -> None:
    _check(SECTION_TRANSITIONS, dict(DossierSection.Status.choices), before, after)


def check_provider_transition(before: str, after: str) -> None:
    _check(PROVIDER_TRANSITIONS, dict(ProviderProfile.State.choices), before, after)


# --- Restrictions (bans and suspensions) -------------------------------------------------------------

# A registration authority's suspension lasts at most this long; a longer exclusion is a ban,
# decided in the credit system with its legal basis (Law Art. 77: 1–3 years).
SUSPENSION_MAX_DAYS = 366


def restriction_end(last_day: dt.date) -> dt.datetime:
    """A restriction "until `last_day`" covers that whole day and ends at the next midnight in
    Beijing, so the first request of the next day is allowed without anything running."""
    from govbuy.core.calendar.rules import start_of_day

    return start_of_day(last_day + dt.timedelta(days=1))


def restriction_last_day(ends_at: dt.datetime) -> dt.date:
    """The last Beijing day a restriction covers (its end is exclusive)."""
    from govbuy.core.calendar.rules import local_date

    return local_date(ends_at - dt.timedelta(microseconds=1))


def check_restriction_period(kind: str, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        message = _("A ban or suspension must end after it starts.")
        raise ValidationFailed(message, code="period_invalid", fields={"ends_on": [message]})
    if kind == "suspension" and ends_at - starts_at > dt.timedelta(days=SUSPENSION_MAX_DAYS + 1):
        message = _("A suspension lasts at most a year; a longer exclusion is a ban decided with its legal basis.")
        raise ValidationFailed(message, code="period_too_long", fields={"ends_on": [message]})


def check_condition_transition(before: str, after: str) -> None:
    _check(CONDITION_TRANSITIONS, dict(ProjectCondition.Status.choices), before, after)


# --- What a section needs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    documents: int = 1
    staff: int = 0
    declaration: bool = False


REQUIREMENTS: dict[str, Requirement] = {
    Condition.CIVIL_LIABILITY: Requirement(),
    Condition.CAPACITY: Requirement(staff=1),
    Condition.GOVERNANCE: Requirement(),
    Condition.FINANCE: Requirement(),
    Condition.REPUTATION: Requirement(),
    Condition.TAX_SOCIAL_INSURANCE: Requirement(),
    Condition.NO_MAJOR_VIOLATION: Requirement(declaration=True),
    Condition.AUTHORITY_CONDITIONS: Requirement(),
}

MISSING_LABELS: dict[str, Any] = {
    "statement": _("a statement"),
    "document": _("at least one current document"),
    "staff": _("a staff list with qualifications"),
    "declaration": _("the signed declaration"),
}

DECLARATION_TEXT = _(
    "We declare that in the three years before this declaration our organisation has committed no "
    "major violation of law in its business activities (Government Procurement Law Art. 22; "
    "Implementing Regulation Art. 17 and 19), and that this dossier is true and complete."
)

UPLOAD_KINDS = frozenset({"pdf", "png", "jpeg", "xlsx", "docx", "csv"})


def is_expired(valid_until: dt.date | None, today: dt.date) -> bool:
    """A document is expired from the day after its last valid day, whatever any job did."""
    return valid_until is not None and valid_until < today


def is_expiring(valid_until: dt.date | None, today: dt.date, days: int) -> bool:
    return valid_until is not None and today <= valid_until <= today + dt.timedelta(days=days)


def section_missing(
    condition: str,
    *,
    statement: str,
    document_validity: Sequence[dt.date | None],
    staff_count: int,
    declaration_signed: bool,
    today: dt.date,
) -> list[str]:
    """Codes of what the section still lacks (keys of MISSING_LABELS)."""
    need = REQUIREMENTS[condition]
    missing: list[str] = []
    if not statement.strip():
        missing.append("statement")
    current = sum(1 for until in document_validity if not is_expired(until, today))
    if current < need.documents:
        missing.append("document")
    if staff_count < need.staff:
        missing.append("staff")
    if need.declaration and not declaration_signed:
        missing.append("declaration")
    return missing


def display_state(status: str, *, missing: Sequence[str], expired: int) -> str:
    """What the provider should read first: expired evidence beats an old acceptance."""
    if expired and status in ("accepted", "submitted"):
        return "expired"
    if status == "draft" and missing:
        return "missing"
    return status


DISPLAY_LABELS: dict[str, Any] = {
    "missing": _("incomplete"),
    "draft": _("ready to submit"),
    "submitted": _("awaiting verification"),
    "accepted": _("accepted"),
    "rejected": _("rejected"),
    "expired": _("document expired: renew it"),
}


def check_registration_date(value: dt.date | None, today: dt.date) -> None:
    if value is None:
        message: Any = _("Enter the registration date.")
    elif value > today:
        message = _("The registration date cannot be in the future.")
    elif value < dt.date(1949, 10, 1):
        message = _("The registration date is too early to be a registration in the People's Republic of China.")
    else:
        return
    raise ValidationFailed(message, code="registration_date", fields={"registration_date": [message]})


def check_validity(valid_from: dt.date | None, valid_until: dt.date | None) -> None:
    if valid_from and valid_until and valid_until < valid_from:
        message = _("“Valid until” must not be before “valid from”.")
        raise ValidationFailed(message, code="validity", fields={"valid_until": [message]})


# --- Identity of the legal representative ---------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_OTHER_ID = re.compile(r"^[A-Z0-9]{6,20}$")


def resident_id_check(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def normalise_identity(raw: str) -> str:
    """A resident identity card number (GB 11643, check character verified) or another document
    number (passport, Hong Kong/Macao/Taiwan permit: 6–20 letters and digits)."""
    value = unicodedata.normalize("NFKC", raw or "").upper().replace(" ", "").replace("-", "")
    if len(value) == 18 and value[:17].isdigit():
        if resident_id_check(value[:17]) != value[17]:
            message: Any = _("The identity card number's check character is wrong; check the number.")
            raise ValidationFailed(message, code="identity", fields={"legal_representative_id": [message]})
        return value
    if not _OTHER_ID.match(value):
        message = _("Enter an 18-character identity card number or another identity document number.")
        raise ValidationFailed(message, code="identity", fields={"legal_representative_id": [message]})
    return value


def identity_key(normalised: str) -> str:
    key = str(getattr(settings, "GOVBUY_IDENTITY_KEY", settings.SECRET_KEY)).encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def ordered_pair(a: int, b: int) -> tuple[int, int]:
    if a == b:
        raise ValidationFailed(_("A provider cannot be related to itself."), code="related_self")
    return (a, b) if a < b else (b, a)


# --- Who may do what --------------------------------------------------------------------------------


def _member(scope: Scope, organisation_id: int, roles: Iterable[str]) -> bool:
    wanted = frozenset(roles)
    return any(m.organisation_id == organisation_id and m.role in wanted for m in scope.memberships)


def is_provider_member(scope: Scope, organisation_id: int) -> bool:
    return any(m.organisation_id == organisation_id for m in scope.memberships)


def may_edit_dossier(scope: Scope, organisation_id: int) -> bool:
    return _member(scope, organisation_id, WRITE_ROLES)


def may_sign_declaration(scope: Scope, organisation_id: int) -> bool:
    """The declaration binds the organisation, so only its administrator signs it."""
    return _member(scope, organisation_id, {Membership.Role.ADMIN})


def _reaches(scope: Scope, kinds: Iterable[str], region_id: int, roles: Iterable[str] | None = None) -> bool:
    wanted = frozenset(kinds)
    for _org, kind, role, member_region, level in scope.memberships:
        if kind in wanted and (roles is None or role in roles) and (level == "city" or member_region == region_id):
            return True
    return False


def is_authority_for(scope: Scope, *, authority_kind: str, region_id: int) -> bool:
    """The registration authority of the provider's kind, of the city or of its district."""
    return _reaches(scope, {authority_kind}, region_id, WRITE_ROLES)


def may_read_dossier(scope: Scope, *, organisation_id: int, authority_kind: str, region_id: int) -> bool:
    return (
        scope.is_platform_admin
        or is_provider_member(scope, organisation_id)
        or _reaches(scope, {authority_kind}, region_id)
        or _reaches(scope, READING_OVERSIGHT_KINDS, region_id)
    )


def may_record_relation(scope: Scope, *, organisation_id: int, authority_kind: str, region_id: int) -> bool:
    """A provider declares its own control relations; its registration authority records them too."""
    return may_sign_declaration(scope, organisation_id) or is_authority_for(
        scope, authority_kind=authority_kind, region_id=region_id
    )


def is_finance_for(scope: Scope, region_id: int) -> bool:
    return _reaches(scope, {K.FINANCE_BUREAU}, region_id, WRITE_ROLES)


def may_set_conditions(scope: Scope, purchaser_id: int, purchaser_kinds: frozenset[str]) -> bool:
    return any(m.organisation_id == purchaser_id and m.kind in purchaser_kinds and m.writes for m in scope.memberships)


def may_edit_patterns(scope: Scope) -> bool:
    """The city finance bureau keeps the table of discriminatory patterns."""
    return scope.is_platform_admin or any(
        m.kind == K.FINANCE_BUREAU and m.region_level == "city" and m.writes for m in scope.memberships
    )


def authority_regions(scope: Scope) -> dict[str, tuple[bool, frozenset[int]]]:
    """Per authority kind the actor acts for: (whole city, district ids)."""
    out: dict[str, tuple[bool, set[int]]] = {}
    for _org, kind, role, region_id, level in scope.memberships:
        if kind in VERIFIER_KINDS and role in WRITE_ROLES:
            _everywhere, regions = out.setdefault(kind, (False, set()))
            if level == "city":
                out[kind] = (True, regions)
            else:
                regions.add(region_id)
    return {kind: (everywhere, frozenset(regions)) for kind, (everywhere, regions) in out.items()}


# --- Discriminatory conditions -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def normalise_text(text: str) -> str:
    """NFKC (full-width → half-width), lower case, Traditional → Simplified, no spaces between CJK."""
    value = unicodedata.normalize("NFKC", text or "").lower()
    value = _t2s().convert(value)
    return re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", value)


@lru_cache(maxsize=512)
def compile_phrase(phrase: str) -> re.Pattern[str]:
    """A phrase as a safe regular expression: everything literal except `*` (up to six
    characters). ASCII words match whole words only, so "brand" does not match "brandy" (but
    does match beside Chinese text, where `\\b` would not see a boundary)."""
    normalised = normalise_text(phrase.strip())
    parts = [re.escape(part) for part in normalised.split("*")]
    body = ".{0,6}".join(parts)
    if normalised[:1].isascii() and normalised[:1].isalnum():
        body = r"(?<![a-z0-9])" + body
    if normalised[-1:].isascii() and normalised[-1:].isalnum():
        body = body + r"(?![a-z0-9])"
    return re.compile(body)


def check_phrases(raw: str) -> list[str]:
    phrases = [line.strip() for line in (raw or "").splitlines() if line.strip()]
    if not phrases:
        message: Any = _("Enter at least one phrase, one per line.")
        raise ValidationFailed(message, code="phrases", fields={"phrases": [message]})
    for phrase in phrases:
        if len(phrase) > 100 or not phrase.replace("*", "").strip():
            message = _("Each phrase has 1 to 100 characters besides “*”: “%(phrase)s”.") % {"phrase": phrase[:40]}
            raise ValidationFailed(message, code="phrases", fields={"phrases": [message]})
    return phrases


@dataclass(frozen=True)
class PatternRow:
    code: str
    category: str
    label_zh: str
    label_en: str
    phrases: str


def match_condition(text: str, patterns: Iterable[PatternRow]) -> list[dict[str, str]]:
    """The flags a condition text raises: one per pattern, naming the phrase that matched."""
    normalised = normalise_text(text)
    flags: list[dict[str, str]] = []
    for pattern in patterns:
        for phrase in pattern.phrases.splitlines():
            if phrase.strip() and compile_phrase(phrase.strip()).search(normalised):
                flags.append(
                    {
                        "code": pattern.code,
                        "category": pattern.category,
                        "label_zh": pattern.label_zh,
                        "label_en": pattern.label_en,
                        "phrase": phrase.strip(),
                    }
                )
                break
    return flags

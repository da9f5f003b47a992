"""Unified Social Credit Code (統一社會信用代碼, GB 32100-2015).

Layout: position 1 registration authority, 2 category, 3–8 region code, 9–17 the organisation
code (GB 11714: 8 characters and its own check), 18 the check character over positions 1–17.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import ValidationFailed

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Registration authority (position 1) and category (position 2), GB 32100-2015 Appendix A.
AUTHORITIES: dict[str, tuple[object, dict[str, object]]] = {
    "1": (
        _("institutional staffing"),
        {"1": _("organ"), "2": _("public institution"), "3": _("central staffing mass organisation"), "9": _("other")},
    ),
    "2": (_("foreign affairs"), {"1": _("foreign resident office"), "9": _("other")}),
    "3": (
        _("justice administration"),
        {
            "1": _("law firm"),
            "2": _("notary office"),
            "3": _("grassroots legal service office"),
            "4": _("forensic appraisal institution"),
            "5": _("arbitration commission"),
            "9": _("other"),
        },
    ),
    "4": (_("culture"), {"1": _("foreign cultural centre"), "9": _("other")}),
    "5": (
        _("civil affairs"),
        {
            "1": _("social group"),
            "2": _("private non-enterprise unit (social service organisation)"),
            "3": _("foundation"),
            "9": _("other"),
        },
    ),
    "6": (
        _("tourism"),
        {"1": _("foreign tourism office"), "2": _("tourism office of Hong Kong, Macao or Taiwan"), "9": _("other")},
    ),
    "7": (_("religious affairs"), {"1": _("religious activity venue"), "2": _("religious college"), "9": _("other")}),
    "8": (_("trade unions"), {"1": _("grassroots trade union"), "9": _("other")}),
    "9": (
        _("market regulation (industry and commerce)"),
        {"1": _("enterprise"), "2": _("individual business"), "3": _("farmers' specialised cooperative")},
    ),
    "A": (_("central military commission reform office"), {"1": _("military institution"), "9": _("other")}),
    "N": (
        _("agriculture"),
        {
            "1": _("group-level collective economic organisation"),
            "2": _("village-level collective economic organisation"),
            "3": _("township-level collective economic organisation"),
            "9": _("other"),
        },
    ),
    "Y": (_("other"), {"1": _("other")}),
}

# The prefixes we expect for each organisation kind; anything else is shown to the verifier.
EXPECTED_PREFIXES: dict[str, frozenset[str]] = {
    "administrative_agency": frozenset({"11"}),
    "public_institution_administrative": frozenset({"12"}),
    "mass_organisation_budget_funded": frozenset({"13", "81", "19"}),
    "social_group": frozenset({"51"}),
    "social_service_organisation": frozenset({"52"}),
    "foundation": frozenset({"53"}),
    "enterprise": frozenset({"91"}),
    "individual_business": frozenset({"92"}),
    "public_institution_class2": frozenset({"12"}),
    "public_institution_business": frozenset({"12"}),
    "rural_collective": frozenset({"N1", "N2", "N3", "93"}),
    "grassroots_self_governing": frozenset({"54", "55", "59", "Y1"}),
    "finance_bureau": frozenset({"11"}),
    "staffing_office": frozenset({"11"}),
    "civil_affairs": frozenset({"11"}),
    "market_regulation": frozenset({"11"}),
    "supervision": frozenset({"11"}),
    "audit_office": frozenset({"11"}),
    "third_party_evaluator": frozenset({"91", "52", "12", "31"}),
}

_FULLWIDTH_OFFSET = 0xFEE0


def _normalise_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    chars = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - _FULLWIDTH_OFFSET)
        if ch.isspace() or ch in "-‐‑‒–—―_":
            continue
        chars.append(ch)
    return "".join(chars).upper()


def normalise(raw: str) -> str:
    """Full-width to half-width, upper case, drop spaces and hyphens (as people type codes).

    Repeated until stable: dropping a space can let NFKC compose what it split (A + ´), and upper
    case can expand a letter (ß → SS), so one pass is not always idempotent."""
    text = raw or ""
    for _round in range(5):
        again = _normalise_once(text)
        if again == text:
            break
        text = again
    return text


def check_character(first17: str) -> str:
    total = sum(VALUES[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check(first8: str) -> str:
    """GB 11714 check character over the 8-character organisation code body."""

    def value(ch: str) -> int:
        return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10

    remainder = 11 - sum(value(ch) * w for ch, w in zip(first8, ORG_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


# Stable codes for the doubts a valid code may raise; stored on the organisation.
WARNING_UNKNOWN_AUTHORITY = "unknown_authority"
WARNING_UNKNOWN_CATEGORY = "unknown_category"
WARNING_ORG_CODE_CHECK = "gb11714_check"
WARNING_KIND_PREFIX = "kind_prefix_mismatch"
WARNING_CODES = (WARNING_UNKNOWN_AUTHORITY, WARNING_UNKNOWN_CATEGORY, WARNING_ORG_CODE_CHECK, WARNING_KIND_PREFIX)


@dataclass(frozen=True)
class UsccInfo:
    code: str
    authority: str
    category: str
    authority_label: object
    category_label: object
    region_code: str
    organisation_code: str
    warnings: tuple[object, ...] = field(default_factory=tuple)
    warning_codes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def prefix(self) -> str:
        return self.code[:2]


def parse(raw: str) -> UsccInfo:
    """Validate a code and explain it. Refusals raise ValidationFailed; doubts become warnings."""
    code = normalise(raw)
    if not code:
        message: Any = _("Enter the unified social credit code.")
        raise ValidationFailed(message, code="uscc_required", fields={"uscc": [message]})
    if len(code) != 18:
        message = _("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)}
        raise ValidationFailed(message, code="uscc_length", fields={"uscc": [message]})
    bad = sorted({ch for ch in code if ch not in VALUES})
    if bad:
        message = _("Not allowed in a unified social credit code: %(chars)s (I, O, Z, S and V are never used).") % {
            "chars": " ".join(bad)
        }
        raise ValidationFailed(message, code="uscc_alphabet", fields={"uscc": [message]})
    expected = check_character(code[:17])
    if code[17] != expected:
        message = _("The check character of this code is wrong: please look for a typing error.")
        raise ValidationFailed(message, code="uscc_check", fields={"uscc": [message]})
    authority_label, categories = AUTHORITIES.get(code[0], (None, {}))
    # Issuing practice grows beyond the 2015 table (e.g. codes for grassroots self-governing
    # bodies); a deployment adds categories with USCC_EXTRA_CATEGORIES = {"5": {"4": "label"}}.
    extra = (getattr(settings, "USCC_EXTRA_CATEGORIES", None) or {}).get(code[0])
    if extra:
        categories = {**categories, **extra}
        authority_label = authority_label or _("other")
    warnings: list[object] = []
    codes: list[str] = []
    if authority_label is None:
        codes.append(WARNING_UNKNOWN_AUTHORITY)
        warnings.append(_("Registration authority “%(a)s” is not in GB 32100-2015.") % {"a": code[0]})
    category_label = categories.get(code[1])
    if authority_label is not None and category_label is None:
        codes.append(WARNING_UNKNOWN_CATEGORY)
        warnings.append(_("Category “%(c)s” is not defined for this registration authority.") % {"c": code[1]})
    org_code = code[8:17]
    # Codes issued after 2015 to bodies without an older organisation code may not satisfy
    # GB 11714's check, so this is a warning for the verifier, never a refusal.
    if org_code_check(org_code[:8]) != org_code[8]:
        codes.append(WARNING_ORG_CODE_CHECK)
        warnings.append(_("The embedded organisation code (positions 9–17) fails its GB 11714 check."))
    return UsccInfo(
        code=code,
        authority=code[0],
        category=code[1],
        authority_label=authority_label or _("unknown"),
        category_label=category_label or _("unknown"),
        region_code=code[2:8],
        organisation_code=org_code,
        warnings=tuple(warnings),
        warning_codes=tuple(codes),
    )


def expected_prefixes(kind: str) -> frozenset[str] | None:
    """The prefixes expected for a kind; a deployment may override the table with the setting
    USCC_EXPECTED_PREFIXES ({kind: [prefix, ...]}) since the local issuing practice varies."""
    override = getattr(settings, "USCC_EXPECTED_PREFIXES", None) or {}
    if kind in override:
        return frozenset(override[kind])
    return EXPECTED_PREFIXES.get(kind)


def kind_mismatch_warning(info: UsccInfo, kind: str) -> object | None:
    """A warning when the code's authority/category prefix does not fit the organisation kind."""
    expected = expected_prefixes(kind)
    if expected is None or info.prefix in expected:
        return None
    return _("Prefix %(prefix)s (%(authority)s: %(category)s) is unusual for this kind; expected %(expected)s.") % {
        "prefix": info.prefix,
        "authority": info.authority_label,
        "category": info.category_label,
        "expected": ", ".join(sorted(expected)),
    }


def warnings_for(info: UsccInfo, kind: str) -> tuple[list[str], list[object]]:
    """All doubts about a code held by an organisation of `kind`: (codes, sentences)."""
    codes = list(info.warning_codes)
    messages = list(info.warnings)
    mismatch = kind_mismatch_warning(info, kind)
    if mismatch is not None:
        codes.append(WARNING_KIND_PREFIX)
        messages.append(mismatch)
    return codes, messages


def explain(info: UsccInfo, kind: str | None = None) -> dict[str, Any]:
    """A plain dict for pages and the API: the code, its parts and the doubts it raises."""
    codes, messages = warnings_for(info, kind) if kind else (list(info.warning_codes), list(info.warnings))
    return {
        "code": info.code,
        "prefix": info.prefix,
        "authority": info.authority,
        "authority_label": str(info.authority_label),
        "category": info.category,
        "category_label": str(info.category_label),
        "region_code": info.region_code,
        "organisation_code": info.organisation_code,
        "check_character": info.code[17],
        "expected_prefixes": sorted(expected_prefixes(kind) or ()) if kind else [],
        "warning_codes": codes,
        "warnings": [str(m) for m in messages],
    }


def make_code(prefix: str, region_code: str, org_body: str) -> str:
    """Build a valid code (tests and demo data): prefix (2) + region (6) + org body (8)."""
    bad = sorted(set(prefix + region_code + org_body) - set(VALUES))
    if bad or (len(prefix), len(region_code), len(org_body)) != (2, 6, 8):
        raise ValueError(
            f"make_code needs 2 + 6 + 8 characters of {ALPHABET}; got {prefix!r}, {region_code!r}, {org_body!r}"
            + (f" (not allowed: {''.join(bad)})" if bad else "")
        )
    body = prefix + region_code + org_body + org_code_check(org_body)
    return body + check_character(body)


def with_check_character(first17: str) -> str:
    """Complete 17 characters with the check character (tests of codes whose GB 11714 part fails)."""
    return first17 + check_character(first17)

"""Pure decisions about signing in: who must use two-factor, when a (username, IP) pair is
locked, whether a session has outlived its limits, and which TOTP time step a code proves.
No queries here."""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp

# Organisation kinds whose members must use TOTP (design/reliability.md R11): finance bureaus,
# the purchasers, audit and supervision. They are spelled out as strings because accounts sits
# below organizations in the layering; tests check they match the organisation kinds.
FINANCE_KINDS = frozenset({"finance_bureau"})
PURCHASER_KINDS = frozenset(
    {"administrative_agency", "public_institution_administrative", "mass_organisation_budget_funded"}
)
AUDIT_KINDS = frozenset({"audit_office", "supervision"})
TWO_FACTOR_KINDS = FINANCE_KINDS | PURCHASER_KINDS | AUDIT_KINDS

TOTP_INTERVAL = 30
TOTP_DIGITS = 6
# A code from the previous or next 30-second step is accepted: phone clocks drift.
TOTP_TOLERANCE_STEPS = 1
# How long the password step stays valid while the user types the code.
PENDING_TWO_FACTOR_SECONDS = 300
# The last-activity stamp is rewritten at most this often, so a busy user does not cost a
# session write on every request; idle expiry may come up to this much early, never late.
ACTIVITY_RESOLUTION_SECONDS = 60


def two_factor_required(*, is_superuser: bool, kinds: Iterable[str], is_expert: bool = False) -> bool:
    """Platform admins, members of finance, purchaser, audit and supervision bodies, and the
    evaluation experts (they see bids and decide who wins, like other staff)."""
    return is_superuser or is_expert or any(kind in TWO_FACTOR_KINDS for kind in kinds)


@dataclass(frozen=True)
class Lockout:
    locked: bool
    until: datetime | None = None

    def seconds_left(self, now: datetime) -> int:
        if not self.locked or self.until is None:
            return 0
        return max(1, int((self.until - now).total_seconds() + 0.999))


def lockout_state(*, recent_failures: Sequence[datetime], now: datetime, limit: int, lockout_seconds: int) -> Lockout:
    """`recent_failures`: the newest failures of one (username, IP) pair, newest first, at most
    `limit` of them. The pair is locked when `limit` failures fall within `lockout_seconds` of the
    newest one, until `lockout_seconds` after that newest failure. Attempts refused while locked
    are not recorded, so the lock ends on time and a fresh run of `limit` attempts follows."""
    if limit <= 0 or len(recent_failures) < limit:
        return Lockout(False)
    newest, oldest = recent_failures[0], recent_failures[limit - 1]
    window = timedelta(seconds=lockout_seconds)
    if newest - oldest > window:
        return Lockout(False)
    until = newest + window
    return Lockout(now < until, until if now < until else None)


def session_end_reason(
    *, now: float, login_at: float, seen_at: float, idle_seconds: int, absolute_seconds: int
) -> str | None:
    """Return "absolute" when the session is older than the absolute limit, "idle" when it has been
    unused for longer than the idle limit, None while it may go on."""
    if now - login_at >= absolute_seconds:
        return "absolute"
    if now - seen_at >= idle_seconds:
        return "idle"
    return None


def activity_stamp_due(*, now: float, seen_at: float) -> bool:
    return now - seen_at >= ACTIVITY_RESOLUTION_SECONDS


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if not ch.isspace())


def totp_step_for(*, secret: str, code: str, now: float, last_step: int) -> int | None:
    """The time step that `code` proves, or None. A step at or before `last_step` has been used
    already (or is older than one that has), so a replayed code is refused."""
    code = normalise_code(code)
    if not secret or len(code) != TOTP_DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL)
    current = int(now) // TOTP_INTERVAL
    matched: int | None = None
    # Compare against every candidate so the time taken does not tell which step matched.
    for step in range(current - TOTP_TOLERANCE_STEPS, current + TOTP_TOLERANCE_STEPS + 1):
        expected = totp.at(step * TOTP_INTERVAL)
        if hmac.compare_digest(expected, code) and step > last_step and matched is None:
            matched = step
    return matched


def provisioning_uri(*, secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL).provisioning_uri(
        name=account, issuer_name=issuer
    )


def may_deactivate(*, actor_is_superuser: bool, actor_id: int | None, user_id: int | None) -> bool:
    """Platform admins deactivate accounts (a person may belong to several organisations, so no
    single organisation's admin decides); nobody deactivates themselves."""
    return actor_is_superuser and actor_id != user_id

"""Every write of the accounts app: sign-in attempts and lockout, two-factor, passwords, session
tracking and deactivation.

Sign-in attempts are reserved before the password is checked: the (username, IP) pair is
checked for a lock and a failure row is written first, in one short transaction, then removed
if the step succeeds. Parallel guesses therefore count even while their hashes are still being
computed, and the slow hash never runs inside a write transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from govbuy.accounts import crypto, rules, selectors
from govbuy.accounts.models import ApiToken, LoginFailure, User, UserSession
from govbuy.accounts.security import security_log
from govbuy.audit.services import record_event
from govbuy.core.errors import PermissionRefused, RateLimited, TransitionRefused, ValidationFailed


class LoginLocked(RateLimited):
    code = "login_locked"

    def __init__(self, seconds_left: int):
        minutes = max(1, (seconds_left + 59) // 60)
        message = ngettext(
            "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
            "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__(message, retry_after=seconds_left)


class InvalidCredentials(ValidationFailed):
    code = "invalid_credentials"
    default_message = _("The username or password is not correct.")


class InvalidCode(ValidationFailed):
    code = "invalid_code"
    default_message = _("The authentication code is not correct or has been used already.")


# --- sign-in attempts and lockout ------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    pk: int
    username: str
    ip: str
    # True when this attempt, if it fails, is the one that locks the pair.
    completes_run: bool


def _serialise_pair(username: str, ip: str) -> None:
    """On PostgreSQL, queue attempts of one (username, IP) pair so parallel guesses cannot all
    pass the lock check together. SQLite's BEGIN IMMEDIATE already serialises writers."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"govbuy.login\x00{username}\x00{ip}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _lockout(username: str, ip: str) -> rules.Lockout:
    return rules.lockout_state(
        recent_failures=selectors.recent_failures(username=username, ip=ip),
        now=timezone.now(),
        limit=settings.LOGIN_FAILURE_LIMIT,
        lockout_seconds=settings.LOGIN_LOCKOUT_SECONDS,
    )


def reserve_attempt(*, username: str, ip: str, step: str) -> Attempt:
    """Refuse a locked pair (before any password is looked at), else record the attempt as a
    failure until it proves otherwise."""
    username = username[:150]
    now = timezone.now()
    with transaction.atomic():
        _serialise_pair(username, ip)
        state = _lockout(username, ip)
        if state.locked:
            security_log("login.refused_locked", username=username, ip=ip, step=step)
            raise LoginLocked(state.seconds_left(now))
        row = LoginFailure.objects.create(username=username, ip=ip, at=now)
        completes_run = _lockout(username, ip).locked
    return Attempt(pk=row.pk, username=username, ip=ip, completes_run=completes_run)


def attempt_passed(attempt: Attempt) -> None:
    LoginFailure.objects.filter(pk=attempt.pk).delete()


def attempt_failed(attempt: Attempt, *, step: str) -> None:
    """Keep the failure; when it completes a run, lock the pair: security log, audit event and
    LoginLocked. Otherwise return and let the caller report the failure its own way."""
    security_log("login.failed", username=attempt.username, ip=attempt.ip, step=step)
    if not attempt.completes_run:
        return
    now = timezone.now()
    with transaction.atomic():
        _serialise_pair(attempt.username, attempt.ip)
        state = _lockout(attempt.username, attempt.ip)
        if not state.locked:
            return
        minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
        user = User.objects.filter(username=attempt.username).only("pk", "username").first()
        record_event(
            actor=None,
            action="accounts.user.login_locked",
            obj=user,
            object_type="" if user else "accounts.user",
            data={"username": attempt.username, "ip": attempt.ip, "minutes": minutes},
        )
    security_log("login.locked", username=attempt.username, ip=attempt.ip, step=step, minutes=minutes)
    raise LoginLocked(state.seconds_left(now))


def authenticate_password(*, username: str, password: str, ip: str) -> User:
    """The password step. Raises LoginLocked or InvalidCredentials; inactive users fail like
    wrong passwords so the answer tells nothing about the account."""
    attempt = reserve_attempt(username=username, ip=ip, step="password")
    user = authenticate(None, username=attempt.username, password=password)
    if not isinstance(user, User):
        attempt_failed(attempt, step="password")
        raise InvalidCredentials()
    attempt_passed(attempt)
    return user


def _accept_code(*, user_pk: int, code: str, need_confirmed: bool) -> User | None:
    """Lock the user row and accept `code` once: the step is stored so it cannot be replayed."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_pk, is_active=True).first()
        if user is None or not user.has_totp_secret or (need_confirmed and user.totp_confirmed_at is None):
            return None
        secret = _readable_secret(user)
        if not secret:
            return None
        step = rules.totp_step_for(
            secret=secret, code=code, now=timezone.now().timestamp(), last_step=user.totp_last_step
        )
        if step is None:
            return None
        user.totp_last_step = step
        user.save(update_fields=["totp_last_step"])
    return user


def _readable_secret(user: User) -> str:
    """The user's TOTP secret, or "" when it does not open: a value copied from another user's
    row or a changed key must refuse every code, not fail the request."""
    try:
        return user.totp_secret
    except crypto.UnreadableSecret:
        security_log("two_factor.secret_unreadable", level=logging.WARNING, username=user.username)
        return ""


def authenticate_totp(*, user_pk: int, username: str, code: str, ip: str) -> User:
    """The second step: a current code of a confirmed TOTP secret. Failures count towards the
    same (username, IP) lock as passwords, so the code cannot be guessed either."""
    attempt = reserve_attempt(username=username, ip=ip, step="totp")
    user = _accept_code(user_pk=user_pk, code=code, need_confirmed=True)
    if user is None:
        attempt_failed(attempt, step="totp")
        raise InvalidCode(fields={"code": [InvalidCode.default_message]})
    attempt_passed(attempt)
    return user


def sign_in_completed(*, user: User, ip: str, two_factor: bool, channel: str = "web") -> None:
    """Both steps passed: clear the pair's failures and log the sign-in."""
    LoginFailure.objects.filter(username=user.username, ip=ip).delete()
    security_log("login.succeeded", username=user.username, ip=ip, two_factor=two_factor, channel=channel)


# --- sessions --------------------------------------------------------------------------------


def track_session(*, user: User, session_key: str, replaces: str | None = None) -> None:
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    UserSession.objects.filter(user=user, created_at__lt=cutoff).delete()
    if replaces:
        UserSession.objects.filter(session_key=replaces).delete()
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user, "created_at": now})


def forget_session(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()


def _end_sessions(user: User, *, keep: str | None = None) -> int:
    store_class: Any = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(
        UserSession.objects.filter(user=user).exclude(session_key=keep or "").values_list("session_key", flat=True)
    )
    for key in keys:
        store_class(session_key=key).delete(key)
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
    is_platform_admin: bool = False,
) -> User:
    """Create an account. The password must pass the configured rules (length, common list);
    only platform admins (or the system, actor=None, for demo data and set-up) create admins."""
    if is_platform_admin and actor is not None and not actor.is_superuser:
        raise PermissionRefused()
    username = username.strip()
    if not username:
        raise ValidationFailed(fields={"username": [_("A user name is required.")]})
    candidate = User(username=username, display_name=display_name, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ValidationFailed(
            _("The password does not meet the rules."), fields={"password": error.messages}
        ) from None
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationFailed(fields={"username": [_("This user name is taken.")]})
        user = User.objects.create_user(
            username=username,
            password=password,
            display_name=display_name,
            email=email,
            is_superuser=is_platform_admin,
            is_staff=is_platform_admin,
        )
        record_event(
            actor=actor,
            action="accounts.user.created",
            obj=user,
            data={"username": user.username, "platform_admin": is_platform_admin},
        )
    return user


def deactivate_user(*, user: User, actor: User) -> User:
    """Deactivate an account and end all its sessions at once (the session middleware also
    refuses an inactive user, whatever session store is used)."""
    if not rules.may_deactivate(actor_is_superuser=actor.is_superuser, actor_id=actor.pk, user_id=user.pk):
        raise PermissionRefused()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            raise TransitionRefused(_("This account is already deactivated."))
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        ended = _end_sessions(locked)
        record_event(
            actor=actor,
            action="accounts.user.deactivated",
            obj=locked,
            changes={"is_active": (True, False)},
            data={"username": locked.username, "sessions_ended": ended},
        )
    security_log("account.deactivated", username=locked.username, actor=actor.username, sessions_ended=ended)
    return locked


# --- passwords -------------------------------------------------------------------------------


def change_password(
    *,
    user: User,
    actor: User,
    old_password: str,
    new_password: str,
    new_password_again: str,
    ip: str,
    keep_session: str,
) -> User:
    """The signed-in user changes their own password. A wrong old password counts as a failed
    sign-in (a borrowed session must not become a password oracle). Other sessions end."""
    if actor.pk != user.pk:
        raise PermissionRefused()
    attempt = reserve_attempt(username=user.username, ip=ip, step="password_change")
    if not user.check_password(old_password):
        attempt_failed(attempt, step="password_change")
        message = _("Your old password was entered incorrectly.")
        raise InvalidCredentials(message, fields={"old_password": [message]})
    attempt_passed(attempt)
    if new_password != new_password_again:
        message = _("The two new passwords do not match.")
        raise ValidationFailed(message, fields={"new_password2": [message]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            _("The new password does not meet the password rules."), fields={"new_password1": list(exc.messages)}
        ) from exc
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(new_password)
        locked.save(update_fields=["password"])
        ended = _end_sessions(locked, keep=keep_session)
        record_event(
            actor=actor,
            action="accounts.user.password_changed",
            obj=locked,
            data={"username": locked.username, "sessions_ended": ended},
        )
    security_log("password.changed", username=locked.username, sessions_ended=ended)
    return locked


# --- two-factor ------------------------------------------------------------------------------


def begin_two_factor_enrolment(*, user: User, actor: User) -> str:
    """Give the user a secret to scan. The same secret is shown until a code confirms it."""
    if actor.pk != user.pk:
        raise PermissionRefused()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.has_two_factor:
            raise TransitionRefused(_("Two-factor authentication is already on."))
        # Not confirmed yet, so an unreadable secret (say the key changed) is simply replaced.
        secret = _readable_secret(locked) if locked.has_totp_secret else ""
        if not secret:
            secret = pyotp.random_base32(length=32)
            locked.set_totp_secret(secret)
            locked.save(update_fields=["totp_secret_encrypted"])
            record_event(
                actor=actor,
                action="accounts.user.two_factor_enrolment_started",
                obj=locked,
                data={"username": locked.username},
            )
    user.totp_secret_encrypted = locked.totp_secret_encrypted
    return secret


def confirm_two_factor(*, user: User, actor: User, code: str) -> User:
    if actor.pk != user.pk:
        raise PermissionRefused()
    if user.has_two_factor:
        raise TransitionRefused(_("Two-factor authentication is already on."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.has_two_factor or not locked.has_totp_secret:
            raise TransitionRefused(_("Start the two-factor set-up first."))
        secret = _readable_secret(locked)
        step = (
            rules.totp_step_for(
                secret=secret, code=code, now=timezone.now().timestamp(), last_step=locked.totp_last_step
            )
            if secret
            else None
        )
        if step is None:
            raise InvalidCode(fields={"code": [InvalidCode.default_message]})
        locked.totp_confirmed_at = timezone.now()
        locked.totp_last_step = step
        locked.save(update_fields=["totp_confirmed_at", "totp_last_step"])
        record_event(
            actor=actor,
            action="accounts.user.two_factor_enabled",
            obj=locked,
            changes={"two_factor": (False, True)},
            data={"username": locked.username},
        )
    security_log("two_factor.enabled", username=locked.username)
    return locked


def disable_two_factor(*, user: User, actor: User, code: str = "") -> User:
    """The user turns two-factor off with a current code, unless a role requires it; a platform
    admin resets it for someone who lost their device, which also ends that user's sessions."""
    by_admin = actor.pk != user.pk
    if by_admin and not actor.is_superuser:
        raise PermissionRefused()
    if not by_admin:
        if selectors.two_factor_required(user):
            raise TransitionRefused(_("Your role requires two-factor authentication; it cannot be turned off."))
        if _accept_code(user_pk=user.pk, code=code, need_confirmed=True) is None:
            raise InvalidCode(fields={"code": [InvalidCode.default_message]})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.has_totp_secret:
            raise TransitionRefused(_("Two-factor authentication is not on."))
        was_on = locked.has_two_factor
        # totp_last_step stays: a code seen before must stay refused if the same secret returns.
        locked.set_totp_secret("")
        locked.totp_confirmed_at = None
        locked.save(update_fields=["totp_secret_encrypted", "totp_confirmed_at"])
        ended = _end_sessions(locked) if by_admin else 0
        record_event(
            actor=actor,
            action="accounts.user.two_factor_disabled",
            obj=locked,
            changes={"two_factor": (was_on, False)},
            data={"username": locked.username, "reset_by_admin": by_admin, "sessions_ended": ended},
        )
    security_log("two_factor.disabled", username=locked.username, actor=actor.username, reset_by_admin=by_admin)
    return locked


# --- API tokens ------------------------------------------------------------------------------

# last_used_at is written at most this often, so a busy client does not cost a write per request.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
# Longer than any key we issue (43 characters) or issued (40): a longer header is not hashed.
MAX_TOKEN_CHARS = 100


def issue_api_token(*, user: User, actor: User, channel: str) -> str:
    """A new token for `user`, replacing any earlier one. Only its hash is stored: the key is
    returned once, to be shown once (a lost key is replaced, not recovered). The key never goes
    into the audit trail or the log."""
    if actor.pk != user.pk:
        raise PermissionRefused()
    key = crypto.new_api_token()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        replaced = ApiToken.objects.filter(user=locked).delete()[0] > 0
        ApiToken.objects.create(
            user=locked,
            key_hash=crypto.api_token_hash(key),
            prefix=crypto.api_token_prefix(key),
            created_at=timezone.now(),
        )
        record_event(
            actor=actor,
            action="accounts.token.created",
            obj=locked,
            data={"username": locked.username, "replaced": replaced, "channel": channel},
        )
    security_log("token.created", username=locked.username, replaced=replaced, channel=channel)
    return key


def authenticate_api_token(key: str) -> ApiToken | None:
    """The token whose key is `key` (with its user, who is active), or None. Looked up by the
    key's hash, so the key itself is never stored or sent to the database."""
    if not key or len(key) > MAX_TOKEN_CHARS:
        return None
    digest = crypto.api_token_hash(key)
    token = ApiToken.objects.select_related("user").filter(key_hash=digest).first()
    # The index found the row by equality; compare_digest keeps the final check constant-time.
    if token is None or not hmac.compare_digest(token.key_hash, digest) or not token.user.is_active:
        return None
    touch_api_token(token)
    return token


def touch_api_token(token: ApiToken) -> None:
    """Note when the token was last used, at most once a minute. Not audited: it is a usage
    statistic for the owner ("last used"), not a change anyone made."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def revoke_api_token(*, user: User, actor: User, channel: str) -> bool:
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionRefused()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        deleted = ApiToken.objects.filter(user=locked).delete()[0] > 0
        if deleted:
            record_event(
                actor=actor,
                action="accounts.token.revoked",
                obj=locked,
                data={"username": locked.username, "channel": channel},
            )
    if deleted:
        security_log("token.revoked", username=locked.username, actor=actor.username, channel=channel)
    return deleted

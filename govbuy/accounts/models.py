from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from govbuy.accounts import crypto


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships in organisations.

    Platform administrators are `is_superuser`; they alone reach the Django admin.
    """

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    # TOTP two-factor: the shared secret, encrypted (govbuy.accounts.crypto; read and written only
    # through `totp_secret` and `set_totp_secret`), and when the user proved they hold it.
    totp_secret_encrypted = models.CharField(_("TOTP secret (encrypted)"), max_length=255, blank=True)
    totp_confirmed_at = models.DateTimeField(_("two-factor confirmed at"), null=True, blank=True)
    # The last TOTP time step accepted, so a code cannot be replayed within its window.
    totp_last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def has_totp_secret(self) -> bool:
        return bool(self.totp_secret_encrypted)

    @property
    def has_two_factor(self) -> bool:
        return bool(self.totp_secret_encrypted and self.totp_confirmed_at)

    @property
    def totp_secret(self) -> str:
        """The base32 secret, "" when there is none; raises crypto.UnreadableSecret when the stored
        value does not open for this user (copied from another row, or the key changed)."""
        if not self.totp_secret_encrypted:
            return ""
        return crypto.decrypt_totp_secret(user_id=self.pk, stored=self.totp_secret_encrypted)

    def set_totp_secret(self, secret: str) -> None:
        """Encrypt `secret` ("" removes it) into the field; the caller saves `totp_secret_encrypted`."""
        self.totp_secret_encrypted = crypto.encrypt_totp_secret(user_id=self.pk, secret=secret) if secret else ""


class LoginFailure(models.Model):
    """One failed sign-in for a (username, IP) pair; recent rows decide the lockout."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "ip", "at"], name="loginfailure_user_ip_at")]

    def __str__(self) -> str:
        return f"{self.username}@{self.ip} {self.at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """Which session keys belong to which user, so ending a user's sessions (deactivation) is one
    indexed delete instead of decoding every session in the store."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="usersession_user_created")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A user's API token (one at most: a new one replaces it). Only the sha256 of the key is
    stored, so a copy of the table does not let anyone call the API; the key is shown once."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="api_token")
    key_hash = models.CharField(max_length=64, unique=True)
    # The key's first characters, for the user to recognise which token they hold.
    prefix = models.CharField(max_length=crypto.API_TOKEN_PREFIX_CHARS)
    created_at = models.DateTimeField()
    # Updated at most once a minute (govbuy.accounts.services.touch_api_token).
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(key_hash=""), name="apitoken_key_hash_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.prefix}…"

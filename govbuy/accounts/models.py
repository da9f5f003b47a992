from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships in organisations.

    Platform administrators are `is_superuser`; they alone reach the Django admin.
    """

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    # TOTP two-factor: the shared secret (base32) and when the user proved they hold it.
    totp_secret = models.CharField(_("TOTP secret"), max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(_("two-factor confirmed at"), null=True, blank=True)
    # The last TOTP time step accepted, so a code cannot be replayed within its window.
    totp_last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def has_two_factor(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)


class LoginFailure(models.Model):
    """One failed sign-in for a (username, IP) pair; recent rows decide the lockout."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "ip", "at"], name="loginfailure_user_ip_at")]

    def __str__(self) -> str:
        return f"{self.username}@{self.ip} {self.at:%Y-%m-%d %H:%M}"

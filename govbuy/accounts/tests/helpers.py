from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
from django.utils import timezone

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol(user, secret: str = SECRET) -> pyotp.TOTP:
    """Give `user` a confirmed TOTP secret directly (the enrolment flow has its own tests)."""
    user.set_totp_secret(secret)
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = 0
    user.save(update_fields=["totp_secret_encrypted", "totp_confirmed_at", "totp_last_step"])
    return pyotp.TOTP(secret)


# Tests travel to a fixed moment tomorrow: sessions made there are still valid when the test
# checks them after leaving the travel block (a moment in the past would have expired them).
T0 = (datetime.now(UTC) + timedelta(days=1)).replace(hour=1, minute=0, second=0, microsecond=0)

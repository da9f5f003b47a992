"""Reminders of dossier documents about to expire (a daily job; expiry itself is read at request time)."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from govbuy.audit.services import record_event
from govbuy.core.mail import send_each
from govbuy.providers import rules
from govbuy.providers.models import (
    DossierDocument,
    ExpiryNotice,
)
from govbuy.providers.services.common import today

# --- Expiry job ------------------------------------------------------------------------------------------


def send_expiry_notices(*, on: dt.date | None = None) -> int:
    """Tell providers about documents that expired or expire soon; once per document and kind.
    Only notifications: whether a document counts is decided when it is read."""
    day = on or today()
    warn_days = int(getattr(settings, "GOVBUY_DOCUMENT_EXPIRY_WARNING_DAYS", 30))
    candidates = (
        DossierDocument.objects.filter(withdrawn_at__isnull=True, valid_until__isnull=False)
        .filter(valid_until__lte=day + dt.timedelta(days=warn_days))
        .select_related("section__profile__organisation")
        .order_by("pk")
    )
    sent = 0
    for document in candidates:
        kind = ExpiryNotice.Kind.EXPIRED if rules.is_expired(document.valid_until, day) else ExpiryNotice.Kind.EXPIRING
        with transaction.atomic():
            if ExpiryNotice.objects.select_for_update().filter(document=document, kind=kind).exists():
                continue
            ExpiryNotice.objects.create(document=document, kind=kind, sent_at=timezone.now())
            profile = document.section.profile
            record_event(
                actor=None,
                action=f"providers.document.{kind}",
                obj=document,
                organisation=profile.organisation,
                data={
                    "name": profile.organisation.name_zh,
                    "title": document.title,
                    "valid_until": document.valid_until.isoformat() if document.valid_until else "",
                },
            )
            if profile.contact_email:
                transaction.on_commit(_mail_expiry(profile.contact_email, document.title, document.valid_until, kind))
            sent += 1
    return sent


def _mail_expiry(address: str, title: str, until: dt.date | None, kind: str) -> Any:
    def send() -> None:
        subject = (
            gettext("A document in your eligibility dossier has expired")
            if kind == ExpiryNotice.Kind.EXPIRED
            else gettext("A document in your eligibility dossier expires soon")
        )
        body = gettext("“%(title)s” is valid until %(until)s. Upload a renewed document in govbuy.") % {
            "title": title,
            "until": until.isoformat() if until else "",
        }
        send_each([address], subject, body)

    return send

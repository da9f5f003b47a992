"""Sending mail after a step has committed.

Mails are side effects scheduled with `transaction.on_commit`: by the time they are sent the step
is done, so a mail server that is down must not turn it into an error. Each address gets its own
message (recipients never see each other's addresses). Django 6.1 deprecates `fail_silently`;
this is the one place that catches delivery errors instead, and logs them for operators.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable

from django.core.mail import EmailMessage, mailers

logger = logging.getLogger("govbuy.mail")


def send_each(addresses: Iterable[str], subject: str, body: str) -> None:
    messages = [EmailMessage(subject, body, None, [address]) for address in addresses if address]
    if not messages:
        return
    try:
        mailers.default.send_messages(messages)
    except (OSError, smtplib.SMTPException):
        logger.warning("mail not sent: %s", subject, exc_info=True)

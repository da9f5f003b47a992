"""The security log (design/reliability.md R19): one line per event with the request id and IP.

Values are written with repr() so a username with a newline cannot forge a second log line.
Callers pass only names, ids and addresses; never a password, code, secret or token.
"""

from __future__ import annotations

import logging
from typing import Any

from govbuy.core.middleware import current_client_ip, current_request_id

logger = logging.getLogger("govbuy.security")


def security_log(event: str, *, level: int = logging.INFO, **fields: Any) -> None:
    fields.setdefault("ip", current_client_ip())
    fields["request_id"] = current_request_id()
    parts = " ".join(f"{key}={value!r}" for key, value in fields.items())
    logger.log(level, "%s %s", event, parts, extra={"security_event": event, "security_fields": fields})

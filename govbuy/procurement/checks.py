"""System check: production refuses to start without the bid key-encryption key."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error


def check_bid_kek(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from govbuy.procurement.sealing import kek_problem

    problem = kek_problem()
    if problem is None:
        return []
    return [
        Error(
            problem,
            hint='Set GOVBUY_BID_KEK to base64 of 32 random bytes, e.g. `python -c "import base64,secrets;'
            'print(base64.b64encode(secrets.token_bytes(32)).decode())"`; keep it out of the database and backups.',
            id="procurement.E001",
        )
    ]

"""An organisation's identity, and the hook that tells higher apps when it changes.

Identity fields are those others rely on to know who the organisation is: the unified social
credit code (verification, related parties, credit records and OCDS party ids hang on it), the
registered names, the kind (which authority registers and verifies it, what it may be) and the
region (whose authority that is). Changing any of them is not an edit of contact details: the
provider registry sends a verified provider back to verification (govbuy.providers registers the
listener; this app below it cannot call it). The provider's own registration facts that are
identity (legal representative and the identity number, registration authority) are listed in
govbuy.providers.rules.IDENTITY_FIELDS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

IDENTITY_FIELDS = ("uscc", "name_zh", "name_en", "kind", "region_id")

IdentityListener = Callable[..., None]
_listeners: list[IdentityListener] = []


def register_identity_listener(listener: IdentityListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def identity_changed(*, actor: Any, organisation: Any, changes: dict[str, tuple[Any, Any]]) -> None:
    """Called by organizations.services inside the transaction of the change, with the identity
    fields that changed ({field: (before, after)})."""
    for listener in list(_listeners):
        listener(actor=actor, organisation=organisation, changes=changes)

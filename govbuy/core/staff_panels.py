"""Panels that higher apps add to the staff pages of a process (a project, a tender, a contract):
oversight adds the process's open risk flags and monitoring cases for the bodies that monitor it.
A registry like `core.public_panels`: planning, procurement and contracts cannot import the apps
above them, so those register a provider that returns the panel's HTML for the user, or None when
the user has nothing to see there. Templates show them with `{% staff_panels "tender" tender.pk %}`
(govbuy.core.templatetags.present)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

KINDS = frozenset({"project", "tender", "contract"})
PanelProvider = Callable[[HttpRequest, str, int], SafeString | None]
_providers: list[tuple[int, PanelProvider]] = []


def register_staff_panel(provider: PanelProvider, order: int = 100) -> None:
    if all(p is not provider for _o, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda pair: pair[0])


def staff_panels(request: HttpRequest, kind: str, pk: int) -> SafeString:
    """The panels of every provider for the process `kind` `pk`, in order (empty for none)."""
    if kind not in KINDS:
        raise ValueError(kind)
    parts = [provider(request, kind, pk) for _order, provider in _providers]
    # Each part is already safe (a rendered template); format_html_join keeps it so and escapes
    # anything that is not.
    return format_html_join("", "{}", ((part,) for part in parts if part))

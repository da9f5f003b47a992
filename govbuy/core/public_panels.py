"""Panels that higher apps add to a public project page (the portal shows them; oversight adds the
published conclusions of its monitoring). A registry like `core.home`: the portal cannot import
the apps beside or above it, so they register a provider that returns the panel of a project, or
None when it has nothing public."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PanelProvider = Callable[[int], dict[str, Any] | None]
_providers: list[tuple[int, PanelProvider]] = []


def register_project_panel(provider: PanelProvider, order: int = 100) -> None:
    if all(p is not provider for _o, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda pair: pair[0])


def project_panels(project_id: int) -> list[dict[str, Any]]:
    """Each panel: {"id", "title", "items": [{"label", "text", "note"}]}."""
    panels = []
    for _order, provider in _providers:
        panel = provider(project_id)
        if panel is not None:
            panels.append(panel)
    return panels

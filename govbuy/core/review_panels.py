"""Panels that higher apps add to a purchase project for the staff who review it (the finance
bureau deciding on a proposal, the purchaser preparing it). A registry like `core.public_panels`:
planning cannot import the apps above it, so they register a provider that returns the panel of
a project, or None when it has nothing to say. Performance adds the last grades of the service a
proposal renews and of its providers.

Only registered providers run; each answers from data the project's viewers may see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PanelProvider = Callable[[int], dict[str, Any] | None]
_providers: list[tuple[int, PanelProvider]] = []


def register_review_panel(provider: PanelProvider, order: int = 100) -> None:
    if all(p is not provider for _o, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda pair: pair[0])


def unregister_review_panel(provider: PanelProvider) -> None:
    _providers[:] = [(o, p) for o, p in _providers if p is not provider]


def review_panels(project_id: int) -> list[dict[str, Any]]:
    """Each panel: {"id", "title", "items": [{"label", "text", "note"}], "empty"}."""
    panels = []
    for _order, provider in _providers:
        panel = provider(project_id)
        if panel is not None:
            panels.append(panel)
    return panels

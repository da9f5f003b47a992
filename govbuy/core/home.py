"""Home-page sections by role. Apps register a provider that returns what waits for the user
("to-do" items) for the roles it knows; the home page shows every section that is not None."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

SectionProvider = Callable[[HttpRequest], dict[str, Any] | None]
_providers: list[tuple[int, SectionProvider]] = []


def register_home_section(provider: SectionProvider, order: int = 100) -> None:
    if all(p is not provider for _o, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda pair: pair[0])


def home_sections(request: HttpRequest) -> list[dict[str, Any]]:
    sections = []
    for _order, provider in _providers:
        section = provider(request)
        if section is not None:
            sections.append(section)
    return sections

"""The one place that turns an audit action code into a translated sentence.

Apps register a template per code in their AppConfig.ready(); templates may use {actor},
{organisation}, {object} and any key of the event's `data`. A code whose sentence depends on the
data (a result that is itself a word to translate) registers a formatter function instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

_templates: dict[str, Any] = {}
_formatters: dict[str, Callable[[Any, dict[str, Any]], str]] = {}


def register(code: str, template: Any) -> None:
    _templates[code] = template


def register_formatter(code: str, formatter: Callable[[Any, dict[str, Any]], str]) -> None:
    """`formatter(event, values)` returns the sentence; `values` holds actor, organisation,
    object and the data keys, as for templates."""
    _formatters[code] = formatter


def register_labelled(code: str, template: Any, **labels: dict[str, Any]) -> None:
    """A template whose data holds codes (e.g. outcome="upheld"): each `labels[key]` maps the
    stored code to its (lazy) translated label, so the sentence reads in the reader's language
    and old events, which keep the code, read the same way. An unknown code is shown as it is."""

    def formatter(_event: Any, values: dict[str, Any]) -> str:
        for key, choices in labels.items():
            value = values.get(key)
            if isinstance(value, str) and value in choices:
                values[key] = str(choices[value])
        return str(template).format_map(values)

    register_formatter(code, formatter)


def registered_codes() -> frozenset[str]:
    return frozenset(_templates) | frozenset(_formatters)


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def describe(event: Any) -> str:
    values = _Defaults(event.data if isinstance(event.data, dict) else {})
    values.update(
        actor=event.actor_label or _("system"),
        organisation=event.organisation_label,
        object=f"{event.object_type} #{event.object_id}" if event.object_id else event.object_type,
    )
    formatter = _formatters.get(event.action)
    if formatter is not None:
        return formatter(event, values)
    template = _templates.get(event.action)
    if template is None:
        return _("%(actor)s: %(action)s") % {"actor": values["actor"], "action": event.action}
    return str(template).format_map(values)

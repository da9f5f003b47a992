"""The one place that turns an audit action code into a translated sentence.

Apps register a template per code in their AppConfig.ready(); templates may use {actor},
{organisation}, {object} and any key of the event's `data`. A code whose sentence depends on the
data (a result that is itself a word to translate) registers a formatter function instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from govbuy.core import present

# Data keys holding amounts of yuan: shown with thousands separators.
MONEY_KEYS = ("price", "amount", "budget", "ceiling")
# Data keys holding a person's login: shown as the person's display name when the reader's page
# looked it up (`audit.selectors.actor_names`), never as the login.
LOGIN_KEYS = ("proposed_by", "initiated_by", "username")

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


_checkpoint_reasons: list[tuple[re.Pattern[str], Any]] = []


def register_checkpoint_reason(pattern: str, template: Any) -> None:
    """A reason a service gives when it signs a checkpoint. The reason is stored, signed and
    published as written (an English phrase: the signature covers it); it is read out in the
    reader's language by matching `pattern` (a regex over the whole reason) and filling
    `template` with its named groups."""
    _checkpoint_reasons.append((re.compile(pattern), template))


def checkpoint_reason(reason: str) -> str:
    """The reason of a checkpoint in the reader's language; a reason typed by an operator
    (`manage.py audit_checkpoint --reason …`) is shown as typed."""
    for pattern, template in _checkpoint_reasons:
        match = pattern.fullmatch(reason or "")
        if match:
            return str(template).format_map(match.groupdict())
    return reason


def register_field_names(code: str, template: Any, *, model: str, key: str = "fields") -> None:
    """A template whose `data[key]` lists changed fields by name ("is_priority, title"): read out
    as the fields' verbose names in the reader's language ("重点事项、名称")."""

    def formatter(_event: Any, values: dict[str, Any]) -> str:
        raw = values.get(key)
        if isinstance(raw, str) and raw:
            try:
                meta = apps.get_model(model)._meta
            except (LookupError, ValueError):
                meta = None
            labels = []
            for name in (part.strip() for part in raw.split(",")):
                try:
                    labels.append(str(meta.get_field(name).verbose_name) if meta else name)
                except FieldDoesNotExist:  # a field since removed shows as stored
                    labels.append(name)
            # Translators: the separator between the names of changed fields.
            values[key] = _(", ").join(labels) if labels else raw
        return str(template).format_map(values)

    register_formatter(code, formatter)


def registered_codes() -> frozenset[str]:
    return frozenset(_templates) | frozenset(_formatters)


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def _readable(key: str, value: Any) -> Any:
    """Stored data as a reader sees it: ISO times in Beijing time, amounts of yuan grouped."""
    if isinstance(value, str) and present.ISO_TIMESTAMP.fullmatch(value):
        return present.when(value)
    if any(part in key for part in MONEY_KEYS) and isinstance(value, (str, int)) and present.yuan(value) != value:
        return present.yuan(value)
    return value


def object_label(event: Any) -> str:
    """ "招标 #6", not "procurement.tender #6": the model's name in the reader's language."""
    if not event.object_type:
        return ""
    try:
        name = str(apps.get_model(event.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = event.object_type
    return f"{name} #{event.object_id}" if event.object_id else name


def actor_label(event: Any, names: Mapping[Any, str] | None = None) -> str:
    """The person's display name (from `names`, keyed by user id), never a login."""
    if names and event.actor_id in names and names[event.actor_id]:
        return names[event.actor_id]
    if event.actor_label in ("", "system"):
        return _("the system")
    if event.actor_label == "anonymous":
        return _("an anonymous visitor")
    return str(event.actor_label)


def describe(event: Any, names: Mapping[Any, str] | None = None) -> str:
    data = event.data if isinstance(event.data, dict) else {}
    values = _Defaults({key: _readable(key, value) for key, value in data.items()})
    for key in LOGIN_KEYS:
        if names and isinstance(values.get(key), str) and names.get(values[key]):
            values[key] = names[values[key]]
    values.update(
        actor=actor_label(event, names),
        organisation=event.organisation_label,
        object=object_label(event),
    )
    formatter = _formatters.get(event.action)
    if formatter is not None:
        return present.times_in_text(formatter(event, values))
    template = _templates.get(event.action)
    if template is None:
        return _("%(actor)s: %(action)s") % {"actor": values["actor"], "action": event.action}
    return present.times_in_text(str(template).format_map(values))

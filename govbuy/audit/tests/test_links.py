"""Every kind of record an event is about links to a page (issue 16): over the demo, the first
event of each kind links to a page the auditor and the city finance bureau open, except the kinds
that have no page a reader of the trail could open."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Min
from django.urls import get_resolver

from govbuy.audit.links import LIST_PAGE, NO_PAGE, OWN_PAGE, VIA_FIELDS, object_links
from govbuy.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver())
    return names


def test_every_mapping_names_a_model_its_fields_and_a_url():
    names = _url_names()
    for kind, url_name in {**OWN_PAGE, **LIST_PAGE}.items():
        apps.get_model(kind)
        assert url_name in names, kind
    for kind, (url_name, fields) in VIA_FIELDS.items():
        model = apps.get_model(kind)
        str(model._default_manager.values_list("pk", *fields).query)  # FieldError on a wrong path
        assert url_name in names, kind
    assert not set(NO_PAGE) & (set(OWN_PAGE) | set(LIST_PAGE) | set(VIA_FIELDS))


def test_the_first_event_of_every_kind_in_the_demo_links_to_a_page_the_readers_open(login):
    call_command("seed_demo", verbosity=0)
    firsts = AuditEvent.objects.exclude(object_type="").values("object_type").annotate(first=Min("position"))
    events = list(AuditEvent.objects.filter(position__in=[row["first"] for row in firsts]))
    assert len(events) > 25
    links = object_links(events)
    users = get_user_model().objects
    unlinked, failing = [], []
    for event in events:
        url = links.get((event.object_type, str(event.object_id)), "")
        if event.object_type in NO_PAGE:
            assert url == ""
        elif not url:
            unlinked.append(event.object_type)
    for name in ("auditor", "city.finance"):
        client = login(users.get(username=name))
        for event in events:
            url = links.get((event.object_type, str(event.object_id)), "")
            if url and (status := client.get(url).status_code) != 200:
                failing.append(f"{name}: {event.object_type} {url} {status}")
    assert unlinked == []
    assert failing == []

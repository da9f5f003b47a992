"""What contracts adds to the navigation and to the home page of each role: contracts to sign,
to publish and to file (late ones marked), deliverables to accept, payments due, and contracts
with signs of subcontracting for the purchaser and the finance bureau."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govbuy.contracts import selectors
from govbuy.contracts.models import Contract
from govbuy.core import present
from govbuy.core.present import yuan
from govbuy.organizations.scope import scope_for


def sees_contracts(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return scope.is_purchaser or scope.is_provider or scope.is_oversight or scope.is_platform_admin


def _contract_items(rows: list[Contract], clock: str) -> list[dict[str, Any]]:
    items = []
    for c in rows:
        clocks = selectors.clocks_of(c)
        due = {"sign": clocks.signing_due, "publish": clocks.publication_due, "file": clocks.filing_due}[clock]
        late = due is not None and clocks.today > due
        note = _("due %(day)s") % {"day": present.day(due)} if due else ""
        if late:
            note = _("late: was due %(day)s") % {"day": present.day(due)} if due else note
        items.append(
            {"label": f"{c.reference} · {c.title}", "url": reverse("contracts:detail", args=[c.pk]), "note": note}
        )
    return items


def _section(section_id: str, title: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": section_id, "title": title, "items": items, "empty": ""}


def sign_section(request: HttpRequest) -> dict[str, Any] | None:
    rows, total = selectors.to_sign(request.user)
    if not total:
        return None
    return _section("contracts-sign", _("Contracts to sign"), _contract_items(rows, "sign"))


def publish_section(request: HttpRequest) -> dict[str, Any] | None:
    rows, total = selectors.to_publish(request.user)
    if not total:
        return None
    return _section("contracts-publish", _("Contracts to publish"), _contract_items(rows, "publish"))


def file_section(request: HttpRequest) -> dict[str, Any] | None:
    rows, total = selectors.to_file(request.user)
    if not total:
        return None
    return _section("contracts-file", _("Contracts to file with the finance bureau"), _contract_items(rows, "file"))


def accept_section(request: HttpRequest) -> dict[str, Any] | None:
    rows, total = selectors.to_accept(request.user)
    if not total:
        return None
    items = [
        {
            "label": f"{d.contract.reference} · {d.milestone.title}",
            "url": reverse("contracts:detail", args=[d.contract_id]) + f"#deliverable-{d.pk}",
            "note": d.get_status_display(),
        }
        for d in rows
    ]
    return _section("contracts-accept", _("Deliverables to accept"), items)


def payments_section(request: HttpRequest) -> dict[str, Any] | None:
    rows, total = selectors.payments_due(request.user)
    if not total:
        return None
    items = [
        {
            "label": f"{c.reference} · {c.title}",
            "url": reverse("contracts:detail", args=[c.pk]) + "#payments",
            "note": _("%(paid)s of %(value)s yuan paid") % {"paid": yuan(c.amount_paid), "value": yuan(c.value)},
        }
        for c in rows
    ]
    return _section("contracts-payments", _("Payments due"), items)


def flags_section(request: HttpRequest) -> dict[str, Any] | None:
    rows, total = selectors.flagged(request.user)
    if not total:
        return None
    items = [
        {"label": f"{c.reference} · {c.provider.name_zh}", "url": reverse("contracts:detail", args=[c.pk]) + "#flags"}
        for c in rows
    ]
    return _section("contracts-flags", _("Possible subcontracting"), items)


def register_all() -> None:
    from govbuy.core.home import register_home_section
    from govbuy.core.navigation import NavEntry
    from govbuy.core.navigation import register as register_nav

    register_nav(NavEntry(label=gettext_lazy("Contracts"), url_name="contracts:list", visible=sees_contracts, order=52))
    register_home_section(sign_section, order=55)
    register_home_section(publish_section, order=56)
    register_home_section(file_section, order=57)
    register_home_section(accept_section, order=58)
    register_home_section(payments_section, order=59)
    register_home_section(flags_section, order=60)

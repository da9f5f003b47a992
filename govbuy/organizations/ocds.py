"""Our organisations as OCDS parties, in one place for every app that publishes (planning,
procurement, disclosure): the same organisation must carry the same party id in every release,
or compiled records would list it twice."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def party_id(organisation: Any) -> str:
    """`CN-USCC-<code>` for organisations with a unified social credit code; our own id for
    individuals, who have none."""
    if organisation.uscc:
        return f"{settings.OCDS_ORG_SCHEME}-{organisation.uscc}"
    return f"govbuy-org-{organisation.pk}"


def party_reference(organisation: Any) -> dict[str, Any]:
    """An OrganizationReference: id and name."""
    return {"id": party_id(organisation), "name": organisation.name_zh}


def party(organisation: Any, roles: list[str]) -> dict[str, Any]:
    """An OCDS Organization with its roles, identifier and region."""
    data: dict[str, Any] = {"id": party_id(organisation), "name": organisation.name_zh, "roles": sorted(set(roles))}
    if organisation.uscc:
        data["identifier"] = {
            "scheme": settings.OCDS_ORG_SCHEME,
            "id": organisation.uscc,
            "legalName": organisation.name_zh,
        }
    region = getattr(organisation, "region", None)
    address: dict[str, Any] = {"countryName": "中国"}
    if region is not None:
        address["region"] = region.name_zh
    data["address"] = address
    return data
